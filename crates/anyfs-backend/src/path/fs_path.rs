//! [`FsPath`]: the canonicalization family, with default implementations over any
//! [`FsRead`] + [`FsLink`] backend.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::LinkWalker;
use crate::{FsError, FsLink, FsRead};

/// Symlink-aware canonicalization with default implementations over [`FsRead`] + [`FsLink`].
///
/// There is no blanket implementation: a backend opts in with `impl FsPath for MyBackend {}`,
/// and may override the methods (a host-disk backend can ask the OS instead). The defaults walk
/// the backend with [`LinkWalker`]: one `symlink_metadata` per component, O(components + symlink
/// expansions) calls.
///
/// ```
/// use anyfs_backend::FsPath;
/// fn show(fs: &impl FsPath) -> Result<(), anyfs_backend::FsError> {
///     let real = fs.canonicalize("/docs/../docs/latest".as_ref())?;
///     let maybe = fs.soft_canonicalize("/docs/not-yet/file.txt".as_ref())?;
///     let jailed = fs.anchored_canonicalize("../../etc/passwd".as_ref(), "/sandbox".as_ref())?;
///     assert!(jailed.starts_with(fs.canonicalize("/sandbox".as_ref())?));
///     # let _ = (real, maybe);
///     Ok(())
/// }
/// ```
pub trait FsPath: FsRead + FsLink {
    /// Resolves every symlink and `..`; every component must exist (`NotFound` otherwise).
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(self, Some(self)).canonicalize(path)
    }

    /// Resolves the existing part of `path` (symlinks and `..`) and appends the missing rest
    /// lexically, like Python's `Path.resolve(strict=False)`.
    fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(self, Some(self)).soft_canonicalize(path)
    }

    /// Like [`soft_canonicalize`](FsPath::soft_canonicalize), but resolved as if `anchor` were
    /// the root: `..` stops at the anchor and absolute symlink targets start from it, so the
    /// result always lies inside the (canonicalized) anchor. `path` may be relative to the
    /// anchor. The anchor must be an existing directory.
    fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        LinkWalker::from_parts(self, Some(self)).anchored_canonicalize(path, anchor)
    }
}

macro_rules! forward_fs_path {
    ($($ptr:ty),*) => {$(
        impl<T: FsPath + ?Sized> FsPath for $ptr {
            fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
                (**self).canonicalize(path)
            }
            fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
                (**self).soft_canonicalize(path)
            }
            fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
                (**self).anchored_canonicalize(path, anchor)
            }
        }
    )*};
}

forward_fs_path!(&T, Box<T>, Arc<T>);
