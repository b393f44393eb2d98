//! Every trait of the contract for [`Tracing`], each method reported through `observe`.
//! Provided methods (`read_to_string`, `exists`, `set_times`, `set_owner`) are forwarded
//! explicitly, so an inner override is kept.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::path::Resolution;
use anyfs_backend::{
    DirEntry, FsDir, FsError, FsHandles, FsInode, FsLink, FsPath, FsPermissions, FsRead, FsStats,
    FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags, Permissions, SelfResolving,
    SharedContent, StatFs,
};

use super::{Call, Outputs, Tracing};

impl<B: FsRead> FsRead for Tracing<B> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let call = Call::new("read").path(path);
        self.observe(call, || self.inner.read(path), |d| Outputs::bytes(d.len()))
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        let call = Call::new("read_to_string").path(path);
        self.observe(
            call,
            || self.inner.read_to_string(path),
            |s| Outputs::bytes(s.len()),
        )
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let call = Call::new("read_range").path(path);
        self.observe(
            call,
            || self.inner.read_range(path, offset, len),
            |d| Outputs::bytes(d.len()),
        )
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        let call = Call::new("exists").path(path);
        self.observe(call, || self.inner.exists(path), Outputs::none)
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let call = Call::new("metadata").path(path);
        self.observe(call, || self.inner.metadata(path), Outputs::none)
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        let call = Call::new("open_read").path(path);
        self.observe(call, || self.inner.open_read(path), Outputs::none)
    }

    /// Traced as the `read` it is; not at all when the inner backend does not offer it.
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        let call = Call::new("read").path(path);
        let lent = std::cell::Cell::new(0);
        self.observe(
            call,
            || {
                self.inner.read_with(path, &mut |bytes, shared| {
                    lent.set(bytes.len());
                    visit(bytes, shared)
                })
            },
            |_| Outputs::bytes(lent.get()),
        )
    }
}

impl<B: FsWrite> FsWrite for Tracing<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let call = Call::new("write").path(path).bytes(data.len());
        self.observe(call, || self.inner.write(path, data), Outputs::none)
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let call = Call::new("append").path(path).bytes(data.len());
        self.observe(call, || self.inner.append(path, data), Outputs::none)
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("remove_file").path(path);
        self.observe(call, || self.inner.remove_file(path), Outputs::none)
    }

    /// Traced as the `write` it is; not at all when the inner backend does not offer it.
    fn write_replacing(
        &self,
        path: &Path,
        data: &[u8],
    ) -> Option<Result<Option<Metadata>, FsError>> {
        let call = Call::new("write").path(path).bytes(data.len());
        self.observe(
            call,
            || self.inner.write_replacing(path, data),
            Outputs::none,
        )
    }

    /// Traced as the `remove_file` it is; not at all when the inner backend does not offer it.
    fn remove_file_reporting(&self, path: &Path) -> Option<Result<Metadata, FsError>> {
        let call = Call::new("remove_file").path(path);
        self.observe(
            call,
            || self.inner.remove_file_reporting(path),
            Outputs::none,
        )
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let call = Call::new("rename").path(from).dest(to);
        self.observe(call, || self.inner.rename(from, to), Outputs::none)
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let call = Call::new("copy").path(from).dest(to);
        self.observe(call, || self.inner.copy(from, to), Outputs::none)
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let mut call = Call::new("truncate").path(path);
        call.bytes = Some(size);
        self.observe(call, || self.inner.truncate(path, size), Outputs::none)
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let call = Call::new("open_write").path(path);
        self.observe(call, || self.inner.open_write(path), Outputs::none)
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let call = Call::new("set_times").path(path);
        self.observe(
            call,
            || self.inner.set_times(path, accessed, modified),
            Outputs::none,
        )
    }
}

impl<B: FsDir> FsDir for Tracing<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        let call = Call::new("read_dir").path(path);
        self.observe(call, || self.inner.read_dir(path), Outputs::none)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("create_dir").path(path);
        self.observe(call, || self.inner.create_dir(path), Outputs::none)
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("create_dir_all").path(path);
        self.observe(call, || self.inner.create_dir_all(path), Outputs::none)
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("remove_dir").path(path);
        self.observe(call, || self.inner.remove_dir(path), Outputs::none)
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("remove_dir_all").path(path);
        self.observe(call, || self.inner.remove_dir_all(path), Outputs::none)
    }
}

impl<B: FsLink> FsLink for Tracing<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let call = Call::new("symlink").path(original).dest(link);
        self.observe(call, || self.inner.symlink(original, link), Outputs::none)
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let call = Call::new("hard_link").path(original).dest(link);
        self.observe(call, || self.inner.hard_link(original, link), Outputs::none)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        let call = Call::new("read_link").path(path);
        self.observe(call, || self.inner.read_link(path), Outputs::none)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let call = Call::new("symlink_metadata").path(path);
        self.observe(call, || self.inner.symlink_metadata(path), Outputs::none)
    }

    /// Traced as the lookup it stands for (`metadata` when following a final symlink,
    /// `symlink_metadata` otherwise); not at all when the inner backend does not offer it.
    fn resolve_path(
        &self,
        path: &Path,
        follow_final: bool,
        operation: &'static str,
    ) -> Option<Result<Resolution, FsError>> {
        let op = if follow_final {
            "metadata"
        } else {
            "symlink_metadata"
        };
        self.observe(
            Call::new(op).path(path),
            || self.inner.resolve_path(path, follow_final, operation),
            Outputs::none,
        )
    }

    /// A question about the namespace, not an operation: forwarded, not traced.
    fn symlink_free(&self) -> bool {
        self.inner.symlink_free()
    }
}

