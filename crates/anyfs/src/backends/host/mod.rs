//! The host-directory filesystem core shared by
//! [`StdFsBackend`](super::stdfs::StdFsBackend) and
//! [`VRootFsBackend`](super::vrootfs::VRootFsBackend).
//!
//! [`HostFs`] implements every AnyFS trait up to `FsPosix` once, over a [`Resolve`]r that
//! turns a virtual path into host descriptors. All calls are `*at` system calls relative to the
//! root's descriptor (or to a directory the resolver opened), never a host path string, so:
//!
//! - virtual paths keep their full contract length (4095 bytes) whatever the root's host path;
//! - renaming or moving the root directory on the host does not break an open backend;
//! - the only difference between the two backends is the resolver: plain kernel lookups
//!   relative to the root (`StdFsBackend`) or `openat2(RESOLVE_IN_ROOT)` (`VRootFsBackend`).
//!
//! The modules below are one concern each: [`vpath`] (validation, splitting), [`error`] (errno
//! to `FsError`), [`meta`] (stat to `Metadata`), [`node`] (chmod/chown/utimes/xattrs on a
//! resolved node), [`handles`], [`inodes`], and one module per trait group.

use std::path::Path;

use anyfs_backend::{FsError, Metadata};
use rustix::fs::{readlinkat, Mode, OFlags, Stat};

mod dirs;
mod error;
mod files;
mod forward;
mod handles;
mod ino;
mod inodes;
mod links;
mod meta;
mod node;
mod posix;
mod props;
mod resolve;
mod root;
mod vpath;
mod writes;

pub(crate) use error::errno;
#[cfg(feature = "vrootfs")]
pub(crate) use error::io as io_error;
pub(crate) use forward::host_backend;
pub(crate) use resolve::{DirFd, Parent, Resolve};
pub(crate) use root::Root;
pub(crate) use vpath::{relative, Last, VPath};

use handles::Handles;
use inodes::Inodes;
use node::Node;

/// A host directory served through resolver `R`.
pub(crate) struct HostFs<R> {
    pub(crate) root: Root,
    pub(crate) resolver: R,
    handles: Handles,
    inodes: Inodes,
}

impl<R: Resolve> HostFs<R> {
    /// Serves `root` through `resolver`.
    pub(crate) fn new(root: Root, resolver: R) -> Self {
        HostFs {
            root,
            resolver,
            handles: Handles::default(),
            inodes: Inodes::default(),
        }
    }

    /// Opens what `path` leads to, following symlinks (`O_CLOEXEC` added).
    fn open(
        &self,
        path: &VPath<'_>,
        flags: OFlags,
        mode: Mode,
    ) -> Result<std::os::fd::OwnedFd, FsError> {
        self.resolver
            .open(&self.root, path, flags | OFlags::CLOEXEC, mode)
    }

    /// The node `path` leads to, symlinks followed, for metadata changes.
    fn node(&self, path: &VPath<'_>) -> Result<Node, FsError> {
        self.open(path, Node::FLAGS, Mode::empty()).map(Node::new)
    }

    /// The entry `path` names in its parent directory. The root, `.` and `..` have none: the
    /// caller's `special` error is returned for them.
    fn parent(
        &self,
        path: &VPath<'_>,
        special: impl FnOnce() -> FsError,
    ) -> Result<Parent<'_>, FsError> {
        match path.last {
            Last::Name(_) => self.resolver.parent(&self.root, path),
            Last::Root | Last::Dot => Err(special()),
        }
    }

    /// Stat of what `path` names (a final symlink followed when `follow`).
    fn stat(&self, path: &VPath<'_>, follow: bool) -> Result<Stat, FsError> {
        self.resolver.stat(&self.root, path, follow)
    }

    /// Stat as contract metadata; a symlink's size is its target's length as callers see it.
    fn metadata_of(&self, stat: &Stat, path: &VPath<'_>) -> Result<Metadata, FsError> {
        let mut metadata = meta::metadata(stat, &self.root);
        if metadata.is_symlink() && self.resolver.rewrites_targets() {
            metadata.size = self.read_target(path)?.as_os_str().len() as u64;
        }
        Ok(metadata)
    }

    /// The target of the symlink `path` names, as callers see it.
    fn read_target(&self, path: &VPath<'_>) -> Result<std::path::PathBuf, FsError> {
        let parent = self.parent(path, || error::invalid(path.op, "not a symbolic link"))?;
        let stored =
            readlinkat(&parent.dir, parent.name.as_str(), Vec::new()).map_err(|e| match e {
                rustix::io::Errno::INVAL => error::invalid(path.op, "not a symbolic link"),
                e => path.err(e),
            })?;
        let stored = std::path::PathBuf::from(
            <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(stored.into_bytes()),
        );
        Ok(self.resolver.load_target(&self.root, stored))
    }

    /// Fails unless `path` (a caller path with a trailing `/` or a final `.`) is a directory:
    /// `ENOTDIR`, `ENOENT` or `ELOOP` as the kernel reports them.
    fn require_dir(&self, path: &VPath<'_>) -> Result<(), FsError> {
        let stat = self.stat(path, true)?;
        if meta::is_dir(&stat) {
            Ok(())
        } else {
            Err(error::not_dir(path.path, path.op))
        }
    }
}

/// Whether `stat` is a directory.
fn is_dir(stat: &Stat) -> bool {
    meta::is_dir(stat)
}

/// The lexical form of a virtual path used as a key of the inode map.
fn key(path: &Path) -> std::path::PathBuf {
    anyfs_backend::normalize(path)
}
