//! The conformance kit through the observability, performance and composition middleware:
//! Tracing and Cache over MemoryBackend (every layer, up to FsPosix) and Cache over SQLite
//! (whose inode numbers are reused, the hazard an inode-keyed cache must survive); Overlay
//! over two MemoryBackends (up to FsFuse, the levels it implements) with an empty base and with
//! a populated one, and with a SQLite upper layer, whose whiteouts must survive a reopen. DryRun drops writes by design, so it cannot pass the kit; its own tests
//! (src/middleware/dry_run/tests.rs) cover it.
//!
//! Run with `cargo test -p anyfs --test middleware2_conformance -- --nocapture` to see every
//! case.

// Integration-test helpers are test code too: a failed expect is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;

use anyfs::middleware::cache::Cache;
use anyfs::middleware::overlay::Overlay;
use anyfs::middleware::tracing::{TraceEvent, Tracing};
use anyfs::{FileStorage, FsDir, FsLink, FsRead, FsWrite, MemoryBackend, SqliteBackend};

anyfs::conformance_tests!(tracing_memory, fs_posix, || Tracing::new(
    MemoryBackend::new()
));

anyfs::conformance_tests!(tracing_with_sink, fs_posix, || {
    Tracing::new(MemoryBackend::new()).with_sink(Arc::new(|e: &TraceEvent| {
        std::hint::black_box(e);
    }))
});

anyfs::conformance_tests!(cache_memory, fs_posix, || Cache::new(MemoryBackend::new()));

// A tiny cache: constant eviction, so correctness cannot lean on entries staying put.
anyfs::conformance_tests!(cache_tiny, fs_posix, || Cache::new(MemoryBackend::new())
    .with_max_entries(2)
    .with_max_size(64));

anyfs::conformance_tests!(cache_under_file_storage, fs_posix, || FileStorage::new(
    Cache::new(MemoryBackend::new())
));

anyfs::conformance_tests!(overlay_empty_base, fs_fuse, || Overlay::new(
    MemoryBackend::new(),
    MemoryBackend::new()
));

/// A base holding the names the kit uses (files, directories, symlinks, nested trees), all
/// deleted through the overlay before the kit starts. The kit then sees an empty filesystem,
/// but every name it creates lands on a whiteout, every directory it makes is opaque over a
/// base directory, and every listing merges a non-empty base.
fn populated_then_deleted() -> Overlay<MemoryBackend, MemoryBackend> {
    let base = MemoryBackend::new();
    let p = Path::new;
    for dir in [
        "/d/sub/deep",
        "/a/b/c",
        "/dir/x",
        "/e/f",
        "/x/y",
        "/src/dst",
        "/tree/a",
    ] {
        base.create_dir_all(p(dir)).expect("base dir");
    }
    for file in [
        "/f", "/g", "/b", "/c", "/file", "/target", "/data", "/m", "/k", "/z", "/n", "/d/f",
        "/d/sub/f", "/a/b/c/f", "/dir/x/f", "/e/f/g",
    ] {
        base.write(p(file), b"base content").expect("base file");
    }
    for (target, link) in [("/f", "/link"), ("/d", "/l"), ("/nowhere", "/dangling")] {
        base.symlink(p(target), p(link)).expect("base symlink");
    }
    let overlay = Overlay::new(base.clone(), MemoryBackend::new());
    for e in base.read_dir(p("/")).expect("base listing") {
        let path = Path::new("/").join(&e.name);
        if e.file_type == anyfs::FileType::Directory {
            overlay.remove_dir_all(&path).expect("whiteout dir");
        } else {
            overlay.remove_file(&path).expect("whiteout file");
        }
    }
    overlay
}

anyfs::conformance_tests!(overlay_populated_base, fs_fuse, populated_then_deleted);

anyfs::conformance_tests!(overlay_under_file_storage, fs_fuse, || FileStorage::new(
    Overlay::new(MemoryBackend::new(), MemoryBackend::new())
));

anyfs::conformance_tests!(cache_over_sqlite, fs_posix, || Cache::new(
    SqliteBackend::in_memory().expect("in-memory database")
));

anyfs::conformance_tests!(overlay_sqlite_upper, fs_fuse, || Overlay::new(
    MemoryBackend::new(),
    SqliteBackend::in_memory().expect("in-memory database")
));

#[test]
fn overlay_state_survives_reopening_a_sqlite_upper() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("upper.db");
    let p = Path::new;
    let base = MemoryBackend::new();
    base.create_dir_all(p("/app/src")).expect("base");
    base.write(p("/app/src/main.rs"), b"fn main() {}")
        .expect("base");
    base.write(p("/app/README"), b"readme").expect("base");
    base.create_dir_all(p("/app/old/deep")).expect("base");
    {
        let fs = Overlay::new(base.clone(), SqliteBackend::open(&db).expect("open"));
        fs.remove_file(p("/app/README")).expect("whiteout");
        fs.remove_dir_all(p("/app/old")).expect("whiteout dir");
        fs.create_dir(p("/app/old")).expect("opaque dir");
        fs.append(p("/app/src/main.rs"), b" // v2")
            .expect("copy-up");
    }
    let fs = Overlay::new(base, SqliteBackend::open(&db).expect("reopen"));
    assert!(!fs.exists(p("/app/README")).expect("exists"));
    assert!(fs.read_dir(p("/app/old")).expect("listing").is_empty());
    assert_eq!(
        fs.read(p("/app/src/main.rs")).expect("read"),
        b"fn main() {} // v2"
    );
    let names: Vec<_> = fs
        .read_dir(p("/app"))
        .expect("listing")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec!["old", "src"]);
}
