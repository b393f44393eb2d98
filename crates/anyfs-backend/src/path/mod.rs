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
    scan::<false>(text.as_bytes()).normal
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
    scan::<true>(text.as_bytes()).parent
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
    let shape = scan::<true>(text.as_bytes());
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

/// [`validate_lexical`] for a caller that judges a path by its bytes (`PathFilter`'s rules):
/// the same checks and errors, with the normal form as bytes, so a valid ASCII path is checked
/// in one pass over its bytes (the scan also sees that it is ASCII, hence UTF-8) with no
/// separate UTF-8 validation. Other paths go through [`validate`] as well.
///
/// The bytes are the path's [`as_encoded_bytes`](std::ffi::OsStr::as_encoded_bytes): on
/// success they are UTF-8, and `normal` is what [`normalize_str`] gives for the text.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::path::validate_lexical_bytes;
///
/// let lexical = validate_lexical_bytes(Path::new("//a/./b/"), "read").unwrap();
/// assert_eq!(&*lexical.normal, b"/a/b");
/// assert!(validate_lexical_bytes(Path::new("/ü/../b"), "read").unwrap().has_parent);
/// assert_eq!(validate_lexical_bytes(Path::new("a"), "read").unwrap_err().code(), "EINVAL");
/// ```
pub fn validate_lexical_bytes<'p>(
    path: &'p Path,
    operation: &'static str,
) -> Result<LexicalBytes<'p>, FsError> {
    let bytes = path.as_os_str().as_encoded_bytes();
    if is_plain(path) {
        return Ok(LexicalBytes {
            normal: Cow::Borrowed(bytes),
            has_parent: false,
        });
    }
    let shape = scan::<true>(bytes);
    // Nothing the scan cannot vouch for, nothing to rewrite.
    if shape.ascii
        && shape.normal
        && !shape.nul
        && bytes.first() == Some(&b'/')
        && bytes.len() <= MAX_NAME_LEN
    {
        return Ok(LexicalBytes {
            normal: Cow::Borrowed(bytes),
            has_parent: shape.parent,
        });
    }
    lexical_bytes_in_full(path, bytes, &shape, operation)
}

/// The rest of [`validate_lexical_bytes`], out of the usual path's way: what the scan cannot
/// rule out (not ASCII, a NUL, a relative or empty path, a name that may be too long) goes
/// through `validate` itself, so the error is exactly its; a path that is not normal is
/// rewritten.
#[cold]
#[inline(never)]
fn lexical_bytes_in_full<'p>(
    path: &'p Path,
    bytes: &'p [u8],
    shape: &Shape,
    operation: &'static str,
) -> Result<LexicalBytes<'p>, FsError> {
    let text = validate(path, operation)?;
    let normal = if shape.normal {
        Cow::Borrowed(bytes)
    } else {
        Cow::Owned(normalize_str(text).into_owned().into_bytes())
    };
    Ok(LexicalBytes {
        normal,
        has_parent: shape.parent,
    })
}

/// Whether `path` is the usual path, settled in one word-at-a-time pass: absolute, ASCII,
/// no NUL, normal ([`normalize_str`] leaves it as it is), no `..` and no name that could be
/// too long (at most [`MAX_NAME_LEN`] bytes in all), so [`validate`] accepts it and
/// [`validate_lexical_bytes`] returns it unchanged. `false` means "not settled here", not
/// "invalid": a short path (under nine bytes), a name starting with `.` or any non-ASCII
/// byte takes the full checks.
///
/// O(length), no allocation.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::path::is_plain;
///
/// assert!(is_plain(Path::new("/workspace/f1")));
/// assert!(!is_plain(Path::new("/workspace//f1")));
/// assert!(!is_plain(Path::new("/workspace/../f1")));
/// assert!(!is_plain(Path::new("workspace/f1")));
/// ```
#[inline]
pub fn is_plain(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.len() <= MAX_NAME_LEN && plain(bytes)
}

/// A caller's path after [`validate_lexical_bytes`].
#[derive(Debug, Clone)]
pub struct LexicalBytes<'p> {
    /// The [`normalize_str`] form of the path, as bytes (borrowed when it is already normal:
    /// then they are the path's own bytes).
    pub normal: Cow<'p, [u8]>,
    /// Whether it has a `..` component ([`has_parent_component`]), which only a walk resolves.
    pub has_parent: bool,
}

/// What one pass over a path's bytes tells.
struct Shape {
    /// [`normalize_str`] leaves it as it is.
    normal: bool,
    /// It has a `..` component.
    parent: bool,
    /// It holds a NUL byte.
    nul: bool,
    /// Every byte is ASCII (so the text is UTF-8).
    ascii: bool,
}

/// `0x01` in every byte.
const ONES: u64 = u64::from_le_bytes([1; 8]);
/// The high bit of every byte.
const HIGHS: u64 = ONES << 7;

/// The high bit set in each byte of `word` that is zero, and only there (no borrow crosses
/// bytes: `(b & 0x7f) + 0x7f` stays below `0x100`).
fn zero_bytes(word: u64) -> u64 {
    !(((word & !HIGHS).wrapping_add(!HIGHS)) | word) & HIGHS
}

