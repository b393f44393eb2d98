//! `Overlay<Base, Upper>`: a union filesystem. Reads see the upper layer, then the base; every
//! change goes to the upper layer; the base is never written.
//!
//! ```
//! use std::path::Path;
//! use anyfs::middleware::overlay::{Change, Overlay};
//! use anyfs::{FsDir, FsRead, FsWrite, MemoryBackend};
//!
//! let base = MemoryBackend::new();                   // a template
//! base.create_dir_all(Path::new("/app/src"))?;
//! base.write(Path::new("/app/src/main.rs"), b"fn main() {}")?;
//!
//! let fs = Overlay::new(base.clone(), MemoryBackend::new());
//! fs.append(Path::new("/app/src/main.rs"), b" // edited")?; // copied up, then changed
//! fs.remove_dir_all(Path::new("/app"))?;                    // one whiteout
//! assert!(!fs.exists(Path::new("/app"))?);
//! assert_eq!(base.read(Path::new("/app/src/main.rs"))?, b"fn main() {}"); // base untouched
//! assert_eq!(fs.diff()?, vec![Change::Deleted("/app".into())]);
//! fs.discard()?;                                            // back to the template
//! assert!(fs.exists(Path::new("/app/src/main.rs"))?);
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # Semantics
//!
//! - **Lookup**: a name found in the upper layer wins (whatever its type); otherwise, unless the
//!   upper directory has a whiteout for it or is opaque, the base's entry shows through. Paths
//!   are resolved by the overlay itself with the shared [`walk`](anyfs_backend::path::walk)
//!   over this merged view (symlinks in either layer, `..` through them), so the overlay is
//!   correct used directly and under `FileStorage`.
//! - **Copy-up**: the first change to a base node copies it to the upper layer (with its
//!   missing parent directories, permissions, owner and times): `append`, `truncate`,
//!   `set_permissions`, `set_owner`, `set_times` and `hard_link` copy the content; `write`,
//!   `copy` and `open_write` replace it, so they only create the upper file (no copy). A copied
//!   file is written under a scratch name and renamed into place: it appears whole or not at
//!   all.
//! - **Deletion** leaves a whiteout: removing a base file or directory writes one `.wh.<name>`
//!   file in the upper directory, so `remove_dir_all` of a base tree costs O(1) however large
//!   it is (plus removing what the upper layer held there).
//! - **Re-creation**: a directory created where a base directory was deleted is *opaque* (a
//!   `.wh..wh..opq` marker inside it): nothing of the old base directory shows through. It is
//!   built under a scratch name and renamed into place.
//! - **Listing** merges both layers, sorted by name, hiding whiteouts, markers, shadowed and
//!   deleted base entries, and everything below an opaque directory.
//! - **Rename**: see the `rename` module: an upper-only node moves in O(1); a base file is
//!   copied up to the new name; a directory with base content is copied up recursively
//!   (O(subtree), not atomic) rather than failing with `EXDEV` as overlayfs does.
//! - **Reserved names**: every name starting with `.wh.` belongs to the overlay. Such a name in
//!   a caller's path (or a symlink target) fails with `InvalidPath` (`EINVAL`); base entries
//!   with such names are hidden.
//! - **Persistence**: whiteouts and markers are ordinary entries of the upper layer, so a
//!   persistent upper (SQLite, a host directory) keeps the overlay's state across restarts:
//!   `Overlay::new(base, reopened_upper)` shows the same tree.
//! - **Beyond the seeds**: [`diff`](Overlay::diff) lists the changes ([`Change`]),
//!   [`commit`](Overlay::commit) applies them onto a target backend, and
//!   [`discard`](Overlay::discard) drops them.
//!
//! # Inode numbers ([`FsInode`](anyfs_backend::FsInode), when both layers have inodes)
//!
//! The root is [`ROOT_INODE`](anyfs_backend::ROOT_INODE). An upper node `n` is `2n`, a base
//! node `n` is `2n + 1`, so numbers never collide across layers. A directory present in both
//! layers (merged) keeps its base number, so copying a directory up (which happens whenever
//! something below it changes) does not change its number. A *file* gets a new number when it
//! is copied up (as with overlayfs without `xino`/index): stable for the whole time it stays in
//! one layer. Base hard links share a number until one of them is copied up, after which the
//! two names are separate files (the upper copy does not write through to the base).
//! `inode_to_path` asks the layer the number came from and checks that the merged tree still
//! shows that node. A layer number above 2^63 (no built-in backend has one) is reported as 0.
//!
//! # What it implements
//!
//! [`FsFull`] (read, write, directories, links, permissions, sync,
//! statfs) over two `FsFull` layers, [`FsInode`](anyfs_backend::FsInode) (so `FsFuse`) when
//! both layers have inodes, [`FsPath`] and `SelfResolving`. Not
//! handles, locks or extended attributes: copying a node up cannot carry the base's xattrs
//! without both layers' `FsXattr`, and a handle open on a base file would keep reading the base
//! after a copy-up; rather than break those guarantees silently, the overlay does not offer
//! them. `statfs` reports the upper layer (where new data goes); `sync` flushes it.
//!
//! # Thread safety
//!
//! `Overlay` is `Send + Sync` when both layers are; it holds no state of its own beyond them.
//! Each step is one call on a layer, and copy-ups and opaque directories become visible by one
//! atomic rename, so concurrent readers never see a partial copy or a base directory showing
//! through a re-created one. Compound operations (a rename with copy-up, a whiteout plus a
//! removal) are not atomic as a whole: a concurrent reader may see the intermediate state
//! (both names present during a copy-up rename), never a lost file.
//!
//! # Cost
//!
//! `d` = path components, `n` = entries of a directory. Resolving a path costs up to four
//! layer lookups per component (the upper entry, its whiteout or opacity, the base entry):
//! O(d). Reads then cost one call on the layer that has the node. A file the upper layer
//! holds at the very path asked is found in one upper lookup (a read is one upper `read`),
//! while the upper layer has no symlinks ([`FsLink::symlink_free`](anyfs_backend::FsLink))
//! and the path is plain (normal, no `..`, no reserved name): an upper entry wins whatever
//! the base holds, so the walk would find the same node. Anything else, a base file
//! included, then takes the walk, one failed upper lookup later. Likewise `write` and
//! `remove_file` at a plain path where the base has nothing are one base lookup and the
//! upper layer's own call (no whiteout, shadow or copy-up can be involved); a change to a base
//! file pays that base lookup on top of the walk. `read_dir` is
//! O(n of both layers); `metadata` of a directory present in both layers also lists it (its
//! link count counts merged subdirectories). Writes to upper nodes cost one call; the first
//! change to a base file costs a copy (O(its size)); deletions O(1) in the base.

