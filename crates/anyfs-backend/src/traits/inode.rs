//! Layer 3, inode access for FUSE: [`FsInode`].

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::{FsError, Metadata};

/// Inode-based access, which FUSE needs (the kernel speaks inodes, not paths).
///
/// Inode numbers are stable for a node's lifetime and shared by its hard links;
/// [`ROOT_INODE`](crate::ROOT_INODE) is the root directory.
pub trait FsInode: Send + Sync {
    /// The inode of the node at `path` (not following a final symlink).
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError>;

    /// One path of the node (for a hard-linked file, any of its names). `NotFound` for an
    /// unknown inode.
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError>;

    /// The inode of the entry `name` in the directory `parent_inode`.
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError>;

    /// Metadata by inode number (not following symlinks).
    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError>;
}
