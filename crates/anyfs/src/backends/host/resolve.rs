//! [`Resolve`]: the one thing that differs between the host backends, how a virtual path
//! becomes a host descriptor. Every operation is written once over it (in the sibling
//! modules); `StdFsBackend` plugs in plain `*at` calls relative to the root, `VRootFsBackend`
//! kernel-contained `openat2` calls.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyfs_backend::FsError;
use rustix::fs::{fstat, statat, AtFlags, Mode, OFlags, Stat};

use super::root::Root;
use super::vpath::{Last, VPath};

/// A directory descriptor operations act relative to: the root's (borrowed) or one a resolver
/// opened.
#[derive(Debug)]
pub(crate) enum DirFd<'r> {
    /// The backend's root descriptor.
    #[cfg_attr(not(feature = "stdfs"), allow(dead_code))] // only the plain resolver's
    Root(BorrowedFd<'r>),
    /// A directory the resolver opened (closed when dropped); only the containing resolver
    /// opens its own.
    #[cfg_attr(not(feature = "vrootfs"), allow(dead_code))]
    Owned(OwnedFd),
}

impl AsFd for DirFd<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            DirFd::Root(fd) => *fd,
            DirFd::Owned(fd) => fd.as_fd(),
        }
    }
}

/// Where an entry lives: the directory holding it and the name to pass to `*at` calls with
/// that directory (one component for a containing resolver; a root-relative path for the
/// plain one). Never the root itself, never `.` or `..`.
#[derive(Debug)]
pub(crate) struct Parent<'r> {
    /// The directory (or, for the plain resolver, the root).
    pub dir: DirFd<'r>,
    /// The entry's name relative to `dir`, without a trailing `/`.
    pub name: String,
}

/// How a virtual path reaches the host. Implementations must be safe to call from many
/// threads at once.
pub(crate) trait Resolve: Send + Sync {
    /// Opens the node `path` leads to with `flags` (`O_CLOEXEC` is added by the caller),
    /// following symlinks, the final one included unless `flags` has `O_NOFOLLOW`.
    fn open(
        &self,
        root: &Root,
        path: &VPath<'_>,
        flags: OFlags,
        mode: Mode,
    ) -> Result<OwnedFd, FsError>;

    /// The directory holding the final entry of `path` (every intermediate symlink followed)
    /// and the entry's name. Only called for paths whose last component is a name.
    fn parent<'r>(&self, root: &'r Root, path: &VPath<'_>) -> Result<Parent<'r>, FsError>;

    /// Stat of what `path` names, following a final symlink when `follow` (a trailing `/`
    /// always follows). The default opens the node `O_PATH`, or stats the entry in its parent.
    fn stat(&self, root: &Root, path: &VPath<'_>, follow: bool) -> Result<Stat, FsError> {
        match path.last {
            Last::Name(_) if !follow && !path.trailing_slash => {
                let parent = self.parent(root, path)?;
                statat(&parent.dir, parent.name.as_str(), AtFlags::SYMLINK_NOFOLLOW)
                    .map_err(|e| path.err(e))
            }
            _ => {
                let fd = self.open(root, path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty())?;
                fstat(&fd).map_err(|e| path.err(e))
            }
        }
    }

    /// The symlink target to store on disk for the target a caller gave.
    fn store_target(&self, root: &Root, target: &Path) -> PathBuf {
        let _ = root;
        target.to_path_buf()
    }

    /// The target to show a caller for one stored on disk (the inverse of `store_target`).
    fn load_target(&self, root: &Root, stored: PathBuf) -> PathBuf {
        let _ = root;
        stored
    }

    /// Whether `store_target` rewrites targets (so a symlink's size must come from
    /// `load_target`, not from the host).
    fn rewrites_targets(&self) -> bool {
        false
    }
}
