//! `Overlay`: a writable upper stack over a read-only base; [`NativeOverlay`] lists, commits and
//! discards its changes.
//!
//! The engine's overlay implements `FsFull` (and `FsInode` when both layers have it), not
//! handles, locks or extended attributes (see `anyfs::middleware::overlay`). A native handle
//! holds an `Arc<dyn FsPosix>`, so [`OverlayPosix`] fills those three traits with
//! `NotSupported` (`ENOSYS`), and the handle's capability set leaves them out: JS's types and
//! its run-time `capabilities` both say the overlay has no handles, locks or xattrs, and a call
//! that gets there anyway (through a cast) fails cleanly.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyfs::middleware::overlay::Change;
use anyfs::{
    DirEntry, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsRead, FsStats,
    FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags, Overlay, Permissions,
    SharedContent, StatFs,
};
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;

use super::capability_bit;
use crate::error::{guard, no_panic, to_napi, Ctx};
use crate::ops::Backend;
use crate::stack::NativeFs;

type OverlayFs = Overlay<Backend, Backend>;

/// The traits every overlay layer needs (`FsFull`).
const FULL: [&str; 7] = [
    "FsRead",
    "FsWrite",
    "FsDir",
    "FsLink",
    "FsPermissions",
    "FsSync",
    "FsStats",
];

fn full_caps() -> u32 {
    FULL.iter()
        .fold(0, |bits, name| bits | capability_bit(name))
}

/// The overlay as `FsPosix` (see the module docs).
pub(crate) struct OverlayPosix(Arc<OverlayFs>);

/// Forwards trait methods to the overlay, naming the trait so no other method can be picked.
macro_rules! delegate {
    ($tr:ident: $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl $tr for OverlayPosix {
            $(
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, FsError> {
                    <OverlayFs as $tr>::$name(&self.0, $($arg),*)
                }
            )*
        }
    };
}

/// Answers `NotSupported` for trait methods the overlay does not offer.
macro_rules! unsupported {
    ($tr:ident: $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl $tr for OverlayPosix {
            $(
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, FsError> {
                    let _ = ($($arg),*);
                    Err(FsError::NotSupported { operation: stringify!($name) })
                }
            )*
        }
    };
}

/// Every method forwarded, `read_with` included: the overlay lends a whole-file read from the
/// layer holding the file.
impl FsRead for OverlayPosix {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        self.0.read(path)
    }

    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        self.0.read_with(path, visit)
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        self.0.read_to_string(path)
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        self.0.read_range(path, offset, len)
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        self.0.exists(path)
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.0.metadata(path)
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        self.0.open_read(path)
    }
}
delegate!(FsWrite:
    fn write(path: &Path, data: &[u8]) -> ();
    fn append(path: &Path, data: &[u8]) -> ();
    fn remove_file(path: &Path) -> ();
    fn rename(from: &Path, to: &Path) -> ();
    fn copy(from: &Path, to: &Path) -> ();
    fn truncate(path: &Path, size: u64) -> ();
    fn open_write(path: &Path) -> Box<dyn Write + Send>;
    fn set_times(path: &Path, accessed: Option<SystemTime>, modified: Option<SystemTime>) -> ();
);
delegate!(FsDir:
    fn read_dir(path: &Path) -> Vec<DirEntry>;
    fn create_dir(path: &Path) -> ();
    fn create_dir_all(path: &Path) -> ();
    fn remove_dir(path: &Path) -> ();
    fn remove_dir_all(path: &Path) -> ();
);
delegate!(FsLink:
    fn symlink(original: &Path, link: &Path) -> ();
    fn hard_link(original: &Path, link: &Path) -> ();
    fn read_link(path: &Path) -> PathBuf;
    fn symlink_metadata(path: &Path) -> Metadata;
);
delegate!(FsPermissions:
    fn set_permissions(path: &Path, perm: Permissions) -> ();
    fn set_owner(path: &Path, uid: Option<u32>, gid: Option<u32>) -> ();
);
delegate!(FsSync:
    fn sync() -> ();
    fn fsync(path: &Path) -> ();
);
delegate!(FsStats:
    fn statfs() -> StatFs;
);
delegate!(FsInode:
    fn path_to_inode(path: &Path) -> u64;
    fn inode_to_path(inode: u64) -> PathBuf;
    fn lookup(parent_inode: u64, name: &OsStr) -> u64;
    fn metadata_by_inode(inode: u64) -> Metadata;
);
unsupported!(FsHandles:
    fn open(path: &Path, flags: OpenFlags) -> Handle;
    fn read_at(handle: Handle, buf: &mut [u8], offset: u64) -> usize;
    fn write_at(handle: Handle, data: &[u8], offset: u64) -> usize;
    fn close(handle: Handle) -> ();
);
unsupported!(FsLock:
    fn lock(handle: Handle, kind: LockType) -> ();
    fn try_lock(handle: Handle, kind: LockType) -> bool;
    fn unlock(handle: Handle) -> ();
);
unsupported!(FsXattr:
    fn get_xattr(path: &Path, name: &str) -> Vec<u8>;
    fn set_xattr(path: &Path, name: &str, value: &[u8]) -> ();
    fn remove_xattr(path: &Path, name: &str) -> ();
    fn list_xattr(path: &Path) -> Vec<String>;
);

