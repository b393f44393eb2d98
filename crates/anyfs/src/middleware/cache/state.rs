//! The cache's storage and its one consistency protocol.
//!
//! Three `moka` caches: `paths` (path → inode, as `metadata` resolves it), `meta` (inode →
//! metadata) and `blobs` (inode → file content or directory listing). Content and metadata are
//! keyed by inode, so every name of a node (hard links, symlinks, directories reached through
//! symlinks, different spellings of one path) shares one entry, and a change to the node
//! through any name invalidates it for all of them.
//!
//! Invalidation is by generation tags, O(1) however much is cached: each `paths`, `meta` and
//! listing entry carries the *namespace generation* it was filled under and is ignored once a
//! namespace change (create, remove, rename, link) bumped it; content entries carry the
//! *content generation*, bumped when a whole subtree is removed (its inodes are freed and may be
//! reused). Single-node changes invalidate that inode's entries directly.
//!
//! Fills race with mutations. The rule that keeps the cache from storing stale data: a reader
//! takes a [`Ticket`] (the current epoch) *before* asking the inner backend, and inserts only if
//! the epoch is unchanged; every invalidation bumps the epoch under the same mutex that guards
//! "check and insert", after the inner mutation returned. So a fill either lands before the
//! invalidation (and is removed by it) or sees the bumped epoch (and is dropped).
//!
//! That alone is not enough while a mutation is under way: between the inner write landing and
//! its invalidation, two readers could fill under one epoch, the one that read the old bytes
//! last, so a reader that had already seen the new bytes would then be served the old ones. So
//! every mutation is bracketed by a [`Mutation`] guard ([`State::mutating`]): no fill lands
//! while any mutation is in flight, and the guard bumps the epoch when it ends, so a ticket
//! taken before or during a mutation cannot fill after it. A fill that lands therefore read the
//! inner backend with no mutation overlapping its ticket.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyfs_backend::{DirEntry, Metadata};
use moka::sync::Cache as Moka;
use parking_lot::Mutex;

/// What a [`Cache`](super::Cache) is bounded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    /// Most entries in each of the three indexes (paths, metadata, contents and listings).
    pub max_entries: u64,
    /// Most bytes of cached file content and listings together.
    pub max_bytes: u64,
    /// Largest single file (or listing) that is cached; bigger ones are always read through.
    pub max_entry_size: u64,
    /// How long an entry may be served after it was filled, whatever happens meanwhile.
    pub ttl: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_entries: 10_000,
            max_bytes: 64 * 1024 * 1024,
            max_entry_size: 4 * 1024 * 1024,
            ttl: Duration::from_secs(60),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum BlobKey {
    Content(u64),
    Listing(u64),
}

#[derive(Clone)]
pub(super) enum Blob {
    Content {
        generation: u64,
        data: Arc<[u8]>,
    },
    Listing {
        namespace: u64,
        entries: Arc<[DirEntry]>,
    },
}

impl Blob {
    fn size(&self) -> u64 {
        match self {
            Blob::Content { data, .. } => data.len() as u64,
            Blob::Listing { entries, .. } => entries
                .iter()
                .map(|e| e.name.len() as u64 + 32)
                .sum::<u64>(),
        }
    }
}

/// A mutation in flight, from [`State::mutating`]: no fill lands until it drops.
#[must_use = "a mutation is in flight only while the guard lives"]
pub(super) struct Mutation<'a>(&'a State);

impl Drop for Mutation<'_> {
    fn drop(&mut self) {
        let mut in_flight = self.0.fill.lock();
        *in_flight = in_flight.saturating_sub(1);
        self.0.epoch.fetch_add(1, Ordering::SeqCst);
    }
}

/// The epoch seen before a fill's inner call.
#[derive(Clone, Copy)]
pub(super) struct Ticket {
    epoch: u64,
    pub namespace: u64,
    pub content: u64,
}

/// Hit and miss counters and sizes, from [`Cache::stats`](super::Cache::stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache (content, metadata, listings, existence).
    pub hits: u64,
    /// Lookups that went to the inner backend.
    pub misses: u64,
    /// Entries held now, all indexes together (including ones a newer generation has made
    /// unreachable but that have not been evicted yet).
    pub entries: u64,
    /// Bytes of content and listings held now (as weighed for the byte bound).
    pub bytes: u64,
}

