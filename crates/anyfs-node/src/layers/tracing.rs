//! `Tracing` with its events delivered to JS: the engine's sink appends each completed
//! operation to a columnar buffer ([`columns`]), and JS receives them in batches, in order.
//!
//! # Delivery
//!
//! The sink runs on whichever thread made the call (the JS thread for sync calls and for async
//! calls of non-blocking stacks, a pool thread otherwise), inside the filesystem call, while
//! outer layers may hold their locks. Calling JS from there could re-enter the same stack and
//! deadlock on those locks, or throw into the engine. So the sink only appends the event (one
//! short mutex, never a JS call, no allocation beyond the buffer's amortized growth) and, when
//! the buffer goes from empty to non-empty, pokes a non-blocking napi thread-safe function. Its
//! callback runs on the JS thread after the current JS task, takes every buffered event as one
//! batch (one `Float64Array`, one string of paths, the names not sent before) and passes it,
//! with the traced stack's JS object (the *target*, which knows the listeners), to a
//! dispatcher function that hands the batch's columns to `'batch'` listeners and builds event
//! objects in JS for `'event'` listeners; JS can also take a batch
//! synchronously ([`NativeTraceQueue::take`], JS `flush()`). One buffer, so events arrive in
//! the order the calls completed, whichever thread made them.
//!
//! # Bound
//!
//! The buffer holds at most `max_pending` events (88 bytes each plus their paths, and keeps the
//! largest size it reached, so a steady stream reuses warm memory): if JS does
//! not get a turn for a long time (a long loop of sync calls, which no batch can interrupt, or
//! a busy pool while the JS thread is blocked) the newest events beyond the bound are dropped
//! and counted ([`NativeTraceQueue::dropped`]) rather than growing memory without limit or
//! blocking the filesystem call (backpressure would stall a sync loop on the JS thread
//! forever, since only that thread can drain the buffer).
//!
//! # Cost
//!
//! Per event: the engine's two clock reads, the append here (one uncontended mutex, a name
//! lookup over the distinct names seen, the path copy, eleven numbers; no allocation once the
//! buffer has grown) and, per batch, one crossing; the per-event JS work is, for `'event'`
//! listeners, an object literal, a string slice per path and the listener calls, and for
//! `'batch'` listeners nothing (they get typed-array views of the batch's columns). Measured
//! with the lifecycle of
//! `benchmark/suites/layers.mjs` (sync, 10k files, a listener that counts): 190-360 ns per
//! event on top of a 0.9-2.6 µs operation, where a native object per event cost 1.4-1.9 µs.
//! Profiled, the largest parts are the mutex (~40 ns of the append, its locked instructions)
//! and the clock reads (~50 ns). A `'batch'` listener skips the objects: on the same
//! lifecycle its overhead on 4 KiB writes was about half a per-event listener's (+9-20%
//! against +23-34%, over runs on a loaded machine), while on `stat` (0.8 µs) both cost about
//! the same, the recording above being most of it.
//!
//! # Lifetime: active while events wait, otherwise invisible
//!
//! Like a node handle (a socket, a watcher), the queue is *active* while events it took on the
//! JS thread wait for delivery, and idle otherwise. Active: the thread-safe function is
//! referenced (the process waits for the delivery) and the target is held strongly (a script
//! awaiting one of its events keeps it, even if nothing else refers to the stack). Idle: the
//! thread-safe function is unreferenced and the target held weakly, so an idle traced stack
//! never keeps the process alive and is collected like any object, even when its listeners
//! refer to it (the dispatcher the thread-safe function holds is a static function that
//! captures nothing). Events queued on a pool thread cannot take those references there; the
//! async call that made them keeps the process alive and its caller holds the stack until it
//! resumes, which is after the poke.
//!
//! The target's reference is N-API state of the JS thread: it is created, changed and deleted
//! only there ([`JsSide`]); the queue object's finalizer deletes it.

mod columns;

use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::thread::{self, ThreadId};

