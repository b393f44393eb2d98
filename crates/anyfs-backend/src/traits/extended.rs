//! Layer 2, optional std::fs features: [`FsLink`], [`FsPermissions`], [`FsSync`], [`FsStats`].

use std::path::{Path, PathBuf};

use crate::{FsError, Metadata, Permissions, StatFs};

/// Symbolic and hard links.
pub trait FsLink: Send + Sync {
    /// Creates a symlink at `link` whose target is `original` (stored as given; it need not
    /// exist).
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError>;

    /// Creates a hard link `link` to the existing file `original` (directories: `NotAFile`).
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError>;

    /// The target stored in a symlink (`InvalidInput` if the path is not a symlink).
    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError>;

    /// Metadata of the node itself, not following a final symlink.
    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError>;

    /// Resolves `path` in one call through the backend's own namespace, for middleware whose
    /// policy must know where a path leads. `None` (the default) means the backend has no
    /// cheaper way than the generic walk over its public calls
    /// ([`LinkWalker`](crate::path::LinkWalker): one `symlink_metadata` per component).
    ///
    /// When it answers, the answer must be exactly what that walk gives with
    /// `WalkOptions { follow_final, soft: true, .. }` and `operation`: the same canonical path,
    /// the same error, and the final node's metadata (as `metadata` / `symlink_metadata`
    /// report it). A middleware may forward this to its inner backend only if its own
    /// namespace is the inner one, unchanged and unfiltered.
    fn resolve_path(
        &self,
        path: &Path,
        follow_final: bool,
        operation: &'static str,
    ) -> Option<Result<crate::path::Resolution, FsError>> {
        let _ = (path, follow_final, operation);
        None
    }

    /// True when the backend's namespace holds no symlink at the moment of the call: then a
    /// path without `..` components resolves to its lexical
    /// [`normalize`](crate::normalize)d form, with nothing to look up (the one difference from
    /// a walk being that the walk also meets a non-directory used as a directory, which the
    /// operation then meets itself). `false` (the default) means "not known".
    ///
    /// The answer can be stale once given: a caller that relies on it must keep symlinks from
    /// appearing meanwhile itself (PathFilter holds its namespace lock, which creating a
    /// symlink through it takes exclusively). A middleware may forward it only where it may
    /// forward [`resolve_path`](FsLink::resolve_path).
    fn symlink_free(&self) -> bool {
        false
    }
}

/// Permission bits and ownership.
pub trait FsPermissions: Send + Sync {
    /// Sets the permission bits.
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError>;

    /// Changes the owner and/or group (`None` leaves one unchanged), as `chown`.
    ///
    /// The default returns `NotSupported`.
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let _ = (path, uid, gid);
        Err(FsError::NotSupported {
            operation: "set_owner",
        })
    }
}

/// Durability.
pub trait FsSync: Send + Sync {
    /// Flushes everything the backend buffers to its durable storage.
    fn sync(&self) -> Result<(), FsError>;

    /// Flushes one file's content and metadata.
    fn fsync(&self, path: &Path) -> Result<(), FsError>;
}

/// Filesystem statistics.
pub trait FsStats: Send + Sync {
    /// Sizes and counts, as `statfs(2)` reports them.
    fn statfs(&self) -> Result<StatFs, FsError>;
}
