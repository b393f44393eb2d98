//! [`FsInode`]: inode numbers are the `inodes` table's row ids, so these are primary-key
//! lookups; `entries_by_child` indexes each node's names, so `inode_to_path` walks up in
//! O(depth) indexed queries.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::{FileType, FsError, FsInode, Metadata};

use super::db::Db;
use super::resolve::NodeGraph;
use super::{err, SqliteBackend};

impl FsInode for SqliteBackend {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        const OP: &str = "path_to_inode";
        self.inner.conns.read(OP, |conn| {
            Db::new(conn, &self.inner)
                .existing(path, false, OP)
                .map(|(ino, _)| ino)
        })
    }

    /// One current name of the node: for a hard-linked file, the one that sorts first.
    /// `NotFound` for unknown inodes and for files that are unlinked but still open.
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        const OP: &str = "inode_to_path";
        self.inner
            .conns
            .read(OP, |conn| Db::new(conn, &self.inner).path_of(inode, OP))
    }

    /// One indexed query. `.` and `..` resolve to the directory and its parent.
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        const OP: &str = "lookup";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let dir = db
                .inode(parent_inode, OP)?
                .ok_or_else(|| err::unknown_inode(parent_inode, OP))?;
            if dir.file_type != FileType::Directory {
                return Err(err::not_dir(Path::new(name), OP));
            }
            let name_str = name
                .to_str()
                .ok_or_else(|| err::not_found(Path::new(name), OP))?;
            match name_str {
                "." => Ok(parent_inode),
                ".." => db.parent_of(parent_inode, OP),
                _ if name_str.is_empty() || name_str.contains('/') => {
                    Err(err::not_found(Path::new(name), OP))
                }
                _ => db
                    .entry(parent_inode, name_str, OP)?
                    .map(|(ino, _)| ino)
                    .ok_or_else(|| err::not_found(Path::new(name), OP)),
            }
        })
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        const OP: &str = "metadata_by_inode";
        self.inner.conns.read(OP, |conn| {
            Db::new(conn, &self.inner)
                .inode(inode, OP)?
                .map(|node| node.metadata(inode))
                .ok_or_else(|| err::unknown_inode(inode, OP))
        })
    }
}
