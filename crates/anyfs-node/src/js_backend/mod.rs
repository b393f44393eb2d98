//! The adapter that lets native layers (and `FileStorage`) sit on top of JS ones: a backend
//! whose every operation calls a JS object — a `Middleware` instance, or a plain object of
//! handlers — through one dispatcher function written in `js/js-layer/dispatch.ts`.
//!
//! Glue only: no filesystem logic beyond composing a few optional operations from required
//! ones ([`fs`]), as the engine's trait defaults do.
//!
//! # How a call reaches JS
//!
//! - On the layer's own JS thread (a synchronous call from JS, through native layers): the
//!   dispatcher is called directly, in sync mode ([`call`]).
//! - From any other thread (the blocking pool serving an async call, a FUSE thread): the call
//!   is queued to the JS thread ([`queue`]) and the calling thread blocks until the answer, a
//!   promise's outcome, or the timeout ([`pending`]). Stacks with a JS layer are therefore
//!   *blocking* stacks: their async calls run on the pool, whose cap is raised so nesting
//!   cannot exhaust it ([`crate::runtime`]) — unless the layer declared itself synchronous
//!   (it never answers with a promise) and nothing below it blocks: then async calls are served
//!   on the JS thread like sync ones, with no thread hop.
//!
//! # Hazards, designed out
//!
//! - A sync call reaching a handler that returns a promise: refused at once with `EDEADLK`
//!   (the JS thread cannot wait for a promise it would have to settle itself).
//! - A handler that throws: its error crosses the native layers as the matching `FsError`
//!   variant and comes out in JS as the very object thrown ([`error`]); a plain `Error`
//!   becomes an `EIO` `FsError` carrying its message; a wrong answer type is an `EIO` error
//!   naming the layer, the operation and what it returned.
//! - A handler that never settles: the waiting thread gives up after the layer's timeout with
//!   `ETIMEDOUT`; a call that times out before JS started it is never run, a late answer is
//!   dropped.
//! - A request made on behalf of a JS thread blocked in the kernel (a mount served by this
//!   process): `EDEADLK` at once, see [`thread`] and [`with_requester`].
//! - Panics and JS exceptions never cross into Node: the sync path runs inside the caller's
//!   panic guard, the queue catches panics per job, and the dispatcher's own exceptions are
//!   cleared and reported as errors.
//!
//! A limit that stays: native layers may hold a lock while they call the layer below them
//! (Quota serializes mutations, PathFilter guards its namespace). A JS layer must therefore
//! not call back into a stack *above* itself, and a synchronous call must not wait on a native
//! layer's lock held by an async call that is waiting for the JS thread; both would wait for
//! each other. The async side gives up after its timeout, which ends such a wait.
//!
//! Thread safety: the adapter is `Send + Sync`; all JS values stay on their JS thread.

mod call;
mod error;
mod fs;
mod op;
mod pending;
mod queue;
mod thread;
mod value;
mod writer;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use napi::bindgen_prelude::Unknown;
use napi::{sys, Env, JsValue, Status};
use napi_derive::napi;

use crate::convert::to_u64;
use crate::error::no_panic;
use crate::stack::{NativeFs, POSIX_CAPS};

pub(crate) use error::token_for;
pub use thread::with_requester;

/// A set of op codes as bits (codes above 63 are not ops of the adapter).
fn op_set(codes: &[u32]) -> u64 {
    codes
        .iter()
        .filter(|&&c| c < 64)
        .fold(0, |set, &c| set | (1 << c))
}

/// How much longer a thread waits for a JS layer than the layer's own timeout.
const GRACE: Duration = Duration::from_millis(250);

