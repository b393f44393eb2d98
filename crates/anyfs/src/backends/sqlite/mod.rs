//! `SqliteBackend`: a complete POSIX filesystem ([`FsPosix`](anyfs_backend::FsPosix)) in one
//! SQLite database file (feature `sqlite`; SQLite is compiled in).
//!
//! A portable single-file drive: inodes, directory entries, file content in chunks, symlinks
//! and extended attributes are tables; every operation is one transaction. Several threads and
//! several processes can use one database file at once.
//!
//! ```
//! use std::path::Path;
//! use anyfs::{FsDir, FsRead, FsSync, FsWrite, SqliteBackend};
//! use anyfs::backends::sqlite::{SqliteOptions, Synchronous};
//!
//! let dir = std::env::temp_dir().join(format!("anyfs-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let db = dir.join("drive.db");
//! {
//!     let fs = SqliteBackend::open_with(&db, SqliteOptions::new().synchronous(Synchronous::Normal))?;
//!     fs.create_dir_all(Path::new("/docs"))?;
//!     fs.write(Path::new("/docs/a.txt"), b"hello")?;
//!     fs.fsync(Path::new("/docs/a.txt"))?; // durable now, even against power loss
//! }
//! // Reopened (by this or another process): everything is still there.
//! let fs = SqliteBackend::open(&db)?;
//! assert_eq!(fs.read(Path::new("/docs/a.txt"))?, b"hello");
//! assert_eq!(fs.read_range(Path::new("/docs/a.txt"), 1, 3)?, b"ell");
//!
//! // A private in-memory database for tests and scratch space.
//! let scratch = SqliteBackend::in_memory()?;
//! scratch.write(Path::new("/tmp.bin"), &[0u8; 10])?;
//! # drop(fs); std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # Schema (version 1)
//!
//! The database is recognised by `PRAGMA application_id = 0x416E4653` (`AnFS`) and versioned by
//! `PRAGMA user_version` ([`SCHEMA_VERSION`]). Every table is `STRICT`.
//!
//! | table | columns | notes |
//! |---|---|---|
//! | `inodes` | `ino` (row id), `kind` (0 file, 1 dir, 2 symlink), `mode`, `uid`, `gid`, `size`, `nlink`, `atime`, `mtime`, `ctime`, `btime` | inode number = row id, `AUTOINCREMENT` so never reused; the root is [`ROOT_INODE`] = 1; times are nanoseconds since the epoch |
//! | `entries` | `parent`, `name`, `child`, `kind` | primary key `(parent, name)` (lookups, ordered `read_dir`); index `entries_by_child` (`inode_to_path`, subtree checks); `kind` duplicates the child's so walks and listings need no join |
//! | `chunks` | `ino`, `idx`, `data` | bytes `[idx × chunk_size, …)` of a file; unique `(ino, idx)`; sparse: missing chunks read as zeros |
//! | `symlinks` | `ino`, `target` | the target's bytes as given |
//! | `xattrs` | `ino`, `name`, `value` | primary key `(ino, name)` |
//! | `orphans` | `ino`, `pid`, `token` | files unlinked while a handle of process `pid` had them open |
//! | `meta` | `key`, `value` | `chunk_size` (fixed at creation), `sync_counter` |
//!
//! A trigger deletes a freed inode's chunks, symlink target, xattrs and orphan row, so no
//! statement can leave them behind. The chunk size ([`SqliteOptions::chunk_size`], default 64
//! KiB) and the page size are chosen when the database is created and kept for its life.
//!
//! Opening checks the file before writing anything: a non-empty file that is not a SQLite
//! database, a SQLite database of another program (another application id) or an AnyFS
//! database of a newer schema version fails with `FsError::Backend` (`EIO`, kind `Backend`),
//! whose message starts "not an AnyFS database" (or names the newer version), and the file is
//! left byte-for-byte untouched. An empty file or an empty SQLite database is initialised.
//!
//! # Semantics
//!
//! The same as `MemoryBackend` (the conformance kit runs on both), from the shared path walk:
//!
//! - **Paths** are validated and resolved by [`anyfs_backend::path::walk`] over the database
//!   (one indexed query per component, inside the operation's transaction): intermediate
//!   symlinks are always followed, a final one as POSIX says. The backend is
//!   [`SelfResolving`](anyfs_backend::SelfResolving), correct used directly.
//! - **Timestamps**: creation sets all four; content changes set mtime and ctime; adding or
//!   removing an entry sets the directory's mtime and ctime; chmod, chown, link changes,
//!   rename and xattr changes set ctime. Reads never update atime (noatime).
//! - **Link counts**: a file's `nlink` is its number of names; a directory's is 2 plus its
//!   subdirectories. A file unlinked while a handle (or stream) of this process holds it stays
//!   usable through that handle and is freed at the last close.
//! - **Errors** follow POSIX: removing or renaming the root is `Busy` (`EBUSY`); moving a
//!   directory into its own subtree is `InvalidInput` (`EINVAL`); `hard_link` of a directory
//!   is `NotAFile`; a file past [`i64::MAX`] bytes is `FileSizeExceeded` (`EFBIG`). SQLite's
//!   own failures map as: lock held by another process past the busy timeout → `Busy`
//!   (`EBUSY`); disk full → `ENOSPC`; read-only file → `ReadOnly` (`EROFS`); anything else →
//!   `Backend` (`EIO`) with SQLite's message.
//! - **Atomicity**: every operation is one transaction, including the multi-step ones
//!   (`write`, `rename` over an existing destination, `copy`, `hard_link`,
//!   `remove_dir_all`, `create_dir_all`): a failure or a crash leaves nothing half-done.
//! - **Files are sparse**: `truncate` to a larger size and `write_at` past the end store nothing
//!   for the gap, and all-zero chunks of written data are not stored.
//! - **Xattrs** and **locks** follow the same rules as `MemoryBackend` (see the
//!   [`FsXattr`](anyfs_backend::FsXattr) and [`FsLock`](anyfs_backend::FsLock) impls).
//!
//! # Thread safety and processes
//!
//! `SqliteBackend` is `Send + Sync` and cheap to [`Clone`] (clones share the connections).
//! It runs in WAL mode with one writer connection behind a mutex and a pool of reader
//! connections ([`SqliteOptions::max_idle_readers`] kept idle, more opened under load):
//!
//! - writes of this process queue on the mutex, so they never busy-wait on each other;
//! - reads run in parallel with each other and with the writer, each in one read
//!   transaction, so a walk and the data it leads to come from one consistent snapshot;
//! - another process's writer is waited for by SQLite's busy handler for up to
//!   [`SqliteOptions::busy_timeout`], then the operation fails with `Busy` (`EBUSY`) and
//!   changes nothing.
//!
//! Two processes (or two separately opened `SqliteBackend`s) can use one file at once: every
//! change either sees is committed and consistent. What is **per process**, not shared through
//! the file: open handles and their unlink-while-open protection (a file one process has open
//! can be freed by another; its handle then gets `NotFound`), and advisory locks (not stored in
//! the database: `flock` between processes needs another mechanism). Orphans a process leaves
//! by exiting with handles open are freed by the next open of the database once that process
//! is gone (checked through `/proc` on Linux; elsewhere only orphans of this process are freed,
//! when the backend is dropped).
//!
//! An in-memory database ([`SqliteBackend::in_memory`]) lives in a single connection, so there
//! all operations take turns on it.
//!
//! # Performance
//!
//! `d` = path components (including those of followed symlinks), `n` = entries in one
//! directory, `b` = bytes read or written, `c` = chunks the byte range covers
//! (`b / chunk_size + 2` at most), `s` = size of a subtree, `N` = inodes in the database. Each
//! lookup is one B-tree probe, O(log N); every statement is a cached prepared statement.
//!
//! | operation | cost |
//! |---|---|
//! | `metadata`, `symlink_metadata`, `exists`, `path_to_inode`, `read_link`, `set_*`, xattrs | O(d log N) |
//! | `read_range`, `read_at`, `open_read` per refill | O(d log N + c log N + b): only the chunks of the range |
//! | `write_at`, `append` | O(d log N + c log N + b): whole chunks stored without reading them, at most two partly covered chunks read and rewritten |
//! | `read`, `write` (whole file) | O(d log N + size) |
//! | `truncate` | O(d log N + chunks dropped); growing is O(d log N) (sparse) |
//! | `copy` | O(d log N + chunks), copied inside SQLite by one statement |
//! | `create_dir`, `remove_file`, `remove_dir`, `symlink`, `hard_link` | O(d log N) |
//! | `rename` | O(d log N), plus O(depth) for the subtree check when moving a directory |
//! | `create_dir_all` | O(d log N) per missing ancestor, one transaction |
//! | `read_dir` | O(n + log N), one range scan |
//! | `remove_dir_all` | O(s log N), in one transaction of a fixed number of statements (about 20: the walk, then nine set-based ones), whatever `s` |
//! | `lookup`, `metadata_by_inode` | O(log N) |
//! | `inode_to_path` | O(depth × log N) |
//! | `statfs` | O(N) (counts the inode rows) |
//! | `fsync`, `sync` | one small commit and one `fsync(2)` with `NORMAL`; O(d log N) otherwise |
//! | `open`, `close`, `lock`, `try_lock`, `unlock` | O(d log N); `close` of the last handle of an unlinked file frees it |
//!
//! # Durability
//!
//! [`SqliteOptions::synchronous`] picks SQLite's `synchronous` mode (WAL mode in all cases).
//! "Committed" means the operation returned `Ok`.
//!
//! | mode | cost per commit | process crash (`kill -9`, panic, abort) | power loss or OS crash | `fsync` / `sync` |
//! |---|---|---|---|---|
//! | `Off` | no sync | every committed operation survives | recent commits may be lost **and the database may be corrupted** | do not sync |
//! | `Normal` (default) | no sync (the WAL is synced at checkpoints) | every committed operation survives | the database stays consistent; commits after the last checkpoint or `fsync` may be lost | one small commit under `FULL`: everything committed before it is durable when it returns |
//! | `Full` | the WAL is synced on every commit | every committed operation survives | every committed operation survives | nothing more to do (already durable) |
//! | `Extra` | as `Full` (SQLite's extra directory sync concerns rollback journals, not WAL) | every committed operation survives | every committed operation survives | nothing more to do |
//!
//! # Crash semantics
//!
//! Each operation is one SQLite transaction, and SQLite's WAL makes a transaction atomic and
//! the database consistent across crashes: after a crash at any moment the database opens
//! (SQLite replays or discards the WAL's tail), `PRAGMA integrity_check` passes, and every
//! operation either happened whole or not at all. Which committed operations survive depends on
//! the crash and the mode, as the table says; with `Normal`, everything acknowledged by
//! `fsync` survives any crash. The test suite kills a writing process with `SIGKILL` at random
//! moments (more than 100 times) and checks exactly this; `benchmark/sqlite_soak.sh` runs the
//! same test for longer.
//!
//! [`ROOT_INODE`]: anyfs_backend::ROOT_INODE

