//! The async runtime behind the blocking pool ([`crate::pool`]): napi's tokio runtime, built
//! here with a high cap on blocking threads so the pool is elastic in practice.
//!
//! Why: a pool thread serving an async call on a stack with a JS layer blocks until the JS
//! thread answers, and the JS layer's own async calls into native stacks below it need pool
//! threads of their own. So each call in flight can hold one pool thread per native segment
//! above a JS layer. With tokio's default cap (512), 500 concurrent calls through
//! native/JS/native/JS/native would take every thread with outer segments waiting for inner
//! ones that can never be scheduled: a deadlock. The cap below is far above any realistic
//! nesting times concurrency; idle threads still exit after tokio's keep-alive (10 s), so the
//! pool shrinks back. Thread stacks are reserved, not committed, so the cap costs nothing
//! until threads exist.
//!
//! The runtime is built when the addon loads (napi's documented way to configure it); if that
//! fails, napi builds its default runtime on first use instead.

use napi::bindgen_prelude::create_custom_tokio_runtime;
use napi::tokio::runtime::Builder;

/// Most blocking threads at once.
const MAX_BLOCKING_THREADS: usize = 8192;

#[napi_derive::module_init]
fn init() {
    if let Ok(rt) = Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
    {
        create_custom_tokio_runtime(rt);
    }
}