/// A strong reference to `value` (a function), owned by the caller.
fn reference(env: &Env, value: &Unknown<'_>) -> napi::Result<queue::JsRef> {
    let mut kind = sys::ValueType::napi_undefined;
    let mut r = std::ptr::null_mut();
    // SAFETY: a value of this call's env, on its JS thread; out-pointers to locals.
    unsafe {
        sys::napi_typeof(env.raw(), value.raw(), &mut kind);
        if kind != sys::ValueType::napi_function {
            return Err(napi::Error::new(
                Status::InvalidArg,
                "dispatch must be a function",
            ));
        }
        if sys::napi_create_reference(env.raw(), value.raw(), 1, &mut r) != sys::Status::napi_ok {
            return Err(napi::Error::new(
                Status::GenericFailure,
                "cannot reference the dispatcher",
            ));
        }
    }
    Ok(queue::JsRef(r))
}

/// How a JS layer is called, as `js/js-layer/dispatch.ts` describes it.
#[napi(object)]
pub struct NativeJsLayer {
    /// Capability bits (see `stack::CAPABILITIES`).
    pub caps: u32,
    /// The op codes the JS object implements itself (the others are composed or refused).
    pub handlers: Vec<u32>,
    /// The layer's timeout in milliseconds; a call from another thread waits [`GRACE`] longer.
    /// `Infinity`: for ever.
    pub timeout_ms: f64,
    /// The layer's name, for messages.
    pub name: String,
    /// Whether async calls must run on the blocking pool (true unless the layer declared it
    /// never answers with a promise and nothing below it blocks).
    pub blocking: bool,
    /// The op codes no JS layer down to the native stack below overrides: those are served
    /// there directly, without calling into JS.
    pub below_ops: Vec<u32>,
}

#[napi]
impl NativeFs {
    /// A stack whose operations call the JS `dispatch(op, id, s0, s1, bytes, n0, n1, n2)`
    /// (see `js/js-layer/dispatch.ts`), as `layer` describes; `below` is the native stack under
    /// the layer, if there is one.
    #[napi(
        factory,
        js_name = "fromJs",
        ts_args_type = "dispatch: (op: number, id: number, s0?: string, s1?: string, bytes?: Uint8Array, n0?: number, n1?: number, n2?: number) => unknown, layer: NativeJsLayer, below: NativeFs | null"
    )]
    pub fn from_js(
        env: &Env,
        dispatch: Unknown<'_>,
        layer: NativeJsLayer,
        below: Option<&NativeFs>,
    ) -> napi::Result<NativeFs> {
        let func = reference(env, &dispatch)?;
        let thread = queue::JsThread::of(env)?;
        // A little longer than the layer's own timer in JS, whose error is clearer: this one
        // only has to end waits on a JS thread too busy (or blocked) to report anything.
        let timeout = (layer.timeout_ms.is_finite() && layer.timeout_ms > 0.0)
            .then(|| Duration::from_secs_f64(layer.timeout_ms / 1000.0) + GRACE);
        let core = call::Core::new(func, thread, op_set(&layer.handlers), timeout, layer.name);
        let below = below
            .filter(|b| !b.is_storage())
            .map(|b| (Arc::clone(&b.backend), op_set(&layer.below_ops)));
        let backend = Arc::new(fs::JsFs {
            core: Arc::new(core),
            below,
        });
        Ok(NativeFs::bare(
            backend,
            layer.caps & POSIX_CAPS,
            layer.blocking,
            false,
        ))
    }
}

/// Answers call `id` with the outcome of its handler's promise: a value in the call's answer
/// form, or an error descriptor. Never throws (a late answer is dropped).
#[napi(js_name = "jsSettle")]
pub fn js_settle(env: &Env, id: f64, value: Unknown<'_>) {
    let _ = no_panic("jsSettle", || {
        let id = to_u64(id, "id", "jsSettle")?;
        // SAFETY: a value of this call's env, on its JS thread.
        unsafe { call::settle(env.raw(), id, value.raw()) };
        Ok(())
    });
}

/// Test hook: `1` makes the next adapter call panic inside its guard, `2` makes the next
/// queued call panic on the JS thread; either must surface as an `EIO` error.
#[napi(js_name = "__debugJsPanic")]
pub fn debug_js_panic(at: u32) {
    call::PANIC_NEXT.store(u8::try_from(at).unwrap_or(0), Ordering::Relaxed);
}
