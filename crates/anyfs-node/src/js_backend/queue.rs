//! [`JsThread`]: how other threads reach a JS thread — a queue of jobs and one wake-up.
//!
//! Pool and FUSE threads push a job and, if the queue was empty, wake the JS thread through a
//! thread-safe function; the JS thread then runs every queued job in one go (one event-loop
//! turn for a burst of calls). Jobs are calls to JS layers ([`super::pending`] holds their
//! state) and the release of references to JS functions, which only the JS thread may delete.
//!
//! The wake-up is unreferenced: it never keeps the process alive by itself. A call from the
//! pool is always part of a pending promise, which keeps the event loop running until the call
//! is answered.

use std::cell::OnceCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use anyfs::FsError;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{sys, Env, Status};
use parking_lot::Mutex;

use super::pending;
use super::thread;

/// A reference to a JS value, owned by Rust, deleted on its JS thread.
pub(crate) struct JsRef(pub sys::napi_ref);

// SAFETY: the pointer is only used by N-API on the JS thread that created it; other threads
// merely carry it (to the queue, where the JS thread deletes it).
unsafe impl Send for JsRef {}
// SAFETY: as above; shared access never dereferences it off the JS thread.
unsafe impl Sync for JsRef {}

/// Work for the JS thread.
pub(crate) enum Job {
    /// Run call `id` of the pending registry.
    Call(u64),
    /// Delete a reference.
    Release(JsRef),
}

/// The non-blocking, unreferenced thread-safe function that wakes the JS thread.
type Wake = ThreadsafeFunction<(), (), (), Status, false, true>;

/// One JS thread (the main thread or a worker), as other threads see it.
pub(crate) struct JsThread {
    /// Its environment (only dereferenced on the thread itself).
    env: usize,
    /// Its OS thread id, for the deadlock gate ([`thread::check_requester`]).
    pub tid: Option<u32>,
    jobs: Mutex<Vec<Job>>,
    wake: Wake,
}

thread_local! {
    /// The calling JS thread's entry, created with its first adapter.
    static THREAD: OnceCell<Arc<JsThread>> = const { OnceCell::new() };
}

impl JsThread {
    /// The calling JS thread's entry (JS thread only: `env` is its environment).
    pub(crate) fn of(env: &Env) -> napi::Result<Arc<JsThread>> {
        THREAD.with(|cell| {
            if let Some(t) = cell.get() {
                return Ok(Arc::clone(t));
            }
            let created = Self::create(env)?;
            thread::mark_js_thread(env.raw());
            Ok(Arc::clone(cell.get_or_init(|| created)))
        })
    }

    fn create(env: &Env) -> napi::Result<Arc<JsThread>> {
        let noop = env.create_function_from_closure::<(), (), _>("anyfsJsLayer", |_| Ok(()))?;
        let wake: Wake = noop
            .build_threadsafe_function::<()>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(|ctx| {
                THREAD.with(|cell| {
                    if let Some(t) = cell.get() {
                        t.drain(&ctx.env);
                    }
                });
                Ok(())
            })?;
        Ok(Arc::new(JsThread {
            env: env.raw() as usize,
            tid: thread::os_thread_id(),
            jobs: Mutex::new(Vec::new()),
            wake,
        }))
    }

    /// The environment, if the caller runs on this JS thread.
    pub(crate) fn here(&self) -> Option<sys::napi_env> {
        let env = thread::current_env();
        (!env.is_null() && env as usize == self.env).then_some(env)
    }

    /// Queues `job` and wakes the thread if it was idle. Fails only while the environment
    /// shuts down (the job is then never run).
    pub(crate) fn send(&self, job: Job, op: &'static str) -> Result<(), FsError> {
        let was_empty = {
            let mut jobs = self.jobs.lock();
            let was_empty = jobs.is_empty();
            jobs.push(job);
            was_empty
        };
        if was_empty && self.wake.call((), ThreadsafeFunctionCallMode::NonBlocking) != Status::Ok {
            return Err(FsError::backend(
                op,
                "the JS environment is shutting down; its JS layers cannot run",
            ));
        }
        Ok(())
    }

    /// Runs every queued job (JS thread only). A panic fails its call instead of crossing into
    /// Node.
    fn drain(&self, env: &Env) {
        let jobs = std::mem::take(&mut *self.jobs.lock());
        for job in jobs {
            match job {
                Job::Call(id) => {
                    if catch_unwind(AssertUnwindSafe(|| super::call::run_queued(env.raw(), id)))
                        .is_err()
                    {
                        pending::answer(
                            id,
                            Err(
                                FsError::backend("js_layer", "panic while calling the JS layer")
                                    .into(),
                            ),
                        );
                    }
                }
                Job::Release(r) => {
                    // SAFETY: a reference created on this thread's env, deleted exactly once
                    // (the job owned it).
                    unsafe { sys::napi_delete_reference(env.raw(), r.0) };
                }
            }
        }
    }
}