use std::fmt;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyfs_backend::FsError;
use rusqlite::params;

mod attrs;
mod conn;
mod content;
mod db;
mod dir;
mod err;
mod handles;
mod inode;
mod links;
mod locks;
mod node;
mod options;
mod path;
mod read;
mod remove;
mod resolve;
mod schema;
mod streams;
mod write;
mod xattr;

#[cfg(test)]
mod tests;

pub use content::MAX_FILE_SIZE;
pub use options::{SqliteOptions, Synchronous, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use xattr::MAX_XATTR_VALUE;

use conn::{Connections, Location};
use err::SqlResult;
use handles::{HandleTable, OpenInodes};
use locks::LockTable;

/// A filesystem in a SQLite database, implementing every AnyFS trait up to
/// [`FsPosix`](anyfs_backend::FsPosix). See the [module docs](self) for the schema, semantics,
/// thread safety, costs and durability.
///
/// Cloning shares the database connections, handles and locks.
#[derive(Clone)]
pub struct SqliteBackend {
    inner: Arc<Inner>,
}

/// Counters of chunk rows moved by one backend (see [`SqliteBackend::io_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoStats {
    /// Chunk rows read from the database.
    pub chunks_read: u64,
    /// Chunk rows written (inserted, updated, trimmed or copied).
    pub chunks_written: u64,
}

