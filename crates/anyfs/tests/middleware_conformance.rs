//! The whole conformance kit through each policy middleware, configured permissively, over
//! MemoryBackend: every case that passes on the bare backend must pass through the layer, which
//! proves capabilities (up to FsPosix) survive wrapping and pass-through is exact, errors
//! included. ReadOnly cannot pass the write cases; its inline tests (src/middleware/read_only.rs)
//! check that every mutating method is EROFS and every read works.
//!
//! Run with `cargo test -p anyfs --test middleware_conformance -- --nocapture` to see each case.

use anyfs::middleware::path_filter::PathFilterLayer;
use anyfs::middleware::quota::QuotaLayer;
use anyfs::middleware::rate_limit::RateLimitLayer;
use anyfs::middleware::restrictions::RestrictionsLayer;
use anyfs::{LayerExt, MemoryBackend};

/// Every limit set (so every check runs) and none reachable.
fn roomy_quota() -> QuotaLayer {
    QuotaLayer::builder()
        .max_total_size(u64::MAX / 2)
        .max_file_size(u64::MAX / 2)
        .max_node_count(u64::MAX / 2)
        .max_dir_entries(u64::MAX / 2)
        .max_path_depth(u64::MAX / 2)
        .build()
}

anyfs::conformance_tests!(quota, fs_posix, || MemoryBackend::new()
    .layer(roomy_quota()));
anyfs::conformance_tests!(restrictions, fs_posix, || MemoryBackend::new()
    .layer(RestrictionsLayer::new()));
anyfs::conformance_tests!(rate_limit, fs_posix, || MemoryBackend::new().layer(
    RateLimitLayer::builder()
        .max_ops(u32::MAX)
        .per_second()
        .build()
));
anyfs::conformance_tests!(path_filter, fs_posix, || MemoryBackend::new()
    .layer(PathFilterLayer::builder().allow("/**").build()));
