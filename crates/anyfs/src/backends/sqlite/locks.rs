//! Advisory whole-file locks, `flock(2)`-style: owned by a handle, shared or exclusive per
//! inode, released by `unlock` or `close`.
//!
//! Locks are state of this process (of this `SqliteBackend` and its clones), like its handles:
//! they are not stored in the database, so two processes (or two separately opened backends)
//! on one database file do not see each other's locks. The table has its own mutex and
//! condition variable, apart from the database connections: a thread waiting for a lock holds
//! no connection. Lock order: a connection may be held while taking this mutex (open
//! registers handles here), never the reverse.

use anyfs_backend::{FsError, FsLock, Handle, LockType};

pub(super) use crate::backends::lock_table::LockTable;

use super::SqliteBackend;

/// Locks are `flock(2)`-style and per process: they belong to a handle, two handles of one
/// thread conflict like any others (a thread blocking in [`lock`](FsLock::lock) on a lock held
/// through another of its own handles waits forever, as with `flock`), and another process
/// using the same database file does not see them.
impl FsLock for SqliteBackend {
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        self.inner.locks.lock(handle.0, lock)
    }

    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        self.inner.locks.try_lock(handle.0, lock)
    }

    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        self.inner.locks.unlock(handle.0)
    }
}
