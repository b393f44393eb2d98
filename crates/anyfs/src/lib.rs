//! # anyfs
//!
//! Backends, middleware and the [`FileStorage`] ergonomics over the `anyfs-backend` contract,
//! which this crate re-exports whole.
//!
//! - [`MemoryBackend`] (feature `memory`, default): an in-memory [`FsPosix`] filesystem.
//! - [`FileStorage`]: the `std::fs`-shaped wrapper with a pluggable [`PathResolver`].
//! - `conformance` (feature `conformance`): the reusable test kit every backend runs.
//! - [`MountHandle`] (feature `fuse`, Linux): any stack as a real FUSE mount point.

pub use anyfs_backend::*;

pub mod backends;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod middleware;
#[cfg(feature = "fuse")]
pub mod mount;
#[cfg(any(
    feature = "memory",
    feature = "sqlite",
    feature = "overlay",
    all(target_os = "linux", any(feature = "stdfs", feature = "vrootfs"))
))]
#[cfg_attr(not(feature = "memory"), allow(dead_code))]
mod posix_errors;
pub mod stack;
pub mod storage;

#[cfg(feature = "memory")]
pub use backends::MemoryBackend;
#[cfg(feature = "sqlite")]
pub use backends::SqliteBackend;
#[cfg(all(target_os = "linux", feature = "stdfs"))]
pub use backends::StdFsBackend;
#[cfg(all(target_os = "linux", feature = "vrootfs"))]
pub use backends::VRootFsBackend;
#[cfg(feature = "fuse")]
pub use mount::{MountBuilder, MountError, MountHandle, MountOptions, MountStack};
pub use stack::BackendStack;
pub use storage::*;
// The policy middleware at the crate root, as the seeds write them (`use anyfs::{Quota, QuotaLayer}`).
#[cfg(feature = "path_filter")]
pub use middleware::path_filter::{PathFilter, PathFilterLayer};
#[cfg(feature = "quota")]
pub use middleware::quota::{Quota, QuotaLayer, QuotaLimits, QuotaRemaining, QuotaUsage};
#[cfg(feature = "rate_limit")]
pub use middleware::rate_limit::{RateLimit, RateLimitLayer};
#[cfg(feature = "read_only")]
pub use middleware::read_only::{ReadOnly, ReadOnlyLayer};
#[cfg(feature = "restrictions")]
pub use middleware::restrictions::{Restrictions, RestrictionsLayer};
// The observability, performance and composition middleware at the crate root too.
#[cfg(feature = "cache")]
pub use middleware::cache::{Cache, CacheLayer};
#[cfg(feature = "dry_run")]
pub use middleware::dry_run::{DryRun, DryRunLayer};
#[cfg(feature = "overlay")]
pub use middleware::overlay::{Overlay, OverlayLayer};
#[cfg(feature = "tracing")]
pub use middleware::tracing::{TraceEvent, Tracing, TracingLayer};
