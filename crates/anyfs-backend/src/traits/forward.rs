//! Forwarding impls so `&T`, `Box<T>` and `Arc<T>` (including `Box<dyn Fs>` and
//! `Arc<dyn FsPosix>`) implement every trait `T` implements.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::core::{FsDir, FsRead, FsWrite};
use super::extended::{FsLink, FsPermissions, FsStats, FsSync};
use super::inode::FsInode;
use super::posix::{FsHandles, FsLock, FsXattr};
use crate::{DirEntry, FsError, Handle, LockType, Metadata, OpenFlags, Permissions, StatFs};

macro_rules! forward {
    ($trait:ident { $(fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty;)* }) => {
        forward!(@one $trait, &T, { $(fn $m(&self $(, $a: $t)*) -> $r;)* });
        forward!(@one $trait, Box<T>, { $(fn $m(&self $(, $a: $t)*) -> $r;)* });
        forward!(@one $trait, Arc<T>, { $(fn $m(&self $(, $a: $t)*) -> $r;)* });
    };
    (@one $trait:ident, $ptr:ty, { $(fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty;)* }) => {
        impl<T: $trait + ?Sized> $trait for $ptr {
            $(
                #[inline]
                fn $m(&self $(, $a: $t)*) -> $r {
                    (**self).$m($($a),*)
                }
            )*
        }
    };
}

forward!(FsRead {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError>;
    fn read_to_string(&self, path: &Path) -> Result<String, FsError>;
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError>;
    fn exists(&self, path: &Path) -> Result<bool, FsError>;
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError>;
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError>;
    fn read_with(&self, path: &Path, visit: &mut dyn FnMut(&[u8], Option<&crate::SharedContent>)) -> Option<Result<(), FsError>>;
});

forward!(FsWrite {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError>;
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError>;
    fn remove_file(&self, path: &Path) -> Result<(), FsError>;
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError>;
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError>;
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError>;
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError>;
    fn set_times(&self, path: &Path, accessed: Option<SystemTime>, modified: Option<SystemTime>) -> Result<(), FsError>;
    fn write_replacing(&self, path: &Path, data: &[u8]) -> Option<Result<Option<Metadata>, FsError>>;
    fn remove_file_reporting(&self, path: &Path) -> Option<Result<Metadata, FsError>>;
});

forward!(FsDir {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError>;
    fn create_dir(&self, path: &Path) -> Result<(), FsError>;
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError>;
    fn remove_dir(&self, path: &Path) -> Result<(), FsError>;
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError>;
});

forward!(FsLink {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError>;
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError>;
    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError>;
    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError>;
    fn resolve_path(&self, path: &Path, follow_final: bool, operation: &'static str) -> Option<Result<crate::path::Resolution, FsError>>;
    fn symlink_free(&self) -> bool;
});

forward!(FsPermissions {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError>;
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError>;
});

forward!(FsSync {
    fn sync(&self) -> Result<(), FsError>;
    fn fsync(&self, path: &Path) -> Result<(), FsError>;
});

forward!(FsStats {
    fn statfs(&self) -> Result<StatFs, FsError>;
});

forward!(FsInode {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError>;
    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError>;
    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError>;
    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError>;
});

forward!(FsHandles {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError>;
    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError>;
    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError>;
    fn close(&self, handle: Handle) -> Result<(), FsError>;
});

forward!(FsLock {
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError>;
    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError>;
    fn unlock(&self, handle: Handle) -> Result<(), FsError>;
});

forward!(FsXattr {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError>;
    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError>;
    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError>;
    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError>;
});
