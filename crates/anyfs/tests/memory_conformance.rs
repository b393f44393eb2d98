//! The whole conformance kit against MemoryBackend, directly and through FileStorage (with the
//! default `IterativeResolver` and with a `CachingResolver`, whose invalidation the mutating
//! cases exercise).
//!
//! Run with `cargo test -p anyfs --test memory_conformance -- --nocapture` to see every case.

use anyfs::{CachingResolver, FileStorage, IterativeResolver, MemoryBackend};

anyfs::conformance_tests!(memory_backend, fs_posix, MemoryBackend::new);
anyfs::conformance_tests!(file_storage, fs_posix, || FileStorage::new(
    MemoryBackend::new()
));
anyfs::conformance_tests!(file_storage_caching, fs_posix, || {
    FileStorage::with_resolver(
        MemoryBackend::new(),
        CachingResolver::new(IterativeResolver::new(), 1024),
    )
});
