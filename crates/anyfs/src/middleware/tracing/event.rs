//! [`TraceEvent`]: one completed operation, as handed to a [`TraceSink`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A callback receiving one [`TraceEvent`] per completed operation.
///
/// It runs synchronously on the thread that made the call, after the inner backend returned,
/// so keep it short: push the event into a channel or queue (the Node binding hands it to a
/// non-blocking thread-safe function) rather than doing I/O in it. It must not panic: a panic
/// unwinds through the filesystem call that triggered it.
pub type TraceSink = Arc<dyn Fn(&TraceEvent) + Send + Sync>;

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
