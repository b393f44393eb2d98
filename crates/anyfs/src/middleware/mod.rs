//! The middleware: each wraps any backend, implements the same traits as its inner backend (so
//! capabilities survive wrapping), has a `Layer` and a builder, and fails closed.
//!
//! Stacks read in the order they are built: `backend.layer(A).layer(B)` gives `B<A<backend>>`,
//! so the last layer added is the outermost and sees every call first.

#[cfg(feature = "cache")]
pub mod cache;
// Shared pass-through impls (`forward!`) for the traits a middleware does not intercept.
pub(crate) mod forward;
// The inner backend's read side, for policies that must look before they act.
#[cfg(feature = "dry_run")]
pub mod dry_run;
#[cfg(feature = "overlay")]
pub mod overlay;
#[cfg(feature = "path_filter")]
pub mod path_filter;
#[cfg(feature = "quota")]
pub mod quota;
#[cfg(feature = "rate_limit")]
pub mod rate_limit;
#[cfg(feature = "read_only")]
pub mod read_only;
#[cfg(feature = "restrictions")]
pub mod restrictions;
#[cfg(feature = "tracing")]
pub mod tracing;
#[cfg(any(feature = "quota", feature = "path_filter"))]
mod view;
// The fast forms (`write_replacing`, `remove_file_reporting`, `resolve_path`, `symlink_free`)
// through the pass-through middleware, and what a Quota or PathFilter above gains from them.
#[cfg(all(
    test,
    feature = "quota",
    feature = "path_filter",
    feature = "rate_limit",
    feature = "read_only",
    feature = "restrictions",
    feature = "tracing",
    feature = "memory"
))]
mod fast_forms_tests;
