//! [`FsLink`]: symlinks are inodes with their target in `symlinks`; hard links are extra rows
//! in `entries` for the same inode.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsLink, Metadata};

use super::db::Db;
use super::resolve::NodeGraph;
use super::{err, SqliteBackend};

impl FsLink for SqliteBackend {
    /// Stores `original` as given (relative or absolute; it need not exist). An empty target
    /// is `NotFound`, as on Linux.
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "symlink";
        if original.as_os_str().is_empty() {
            return Err(err::not_found(original, OP));
        }
        if original.as_os_str().as_encoded_bytes().contains(&0) {
            return Err(FsError::InvalidPath {
                path: original.to_string_lossy().into_owned(),
                operation: OP,
                reason: "contains a NUL byte",
            });
        }
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let found = db.resolve_entry(link, OP)?;
            if found.node.is_some() {
                return Err(err::exists(link, OP));
            }
            if found.trailing_slash {
                return Err(err::not_found(link, OP));
            }
            let (parent, name) = found.parent.ok_or_else(|| err::exists(link, OP))?;
            db.create(
                parent,
                &name,
                FileType::Symlink,
                0o777,
                Some(original),
                now,
                link,
                OP,
            )
            .map(drop)
        })
    }

    /// Links the node `original` names itself: a symlink is linked, not followed (as Linux
    /// `link(2)` does). Directories cannot be hard-linked (`NotAFile`). One transaction.
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "hard_link";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let source = db.resolve_entry(original, OP)?;
            let (ino, ty) = source.node.ok_or_else(|| err::not_found(original, OP))?;
            source.require_dir(original, OP)?;
            if ty == FileType::Directory {
                return Err(err::is_dir(original, OP));
            }
            let found = db.resolve_entry(link, OP)?;
            if found.node.is_some() {
                return Err(err::exists(link, OP));
            }
            if found.trailing_slash {
                return Err(err::not_found(link, OP));
            }
            let (parent, name) = found.parent.ok_or_else(|| err::exists(link, OP))?;
            db.link(parent, &name, ino, ty, now, link, OP)
        })
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        const OP: &str = "read_link";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, ty) = db.existing(path, false, OP)?;
            if ty != FileType::Symlink {
                return Err(err::invalid(OP, "not a symbolic link"));
            }
            db.link_target(ino, OP)
        })
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        const OP: &str = "symlink_metadata";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = db.existing(path, false, OP)?;
            Ok(db.node(ino, OP)?.metadata(ino))
        })
    }
}