/// One difference between an overlay and its base.
#[napi(object)]
pub struct NativeChange {
    /// `added`, `modified`, `deleted` or `replaced`.
    pub kind: String,
    /// The path it is about.
    pub path: String,
}

fn js_changes(changes: Vec<Change>) -> Vec<NativeChange> {
    changes
        .into_iter()
        .map(|c| {
            let kind = match &c {
                Change::Added(_) => "added",
                Change::Modified(_) => "modified",
                Change::Deleted(_) => "deleted",
                Change::Replaced(_) => "replaced",
            };
            NativeChange {
                kind: kind.to_owned(),
                path: c.path().to_string_lossy().into_owned(),
            }
        })
        .collect()
}

/// An overlay of two stacks: its stack handle and its changes.
#[napi]
pub struct NativeOverlay {
    overlay: Arc<OverlayFs>,
    stack: NativeFs,
}

/// The stack of an overlay layer, which must be a bare stack with every `FsFull` trait.
fn layer_of(fs: &NativeFs, role: &str) -> Result<Backend, FsError> {
    let full = full_caps();
    if fs.caps & full != full {
        return Err(FsError::InvalidInput {
            operation: "Overlay",
            reason: format!("the {role} layer must implement FsFull"),
        });
    }
    fs.layer_source("Overlay")
}

#[napi]
impl NativeOverlay {
    /// `upper` over `base`: reads see upper then base, every change goes to upper. The stack
    /// has `FsFull`, plus `FsInode` when both layers have it; async calls use the blocking pool
    /// if either layer does.
    #[napi(constructor)]
    pub fn new(base: &NativeFs, upper: &NativeFs) -> napi::Result<Self> {
        guard(Ctx::bare("Overlay"), || {
            let overlay = Arc::new(Overlay::new(
                layer_of(base, "base")?,
                layer_of(upper, "upper")?,
            ));
            let inode = capability_bit("FsInode");
            let caps = full_caps() | (base.caps & upper.caps & inode);
            let posix = Arc::new(OverlayPosix(Arc::clone(&overlay)));
            // The overlay walks paths over its merged view itself (it is SelfResolving).
            let stack = NativeFs::bare(posix, caps, base.blocking || upper.blocking, true);
            Ok(NativeOverlay { overlay, stack })
        })
    }

    /// The stack handle.
    #[napi]
    pub fn stack(&self) -> NativeFs {
        self.stack.share()
    }

    /// Every difference from the base, sorted by path.
    #[napi]
    pub fn diff(&self) -> napi::Result<Vec<NativeChange>> {
        guard(Ctx::bare("diff"), || self.overlay.diff().map(js_changes))
    }

