//! Open file handles with positional I/O ([`FsHandles`]). Handles are this process's state:
//! a table from handle number to inode, and a count of open handles per inode. The count keeps
//! an inode alive after its last name is removed (POSIX unlink-while-open): the unlinking
//! transaction records it in the `orphans` table instead of freeing it, and the last close
//! frees it. Another process does not see these counts (see the module docs).

use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsHandles, Handle, OpenFlags};
use parking_lot::Mutex;
use rusqlite::params;

use super::db::Db;
use super::err::{self, SqlResult};
use super::node::{int, to_ns};
use super::resolve::NodeGraph;
use super::{Inner, SqliteBackend};

/// Open handles per inode, in this process. Shared with the writer connection's
/// `anyfs_is_open(ino)` SQL function.
#[derive(Debug, Default)]
pub(super) struct OpenInodes(Mutex<HashMap<u64, u32>>);

impl OpenInodes {
    pub fn is_open(&self, ino: u64) -> bool {
        self.0.lock().contains_key(&ino)
    }

    fn add(&self, ino: u64) {
        *self.0.lock().entry(ino).or_insert(0) += 1;
    }

    /// Drops one handle of `ino`; true when it was the last.
    fn remove(&self, ino: u64) -> bool {
        let mut open = self.0.lock();
        match open.get_mut(&ino) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                open.remove(&ino);
                true
            }
            None => false,
        }
    }
}

/// An open handle: the inode it names and how it was opened.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenFile {
    pub ino: u64,
    pub flags: OpenFlags,
}

impl OpenFile {
    /// `O_RDONLY` is zero in POSIX: a handle opened with no access flag may read.
    fn can_read(&self) -> bool {
        self.flags.readable() || !self.flags.writable()
    }
}

/// Handle number to open file; numbers are never reused.
#[derive(Debug)]
pub(super) struct HandleTable {
    files: Mutex<HashMap<u64, OpenFile>>,
    next: AtomicU64,
}

impl Default for HandleTable {
    fn default() -> Self {
        HandleTable {
            files: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
        }
    }
}

impl HandleTable {
    pub fn len(&self) -> usize {
        self.files.lock().len()
    }

    fn get(&self, handle: u64, operation: &'static str) -> Result<OpenFile, FsError> {
        self.files
            .lock()
            .get(&handle)
            .copied()
            .ok_or_else(|| err::bad_handle(handle, operation))
    }
}

impl Inner {
    /// Registers a handle of `ino` (counting it as open).
    fn register(&self, ino: u64, flags: OpenFlags) -> u64 {
        self.open.add(ino);
        let handle = self.handles.next.fetch_add(1, Ordering::Relaxed);
        self.handles
            .files
            .lock()
            .insert(handle, OpenFile { ino, flags });
        self.locks.register(handle, ino);
        handle
    }

    /// Forgets a handle; frees its inode if it was the last handle of an orphan.
    fn unregister(&self, handle: u64, operation: &'static str) -> Result<OpenFile, FsError> {
        let open = self
            .handles
            .files
            .lock()
            .remove(&handle)
            .ok_or_else(|| err::bad_handle(handle, operation))?;
        self.locks.unregister(handle);
        if self.open.remove(open.ino) && self.is_orphan(open.ino, operation)? {
            self.conns.write(operation, |conn| {
                let mut stmt = conn
                    .prepare_cached(
                        "DELETE FROM inodes WHERE ino = ?1 AND nlink <= 0 AND NOT anyfs_is_open(?1)",
                    )
                    .op(operation)?;
                stmt.execute([int(open.ino)]).op(operation)?;
                Ok(())
            })?;
        }
        Ok(open)
    }

    /// Whether `ino` has lost all its names (a cheap read before the write that frees it).
    fn is_orphan(&self, ino: u64, operation: &'static str) -> Result<bool, FsError> {
        self.conns.read(operation, |conn| {
            Ok(Db::new(conn, self)
                .inode(ino, operation)?
                .is_some_and(|node| node.nlink == 0))
        })
    }

