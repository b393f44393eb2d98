//! `FsInode` for the overlay, over layers that both have inodes: synthesized numbers that are
//! unique across the layers and stable while a node stays in its layer.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsFull, FsInode, Metadata, ROOT_INODE};

use super::names::{self, join};
use super::view::{decode_inode, Source};
use super::Overlay;

impl<Base: FsFull + FsInode, Upper: FsFull + FsInode> FsInode for Overlay<Base, Upper> {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        const OP: &str = "path_to_inode";
        let node = self.node(path, false, OP)?;
        let m = match &node.meta {
            Some(m) => m.clone(),
            None => self.upper.symlink_metadata(&node.path)?,
        };
        self.inode_of(&node, &m)
    }

    /// Asks the layer the number came from for a path, then checks that the merged tree still
    /// shows that very node there (not whited out, not shadowed): `NotFound` otherwise.
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        const OP: &str = "inode_to_path";
        if inode == ROOT_INODE {
            return Ok(PathBuf::from("/"));
        }
        let unknown = || FsError::NotFound {
            path: PathBuf::from(format!("<inode {inode}>")),
            operation: OP,
        };
        let (source, raw) = decode_inode(inode).ok_or_else(unknown)?;
        let found = match source {
            Source::Upper => self.upper.inode_to_path(raw),
            Source::Base => self.base.inode_to_path(raw),
        };
        let path = found.map_err(|_| unknown())?;
        match self.path_to_inode(&path) {
            Ok(n) if n == inode => Ok(path),
            _ => Err(unknown()),
        }
    }

    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        const OP: &str = "lookup";
        let dir = self.inode_to_path(parent_inode)?;
        let name = name.to_str().ok_or_else(|| FsError::InvalidPath {
            path: name.to_string_lossy().into_owned(),
            operation: OP,
            reason: "not valid UTF-8",
        })?;
        if name.is_empty() || name == "." || name == ".." || name.contains('/') {
            return Err(names::invalid(OP, "not a valid entry name"));
        }
        let node = self.node(&dir, false, OP)?;
        if !node.is_dir() {
            return Err(names::not_dir(&dir, OP));
        }
        let child = join(&dir, name);
        self.path_to_inode(&child)
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        let path = self.inode_to_path(inode)?;
        anyfs_backend::FsLink::symlink_metadata(self, &path)
    }
}
