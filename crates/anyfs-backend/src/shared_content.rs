//! [`SharedContent`]: a file's bytes kept in a file descriptor the backend promises not to
//! change, so a reader can map them instead of copying them.
//!
//! Why: a whole-file read of a large file is bounded by the copy out of the backend. A backend
//! that keeps large files in memory-backed file descriptors (MemoryBackend keeps them in memfds
//! on Linux) can hand a reader the descriptor instead; the reader maps it privately
//! (`MAP_PRIVATE`), so its own writes to the mapping stay its own, and the backend never writes
//! those bytes again while any [`SharedContent`] of them lives (it moves the file to new storage
//! first, copy-on-write).

#[cfg(unix)]
use std::os::fd::{AsFd, BorrowedFd};
#[cfg(unix)]
use std::sync::Arc;

/// The first [`len`](SharedContent::len) bytes of a file descriptor, unchanged and never
/// shortened while this value or any clone of it lives (see the module docs).
///
/// Cloning is O(1) (a reference count). Thread safety: `Send + Sync`; the descriptor is only
/// read.
///
/// Off Unix it cannot be made: no backend offers it there.
#[derive(Clone)]
pub struct SharedContent {
    #[cfg(unix)]
    file: Arc<dyn AsFd + Send + Sync>,
    #[cfg(unix)]
    len: u64,
    #[cfg(not(unix))]
    never: std::convert::Infallible,
}

#[cfg(unix)]
impl SharedContent {
    /// The first `len` bytes of `file`, kept alive and unchanged by the returned value.
    ///
    /// # Safety
    ///
    /// While the returned value or any clone of it lives, nobody may write to the first `len`
    /// bytes of `file` or shorten it below `len`: readers map those bytes, and a shortened file
    /// turns their accesses into `SIGBUS`.
    pub unsafe fn new(file: Arc<dyn AsFd + Send + Sync>, len: u64) -> Self {
        SharedContent { file, len }
    }

    /// The descriptor holding the bytes (from offset 0).
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }

    /// How many bytes, from offset 0, are the file's content.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(not(unix))]
impl SharedContent {
    /// How many bytes are the file's content (never called: the value cannot exist here).
    pub fn len(&self) -> u64 {
        match self.never {}
    }

    /// Whether the content is empty (never called: the value cannot exist here).
    pub fn is_empty(&self) -> bool {
        match self.never {}
    }
}

impl std::fmt::Debug for SharedContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedContent")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}
