//! [`FileStorage`] operations of layers 2-4, available when the backend implements the trait,
//! and the canonicalization family.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyfs_backend::path::LinkWalker;
use anyfs_backend::{
    Fs, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsStats, FsSync, FsXattr,
    Handle, LockType, Metadata, OpenFlags, Permissions, StatFs,
};

use super::file_storage::FileStorage;
use super::resolver::ResolveOptions;

impl<B: Fs + FsLink, M> FileStorage<B, M> {
    /// Creates a symlink at `link` storing `original` verbatim (it may be relative, resolved
    /// from the link's directory when followed, and need not exist). `link`'s final component
    /// is not followed.
    pub fn symlink(
        &self,
        original: impl AsRef<Path>,
        link: impl AsRef<Path>,
    ) -> Result<(), FsError> {
        let link = self.resolve_for_file(link.as_ref(), ResolveOptions::NO_FOLLOW, "symlink")?;
        let result = self.backend.symlink(original.as_ref(), &link);
        self.resolver.invalidate(&link);
        result
    }

    /// Creates a hard link `link` to `original`. Neither final component is followed (Linux
    /// `link(2)`: a hard link to a symlink links the symlink itself).
    pub fn hard_link(
        &self,
        original: impl AsRef<Path>,
        link: impl AsRef<Path>,
    ) -> Result<(), FsError> {
        let original = self.resolve(original.as_ref(), ResolveOptions::NO_FOLLOW, "hard_link")?;
        let link = self.resolve_for_file(link.as_ref(), ResolveOptions::NO_FOLLOW, "hard_link")?;
        let result = self.backend.hard_link(&original, &link);
        self.resolver.invalidate(&link);
        result
    }

    /// The target stored in the symlink at `path` (one level; not followed).
    pub fn read_link(&self, path: impl AsRef<Path>) -> Result<PathBuf, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "read_link")?;
        self.backend.read_link(&resolved)
    }

    /// Metadata of the node itself (a final symlink is not followed).
    pub fn symlink_metadata(&self, path: impl AsRef<Path>) -> Result<Metadata, FsError> {
        let resolved =
            self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "symlink_metadata")?;
        self.backend.symlink_metadata(&resolved)
    }

    /// Strict canonicalization: every symlink and `..` resolved, every component must exist
    /// (`ENOENT` otherwise). Always walks the backend (never cached), so it reports the current
    /// state: O(components + symlink expansions) `symlink_metadata` calls.
    pub fn canonicalize(&self, path: impl AsRef<Path>) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(&self.backend, Some(&self.backend)).canonicalize(path.as_ref())
    }

    /// Soft canonicalization: the existing part resolved, the missing remainder appended
    /// lexically. Same cost as [`canonicalize`](FileStorage::canonicalize).
    pub fn soft_canonicalize(&self, path: impl AsRef<Path>) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(&self.backend, Some(&self.backend)).soft_canonicalize(path.as_ref())
    }

    /// Soft canonicalization clamped inside `anchor` (an existing directory): neither `..` nor
    /// any symlink can leave it, and absolute symlink targets are taken from the anchor. The
    /// result always starts with the anchor's canonical path. `path` may be relative to the
    /// anchor.
    pub fn anchored_canonicalize(
        &self,
        path: impl AsRef<Path>,
        anchor: impl AsRef<Path>,
    ) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(&self.backend, Some(&self.backend))
            .anchored_canonicalize(path.as_ref(), anchor.as_ref())
    }
}

impl<B: Fs + FsPermissions, M> FileStorage<B, M> {
    /// Sets permission bits (follows symlinks, as `chmod`).
    pub fn set_permissions(
        &self,
        path: impl AsRef<Path>,
        perm: Permissions,
    ) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "set_permissions")?;
        self.backend.set_permissions(&resolved, perm)
    }

    /// Changes owner and/or group (follows symlinks, as `chown`).
    pub fn set_owner(
        &self,
        path: impl AsRef<Path>,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "set_owner")?;
        self.backend.set_owner(&resolved, uid, gid)
    }
}

