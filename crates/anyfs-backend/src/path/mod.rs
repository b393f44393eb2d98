//! Path handling, in exactly one place: validation ([`validate`]), lexical [`normalize`], the
//! symlink-aware [`walk`], the [`LinkWalker`] adapter that walks any [`FsRead`](crate::FsRead) +
//! [`FsLink`](crate::FsLink) backend, and the [`FsPath`] canonicalization trait built on them.
//!
//! # Path rules
//!
//! AnyFS paths are absolute, `/`-separated UTF-8 strings. Every other character, including `\`,
//! spaces and any Unicode, is an ordinary name character. A path is rejected when it is not
//! UTF-8, empty, relative or contains NUL ([`FsError::InvalidPath`], `EINVAL`), or when a name is
//! longer than [`MAX_NAME_LEN`] bytes or the whole path longer than [`MAX_PATH_LEN`] bytes
//! ([`FsError::NameTooLong`], `ENAMETOOLONG`).
//!
//! # Cost
//!
//! [`validate`] and [`normalize`] are O(length) string work. [`walk`] makes one
//! [`Walk::lookup`] per component, plus one per component of every symlink target it follows:
//! O(components + symlink expansions), never recursive, bounded by [`MAX_SYMLINKS`].

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use crate::FsError;

mod fs_path;
mod link_walker;
mod walk;

#[cfg(test)]
mod tests;

pub use fs_path::FsPath;
pub use link_walker::LinkWalker;
pub use walk::{walk, Walk, WalkOptions, Walked, MAX_SYMLINKS};

/// Longest accepted file name, in bytes (Linux `NAME_MAX`).
pub const MAX_NAME_LEN: usize = 255;
/// Longest accepted path, in bytes (Linux `PATH_MAX` less its NUL).
pub const MAX_PATH_LEN: usize = 4095;

/// Checks a caller's path: UTF-8, non-empty, absolute, no NUL, names and length within limits.
///
/// Returns the path as `&str` so callers can split it without converting again.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::path::validate;
///
/// assert_eq!(validate(Path::new("/a b/ü\\c"), "read").unwrap(), "/a b/ü\\c");
/// assert_eq!(validate(Path::new("a/b"), "read").unwrap_err().code(), "EINVAL");
/// assert_eq!(validate(Path::new(""), "read").unwrap_err().code(), "EINVAL");
/// let long = format!("/{}", "x".repeat(256));
/// assert_eq!(validate(Path::new(&long), "read").unwrap_err().code(), "ENAMETOOLONG");
/// ```
pub fn validate<'p>(path: &'p Path, operation: &'static str) -> Result<&'p str, FsError> {
    let text = validate_text(path, operation)?;
    if !text.starts_with('/') {
        return Err(invalid(text, operation, "not absolute"));
    }
    Ok(text)
}

/// Every rule of [`validate`] except absoluteness: anchored walks accept paths relative to their
/// anchor.
pub(crate) fn validate_text<'p>(
    path: &'p Path,
    operation: &'static str,
) -> Result<&'p str, FsError> {
    let text = path.to_str().ok_or_else(|| FsError::InvalidPath {
        path: path.to_string_lossy().into_owned(),
        operation,
        reason: "not valid UTF-8",
    })?;
    if text.is_empty() {
        return Err(invalid(text, operation, "empty"));
    }
    if text.contains('\0') {
        return Err(invalid(text, operation, "contains a NUL byte"));
    }
    if text.len() > MAX_PATH_LEN || text.split('/').any(|name| name.len() > MAX_NAME_LEN) {
        return Err(FsError::NameTooLong {
            path: text.to_owned(),
            operation,
        });
    }
    Ok(text)
}

fn invalid(text: &str, operation: &'static str, reason: &'static str) -> FsError {
    FsError::InvalidPath {
        path: text.to_owned(),
        operation,
        reason,
    }
}

/// Lexical normalization: collapses `//`, drops `.` components and a trailing `/`.
///
/// It does not resolve `..` (only the filesystem knows where `..` leads once symlinks are
/// involved: see [`walk`]) and does not touch the filesystem. The root stays `/`; a relative
/// path that normalizes to nothing becomes `.`. Idempotent.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::normalize;
///
/// assert_eq!(normalize("//a/./b//"), Path::new("/a/b"));
/// assert_eq!(normalize("/a/../b"), Path::new("/a/../b"));
/// assert_eq!(normalize("/"), Path::new("/"));
/// ```
pub fn normalize(path: impl AsRef<Path>) -> PathBuf {
    let path = path.as_ref();
    match path.to_str() {
        Some(text) => PathBuf::from(normalize_str(text).into_owned()),
        // Not UTF-8 (so never a valid AnyFS path): `Component` splitting is byte-exact on Unix.
        None => {
            let out: PathBuf = path
                .components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect();
            if out.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                out
            }
        }
    }
}

/// [`normalize`] for `&str`, borrowing when the text is already normal (the common case, so
/// resolvers do not allocate for it).
pub fn normalize_str(text: &str) -> Cow<'_, str> {
    if is_normal(text) {
        return Cow::Borrowed(text);
    }
    let absolute = text.starts_with('/');
    let mut out = String::with_capacity(text.len());
    for name in text.split('/').filter(|n| !n.is_empty() && *n != ".") {
        if absolute || !out.is_empty() {
            out.push('/');
        }
        out.push_str(name);
    }
    if out.is_empty() {
        out.push_str(if absolute { "/" } else { "." });
    }
    Cow::Owned(out)
}

fn is_normal(text: &str) -> bool {
    if text.is_empty() || text == "/" || text == "." {
        return true;
    }
    if text.ends_with('/') {
        return false;
    }
    let names = text.strip_prefix('/').unwrap_or(text);
    names.split('/').all(|n| !n.is_empty() && n != ".")
}
