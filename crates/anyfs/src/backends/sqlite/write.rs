//! [`FsWrite`]: each call is one write transaction (`BEGIN IMMEDIATE`), so every operation is
//! atomic: it happens whole or, on any error, not at all (no empty file left by a failed
//! write, no half-done rename).

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsWrite};

use super::db::Db;
use super::node::to_ns;
use super::resolve::NodeGraph;
use super::streams::WriteStream;
use super::{err, SqliteBackend};

/// The file `path` names for writing (following symlinks, so writing through a dangling symlink
/// creates its target, as `open(O_CREAT)` does), created empty if missing. Returns its inode
/// and size.
fn file_for_writing(
    db: &Db<'_>,
    path: &Path,
    now: SystemTime,
    operation: &'static str,
) -> Result<(u64, u64), FsError> {
    let found = db.resolve(path, true, operation)?;
    match found.node {
        Some((_, FileType::Directory)) => Err(err::is_dir(path, operation)),
        Some((ino, _)) => Ok((ino, db.node(ino, operation)?.size)),
        None if found.trailing_slash => Err(err::is_dir(path, operation)),
        None => {
            let (parent, name) = found
                .parent
                .ok_or_else(|| err::not_found(path, operation))?;
            let ino = db.create(
                parent,
                &name,
                FileType::File,
                0o644,
                None,
                now,
                path,
                operation,
            )?;
            Ok((ino, 0))
        }
    }
}

impl FsWrite for SqliteBackend {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        const OP: &str = "write";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = file_for_writing(&db, path, now, OP)?;
            let size = db.replace_chunks(ino, data, path, OP)?;
            db.set_size(ino, size, to_ns(now), OP)
        })
    }

    /// Touches only the last chunk (patched) and the new ones.
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        const OP: &str = "append";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, size) = file_for_writing(&db, path, now, OP)?;
            let new = db.write_chunks(ino, size, size, data, path, OP)?;
            db.set_size(ino, new, to_ns(now), OP)
        })
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_file";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let found = db.resolve_entry(path, OP)?;
            found.require_dir(path, OP)?;
            match (found.node, found.parent) {
                (None, _) => Err(err::not_found(path, OP)),
                (Some((_, FileType::Directory)), _) | (_, None) => Err(err::is_dir(path, OP)),
                (Some((ino, _)), Some((parent, name))) => {
                    db.check_entry(parent, &name, ino, OP)?;
                    db.unlink(parent, &name, now, OP)
                }
            }
        })
    }

    /// One transaction: the replaced destination (if any) and the move commit together.
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "rename";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let Some(m) = db.plan_rename(from, to, OP)? else {
                return Ok(());
            };
            db.move_entry(
                m.src_dir,
                &m.src_name,
                m.dst_dir,
                &m.dst_name,
                m.replace,
                now,
                OP,
            )
        })
    }

    /// Follows a source symlink (like `std::fs::copy`), copies content and permission bits.
    /// The chunks are copied inside SQLite by one `INSERT … SELECT`.
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "copy";
        let now = SystemTime::now();
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (src, ty) = db.existing(from, true, OP)?;
            if ty != FileType::File {
                return Err(err::is_dir(from, OP));
            }
            let source = db.node(src, OP)?;
            let (dst, _) = file_for_writing(&db, to, now, OP)?;
            if dst == src {
                // Copying a file onto itself keeps it intact rather than truncating it first.
                return Ok(());
            }
            db.copy_chunks(src, dst, OP)?;
            let now = to_ns(now);
            db.set_size(dst, source.size, now, OP)?;
            conn.prepare_cached("UPDATE inodes SET mode = ?2 WHERE ino = ?1")
                .and_then(|mut s| s.execute(rusqlite::params![dst as i64, source.mode]))
                .map_err(|e| err::sql(OP, e))?;
            Ok(())
        })
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        const OP: &str = "truncate";
        if size > super::content::MAX_FILE_SIZE {
            return Err(err::too_big(path, size, super::content::MAX_FILE_SIZE));
        }
        let now = to_ns(SystemTime::now());
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, ty) = db.existing(path, true, OP)?;
            if ty == FileType::Directory {
                return Err(err::is_dir(path, OP));
            }
            let old = db.node(ino, OP)?.size;
            db.cut_chunks(ino, old, size, OP)?;
            db.set_size(ino, size, now, OP)
        })
    }

    /// A writer that buffers up to one chunk and stores whole chunks, each in its own
    /// transaction; `flush` (or drop) stores the rest.
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        Ok(Box::new(WriteStream::open(self.inner.clone(), path)?))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        const OP: &str = "set_times";
        let now = to_ns(SystemTime::now());
        self.inner.conns.write(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = db.existing(path, true, OP)?;
            let mut stmt = conn
                .prepare_cached(
                    "UPDATE inodes SET atime = coalesce(?2, atime), mtime = coalesce(?3, mtime),
                     ctime = ?4 WHERE ino = ?1",
                )
                .map_err(|e| err::sql(OP, e))?;
            stmt.execute(rusqlite::params![
                ino as i64,
                accessed.map(to_ns),
                modified.map(to_ns),
                now
            ])
            .map_err(|e| err::sql(OP, e))?;
            Ok(())
        })
    }
}
