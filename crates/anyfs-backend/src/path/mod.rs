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
pub use walk::{walk, Resolution, Walk, WalkOptions, Walked, MAX_SYMLINKS};

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
    // A text no longer than a name cannot hold a name that is too long: most paths skip the
    // split.
    if text.len() > MAX_PATH_LEN
        || (text.len() > MAX_NAME_LEN && text.split('/').any(|name| name.len() > MAX_NAME_LEN))
    {
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

/// Whether [`normalize_str`] would leave `text` as it is: no empty or `.` component, no
/// trailing `/` (the root, `.` and the empty text excepted).
fn is_normal(text: &str) -> bool {
    scan::<false>(text).normal
}

/// Whether `text` has a `..` component: the part of a path [`normalize`] leaves alone, since
/// only the filesystem knows where it leads. One pass over the bytes, no allocation.
///
/// ```
/// use anyfs_backend::path::has_parent_component;
///
/// assert!(has_parent_component("/a/../b"));
/// assert!(has_parent_component(".."));
/// assert!(!has_parent_component("/a..b/.../c."));
/// ```
pub fn has_parent_component(text: &str) -> bool {
    scan::<true>(text).parent
}

/// A caller's path after [`validate_lexical`].
#[derive(Debug, Clone)]
pub struct Lexical<'p> {
    /// The [`normalize_str`] form of the path (borrowed when it is already normal).
    pub normal: Cow<'p, str>,
    /// Whether it has a `..` component ([`has_parent_component`]), which only a walk resolves.
    pub has_parent: bool,
}

/// [`validate`], [`normalize_str`] and [`has_parent_component`] together, in one pass over the
/// bytes for a valid path (a middleware that judges every path by its text, such as
/// `PathFilter`, asks all three of every call). The errors are `validate`'s.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::path::validate_lexical;
///
/// let lexical = validate_lexical(Path::new("//a/./b/"), "read").unwrap();
/// assert_eq!(lexical.normal, "/a/b");
/// assert!(!lexical.has_parent);
/// assert!(validate_lexical(Path::new("/a/../b"), "read").unwrap().has_parent);
/// assert_eq!(validate_lexical(Path::new("a"), "read").unwrap_err().code(), "EINVAL");
/// ```
pub fn validate_lexical<'p>(
    path: &'p Path,
    operation: &'static str,
) -> Result<Lexical<'p>, FsError> {
    let Some(text) = path.to_str() else {
        return Err(validate(path, operation)
            .err()
            .unwrap_or_else(|| invalid("", operation, "not valid UTF-8")));
    };
    let shape = scan::<true>(text);
    // Anything the scan cannot rule out (a NUL, a relative or empty path, a name that may be
    // too long) goes through `validate` itself, so the error is exactly its.
    if shape.nul || !text.starts_with('/') || text.len() > MAX_NAME_LEN {
        validate(path, operation)?;
    }
    Ok(Lexical {
        normal: if shape.normal {
            Cow::Borrowed(text)
        } else {
            normalize_str(text)
        },
        has_parent: shape.parent,
    })
}

/// What one pass over a path's bytes tells.
struct Shape {
    /// [`normalize_str`] leaves it as it is.
    normal: bool,
    /// It has a `..` component.
    parent: bool,
    /// It holds a NUL byte.
    nul: bool,
}

/// One pass over the bytes; with `FULL` false only `normal` is worked out (what every
/// resolver's `normalize_str` asks, so it pays for nothing else).
fn scan<const FULL: bool>(text: &str) -> Shape {
    /// The current component so far: empty, `.`, `..`, or anything else.
    const EMPTY: u8 = 0;
    const PARENT: u8 = 2;
    const OTHER: u8 = 3;
    let bytes = text.as_bytes();
    if matches!(bytes, [] | [b'/'] | [b'.']) {
        return Shape {
            normal: true,
            parent: false,
            nul: false,
        };
    }
    let mut shape = Shape {
        normal: true,
        parent: false,
        nul: false,
    };
    // A relative path is scanned as if a `/` came first, so a leading `./` counts as `/./`.
    let rest = bytes.strip_prefix(b"/").unwrap_or(bytes);
    let mut component = EMPTY;
    for &byte in rest {
        // Every byte the scan looks for (`/`, `.`, NUL) sorts at or below `/`.
        if byte > b'/' {
            component = OTHER;
            continue;
        }
        match byte {
            b'/' => {
                // An empty or `.` component is what normalizing removes.
                shape.normal &= component >= PARENT;
                if FULL {
                    shape.parent |= component == PARENT;
                }
                component = EMPTY;
            }
            // `...` is an ordinary name.
            b'.' => component = component.saturating_add(1).min(OTHER),
            0 if FULL => {
                shape.nul = true;
                component = OTHER;
            }
            _ => component = OTHER,
        }
    }
    // So is a trailing `/` (an empty last component) or `.`.
    shape.normal &= component >= PARENT;
    shape.parent |= component == PARENT;
    shape
}
