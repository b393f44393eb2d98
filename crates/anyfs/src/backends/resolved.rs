//! POSIX's path rules for the backends that walk their own node graph (MemoryBackend,
//! SqliteBackend) with the shared [`path::walk`]: a trailing `/` and a final `.` or `..`. One
//! copy, so both backends answer every path alike.

use std::path::Path;

use anyfs_backend::path::{self, Walk, WalkOptions};
use anyfs_backend::{FileType, FsError};

/// Where a path leads: the final node (if it exists) and the directory entry naming it (or that
/// would name it), as [`path::walk`] found them.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub node: Option<(u64, FileType)>,
    pub parent: Option<(u64, String)>,
    /// The caller's path ended in `/`: only a directory may be named so.
    pub trailing_slash: bool,
    /// The caller's last component was `.` or `..` ([`resolve_entry`] only): it names a
    /// directory, but not by an entry that may be removed or renamed.
    pub dot_final: bool,
}

impl Resolved {
    /// `NotADirectory` when the path ends in `/` but names an existing non-directory
    /// (a symlink included, for entry operations).
    pub(crate) fn require_dir(&self, path: &Path, operation: &'static str) -> Result<(), FsError> {
        match self.node {
            Some((_, ty)) if self.trailing_slash && ty != FileType::Directory => {
                Err(FsError::NotADirectory {
                    path: path.to_path_buf(),
                    operation,
                })
            }
            _ => Ok(()),
        }
    }

    /// `InvalidInput` for a path ending in `.` or `..` (`rmdir("a/.")` is `EINVAL`).
    pub(crate) fn require_named(&self, operation: &'static str) -> Result<(), FsError> {
        if self.dot_final {
            return Err(FsError::InvalidInput {
                operation,
                reason: "the path ends in `.` or `..`".to_owned(),
            });
        }
        Ok(())
    }
}

fn has_trailing_slash(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.len() > 1 && bytes.ends_with(b"/")
}

/// Walks `path` with the shared [`path::walk`] (which validates it first). `follow`
/// decides whether a final symlink is followed; a trailing `/` always follows it and
/// requires a directory, as POSIX path resolution does.
pub(crate) fn resolve<W: Walk<Node = u64> + ?Sized>(
    storage: &W,
    path: &Path,
    follow: bool,
    operation: &'static str,
) -> Result<Resolved, FsError> {
    let options = WalkOptions {
        follow_final: follow,
        ..WalkOptions::default()
    };
    let walked = path::walk(storage, path, &options, operation)?;
    Ok(Resolved {
        node: walked.node,
        parent: walked.parent,
        trailing_slash: has_trailing_slash(path),
        dot_final: false,
    })
}

/// Walks `path` for an operation on the directory entry itself (remove, rename, the new
/// name of a link, mkdir): the final component is never followed, even with a trailing
/// `/` (Linux answers `rmdir("link/")` with `ENOTDIR`, it does not remove the target).
/// The caller applies the trailing-slash rule with [`Resolved::require_dir`].
pub(crate) fn resolve_entry<W: Walk<Node = u64> + ?Sized>(
    storage: &W,
    path: &Path,
    operation: &'static str,
) -> Result<Resolved, FsError> {
    let trailing_slash = has_trailing_slash(path);
    let bare = match path.to_str() {
        Some(text) if trailing_slash => {
            let trimmed = text.trim_end_matches('/');
            Path::new(if trimmed.is_empty() { "/" } else { trimmed })
        }
        _ => path,
    };
    let dot_final = bare
        .to_str()
        .and_then(|t| t.rsplit('/').next())
        .is_some_and(|last| last == "." || last == "..");
    let options = WalkOptions::default();
    let walked = path::walk(storage, bare, &options, operation)?;
    Ok(Resolved {
        node: walked.node,
        parent: walked.parent,
        trailing_slash,
        dot_final,
    })
}
