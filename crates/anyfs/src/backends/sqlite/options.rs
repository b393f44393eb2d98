//! [`SqliteOptions`] and [`Synchronous`]: how a database is opened (page size, chunk size,
//! durability, busy timeout, reader pool, owner of new nodes).

use std::time::Duration;

/// Smallest accepted chunk size: below this the per-row overhead dominates.
pub const MIN_CHUNK_SIZE: usize = 512;
/// Largest accepted chunk size (16 MiB): a chunk is read and written whole, so it bounds the
/// memory one `write_at` or `read_at` of a single byte needs.
pub const MAX_CHUNK_SIZE: usize = 16 * 1024 * 1024;
/// Default chunk size (64 KiB).
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;

/// SQLite's `PRAGMA synchronous`, in WAL mode. The durability each mode gives is tabled in the
/// [module docs](super#durability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Synchronous {
    /// SQLite never syncs. Fastest; a process crash loses nothing that was committed, but a
    /// power loss or OS crash can lose recent commits and may corrupt the database.
    /// `sync`/`fsync` do not sync either.
    Off,
    /// The default: commits are not synced, the WAL is synced at each checkpoint, and
    /// `sync`/`fsync` sync it on demand. A power loss can lose the commits made since the last
    /// checkpoint or `fsync`, never corrupt the database.
    #[default]
    Normal,
    /// Every commit syncs the WAL: a power loss loses nothing that was committed.
    Full,
    /// In WAL mode the same as [`Full`](Synchronous::Full): SQLite's extra directory sync
    /// concerns rollback journals.
    Extra,
}

impl Synchronous {
    /// The pragma's value.
    pub(super) fn pragma(self) -> &'static str {
        match self {
            Synchronous::Off => "OFF",
            Synchronous::Normal => "NORMAL",
            Synchronous::Full => "FULL",
            Synchronous::Extra => "EXTRA",
        }
    }
}

/// How [`SqliteBackend::open_with`](super::SqliteBackend::open_with) opens a database.
///
/// Builder style: start from [`SqliteOptions::new`] (or `default()`) and chain setters.
/// `page_size` and `chunk_size` only apply when the database is created; an existing database
/// keeps the values it was created with.
///
/// ```
/// use std::time::Duration;
/// use anyfs::backends::sqlite::{SqliteOptions, Synchronous};
///
/// let options = SqliteOptions::new()
///     .chunk_size(256 * 1024)
///     .synchronous(Synchronous::Full)
///     .busy_timeout(Duration::from_secs(10));
/// assert_eq!(options.get_chunk_size(), 256 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    pub(super) page_size: u32,
    pub(super) chunk_size: usize,
    pub(super) synchronous: Synchronous,
    pub(super) busy_timeout: Duration,
    pub(super) max_idle_readers: usize,
    pub(super) owner: (u32, u32),
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            page_size: 4096,
            chunk_size: DEFAULT_CHUNK_SIZE,
            synchronous: Synchronous::Normal,
            busy_timeout: Duration::from_secs(5),
            max_idle_readers: 8,
            owner: (0, 0),
        }
    }
}

impl SqliteOptions {
    /// The defaults: 4 KiB pages, 64 KiB chunks, `synchronous = NORMAL`, 5 s busy timeout,
    /// up to 8 idle reader connections, new nodes owned by `0:0`.
    pub fn new() -> Self {
        SqliteOptions::default()
    }

    /// SQLite page size for a new database: a power of two from 512 to 65536 (others are
    /// rejected by `open_with` with `InvalidInput`).
    pub fn page_size(mut self, bytes: u32) -> Self {
        self.page_size = bytes;
        self
    }

    /// Bytes of file content per chunk row for a new database, from [`MIN_CHUNK_SIZE`] to
    /// [`MAX_CHUNK_SIZE`]. Larger chunks mean fewer rows for big files; smaller chunks mean
    /// less rewritten per small random write.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes;
        self
    }

    /// Durability of commits (see [`Synchronous`]).
    pub fn synchronous(mut self, mode: Synchronous) -> Self {
        self.synchronous = mode;
        self
    }

    /// How long an operation waits for another process's write transaction before failing
    /// with `Busy` (`EBUSY`).
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// How many reader connections are kept open when idle (more are opened under load and
    /// closed afterwards).
    pub fn max_idle_readers(mut self, count: usize) -> Self {
        self.max_idle_readers = count;
        self
    }

    /// Owner of the root (for a new database) and of every node created through this backend.
    pub fn owner(mut self, uid: u32, gid: u32) -> Self {
        self.owner = (uid, gid);
        self
    }

    /// The configured chunk size.
    pub fn get_chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// The configured page size.
    pub fn get_page_size(&self) -> u32 {
        self.page_size
    }

    /// The configured synchronous mode.
    pub fn get_synchronous(&self) -> Synchronous {
        self.synchronous
    }

    /// The configured busy timeout.
    pub fn get_busy_timeout(&self) -> Duration {
        self.busy_timeout
    }
}
