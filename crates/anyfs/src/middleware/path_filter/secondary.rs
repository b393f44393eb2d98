//! Layers 2 to 4 through the filter: links, permissions, sync, statfs, xattrs, the
//! canonicalization family, inodes and handles.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::path::{normalize, validate, WalkOptions};
use anyfs_backend::{
    FsError, FsHandles, FsInode, FsLink, FsPath, FsPermissions, FsStats, FsSync, FsXattr, Handle,
    Metadata, OpenFlags, Permissions, StatFs,
};

use super::checks::{denied, Need};
use super::PathFilter;
use crate::middleware::forward::forward;

forward!(PathFilter.inner => FsLock, SelfResolving);

impl<B: FsLink> FsLink for PathFilter<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.write();
        self.check(link, false, Need::Use, "symlink")?;
        // The target as the link will resolve it: from the link's directory.
        let target = match link.parent() {
            Some(dir) if original.is_relative() => dir.join(original),
            _ => original.to_path_buf(),
        };
        // A target that is not a valid path can never be followed; nothing to check.
        if validate(&target, "symlink").is_ok() {
            match self.check(&target, true, Need::Use, "symlink") {
                Ok(_) => {}
                Err(e @ FsError::AccessDenied { .. }) => return Err(denied(link, access(&e))),
                // Unresolvable now (a loop, a file used as a directory): the written target
                // was checked, and every later use resolves it again.
                Err(_) => {}
            }
        }
        self.inner.symlink(original, link)
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(original, false, Need::Use, "hard_link")?;
        self.check(link, false, Need::Use, "hard_link")?;
        self.inner.hard_link(original, link)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Lookup, "read_link")?;
        self.inner.read_link(path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Lookup, "symlink_metadata")?;
        self.inner.symlink_metadata(path)
    }
}

/// The reason of an `AccessDenied`, to re-issue it under another path.
fn access(error: &FsError) -> &'static str {
    match error {
        FsError::AccessDenied { reason, .. } if reason == "pattern_blocked" => "pattern_blocked",
        _ => "path_denied",
    }
}

impl<B: FsPermissions> FsPermissions for PathFilter<B> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "set_permissions")?;
        self.inner.set_permissions(path, perm)
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "set_owner")?;
        self.inner.set_owner(path, uid, gid)
    }
}

impl<B: FsSync> FsSync for PathFilter<B> {
    fn sync(&self) -> Result<(), FsError> {
        self.inner.sync()
    }

    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "fsync")?;
        self.inner.fsync(path)
    }
}

impl<B: FsStats> FsStats for PathFilter<B> {
    fn statfs(&self) -> Result<StatFs, FsError> {
        self.inner.statfs()
    }
}

impl<B: FsXattr> FsXattr for PathFilter<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "get_xattr")?;
        self.inner.get_xattr(path, name)
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "set_xattr")?;
        self.inner.set_xattr(path, name, value)
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "remove_xattr")?;
        self.inner.remove_xattr(path, name)
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "list_xattr")?;
        self.inner.list_xattr(path)
    }
}

/// Canonicalization resolves through the filter's own checks (the inner backend's answer could
/// describe denied places), so it needs only what the inner backend's `FsPath` needs.
impl<B: FsPath> FsPath for PathFilter<B> {
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let _ns = self.namespace.read();
        let target = self.check_resolved(path, true, Need::Lookup, "canonicalize")?;
        match target.exists {
            Some(true) => Ok(target.path.into_owned()),
            _ => Err(FsError::NotFound {
                path: path.to_path_buf(),
                operation: "canonicalize",
            }),
        }
    }

    fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let _ns = self.namespace.read();
        Ok(self
            .check_resolved(path, true, Need::Lookup, "soft_canonicalize")?
            .path
            .into_owned())
    }

    fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        const OP: &str = "anchored_canonicalize";
        let _ns = self.namespace.read();
        self.check(anchor, true, Need::Lookup, OP)?;
        let options = WalkOptions {
            follow_final: true,
            soft: true,
            anchor: Some(anchor),
            ..WalkOptions::default()
        };
        let literal = normalize(anchor.join(path));
        self.permits(&literal, Need::Lookup)
            .map_err(|reason| denied(path, reason))?;
        let walked = self.resolve(path, &literal, &options, OP)?;
        self.permits(&walked.path, Need::Lookup)
            .map_err(|reason| denied(path, reason))?;
        Ok(walked.path.into_owned())
    }
}

impl<B: FsInode> PathFilter<B> {
    /// The path of an inode, if the rules let it be looked up. The error does not name the
    /// path (it is what the caller may not know).
    fn inode_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        let path = self.inner.inode_to_path(inode)?;
        self.permits(&path, Need::Lookup)
            .map_err(|reason| denied(Path::new(&format!("<inode {inode}>")), reason))?;
        Ok(path)
    }
}

impl<B: FsInode> FsInode for PathFilter<B> {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Lookup, "path_to_inode")?;
        self.inner.path_to_inode(path)
    }

    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        let _ns = self.namespace.read();
        self.inode_path(inode)
    }

    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        let _ns = self.namespace.read();
        let parent = self.inode_path(parent_inode)?;
        let child = normalize(parent.join(name));
        self.permits(&child, Need::Lookup)
            .map_err(|reason| denied(&child, reason))?;
        self.inner.lookup(parent_inode, name)
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        let _ns = self.namespace.read();
        self.inode_path(inode)?;
        self.inner.metadata_by_inode(inode)
    }
}

impl<B: FsHandles> FsHandles for PathFilter<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        let _ns = self.namespace.read();
        let exclusive = flags.contains(OpenFlags::CREATE) && flags.contains(OpenFlags::EXCLUSIVE);
        self.check(path, !exclusive, Need::Use, "open")?;
        self.inner.open(path, flags)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle, buf, offset)
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        self.inner.write_at(handle, data, offset)
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.inner.close(handle)
    }
}
