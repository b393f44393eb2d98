//! The blocking pool: async calls of blocking stacks run on tokio's `spawn_blocking` threads
//! (napi's runtime), never on libuv's fixed pool, so nested blocking (JS middleware, FUSE)
//! cannot exhaust it (DESIGN.md section 5).

use napi::bindgen_prelude::{AsyncBlock, AsyncBlockBuilder, ToNapiValue};
use napi::Env;

use crate::error::{to_napi, Ctx};

/// Runs `work` on the blocking pool and settles a promise with `map(result)` on the JS thread.
///
/// `work` must not panic (callers guard it); a panic that escapes anyway still only rejects the
/// promise with an `EIO` error.
pub(crate) fn spawn<T, V>(
    env: &Env,
    op: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
    map: impl FnOnce(Env, T) -> napi::Result<V> + 'static,
) -> napi::Result<AsyncBlock<V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
{
    let task = async move {
        napi::tokio::task::spawn_blocking(work).await.map_err(|e| {
            let err = anyfs::FsError::backend(op, format!("pool task failed: {e}"));
            to_napi(&err, Ctx::bare(op))
        })
    };
    AsyncBlockBuilder::build_with_map(env, task, map)
}
