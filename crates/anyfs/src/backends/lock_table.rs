//! The advisory lock table the in-process backends share: whole-file, `flock(2)`-style locks
//! owned by a handle, shared or exclusive per inode, released by `unlock` or `close`.
//!
//! It has its own mutex and condition variable, apart from the backend's storage, so a thread
//! waiting for a lock holds nothing else. Lock order: a backend may hold its storage (inode
//! table, database connection) while calling into this table, never the reverse.
//!
//! Cost: `register`, `unregister`, `try_lock` and `unlock` are O(1); `lock` waits while a
//! conflicting lock is held.

use anyfs_backend::{FsError, LockType};
use parking_lot::{Condvar, Mutex};
use rustc_hash::FxHashMap;

/// Who holds what, per handle and per inode.
#[derive(Debug, Default)]
struct State {
    /// Every open handle: its inode and the lock it holds.
    handles: FxHashMap<u64, Holder>,
    /// Per locked inode: how many shared holders, whether one exclusive holder.
    inodes: FxHashMap<u64, Held>,
}

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

impl State {
    fn holder(&self, handle: u64, operation: &'static str) -> Result<Holder, FsError> {
        self.handles
            .get(&handle)
            .copied()
            .ok_or(FsError::InvalidHandle { handle, operation })
    }

    /// Could `handle` take `lock` now, ignoring the lock it already holds?
    fn grantable(&self, handle: u64, lock: LockType) -> bool {
        let Some(holder) = self.handles.get(&handle) else {
            return false;
        };
        let mut held = self.inodes.get(&holder.ino).copied().unwrap_or_default();
        match holder.lock {
            Some(LockType::Shared) => held.shared = held.shared.saturating_sub(1),
            Some(LockType::Exclusive) => held.exclusive = false,
            None => {}
        }
        match lock {
            LockType::Shared => !held.exclusive,
            LockType::Exclusive => !held.exclusive && held.shared == 0,
        }
    }

    /// Sets the handle's lock to `lock` (`None` releases). Returns whether anything was
    /// released, so waiters must be woken.
    fn set(&mut self, handle: u64, lock: Option<LockType>) -> bool {
        let Some(holder) = self.handles.get_mut(&handle) else {
            return false;
        };
        let old = std::mem::replace(&mut holder.lock, lock);
        let ino = holder.ino;
        let held = self.inodes.entry(ino).or_default();
        match old {
            Some(LockType::Shared) => held.shared = held.shared.saturating_sub(1),
            Some(LockType::Exclusive) => held.exclusive = false,
            None => {}
        }
        match lock {
            Some(LockType::Shared) => held.shared = held.shared.saturating_add(1),
            Some(LockType::Exclusive) => held.exclusive = true,
            None => {}
        }
        if held.shared == 0 && !held.exclusive {
            self.inodes.remove(&ino);
        }
        old.is_some() && old != lock
    }
}

/// The lock table of one backend (shared by its clones).
#[derive(Debug, Default)]
pub(crate) struct LockTable {
    state: Mutex<State>,
    released: Condvar,
}

impl LockTable {
    /// Makes a newly opened handle known (it holds no lock yet).
    pub(crate) fn register(&self, handle: u64, ino: u64) {
        self.state
            .lock()
            .handles
            .insert(handle, Holder { ino, lock: None });
    }

    /// Forgets a closed handle, releasing its lock and waking waiters (including a thread
    /// waiting on this very handle, which then gets `InvalidHandle`).
    pub(crate) fn unregister(&self, handle: u64) {
        let mut state = self.state.lock();
        state.set(handle, None);
        state.handles.remove(&handle);
        drop(state);
        self.released.notify_all();
    }

    /// Blocks until the lock is granted. Converting an existing lock first drops it (as
    /// `flock(2)` does), so two shared holders upgrading at once cannot deadlock each other.
    pub(crate) fn lock(&self, handle: u64, lock: LockType) -> Result<(), FsError> {
        const OP: &str = "lock";
        let mut state = self.state.lock();
        let holder = state.holder(handle, OP)?;
        if holder.lock == Some(lock) {
            return Ok(());
        }
        if state.set(handle, None) {
            self.released.notify_all();
        }
        loop {
            // The handle may be closed by another thread while this one waits.
            state.holder(handle, OP)?;
            if state.grantable(handle, lock) {
                state.set(handle, Some(lock));
                return Ok(());
            }
            self.released.wait(&mut state);
        }
    }

    /// Grants the lock if it is free now. On conflict the handle keeps the lock it had.
    pub(crate) fn try_lock(&self, handle: u64, lock: LockType) -> Result<bool, FsError> {
        let mut state = self.state.lock();
        state.holder(handle, "try_lock")?;
        if !state.grantable(handle, lock) {
            return Ok(false);
        }
        // A downgrade (exclusive to shared) lets shared waiters in.
        if state.set(handle, Some(lock)) {
            drop(state);
            self.released.notify_all();
        }
        Ok(true)
    }

    /// Releases the handle's lock, if any.
    pub(crate) fn unlock(&self, handle: u64) -> Result<(), FsError> {
        let mut state = self.state.lock();
        state.holder(handle, "unlock")?;
        if state.set(handle, None) {
            drop(state);
            self.released.notify_all();
        }
        Ok(())
    }
}
