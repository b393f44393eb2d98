//! `Tracing`: a `tracing` span and event per operation (path, sizes, outcome, latency), plus an
//! optional [`TraceEvent`] sink for consumers that do not use `tracing`.
//!
//! ```
//! use std::path::Path;
//! use std::sync::{Arc, Mutex};
//! use anyfs::middleware::tracing::{TraceEvent, Tracing};
//! use anyfs::{FsRead, FsWrite, MemoryBackend};
//!
//! let seen = Arc::new(Mutex::new(Vec::<TraceEvent>::new()));
//! let sink = seen.clone();
//! let fs = Tracing::new(MemoryBackend::new())
//!     .with_target("myapp::fs")
//!     .with_level(tracing::Level::INFO)
//!     .with_sink(Arc::new(move |e: &TraceEvent| sink.lock().unwrap().push(e.clone())));
//!
//! fs.write(Path::new("/a.txt"), b"hello")?;
//! assert_eq!(fs.read(Path::new("/missing")).unwrap_err().code(), "ENOENT");
//!
//! let events = seen.lock().unwrap();
//! assert_eq!((events[0].operation, events[0].bytes, events[0].ok), ("write", Some(5), true));
//! assert_eq!((events[1].operation, events[1].code), ("read", Some("ENOENT")));
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it records
//!
//! Every method of every trait the inner backend implements is intercepted; nothing is changed.
//! The fast forms a middleware above may use are reported as the call they stand for
//! (`write_replacing` as `write`, `remove_file_reporting` as `remove_file`, `resolve_path` as
//! `metadata` or `symlink_metadata`), and not at all when the inner backend does not offer them
//! (then the calls made instead are); `symlink_free`, a question, is forwarded unreported.
//! For each call, when a subscriber wants it (the target and level pass its filter):
//!
//! - a span named `fs` (fields `op`, `path`, `dest`, `handle`, `inode`), entered around the
//!   inner call, so events of inner layers nest under it; when the call returns, the span gets
//!   `bytes`, `ok`, `code` and `latency_us`;
//! - an event named `fs_done` inside the span with all of those fields, for subscribers that
//!   print events (such as `tracing_subscriber::fmt`).
//!
//! And, when a sink is set ([`Tracing::with_sink`], or [`Tracing::with_ref_sink`] for a
//! consumer that copies what it keeps and wants no owned event per call), one [`TraceEvent`]
//! (or [`TraceEventRef`]) per call. The meaning of each field is documented there (`bytes` is
//! what was read or written). Streams
//! (`open_read`, `open_write`) are recorded when opened; the bytes that later flow through them
//! are not.
//!
//! Target and level are chosen at run time ([`with_target`](Tracing::with_target),
//! [`with_level`](Tracing::with_level); default `"anyfs"` at `DEBUG`). Errors are reported at
//! the same level as successes, with `ok=false` and the POSIX `code`, so a filter on the
//! fields can single them out.
//!
//! # Thread safety
//!
//! `Tracing<B>` is `Send + Sync` when `B` is; it holds no mutable state. The sink is called on
//! the thread that made the call, after the inner call returned (see [`TraceSink`]).
//!
//! # Cost
//!
//! With no subscriber interested and no sink (or a sink switched off,
//! [`Tracing::with_sink_switch`]), an operation costs two atomic loads more than the inner call
//! (the level filter and the callsite's cached interest). With a ref sink
//! ([`Tracing::with_ref_sink`]): two clock reads (a few tens of ns with a TSC clock source) and
//! one indirect call, no allocation; with an owned sink ([`Tracing::with_sink`]) also the
//! event's path copies (one allocation per path). Then whatever the sink does: the Node
//! binding's appends the event to a columnar buffer (tens of ns). With an interested
//! subscriber: whatever it does with a span and an event. Every operation stays O(1) on top of
//! the inner backend.

mod callsite;
mod event;
mod impls;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyfs_backend::{Fs, FsError, Layer};
use tracing_core::Level;

use callsite::{Record, Sites};
pub use event::{TraceEvent, TraceEventRef, TraceRefSink, TraceSink};

/// The target used when none is configured.
pub const DEFAULT_TARGET: &str = "anyfs";

/// Middleware that reports every operation to `tracing` and to an optional [`TraceSink`].
/// See the [module docs](self).
#[derive(Clone)]
pub struct Tracing<B> {
    inner: B,
    target: String,
    level: Level,
    sites: Option<&'static Sites>,
    /// The sink; an owned [`TraceSink`] is wrapped into one that makes the owned event.
    sink: Option<TraceRefSink>,
    /// When set and off, the sink is skipped (no event is made).
    sink_switch: Option<Arc<AtomicBool>>,
}

impl<B: fmt::Debug> fmt::Debug for Tracing<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracing")
            .field("inner", &self.inner)
            .field("target", &self.target)
            .field("level", &self.level)
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

