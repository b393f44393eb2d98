//! [`TraceEvent`] (owned) and [`TraceEventRef`] (borrowed): one completed operation, as handed
//! to a [`TraceSink`] or a [`TraceRefSink`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A callback receiving one [`TraceEvent`] per completed operation.
///
/// It runs synchronously on the thread that made the call, after the inner backend returned,
/// so keep it short: push the event into a channel or queue rather than doing I/O in it. It
/// must not panic: a panic unwinds through the filesystem call that triggered it.
///
/// Each call builds an owned event (its paths copied). A consumer that copies what it keeps
/// into its own buffer anyway should take a [`TraceRefSink`] instead, which gets the paths
/// borrowed from the call.
pub type TraceSink = Arc<dyn Fn(&TraceEvent) + Send + Sync>;

/// A callback receiving one [`TraceEventRef`] per completed operation: the same as a
/// [`TraceSink`] (same thread, same timing, must not panic), without the per-event
/// allocation of an owned [`TraceEvent`]. The Node binding's columnar queue uses it.
pub type TraceRefSink = Arc<dyn Fn(&TraceEventRef<'_>) + Send + Sync>;

/// One completed operation, for consumers that do not use `tracing` (a JS callback, a metrics
/// exporter, a test).
///
/// Owned and cheap to clone, so a sink can move it to another thread.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TraceEvent {
    /// The trait method: `"read"`, `"write"`, `"rename"`, `"read_at"`, ...
    pub operation: &'static str,
    /// The path the operation named: the source of `rename`/`copy`, the `original` of
    /// `symlink`/`hard_link`; `None` for `sync`, `statfs` and handle or inode operations.
    pub path: Option<PathBuf>,
    /// The second path: the destination of `rename`/`copy`, the new link of
    /// `symlink`/`hard_link`.
    pub dest: Option<PathBuf>,
    /// Payload size in bytes: what was read (`read`, `read_range`, `read_at`, `get_xattr`) or
    /// written (`write`, `append`, `write_at`, `set_xattr`), the new length for `truncate`;
    /// `None` for operations without a payload.
    pub bytes: Option<u64>,
    /// The handle of handle operations (for `open`, the handle it returned).
    pub handle: Option<u64>,
    /// The inode of inode operations (for `path_to_inode`, the inode it returned).
    pub inode: Option<u64>,
    /// Whether the operation succeeded.
    pub ok: bool,
    /// The POSIX code of the error (`"ENOENT"`, ...), `None` on success.
    pub code: Option<&'static str>,
    /// Wall-clock time spent in the inner backend.
    pub duration: Duration,
}

/// One completed operation with its paths borrowed from the call: what a [`TraceRefSink`]
/// receives. The fields mean what [`TraceEvent`]'s do; [`to_event`](Self::to_event) makes
/// the owned form.
///
/// ```
/// use std::path::Path;
/// use std::sync::{Arc, Mutex};
/// use anyfs::middleware::tracing::{TraceEventRef, Tracing};
/// use anyfs::{FsWrite, MemoryBackend};
///
/// // A consumer that keeps only what it needs, without an owned event per call.
/// let written = Arc::new(Mutex::new(Vec::<(String, u64)>::new()));
/// let keep = written.clone();
/// let fs = Tracing::new(MemoryBackend::new()).with_ref_sink(Arc::new(move |e: &TraceEventRef<'_>| {
///     if let (Some(path), Some(bytes)) = (e.path, e.bytes) {
///         keep.lock().unwrap().push((path.display().to_string(), bytes));
///     }
/// }));
/// fs.write(Path::new("/a.txt"), b"hello")?;
/// assert_eq!(*written.lock().unwrap(), [("/a.txt".to_owned(), 5)]);
/// # Ok::<(), anyfs::FsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TraceEventRef<'a> {
    /// See [`TraceEvent::operation`].
    pub operation: &'static str,
    /// See [`TraceEvent::path`].
    pub path: Option<&'a Path>,
    /// See [`TraceEvent::dest`].
    pub dest: Option<&'a Path>,
    /// See [`TraceEvent::bytes`].
    pub bytes: Option<u64>,
    /// See [`TraceEvent::handle`].
    pub handle: Option<u64>,
    /// See [`TraceEvent::inode`].
    pub inode: Option<u64>,
    /// See [`TraceEvent::ok`].
    pub ok: bool,
    /// See [`TraceEvent::code`].
    pub code: Option<&'static str>,
    /// See [`TraceEvent::duration`].
    pub duration: Duration,
}

impl TraceEventRef<'_> {
    /// The owned event (the paths copied).
    pub fn to_event(&self) -> TraceEvent {
        TraceEvent {
            operation: self.operation,
            path: self.path.map(Path::to_path_buf),
            dest: self.dest.map(Path::to_path_buf),
            bytes: self.bytes,
            handle: self.handle,
            inode: self.inode,
            ok: self.ok,
            code: self.code,
            duration: self.duration,
        }
    }
}
