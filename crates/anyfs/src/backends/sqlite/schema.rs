//! The versioned schema: how a database is recognised as AnyFS's (`PRAGMA application_id`),
//! which version it has (`PRAGMA user_version`), and how a new one is created.
//!
//! A file is checked before anything writes to it: its first 100 bytes must be a SQLite header,
//! then a read-only connection reads the application id and the schema version. A foreign or
//! newer database is refused without a single write, so it is left byte-for-byte untouched.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyfs_backend::{FsError, ROOT_INODE};
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

use super::err::{self, SqlResult};
use super::node::{to_ns, KIND_DIR};

/// `PRAGMA application_id` of an AnyFS database: the bytes `AnFS`.
pub const APPLICATION_ID: i32 = 0x416E_4653;
/// The schema version this build creates and reads (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 1;

/// The tables of schema version 1. Every table is `STRICT`, so a value of the wrong type is
/// refused by SQLite itself. Inode numbers are `AUTOINCREMENT` row ids: never reused, even
/// across restarts, so a FUSE client's cached inode can never name a different file.
const SCHEMA_V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE inodes (
    ino   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    mode  INTEGER NOT NULL,
    uid   INTEGER NOT NULL,
    gid   INTEGER NOT NULL,
    size  INTEGER NOT NULL DEFAULT 0,
    nlink INTEGER NOT NULL,
    atime INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    ctime INTEGER NOT NULL,
    btime INTEGER NOT NULL
) STRICT;

CREATE TABLE entries (
    parent INTEGER NOT NULL,
    name   TEXT NOT NULL,
    child  INTEGER NOT NULL,
    kind   INTEGER NOT NULL,
    PRIMARY KEY (parent, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX entries_by_child ON entries (child);

CREATE TABLE chunks (
    ino  INTEGER NOT NULL,
    idx  INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (ino, idx)
) STRICT;

CREATE TABLE symlinks (
    ino    INTEGER PRIMARY KEY,
    target BLOB NOT NULL
) STRICT;

CREATE TABLE xattrs (
    ino   INTEGER NOT NULL,
    name  TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (ino, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE orphans (
    ino   INTEGER PRIMARY KEY,
    pid   INTEGER NOT NULL,
    token INTEGER NOT NULL
) STRICT;

CREATE TRIGGER inodes_free AFTER DELETE ON inodes BEGIN
    DELETE FROM chunks WHERE ino = old.ino;
    DELETE FROM symlinks WHERE ino = old.ino;
    DELETE FROM xattrs WHERE ino = old.ino;
    DELETE FROM orphans WHERE ino = old.ino;
END;
";

/// What a database holds, as far as opening it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// No tables yet (a new file, or an empty SQLite database): the schema will be created.
    Empty,
    /// An AnyFS database of a version this build reads.
    Ready,
}

/// Refuses a non-empty file that does not start with the SQLite header, before SQLite (which
/// might try to recover a "hot journal" next to it) ever opens it.
pub(super) fn check_header(path: &Path) -> Result<(), FsError> {
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(FsError::io("open", path, e)),
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        let rest = header.get_mut(read..).unwrap_or_default();
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FsError::io("open", path, e)),
        }
    }
    if read == 0 || &header == MAGIC {
        Ok(())
    } else {
        Err(err::not_anyfs(path, "the file is not a SQLite database"))
    }
}

/// Reads the application id, schema version and table count over `conn` and decides whether
/// this build may use the database. Reads only.
pub(super) fn inspect(conn: &Connection, path: &Path) -> Result<State, FsError> {
    let read = |sql: &str| -> Result<i64, FsError> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    err::not_anyfs(path, "the file is not a SQLite database")
                }
                _ => err::sql("open", e),
            })
    };
    let app_id = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT count(*) FROM sqlite_schema")?;
    if app_id == 0 && version == 0 && tables == 0 {
        return Ok(State::Empty);
    }
    if app_id != i64::from(APPLICATION_ID) {
        return Err(err::not_anyfs(
            path,
            &format!(
                "its application_id is {app_id:#x}, not AnyFS's {APPLICATION_ID:#x} \
                 (a SQLite database of another program)"
            ),
        ));
    }
    if version > i64::from(SCHEMA_VERSION) {
        return Err(FsError::backend(
            "open",
            format!(
                "{}: AnyFS schema version {version} is newer than this build supports \
                 ({SCHEMA_VERSION}); upgrade anyfs to open it",
                path.display()
            ),
        ));
    }
    if version < 1 {
        return Err(err::not_anyfs(
            path,
            &format!("unknown AnyFS schema version {version}"),
        ));
    }
    Ok(State::Ready)
}

/// Checks an existing file without writing to it or leaving anything next to it: the SQLite
/// header, then the application id and schema version through a read-only connection. A file
/// that looks empty here is checked again inside the creating transaction (`initialize`).
pub(super) fn check_existing(path: &Path) -> Result<State, FsError> {
    check_header(path)?;
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Empty),
        Err(e) => return Err(FsError::io("open", path, e)),
    };
    if len == 0 {
        return Ok(State::Empty);
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if side_file(path, "-wal").exists() {
        // A write-ahead log may hold committed pages the file does not have yet: read through
        // it. Its `-shm` index exists already (or is rebuilt), so nothing new is left behind.
        Connection::open_with_flags(path, flags).op("open")?
    } else {
        // No log: the file alone is the whole database. `immutable=1` reads it without locks
        // and without creating `-wal`/`-shm` files next to a file that may not be ours.
        let uri = format!("file:{}?immutable=1", uri_path(path));
        Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).op("open")?
    };
    inspect(&conn, path)
}

/// `path` with `suffix` appended (SQLite's `-wal`, `-shm`).
fn side_file(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// `path` percent-encoded for a `file:` URI (everything but unreserved characters and `/`).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Creates the schema and the root directory in one transaction, unless another connection
/// (another process racing to create the same file) already did: then the database is
/// inspected again like any existing one.
pub(super) fn initialize(
    conn: &mut Connection,
    path: &Path,
    chunk_size: usize,
    owner: (u32, u32),
) -> Result<(), FsError> {
    const OP: &str = "open";
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .op(OP)?;
    if inspect(&tx, path)? == State::Ready {
        return tx.commit().op(OP);
    }
    tx.execute_batch(SCHEMA_V1).op(OP)?;
    let now = to_ns(std::time::SystemTime::now());
    tx.execute(
        "INSERT INTO inodes (ino, kind, mode, uid, gid, size, nlink, atime, mtime, ctime, btime)
         VALUES (?1, ?2, 493, ?3, ?4, 0, 2, ?5, ?5, ?5, ?5)",
        params![ROOT_INODE as i64, KIND_DIR, owner.0, owner.1, now],
    )
    .op(OP)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('chunk_size', ?1), ('sync_counter', 0)",
        params![chunk_size as i64],
    )
    .op(OP)?;
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
    ))
    .op(OP)?;
    tx.commit().op(OP)
}

/// The chunk size the database was created with.
pub(super) fn stored_chunk_size(conn: &Connection, path: &Path) -> Result<usize, FsError> {
    let value: i64 = conn
        .query_row("SELECT value FROM meta WHERE key = 'chunk_size'", [], |r| {
            r.get(0)
        })
        .op("open")?;
    usize::try_from(value)
        .ok()
        .filter(|&v| (super::options::MIN_CHUNK_SIZE..=super::options::MAX_CHUNK_SIZE).contains(&v))
        .ok_or_else(|| {
            err::not_anyfs(
                path,
                &format!("invalid chunk size {value} in its meta table"),
            )
        })
}
