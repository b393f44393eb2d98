//! [`Root`]: the host directory a backend serves, held open for its whole life, and the inode
//! renumbering that makes it [`ROOT_INODE`].

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, ROOT_INODE};
use rustix::fs::{fstat, open, FileType as HostType, Mode, OFlags};

use super::error;

/// The root directory: an open descriptor (every operation resolves relative to it, so renaming
/// the directory on the host does not break the backend), its canonical host path, and its
/// device and inode numbers.
#[derive(Debug)]
pub(crate) struct Root {
    /// `O_RDONLY | O_DIRECTORY` descriptor of the root.
    pub fd: OwnedFd,
    /// The canonical host path the root had when opened.
    pub path: PathBuf,
    /// Device of the root.
    pub dev: u64,
    /// Host inode number of the root.
    pub ino: u64,
}

impl Root {
    /// Opens the existing directory `path` (symlinks in it are resolved once, here).
    pub(crate) fn open(path: &Path, operation: &'static str) -> Result<Root, FsError> {
        let canonical = std::fs::canonicalize(path).map_err(|e| error::io(operation, path, e))?;
        let fd = open(
            &canonical,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| error::errno(operation, path, e))?;
        let stat = fstat(&fd).map_err(|e| error::errno(operation, path, e))?;
        if HostType::from_raw_mode(stat.st_mode) != HostType::Directory {
            return Err(error::not_dir(path, operation));
        }
        Ok(Root {
            fd,
            path: canonical,
            dev: stat.st_dev,
            ino: stat.st_ino,
        })
    }

    /// The inode number callers see for host inode `ino` on device `dev`: the root is
    /// [`ROOT_INODE`], and a node whose host number is `ROOT_INODE` takes the root's host
    /// number instead (a swap, so numbers stay unique on the root's device).
    pub(crate) fn virtual_ino(&self, dev: u64, ino: u64) -> u64 {
        if dev == self.dev && ino == self.ino {
            ROOT_INODE
        } else if ino == ROOT_INODE {
            self.ino
        } else {
            ino
        }
    }
}
