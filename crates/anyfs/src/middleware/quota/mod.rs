//! `Quota<B>`: limits on bytes, file size, nodes, entries and depth (`ENOSPC`, `EFBIG`).
//!
//! ```
//! use std::io::Write;
//! use std::path::Path;
//! use anyfs::middleware::quota::{Quota, QuotaLayer};
//! use anyfs::{FsDir, FsWrite, LayerExt, MemoryBackend};
//!
//! let fs = MemoryBackend::new().layer(
//!     QuotaLayer::builder()
//!         .max_total_size(1024)
//!         .max_file_size(600)
//!         .max_node_count(10)
//!         .build(),
//! );
//! fs.write(Path::new("/a.bin"), &[0; 500])?;
//! assert_eq!(fs.usage().total_size, 500);
//! assert_eq!(fs.remaining().total_size, Some(524));
//!
//! // One file may not exceed 600 bytes: EFBIG.
//! let err = fs.write(Path::new("/b.bin"), &[0; 700]).unwrap_err();
//! assert_eq!(err.code(), "EFBIG");
//! // The total may not exceed 1024 bytes: ENOSPC, and nothing was written.
//! let err = fs.write(Path::new("/b.bin"), &[0; 550]).unwrap_err();
//! assert_eq!(err.code(), "ENOSPC");
//! assert_eq!(fs.usage().total_size, 500);
//!
//! // Streams are counted as they are written.
//! let mut w = fs.open_write(Path::new("/c.bin"))?;
//! w.write_all(&[1; 400])?;
//! assert!(w.write_all(&[1; 200]).is_err());
//! drop(w);
//! assert_eq!(fs.usage().total_size, 900);
//!
//! // The seeds' style.
//! let fs = Quota::new(MemoryBackend::new())
//!     .with_max_total_size(100 * 1024 * 1024)
//!     .with_max_path_depth(64);
//! fs.create_dir_all(Path::new("/a/b"))?;
//! assert_eq!(fs.usage().node_count, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is counted
//!
//! - **Bytes**: the content of regular files, each file once however many hard links name
//!   it, plus extended attributes (name and value) set through the quota, so attributes are
//!   not a way around it. Directories, symlink targets and names are not counted; attributes
//!   that existed before the quota was built are not measured (the scan uses the `Fs` level
//!   only).
//! - **Nodes**: files, directories and symlinks (the root not included); the hard links of a
//!   file are one node.
//! - **Entries per directory** and **path depth** (components of the canonical path, so a
//!   node created through a symlink counts where it really lands) are checked when a node is
//!   created or moved; they are measured then, not stored.
//!
//! Usage is measured from the existing content when the Quota is built (one walk of the whole
//! tree with `read_dir` and `symlink_metadata`), then kept up to date by every change made
//! through it. Changes made to the inner backend directly are not seen; [`Quota::rescan`]
//! measures again. If the first measurement fails, every mutation is refused (fail closed)
//! until a rescan succeeds; [`Quota::try_new`] reports the failure instead. Layered above a
//! `PathFilter`, the quota measures what the filter lets it list (a directory the filter
//! refuses to list is not counted; nothing can be written there through the stack either):
//! put Quota below PathFilter, as the seeds' sandbox does, to count the whole storage.
//!
//! # What it intercepts
//!
//! | call | checked before it runs |
//! |---|---|
//! | `write`, `append`, `truncate`, `copy` | the file's new size (`EFBIG`), the growth of the total (`ENOSPC`), and for a new file one node, its directory's entries, its depth |
//! | `open_write` | as `write` of an empty file; then every chunk written to the stream is checked like an `append` |
//! | `open` with `CREATE` / `TRUNCATE` | a new node, or the freed bytes |
//! | `write_at` | growth of the file (its size is tracked per open inode, so a hard link or a second handle sees the same size) |
//! | `create_dir`, `create_dir_all`, `symlink` | one node per created directory or link, entries, depth |
//! | `hard_link` | the link's directory entries and depth (no new node, no new bytes) |
//! | `rename` | the destination directory's entries, the depth of the moved subtree |
//! | `set_xattr` | the growth of the total by the attribute's name and value |
//! | `remove_file`, `remove_dir`, `remove_dir_all`, `rename` over a file, `remove_xattr` | nothing; their bytes (attributes included) and nodes are released when the call succeeds |
//! | `statfs` | reports the limits as the filesystem's size and the usage as used |
//!
//! Everything else (reads, metadata, permissions, times, sync, inodes, locks, xattr reads) is
//! forwarded unchanged.
//!
//! A refused call never reaches the inner backend, so it leaves no partial data: a `write`
//! that would exceed a limit does not truncate the old content, a `copy` does not create its
//! destination. A stream chunk that would exceed a limit is refused whole (the chunks before
//! it stay, as with a full disk). A file whose last name is removed while a handle or stream
//! is open keeps its bytes counted until the last one closes, as the data lives that long.
//!
//! Errors: [`FsError::QuotaExceeded`] (`ENOSPC`) for the total size, the node count, entries
//! per directory and depth; [`FsError::FileSizeExceeded`] (`EFBIG`) for one file's size. A
//! stream's refused chunk is an `std::io::Error` wrapping the same `FsError`.
//!
//! # Thread safety
//!
//! `Quota<B>` is `Send + Sync`. Every mutation holds one mutex from its check to the end of
//! the inner call (and so does every chunk written to a stream), so concurrent writers cannot
//! overshoot a limit: there is no window between "there is room" and "the room is used".
//! Reads and handle reads take no lock and run in parallel. The lock is taken before the inner
//! backend's own locks, never the other way round, and never while waiting for an advisory
//! file lock.
//!
//! # Performance
//!
//! `d` = path components, `n` = entries in the target directory, `s` = nodes in a subtree.
//!
//! | call | extra cost |
//! |---|---|
//! | reads, metadata, handles' reads, locks, xattr reads, permissions | none |
//! | `set_xattr`, `remove_xattr` | one `metadata` and one `get_xattr`, under the mutex |
//! | `write` | none beyond the mutex when the inner backend reports what a write replaced ([`FsWrite::write_replacing`](anyfs_backend::FsWrite::write_replacing): MemoryBackend does, in the same step as the write) and the write fits whatever it replaces (room for all its bytes and one more node, no `max_dir_entries` / `max_path_depth`); otherwise one `metadata` of the path first, and the exact checks |
//! | `remove_file` | none beyond the mutex when the inner backend reports what it removed ([`FsWrite::remove_file_reporting`](anyfs_backend::FsWrite::remove_file_reporting)); otherwise one `symlink_metadata` first |
//! | `append`, `truncate`, `copy`, `open` | one `metadata` / `symlink_metadata` of the path (two for `copy`), under the mutex |
//! | `write_at`, stream chunks | O(1): a hash lookup |
//! | creating a node with `max_dir_entries` or `max_path_depth` set | a soft canonicalization (d lookups) and, for entries, a `read_dir` of the parent (O(n)) |
//! | `remove_dir_all`, `rename` of a directory with `max_path_depth` | a walk of the subtree, O(s) |
//! | construction, [`rescan`](Quota::rescan) | a walk of the whole tree |
//!
//! Lookups go through the inner backend's own resolver when it has one
//! ([`FsLink::resolve_path`]), which reports a missing
//! path without building an error. Quota forwards `resolve_path` (it does not change where
//! paths lead), so a `PathFilter` above it still resolves in one call.
//!
//! Measured by `cargo bench -p anyfs --bench layers` (MemoryBackend through FileStorage, 10k
//! files of 4 KiB, instruction counts): with limits that are not near, Quota adds about 2% to
//! creating a file and about 6% to removing one (the lock and the booking; a lookup first cost
//! 50% more per call); reads and `stat` are forwarded and cost nothing.
//!
//! Mutations through one Quota are serialized by its mutex; put Quota where writes are not
//! the bottleneck, or use one Quota per tenant.

