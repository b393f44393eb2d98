//! `ReadOnly<B>`: refuses every mutating operation with `FsError::ReadOnly` (`EROFS`).
//!
//! ```
//! use std::path::Path;
//! use anyfs::middleware::read_only::{ReadOnly, ReadOnlyLayer};
//! use anyfs::{FsRead, FsWrite, LayerExt, MemoryBackend};
//!
//! let inner = MemoryBackend::new();
//! inner.write(Path::new("/doc.txt"), b"published")?;
//!
//! let fs = ReadOnly::new(inner.clone());
//! assert_eq!(fs.read(Path::new("/doc.txt"))?, b"published");
//! let err = fs.write(Path::new("/doc.txt"), b"x").unwrap_err();
//! assert_eq!(err.code(), "EROFS");
//!
//! // The same through a layer.
//! let fs = inner.layer(ReadOnlyLayer::new());
//! assert_eq!(fs.remove_file(Path::new("/doc.txt")).unwrap_err().code(), "EROFS");
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it intercepts
//!
//! Every method that changes content, metadata, attributes or the namespace returns
//! [`FsError::ReadOnly`] before reaching the inner backend: `write`, `append`, `remove_file`,
//! `rename`, `copy`, `truncate`, `open_write`, `set_times`, `create_dir`, `create_dir_all`,
//! `remove_dir`, `remove_dir_all`, `symlink`, `hard_link`, `set_permissions`, `set_owner`,
//! `set_xattr`, `remove_xattr`, `write_at`, and `open` with `WRITE`, `APPEND`, `CREATE` or
//! `TRUNCATE`; and the fast forms a middleware above may use, `write_replacing` and
//! `remove_file_reporting`, refused with the very error `write` and `remove_file` give. Everything else is forwarded unchanged: reads, metadata, `read_dir`, `read_link`,
//! inodes, `statfs`, xattr reads, read-only `open`, `read_at`, `close`, `resolve_path` and
//! `symlink_free` (so a PathFilter above keeps its fast path), `sync` and `fsync`
//! (flushing changes nothing a reader can see) and advisory locks (they coordinate readers;
//! they do not modify the file).
//!
//! A refused call never reaches the inner backend, so it has no side effect at all, and the
//! error is the same whether or not the path exists (a read-only view does not reveal more
//! through its errors than through its reads).
//!
//! # Thread safety and cost
//!
//! Stateless: `ReadOnly<B>` is `Send + Sync` when `B` is, and adds one comparison per call,
//! O(1), no allocation, no lock.

use anyfs_backend::{Fs, FsError, Layer};

use super::forward::{forward, Access};

/// A read-only view of a backend; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct ReadOnly<B> {
    inner: B,
}

impl<B> ReadOnly<B> {
    /// Wraps `inner`.
    pub fn new(inner: B) -> Self {
        ReadOnly { inner }
    }

    /// The inner backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the inner backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Fails every call that would write; the forwarding impls call it first.
    fn guard(&self, operation: &'static str, access: Access) -> Result<(), FsError> {
        match access {
            Access::Write => Err(FsError::ReadOnly { operation }),
            Access::Read | Access::Sync | Access::Lock => Ok(()),
        }
    }
}

forward!(ReadOnly.inner => FsRead, FsWrite, FsDir, FsLink, FsPermissions, FsSync, FsStats,
    FsInode, FsHandles, FsLock, FsXattr, FsPath, SelfResolving; guard guard);

/// The [`Layer`] that wraps a backend in [`ReadOnly`].
///
/// It has nothing to configure; `ReadOnlyLayer::builder().build()` exists for symmetry with the
/// other layers.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOnlyLayer;

impl ReadOnlyLayer {
    /// The layer.
    pub fn new() -> Self {
        ReadOnlyLayer
    }

    /// A builder (nothing to set), for symmetry with the other layers.
    pub fn builder() -> ReadOnlyLayerBuilder {
        ReadOnlyLayerBuilder
    }
}

/// Builder of [`ReadOnlyLayer`] (nothing to configure).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOnlyLayerBuilder;

impl ReadOnlyLayerBuilder {
    /// The layer.
    pub fn build(self) -> ReadOnlyLayer {
        ReadOnlyLayer
    }
}

impl<B: Fs> Layer<B> for ReadOnlyLayer {
    type Backend = ReadOnly<B>;

