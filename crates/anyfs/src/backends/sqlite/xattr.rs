//! [`FsXattr`]: extended attributes are rows of `xattrs (ino, name)`, shared by hard links,
//! listed in name order.

use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::path::MAX_NAME_LEN;
use anyfs_backend::{FsError, FsXattr};
use rusqlite::{params, OptionalExtension};

use super::db::Db;
use super::err::{self, SqlResult};
use super::node::{int, to_ns};
use super::resolve::NodeGraph;
use super::SqliteBackend;

/// Largest attribute value accepted (Linux `XATTR_SIZE_MAX`).
pub const MAX_XATTR_VALUE: usize = 64 * 1024;

fn check_name(name: &str, operation: &'static str) -> Result<(), FsError> {
    if name.is_empty() {
        return Err(err::invalid(operation, "empty attribute name"));
    }
    if name.contains('\0') {
        return Err(err::invalid(
            operation,
            "attribute name contains a NUL byte",
        ));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(FsError::NameTooLong {
            path: name.to_owned(),
            operation,
        });
    }
    Ok(())
}

fn missing(path: &Path, name: &str, operation: &'static str) -> FsError {
    FsError::XattrNotFound {
        path: path.to_path_buf(),
        name: name.to_owned(),
        operation,
    }
}

/// Attributes live on the inode (shared by hard links, listed in name order) and are read and
/// written through symlinks (`getxattr`, not `lgetxattr`). The same rules as `MemoryBackend`:
/// names are any non-empty string of at most 255 bytes without NUL (`InvalidInput` /
/// `NameTooLong`), with no Linux namespace rule; values at most [`MAX_XATTR_VALUE`] bytes
/// (`InvalidInput`); a missing attribute is `XattrNotFound` (`ENODATA`).
impl FsXattr for SqliteBackend {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        const OP: &str = "get_xattr";
        check_name(name, OP)?;
        self.inner.conns.read(OP, |conn| {
            let (ino, _) = Db::new(conn, &self.inner).existing(path, true, OP)?;
            let mut stmt = conn
                .prepare_cached("SELECT value FROM xattrs WHERE ino = ?1 AND name = ?2")
                .op(OP)?;
            stmt.query_row(params![int(ino), name], |r| r.get(0))
                .optional()
                .op(OP)?
                .ok_or_else(|| missing(path, name, OP))
        })
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        const OP: &str = "set_xattr";
        check_name(name, OP)?;
        if value.len() > MAX_XATTR_VALUE {
            return Err(err::invalid(OP, "attribute value larger than 64 KiB"));
        }
        let now = to_ns(SystemTime::now());
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = db.existing(path, true, OP)?;
            let mut stmt = conn
                .prepare_cached(
                    "INSERT INTO xattrs (ino, name, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (ino, name) DO UPDATE SET value = excluded.value",
                )
                .op(OP)?;
            stmt.execute(params![int(ino), name, value]).op(OP)?;
            db.touch_inode(ino, 0, now, OP)
        })
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        const OP: &str = "remove_xattr";
        check_name(name, OP)?;
        let now = to_ns(SystemTime::now());
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = db.existing(path, true, OP)?;
            let mut stmt = conn
                .prepare_cached("DELETE FROM xattrs WHERE ino = ?1 AND name = ?2")
                .op(OP)?;
            if stmt.execute(params![int(ino), name]).op(OP)? == 0 {
                return Err(missing(path, name, OP));
            }
            db.touch_inode(ino, 0, now, OP)
        })
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        const OP: &str = "list_xattr";
        self.inner.conns.read(OP, |conn| {
            let (ino, _) = Db::new(conn, &self.inner).existing(path, true, OP)?;
            let mut stmt = conn
                .prepare_cached("SELECT name FROM xattrs WHERE ino = ?1 ORDER BY name")
                .op(OP)?;
            let names = stmt
                .query_map([int(ino)], |r| r.get(0))
                .op(OP)?
                .collect::<Result<Vec<String>, _>>()
                .op(OP)?;
            Ok(names)
        })
    }
}
