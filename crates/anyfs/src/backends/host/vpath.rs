//! [`VPath`]: a caller's virtual path, validated once with the contract's
//! [`validate`](anyfs_backend::path::validate), and split the ways the host operations need.

use std::path::Path;

use anyfs_backend::path::validate;
use anyfs_backend::FsError;
use rustix::io::Errno;

use super::error;

/// What the final component of a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Last<'p> {
    /// The path names the root (`/`, `//`).
    Root,
    /// An ordinary name.
    Name(&'p str),
    /// `.` or `..`: a directory reached by resolution, never an entry that can be created,
    /// removed or renamed.
    Dot,
}

/// A validated virtual path with the operation it is used for (both go into every error).
#[derive(Debug, Clone, Copy)]
pub(crate) struct VPath<'p> {
    /// The path as the caller gave it, for error messages.
    pub path: &'p Path,
    /// The operation, for error messages.
    pub op: &'static str,
    /// The validated text (absolute, UTF-8, no NUL, within the length limits).
    pub text: &'p str,
    /// Whether the text ends in `/` (a directory is required), the root aside.
    pub trailing_slash: bool,
    /// The final component.
    pub last: Last<'p>,
}

impl<'p> VPath<'p> {
    /// Validates `path` for `op` (`InvalidPath` / `NameTooLong` on bad input).
    pub(crate) fn parse(path: &'p Path, op: &'static str) -> Result<Self, FsError> {
        let text = validate(path, op)?;
        Ok(Self::from_text(path, op, text))
    }

    /// The same operation on another (already validated) text: a prefix of this path, or the
    /// canonical form a resolver computed. Errors still name the caller's path.
    pub(crate) fn with_text(&self, text: &'p str) -> Self {
        Self::from_text(self.path, self.op, text)
    }

    fn from_text(path: &'p Path, op: &'static str, text: &'p str) -> Self {
        let trimmed = text.trim_end_matches('/');
        let last = match trimmed.rsplit('/').next() {
            None | Some("") => Last::Root,
            Some("." | "..") => Last::Dot,
            Some(name) => Last::Name(name),
        };
        VPath {
            path,
            op,
            text,
            trailing_slash: last != Last::Root && text.ends_with('/'),
            last,
        }
    }

    /// The path relative to the root, as `*at` calls take it: no leading `/`, `.` for the root.
    /// A trailing `/` is kept (the kernel then requires a directory).
    #[cfg_attr(not(feature = "vrootfs"), allow(dead_code))] // the containing resolver's
    pub(crate) fn rel(&self) -> &'p str {
        relative(self.text)
    }

    /// The parent directory's text, relative to the root (`.` for the root), for a path whose
    /// last component is a name.
    #[cfg_attr(not(feature = "vrootfs"), allow(dead_code))] // the containing resolver's
    pub(crate) fn parent_rel(&self) -> &'p str {
        let trimmed = self.text.trim_end_matches('/');
        relative(trimmed.rsplit_once('/').map_or("", |(parent, _)| parent))
    }

    /// Whether any component is `..` (the only component that can climb).
    #[cfg_attr(not(feature = "stdfs"), allow(dead_code))] // the plain resolver's
    pub(crate) fn has_dotdot(&self) -> bool {
        self.text.split('/').any(|c| c == "..")
    }

    /// The [`FsError`] for a host `errno` about this path.
    pub(crate) fn err(&self, errno: Errno) -> FsError {
        error::errno(self.op, self.path, errno)
    }

    /// The [`FsError`] for a `std::io::Error` about this path.
    pub(crate) fn io(&self, e: std::io::Error) -> FsError {
        error::io(self.op, self.path, e)
    }
}

/// `text` without its leading slashes; `.` when nothing is left.
pub(crate) fn relative(text: &str) -> &str {
    match text.trim_start_matches('/') {
        "" => ".",
        rest => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vp(text: &str) -> VPath<'_> {
        VPath::parse(Path::new(text), "test").unwrap()
    }

    #[test]
    fn splits_the_final_component() {
        let p = vp("/a/b/c/");
        assert_eq!(p.last, Last::Name("c"));
        assert!(p.trailing_slash);
        assert_eq!(p.rel(), "a/b/c/");
        assert_eq!(p.parent_rel(), "a/b");
        assert_eq!(vp("/c").parent_rel(), ".");
        assert_eq!(vp("//").last, Last::Root);
        assert!(!vp("/").trailing_slash);
        assert_eq!(vp("/").rel(), ".");
        assert_eq!(vp("/a/..").last, Last::Dot);
        assert_eq!(vp("/a/./").last, Last::Dot);
        assert!(vp("/a/../b").has_dotdot());
        assert!(!vp("/a/..b").has_dotdot());
    }

    #[test]
    fn rejects_what_the_contract_rejects() {
        assert_eq!(
            VPath::parse(Path::new("rel"), "t").unwrap_err().code(),
            "EINVAL"
        );
        assert_eq!(
            VPath::parse(Path::new("/a\0"), "t").unwrap_err().code(),
            "EINVAL"
        );
    }
}
