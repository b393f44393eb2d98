//! What a new database gets (application id, schema version, WAL, page and chunk size) and
//! which options are refused.

use anyfs_backend::{FsRead, FsWrite};

use super::{code, p, SqliteBackend, SqliteOptions};
use crate::backends::sqlite::{Synchronous, APPLICATION_ID, SCHEMA_VERSION};

fn pragma(fs: &SqliteBackend, name: &str) -> String {
    fs.inner
        .conns
        .writer()
        .query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .unwrap()
}

#[test]
fn a_new_database_is_marked_versioned_and_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions::new()
        .page_size(8192)
        .chunk_size(4096)
        .synchronous(Synchronous::Full);
    let fs = SqliteBackend::open_with(dir.path().join("n.db"), options).unwrap();
    assert_eq!(pragma(&fs, "application_id"), APPLICATION_ID.to_string());
    assert_eq!(pragma(&fs, "user_version"), SCHEMA_VERSION.to_string());
    assert_eq!(pragma(&fs, "journal_mode"), "wal");
    assert_eq!(pragma(&fs, "page_size"), "8192");
    assert_eq!(pragma(&fs, "synchronous"), "2");
    assert_eq!(fs.chunk_size(), 4096);
    assert_eq!(fs.path(), Some(dir.path().join("n.db").as_path()));
    assert_eq!(SqliteBackend::in_memory().unwrap().path(), None);
}

#[test]
fn page_and_chunk_size_are_kept_from_creation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let fs = SqliteBackend::open_with(&path, SqliteOptions::new().chunk_size(1024)).unwrap();
    fs.write(p("/f"), &[1u8; 3000]).unwrap();
    drop(fs);
    let other = SqliteOptions::new().chunk_size(1 << 20).page_size(1024);
    let fs = SqliteBackend::open_with(&path, other).unwrap();
    assert_eq!(fs.chunk_size(), 1024);
    assert_eq!(pragma(&fs, "page_size"), "4096");
    assert_eq!(fs.read(p("/f")).unwrap(), vec![1u8; 3000]);
}

#[test]
fn bad_options_are_einval() {
    for options in [
        SqliteOptions::new().page_size(1000),
        SqliteOptions::new().page_size(256),
        SqliteOptions::new().page_size(131_072),
        SqliteOptions::new().chunk_size(100),
        SqliteOptions::new().chunk_size(64 << 20),
    ] {
        let e = SqliteBackend::in_memory_with(options.clone()).unwrap_err();
        assert_eq!(
            (e.code(), e.kind()),
            ("EINVAL", "InvalidInput"),
            "{options:?}"
        );
    }
}

#[test]
fn a_database_in_a_missing_directory_is_an_error_not_a_panic() {
    let e = SqliteBackend::open("/nonexistent-anyfs-dir/x/y.db").unwrap_err();
    assert_eq!(e.code(), "EIO");
    // A directory is not a database file: the host's answer.
    assert_eq!(code(SqliteBackend::open("/")), "EISDIR");
}
