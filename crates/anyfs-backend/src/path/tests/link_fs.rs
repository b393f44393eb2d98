//! A path-keyed store implementing FsRead + FsLink with no path logic of its own (keys are the
//! exact canonical paths), so every symlink and `..` must be handled by the walk.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::path::FsPath;
use crate::{FileType, FsError, FsLink, FsRead, Metadata};

#[derive(Default)]
pub struct LinkFs {
    nodes: BTreeMap<PathBuf, (FileType, PathBuf)>,
}

impl LinkFs {
    pub fn new() -> Self {
        let mut fs = LinkFs::default();
        fs.nodes
            .insert("/".into(), (FileType::Directory, PathBuf::new()));
        fs
    }
    pub fn dir(mut self, p: &str) -> Self {
        self.nodes
            .insert(p.into(), (FileType::Directory, PathBuf::new()));
        self
    }
    pub fn file(mut self, p: &str) -> Self {
        self.nodes
            .insert(p.into(), (FileType::File, PathBuf::new()));
        self
    }
    pub fn link(mut self, p: &str, target: &str) -> Self {
        self.nodes
            .insert(p.into(), (FileType::Symlink, target.into()));
        self
    }
    fn get(&self, path: &Path, operation: &'static str) -> Result<&(FileType, PathBuf), FsError> {
        self.nodes.get(path).ok_or_else(|| FsError::NotFound {
            path: path.into(),
            operation,
        })
    }
}

impl FsRead for LinkFs {
    fn read(&self, _: &Path) -> Result<Vec<u8>, FsError> {
        Err(FsError::NotSupported { operation: "read" })
    }
    fn read_range(&self, _: &Path, _: u64, _: usize) -> Result<Vec<u8>, FsError> {
        Err(FsError::NotSupported {
            operation: "read_range",
        })
    }
    /// Deliberately wrong for symlinks (it does not follow them): the walk must never call it
    /// when links are available.
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let (t, _) = self.get(path, "metadata")?;
        assert_ne!(*t, FileType::Symlink, "metadata called on a symlink");
        Ok(Metadata::new(*t))
    }
    fn open_read(&self, _: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        Err(FsError::NotSupported {
            operation: "open_read",
        })
    }
}

impl FsLink for LinkFs {
    fn symlink(&self, _: &Path, _: &Path) -> Result<(), FsError> {
        Err(FsError::NotSupported {
            operation: "symlink",
        })
    }
    fn hard_link(&self, _: &Path, _: &Path) -> Result<(), FsError> {
        Err(FsError::NotSupported {
            operation: "hard_link",
        })
    }
    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        match self.get(path, "read_link")? {
            (FileType::Symlink, target) => Ok(target.clone()),
            _ => Err(FsError::InvalidInput {
                operation: "read_link",
                reason: "not a symlink".into(),
            }),
        }
    }
    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        Ok(Metadata::new(self.get(path, "symlink_metadata")?.0))
    }
}

impl FsPath for LinkFs {}