use anyfs::middleware::tracing::{TraceEventRef, TraceRefSink};
use anyfs::{FsError, Tracing};
use napi::bindgen_prelude::{FnArgs, Function, JsValue, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{sys, Env, Status};
use napi_derive::napi;
use parking_lot::Mutex;

use crate::convert::to_usize;
use crate::error::{guard, Ctx};
use crate::stack::NativeFs;
use columns::{Batch, Columns};

/// What the dispatcher receives: the target (`null` once collected) and a batch (see
/// [`columns`]).
type Delivery = FnArgs<(
    Option<Unknown<'static>>,
    crate::convert::F64s,
    String,
    Vec<String>,
    Vec<String>,
)>;

/// A non-blocking thread-safe function (created unreferenced) whose callback passes the
/// target and the queued events to the JS dispatcher.
type Notify = ThreadsafeFunction<(), Unknown<'static>, Delivery, Status, false, true>;

/// N-API state owned by the JS thread (see the module docs); every use is on that thread.
struct JsSide {
    env: sys::napi_env,
    /// The reference to the object JS dispatches to (count 1 while active, 0 while idle);
    /// null before `attach` and once deleted.
    target: sys::napi_ref,
    active: bool,
}

// SAFETY: the raw pointers are only passed to N-API on `Pending::js_thread`, the thread that
// owns the environment (every method using them checks or is only reachable from there);
// other threads only move the struct around inside the `Pending`.
unsafe impl Send for JsSide {}

/// The events waiting for JS (see the module docs).
struct Pending {
    events: Mutex<Columns>,
    max_pending: usize,
    dropped: AtomicU64,
    /// JS has been poked and has not taken the queue since.
    poked: AtomicBool,
    /// Whether the stack's emitter has an `'event'` or `'batch'` listener: without one no
    /// event is made (the engine skips the sink), as an emitter drops what nobody listens to.
    listening: Arc<AtomicBool>,
    /// Set once, right after construction (its callback needs a weak reference to us).
    notify: Mutex<Option<Notify>>,
    /// The JS thread that owns the environment.
    js_thread: ThreadId,
    js: Mutex<JsSide>,
}

impl Pending {
    fn on_js_thread(&self) -> bool {
        thread::current().id() == self.js_thread
    }

    fn push(&self, event: &TraceEventRef<'_>) {
        {
            let mut events = self.events.lock();
            if events.len() >= self.max_pending {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            events.push(event);
        }
        // A plain load first: after the first event of a batch the flag is already set, and
        // the swap (a locked instruction) is only needed to win the race for the poke.
        if !self.poked.load(Ordering::Acquire) && !self.poked.swap(true, Ordering::AcqRel) {
            if self.on_js_thread() {
                self.set_active(true);
            }
            if let Some(notify) = self.notify.lock().as_ref() {
                // NonBlocking never waits; a closing environment just loses the poke.
                let _ = notify.call((), ThreadsafeFunctionCallMode::NonBlocking);
            }
        }
    }

    /// Takes the queue and goes idle; on the JS thread only (the delivery callback and JS
    /// `flush()`).
    fn take(&self) -> Batch {
        // Cleared first: an event queued after this point pokes JS again.
        self.poked.store(false, Ordering::Release);
        let batch = self.events.lock().take();
        self.set_active(false);
        batch
    }

    /// Pins (or unpins) the target and refs (or unrefs) the thread-safe function. The caller
    /// is on the JS thread.
    fn set_active(&self, on: bool) {
        let mut js = self.js.lock();
        if js.active == on || js.env.is_null() {
            return;
        }
        js.active = on;
        if !js.target.is_null() {
            let mut count = 0;
            // SAFETY: on the JS thread that owns `env`; the reference is live (not null).
            unsafe {
                if on {
                    sys::napi_reference_ref(js.env, js.target, &mut count);
                } else {
                    sys::napi_reference_unref(js.env, js.target, &mut count);
                }
            }
        }
        if let Some(notify) = self.notify.lock().as_ref() {
            notify.handle.with_read_aborted(|aborted| {
                if aborted {
                    return;
                }
                // SAFETY: on the JS thread that owns `env`, with a live (not aborted)
                // thread-safe function created in that environment.
                unsafe {
                    if on {
                        sys::napi_ref_threadsafe_function(js.env, notify.raw());
                    } else {
                        sys::napi_unref_threadsafe_function(js.env, notify.raw());
                    }
                }
            });
        }
    }

    /// The dispatch target, if it is still alive; on the JS thread only.
    fn target(&self, env: sys::napi_env) -> Option<Unknown<'static>> {
        let js = self.js.lock();
        if js.target.is_null() {
            return None;
        }
        let mut value = ptr::null_mut();
        // SAFETY: on the JS thread that owns `env`; the reference is live (not null).
        let status = unsafe { sys::napi_get_reference_value(env, js.target, &mut value) };
        (status == sys::Status::napi_ok && !value.is_null())
            // SAFETY: `value` is a live handle of `env`'s current scope (the callback's).
            .then(|| unsafe { Unknown::from_raw_unchecked(env, value) })
    }
}

/// The queue between a Tracing middleware and JS (see the module docs).
#[napi]
pub struct NativeTraceQueue {
    pending: Arc<Pending>,
}

#[napi]
impl NativeTraceQueue {
    /// A queue that calls `dispatch(target, numbers, text, newOps, newCodes)` (a batch, see
    /// [`columns`]) on the JS thread when events are waiting; `dispatch` must not capture the
    /// stack (see the module docs). It keeps at most `max_pending` events between deliveries.
    #[napi(
        constructor,
        ts_args_type = "dispatch: (target: object | null, numbers: Float64Array, text: string, newOps: string[], newCodes: string[]) => void, maxPending: number"
    )]
    pub fn new(
        env: Env,
        dispatch: Function<'_, Delivery, Unknown<'static>>,
        max_pending: f64,
    ) -> napi::Result<Self> {
        let max_pending = guard(Ctx::bare("TracingLayer"), || {
            to_usize(max_pending, "maxPending", "TracingLayer")
        })?;
        let pending = Arc::new(Pending {
            events: Mutex::new(Columns::default()),
            max_pending,
            dropped: AtomicU64::new(0),
            poked: AtomicBool::new(false),
            listening: Arc::new(AtomicBool::new(false)),
            notify: Mutex::new(None),
            js_thread: thread::current().id(),
            js: Mutex::new(JsSide {
                env: env.raw(),
                target: ptr::null_mut(),
                active: false,
            }),
        });
        let weak: Weak<Pending> = Arc::downgrade(&pending);
        let notify: Notify = dispatch
            .build_threadsafe_function::<()>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(move |ctx| {
                let Some(p) = weak.upgrade() else {
                    let (numbers, text, ops, codes) = Columns::default().take();
                    return Ok(FnArgs::from((None, numbers, text, ops, codes)));
                };
                // The target first: the handle keeps it alive while JS runs, after `take`
                // has unpinned it.
                let target = p.target(ctx.env.raw());
                let (numbers, text, ops, codes) = p.take();
                Ok(FnArgs::from((target, numbers, text, ops, codes)))
            })?;
        *pending.notify.lock() = Some(notify);
        Ok(NativeTraceQueue { pending })
    }

    /// Sets the object `dispatch` receives (the traced stack, which knows its listeners): held
    /// weakly while idle, strongly while events wait. Once; later calls are ignored.
    #[napi(ts_args_type = "target: object")]
    pub fn attach(&self, env: Env, target: Unknown<'_>) -> napi::Result<()> {
        let mut js = self.pending.js.lock();
        if !js.target.is_null() {
            return Ok(());
        }
        let mut reference = ptr::null_mut();
        // SAFETY: on the JS thread, with a value of this call's scope; count 0 is a weak
        // reference (see the module docs).
        let status =
            unsafe { sys::napi_create_reference(env.raw(), target.raw(), 0, &mut reference) };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(
                Status::GenericFailure,
                "cannot reference the traced stack",
            ));
        }
        js.target = reference;
        Ok(())
    }

    /// Takes every queued event now, oldest first (JS `flush()`), as
    /// `[numbers, text, newOps, newCodes]` (see [`columns`]).
    #[napi(ts_return_type = "[Float64Array, string, string[], string[]]")]
    pub fn take(&self) -> Batch {
        self.pending.take()
    }

    /// Turns event making on (a listener was added) or off (the last one was removed).
    #[napi]
    pub fn set_listening(&self, on: bool) {
        self.pending.listening.store(on, Ordering::Relaxed);
    }

    /// Events dropped because the queue was full.
    #[napi(getter)]
    pub fn dropped(&self) -> f64 {
        self.pending.dropped.load(Ordering::Relaxed) as f64
    }
}

