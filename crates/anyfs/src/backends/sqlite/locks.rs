//! Advisory whole-file locks, `flock(2)`-style: owned by a handle, shared or exclusive per
//! inode, released by `unlock` or `close`.
//!
//! Locks are state of this process (of this `SqliteBackend` and its clones), like its handles:
//! they are not stored in the database, so two processes (or two separately opened backends)
//! on one database file do not see each other's locks. The table has its own mutex and
//! condition variable, apart from the database connections: a thread waiting for a lock holds
//! no connection. Lock order: a connection may be held while taking this mutex (open
//! registers handles here), never the reverse.

use std::collections::HashMap;

use anyfs_backend::{FsError, FsLock, Handle, LockType};
use parking_lot::{Condvar, Mutex};

use super::err;
use super::SqliteBackend;

#[derive(Debug, Clone, Copy)]
struct Holder {
    ino: u64,
    lock: Option<LockType>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Held {
    shared: u32,
    exclusive: bool,
}

impl Held {
    fn without(mut self, lock: Option<LockType>) -> Self {
        match lock {
            Some(LockType::Shared) => self.shared = self.shared.saturating_sub(1),
            Some(LockType::Exclusive) => self.exclusive = false,
            None => {}
        }
        self
    }
}

/// Who holds what, per handle and per inode.
#[derive(Debug, Default)]
struct State {
    handles: HashMap<u64, Holder>,
    inodes: HashMap<u64, Held>,
}

impl State {
    fn holder(&self, handle: u64, operation: &'static str) -> Result<Holder, FsError> {
        self.handles
            .get(&handle)
            .copied()
            .ok_or_else(|| err::bad_handle(handle, operation))
    }

    /// Could `handle` take `lock` now, ignoring the lock it already holds?
    fn grantable(&self, holder: Holder, lock: LockType) -> bool {
        let held = self
            .inodes
            .get(&holder.ino)
            .copied()
            .unwrap_or_default()
            .without(holder.lock);
        match lock {
            LockType::Shared => !held.exclusive,
            LockType::Exclusive => !held.exclusive && held.shared == 0,
        }
    }

    /// Sets the handle's lock (`None` releases); true when something was released, so
    /// waiters must be woken.
    fn set(&mut self, handle: u64, lock: Option<LockType>) -> bool {
        let Some(holder) = self.handles.get_mut(&handle) else {
            return false;
        };
        let old = std::mem::replace(&mut holder.lock, lock);
        let ino = holder.ino;
        let mut held = self
            .inodes
            .get(&ino)
            .copied()
            .unwrap_or_default()
            .without(old);
        match lock {
            Some(LockType::Shared) => held.shared = held.shared.saturating_add(1),
            Some(LockType::Exclusive) => held.exclusive = true,
            None => {}
        }
        if held.shared == 0 && !held.exclusive {
            self.inodes.remove(&ino);
        } else {
            self.inodes.insert(ino, held);
        }
        old.is_some() && old != lock
    }
}

/// The lock table of one backend.
#[derive(Debug, Default)]
pub(super) struct LockTable {
    state: Mutex<State>,
    released: Condvar,
}

impl LockTable {
    /// Makes a newly opened handle known (it holds no lock yet).
    pub fn register(&self, handle: u64, ino: u64) {
        self.state
            .lock()
            .handles
            .insert(handle, Holder { ino, lock: None });
    }

    /// Forgets a closed handle, releasing its lock and waking waiters (a thread waiting on
    /// this very handle then gets `InvalidHandle`).
    pub fn unregister(&self, handle: u64) {
        let mut state = self.state.lock();
        state.set(handle, None);
        state.handles.remove(&handle);
        drop(state);
        self.released.notify_all();
    }

    /// Blocks until the lock is granted. Converting a lock first drops it, as `flock(2)`
    /// does, so two shared holders upgrading at once cannot deadlock each other.
    fn lock(&self, handle: u64, lock: LockType) -> Result<(), FsError> {
        const OP: &str = "lock";
        let mut state = self.state.lock();
        if state.holder(handle, OP)?.lock == Some(lock) {
            return Ok(());
        }
        if state.set(handle, None) {
            self.released.notify_all();
        }
        loop {
            let holder = state.holder(handle, OP)?;
            if state.grantable(holder, lock) {
                state.set(handle, Some(lock));
                return Ok(());
            }
            self.released.wait(&mut state);
        }
    }

    /// Grants the lock if it is free now; on conflict the handle keeps the lock it had.
    fn try_lock(&self, handle: u64, lock: LockType) -> Result<bool, FsError> {
        let mut state = self.state.lock();
        let holder = state.holder(handle, "try_lock")?;
        if !state.grantable(holder, lock) {
            return Ok(false);
        }
        if state.set(handle, Some(lock)) {
            drop(state);
            self.released.notify_all();
        }
        Ok(true)
    }

    fn unlock(&self, handle: u64) -> Result<(), FsError> {
        let mut state = self.state.lock();
        state.holder(handle, "unlock")?;
        if state.set(handle, None) {
            drop(state);
            self.released.notify_all();
        }
        Ok(())
    }
}

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
