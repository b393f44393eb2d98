//! Reading through the overlay: the upper layer first, then the base. Also `FsSync` and
//! `FsStats`, which concern the upper layer (where changes go).

use std::io::Read;
use std::path::Path;

use anyfs_backend::{
    lend_or_read, FsError, FsFull, FsRead, FsStats, FsSync, Metadata, SharedContent, StatFs,
};

use super::names;
use super::view::{Node, Source};
use super::Overlay;

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// The file `path` resolves to (following symlinks); `NotAFile` for a directory.
    fn file(&self, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        Self::no_dir(self.node(path, true, operation)?, path, operation)
    }

    /// [`file`](Self::file) by the walk alone, for a caller that has already tried the upper
    /// layer at `path` itself, or found it could not (trying again would only fail again).
    fn walked_file(&self, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        let node = self
            .resolve(path, true, operation)?
            .existing(path, operation)?;
        Self::no_dir(node, path, operation)
    }

    fn no_dir(node: Node, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        if node.is_dir() {
            return Err(names::is_dir(path, operation));
        }
        Ok(node)
    }
}

impl<Base: FsFull, Upper: FsFull> FsRead for Overlay<Base, Upper> {
    /// A file the upper layer holds at a plain path is read in one call; anything else, a
    /// failure included, goes through the walk (which reports its own error).
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        if self.plain_in_upper(path, "read") {
            if let Ok(bytes) = self.upper.read(path) {
                return Ok(bytes);
            }
        }
        let node = self.walked_file(path, "read")?;
        match node.source {
            Source::Upper => self.upper.read(&node.path),
            Source::Base => self.base.read(&node.path),
        }
    }

    /// Lent by the layer that holds the file, when it lends; else read from it and handed
    /// over (always answered: the path is resolved once either way).
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        // As `read`: a failed upper call visited nothing, so the walk may follow.
        if self.plain_in_upper(path, "read") && lend_or_read(&self.upper, path, visit).is_ok() {
            return Some(Ok(()));
        }
        let node = match self.walked_file(path, "read") {
            Ok(node) => node,
            Err(e) => return Some(Err(e)),
        };
        Some(match node.source {
            Source::Upper => lend_or_read(&self.upper, &node.path, visit),
            Source::Base => lend_or_read(&self.base, &node.path, visit),
        })
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        let bytes = self.read(path)?;
        String::from_utf8(bytes).map_err(|e| FsError::InvalidData {
            path: path.to_path_buf(),
            operation: "read_to_string",
            reason: e.to_string(),
        })
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let node = self.file(path, "read_range")?;
        match node.source {
            Source::Upper => self.upper.read_range(&node.path, offset, len),
            Source::Base => self.base.read_range(&node.path, offset, len),
        }
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        match self.metadata(path) {
            Ok(_) => Ok(true),
            Err(FsError::NotFound { .. })
            | Err(FsError::NotADirectory { .. })
            | Err(FsError::SymlinkLoop { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let node = self.node(path, true, "metadata")?;
        self.metadata_of(&node)
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        let node = self.file(path, "open_read")?;
        match node.source {
            Source::Upper => self.upper.open_read(&node.path),
            Source::Base => self.base.open_read(&node.path),
        }
    }
}

impl<Base: FsFull, Upper: FsFull> FsSync for Overlay<Base, Upper> {
    /// Flushes the upper layer (the base is never written).
    fn sync(&self) -> Result<(), FsError> {
        self.upper.sync()
    }

    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        let node = self.node(path, true, "fsync")?;
        match node.source {
            Source::Upper => self.upper.fsync(&node.path),
            Source::Base => Ok(()),
        }
    }
}

impl<Base: FsFull, Upper: FsFull> FsStats for Overlay<Base, Upper> {
    /// The upper layer's statistics: that is where new data goes.
    fn statfs(&self) -> Result<StatFs, FsError> {
        self.upper.statfs()
    }
}