impl<B> Tracing<B> {
    /// Wraps `inner`, tracing to target `"anyfs"` at `DEBUG`, with no sink.
    pub fn new(inner: B) -> Self {
        Tracing {
            inner,
            target: DEFAULT_TARGET.to_owned(),
            level: Level::DEBUG,
            sites: Sites::get(DEFAULT_TARGET, Level::DEBUG),
            sink: None,
            sink_switch: None,
        }
    }

    /// Sets the `tracing` target of the spans and events (what subscribers filter on).
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = target.into();
        self.sites = Sites::get(&self.target, self.level);
        self
    }

    /// Sets the level of the spans and events.
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self.sites = Sites::get(&self.target, self.level);
        self
    }

    /// Also hands every completed operation to `sink` as a [`TraceEvent`] (independently of
    /// any `tracing` subscriber). Replaces any sink set before.
    pub fn with_sink(mut self, sink: TraceSink) -> Self {
        self.sink = Some(Arc::new(move |e: &TraceEventRef<'_>| sink(&e.to_event())));
        self
    }

    /// Also hands every completed operation to `sink` as a [`TraceEventRef`], its paths
    /// borrowed from the call: no allocation per event (see [`TraceEventRef`] for an example).
    /// Replaces any sink set before.
    pub fn with_ref_sink(mut self, sink: TraceRefSink) -> Self {
        self.sink = Some(sink);
        self
    }

    /// Calls the sink (owned or ref) only while `on` is true. A consumer that is often not listening (an
    /// event emitter without listeners) turns it off, and the layer then costs what the
    /// `tracing` spans cost: no clock reads, no path copies.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::{Arc, Mutex};
    /// use anyfs::{FsWrite, MemoryBackend, TraceEvent, Tracing};
    ///
    /// let seen = Arc::new(Mutex::new(0));
    /// let count = seen.clone();
    /// let on = Arc::new(AtomicBool::new(false));
    /// let fs = Tracing::new(MemoryBackend::new())
    ///     .with_sink(Arc::new(move |_: &TraceEvent| *count.lock().unwrap() += 1))
    ///     .with_sink_switch(on.clone());
    /// fs.write("/a".as_ref(), b"x")?;
    /// on.store(true, Ordering::Relaxed);
    /// fs.write("/b".as_ref(), b"y")?;
    /// assert_eq!(*seen.lock().unwrap(), 1);
    /// # Ok::<(), anyfs::FsError>(())
    /// ```
    pub fn with_sink_switch(mut self, on: Arc<AtomicBool>) -> Self {
        self.sink_switch = Some(on);
        self
    }

    /// The configured target.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The configured level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The wrapped backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Runs `run` (the inner call) and reports it. `bytes_out` extracts the payload size from a
    /// successful result (`None` keeps `call.bytes`); `handle_out`/`inode_out` likewise.
    ///
    /// `run` may also give an [`Offered`] answer (a fast form such as `write_replacing`): when
    /// the inner backend did not offer it (`None`: nothing done), nothing is reported, since
    /// the calls the caller makes instead are.
    #[inline]
    fn observe<R: Outcome>(
        &self,
        call: Call<'_>,
        run: impl FnOnce() -> R,
        out: impl FnOnce(&R::Value) -> Outputs,
    ) -> R {
        let sites = self.sites.filter(|s| s.span_enabled());
        let sink = self.sink.as_ref().filter(|_| {
            self.sink_switch
                .as_ref()
                .is_none_or(|on| on.load(Ordering::Relaxed))
        });
        if sites.is_none() && sink.is_none() {
            return run();
        }
        let start = Instant::now();
        let before = call.record();
        let span = sites.map(|s| s.span(&before));
        let entered = span.as_ref().map(|s| s.enter());
        let result = run();
        let duration = start.elapsed();
        let Some(outcome) = result.outcome() else {
            return result;
        };
        let outputs = match outcome {
            Ok(value) => out(value),
            Err(_) => Outputs::default(),
        };
        let ok = outcome.is_ok();
        let code = outcome.err().map(FsError::code);
        let after = Record {
            bytes: outputs.bytes.or(call.bytes),
            handle: outputs.handle.or(call.handle),
            inode: outputs.inode.or(call.inode),
            ok: Some(ok),
            code,
            latency_us: Some(u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)),
            ..before
        };
        if let (Some(sites), Some(span)) = (sites, span.as_ref()) {
            sites.finish(span, &after);
        }
        drop(entered);
        if let Some(sink) = sink {
            sink(&TraceEventRef {
                operation: call.op,
                path: call.path,
                dest: call.dest,
                bytes: after.bytes,
                handle: after.handle,
                inode: after.inode,
                ok,
                code,
                duration,
            });
        }
        result
    }
}

