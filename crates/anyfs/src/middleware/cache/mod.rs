//! `Cache`: keeps file contents, metadata and directory listings in memory, bounded by entries,
//! bytes and time to live, and never serves stale data for a change made through it.
//!
//! ```
//! use std::path::Path;
//! use std::time::Duration;
//! use anyfs::middleware::cache::Cache;
//! use anyfs::{FsLink, FsRead, FsWrite, MemoryBackend};
//!
//! let fs = Cache::new(MemoryBackend::new())
//!     .with_max_size(100 * 1024 * 1024) // bytes of cached content
//!     .with_max_entries(10_000)
//!     .with_ttl(Duration::from_secs(300));
//!
//! fs.write(Path::new("/target"), b"v1")?;
//! fs.symlink(Path::new("/target"), Path::new("/link"))?;
//! assert_eq!(fs.read(Path::new("/link"))?, b"v1");   // filled
//! assert_eq!(fs.read(Path::new("/link"))?, b"v1");   // served from memory
//! fs.write(Path::new("/target"), b"v2")?;            // invalidates every name of the file
//! assert_eq!(fs.read(Path::new("/link"))?, b"v2");
//! assert!(fs.stats().hits >= 1);
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it caches
//!
//! - `read` (whole contents; `read_range`, `read_to_string` and `open_read` are served from a
//!   cached content but do not fill it), `metadata` (and `metadata_by_inode`), `read_dir`, and
//!   `exists` answered `true` from a cached resolution.
//! - Not cached: `symlink_metadata`, `read_link`, the other inode lookups, handle reads,
//!   `statfs`, xattrs, canonicalization: they are forwarded.
//!
//! # Staying correct (the strategy)
//!
//! Entries are keyed by **inode**: a path resolves (through `metadata`, which follows
//! symlinks) to an inode, and content, metadata and listings hang off the inode. So all names
//! of a node share one entry: a write through `/link` or to one hard link changes the entry
//! that `/target` and the other link read. Every mutation made through the cache invalidates
//! what it touches, after the inner call returned (also when it failed, since a failed call may
//! have done part of its work):
//!
//! | mutation | invalidates |
//! |---|---|
//! | `write`, `append`, `truncate`, `copy` (destination), `open_write` (and each write through its stream), `write_at` | the node's content and metadata; if the file was created, everything name-related (below) |
//! | `set_permissions`, `set_owner`, `set_times`, `set_xattr`, `remove_xattr` | the node's metadata |
//! | `create_dir(_all)`, `remove_file`, `remove_dir`, `rename`, `symlink`, `hard_link`, creating a file | **all** path resolutions, metadata and listings (one generation bump, O(1)): link counts, directory times and any path through a renamed directory or re-pointed symlink may have changed. The removed or replaced node's content is dropped too (its inode number may be reused). |
//! | `remove_dir_all` | as above, plus **all** contents (a whole subtree of inodes was freed) |
//!
//! The node a mutation touches is found before it runs (the cached resolution, or one inner
//! `metadata` call). A fill that raced with a mutation is discarded (see the `state` module),
//! so a read that starts after a mutation returned never sees data from before it.
//!
//! Requirements on the inner backend: inode numbers are stable, shared by hard links and kept
//! by content writes (the [`FsInode`](anyfs_backend::FsInode) contract, which every built-in
//! backend keeps). A node reporting inode `0` (a backend without inode numbers) is never cached.
//!
//! # Staleness contract (changes behind the cache's back)
//!
//! Changes made to the inner backend directly, by another process or by another `Cache` over
//! the same storage are **not** seen until the entries expire: an entry is served for at most
//! the TTL ([`with_ttl`](Cache::with_ttl), default 60 s) after it was filled, or until a
//! mutation through this cache invalidates it, or until [`invalidate_all`](Cache::invalidate_all).
//! Access times are not refreshed by cached reads. Clones of a `Cache` share its entries and
//! see each other's changes.
//!
//! # Bounds
//!
//! Backed by [`moka`] (chosen over `quick_cache`: it has per-entry time to live, weighted
//! capacity, is actively maintained, and supports this crate's minimum Rust version; TinyLFU
//! admission keeps one-off scans from flushing hot entries). Each index holds at most
//! `max_entries` entries; contents and listings together weigh at most `max_bytes` (each counts
//! at least `max_bytes / max_entries`, so that bound also caps their number); a file or listing
//! bigger than `max_entry_size` is never cached. Eviction is approximate in time: moka applies
//! it during its maintenance, which runs on cache writes.
//!
//! # Thread safety
//!
//! `Cache<B>` is `Send + Sync` when `B` is. Lookups are lock-free reads of moka's concurrent
//! maps; fills and invalidations take one short mutex (the consistency protocol), never while
//! calling the inner backend. No fill lands while a mutation is in flight, so a reader that
//! has seen a write's bytes is never served older ones afterwards.
//!
//! # Cost
//!
//! A hit is two or three hash lookups and, for content, one copy into the returned `Vec`: O(1)
//! plus the bytes, no inner call. A miss adds the inner call, plus an inner `metadata` when the
//! path's inode is not cached. Every mutation costs at most one extra inner `metadata` (to find
//! the node), O(1) invalidation and two more takes of the fill mutex (marking it in flight).
//! While writes are in flight, misses are not cached. Over a fast in-memory backend the cache
//! is slower than no cache; it pays off over slow storage (SQLite, disks, networks).

mod handles;
mod read;
mod state;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyfs_backend::{Fs, FsRead, Layer};

pub use state::{CacheConfig, CacheStats};
use state::{State, Ticket};