mod dir;
mod handles;
mod layer;
mod ledger;
mod limits;
mod links;
mod stream;
mod view;
mod write;
mod xattr;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use anyfs_backend::{Fs, FsError, FsLink, FsStats, Metadata, StatFs, ROOT_INODE};
use parking_lot::{Mutex, MutexGuard};

pub use layer::{QuotaLayer, QuotaLayerBuilder};
pub use limits::{QuotaLimits, QuotaRemaining, QuotaUsage};

use super::forward::forward;
use crate::middleware::view::{self as inner_view, View, ViewFn};
use ledger::Ledger;

/// A backend with resource limits; see the [module docs](self).
pub struct Quota<B> {
    inner: B,
    limits: QuotaLimits,
    /// Shared with the streams of `open_write`, which outlive a borrow of the Quota.
    ledger: Arc<Mutex<Ledger>>,
    view: ViewFn<B>,
}

impl<B: fmt::Debug> fmt::Debug for Quota<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Quota")
            .field("inner", &self.inner)
            .field("limits", &self.limits)
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}

impl<B: Fs + FsLink> Quota<B> {
    /// Wraps `inner` with no limits yet (add them with the `with_*` methods), measuring its
    /// existing content. If that measurement fails, every mutation is refused until
    /// [`rescan`](Quota::rescan) succeeds; use [`try_new`](Quota::try_new) to see the error.
    pub fn new(inner: B) -> Self {
        Quota::build(inner, inner_view::with_links::<B>)
    }

