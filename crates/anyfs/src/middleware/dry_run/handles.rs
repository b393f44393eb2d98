//! Recorded handles: what `open` with a writing flag returns under a `DryRun`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use anyfs_backend::{FsError, Handle, OpenFlags};
use parking_lot::Mutex;

/// Recorded handles have this bit set; inner handles must not. Bit 52, not 63, so every handle
/// stays an exact JS number (below 2^53) and the Node binding can hand it out.
pub(super) const RECORDED: u64 = 1 << 52;

/// One recorded handle.
#[derive(Debug, Clone)]
pub(super) struct Recorded {
    /// The path it was opened on.
    pub path: PathBuf,
    /// The flags it was opened with.
    pub flags: OpenFlags,
    /// A read-only inner handle on the existing file, for `read_at` and locks.
    pub inner: Option<Handle>,
}

/// The recorded handles of one `DryRun` (shared by its clones).
#[derive(Debug, Default)]
pub(super) struct HandleTable {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Recorded>>,
}

impl HandleTable {
    /// Registers a recorded handle and returns its number.
    pub(super) fn insert(&self, recorded: Recorded) -> Handle {
        let n = self.next.fetch_add(1, Ordering::Relaxed) | RECORDED;
        self.open.lock().insert(n, recorded);
        Handle(n)
    }

    /// The recorded handle `handle`, or `InvalidHandle`.
    pub(super) fn get(&self, handle: Handle, operation: &'static str) -> Result<Recorded, FsError> {
        self.open
            .lock()
            .get(&handle.raw())
            .cloned()
            .ok_or(FsError::InvalidHandle {
                handle: handle.raw(),
                operation,
            })
    }

    /// Forgets a recorded handle, returning it, or `InvalidHandle`.
    pub(super) fn remove(&self, handle: Handle) -> Result<Recorded, FsError> {
        self.open
            .lock()
            .remove(&handle.raw())
            .ok_or(FsError::InvalidHandle {
                handle: handle.raw(),
                operation: "close",
            })
    }
}

/// True for handles this layer made.
pub(super) fn is_recorded(handle: Handle) -> bool {
    handle.raw() & RECORDED != 0
}
