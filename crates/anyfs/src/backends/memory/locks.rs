//! Advisory whole-file locks, `flock(2)`-style: owned by a handle, shared or exclusive per
//! inode, released by `unlock` or `close`.
//!
//! The table has its own mutex and condition variable, apart from the inode table's `RwLock`,
//! so a thread waiting for a lock never holds the inode table. Lock order: the inode table may
//! be held while taking this mutex (open and close register handles here), never the reverse.

use anyfs_backend::{FsError, FsLock, Handle, LockType};

pub(super) use crate::backends::lock_table::LockTable;

use super::MemoryBackend;

/// Locks are `flock(2)`-style: they belong to a handle, and two handles of the same thread
/// conflict like any others. A thread that blocks in [`lock`](FsLock::lock) on a lock held
/// through another of its own handles therefore waits forever, as with `flock`; use
/// [`try_lock`](FsLock::try_lock) where that can happen.
impl FsLock for MemoryBackend {
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