impl<B: Fs + FsSync, M> FileStorage<B, M> {
    /// Flushes everything the backend buffers.
    pub fn sync(&self) -> Result<(), FsError> {
        self.backend.sync()
    }

    /// Flushes one file.
    pub fn fsync(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "fsync")?;
        self.backend.fsync(&resolved)
    }
}

impl<B: Fs + FsStats, M> FileStorage<B, M> {
    /// Sizes and counts of the filesystem.
    pub fn statfs(&self) -> Result<StatFs, FsError> {
        self.backend.statfs()
    }
}

impl<B: Fs + FsInode, M> FileStorage<B, M> {
    /// The inode of the node at `path` (a final symlink is not followed).
    pub fn path_to_inode(&self, path: impl AsRef<Path>) -> Result<u64, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "path_to_inode")?;
        self.backend.path_to_inode(&resolved)
    }

    /// One path of an inode.
    pub fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        self.backend.inode_to_path(inode)
    }

    /// The inode of entry `name` in directory `parent_inode`.
    pub fn lookup(&self, parent_inode: u64, name: impl AsRef<OsStr>) -> Result<u64, FsError> {
        self.backend.lookup(parent_inode, name.as_ref())
    }

    /// Metadata by inode.
    pub fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        self.backend.metadata_by_inode(inode)
    }
}

impl<B: Fs + FsHandles, M> FileStorage<B, M> {
    /// Opens a file handle (follows symlinks; with `CREATE`, creates through a dangling one).
    pub fn open(&self, path: impl AsRef<Path>, flags: OpenFlags) -> Result<Handle, FsError> {
        let path = path.as_ref();
        if !flags.contains(OpenFlags::CREATE) {
            let resolved = self.resolve(path, ResolveOptions::FOLLOW, "open")?;
            return self.backend.open(&resolved, flags);
        }
        let resolved = self.resolve_for_file(path, ResolveOptions::FOLLOW, "open")?;
        let result = self.backend.open(&resolved, flags);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Reads into `buf` at `offset`.
    pub fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.backend.read_at(handle, buf, offset)
    }

    /// Writes `data` at `offset`.
    pub fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        self.backend.write_at(handle, data, offset)
    }

    /// Closes a handle.
    pub fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.backend.close(handle)
    }
}

impl<B: Fs + FsLock, M> FileStorage<B, M> {
    /// Takes an advisory lock, waiting while a conflicting one is held.
    pub fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        self.backend.lock(handle, lock)
    }

    /// Takes an advisory lock if free now.
    pub fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        self.backend.try_lock(handle, lock)
    }

    /// Releases a handle's lock.
    pub fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        self.backend.unlock(handle)
    }
}

impl<B: Fs + FsXattr, M> FileStorage<B, M> {
    /// An extended attribute's value (follows symlinks).
    pub fn get_xattr(&self, path: impl AsRef<Path>, name: &str) -> Result<Vec<u8>, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "get_xattr")?;
        self.backend.get_xattr(&resolved, name)
    }

    /// Sets an extended attribute (follows symlinks).
    pub fn set_xattr(
        &self,
        path: impl AsRef<Path>,
        name: &str,
        value: impl AsRef<[u8]>,
    ) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "set_xattr")?;
        self.backend.set_xattr(&resolved, name, value.as_ref())
    }

    /// Removes an extended attribute (follows symlinks).
    pub fn remove_xattr(&self, path: impl AsRef<Path>, name: &str) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "remove_xattr")?;
        self.backend.remove_xattr(&resolved, name)
    }

    /// Lists extended attribute names (follows symlinks).
    pub fn list_xattr(&self, path: impl AsRef<Path>) -> Result<Vec<String>, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "list_xattr")?;
        self.backend.list_xattr(&resolved)
    }
}