impl Drop for NativeTraceQueue {
    /// Runs in the queue object's finalizer, on the JS thread: deletes the target's reference
    /// (later deliveries pass `null`). Anywhere else (never expected) it is left to the
    /// environment's teardown rather than touched off its thread.
    fn drop(&mut self) {
        if !self.pending.on_js_thread() {
            return;
        }
        let mut js = self.pending.js.lock();
        if !js.target.is_null() && !js.env.is_null() {
            // SAFETY: on the JS thread that owns `env`; the reference is live and is nulled
            // right after, so it is never used again.
            unsafe { sys::napi_delete_reference(js.env, js.target) };
        }
        js.target = ptr::null_mut();
    }
}

#[napi]
impl NativeFs {
    /// This stack behind `Tracing` with `target` and `level` (`trace` .. `error`, for `tracing`
    /// subscribers in the process) and every completed operation queued into `queue`.
    #[napi]
    pub fn wrap_tracing(
        &self,
        target: String,
        level: String,
        queue: &NativeTraceQueue,
    ) -> napi::Result<NativeFs> {
        guard(Ctx::bare("TracingLayer"), || {
            let inner = self.layer_source("TracingLayer")?;
            let level = level.parse().map_err(|_| FsError::InvalidInput {
                operation: "TracingLayer",
                reason: format!("unknown level {level:?}"),
            })?;
            let pending = Arc::clone(&queue.pending);
            let sink: TraceRefSink = Arc::new(move |e: &TraceEventRef<'_>| pending.push(e));
            let traced = Tracing::new(inner)
                .with_target(target)
                .with_level(level)
                .with_ref_sink(sink)
                .with_sink_switch(Arc::clone(&queue.pending.listening));
            Ok(self.wrapped(Arc::new(traced)))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::convert::F64s;

    /// A queue with no JS side (its N-API calls are skipped: `env` is null).
    fn queue(max: usize) -> Pending {
        Pending {
            events: Mutex::new(Columns::default()),
            max_pending: max,
            dropped: AtomicU64::new(0),
            poked: AtomicBool::new(false),
            listening: Arc::new(AtomicBool::new(true)),
            notify: Mutex::new(None),
            js_thread: thread::current().id(),
            js: Mutex::new(JsSide {
                env: ptr::null_mut(),
                target: ptr::null_mut(),
                active: false,
            }),
        }
    }

    #[test]
    fn events_are_taken_in_order_and_the_bound_drops_the_newest() {
        let fs = Tracing::new(anyfs::MemoryBackend::new());
        let p = Arc::new(queue(2));
        let sink = Arc::clone(&p);
        let fs = fs.with_ref_sink(Arc::new(move |e: &TraceEventRef<'_>| sink.push(e)));
        use anyfs::{FsRead, FsWrite};
        fs.write(std::path::Path::new("/a"), b"abc").unwrap();
        let _ = fs.read(std::path::Path::new("/missing"));
        let _ = fs.exists(std::path::Path::new("/a"));
        assert!(p.poked.load(Ordering::Acquire));
        let (F64s(numbers), text, ops, codes) = p.take();
        assert!(!p.poked.load(Ordering::Acquire));
        assert_eq!(ops, ["write", "read"]);
        assert_eq!(codes, ["ENOENT"]);
        assert_eq!(text, "/a/missing");
        assert_eq!(numbers.len(), 2 * columns::STRIDE);
        assert_eq!(p.dropped.load(Ordering::Relaxed), 1);
        let (F64s(numbers), text, ..) = p.take();
        assert!(numbers.is_empty() && text.is_empty());
    }

    #[test]
    fn events_from_many_threads_are_all_kept_each_threads_in_order() {
        use anyfs::FsWrite;
        let p = Arc::new(queue(usize::MAX));
        let sink = Arc::clone(&p);
        let fs = Arc::new(
            Tracing::new(anyfs::MemoryBackend::new())
                .with_ref_sink(Arc::new(move |e: &TraceEventRef<'_>| sink.push(e))),
        );
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let fs = Arc::clone(&fs);
                thread::spawn(move || {
                    for i in 0..500 {
                        fs.write(format!("/t{t}-{i:03}").as_ref(), b"x").unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let (F64s(numbers), text, ..) = p.take();
        assert_eq!(numbers.len(), 2000 * columns::STRIDE);
        // Every path is 7 characters: split the text and check each thread's own order.
        let paths: Vec<&str> = (0..2000).map(|i| &text[i * 7..i * 7 + 7]).collect();
        for t in 0..4 {
            let mine: Vec<&str> = paths
                .iter()
                .copied()
                .filter(|s| s.starts_with(&format!("/t{t}-")))
                .collect();
            let expected: Vec<String> = (0..500).map(|i| format!("/t{t}-{i:03}")).collect();
            assert_eq!(mine, expected);
        }
    }
}
