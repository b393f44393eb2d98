//! [`FsInode`]: inode numbers are the table's keys, so these are direct lookups; each node keeps
//! a pointer to (one of) its parent entries, so `inode_to_path` walks up in O(depth).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsInode, Metadata};

use super::node::Kind;
use super::resolve::NodeGraph;
use super::{err, MemoryBackend};

fn unknown(ino: u64, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: PathBuf::from(format!("<inode {ino}>")),
        operation,
    }
}

impl FsInode for MemoryBackend {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        let tree = self.inner.tree.read();
        tree.existing(path, false, "path_to_inode")
            .map(|(ino, _)| ino)
    }

    /// One current name of the node, built from parent pointers: O(depth). For a hard-linked
    /// file, the oldest surviving name. `NotFound` for unknown inodes and for files that are
    /// unlinked but still open.
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        self.inner.tree.read().path_of(inode, "inode_to_path")
    }

    /// O(log n) in the directory's size. `.` and `..` resolve to the directory and its parent.
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        const OP: &str = "lookup";
        let tree = self.inner.tree.read();
        let dir = tree
            .nodes
            .get(&parent_inode)
            .ok_or_else(|| unknown(parent_inode, OP))?;
        let Kind::Dir(entries) = &dir.kind else {
            return Err(err::not_dir(Path::new(name), OP));
        };
        let name_str = name
            .to_str()
            .ok_or_else(|| err::not_found(Path::new(name), OP))?;
        match name_str {
            "." => Ok(parent_inode),
            ".." => Ok(dir.links.any().map_or(parent_inode, |(parent, _)| *parent)),
            _ => entries
                .entries
                .get(name_str)
                .map(|e| e.ino)
                .ok_or_else(|| err::not_found(Path::new(name), OP)),
        }
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        let tree = self.inner.tree.read();
        tree.nodes
            .get(&inode)
            .map(|node| node.metadata(inode))
            .ok_or_else(|| unknown(inode, "metadata_by_inode"))
    }
}
