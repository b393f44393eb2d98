//! Every operation is one transaction: when SQLite fails in the middle (a full disk, simulated
//! with `max_page_count`; a lock held by another connection past the busy timeout), nothing of
//! the operation remains.

use std::time::Duration;

use anyfs_backend::{FsDir, FsRead, FsWrite};

use super::{code, p, rows, SqliteBackend};
use crate::backends::sqlite::SqliteOptions;

/// Lets the database grow by only `extra` more pages.
fn cap_pages(fs: &SqliteBackend, extra: i64) {
    let w = fs.inner.conns.writer();
    let pages: i64 = w.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    w.execute_batch(&format!("PRAGMA max_page_count = {}", pages + extra))
        .unwrap();
}

#[test]
fn a_write_that_fills_the_disk_leaves_no_file_behind() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/keep"), b"kept").unwrap();
    let before = fs.metadata(p("/d")).unwrap();
    cap_pages(&fs, 4);
    let big = vec![7u8; 1 << 20];
    assert_eq!(code(fs.write(p("/d/big"), &big)), "ENOSPC");
    assert!(
        !fs.exists(p("/d/big")).unwrap(),
        "the created entry was rolled back"
    );
    assert_eq!(fs.metadata(p("/d")).unwrap(), before, "parent untouched");
    // Appending to an existing file fails whole too: its size and bytes are unchanged.
    assert_eq!(code(fs.append(p("/d/keep"), &big)), "ENOSPC");
    assert_eq!(fs.read(p("/d/keep")).unwrap(), b"kept");
    cap_pages(&fs, 10_000);
    fs.check_integrity().unwrap();
    fs.write(p("/d/big"), &big).unwrap();
    assert_eq!(fs.read(p("/d/big")).unwrap(), big);
}

#[test]
fn a_copy_that_fills_the_disk_leaves_no_destination() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.write(p("/src"), &vec![3u8; 1 << 20]).unwrap();
    let chunks = rows(&fs, "chunks");
    cap_pages(&fs, 4);
    assert_eq!(code(fs.copy(p("/src"), p("/dst"))), "ENOSPC");
    assert!(!fs.exists(p("/dst")).unwrap());
    assert_eq!(rows(&fs, "chunks"), chunks);
    fs.check_integrity().unwrap();
}

#[test]
fn a_lock_held_past_the_busy_timeout_is_ebusy_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let options = SqliteOptions::new().busy_timeout(Duration::from_millis(100));
    let fs = SqliteBackend::open_with(&path, options).unwrap();
    fs.create_dir_all(p("/d/e")).unwrap();
    fs.write(p("/d/f"), b"before").unwrap();

    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    assert_eq!(code(fs.write(p("/d/f"), b"after")), "EBUSY");
    let busy = fs.remove_dir_all(p("/d")).unwrap_err();
    assert_eq!((busy.code(), busy.kind()), ("EBUSY", "Busy"));
    // WAL: readers are not blocked by the other writer.
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"before");
    assert!(fs.exists(p("/d/e")).unwrap());
    other.execute_batch("COMMIT").unwrap();

    fs.write(p("/d/f"), b"after").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"after");
    fs.check_integrity().unwrap();
}