/// What an inner call answers, as [`Tracing::observe`] reports it.
trait Outcome {
    /// What a success carries.
    type Value;
    /// The result to report; `None` when there is nothing to report.
    fn outcome(&self) -> Option<Result<&Self::Value, &FsError>>;
}

impl<T> Outcome for Result<T, FsError> {
    type Value = T;
    fn outcome(&self) -> Option<Result<&T, &FsError>> {
        Some(self.as_ref())
    }
}

/// A fast form's answer: `None` when the inner backend does not offer it (nothing done).
type Offered<T> = Option<Result<T, FsError>>;

impl<T> Outcome for Offered<T> {
    type Value = T;
    fn outcome(&self) -> Option<Result<&T, &FsError>> {
        self.as_ref().map(Result::as_ref)
    }
}

/// What an operation is called with.
#[derive(Clone, Copy, Default)]
struct Call<'a> {
    op: &'static str,
    path: Option<&'a Path>,
    dest: Option<&'a Path>,
    handle: Option<u64>,
    inode: Option<u64>,
    bytes: Option<u64>,
}

impl<'a> Call<'a> {
    fn new(op: &'static str) -> Self {
        Call {
            op,
            ..Call::default()
        }
    }
    fn path(mut self, path: &'a Path) -> Self {
        self.path = Some(path);
        self
    }
    fn dest(mut self, dest: &'a Path) -> Self {
        self.dest = Some(dest);
        self
    }
    fn handle(mut self, handle: u64) -> Self {
        self.handle = Some(handle);
        self
    }
    fn inode(mut self, inode: u64) -> Self {
        self.inode = Some(inode);
        self
    }
    fn bytes(mut self, bytes: usize) -> Self {
        self.bytes = Some(bytes as u64);
        self
    }
    fn record(&self) -> Record<'a> {
        Record {
            op: self.op,
            path: self.path,
            dest: self.dest,
            handle: self.handle,
            inode: self.inode,
            bytes: None,
            ok: None,
            code: None,
            latency_us: None,
        }
    }
}

/// What a successful result adds to the record.
#[derive(Default)]
struct Outputs {
    bytes: Option<u64>,
    handle: Option<u64>,
    inode: Option<u64>,
}

impl Outputs {
    fn none<T>(_: &T) -> Outputs {
        Outputs::default()
    }
    fn bytes(n: usize) -> Outputs {
        Outputs {
            bytes: Some(n as u64),
            ..Outputs::default()
        }
    }
}

/// The [`Layer`] that wraps a backend in [`Tracing`]. Build it with [`TracingLayer::new`] (the
/// defaults) or [`TracingLayer::builder`].
///
/// ```
/// use anyfs::middleware::tracing::TracingLayer;
/// use anyfs::{LayerExt, MemoryBackend};
///
/// let fs = MemoryBackend::new().layer(
///     TracingLayer::builder().target("agent::fs").level(tracing::Level::INFO).build(),
/// );
/// assert_eq!(fs.target(), "agent::fs");
/// ```
#[derive(Clone, Default)]
pub struct TracingLayer {
    target: Option<String>,
    level: Option<Level>,
    sink: Option<TraceSink>,
}

impl fmt::Debug for TracingLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TracingLayer")
            .field("target", &self.target)
            .field("level", &self.level)
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

impl TracingLayer {
    /// A layer with the defaults: target `"anyfs"`, level `DEBUG`, no sink.
    pub fn new() -> Self {
        TracingLayer::default()
    }

    /// A builder to set target, level and sink.
    pub fn builder() -> TracingLayerBuilder {
        TracingLayerBuilder::default()
    }
}

impl<B: Fs> Layer<B> for TracingLayer {
    type Backend = Tracing<B>;

    fn layer(self, backend: B) -> Tracing<B> {
        let mut traced = Tracing::new(backend);
        if let Some(target) = self.target {
            traced = traced.with_target(target);
        }
        if let Some(level) = self.level {
            traced = traced.with_level(level);
        }
        if let Some(sink) = self.sink {
            traced = traced.with_sink(sink);
        }
        traced
    }
}

/// Builder of a [`TracingLayer`].
#[derive(Clone, Default)]
pub struct TracingLayerBuilder {
    layer: TracingLayer,
}

impl fmt::Debug for TracingLayerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TracingLayerBuilder")
            .field(&self.layer)
            .finish()
    }
}

impl TracingLayerBuilder {
    /// The `tracing` target (default `"anyfs"`).
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.layer.target = Some(target.into());
        self
    }

    /// The level of spans and events (default `DEBUG`).
    pub fn level(mut self, level: Level) -> Self {
        self.layer.level = Some(level);
        self
    }

    /// A sink receiving one [`TraceEvent`] per operation.
    pub fn sink(mut self, sink: TraceSink) -> Self {
        self.layer.sink = Some(sink);
        self
    }

    /// The configured layer.
    pub fn build(self) -> TracingLayer {
        self.layer
    }
}