    /// `open(2)`: resolves (following a final symlink unless `CREATE | EXCLUSIVE`), creates or
    /// truncates as the flags say, and registers a handle. Opens that change nothing run in a
    /// read transaction, so they do not queue behind writers.
    pub(super) fn open(
        &self,
        path: &Path,
        flags: OpenFlags,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        let create = flags.contains(OpenFlags::CREATE);
        let exclusive = create && flags.contains(OpenFlags::EXCLUSIVE);
        let truncate = flags.contains(OpenFlags::TRUNCATE);
        if !create && !truncate {
            let (ino, ty) = self.conns.read(operation, |conn| {
                Db::new(conn, self).existing(path, true, operation)
            })?;
            if ty == FileType::Directory {
                return Err(err::is_dir(path, operation));
            }
            let handle = self.register(ino, flags);
            // A writer may have freed the inode between the walk and the registration; once
            // registered, it can only be orphaned, never freed.
            let alive = self.conns.read(operation, |conn| {
                Ok(Db::new(conn, self).inode(ino, operation)?.is_some())
            });
            if !matches!(alive, Ok(true)) {
                let _ = self.unregister(handle, operation);
                return Err(alive
                    .err()
                    .unwrap_or_else(|| err::not_found(path, operation)));
            }
            return Ok(handle);
        }
        let now = SystemTime::now();
        let registered = Cell::new(None);
        let result = self.conns.write(operation, |conn| {
            let db = Db::new(conn, self);
            // O_EXCL: any existing name fails, even a dangling symlink.
            let found = db.resolve(path, !exclusive, operation)?;
            let ino = match found.node {
                Some(_) if exclusive => return Err(err::exists(path, operation)),
                Some((_, FileType::Directory)) => return Err(err::is_dir(path, operation)),
                Some((ino, _)) => {
                    if truncate {
                        let old = db.node(ino, operation)?.size;
                        db.cut_chunks(ino, old, 0, operation)?;
                        db.set_size(ino, 0, to_ns(now), operation)?;
                    }
                    ino
                }
                None if !create => return Err(err::not_found(path, operation)),
                None if found.trailing_slash => return Err(err::is_dir(path, operation)),
                None => {
                    let (parent, name) = found
                        .parent
                        .ok_or_else(|| err::not_found(path, operation))?;
                    db.create(
                        parent,
                        &name,
                        FileType::File,
                        0o644,
                        None,
                        now,
                        path,
                        operation,
                    )?
                }
            };
            // Registered while this transaction holds the writer, so no other writer can free
            // the inode before the handle counts; undone below if the commit fails.
            let handle = self.register(ino, flags);
            registered.set(Some(handle));
            Ok(handle)
        });
        if result.is_err() {
            if let Some(handle) = registered.get() {
                let _ = self.unregister(handle, operation);
            }
        }
        result
    }

    pub(super) fn read_at(
        &self,
        handle: u64,
        buf: &mut [u8],
        offset: u64,
        operation: &'static str,
    ) -> Result<usize, FsError> {
        let open = self.handles.get(handle, operation)?;
        if !open.can_read() {
            return Err(FsError::HandleAccess {
                handle,
                operation,
                access: "reading",
            });
        }
        self.conns.read(operation, |conn| {
            let db = Db::new(conn, self);
            let size = db
                .inode(open.ino, operation)?
                .ok_or_else(|| err::unknown_inode(open.ino, operation))?
                .size;
            db.read_into(open.ino, size, offset, buf, operation)
        })
    }

    pub(super) fn write_at(
        &self,
        handle: u64,
        data: &[u8],
        offset: u64,
        operation: &'static str,
    ) -> Result<usize, FsError> {
        let open = self.handles.get(handle, operation)?;
        if !open.flags.writable() {
            return Err(FsError::HandleAccess {
                handle,
                operation,
                access: "writing",
            });
        }
        let now = to_ns(SystemTime::now());
        self.conns.write(operation, |conn| {
            let db = Db::new(conn, self);
            let size = db
                .inode(open.ino, operation)?
                .ok_or_else(|| err::unknown_inode(open.ino, operation))?
                .size;
            let at = if open.flags.contains(OpenFlags::APPEND) {
                size
            } else {
                offset
            };
            let path = Path::new("<handle>");
            let new = db.write_chunks(open.ino, size, at, data, path, operation)?;
            db.set_size(open.ino, new, now, operation)
        })?;
        Ok(data.len())
    }

    pub(super) fn close(&self, handle: u64, operation: &'static str) -> Result<(), FsError> {
        self.unregister(handle, operation).map(drop)
    }

    /// Frees the orphans this backend left (dropped with handles still open). Best effort: the
    /// next open of the database also collects orphans of processes that are gone.
    pub(super) fn free_own_orphans(&self) {
        let _ = self.conns.write("close", |conn| {
            conn.execute(
                "DELETE FROM inodes WHERE ino IN (SELECT ino FROM orphans WHERE token = ?1)",
                params![self.token],
            )
            .op("close")
        });
    }
}

impl FsHandles for SqliteBackend {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        self.inner.open(path, flags, "open").map(Handle)
    }

    /// One read transaction over the chunks the range covers.
    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle.0, buf, offset, "read_at")
    }

    /// One write transaction touching only the chunks the range covers.
    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        self.inner.write_at(handle.0, data, offset, "write_at")
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.inner.close(handle.0, "close")
    }
}