mod changes;
mod copy_up;
mod dir;
mod inode;
mod link;
mod names;
mod read;
mod rename;
mod view;
mod write;

#[cfg(test)]
mod tests;

use anyfs_backend::{FsFull, FsPath, Layer, SelfResolving};

pub use changes::Change;
pub use names::{OPAQUE_MARKER, WHITEOUT_PREFIX};

/// A union of a read-only `Base` and a writable `Upper`; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Overlay<Base, Upper> {
    base: Base,
    upper: Upper,
}

impl<Base, Upper> Overlay<Base, Upper> {
    /// Layers `upper` over `base`. Nothing is ever written to `base`. An `upper` that already
    /// holds an overlay's changes (a persistent one, reopened) continues where it was.
    pub fn new(base: Base, upper: Upper) -> Self {
        Overlay { base, upper }
    }

    /// The base layer (what `Layer` wrapped).
    pub fn get_ref(&self) -> &Base {
        &self.base
    }

    /// The base layer.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// The upper layer, with the overlay's whiteouts and markers in it.
    pub fn upper(&self) -> &Upper {
        &self.upper
    }

    /// Both layers, `(base, upper)`.
    pub fn into_inner(self) -> (Base, Upper) {
        (self.base, self.upper)
    }
}

impl<Base: FsFull, Upper: FsFull> FsPath for Overlay<Base, Upper> {}

impl<Base: FsFull, Upper: FsFull> SelfResolving for Overlay<Base, Upper> {}

/// The [`Layer`] that lays an upper layer over a backend: `base.layer(OverlayLayer::new(upper))`
/// gives `Overlay<Base, Upper>`, with the wrapped backend as the read-only base.
///
/// ```
/// use std::path::Path;
/// use anyfs::middleware::overlay::OverlayLayer;
/// use anyfs::{FsRead, FsWrite, LayerExt, MemoryBackend};
///
/// let template = MemoryBackend::new();
/// template.write(Path::new("/readme"), b"hi")?;
/// let fs = template.clone().layer(OverlayLayer::builder().upper(MemoryBackend::new()).build());
/// fs.write(Path::new("/readme"), b"changed")?;
/// assert_eq!(template.read(Path::new("/readme"))?, b"hi");
/// # Ok::<(), anyfs::FsError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct OverlayLayer<Upper> {
    upper: Upper,
}

impl<Upper> OverlayLayer<Upper> {
    /// A layer putting `upper` over the backend it wraps.
    pub fn new(upper: Upper) -> Self {
        OverlayLayer { upper }
    }
}

impl OverlayLayer<()> {
    /// A builder; set the upper layer with [`OverlayLayerBuilder::upper`].
    pub fn builder() -> OverlayLayerBuilder<()> {
        OverlayLayerBuilder { upper: () }
    }
}

impl<Base: FsFull, Upper: FsFull> Layer<Base> for OverlayLayer<Upper> {
    type Backend = Overlay<Base, Upper>;

    fn layer(self, base: Base) -> Overlay<Base, Upper> {
        Overlay::new(base, self.upper)
    }
}

/// Builder of an [`OverlayLayer`].
#[derive(Debug, Clone, Default)]
pub struct OverlayLayerBuilder<Upper> {
    upper: Upper,
}

impl<Upper> OverlayLayerBuilder<Upper> {
    /// The writable upper layer.
    pub fn upper<U: FsFull>(self, upper: U) -> OverlayLayerBuilder<U> {
        OverlayLayerBuilder { upper }
    }
}

impl<Upper: FsFull> OverlayLayerBuilder<Upper> {
    /// The configured layer.
    pub fn build(self) -> OverlayLayer<Upper> {
        OverlayLayer { upper: self.upper }
    }
}