impl<B: FsPermissions> FsPermissions for Tracing<B> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        let call = Call::new("set_permissions").path(path);
        self.observe(
            call,
            || self.inner.set_permissions(path, perm),
            Outputs::none,
        )
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let call = Call::new("set_owner").path(path);
        self.observe(call, || self.inner.set_owner(path, uid, gid), Outputs::none)
    }
}

impl<B: FsSync> FsSync for Tracing<B> {
    fn sync(&self) -> Result<(), FsError> {
        self.observe(Call::new("sync"), || self.inner.sync(), Outputs::none)
    }

    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        let call = Call::new("fsync").path(path);
        self.observe(call, || self.inner.fsync(path), Outputs::none)
    }
}

impl<B: FsStats> FsStats for Tracing<B> {
    fn statfs(&self) -> Result<StatFs, FsError> {
        self.observe(Call::new("statfs"), || self.inner.statfs(), Outputs::none)
    }
}

impl<B: FsInode> FsInode for Tracing<B> {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        let call = Call::new("path_to_inode").path(path);
        self.observe(
            call,
            || self.inner.path_to_inode(path),
            |&inode| Outputs {
                inode: Some(inode),
                ..Outputs::default()
            },
        )
    }

    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        let call = Call::new("inode_to_path").inode(inode);
        self.observe(call, || self.inner.inode_to_path(inode), Outputs::none)
    }

    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        let call = Call::new("lookup")
            .path(Path::new(name))
            .inode(parent_inode);
        self.observe(
            call,
            || self.inner.lookup(parent_inode, name),
            |&inode| Outputs {
                inode: Some(inode),
                ..Outputs::default()
            },
        )
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        let call = Call::new("metadata_by_inode").inode(inode);
        self.observe(call, || self.inner.metadata_by_inode(inode), Outputs::none)
    }
}

impl<B: FsHandles> FsHandles for Tracing<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        let call = Call::new("open").path(path);
        self.observe(
            call,
            || self.inner.open(path, flags),
            |h| Outputs {
                handle: Some(h.raw()),
                ..Outputs::default()
            },
        )
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        let call = Call::new("read_at").handle(handle.raw());
        self.observe(
            call,
            || self.inner.read_at(handle, buf, offset),
            |&n| Outputs::bytes(n),
        )
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        let call = Call::new("write_at").handle(handle.raw());
        self.observe(
            call,
            || self.inner.write_at(handle, data, offset),
            |&n| Outputs::bytes(n),
        )
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        let call = Call::new("close").handle(handle.raw());
        self.observe(call, || self.inner.close(handle), Outputs::none)
    }
}

impl<B: anyfs_backend::FsLock> anyfs_backend::FsLock for Tracing<B> {
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        let call = Call::new("lock").handle(handle.raw());
        self.observe(call, || self.inner.lock(handle, lock), Outputs::none)
    }

    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        let call = Call::new("try_lock").handle(handle.raw());
        self.observe(call, || self.inner.try_lock(handle, lock), Outputs::none)
    }

    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        let call = Call::new("unlock").handle(handle.raw());
        self.observe(call, || self.inner.unlock(handle), Outputs::none)
    }
}

impl<B: FsXattr> FsXattr for Tracing<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        let call = Call::new("get_xattr").path(path);
        self.observe(
            call,
            || self.inner.get_xattr(path, name),
            |v| Outputs::bytes(v.len()),
        )
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        let call = Call::new("set_xattr").path(path).bytes(value.len());
        self.observe(
            call,
            || self.inner.set_xattr(path, name, value),
            Outputs::none,
        )
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        let call = Call::new("remove_xattr").path(path);
        self.observe(call, || self.inner.remove_xattr(path, name), Outputs::none)
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        let call = Call::new("list_xattr").path(path);
        self.observe(call, || self.inner.list_xattr(path), Outputs::none)
    }
}

impl<B: FsPath> FsPath for Tracing<B> {
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let call = Call::new("canonicalize").path(path);
        self.observe(call, || self.inner.canonicalize(path), Outputs::none)
    }

    fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let call = Call::new("soft_canonicalize").path(path);
        self.observe(call, || self.inner.soft_canonicalize(path), Outputs::none)
    }

    fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        let call = Call::new("anchored_canonicalize").path(path).dest(anchor);
        self.observe(
            call,
            || self.inner.anchored_canonicalize(path, anchor),
            Outputs::none,
        )
    }
}

impl<B: SelfResolving> SelfResolving for Tracing<B> {}
