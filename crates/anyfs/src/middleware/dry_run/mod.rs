//! `DryRun`: records every mutating operation instead of executing it; reads see the inner
//! backend unchanged.
//!
//! ```
//! use std::path::Path;
//! use anyfs::middleware::dry_run::{DryRun, Operation};
//! use anyfs::{FsRead, FsWrite, MemoryBackend};
//!
//! let fs = DryRun::new(MemoryBackend::new());
//! fs.write(Path::new("/test.txt"), b"hello")?;              // recorded, not written
//! assert_eq!(fs.read(Path::new("/test.txt")).unwrap_err().code(), "ENOENT");
//! assert_eq!(
//!     fs.operations(),
//!     vec![Operation::Write { path: "/test.txt".into(), size: 5 }]
//! );
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it intercepts
//!
//! Every method that would change content, metadata, attributes or the namespace is recorded
//! as an [`Operation`] and answered `Ok` without reaching the inner backend: `write`, `append`,
//! `remove_file`, `rename`, `copy`, `truncate`, `open_write`, `set_times`, `create_dir`,
//! `create_dir_all`, `remove_dir`, `remove_dir_all`, `symlink`, `hard_link`,
//! `set_permissions`, `set_owner`, `set_xattr`, `remove_xattr`, `write_at` on a recorded handle,
//! and `open` with `WRITE`, `APPEND`, `CREATE` or `TRUNCATE`. The only check made first is path
//! validation (`EINVAL`/`ENAMETOOLONG` for a path no backend would accept, so the log never
//! holds one); whether the inner backend would have accepted the call is not predicted, since
//! that depends on the recorded operations that were not applied.
//!
//! Everything else is forwarded: reads, metadata, `read_dir`, `read_link`, inodes, `statfs`,
//! xattr reads, read-only `open`, `sync`/`fsync` (nothing was written, so they flush only what
//! the inner backend already had). So a write followed by a read returns the **old** content,
//! or `NotFound` for a file that was only "created".
//!
//! ## Streams and handles
//!
//! - `open_write` records [`Operation::OpenWrite`] and returns a stream that discards its bytes
//!   and keeps the operation's `size` up to date with what was written through it.
//! - `open` with a writing flag records [`Operation::Open`] and returns a *recorded handle*
//!   (numbers with bit 52 set): `write_at` on it records [`Operation::WriteAt`] and
//!   discards the data (answering the full length); `read_at` reads the inner file as it is
//!   (the old content, ignoring `TRUNCATE`; nothing for a file that does not exist); locks on it
//!   lock the inner file when it exists and succeed trivially otherwise; `close` forgets it.
//!   A handle opened read-only is the inner backend's own, forwarded untouched (inner handle
//!   numbers must stay below 2^52).
//!
//! # Thread safety
//!
//! `DryRun<B>` is `Send + Sync` when `B` is. The log is one mutex-protected queue shared by
//! clones and by every [`Recording`] taken from it; each record is one short critical section,
//! so concurrent writers are serialized only for that push. Recorded handles live in a second
//! small mutex-protected map.
//!
//! # Cost
//!
//! A recorded operation costs a path validation, a copy of its path(s) and a push: O(path
//! length), no inner call. A forwarded call costs nothing extra. The log grows by one entry per
//! mutation unless bounded ([`DryRun::with_max_operations`]), in which case the oldest entries
//! are dropped (counted by [`Recording::dropped`]).

mod handles;
mod impls;
mod log;
mod operation;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use anyfs_backend::{Fs, FsError, Layer};

use handles::HandleTable;
pub use log::Recording;
pub use operation::Operation;

/// Middleware that records mutations instead of executing them. See the
/// [module docs](self).
///
/// Cloning shares the log and the recorded handles.
#[derive(Clone)]
pub struct DryRun<B> {
    inner: B,
    recording: Recording,
    handles: Arc<HandleTable>,
}

impl<B: fmt::Debug> fmt::Debug for DryRun<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DryRun")
            .field("inner", &self.inner)
            .field("recording", &self.recording)
            .finish_non_exhaustive()
    }
}

