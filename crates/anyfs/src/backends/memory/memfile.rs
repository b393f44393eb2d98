//! [`MemFile`]: a memfd mapped shared into this process, the storage of large file contents
//! (Linux only; `content.rs` says when it is used and why).
//!
//! Thread safety: the mapping is written only by the holder of `&mut Content` whose `Arc` to
//! this value is the only one (checked with `Arc::get_mut`), that is under the inode table's
//! write lock with no reader holding a [`SharedContent`](anyfs_backend::SharedContent) of it;
//! everyone else only reads. Cost: creating one is three system calls (memfd_create, ftruncate,
//! mmap) plus an optional prefault (O(pages)); growing one is two (ftruncate, mremap: no copy);
//! dropping one is two (munmap, close).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use rustix::fs::{ftruncate, memfd_create, MemfdFlags};
use rustix::mm::{madvise, mmap, mremap, munmap, Advice, MapFlags, MremapFlags, ProtFlags};

/// Memfds alive in this process (every backend's).
static LIVE: Count = Count(AtomicUsize::new(0));

/// A count held within a limit.
struct Count(AtomicUsize);

impl Count {
    /// Counts one more; `false` (nothing counted) when `limit` are already counted.
    fn take(&self, limit: usize) -> bool {
        if self.0.fetch_add(1, Ordering::Relaxed) < limit {
            return true;
        }
        self.0.fetch_sub(1, Ordering::Relaxed);
        false
    }

    fn give_back(&self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How many memfds the process may hold: a quarter of its open-file limit (at most 16 384), so
/// large files never take the descriptors the rest of the program needs (sockets, files);
/// past it, files stay in vectors.
fn fd_budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        limit.map_or(16_384, |n| {
            usize::try_from(n / 4).unwrap_or(16_384).min(16_384)
        })
    })
}

/// A memfd of `cap` bytes, mapped read-write and shared at `ptr`.
pub(super) struct MemFile {
    fd: OwnedFd,
    ptr: NonNull<u8>,
    cap: usize,
}

// SAFETY: the mapping is plain memory owned by this value; the module docs state who may write
// it (the unique owner, under the table's write lock), so sharing references across threads
// only ever shares reads.
unsafe impl Send for MemFile {}
// SAFETY: as above.
unsafe impl Sync for MemFile {}

impl MemFile {
    /// A new zero-filled memfd of `cap` bytes (at least one), mapped shared; `None` if the
    /// process holds its budget of memfds ([`fd_budget`]) or the system refuses any step (the
    /// caller falls back to heap memory).
    pub fn create(cap: usize) -> Option<MemFile> {
        if !LIVE.take(fd_budget()) {
            return None;
        }
        let made = Self::create_counted(cap);
        if made.is_none() {
            LIVE.give_back();
        }
        made
    }

    fn create_counted(cap: usize) -> Option<MemFile> {
        let cap = cap.max(1);
        let fd = memfd_create("anyfs-file", MemfdFlags::CLOEXEC).ok()?;
        ftruncate(&fd, cap as u64).ok()?;
        // SAFETY: a fresh mapping chosen by the kernel (no fixed address), of a file exactly
        // `cap` bytes long, so every mapped byte is backed; it is unmapped only in `drop`.
        let ptr = unsafe {
            mmap(
                std::ptr::null_mut(),
                cap,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::SHARED,
                &fd,
                0,
            )
        }
        .ok()?;
        let ptr = NonNull::new(ptr.cast::<u8>())?;
        Some(MemFile { fd, ptr, cap })
    }

    /// The mapping's size (the memfd's; it only grows, through [`grow`](MemFile::grow)).
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Grows the memfd and its mapping to `cap` bytes without copying (the kernel moves the
    /// mapping if it must); `false`, with nothing changed, if the system refuses. Only the
    /// unique owner may call it (`&mut self`): growing never changes the bytes below the old
    /// size, but the mapping may move.
    pub fn grow(&mut self, cap: usize) -> bool {
        if cap <= self.cap {
            return true;
        }
        if ftruncate(&self.fd, cap as u64).is_err() {
            return false;
        }
        // SAFETY: our own mapping of `self.cap` bytes, with no reference into it alive (we hold
        // `&mut self`); the file now backs `cap` bytes, so the grown mapping is fully backed.
        match unsafe {
            mremap(
                self.ptr.as_ptr().cast(),
                self.cap,
                cap,
                MremapFlags::MAYMOVE,
            )
        } {
            Ok(moved) => match NonNull::new(moved.cast::<u8>()) {
                Some(ptr) => {
                    self.ptr = ptr;
                    self.cap = cap;
                    true
                }
                None => false,
            },
            Err(_) => {
                // The old mapping is intact; give the file back its size.
                let _ = ftruncate(&self.fd, self.cap as u64);
                false
            }
        }
    }

    /// All `cap` bytes, readable.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `cap` bytes of a file at least that long for as long as `self`
        // lives; writers need `&mut self` (see the module docs).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.cap) }
    }

    /// All `cap` bytes, writable (only through the unique owner).
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` is the only access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.cap) }
    }

    /// Backs `from..to` (whole pages inside it) with memory now, in one system call instead of
    /// a page fault per 4 KiB during the copy that follows (`prefault.rs` says why). `false`
    /// when the system has no memory for them, so the caller can refuse the write with
    /// `ENOSPC` instead of the process taking a fault it cannot serve; an older kernel without
    /// `MADV_POPULATE_WRITE` counts as success (the copy faults the pages in).
    pub fn populate(&mut self, from: usize, to: usize) -> bool {
        let page = rustix::param::page_size();
        let start = from.div_ceil(page) * page;
        let end = to.min(self.cap) / page * page;
        if end <= start || end - start < super::prefault::MIN_PREFAULT {
            return true;
        }
        // SAFETY: whole pages inside this mapping; populating changes no byte (holes read as
        // zero before and after) and does not move or unmap anything.
        let done = unsafe {
            madvise(
                self.ptr.as_ptr().add(start).cast(),
                end - start,
                Advice::LinuxPopulateWrite,
            )
        };
        !matches!(done, Err(rustix::io::Errno::NOMEM))
    }
}

impl AsFd for MemFile {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl Drop for MemFile {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `create`, unmapped once; no borrow of it outlives `self`.
        let _ = unsafe { munmap(self.ptr.as_ptr().cast(), self.cap) };
        LIVE.give_back();
    }
}

impl std::fmt::Debug for MemFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemFile").field("cap", &self.cap).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descriptor_budget_is_a_share_of_the_open_file_limit() {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        let budget = fd_budget();
        assert!((1..=16_384).contains(&budget));
        if let Some(n) = limit {
            assert!(
                budget as u64 <= n / 4 + 1,
                "budget {budget} of a limit of {n}"
            );
        }
    }

    #[test]
    fn a_count_refuses_past_its_limit_until_one_is_given_back() {
        let count = Count(AtomicUsize::new(0));
        assert!(count.take(2));
        assert!(count.take(2));
        assert!(!count.take(2), "a third past a limit of two");
        count.give_back();
        assert!(count.take(2));
        assert_eq!(count.0.load(Ordering::Relaxed), 2);
    }
}