    /// [`diff`](Self::diff) on the blocking pool.
    #[napi]
    pub fn diff_async(&self, env: &Env) -> napi::Result<PromiseRaw<'_, Vec<NativeChange>>> {
        let overlay = Arc::clone(&self.overlay);
        crate::pool::spawn(
            env,
            "diff",
            move || no_panic("diff", || overlay.diff()),
            |_, r| {
                r.map(js_changes)
                    .map_err(|e| to_napi(&e, Ctx::bare("diff")))
            },
        )
    }

    /// Applies the changes onto `target` (often the base) and returns them. Not atomic; the
    /// overlay keeps its changes (discard them after committing onto the base).
    #[napi]
    pub fn commit(&self, target: &NativeFs) -> napi::Result<Vec<NativeChange>> {
        guard(Ctx::bare("commit"), || {
            let target = layer_of(target, "commit target")?;
            self.overlay.commit(&*target).map(js_changes)
        })
    }

    /// [`commit`](Self::commit) on the blocking pool.
    #[napi]
    pub fn commit_async(
        &self,
        env: &Env,
        target: &NativeFs,
    ) -> napi::Result<PromiseRaw<'_, Vec<NativeChange>>> {
        let target =
            layer_of(target, "commit target").map_err(|e| to_napi(&e, Ctx::bare("commit")))?;
        let overlay = Arc::clone(&self.overlay);
        crate::pool::spawn(
            env,
            "commit",
            move || no_panic("commit", || overlay.commit(&*target)),
            |_, r| {
                r.map(js_changes)
                    .map_err(|e| to_napi(&e, Ctx::bare("commit")))
            },
        )
    }

    /// Drops every change: the overlay shows the base again.
    #[napi]
    pub fn discard(&self) -> napi::Result<()> {
        guard(Ctx::bare("discard"), || self.overlay.discard())
    }

    /// [`discard`](Self::discard) on the blocking pool.
    #[napi]
    pub fn discard_async(&self, env: &Env) -> napi::Result<PromiseRaw<'_, ()>> {
        let overlay = Arc::clone(&self.overlay);
        crate::pool::spawn(
            env,
            "discard",
            move || no_panic("discard", || overlay.discard()),
            |_, r| r.map_err(|e| to_napi(&e, Ctx::bare("discard"))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyfs::MemoryBackend;

    fn layer() -> Backend {
        Arc::new(MemoryBackend::new())
    }

    #[test]
    fn the_adapter_forwards_what_the_overlay_has_and_refuses_the_rest() {
        let base = layer();
        base.write(Path::new("/a"), b"base").unwrap();
        let fs = OverlayPosix(Arc::new(Overlay::new(base, layer())));
        fs.append(Path::new("/a"), b"+").unwrap();
        assert_eq!(fs.read(Path::new("/a")).unwrap(), b"base+");
        let mut lent = Vec::new();
        let done = fs.read_with(Path::new("/a"), &mut |bytes, _| lent = bytes.to_vec());
        assert!(
            matches!(done, Some(Ok(()))),
            "the overlay's read_with is forwarded"
        );
        assert_eq!(lent, b"base+");
        assert!(fs.path_to_inode(Path::new("/a")).unwrap() > 1);
        let err = fs.open(Path::new("/a"), OpenFlags::READ).unwrap_err();
        assert_eq!(err.code(), "ENOSYS");
        assert_eq!(fs.list_xattr(Path::new("/a")).unwrap_err().code(), "ENOSYS");
        assert_eq!(fs.unlock(Handle(1)).unwrap_err().code(), "ENOSYS");
    }

    #[test]
    fn changes_are_named_for_js() {
        let c = js_changes(vec![
            Change::Added("/n".into()),
            Change::Deleted("/d".into()),
        ]);
        assert_eq!((c[0].kind.as_str(), c[0].path.as_str()), ("added", "/n"));
        assert_eq!(c[1].kind, "deleted");
    }
}
