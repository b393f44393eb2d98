//! The contract traits implemented by [`FileStorage`] itself, whenever its backend implements
//! them, so a storage can stand wherever a backend can (under middleware, in the conformance
//! kit, as `Box<dyn Fs>`). Each method is the inherent method of the same name: resolve, then
//! delegate.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::path::FsPath;
use anyfs_backend::{
    DirEntry, Fs, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsRead,
    FsStats, FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags, Permissions, StatFs,
};

use super::file_storage::FileStorage;

type S<B, M> = FileStorage<B, M>;

impl<B: Fs, M> FsRead for FileStorage<B, M> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        S::read(self, path)
    }
    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        S::read_to_string(self, path)
    }
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        S::read_range(self, path, offset, len)
    }
    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        S::exists(self, path)
    }
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        S::metadata(self, path)
    }
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        S::open_read(self, path)
    }
    /// Offered when the backend offers it (a path that does not resolve is `Some(Err)`).
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&anyfs_backend::SharedContent>),
    ) -> Option<Result<(), FsError>> {
        S::lend(self, path, visit)
    }
}

impl<B: Fs, M> FsWrite for FileStorage<B, M> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        S::write(self, path, data)
    }
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        S::append(self, path, data)
    }
    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        S::remove_file(self, path)
    }
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        S::rename(self, from, to)
    }
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        S::copy(self, from, to)
    }
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        S::truncate(self, path, size)
    }
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        S::open_write(self, path)
    }
    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        S::set_times(self, path, accessed, modified)
    }
}

impl<B: Fs, M> FsDir for FileStorage<B, M> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        S::read_dir(self, path)
    }
    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        S::create_dir(self, path)
    }
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        S::create_dir_all(self, path)
    }
    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        S::remove_dir(self, path)
    }
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        S::remove_dir_all(self, path)
    }
}

impl<B: Fs + FsLink, M> FsLink for FileStorage<B, M> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        S::symlink(self, original, link)
    }
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        S::hard_link(self, original, link)
    }
    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        S::read_link(self, path)
    }
    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        S::symlink_metadata(self, path)
    }
}

impl<B: Fs + FsLink, M> FsPath for FileStorage<B, M> {
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        S::canonicalize(self, path)
    }
    fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        S::soft_canonicalize(self, path)
    }
    fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        S::anchored_canonicalize(self, path, anchor)
    }
}

impl<B: Fs + FsPermissions, M> FsPermissions for FileStorage<B, M> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        S::set_permissions(self, path, perm)
    }
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        S::set_owner(self, path, uid, gid)
    }
}

impl<B: Fs + FsSync, M> FsSync for FileStorage<B, M> {
    fn sync(&self) -> Result<(), FsError> {
        S::sync(self)
    }
    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        S::fsync(self, path)
    }
}

impl<B: Fs + FsStats, M> FsStats for FileStorage<B, M> {
    fn statfs(&self) -> Result<StatFs, FsError> {
        S::statfs(self)
    }
}

impl<B: Fs + FsInode, M> FsInode for FileStorage<B, M> {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        S::path_to_inode(self, path)
    }
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        S::inode_to_path(self, inode)
    }
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        S::lookup(self, parent_inode, name)
    }
    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        S::metadata_by_inode(self, inode)
    }
}

impl<B: Fs + FsHandles, M> FsHandles for FileStorage<B, M> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        S::open(self, path, flags)
    }
    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        S::read_at(self, handle, buf, offset)
    }
    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        S::write_at(self, handle, data, offset)
    }
    fn close(&self, handle: Handle) -> Result<(), FsError> {
        S::close(self, handle)
    }
}

impl<B: Fs + FsLock, M> FsLock for FileStorage<B, M> {
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        S::lock(self, handle, lock)
    }
    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        S::try_lock(self, handle, lock)
    }
    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        S::unlock(self, handle)
    }
}

impl<B: Fs + FsXattr, M> FsXattr for FileStorage<B, M> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        S::get_xattr(self, path, name)
    }
    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        S::set_xattr(self, path, name, value)
    }
    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        S::remove_xattr(self, path, name)
    }
    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        S::list_xattr(self, path)
    }
}
