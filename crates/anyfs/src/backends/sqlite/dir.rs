//! [`FsDir`]: entries are rows of `entries (parent, name)`, so `read_dir` is one range scan of
//! the primary key and lists names in byte order, the same order every time.

use std::ffi::OsString;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{DirEntry, FileType, FsDir, FsError};

use super::db::Db;
use super::err::{self, SqlResult};
use super::node::{int, kind_from};
use super::resolve::NodeGraph;
use super::SqliteBackend;

/// `mkdir(2)`: a final symlink is not followed (an existing symlink, even dangling, is
/// `AlreadyExists`).
fn mkdir(
    db: &Db<'_>,
    path: &Path,
    now: SystemTime,
    operation: &'static str,
) -> Result<(), FsError> {
    let found = db.resolve_entry(path, operation)?;
    if found.node.is_some() {
        return Err(err::exists(path, operation));
    }
    let (parent, name) = found.parent.ok_or_else(|| err::exists(path, operation))?;
    db.create(
        parent,
        &name,
        FileType::Directory,
        0o755,
        None,
        now,
        path,
        operation,
    )
    .map(drop)
}

/// Whether `path` already is a directory (through symlinks) for `mkdir -p`: `Ok(false)` when
/// it does not exist, `AlreadyExists` when it is something else.
fn is_existing_dir(db: &Db<'_>, path: &Path, operation: &'static str) -> Result<bool, FsError> {
    match db.resolve(path, false, operation)?.node {
        None => Ok(false),
        Some((_, FileType::Directory)) => Ok(true),
        Some((_, FileType::Symlink)) => match db.resolve(path, true, operation)?.node {
            Some((_, FileType::Directory)) => Ok(true),
            _ => Err(err::exists(path, operation)),
        },
        Some(_) => Err(err::exists(path, operation)),
    }
}

impl FsDir for SqliteBackend {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        const OP: &str = "read_dir";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, ty) = db.existing(path, true, OP)?;
            if ty != FileType::Directory {
                return Err(err::not_dir(path, OP));
            }
            let mut stmt = conn
                .prepare_cached(
                    "SELECT name, child, kind FROM entries WHERE parent = ?1 ORDER BY name",
                )
                .op(OP)?;
            let mut rows = stmt.query([int(ino)]).op(OP)?;
            let mut entries = Vec::new();
            while let Some(row) = rows.next().op(OP)? {
                let name: String = row.get(0).op(OP)?;
                let code: i64 = row.get(2).op(OP)?;
                entries.push(DirEntry {
                    name: OsString::from(name),
                    inode: row.get(1).op(OP)?,
                    file_type: kind_from(code)
                        .ok_or_else(|| err::corrupt(OP, &format!("entry kind {code}")))?,
                });
            }
            Ok(entries)
        })
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "create_dir";
        let now = SystemTime::now();
        self.inner
            .conns
            .write(OP, |conn| mkdir(&Db::new(conn, &self.inner), path, now, OP))
    }

    /// `mkdir -p` in one transaction, so concurrent calls on the same path (from threads or
    /// processes) cannot race. Missing ancestors are found by lexical parents, as
    /// `std::fs::create_dir_all` does.
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "create_dir_all";
        anyfs_backend::path::validate(path, OP)?;
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let mut missing = Vec::new();
            for ancestor in path.ancestors() {
                match is_existing_dir(&db, ancestor, OP) {
                    Ok(true) => break,
                    Ok(false) => missing.push(ancestor),
                    Err(FsError::NotFound { .. }) => missing.push(ancestor),
                    Err(e) => return Err(e),
                }
            }
            for dir in missing.into_iter().rev() {
                if !is_existing_dir(&db, dir, OP)? {
                    mkdir(&db, dir, now, OP)?;
                }
            }
            Ok(())
        })
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let found = db.resolve_entry(path, OP)?;
            let (ino, ty) = found.node.ok_or_else(|| err::not_found(path, OP))?;
            if ty != FileType::Directory {
                return Err(err::not_dir(path, OP));
            }
            found.require_named(OP)?;
            let (parent, name) = found.parent.ok_or_else(|| err::root_busy(OP))?;
            db.check_entry(parent, &name, ino, OP)?;
            if db.has_entries(ino, OP)? {
                return Err(err::not_empty(path, OP));
            }
            db.unlink(parent, &name, now, OP)
        })
    }

    /// Removes the subtree in one transaction of a fixed number of set-based statements (see
    /// `remove.rs`); symlinks inside are removed, never followed. A symlink given as `path` is
    /// removed itself; a file is `NotADirectory`.
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir_all";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let found = db.resolve_entry(path, OP)?;
            let (ino, ty) = found.node.ok_or_else(|| err::not_found(path, OP))?;
            if ty == FileType::File {
                return Err(err::not_dir(path, OP));
            }
            found.require_dir(path, OP)?;
            found.require_named(OP)?;
            let (parent, name) = found.parent.ok_or_else(|| err::root_busy(OP))?;
            db.check_entry(parent, &name, ino, OP)?;
            db.unlink(parent, &name, now, OP)
        })
    }
}
