//! [`Ops`]: every operation the binding exposes, as one object-safe trait, so a native handle can
//! hold either a bare backend stack or a `FileStorage` over one behind the same `Arc<dyn Ops>`.
//!
//! Both implementations are pure delegation generated from one list; the semantics are the
//! engine's. A bare backend has no canonicalization (`FsPath` is opt-in and not part of
//! `FsPosix`), so those three answer `NotSupported` there; the JS `MemoryBackend` does not expose
//! them, only `FileStorage` does.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyfs::{
    DirEntry, FileStorage, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions,
    FsPosix, FsRead, FsStats, FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags,
    Permissions, SharedContent, StatFs,
};

/// The type-erased engine object behind every native handle.
pub(crate) type Backend = Arc<dyn FsPosix>;

/// A bare backend (or middleware stack): operations go straight to its traits.
pub(crate) struct BackendOps(pub Backend);

/// `FileStorage` over a backend: operations go through its path resolver.
pub(crate) struct StorageOps(pub FileStorage<Backend>);

macro_rules! ops {
    (
        shared { $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)* }
        storage_only { $(fn $sname:ident($($sarg:ident: $sty:ty),*) -> $sret:ty;)* }
    ) => {
        /// Every operation of the binding (see the module docs).
        pub(crate) trait Ops: Send + Sync {
            $(fn $name(&self, $($arg: $ty),*) -> Result<$ret, FsError>;)*
            $(fn $sname(&self, $($sarg: $sty),*) -> Result<$sret, FsError>;)*

            /// [`FsRead::read_with`]: `None` when the engine does not offer it.
            fn read_with(
                &self,
                path: &Path,
                visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
            ) -> Option<Result<(), FsError>>;
        }

        impl Ops for BackendOps {
            $(
                #[inline]
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, FsError> {
                    self.0.$name($($arg),*)
                }
            )*
            $(
                fn $sname(&self, $($sarg: $sty),*) -> Result<$sret, FsError> {
                    let _ = ($($sarg),*);
                    Err(FsError::NotSupported { operation: stringify!($sname) })
                }
            )*

            fn read_with(
                &self,
                path: &Path,
                visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
            ) -> Option<Result<(), FsError>> {
                self.0.read_with(path, visit)
            }
        }

        impl Ops for StorageOps {
            $(
                #[inline]
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, FsError> {
                    self.0.$name($($arg),*)
                }
            )*
            $(
                #[inline]
                fn $sname(&self, $($sarg: $sty),*) -> Result<$sret, FsError> {
                    self.0.$sname($($sarg),*)
                }
            )*

            fn read_with(
                &self,
                path: &Path,
                visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
            ) -> Option<Result<(), FsError>> {
                FsRead::read_with(&self.0, path, visit)
            }
        }
    };
}

ops! {
    shared {
        fn read(path: &Path) -> Vec<u8>;
        fn read_to_string(path: &Path) -> String;
        fn read_range(path: &Path, offset: u64, len: usize) -> Vec<u8>;
        fn exists(path: &Path) -> bool;
        fn metadata(path: &Path) -> Metadata;
        fn open_read(path: &Path) -> Box<dyn Read + Send>;
        fn write(path: &Path, data: &[u8]) -> ();
        fn append(path: &Path, data: &[u8]) -> ();
        fn remove_file(path: &Path) -> ();
        fn rename(from: &Path, to: &Path) -> ();
        fn copy(from: &Path, to: &Path) -> ();
        fn truncate(path: &Path, size: u64) -> ();
        fn open_write(path: &Path) -> Box<dyn Write + Send>;
        fn set_times(path: &Path, accessed: Option<SystemTime>, modified: Option<SystemTime>) -> ();
        fn read_dir(path: &Path) -> Vec<DirEntry>;
        fn create_dir(path: &Path) -> ();
        fn create_dir_all(path: &Path) -> ();
        fn remove_dir(path: &Path) -> ();
        fn remove_dir_all(path: &Path) -> ();
        fn symlink(original: &Path, link: &Path) -> ();
        fn hard_link(original: &Path, link: &Path) -> ();
        fn read_link(path: &Path) -> PathBuf;
        fn symlink_metadata(path: &Path) -> Metadata;
        fn set_permissions(path: &Path, perm: Permissions) -> ();
        fn set_owner(path: &Path, uid: Option<u32>, gid: Option<u32>) -> ();
        fn sync() -> ();
        fn fsync(path: &Path) -> ();
        fn statfs() -> StatFs;
        fn path_to_inode(path: &Path) -> u64;
        fn inode_to_path(inode: u64) -> PathBuf;
        fn lookup(parent: u64, name: &OsStr) -> u64;
        fn metadata_by_inode(inode: u64) -> Metadata;
        fn open(path: &Path, flags: OpenFlags) -> Handle;
        fn read_at(handle: Handle, buf: &mut [u8], offset: u64) -> usize;
        fn write_at(handle: Handle, data: &[u8], offset: u64) -> usize;
        fn close(handle: Handle) -> ();
        fn lock(handle: Handle, kind: LockType) -> ();
        fn try_lock(handle: Handle, kind: LockType) -> bool;
        fn unlock(handle: Handle) -> ();
        fn get_xattr(path: &Path, name: &str) -> Vec<u8>;
        fn set_xattr(path: &Path, name: &str, value: &[u8]) -> ();
        fn remove_xattr(path: &Path, name: &str) -> ();
        fn list_xattr(path: &Path) -> Vec<String>;
    }
    storage_only {
        fn canonicalize(path: &Path) -> PathBuf;
        fn soft_canonicalize(path: &Path) -> PathBuf;
        fn anchored_canonicalize(path: &Path, anchor: &Path) -> PathBuf;
    }
}
