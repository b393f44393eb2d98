//! The open-handle table: each [`Handle`] is a real host file, read and written with
//! `pread`/`pwrite`, locked with `flock`.

use std::collections::HashMap;
use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyfs_backend::{FsError, Handle, LockType, OpenFlags};
use parking_lot::Mutex;

use super::error;

/// One open file.
#[derive(Debug)]
pub(crate) struct OpenFile {
    /// The host file (its descriptor is this handle's open file description).
    pub file: File,
    /// The flags it was opened with (checked before every read or write).
    pub flags: OpenFlags,
    /// The `flock` lock this handle holds, so a failed conversion can restore it.
    pub lock: Mutex<Option<LockType>>,
}

/// Handle numbers to open files.
///
/// A lookup clones the file's `Arc` and releases the table at once, so a thread blocked in a
/// read, a write or a `flock` never holds the table, and `close` during such a call only
/// drops the table's reference (the descriptor closes when the call finishes).
#[derive(Debug)]
pub(crate) struct Handles {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<OpenFile>>>,
}

impl Default for Handles {
    fn default() -> Self {
        Handles {
            next: AtomicU64::new(1),
            open: Mutex::new(HashMap::new()),
        }
    }
}

impl Handles {
    /// Registers an open file; returns its new handle.
    pub(crate) fn insert(&self, file: File, flags: OpenFlags) -> Handle {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let open = Arc::new(OpenFile {
            file,
            flags,
            lock: Mutex::new(None),
        });
        self.open.lock().insert(id, open);
        Handle(id)
    }

    /// The open file behind `handle`.
    pub(crate) fn get(
        &self,
        handle: Handle,
        operation: &'static str,
    ) -> Result<Arc<OpenFile>, FsError> {
        self.open
            .lock()
            .get(&handle.0)
            .cloned()
            .ok_or_else(|| error::bad_handle(handle.0, operation))
    }

    /// Forgets `handle`; its descriptor (and so its lock) goes when the last user drops it.
    pub(crate) fn remove(&self, handle: Handle, operation: &'static str) -> Result<(), FsError> {
        self.open
            .lock()
            .remove(&handle.0)
            .map(drop)
            .ok_or_else(|| error::bad_handle(handle.0, operation))
    }
}
