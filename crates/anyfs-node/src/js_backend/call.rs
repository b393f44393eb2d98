//! [`Core`]: one JS layer as the adapter calls it — directly on its JS thread, through the
//! thread's job queue from anywhere else.
//!
//! # The two paths
//!
//! - **On the JS thread** (a synchronous call from JS that reached the adapter through native
//!   layers): the dispatcher is called right here, in *sync mode* (id 0). The layer answers
//!   with a value or throws; a handler that returns a promise is refused by the dispatcher with
//!   `EDEADLK` at once, since this thread cannot wait for a promise it would itself have to
//!   settle.
//! - **Anywhere else** (the blocking pool running an async call, a FUSE thread): the call is
//!   registered ([`super::pending`]), queued to the JS thread ([`super::queue`]), and this
//!   thread blocks until the answer comes back — a value, a thrown error, or a promise's
//!   outcome (`jsSettle`) — or the layer's timeout passes (`ETIMEDOUT`). The JS thread is never
//!   blocked by this; blocking pool threads is what the elastic pool is for (see
//!   `crate::runtime`).
//!
//! Cost: the direct path is one N-API function call plus argument and answer conversion; the
//! queued path adds two thread hops (like any pooled call) and, for a promise, one more call
//! into native code to settle it.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyfs::FsError;
use napi::sys;

use super::error::Failure;
use super::op::Op;
use super::pending::{self, Slot};
use super::queue::{Job, JsRef, JsThread};
use super::thread;
use super::value::{self, Answer, Args, Reply};

/// One JS layer behind the adapter.
pub(crate) struct Core {
    /// The dispatcher function (a strong reference, released on the JS thread).
    func: Option<JsRef>,
    /// The JS thread the layer lives on.
    pub thread: Arc<JsThread>,
    /// The ops the JS object implements itself (bit `op.code()`); the rest are composed.
    pub handlers: u64,
    /// How long a call from another thread waits for the layer; `None`: for ever.
    pub timeout: Option<Duration>,
    /// The layer's name, for messages.
    pub name: String,
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(func) = self.func.take() {
            // If the environment is gone, so is the reference: nothing left to release.
            let _ = self.thread.send(Job::Release(func), "drop");
        }
    }
}

/// Test hooks: 1 = the next call panics in the adapter, 2 = the next queued call panics on
/// the JS thread. Proves that neither crosses into Node.
pub(crate) static PANIC_NEXT: AtomicU8 = AtomicU8::new(0);

impl Core {
    /// A layer calling `func` (a reference the core now owns) on `thread`.
    pub(crate) fn new(
        func: JsRef,
        thread: Arc<JsThread>,
        handlers: u64,
        timeout: Option<Duration>,
        name: String,
    ) -> Self {
        Core {
            func: Some(func),
            thread,
            handlers,
            timeout,
            name,
        }
    }

    /// Calls the layer's `op` with `args`, from any thread (see the module docs).
    pub(crate) fn call(self: &Arc<Self>, op: Op, args: Args<'_>) -> Result<Reply, FsError> {
        if PANIC_NEXT.load(Ordering::Relaxed) == 1 && PANIC_NEXT.swap(0, Ordering::Relaxed) == 1 {
            crate::debug::panic_now()?;
        }
        if let Some(env) = self.thread.here() {
            // SAFETY: `env` is this thread's live environment, and a call that reaches the
            // adapter on the JS thread comes from JS (a synchronous native method).
            return unsafe { self.call_here(env, op, &args) };
        }
        thread::check_requester(self.thread.tid, &self.name, op.engine_name())?;
        let (id, slot) = Slot::register(Arc::clone(self), op, args.to_owned());
        if let Err(e) = self.thread.send(Job::Call(id), op.engine_name()) {
            pending::withdraw(id);
            return Err(e);
        }
        slot.wait(id, self.timeout)
    }

    /// The direct path, in a handle scope of its own.
    ///
    /// # Safety
    /// `env` must be the calling thread's live environment, with JS on the stack.
    unsafe fn call_here(
        &self,
        env: sys::napi_env,
        op: Op,
        args: &Args<'_>,
    ) -> Result<Reply, FsError> {
        // SAFETY: per the caller's contract.
        match unsafe { scoped(env, || self.dispatch(env, op, 0, args)) } {
            Some(Answer::Done(r)) => r.map_err(Failure::land),
            Some(Answer::Pending) => Err(FsError::backend(
                op.engine_name(),
                "the JS layer left a synchronous call pending",
            )),
            None => Err(FsError::backend(
                op.engine_name(),
                "cannot open a handle scope",
            )),
        }
    }

