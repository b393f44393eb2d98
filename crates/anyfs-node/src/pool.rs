//! The blocking pool: async calls of blocking stacks run on the elastic threads of
//! [`crate::runtime`], never on libuv's fixed pool, so nested blocking (JS middleware, FUSE)
//! cannot exhaust it (DESIGN.md section 5).
//!
//! # Cost of a call
//!
//! Two thread hops, as node's own `fs` takes: the JS thread hands the work to a pool thread,
//! which runs it and queues the result on its JS thread's [`Settler`]; one wake-up of the JS
//! thread then settles every promise queued since the last one. Neither an async task nor a
//! thread-safe function per call sits in between: awaiting a `JoinHandle` on a runtime worker
//! adds a third hop, and napi's per-promise deferreds create (and later close) a libuv handle
//! for every call — together about 3x node's cost per call on a small operation.
//!
//! # Keeping the process alive
//!
//! The settler's thread-safe function is unreferenced while nothing is pending, so an idle
//! addon never holds the event loop open, and referenced while any promise waits, as a pending
//! `fs.promises` call holds it.

use std::cell::OnceCell;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{sys, Env, JsError, Status};
use parking_lot::Mutex;

use crate::error::{to_napi, Ctx};
use crate::runtime::{self, Task};

/// Turns a finished call's result into the JS value its promise resolves with (on the JS thread).
type Settle = Box<dyn FnOnce(Env) -> napi::Result<sys::napi_value> + Send>;

/// A promise's deferred. N-API lets only the JS thread use it; other threads merely carry it.
struct Deferred(sys::napi_deferred);

// SAFETY: the pointer is only passed to N-API by `Settler::settle_all`, on the JS thread that
// created it; pool threads move it into the queue without touching it.
unsafe impl Send for Deferred {}

/// The non-blocking, unreferenced-when-idle thread-safe function that wakes the JS thread.
type Wake = ThreadsafeFunction<(), (), (), Status, false, true>;

/// The finished calls of one JS thread, waiting to be settled there.
struct Settler {
    done: Mutex<Vec<(Deferred, Settle)>>,
    wake: Wake,
    /// Promises created and not yet settled; only the JS thread changes it.
    pending: AtomicUsize,
}

thread_local! {
    /// One settler per JS thread (the main thread and each worker thread).
    static SETTLER: OnceCell<Arc<Settler>> = const { OnceCell::new() };
}

impl Settler {
    /// The settler of the calling JS thread, created on first use.
    fn of(env: &Env) -> napi::Result<Arc<Settler>> {
        SETTLER.with(|cell| {
            if let Some(s) = cell.get() {
                return Ok(Arc::clone(s));
            }
            let created = Self::create(env)?;
            Ok(Arc::clone(cell.get_or_init(|| created)))
        })
    }

    fn create(env: &Env) -> napi::Result<Arc<Settler>> {
        let noop = env.create_function_from_closure::<(), (), _>("anyfsSettle", |_| Ok(()))?;
        let wake: Wake = noop
            .build_threadsafe_function::<()>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(|ctx| {
                SETTLER.with(|cell| {
                    if let Some(s) = cell.get() {
                        s.settle_all(&ctx.env);
                    }
                });
                Ok(())
            })?;
        Ok(Arc::new(Settler {
            done: Mutex::new(Vec::new()),
            wake,
            pending: AtomicUsize::new(0),
        }))
    }

    /// Counts a new promise; the first pending one references the wake-up (JS thread only).
    fn started(&self, env: &Env) {
        if self.pending.fetch_add(1, Ordering::Relaxed) == 0 {
            self.set_referenced(env, true);
        }
    }

