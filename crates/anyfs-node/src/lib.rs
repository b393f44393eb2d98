//! # anyfs-node: the napi-rs glue of the `anyfs` npm package
//!
//! Glue only, no filesystem logic: a native handle ([`stack::NativeFs`]) owns a type-erased
//! engine stack (`Arc<dyn FsPosix>`, optionally behind `FileStorage`) and converts arguments and
//! results; everything else is the engine's (`anyfs`, `anyfs-backend`). The TypeScript layer in
//! `js/` wraps these classes; the generated `binding.js`/`binding.d.ts` are never edited.
//!
//! Boundary rules (DESIGN.md section 5):
//! - **Panics never cross into Node.** Every entry point runs its body under
//!   [`error::guard`]/[`error::no_panic`], so a panic becomes an `EIO` error and the process
//!   lives. Release builds use `panic = "unwind"` (workspace profile) so this can work.
//! - **One error encoding** ([`error`]) for sync throws, pool rejections and batch items.
//! - **Cheap calls**: byte slices are borrowed straight from JS for sync calls, strings are
//!   converted with one N-API call into a reused buffer ([`arg`]), structured results are
//!   written into a per-thread scratch array shared with JS ([`arg::scratch`]) or travel as
//!   numbers ([`convert`]), and byte results above 8 MiB are handed over without a copy.
//! - **Async**: non-blocking stacks (memory) are called synchronously and JS returns a settled
//!   promise; blocking stacks go to the addon's elastic thread pool ([`pool`], [`runtime`]).
//!
//! Thread safety: the handles are `Send + Sync` (the engine's stacks are); streams and batches
//! that run on the pool share the stack through an `Arc`.

mod arg;
mod batch;
mod convert;
mod debug;
mod error;
mod external;
mod ops;
mod pool;
mod runtime;
mod stack;
// After `stack`, like every module that adds `#[napi] impl NativeFs` blocks.
mod backends;
mod engine_loop;
mod js_backend;
mod layers;
#[cfg(target_os = "linux")]
mod mapped;
mod mount;
mod read_into;
mod stream;

// The free functions of the JS surface (the classes are reached through them and napi's
// registration). Re-exported so they are reachable in every build, tests included.
pub use arg::scratch;
pub use batch::op_names;
pub use js_backend::{debug_js_panic, js_settle, with_requester};
pub use layers::path_filter_pattern_error;
pub use mount::mount_is_available;
pub use stack::{capability_names, errno_table};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_errno_table_is_the_backends_mapping() {
        let table = errno_table();
        let find = |code: &str| table.iter().find(|(c, _, _)| c == code).cloned();
        assert_eq!(
            find("ENOENT"),
            Some(("ENOENT".into(), -2, "no such file or directory".into()))
        );
        assert_eq!(find("EIO").map(|e| e.1), Some(-5));
        assert_eq!(find("ENODATA").map(|e| e.1), Some(-61));
        // One row per code: the fallback name "EIO" appears only for errno 5.
        assert_eq!(table.iter().filter(|(c, _, _)| c == "EIO").count(), 1);
    }

    #[test]
    fn capability_and_op_names_are_unique() {
        let caps = capability_names();
        assert_eq!(caps.len(), 11);
        let ops = op_names();
        let mut sorted = ops.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ops.len());
    }
}