    /// Calls the dispatcher with `id` (0: sync mode) and decodes its answer.
    ///
    /// # Safety
    /// As [`Core::call_here`], inside a handle scope.
    unsafe fn dispatch(&self, env: sys::napi_env, op: Op, id: u64, args: &Args<'_>) -> Answer {
        let Some(func) = &self.func else {
            return Answer::Done(Err(FsError::backend(
                op.engine_name(),
                "the JS layer was released",
            )
            .into()));
        };
        // SAFETY: per the caller's contract; every N-API status is checked.
        unsafe {
            let mut f = std::ptr::null_mut();
            if sys::napi_get_reference_value(env, func.0, &mut f) != sys::Status::napi_ok
                || f.is_null()
            {
                return Answer::Done(Err(FsError::backend(
                    op.engine_name(),
                    "the JS layer is gone",
                )
                .into()));
            }
            let argv = match value::build(env, op, id, args) {
                Ok(a) => a,
                Err(e) => return Answer::Done(Err(e.into())),
            };
            let mut recv = std::ptr::null_mut();
            sys::napi_get_undefined(env, &mut recv);
            let mut result = std::ptr::null_mut();
            let status =
                sys::napi_call_function(env, recv, f, argv.len(), argv.as_ptr(), &mut result);
            if status != sys::Status::napi_ok {
                return Answer::Done(Err(self.thrown(env, op).into()));
            }
            value::decode(env, result, op, args)
        }
    }

    /// The error for a dispatcher that threw (it catches everything it calls, so this is a
    /// JS engine condition such as a stack overflow); the exception is cleared, never rethrown.
    ///
    /// # Safety
    /// As [`Core::dispatch`].
    unsafe fn thrown(&self, env: sys::napi_env, op: Op) -> FsError {
        let mut exception = std::ptr::null_mut();
        // SAFETY: per the caller's contract.
        let message = unsafe {
            if sys::napi_get_and_clear_last_exception(env, &mut exception) == sys::Status::napi_ok
                && !exception.is_null()
            {
                super::error::message_of(env, exception)
            } else {
                None
            }
        };
        FsError::backend(
            op.engine_name(),
            format!(
                "the JS layer {} threw past its dispatcher: {}",
                self.name,
                message.unwrap_or_else(|| "unknown error".to_owned())
            ),
        )
    }
}

/// Runs `f` inside a fresh handle scope; `None` if none can be opened.
///
/// # Safety
/// `env` must be the calling thread's live environment.
unsafe fn scoped<T>(env: sys::napi_env, f: impl FnOnce() -> T) -> Option<T> {
    let mut scope = std::ptr::null_mut();
    // SAFETY: per the caller's contract; the scope is closed on every path below.
    unsafe {
        if sys::napi_open_handle_scope(env, &mut scope) != sys::Status::napi_ok {
            return None;
        }
        let out = f();
        sys::napi_close_handle_scope(env, scope);
        Some(out)
    }
}

/// Runs queued call `id` on its JS thread (called by the queue's drain). A call withdrawn
/// meanwhile (timed out) is skipped, so it never runs late.
pub(crate) fn run_queued(env: sys::napi_env, id: u64) {
    let Some(slot) = pending::get(id) else { return };
    if PANIC_NEXT.load(Ordering::Relaxed) == 2 && PANIC_NEXT.swap(0, Ordering::Relaxed) == 2 {
        let _ = crate::debug::panic_now();
    }
    let args = slot.args.borrow();
    // SAFETY: the drain runs on the JS thread of `env`, from the event loop.
    let answer = unsafe { scoped(env, || slot.core.dispatch(env, slot.op, id, &args)) };
    match answer {
        Some(Answer::Done(r)) => pending::answer(id, r),
        Some(Answer::Pending) => {}
        None => pending::answer(
            id,
            Err(FsError::backend(slot.op.engine_name(), "cannot open a handle scope").into()),
        ),
    }
}

/// Answers call `id` with the settled value of its handler's promise (JS thread only).
///
/// # Safety
/// `env` must be the calling thread's live environment and `value` one of its values.
pub(crate) unsafe fn settle(env: sys::napi_env, id: u64, value: sys::napi_value) {
    let Some(slot) = pending::get(id) else { return };
    let args = slot.args.borrow();
    // SAFETY: per the caller's contract.
    match unsafe { value::decode(env, value, slot.op, &args) } {
        Answer::Done(r) => pending::answer(id, r),
        Answer::Pending => pending::answer(
            id,
            Err(
                FsError::backend(slot.op.engine_name(), "the JS layer settled with no answer")
                    .into(),
            ),
        ),
    }
}