    fn layer(self, backend: B) -> ReadOnly<B> {
        ReadOnly::new(backend)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::path::Path;
    use std::time::SystemTime;

    use anyfs_backend::*;

    use super::*;
    use crate::MemoryBackend;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    /// An inner filesystem with a file, a directory, a symlink and an xattr.
    fn fixture() -> (MemoryBackend, ReadOnly<MemoryBackend>) {
        let inner = MemoryBackend::new();
        inner.create_dir(p("/d")).unwrap();
        inner.write(p("/f"), b"data").unwrap();
        inner.symlink(p("/f"), p("/l")).unwrap();
        inner.set_xattr(p("/f"), "user.k", b"v").unwrap();
        (inner.clone(), ReadOnly::new(inner))
    }

    fn erofs<T: std::fmt::Debug>(result: Result<T, FsError>, what: &str) {
        let err = result.expect_err(what);
        assert_eq!(err.code(), "EROFS", "{what}: {err}");
        assert!(matches!(err, FsError::ReadOnly { .. }), "{what}: {err:?}");
    }

    #[test]
    fn every_mutating_method_is_erofs_and_changes_nothing() {
        let (inner, fs) = fixture();
        let before = inner.snapshot();
        let now = Some(SystemTime::UNIX_EPOCH);
        // Existing and missing targets alike.
        for f in ["/f", "/missing"] {
            let f = p(f);
            erofs(fs.write(f, b"x"), "write");
            erofs(fs.append(f, b"x"), "append");
            erofs(fs.remove_file(f), "remove_file");
            erofs(fs.rename(f, p("/g")), "rename");
            erofs(fs.copy(f, p("/g")), "copy");
            erofs(fs.truncate(f, 0), "truncate");
            erofs(fs.open_write(f).map(drop), "open_write");
            erofs(fs.set_times(f, now, now), "set_times");
            erofs(fs.hard_link(f, p("/h")), "hard_link");
            erofs(fs.symlink(f, p("/s")), "symlink");
            erofs(
                fs.set_permissions(f, Permissions::readonly()),
                "set_permissions",
            );
            erofs(fs.set_owner(f, Some(1), Some(1)), "set_owner");
            erofs(fs.set_xattr(f, "user.k", b"w"), "set_xattr");
            erofs(fs.remove_xattr(f, "user.k"), "remove_xattr");
        }
        erofs(fs.create_dir(p("/e")), "create_dir");
        erofs(fs.create_dir_all(p("/e/f")), "create_dir_all");
        erofs(fs.remove_dir(p("/d")), "remove_dir");
        erofs(fs.remove_dir_all(p("/d")), "remove_dir_all");
        for flags in [
            OpenFlags::WRITE,
            OpenFlags::READ | OpenFlags::APPEND,
            OpenFlags::READ | OpenFlags::CREATE,
            OpenFlags::READ | OpenFlags::TRUNCATE,
            OpenFlags::READ_WRITE,
        ] {
            erofs(fs.open(p("/f"), flags), "open for writing");
        }
        // A handle opened read-only still cannot write.
        let h = fs.open(p("/f"), OpenFlags::READ).unwrap();
        erofs(fs.write_at(h, b"zz", 0), "write_at");
        fs.close(h).unwrap();

        // Nothing reached the inner backend.
        assert_eq!(inner.read(p("/f")).unwrap(), b"data");
        assert!(!inner.exists(p("/missing")).unwrap());
        assert!(!inner.exists(p("/e")).unwrap());
        assert!(inner.exists(p("/d")).unwrap());
        assert_eq!(inner.get_xattr(p("/f"), "user.k").unwrap(), b"v");
        assert_eq!(
            inner.metadata(p("/f")).unwrap().permissions,
            before.metadata(p("/f")).unwrap().permissions
        );
        assert_eq!(
            inner.read_dir(p("/")).unwrap(),
            before.read_dir(p("/")).unwrap()
        );
    }

    #[test]
    fn every_read_works() {
        let (_inner, fs) = fixture();
        assert_eq!(fs.read(p("/l")).unwrap(), b"data");
        assert_eq!(fs.read_to_string(p("/f")).unwrap(), "data");
        assert_eq!(fs.read_range(p("/f"), 1, 2).unwrap(), b"at");
        assert!(fs.exists(p("/f")).unwrap());
        assert!(!fs.exists(p("/missing")).unwrap());
        assert_eq!(fs.metadata(p("/f")).unwrap().size, 4);
        let mut s = String::new();
        fs.open_read(p("/f"))
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "data");
        assert_eq!(fs.read_dir(p("/")).unwrap().len(), 3);
        assert_eq!(fs.read_link(p("/l")).unwrap(), p("/f"));
        assert!(fs.symlink_metadata(p("/l")).unwrap().is_symlink());
        fs.statfs().unwrap();
        let ino = fs.path_to_inode(p("/f")).unwrap();
        assert_eq!(fs.inode_to_path(ino).unwrap(), p("/f"));
        assert_eq!(fs.lookup(ROOT_INODE, "f".as_ref()).unwrap(), ino);
        assert_eq!(fs.metadata_by_inode(ino).unwrap().size, 4);
        assert_eq!(fs.get_xattr(p("/f"), "user.k").unwrap(), b"v");
        assert_eq!(fs.list_xattr(p("/f")).unwrap(), vec!["user.k".to_string()]);
        assert_eq!(fs.canonicalize(p("/l")).unwrap(), p("/f"));
        // Flushing and advisory locks are allowed.
        fs.sync().unwrap();
        fs.fsync(p("/f")).unwrap();
        let h = fs.open(p("/f"), OpenFlags::READ).unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(fs.read_at(h, &mut buf, 0).unwrap(), 4);
        fs.lock(h, LockType::Shared).unwrap();
        assert!(fs.try_lock(h, LockType::Exclusive).unwrap());
        fs.unlock(h).unwrap();
        fs.close(h).unwrap();
        // Errors of reads are the inner backend's own.
        assert_eq!(fs.read(p("/missing")).unwrap_err().code(), "ENOENT");
        assert_eq!(fs.read(p("/d")).unwrap_err().code(), "EISDIR");
    }

    #[test]
    fn streams_cannot_be_opened_for_writing_even_by_a_held_writer_type() {
        let (_inner, fs) = fixture();
        let boxed: Box<dyn FsPosix> = Box::new(fs);
        let err = boxed.open_write(p("/new")).map(|mut w| w.write_all(b"x"));
        assert_eq!(err.unwrap_err().code(), "EROFS");
    }

    #[test]
    fn layer_and_accessors() {
        let fs = MemoryBackend::new().layer(ReadOnlyLayer::builder().build());
        assert_eq!(fs.get_ref().read_dir(p("/")).unwrap().len(), 0);
        let inner: MemoryBackend = fs.into_inner();
        inner.write(p("/a"), b"1").unwrap();
    }
}
