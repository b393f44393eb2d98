//! [`FsInode`]: host inode numbers (the root renumbered to `ROOT_INODE`) and the learned
//! inode-to-path map of [`inodes`](super::inodes).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsInode, Metadata, ROOT_INODE};

use super::{error, key, HostFs, Resolve, VPath};

fn unknown(ino: u64, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: PathBuf::from(format!("<inode {ino}>")),
        operation,
    }
}

impl<R: Resolve> HostFs<R> {
    /// A path that names `ino` now (checked with `lstat`), and the metadata found there.
    /// Stale remembered paths are forgotten on the way.
    fn find(&self, ino: u64, operation: &'static str) -> Result<(PathBuf, Metadata), FsError> {
        if ino == ROOT_INODE {
            let root = PathBuf::from("/");
            let metadata = self.lstat_path(&root, operation)?;
            return Ok((root, metadata));
        }
        for candidate in self.inodes.candidates(ino).into_iter().rev() {
            match self.lstat_path(&candidate, operation) {
                Ok(metadata) if metadata.inode == ino => return Ok((candidate, metadata)),
                _ => self.inodes.forget(ino, &candidate),
            }
        }
        Err(unknown(ino, operation))
    }

    fn lstat_path(&self, path: &Path, operation: &'static str) -> Result<Metadata, FsError> {
        let path = VPath::parse(path, operation)?;
        let stat = self.stat(&path, false)?;
        self.metadata_of(&stat, &path)
    }
}

impl<R: Resolve> FsInode for HostFs<R> {
    /// `lstat` of the path; remembers the path for `inode_to_path` and `lookup`.
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        let vpath = VPath::parse(path, "path_to_inode")?;
        let stat = self.stat(&vpath, false)?;
        let ino = self.root.virtual_ino(stat.st_dev, stat.st_ino);
        self.inodes.learn(ino, &key(path));
        Ok(ino)
    }

    /// A remembered path that still names the inode (see the backend docs for the limits).
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        self.find(inode, "inode_to_path").map(|(path, _)| path)
    }

    /// `.` and `..` resolve to the directory and its parent.
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        const OP: &str = "lookup";
        let (dir, metadata) = self.find(parent_inode, OP)?;
        if !metadata.is_dir() {
            return Err(error::not_dir(Path::new(name), OP));
        }
        let child = match name.to_str() {
            Some(".") => return Ok(parent_inode),
            Some("..") => dir.parent().map(Path::to_path_buf).unwrap_or(dir),
            Some(n) if !n.is_empty() && !n.contains('/') => dir.join(n),
            _ => return Err(error::not_found(Path::new(name), OP)),
        };
        let vpath = VPath::parse(&child, OP)?;
        let stat = self.stat(&vpath, false)?;
        let ino = self.root.virtual_ino(stat.st_dev, stat.st_ino);
        self.inodes.learn(ino, &child);
        Ok(ino)
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        self.find(inode, "metadata_by_inode").map(|(_, m)| m)
    }
}
