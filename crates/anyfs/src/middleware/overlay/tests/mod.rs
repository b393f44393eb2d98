//! Overlay tests over a populated base: merging, copy-up, whiteouts and opaque directories,
//! reserved names, rename across layers, persistence of the upper layer, diff/commit/discard,
//! and inode numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod changes;
mod copy_up;
mod inodes;
#[cfg(feature = "tracing")]
mod lookups;
mod merge;

use std::path::{Path, PathBuf};

use anyfs_backend::{FsDir, FsLink, FsPermissions, FsRead, FsWrite, Permissions};

use super::Overlay;
use crate::MemoryBackend;

pub(super) fn p(s: &str) -> &Path {
    Path::new(s)
}

/// A base with a small project tree:
///
/// ```text
/// /etc/conf          "base conf" (0o600)
/// /etc/hosts         "base hosts"
/// /src/main.rs       "fn main() {}"
/// /src/lib/mod.rs    "mod"
/// /docs/             (0o700, empty)
/// /link -> /etc/conf
/// /dirlink -> /src
/// ```
pub(super) fn base() -> MemoryBackend {
    let b = MemoryBackend::new();
    b.create_dir_all(p("/etc")).unwrap();
    b.create_dir_all(p("/src/lib")).unwrap();
    b.create_dir(p("/docs")).unwrap();
    b.set_permissions(p("/docs"), Permissions::from_mode(0o700))
        .unwrap();
    b.write(p("/etc/conf"), b"base conf").unwrap();
    b.set_permissions(p("/etc/conf"), Permissions::from_mode(0o600))
        .unwrap();
    b.write(p("/etc/hosts"), b"base hosts").unwrap();
    b.write(p("/src/main.rs"), b"fn main() {}").unwrap();
    b.write(p("/src/lib/mod.rs"), b"mod").unwrap();
    b.symlink(p("/etc/conf"), p("/link")).unwrap();
    b.symlink(p("/src"), p("/dirlink")).unwrap();
    b
}

/// An overlay over [`base`], with handles on both layers.
pub(super) fn overlay() -> (
    Overlay<MemoryBackend, MemoryBackend>,
    MemoryBackend,
    MemoryBackend,
) {
    let b = base();
    let u = MemoryBackend::new();
    (Overlay::new(b.clone(), u.clone()), b, u)
}

/// Names in a directory, sorted.
pub(super) fn names<F: FsDir>(fs: &F, dir: &str) -> Vec<String> {
    fs.read_dir(p(dir))
        .unwrap()
        .into_iter()
        .map(|e| e.name.to_string_lossy().into_owned())
        .collect()
}

/// Every path with its type and content, recursively (symlinks not followed), for comparing
/// whole trees.
pub(super) fn tree<F: FsDir + FsRead + FsLink>(fs: &F) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from("/")];
    while let Some(dir) = dirs.pop() {
        for e in fs.read_dir(&dir).unwrap() {
            let path = dir.join(&e.name);
            let m = fs.symlink_metadata(&path).unwrap();
            let what = if m.is_dir() {
                dirs.push(path.clone());
                format!("dir {:o}", m.permissions.mode())
            } else if m.is_symlink() {
                format!("link {}", fs.read_link(&path).unwrap().display())
            } else {
                format!(
                    "file {:o} {}",
                    m.permissions.mode(),
                    String::from_utf8_lossy(&fs.read(&path).unwrap())
                )
            };
            out.push((path, what));
        }
    }
    out.sort();
    out
}
