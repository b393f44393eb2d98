//! The connections of one backend: a single writer behind a mutex, and a small pool of reader
//! connections. Every operation runs inside one transaction on one of them.
//!
//! Why this shape: SQLite lets one writer in at a time anyway, so writers of this process
//! queue on a fair in-process mutex (cheap, no busy polling) and only *other processes* are
//! waited for through SQLite's busy handler (`busy_timeout`). In WAL mode readers never block
//! the writer nor each other, so each reading thread takes its own connection from the pool
//! and reads a consistent snapshot in parallel with the writer. An in-memory database exists
//! only inside its one connection, so there every operation shares the writer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyfs_backend::FsError;
use parking_lot::Mutex;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::err::{self, SqlResult};
use super::handles::OpenInodes;
use super::options::{SqliteOptions, Synchronous};
use super::schema;

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Location {
    /// A private in-memory database (one connection).
    Memory,
    /// A database file shared with other connections and processes.
    File(PathBuf),
}

/// The writer and the reader pool.
pub(super) struct Connections {
    location: Location,
    options: SqliteOptions,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// Settings every connection gets: the busy timeout, the synchronous mode, a bigger statement
/// cache (every query is a cached prepared statement), temp tables in memory.
fn configure(conn: &Connection, options: &SqliteOptions) -> Result<(), FsError> {
    const OP: &str = "open";
    conn.busy_timeout(options.busy_timeout).op(OP)?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.execute_batch(&format!(
        "PRAGMA synchronous = {}; PRAGMA temp_store = MEMORY;",
        options.synchronous.pragma()
    ))
    .op(OP)
}

/// Scratch tables of the writer for set-based subtree removal (`remove_dir_all`).
const WRITER_TEMP_TABLES: &str = "
CREATE TEMP TABLE IF NOT EXISTS rm_dirs (ino INTEGER PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS rm_files (ino INTEGER PRIMARY KEY, names INTEGER NOT NULL);
";

/// The writer also knows this process's open inodes (`anyfs_is_open(ino)`), so a statement
/// that frees many nodes at once keeps the ones a handle still holds.
fn configure_writer(conn: &Connection, open: Arc<OpenInodes>) -> Result<(), FsError> {
    const OP: &str = "open";
    conn.execute_batch("PRAGMA cache_size = -16384;").op(OP)?;
    conn.execute_batch(WRITER_TEMP_TABLES).op(OP)?;
    conn.create_scalar_function("anyfs_is_open", 1, FunctionFlags::SQLITE_UTF8, move |ctx| {
        let ino: i64 = ctx.get(0)?;
        Ok(u64::try_from(ino).is_ok_and(|ino| open.is_open(ino)))
    })
    .op(OP)
}

impl Connections {
    /// Opens (creating and initialising if needed) the database at `location`.
    pub fn open(
        location: Location,
        options: SqliteOptions,
        open_inodes: Arc<OpenInodes>,
    ) -> Result<Self, FsError> {
        const OP: &str = "open";
        let writer = match &location {
            Location::Memory => {
                let mut conn = Connection::open_in_memory().op(OP)?;
                configure(&conn, &options)?;
                schema::initialize(
                    &mut conn,
                    Path::new(":memory:"),
                    options.chunk_size,
                    options.owner,
                )?;
                conn
            }
            Location::File(path) => {
                let state = schema::check_existing(path)?;
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let mut conn = Connection::open_with_flags(path, flags).op(OP)?;
                configure(&conn, &options)?;
                if state == schema::State::Empty {
                    // Only takes effect before the first table exists; an existing database
                    // keeps its page size.
                    conn.execute_batch(&format!("PRAGMA page_size = {};", options.page_size))
                        .op(OP)?;
                }
                let mode: String = conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                    .op(OP)?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(FsError::backend(
                        OP,
                        format!(
                            "{}: SQLite could not switch to WAL mode (journal_mode is {mode})",
                            path.display()
                        ),
                    ));
                }
                // An existing AnyFS database needs no write to be opened (so opening never
                // waits for another process's writer); a new one is created in one transaction.
                if state == schema::State::Empty {
                    schema::initialize(&mut conn, path, options.chunk_size, options.owner)?;
                }
                conn
            }
        };
        configure_writer(&writer, open_inodes)?;
        Ok(Connections {
            location,
            options,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The chunk size stored in the database (fixed when it was created).
    pub fn chunk_size(&self) -> Result<usize, FsError> {
        let path = match &self.location {
            Location::Memory => Path::new(":memory:"),
            Location::File(p) => p.as_path(),
        };
        schema::stored_chunk_size(&self.writer.lock(), path)
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`): committed if it returns `Ok`,
    /// rolled back if it returns an error, so a failed operation leaves nothing half-done.
    pub fn write<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&Connection) -> Result<T, FsError>,
    ) -> Result<T, FsError> {
        let mut conn = self.writer.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .op(operation)?;
        let value = f(&tx)?;
        tx.commit().op(operation)?;
        Ok(value)
    }

    /// Runs `f` in one read transaction: every query of `f` sees the same snapshot.
    pub fn read<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&Connection) -> Result<T, FsError>,
    ) -> Result<T, FsError> {
        if self.location == Location::Memory {
            let mut conn = self.writer.lock();
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .op(operation)?;
            return f(&tx);
        }
        let mut conn = self.checkout(operation)?;
        let result = (|| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .op(operation)?;
            f(&tx)
        })();
        self.checkin(conn);
        result
    }

    /// Makes everything committed so far durable, as the synchronous mode promises for
    /// `fsync` (see the module docs' durability table).
    pub fn sync(&self, operation: &'static str) -> Result<(), FsError> {
        if self.location == Location::Memory {
            return Ok(());
        }
        match self.options.synchronous {
            // FULL and EXTRA already synced every commit; OFF promises nothing.
            Synchronous::Off | Synchronous::Full | Synchronous::Extra => Ok(()),
            Synchronous::Normal => {
                let conn = self.writer.lock();
                conn.execute_batch("PRAGMA synchronous = FULL;")
                    .op(operation)?;
                // One tiny commit with synchronous=FULL fsyncs the WAL, and with it every frame
                // committed before it.
                let synced = conn
                    .execute_batch(
                        "BEGIN IMMEDIATE;
                         UPDATE meta SET value = value + 1 WHERE key = 'sync_counter';
                         COMMIT;",
                    )
                    .op(operation);
                if synced.is_err() && !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK;");
                }
                let restored = conn
                    .execute_batch("PRAGMA synchronous = NORMAL;")
                    .op(operation);
                synced.and(restored)
            }
        }
    }

    /// The writer connection, for tests that inspect or constrain it directly.
    #[cfg(test)]
    pub fn writer(&self) -> parking_lot::MutexGuard<'_, Connection> {
        self.writer.lock()
    }

    /// A reader connection: an idle one from the pool, or a new one.
    fn checkout(&self, operation: &'static str) -> Result<Connection, FsError> {
        if let Some(conn) = self.readers.lock().pop() {
            return Ok(conn);
        }
        let Location::File(path) = &self.location else {
            return Err(err::corrupt(
                operation,
                "reader requested for an in-memory database",
            ));
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).op(operation)?;
        configure(&conn, &self.options)?;
        conn.execute_batch("PRAGMA query_only = ON;")
            .op(operation)?;
        Ok(conn)
    }

    /// Returns a reader to the pool, or closes it when enough are idle.
    fn checkin(&self, conn: Connection) {
        let mut idle = self.readers.lock();
        if idle.len() < self.options.max_idle_readers {
            idle.push(conn);
        }
    }
}
