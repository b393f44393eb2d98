//! [`Reuse`]: memfds of freed large files, kept (bounded) for the next large file of the same
//! backend (Linux).
//!
//! Why: backing fresh memory costs more than copying into it. The kernel allocates and zeroes
//! every new page, and on a virtual machine each page may cost a host fault too. Writing a new
//! 64 MiB file measured no faster than node:fs on tmpfs, which pays the same. A memfd keeps its
//! pages when unmapped, so a freed file's memfd, handed to the next large file, has them ready.
//!
//! Bounds: at most [`REUSE_LIMIT`] bytes per backend, and a memfd is only reused for a file
//! needing at least a quarter of its size, so a small file never pins a huge one. The pages of
//! a reused memfd still hold the old file's bytes; `Content` never exposes bytes past its
//! length and zero-fills every gap it grows into, so they are never read. They stay within one
//! backend (one tenant): each backend, and each snapshot, has its own `Reuse`.
//!
//! Thread safety and cost: a mutex around a short list, taken to keep or take one memfd (O(list),
//! at most `REUSE_LIMIT / SHARED_MIN` entries). A memfd's last owner may drop it on any thread.

use std::os::fd::OwnedFd;
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

/// Bytes of freed memfds one backend keeps.
pub(super) const REUSE_LIMIT: usize = 256 << 20;

/// One backend's kept memfds (see the module docs).
#[derive(Debug, Default)]
pub(super) struct Reuse(Arc<Pool>);

#[derive(Debug, Default)]
pub(super) struct Pool {
    /// Kept memfds and their sizes; the sizes sum to at most [`REUSE_LIMIT`].
    kept: Mutex<Vec<(OwnedFd, usize)>>,
}

impl Clone for Reuse {
    /// A pool of its own: a snapshot is another backend.
    fn clone(&self) -> Self {
        Reuse::default()
    }
}

impl Reuse {
    /// Where a memfd made for this backend goes back to when freed.
    pub fn home(&self) -> Weak<Pool> {
        Arc::downgrade(&self.0)
    }

    /// A kept memfd of at least `min` bytes and at most four times that, and its size.
    pub fn take(&self, min: usize) -> Option<(OwnedFd, usize)> {
        let mut kept = self.0.kept.lock();
        let i = kept
            .iter()
            .position(|&(_, cap)| cap >= min && cap / 4 <= min)?;
        Some(kept.swap_remove(i))
    }
}

impl Pool {
    /// Keeps a freed memfd of `cap` bytes if the bound allows; otherwise it is closed.
    pub fn keep(&self, fd: OwnedFd, cap: usize) {
        let mut kept = self.kept.lock();
        let held: usize = kept.iter().map(|&(_, c)| c).sum();
        if held.saturating_add(cap) <= REUSE_LIMIT {
            kept.push((fd, cap));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use rustix::fs::{memfd_create, MemfdFlags};

    fn fd() -> OwnedFd {
        memfd_create("anyfs-test", MemfdFlags::CLOEXEC).unwrap()
    }

    #[test]
    fn keeps_at_most_the_limit_and_reuses_only_near_sizes() {
        let reuse = Reuse::default();
        let pool = reuse.home().upgrade().unwrap();
        let quarter = REUSE_LIMIT / 4;
        for _ in 0..6 {
            pool.keep(fd(), quarter);
        }
        let held: usize = pool.kept.lock().iter().map(|&(_, c)| c).sum();
        assert_eq!(held, REUSE_LIMIT, "kept past the limit");
        // Far too large for a small file; right for one of a quarter of its size or more.
        assert!(reuse.take(quarter / 5).is_none());
        assert_eq!(reuse.take(quarter / 4).map(|(_, c)| c), Some(quarter));
        assert_eq!(reuse.take(quarter).map(|(_, c)| c), Some(quarter));
        assert!(reuse.take(quarter + 1).is_none());
    }

    #[test]
    fn a_snapshot_has_a_pool_of_its_own() {
        let reuse = Reuse::default();
        reuse.home().upgrade().unwrap().keep(fd(), 1 << 20);
        assert!(reuse.clone().take(1 << 20).is_none());
        assert!(reuse.take(1 << 20).is_some());
    }
}