    /// Queues a finished call; the first one queued since the last settling wakes the JS thread.
    fn finish(&self, deferred: Deferred, settle: Settle) {
        let was_empty = {
            let mut done = self.done.lock();
            let was_empty = done.is_empty();
            done.push((deferred, settle));
            was_empty
        };
        if was_empty {
            // Fails only while the environment shuts down, when no promise can settle anyway.
            let _ = self.wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    /// Settles every queued promise (JS thread only).
    fn settle_all(&self, env: &Env) {
        let done = std::mem::take(&mut *self.done.lock());
        for (deferred, settle) in done {
            let raw = env.raw();
            let outcome = catch_unwind(AssertUnwindSafe(|| settle(*env))).unwrap_or_else(|_| {
                Err(napi::Error::new(
                    Status::GenericFailure,
                    "EIO: settling a pooled call panicked",
                ))
            });
            // SAFETY: on the JS thread that created `deferred`, which is settled exactly once
            // (it was moved out of the queue).
            unsafe {
                match outcome {
                    Ok(value) => sys::napi_resolve_deferred(raw, deferred.0, value),
                    Err(err) => sys::napi_reject_deferred(
                        raw,
                        deferred.0,
                        JsError::from(err).into_value(raw),
                    ),
                };
            }
            if self.pending.fetch_sub(1, Ordering::Relaxed) == 1 {
                self.set_referenced(env, false);
            }
        }
    }

    fn set_referenced(&self, env: &Env, on: bool) {
        self.wake.handle.with_read_aborted(|aborted| {
            if aborted {
                return;
            }
            // SAFETY: on the JS thread that owns `env`, with a live (not aborted) thread-safe
            // function created in that environment.
            unsafe {
                if on {
                    sys::napi_ref_threadsafe_function(env.raw(), self.wake.raw());
                } else {
                    sys::napi_unref_threadsafe_function(env.raw(), self.wake.raw());
                }
            }
        });
    }
}

/// One pooled call: the work, the conversion of its result, and the promise it settles.
struct Call<W, M, T, V> {
    settler: Arc<Settler>,
    deferred: Deferred,
    op: &'static str,
    work: W,
    map: M,
    /// The work's result and the JS value's types; `fn() -> _` keeps `Call` `Send` whatever
    /// they are.
    types: PhantomData<fn() -> (T, V)>,
}

impl<T, V, W, M> Task for Call<W, M, T, V>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
    W: FnOnce() -> T + Send + 'static,
    M: FnOnce(Env, T) -> napi::Result<V> + Send + 'static,
{
    fn run(self: Box<Self>) {
        let Call {
            settler,
            deferred,
            op,
            work,
            map,
            ..
        } = *self;
        let settle: Settle = match catch_unwind(AssertUnwindSafe(work)) {
            // SAFETY: `to_napi_value` runs in `settle_all`, on the JS thread, with its `env`.
            Ok(value) => Box::new(move |env: Env| {
                map(env, value).and_then(|v| unsafe { V::to_napi_value(env.raw(), v) })
            }),
            Err(_) => Box::new(move |_| {
                let err = anyfs::FsError::backend(op, "the pool task panicked");
                Err(to_napi(&err, Ctx::bare(op)))
            }),
        };
        settler.finish(deferred, settle);
    }

    fn refuse(self: Box<Self>) {
        let op = self.op;
        // Queued like any finished call, so the promise settles on the next turn of the loop.
        self.settler.finish(
            self.deferred,
            Box::new(move |_| {
                let err = anyfs::FsError::WouldBlock {
                    path: Default::default(),
                    operation: op,
                };
                Err(to_napi(&err, Ctx::bare(op)))
            }),
        );
    }
}

/// Runs `work` on the blocking pool and settles the returned promise with `map(result)` on the
/// JS thread.
///
/// `work` should not panic (callers guard it); a panic that escapes anyway rejects the promise
/// with an `EIO` error.
pub(crate) fn spawn<'a, T, V>(
    env: &Env,
    op: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
    map: impl FnOnce(Env, T) -> napi::Result<V> + Send + 'static,
) -> napi::Result<PromiseRaw<'a, V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
{
    let settler = Settler::of(env)?;
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: on the JS thread (a napi method's `env`), with out-pointers to locals.
    let status = unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::new(
            Status::GenericFailure,
            "cannot create a promise",
        ));
    }
    settler.started(env);
    runtime::submit(Box::new(Call {
        settler,
        deferred: Deferred(deferred),
        op,
        work,
        map,
        types: PhantomData,
    }));
    Ok(PromiseRaw::new(env.raw(), promise))
}