    /// Like [`new`](Quota::new), but returns the measurement's error.
    pub fn try_new(inner: B) -> Result<Self, FsError> {
        let quota = Quota::new(inner);
        quota.ledger.lock().usable("quota scan")?;
        Ok(quota)
    }
}

impl<B: Fs> Quota<B> {
    /// Wraps a backend without [`FsLink`] (so without symlinks or hard links).
    pub fn without_links(inner: B) -> Self {
        Quota::build(inner, inner_view::without_links::<B>)
    }
}

impl<B> Quota<B> {
    fn build(inner: B, view: ViewFn<B>) -> Self {
        let ledger = measure(view(&inner));
        Quota {
            inner,
            limits: QuotaLimits::default(),
            ledger: Arc::new(Mutex::new(ledger)),
            view,
        }
    }

    /// Replaces every limit.
    pub fn with_limits(mut self, limits: QuotaLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Limits the bytes of file content in total.
    pub fn with_max_total_size(mut self, bytes: u64) -> Self {
        self.limits.max_total_size = Some(bytes);
        self
    }

    /// Limits the bytes of one file.
    pub fn with_max_file_size(mut self, bytes: u64) -> Self {
        self.limits.max_file_size = Some(bytes);
        self
    }

    /// Limits the number of files, directories and symlinks.
    pub fn with_max_node_count(mut self, nodes: u64) -> Self {
        self.limits.max_node_count = Some(nodes);
        self
    }

    /// Limits the entries of one directory.
    pub fn with_max_dir_entries(mut self, entries: u64) -> Self {
        self.limits.max_dir_entries = Some(entries);
        self
    }

    /// Limits the components of a node's path.
    pub fn with_max_path_depth(mut self, depth: u64) -> Self {
        self.limits.max_path_depth = Some(depth);
        self
    }

    /// The limits.
    pub fn limits(&self) -> QuotaLimits {
        self.limits
    }

    /// What is used now.
    pub fn usage(&self) -> QuotaUsage {
        self.ledger.lock().usage
    }

    /// What is left of the total size and node count (`None` where unlimited).
    pub fn remaining(&self) -> QuotaRemaining {
        self.limits.remaining(self.usage())
    }

    /// Measures the inner backend's content again (after changes made to it directly, or
    /// after a failed first measurement), keeping the files open through this Quota.
    pub fn rescan(&self) -> Result<QuotaUsage, FsError> {
        let mut ledger = self.ledger.lock();
        let measured = measure((self.view)(&self.inner));
        measured.usable("rescan")?;
        ledger.usage = measured.usage;
        ledger.broken = None;
        Ok(ledger.usage)
    }

    /// The inner backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the inner backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Takes the ledger for a mutation, failing if usage is unknown.
    fn ledger(&self, operation: &'static str) -> Result<MutexGuard<'_, Ledger>, FsError> {
        let ledger = self.ledger.lock();
        ledger.usable(operation)?;
        Ok(ledger)
    }

    fn view(&self) -> View<'_> {
        (self.view)(&self.inner)
    }

    /// Checks that `count` new nodes may be created, the first of them at `path` (the others,
    /// if any, below it), with a subtree of `height` below the deepest.
    fn check_new_nodes(
        &self,
        ledger: &Ledger,
        path: &Path,
        count: u64,
        height: u64,
    ) -> Result<(), FsError> {
        self.limits.check_nodes(ledger.usage.node_count, count)?;
        self.check_placement(path, height)
    }

    /// Checks the entries of the directory that would hold `path` and the depth of `path`
    /// (plus `height` levels below it).
    fn check_placement(&self, path: &Path, height: u64) -> Result<(), FsError> {
        if !self.limits.needs_placement() {
            return Ok(());
        }
        let placement = view::placement(&self.view(), path)?;
        self.limits.check_entries(placement.parent_entries)?;
        self.limits.check_depth(
            placement.depth.saturating_sub(1),
            placement.depth.saturating_add(height),
        )
    }

    /// Checks that a file may change from `old` to `new` bytes.
    fn check_resize(
        &self,
        ledger: &Ledger,
        path: &Path,
        old: u64,
        new: u64,
    ) -> Result<(), FsError> {
        if new > old {
            self.limits.check_file_size(path, new)?;
            self.limits
                .check_bytes(ledger.usage.total_size, new - old)?;
        }
        Ok(())
    }
}

/// Measures a whole tree; a failure gives a ledger that refuses mutations.
fn measure(inner: View<'_>) -> Ledger {
    let root = std::path::PathBuf::from("/");
    let root_metadata = match inner.lstat(&root) {
        // A PathFilter below may hide even the root: count what can be seen.
        Err(FsError::AccessDenied { .. }) => Ok(None),
        other => other,
    };
    let measured = root_metadata
        .and_then(|m| {
            let m = m.unwrap_or_else(|| Metadata {
                inode: ROOT_INODE,
                ..Metadata::new(anyfs_backend::FileType::Directory)
            });
            view::subtree(&inner, &root, &m, view::Hidden::Skip)
        })
        .map(|tree| QuotaUsage {
            total_size: tree.bytes,
            // The root is not a node the quota counts.
            node_count: (tree.freed.len() as u64).saturating_sub(1),
        });
    match measured {
        Ok(usage) => Ledger::new(usage),
        Err(e) => Ledger::broken(e.to_string()),
    }
}

forward!(Quota.inner => FsRead, FsPermissions, FsSync, FsInode, FsLock, FsPath, SelfResolving);

impl<B: FsStats> FsStats for Quota<B> {
    /// The inner backend's statistics, with the limits as the size and the usage as used
    /// where limits are set, so `df` on a mount shows the quota.
    fn statfs(&self) -> Result<StatFs, FsError> {
        let mut stats = self.inner.statfs()?;
        let usage = self.usage();
        if let Some(limit) = self.limits.max_total_size {
            stats.total_bytes = limit;
            stats.used_bytes = usage.total_size;
            stats.available_bytes = limit
                .saturating_sub(usage.total_size)
                .min(stats.available_bytes);
        }
        if let Some(limit) = self.limits.max_node_count {
            stats.total_inodes = limit;
            stats.used_inodes = usage.node_count;
            stats.available_inodes = limit
                .saturating_sub(usage.node_count)
                .min(stats.available_inodes);
        }
        Ok(stats)
    }
}
