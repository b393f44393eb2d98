//! Unit tests of the SQLite backend. The cross-backend conformance kit runs in
//! `tests/sqlite_conformance.rs`, persistence and multi-process behaviour in
//! `tests/sqlite_persistence.rs` and `tests/sqlite_processes.rs`; these pin down what needs
//! the backend's insides or is specific to it: which chunk rows an operation touches, the
//! set-based subtree removal, unlink-while-open through orphans, atomicity when SQLite fails
//! mid-operation, busy handling, and the schema a new database gets.

use std::fmt::Debug;
use std::path::Path;

use anyfs_backend::FsError;

use super::{SqliteBackend, SqliteOptions};

mod atomic;
mod chunks;
mod handles;
mod open;
mod remove;

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// The POSIX code of a call that must fail.
#[track_caller]
fn code<T: Debug>(result: Result<T, FsError>) -> &'static str {
    result.expect_err("the call should have failed").code()
}

/// An in-memory database with small chunks, so a few bytes already span several.
fn small_chunks(chunk: usize) -> SqliteBackend {
    SqliteBackend::in_memory_with(SqliteOptions::new().chunk_size(chunk)).unwrap()
}

/// Rows of a table, counted straight on the writer connection.
fn rows(fs: &SqliteBackend, table: &str) -> i64 {
    fs.inner
        .conns
        .writer()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}
