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