/// Middleware that caches reads; see the [module docs](self) for what it caches and how it
/// stays correct. Clones share the cached entries.
#[derive(Clone)]
pub struct Cache<B> {
    inner: B,
    state: Arc<State>,
    handles: Arc<handles::HandleInodes>,
}

impl<B: fmt::Debug> fmt::Debug for Cache<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("inner", &self.inner)
            .field("config", &self.state.config)
            .finish_non_exhaustive()
    }
}

impl<B> Cache<B> {
    /// Wraps `inner` with the default bounds ([`CacheConfig::default`]: 10 000 entries,
    /// 64 MiB, 4 MiB per entry, 60 s TTL).
    pub fn new(inner: B) -> Self {
        Cache::with_config(inner, CacheConfig::default())
    }

    /// Wraps `inner` with the given bounds.
    pub fn with_config(inner: B, config: CacheConfig) -> Self {
        Cache {
            inner,
            state: Arc::new(State::new(config)),
            handles: Arc::default(),
        }
    }

    fn reconfigure(self, change: impl FnOnce(&mut CacheConfig)) -> Self {
        let mut config = self.state.config;
        change(&mut config);
        Cache::with_config(self.inner, config)
    }

    /// Bounds the bytes of cached contents and listings (this empties the cache).
    pub fn with_max_size(self, bytes: u64) -> Self {
        self.reconfigure(|c| c.max_bytes = bytes)
    }

    /// Bounds the entries of each index (this empties the cache).
    pub fn with_max_entries(self, entries: u64) -> Self {
        self.reconfigure(|c| c.max_entries = entries)
    }

    /// Files (and listings) bigger than this are never cached (this empties the cache).
    pub fn with_max_entry_size(self, bytes: u64) -> Self {
        self.reconfigure(|c| c.max_entry_size = bytes)
    }

    /// Serves an entry for at most `ttl` after it was filled (this empties the cache). TTLs
    /// beyond 999 years are clamped to that.
    pub fn with_ttl(self, ttl: Duration) -> Self {
        self.reconfigure(|c| c.ttl = ttl)
    }

    /// The bounds in force.
    pub fn config(&self) -> CacheConfig {
        self.state.config
    }

    /// Hit and miss counts and current sizes (runs moka's pending maintenance first, so the
    /// sizes are exact; O(pending work)).
    pub fn stats(&self) -> CacheStats {
        self.state.stats()
    }

    /// Drops every entry (O(1)): use it after changing the inner backend behind the cache's
    /// back.
    pub fn invalidate_all(&self) {
        self.state.invalidate_all();
    }

    /// The wrapped backend. Changes made through it are not seen by the cache until the TTL
    /// expires or [`invalidate_all`](Cache::invalidate_all) is called.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the backend.
    pub fn into_inner(self) -> B {
        self.inner
    }
}

impl<B: FsRead> Cache<B> {
    /// The inode `path` resolves to, from the cache or one inner `metadata` call (which fills
    /// the cache). `None` if the inner call failed or the node has no inode number.
    fn resolve(&self, path: &Path, ticket: Ticket) -> Option<u64> {
        if let Some(ino) = self.state.inode_of(path, ticket) {
            return Some(ino);
        }
        let m = self.inner.metadata(path).ok()?;
        self.state.fill_metadata(ticket, path, &m);
        Some(m.inode).filter(|&ino| ino != 0)
    }
}

/// The [`Layer`] that wraps a backend in [`Cache`]. Build it with [`CacheLayer::new`] (the
/// defaults) or [`CacheLayer::builder`].
///
/// ```
/// use std::time::Duration;
/// use anyfs::middleware::cache::CacheLayer;
/// use anyfs::{LayerExt, MemoryBackend};
///
/// let fs = MemoryBackend::new().layer(
///     CacheLayer::builder()
///         .max_entries(1_000)
///         .max_size(8 * 1024 * 1024)
///         .ttl(Duration::from_secs(5))
///         .build(),
/// );
/// assert_eq!(fs.config().max_entries, 1_000);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheLayer {
    config: CacheConfig,
}

impl CacheLayer {
    /// A layer with the default bounds.
    pub fn new() -> Self {
        CacheLayer::default()
    }

    /// A layer with the given bounds.
    pub fn with_config(config: CacheConfig) -> Self {
        CacheLayer { config }
    }

    /// A builder to set the bounds.
    pub fn builder() -> CacheLayerBuilder {
        CacheLayerBuilder::default()
    }

    /// The bounds the wrapped backend will get.
    pub fn config(&self) -> CacheConfig {
        self.config
    }
}

impl<B: Fs> Layer<B> for CacheLayer {
    type Backend = Cache<B>;

    fn layer(self, backend: B) -> Cache<B> {
        Cache::with_config(backend, self.config)
    }
}

/// Builder of a [`CacheLayer`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheLayerBuilder {
    config: CacheConfig,
}

impl CacheLayerBuilder {
    /// Most entries per index (default 10 000).
    pub fn max_entries(mut self, entries: u64) -> Self {
        self.config.max_entries = entries;
        self
    }

    /// Most bytes of cached contents and listings (default 64 MiB).
    pub fn max_size(mut self, bytes: u64) -> Self {
        self.config.max_bytes = bytes;
        self
    }

    /// Largest file or listing that is cached (default 4 MiB).
    pub fn max_entry_size(mut self, bytes: u64) -> Self {
        self.config.max_entry_size = bytes;
        self
    }

    /// Time to live of every entry (default 60 s).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.config.ttl = ttl;
        self
    }

    /// The configured layer.
    pub fn build(self) -> CacheLayer {
        CacheLayer {
            config: self.config,
        }
    }
}
