//! The one path-walking algorithm: component by component, following symlinks, resolving `..`
//! through a symlink's target, bounded against loops. Backends walk their own node graph with it
//! (through [`Walk`]) and `FileStorage`'s resolvers walk any backend with it.

use std::path::{Path, PathBuf};

use crate::{FileType, FsError};

/// Most symlinks one walk follows before failing with `SymlinkLoop` (Linux's limit).
pub const MAX_SYMLINKS: u32 = 40;

/// What a walk needs from the storage it walks.
pub trait Walk {
    /// A node handle: an inode number, or a canonical path for path-based storage.
    type Node: Clone;

    /// The root directory.
    fn root(&self) -> Self::Node;

    /// The entry `name` of directory `dir`: `Ok(None)` if there is none.
    fn lookup(
        &self,
        dir: &Self::Node,
        name: &str,
    ) -> Result<Option<(Self::Node, FileType)>, FsError>;

    /// The target stored in the symlink `node`.
    fn read_link(&self, node: &Self::Node) -> Result<PathBuf, FsError>;
}

/// How a walk treats the final component and missing components.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions<'a> {
    /// Follow a symlink in the final component (`metadata`, `read`) or not (`symlink_metadata`,
    /// `remove_file`, `rename`).
    pub follow_final: bool,
    /// Soft mode: when an intermediate component is missing, append the rest lexically instead
    /// of failing with `NotFound`.
    pub soft: bool,
    /// Resolve as if this existing directory were the root: `..` stops there and absolute
    /// symlink targets start there.
    pub anchor: Option<&'a Path>,
    /// Symlink budget; `0` means [`MAX_SYMLINKS`].
    pub max_symlinks: u32,
}

/// The outcome of a walk.
#[derive(Debug, Clone)]
pub struct Walked<N> {
    /// The canonical path: every existing component resolved, the missing rest appended.
    pub path: PathBuf,
    /// The final node and its type, if it exists.
    pub node: Option<(N, FileType)>,
    /// The directory that holds (or would hold) the final component, with the final name;
    /// `None` for the root, and in soft mode when an intermediate component is missing.
    pub parent: Option<(N, String)>,
}

/// Walks `path` (validated first with [`validate`](super::validate)).
pub fn walk<W: Walk + ?Sized>(
    storage: &W,
    path: &Path,
    options: &WalkOptions<'_>,
    operation: &'static str,
) -> Result<Walked<W::Node>, FsError> {
    let _ = (storage, path, options);
    Err(FsError::NotSupported { operation })
}
