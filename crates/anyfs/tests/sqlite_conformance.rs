//! The whole conformance kit against SqliteBackend: an in-memory database; a database file in
//! a temporary directory (WAL, a pool of reader connections beside the writer); an in-memory
//! database with the smallest chunk size, so multi-byte cases cross chunk boundaries; and
//! FileStorage over a database file with its `SelfResolving` fast path (no second walk).
//!
//! Run with `cargo test -p anyfs --test sqlite_conformance -- --nocapture` to see every case.

// Integration-test helpers are test code too: a failed unwrap is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicUsize, Ordering};

use anyfs::backends::sqlite::{SqliteOptions, MIN_CHUNK_SIZE};
use anyfs::{FileStorage, SqliteBackend};

/// A factory of fresh file-backed databases in one temporary directory, which lives as long
/// as the factory (one conformance section): each call opens a new file.
fn file_backed(options: SqliteOptions) -> impl Fn() -> SqliteBackend {
    let dir = tempfile::tempdir().expect("temporary directory");
    let next = AtomicUsize::new(0);
    move || {
        let n = next.fetch_add(1, Ordering::Relaxed);
        SqliteBackend::open_with(dir.path().join(format!("{n}.db")), options.clone())
            .expect("open a fresh database")
    }
}

anyfs::conformance_tests!(sqlite_memory, fs_posix, || SqliteBackend::in_memory()
    .expect("in-memory database"));
anyfs::conformance_tests!(sqlite_file, fs_posix, file_backed(SqliteOptions::new()));
anyfs::conformance_tests!(sqlite_memory_small_chunks, fs_posix, || {
    SqliteBackend::in_memory_with(SqliteOptions::new().chunk_size(MIN_CHUNK_SIZE))
        .expect("in-memory database")
});
anyfs::conformance_tests!(sqlite_file_storage, fs_posix, {
    let make = file_backed(SqliteOptions::new());
    move || FileStorage::self_resolving(make())
});