impl<B> DryRun<B> {
    /// Wraps `inner` with an empty, unbounded log.
    pub fn new(inner: B) -> Self {
        DryRun::with_recording(inner, Recording::new())
    }

    /// Wraps `inner`, recording into `recording` (shared with whoever else holds it).
    pub fn with_recording(inner: B, recording: Recording) -> Self {
        DryRun {
            inner,
            recording,
            handles: Arc::new(HandleTable::default()),
        }
    }

    /// Keeps only the newest `max` operations from now on (a fresh bounded log replaces the
    /// current one).
    pub fn with_max_operations(mut self, max: usize) -> Self {
        self.recording = Recording::with_capacity(max);
        self
    }

    /// The recorded operations, oldest first.
    pub fn operations(&self) -> Vec<Operation> {
        self.recording.operations()
    }

    /// Removes and returns the recorded operations.
    pub fn take_operations(&self) -> Vec<Operation> {
        self.recording.take()
    }

    /// Forgets the recorded operations.
    pub fn clear(&self) {
        self.recording.clear()
    }

    /// A handle on the log, usable after this `DryRun` is wrapped in other layers.
    pub fn recording(&self) -> Recording {
        self.recording.clone()
    }

    /// The wrapped backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the backend (the recorded operations were never applied to it).
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Validates `path` and records `op`.
    fn record(
        &self,
        operation: &'static str,
        paths: &[&Path],
        op: impl FnOnce() -> Operation,
    ) -> Result<u64, FsError> {
        for path in paths {
            anyfs_backend::path::validate(path, operation)?;
        }
        Ok(self.recording.push(op()))
    }
}

/// The [`Layer`] that wraps a backend in [`DryRun`].
///
/// ```
/// use std::path::Path;
/// use anyfs::middleware::dry_run::DryRunLayer;
/// use anyfs::{FsDir, LayerExt, MemoryBackend};
///
/// let layer = DryRunLayer::builder().max_operations(1000).build();
/// let log = layer.recording(); // keep a handle before the layer is consumed
/// let fs = MemoryBackend::new().layer(layer);
/// fs.create_dir(Path::new("/d"))?;
/// assert_eq!(log.len(), 1);
/// # Ok::<(), anyfs::FsError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DryRunLayer {
    recording: Recording,
}

impl DryRunLayer {
    /// A layer with an unbounded log.
    pub fn new() -> Self {
        DryRunLayer::default()
    }

    /// A builder (log capacity, shared recording).
    pub fn builder() -> DryRunLayerBuilder {
        DryRunLayerBuilder::default()
    }

    /// The log the wrapped backend will record into.
    pub fn recording(&self) -> Recording {
        self.recording.clone()
    }
}

impl<B: Fs> Layer<B> for DryRunLayer {
    type Backend = DryRun<B>;

    fn layer(self, backend: B) -> DryRun<B> {
        DryRun::with_recording(backend, self.recording)
    }
}

/// Builder of a [`DryRunLayer`].
#[derive(Debug, Clone, Default)]
pub struct DryRunLayerBuilder {
    capacity: Option<usize>,
    recording: Option<Recording>,
}

impl DryRunLayerBuilder {
    /// Keep only the newest `max` operations (default: unbounded). Ignored when
    /// [`recording`](DryRunLayerBuilder::recording) supplies a log.
    pub fn max_operations(mut self, max: usize) -> Self {
        self.capacity = Some(max);
        self
    }

    /// Record into an existing log.
    pub fn recording(mut self, recording: Recording) -> Self {
        self.recording = Some(recording);
        self
    }

    /// The configured layer.
    pub fn build(self) -> DryRunLayer {
        let recording = match (self.recording, self.capacity) {
            (Some(recording), _) => recording,
            (None, Some(max)) => Recording::with_capacity(max),
            (None, None) => Recording::new(),
        };
        DryRunLayer { recording }
    }
}