#[derive(Debug, Default)]
struct Counters {
    chunks_read: AtomicU64,
    chunks_written: AtomicU64,
}

/// What clones share.
struct Inner {
    conns: Connections,
    chunk_size: usize,
    owner: (u32, u32),
    stats: Counters,
    open: Arc<OpenInodes>,
    handles: HandleTable,
    locks: LockTable,
    /// This process, recorded on the orphans it creates.
    pid: i64,
    /// This backend instance, recorded on the orphans it creates (several may share a pid).
    token: i64,
}

impl Drop for Inner {
    /// Handles still open die with the backend; so do the files only they kept alive.
    fn drop(&mut self) {
        if self.handles.len() > 0 {
            self.free_own_orphans();
        }
    }
}

fn check_options(options: &SqliteOptions) -> Result<(), FsError> {
    let page = options.page_size;
    if !(512..=65536).contains(&page) || !page.is_power_of_two() {
        return Err(err::invalid(
            "open",
            &format!("page size {page} is not a power of two from 512 to 65536"),
        ));
    }
    if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&options.chunk_size) {
        return Err(err::invalid(
            "open",
            &format!(
                "chunk size {} is not within {MIN_CHUNK_SIZE}..={MAX_CHUNK_SIZE}",
                options.chunk_size
            ),
        ));
    }
    Ok(())
}