pub(super) struct State {
    pub config: CacheConfig,
    /// Keyed by the path's bytes: hashed and compared as bytes, where a `PathBuf` key is
    /// hashed and compared component by component (a spelling such as `/a//b` then gets an
    /// entry of its own, for the same inode).
    paths: Moka<Box<[u8]>, (u64, u64), Hasher>,
    meta: Moka<u64, (u64, Metadata), Hasher>,
    blobs: Moka<BlobKey, Blob, Hasher>,
    epoch: AtomicU64,
    namespace: AtomicU64,
    content: AtomicU64,
    /// Guards "check the epoch and insert"; holds the number of mutations in flight.
    fill: Mutex<u64>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// The indexes' hasher: foldhash, seeded per process (what `hashbrown` uses by default); moka's
/// default, SipHash, cost a stat that misses the cache more than the lookup it caches.
type Hasher = foldhash::fast::RandomState;

/// A path as a `paths` key.
fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The longest TTL moka accepts is 1000 years (it panics beyond); longer ones are clamped to
/// this, which is "forever" for any process.
pub(super) const MAX_TTL: std::time::Duration =
    std::time::Duration::from_secs(999 * 365 * 24 * 60 * 60);

impl State {
    pub(super) fn new(config: CacheConfig) -> Self {
        let ttl = config.ttl.min(MAX_TTL);
        let max_entries = config.max_entries.max(1);
        let max_bytes = config.max_bytes.max(1);
        // Each blob weighs at least max_bytes / max_entries, so the byte bound also bounds the
        // number of blobs to max_entries.
        let floor = (max_bytes / max_entries).max(1);
        State {
            config,
            paths: Moka::builder()
                .max_capacity(max_entries)
                .time_to_live(ttl)
                .build_with_hasher(Hasher::default()),
            meta: Moka::builder()
                .max_capacity(max_entries)
                .time_to_live(ttl)
                .build_with_hasher(Hasher::default()),
            blobs: Moka::builder()
                .max_capacity(max_bytes)
                .weigher(move |_: &BlobKey, blob: &Blob| {
                    u32::try_from(blob.size().max(floor)).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build_with_hasher(Hasher::default()),
            epoch: AtomicU64::new(0),
            namespace: AtomicU64::new(0),
            content: AtomicU64::new(0),
            fill: Mutex::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub(super) fn ticket(&self) -> Ticket {
        // SeqCst so the ticket is read before the inner call that follows it.
        Ticket {
            epoch: self.epoch.load(Ordering::SeqCst),
            namespace: self.namespace.load(Ordering::SeqCst),
            content: self.content.load(Ordering::SeqCst),
        }
    }

    pub(super) fn namespace(&self) -> u64 {
        self.namespace.load(Ordering::SeqCst)
    }

    fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    // ---- lookups -------------------------------------------------------------------------

    /// The inode `path` resolved to under the ticket's namespace.
    pub(super) fn inode_of(&self, path: &Path, ticket: Ticket) -> Option<u64> {
        match self.paths.get(path_key(path)) {
            Some((namespace, ino)) if namespace == ticket.namespace => Some(ino),
            _ => None,
        }
    }

    pub(super) fn metadata_of(&self, ino: u64, ticket: Ticket) -> Option<Metadata> {
        let found = match self.meta.get(&ino) {
            Some((namespace, m)) if namespace == ticket.namespace => Some(m),
            _ => None,
        };
        self.count(found.is_some());
        found
    }

    pub(super) fn content_of(&self, ino: u64, ticket: Ticket) -> Option<Arc<[u8]>> {
        let found = match self.blobs.get(&BlobKey::Content(ino)) {
            Some(Blob::Content { generation, data }) if generation == ticket.content => Some(data),
            _ => None,
        };
        self.count(found.is_some());
        found
    }

    pub(super) fn listing_of(&self, ino: u64, ticket: Ticket) -> Option<Arc<[DirEntry]>> {
        let found = match self.blobs.get(&BlobKey::Listing(ino)) {
            Some(Blob::Listing { namespace, entries }) if namespace == ticket.namespace => {
                Some(entries)
            }
            _ => None,
        };
        self.count(found.is_some());
        found
    }

    /// Counts an existence check answered from `paths` (or not).
    pub(super) fn count_exists(&self, hit: bool) {
        self.count(hit);
    }

    // ---- fills ---------------------------------------------------------------------------

    /// Runs `insert` if nothing was invalidated since `ticket` was taken and no mutation is in
    /// flight.
    fn fill(&self, ticket: Ticket, insert: impl FnOnce(&Self)) {
        let in_flight = self.fill.lock();
        if *in_flight == 0 && self.epoch.load(Ordering::SeqCst) == ticket.epoch {
            insert(self);
        }
    }

    /// Remembers what `metadata(path)` returned (nodes without an inode number are not cached:
    /// they could not be told apart).
    pub(super) fn fill_metadata(&self, ticket: Ticket, path: &Path, m: &Metadata) {
        if m.inode == 0 {
            return;
        }
        self.fill(ticket, |s| {
            s.paths
                .insert(Box::from(path_key(path)), (ticket.namespace, m.inode));
            s.meta.insert(m.inode, (ticket.namespace, m.clone()));
        });
    }

    /// Remembers metadata found by inode.
    pub(super) fn fill_inode_metadata(&self, ticket: Ticket, m: &Metadata) {
        if m.inode == 0 {
            return;
        }
        self.fill(ticket, |s| {
            s.meta.insert(m.inode, (ticket.namespace, m.clone()))
        });
    }

    pub(super) fn fill_content(&self, ticket: Ticket, ino: u64, data: &[u8]) {
        if data.len() as u64 > self.config.max_entry_size {
            return;
        }
        let blob = Blob::Content {
            generation: ticket.content,
            data: Arc::from(data),
        };
        self.fill(ticket, |s| s.blobs.insert(BlobKey::Content(ino), blob));
    }

    pub(super) fn fill_listing(&self, ticket: Ticket, ino: u64, entries: &[DirEntry]) {
        let blob = Blob::Listing {
            namespace: ticket.namespace,
            entries: Arc::from(entries),
        };
        if blob.size() > self.config.max_entry_size {
            return;
        }
        self.fill(ticket, |s| s.blobs.insert(BlobKey::Listing(ino), blob));
    }

    // ---- invalidation --------------------------------------------------------------------

    fn invalidate(&self, change: impl FnOnce(&Self)) {
        let _guard = self.fill.lock();
        change(self);
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// Marks a mutation of the inner backend as under way until the guard drops; take it before
    /// the inner call, and invalidate what the call changed before dropping it.
    pub(super) fn mutating(&self) -> Mutation<'_> {
        *self.fill.lock() += 1;
        Mutation(self)
    }

    /// The content (and so the metadata) of node `ino` changed; with `names`, names were also
    /// added, removed or moved. An unknown node (`None`) may be any node: everything goes.
    pub(super) fn invalidate_node(&self, ino: Option<u64>, names: bool) {
        self.invalidate(|s| {
            match ino {
                Some(ino) => {
                    s.meta.invalidate(&ino);
                    s.blobs.invalidate(&BlobKey::Content(ino));
                }
                None => {
                    s.content.fetch_add(1, Ordering::SeqCst);
                    s.namespace.fetch_add(1, Ordering::SeqCst);
                }
            }
            if names {
                s.namespace.fetch_add(1, Ordering::SeqCst);
            }
        });
    }

    /// Only the metadata of node `ino` changed (`None`: of some node, so of any).
    pub(super) fn invalidate_metadata(&self, ino: Option<u64>) {
        self.invalidate(|s| match ino {
            Some(ino) => s.meta.invalidate(&ino),
            None => {
                s.namespace.fetch_add(1, Ordering::SeqCst);
            }
        });
    }

    /// Names were added, removed or moved: every path resolution, every metadata (link counts,
    /// directory times) and every listing may be stale. O(1): one generation bump.
    pub(super) fn invalidate_names(&self) {
        self.invalidate(|s| {
            s.namespace.fetch_add(1, Ordering::SeqCst);
        });
    }

    /// Everything may be stale (a subtree was removed and its inode numbers may be reused, or
    /// the caller changed the backend behind the cache's back). O(1).
    pub(super) fn invalidate_all(&self) {
        self.invalidate(|s| {
            s.namespace.fetch_add(1, Ordering::SeqCst);
            s.content.fetch_add(1, Ordering::SeqCst);
        });
    }

    pub(super) fn stats(&self) -> CacheStats {
        self.paths.run_pending_tasks();
        self.meta.run_pending_tasks();
        self.blobs.run_pending_tasks();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.paths.entry_count() + self.meta.entry_count() + self.blobs.entry_count(),
            bytes: self.blobs.weighted_size(),
        }
    }

    /// Entry counts of the three indexes, after pending maintenance (for bound tests).
    #[cfg(test)]
    pub(super) fn counts(&self) -> (u64, u64, u64) {
        self.stats();
        (
            self.paths.entry_count(),
            self.meta.entry_count(),
            self.blobs.entry_count(),
        )
    }
}