/// The eight bytes at `at`, as a little-endian word (byte `at` lowest).
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The position of the first `/` in `bytes`, looked for eight bytes at a time (a path
/// policy splitting a path into components calls this once per component).
///
/// ```
/// use anyfs_backend::path::next_separator;
///
/// assert_eq!(next_separator(b"workspace/f1"), Some(9));
/// assert_eq!(next_separator(b"f1"), None);
/// ```
#[inline]
pub fn next_separator(bytes: &[u8]) -> Option<usize> {
    let slashes = ONES * u64::from(b'/');
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        let found = zero_bytes(word ^ slashes);
        if found != 0 {
            // The lowest flagged byte is the first `/` (the word is little-endian).
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..)?;
    tail.iter().position(|&b| b == b'/').map(|i| at + i)
}

/// The positions of `/` in a path of at most 64 bytes, as a bit set (bit `i` for byte `i`);
/// `None` for a longer one. Found eight bytes at a time: a path policy gets every component's
/// bounds from it without looking at the bytes again.
///
/// ```
/// use anyfs_backend::path::separators;
///
/// assert_eq!(separators(b"/ws/f"), Some(0b1001));
/// assert_eq!(separators(&[b'a'; 65]), None);
/// ```
pub fn separators(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 64 {
        return None;
    }
    let slashes = ONES * u64::from(b'/');
    // One bit per byte of a word: byte `i`'s flag (its high bit) moved to bit `i`.
    let flags = |word: u64| ((zero_bytes(word ^ slashes) >> 7).wrapping_mul(BYTE_BITS)) >> 56;
    let mut mask = 0;
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        mask |= flags(word) << at;
        at += 8;
    }
    if at < bytes.len() {
        match bytes.len().checked_sub(8) {
            // The last eight bytes, overlapping some already seen (the same bits again).
            Some(start) => mask |= flags(word_at(bytes, start)?) << start,
            None => {
                for (i, &byte) in bytes.iter().enumerate() {
                    mask |= u64::from(byte == b'/') << i;
                }
            }
        }
    }
    Some(mask)
}

/// Multiplying a word whose bytes are each 0 or 1 by this gathers them, in order, into its
/// top byte.
const BYTE_BITS: u64 = 0x0102_0408_1020_4080;

/// Whether `bytes` is the usual path, decided eight bytes at a time: absolute, at least nine
/// bytes, ASCII, no NUL, no `/` followed by `/` or `.` (so no empty, `.` or `..` component,
/// nor any name starting with `.`: those take the byte scan) and no trailing `/`. Such a path
/// is normal, has no `..` and is valid as far as its bytes go. `false` means "scan it".
///
/// Each step looks at the bytes `s..s + 9` through two overlapping words (`w0` from `s`, `w1`
/// from `s + 1`), so the pairs `(i, i + 1)` for `i` in `s..s + 8` are seen side by side; the
/// steps start every eight bytes and the last one ends at the last byte, so every pair and
/// every byte is seen.
fn plain(bytes: &[u8]) -> bool {
    let slashes = ONES * u64::from(b'/');
    let dots = ONES * u64::from(b'.');
    let Some(last_start) = bytes.len().checked_sub(9) else {
        return false;
    };
    if bytes.first() != Some(&b'/') || bytes.last() == Some(&b'/') {
        return false;
    }
    // High bits where a byte is not ASCII, is NUL, or is a `/` followed by `/` or `.`. Byte 0
    // is `/`: only `w1` (bytes `s + 1..`) needs the ASCII and NUL tests.
    let mut bad = 0;
    let mut start = 0;
    loop {
        let step = start.min(last_start);
        let (Some(w0), Some(w1)) = (word_at(bytes, step), word_at(bytes, step + 1)) else {
            return false;
        };
        let slash_then =
            zero_bytes(w0 ^ slashes) & (zero_bytes(w1 ^ slashes) | zero_bytes(w1 ^ dots));
        bad |= (w1 & HIGHS) | zero_bytes(w1) | slash_then;
        if step == last_start {
            return bad == 0;
        }
        start += 8;
    }
}

/// One pass over the bytes; with `FULL` false only `normal` is worked out (what every
/// resolver's `normalize_str` asks, so it pays for nothing else).
fn scan<const FULL: bool>(bytes: &[u8]) -> Shape {
    /// The current component so far: empty, `.`, `..`, or anything else.
    const EMPTY: u8 = 0;
    const PARENT: u8 = 2;
    const OTHER: u8 = 3;
    let mut shape = Shape {
        normal: true,
        parent: false,
        nul: false,
        ascii: true,
    };
    if matches!(bytes, [] | [b'/'] | [b'.']) || plain(bytes) {
        return shape;
    }
    // A relative path is scanned as if a `/` came first, so a leading `./` counts as `/./`.
    let rest = bytes.strip_prefix(b"/").unwrap_or(bytes);
    let mut component = EMPTY;
    // Every byte at or above 0x80 lands here: their union says whether any is not ASCII.
    let mut high = 0u8;
    for &byte in rest {
        // Every byte the scan looks for (`/`, `.`, NUL) sorts at or below `/`.
        if byte > b'/' {
            if FULL {
                high |= byte;
            }
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
    shape.ascii = high.is_ascii();
    shape
}