/// Whether process `pid` still runs (on Linux through `/proc`; elsewhere only this process is
/// known to be gone-or-alive, so other pids count as alive and their orphans are kept).
fn process_alive(pid: i64) -> bool {
    if pid == i64::from(std::process::id()) {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

impl SqliteBackend {
    /// Opens the AnyFS database at `path` with the default [`SqliteOptions`], creating it if it
    /// does not exist. See the module docs for what is refused (and left untouched).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, FsError> {
        SqliteBackend::open_with(path, SqliteOptions::default())
    }

    /// Opens (or creates) the database at `path` with `options`.
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self, FsError> {
        let backend = SqliteBackend::build(Location::File(path.as_ref().to_path_buf()), options)?;
        backend.collect_orphans()?;
        Ok(backend)
    }

    /// A new private in-memory database with the default options: gone when the last clone
    /// is dropped.
    pub fn in_memory() -> Result<Self, FsError> {
        SqliteBackend::in_memory_with(SqliteOptions::default())
    }

    /// A new private in-memory database with `options` (page size, chunk size, owner; the
    /// durability options do not apply).
    pub fn in_memory_with(options: SqliteOptions) -> Result<Self, FsError> {
        SqliteBackend::build(Location::Memory, options)
    }

    fn build(location: Location, options: SqliteOptions) -> Result<Self, FsError> {
        check_options(&options)?;
        let owner = options.owner;
        let open = Arc::new(OpenInodes::default());
        let conns = Connections::open(location, options, Arc::clone(&open))?;
        let chunk_size = conns.chunk_size()?;
        let pid = i64::from(std::process::id());
        let token = std::collections::hash_map::RandomState::new().hash_one((
            pid,
            Arc::as_ptr(&open) as usize,
            std::time::SystemTime::now(),
        )) as i64;
        Ok(SqliteBackend {
            inner: Arc::new(Inner {
                conns,
                chunk_size,
                owner,
                stats: Counters::default(),
                open,
                handles: HandleTable::default(),
                locks: LockTable::default(),
                pid,
                token,
            }),
        })
    }

    /// Frees files left unlinked-but-open by processes that are gone.
    fn collect_orphans(&self) -> Result<(), FsError> {
        const OP: &str = "open";
        let pids: Vec<i64> = self.inner.conns.read(OP, |conn| {
            let mut stmt = conn.prepare("SELECT DISTINCT pid FROM orphans").op(OP)?;
            let pids = stmt
                .query_map([], |r| r.get(0))
                .op(OP)?
                .collect::<Result<Vec<i64>, _>>()
                .op(OP)?;
            Ok(pids)
        })?;
        let gone: Vec<i64> = pids.into_iter().filter(|p| !process_alive(*p)).collect();
        if gone.is_empty() {
            return Ok(());
        }
        self.inner.conns.write(OP, |conn| {
            let mut stmt = conn
                .prepare("DELETE FROM inodes WHERE ino IN (SELECT ino FROM orphans WHERE pid = ?1)")
                .op(OP)?;
            for pid in gone {
                stmt.execute(params![pid]).op(OP)?;
            }
            Ok(())
        })
    }

    /// The database file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        match self.inner.conns.location() {
            Location::Memory => None,
            Location::File(p) => Some(p.as_path()),
        }
    }

    /// Bytes of file content per chunk row (fixed when the database was created).
    pub fn chunk_size(&self) -> usize {
        self.inner.chunk_size
    }

    /// How many chunk rows this backend (and its clones) read and wrote since it was opened:
    /// shows that ranged reads and writes touch only the chunks they cover.
    pub fn io_stats(&self) -> IoStats {
        IoStats {
            chunks_read: self.inner.stats.chunks_read.load(Ordering::Relaxed),
            chunks_written: self.inner.stats.chunks_written.load(Ordering::Relaxed),
        }
    }

    /// Checks the database: SQLite's `PRAGMA integrity_check`, then AnyFS's own invariants
    /// (every entry names an existing inode, every inode but the root and orphans has a name,
    /// file link counts match their names, directory link counts match their
    /// subdirectories, content belongs to files only). `Backend` (`EIO`) listing the first
    /// problems found otherwise. O(size of the database).
    pub fn check_integrity(&self) -> Result<(), FsError> {
        const OP: &str = "check_integrity";
        const CHECKS: [(&str, &str); 6] = [
            (
                "entries naming a missing inode",
                "SELECT count(*) FROM entries e LEFT JOIN inodes i ON i.ino = e.child WHERE i.ino IS NULL OR i.kind != e.kind",
            ),
            (
                "inodes without a name (not orphans)",
                "SELECT count(*) FROM inodes i WHERE i.ino != 1
                 AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.child = i.ino)
                 AND NOT EXISTS (SELECT 1 FROM orphans o WHERE o.ino = i.ino)",
            ),
            (
                "files whose link count differs from their names",
                "SELECT count(*) FROM inodes i WHERE i.kind != 1
                 AND i.nlink != (SELECT count(*) FROM entries e WHERE e.child = i.ino)",
            ),
            (
                "directories whose link count differs from 2 + subdirectories",
                "SELECT count(*) FROM inodes i WHERE i.kind = 1
                 AND i.nlink != 2 + (SELECT count(*) FROM entries e WHERE e.parent = i.ino AND e.kind = 1)",
            ),
            (
                "chunks of non-files or past the end of their file",
                "SELECT count(*) FROM chunks c LEFT JOIN inodes i ON i.ino = c.ino
                 WHERE i.ino IS NULL OR i.kind != 0
                 OR c.idx * (SELECT value FROM meta WHERE key = 'chunk_size') + length(c.data) > i.size",
            ),
            (
                "symlinks without a target",
                "SELECT count(*) FROM inodes i WHERE i.kind = 2
                 AND NOT EXISTS (SELECT 1 FROM symlinks s WHERE s.ino = i.ino)",
            ),
        ];
        self.inner.conns.read(OP, |conn| {
            let report: String = conn
                .query_row("PRAGMA integrity_check(20)", [], |r| r.get(0))
                .op(OP)?;
            if report != "ok" {
                return Err(FsError::backend(
                    OP,
                    format!("sqlite integrity_check: {report}"),
                ));
            }
            let mut problems = Vec::new();
            for (what, sql) in CHECKS {
                let count: i64 = conn.query_row(sql, [], |r| r.get(0)).op(OP)?;
                if count != 0 {
                    problems.push(format!("{count} {what}"));
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(FsError::backend(OP, problems.join("; ")))
            }
        })
    }
}

impl fmt::Debug for SqliteBackend {
    /// The location and settings, not the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteBackend")
            .field("path", &self.path().map(PathBuf::from))
            .field("chunk_size", &self.inner.chunk_size)
            .field("open_handles", &self.inner.handles.len())
            .finish()
    }
}
