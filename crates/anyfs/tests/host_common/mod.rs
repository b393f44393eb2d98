//! Shared by the host-backend tests: a backend that owns the temporary directory it serves, so
//! the conformance kit's factory can hand out fresh directories that are deleted when the
//! case drops its backend.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::SystemTime;

use anyfs::{
    DirEntry, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsRead, FsStats,
    FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags, Permissions, SelfResolving,
    StatFs,
};
use tempfile::TempDir;

/// A backend serving a temporary directory it owns (declared after `fs`, so the backend
/// closes its descriptors before the directory is deleted).
pub struct InTempDir<B> {
    pub fs: B,
    pub dir: TempDir,
}

impl<B> InTempDir<B> {
    /// A fresh temporary directory served by `make(dir)`.
    pub fn new(make: impl FnOnce(&Path) -> Result<B, FsError>) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("anyfs-host-")
            .tempdir()
            .expect("temporary directory");
        let fs = make(dir.path()).expect("backend over a temporary directory");
        InTempDir { fs, dir }
    }
}

macro_rules! forward {
    ($trait:ident { $(fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty;)* }) => {
        impl<B: $trait> $trait for InTempDir<B> {
            $(fn $m(&self $(, $a: $t)*) -> $r { self.fs.$m($($a),*) })*
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

impl<B: SelfResolving> SelfResolving for InTempDir<B> {}

/// Held shared by every case of this test binary and exclusively by `statfs_counts_new_nodes`:
/// that case compares two snapshots of the whole host filesystem, and the binary's other cases
/// (thread-safety runs of thousands of creates and deletes, temporary directories removed on
/// drop) change its inode count meanwhile. Seen in CI: 10 retries in a row lost to them.
static SHARED_FS: RwLock<()> = RwLock::new(());

/// Taken by a case that may run beside others (a poisoned lock still serializes).
pub fn shared_fs() -> RwLockReadGuard<'static, ()> {
    SHARED_FS.read().unwrap_or_else(|e| e.into_inner())
}

/// Taken by the case that needs the host filesystem to itself among this binary's cases.
pub fn whole_fs() -> RwLockWriteGuard<'static, ()> {
    SHARED_FS.write().unwrap_or_else(|e| e.into_inner())
}

/// The host backends' conformance run: every section of the kit at `fs_posix` level, one
/// `#[test]` per section as `anyfs::conformance_tests!` makes them, with one documented
/// difference.
///
/// `statfs_counts_new_nodes` compares two whole-filesystem `statfs` snapshots around creating
/// 9 nodes. On a host filesystem shared with anything else (the other sections of this very
/// test binary run in parallel and delete their temporary directories) the counts can fall
/// between the snapshots, so that one case runs in its own test, retried up to 10 times,
/// passing if any attempt sees the growth. Every other case runs exactly as the kit has it.
macro_rules! host_conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use anyfs::conformance::{self, run_cases, Report};

            const SHARED_FS_CASE: &str = "statfs_counts_new_nodes";

            #[test]
            fn layer1_fs() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::layer1_fs"),
                    $make,
                    conformance::layer1::cases(),
                )
                .map(drop)
            }
            #[test]
            fn edge_cases() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::edge_cases"),
                    $make,
                    conformance::edge_cases::cases(),
                )
                .map(drop)
            }
            #[test]
            fn errors() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::errors"),
                    $make,
                    conformance::errors::cases(),
                )
                .map(drop)
            }
            #[test]
            fn thread_safety() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::thread_safety"),
                    $make,
                    conformance::thread_safety::cases(),
                )
                .map(drop)
            }
            #[test]
            fn layer2_fs_full() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                let cases = conformance::layer2::cases()
                    .into_iter()
                    .filter(|c| c.name != SHARED_FS_CASE)
                    .collect();
                run_cases(concat!(stringify!($name), "::layer2_fs_full"), $make, cases).map(drop)
            }
            #[test]
            fn layer2_statfs_counts_new_nodes_on_a_shared_fs() -> Result<(), Report> {
                let _fs = $crate::host_common::whole_fs();
                let case: Vec<_> = conformance::layer2::cases()
                    .into_iter()
                    .filter(|c| c.name == SHARED_FS_CASE)
                    .collect();
                assert_eq!(case.len(), 1, "the kit no longer has {SHARED_FS_CASE}");
                let mut last = None;
                for _ in 0..10 {
                    match run_cases(
                        concat!(stringify!($name), "::layer2_statfs"),
                        $make,
                        case.clone(),
                    ) {
                        Ok(_) => return Ok(()),
                        Err(report) => last = Some(report),
                    }
                }
                Err(last.unwrap_or_else(|| Report {
                    suite: String::new(),
                    results: Vec::new(),
                }))
            }
            #[test]
            fn path_resolution() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::path_resolution"),
                    $make,
                    conformance::path_resolution::cases(),
                )
                .map(drop)
            }
            #[test]
            fn layer3_fs_fuse() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::layer3_fs_fuse"),
                    $make,
                    conformance::layer3::cases(),
                )
                .map(drop)
            }
            #[test]
            fn layer4_fs_posix() -> Result<(), Report> {
                let _fs = $crate::host_common::shared_fs();
                run_cases(
                    concat!(stringify!($name), "::layer4_fs_posix"),
                    $make,
                    conformance::layer4::cases(),
                )
                .map(drop)
            }
        }
    };
}
