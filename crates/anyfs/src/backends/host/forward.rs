//! [`host_backend!`]: implements every AnyFS trait for a public backend type by forwarding to
//! its private [`HostFs`](super::HostFs) field `inner`, so the two host backends share one
//! implementation without a public generic type.

/// `host_backend!(StdFsBackend)` forwards `FsRead` ... `FsXattr` to `self.inner`.
macro_rules! host_backend {
    ($ty:ty) => {
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsRead {
            fn read(&self, path: &std::path::Path) -> Result<Vec<u8>, anyfs_backend::FsError>;
            fn read_to_string(&self, path: &std::path::Path) -> Result<String, anyfs_backend::FsError>;
            fn read_range(&self, path: &std::path::Path, offset: u64, len: usize) -> Result<Vec<u8>, anyfs_backend::FsError>;
            fn exists(&self, path: &std::path::Path) -> Result<bool, anyfs_backend::FsError>;
            fn metadata(&self, path: &std::path::Path) -> Result<anyfs_backend::Metadata, anyfs_backend::FsError>;
            fn open_read(&self, path: &std::path::Path) -> Result<Box<dyn std::io::Read + Send>, anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsWrite {
            fn write(&self, path: &std::path::Path, data: &[u8]) -> Result<(), anyfs_backend::FsError>;
            fn append(&self, path: &std::path::Path, data: &[u8]) -> Result<(), anyfs_backend::FsError>;
            fn remove_file(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn rename(&self, from: &std::path::Path, to: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn copy(&self, from: &std::path::Path, to: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn truncate(&self, path: &std::path::Path, size: u64) -> Result<(), anyfs_backend::FsError>;
            fn open_write(&self, path: &std::path::Path) -> Result<Box<dyn std::io::Write + Send>, anyfs_backend::FsError>;
            fn set_times(&self, path: &std::path::Path, accessed: Option<std::time::SystemTime>, modified: Option<std::time::SystemTime>) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsDir {
            fn read_dir(&self, path: &std::path::Path) -> Result<Vec<anyfs_backend::DirEntry>, anyfs_backend::FsError>;
            fn create_dir(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn create_dir_all(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn remove_dir(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn remove_dir_all(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsLink {
            fn symlink(&self, original: &std::path::Path, link: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn hard_link(&self, original: &std::path::Path, link: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
            fn read_link(&self, path: &std::path::Path) -> Result<std::path::PathBuf, anyfs_backend::FsError>;
            fn symlink_metadata(&self, path: &std::path::Path) -> Result<anyfs_backend::Metadata, anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsPermissions {
            fn set_permissions(&self, path: &std::path::Path, perm: anyfs_backend::Permissions) -> Result<(), anyfs_backend::FsError>;
            fn set_owner(&self, path: &std::path::Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsSync {
            fn sync(&self) -> Result<(), anyfs_backend::FsError>;
            fn fsync(&self, path: &std::path::Path) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsStats {
            fn statfs(&self) -> Result<anyfs_backend::StatFs, anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsInode {
            fn path_to_inode(&self, path: &std::path::Path) -> Result<u64, anyfs_backend::FsError>;
            fn inode_to_path(&self, inode: u64) -> Result<std::path::PathBuf, anyfs_backend::FsError>;
            fn lookup(&self, parent_inode: u64, name: &std::ffi::OsStr) -> Result<u64, anyfs_backend::FsError>;
            fn metadata_by_inode(&self, inode: u64) -> Result<anyfs_backend::Metadata, anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsHandles {
            fn open(&self, path: &std::path::Path, flags: anyfs_backend::OpenFlags) -> Result<anyfs_backend::Handle, anyfs_backend::FsError>;
            fn read_at(&self, handle: anyfs_backend::Handle, buf: &mut [u8], offset: u64) -> Result<usize, anyfs_backend::FsError>;
            fn write_at(&self, handle: anyfs_backend::Handle, data: &[u8], offset: u64) -> Result<usize, anyfs_backend::FsError>;
            fn close(&self, handle: anyfs_backend::Handle) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsLock {
            fn lock(&self, handle: anyfs_backend::Handle, lock: anyfs_backend::LockType) -> Result<(), anyfs_backend::FsError>;
            fn try_lock(&self, handle: anyfs_backend::Handle, lock: anyfs_backend::LockType) -> Result<bool, anyfs_backend::FsError>;
            fn unlock(&self, handle: anyfs_backend::Handle) -> Result<(), anyfs_backend::FsError>;
        });
        $crate::backends::host::host_backend!(@impl $ty, anyfs_backend::FsXattr {
            fn get_xattr(&self, path: &std::path::Path, name: &str) -> Result<Vec<u8>, anyfs_backend::FsError>;
            fn set_xattr(&self, path: &std::path::Path, name: &str, value: &[u8]) -> Result<(), anyfs_backend::FsError>;
            fn remove_xattr(&self, path: &std::path::Path, name: &str) -> Result<(), anyfs_backend::FsError>;
            fn list_xattr(&self, path: &std::path::Path) -> Result<Vec<String>, anyfs_backend::FsError>;
        });

        /// The canonicalize family walks the backend with the shared
        /// [`walk`](anyfs_backend::path::walk) (one `lstat` per component), so it resolves as
        /// the backend's own operations do.
        impl anyfs_backend::FsPath for $ty {}

        /// The host kernel resolves every path (see the module docs), so `FileStorage` must not
        /// walk symlinks again: use `FileStorage::self_resolving`.
        impl anyfs_backend::SelfResolving for $ty {}
    };
    (@impl $ty:ty, $trait:path { $(fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty;)* }) => {
        impl $trait for $ty {
            $(
                #[inline]
                fn $m(&self $(, $a: $t)*) -> $r {
                    <_ as $trait>::$m(&self.inner $(, $a)*)
                }
            )*
        }
    };
}

pub(crate) use host_backend;
