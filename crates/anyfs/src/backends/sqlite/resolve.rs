//! Path resolution over the database: every operation turns its path into an inode (and the
//! entry naming it) here, through the shared [`path::walk`], and applies POSIX's rules for a
//! trailing `/` and a final `.` or `..`. The same rules as `MemoryBackend`, so both answer
//! every path alike.

use std::path::Path;

use anyfs_backend::path::{self, WalkOptions};
use anyfs_backend::{FileType, FsError};

use super::db::{check_entry_name, Db};
use super::err;

/// Where a path leads: the final node (if it exists) and the directory entry naming it (or that
/// would name it), as [`path::walk`] found them.
#[derive(Debug)]
pub(super) struct Resolved {
    pub node: Option<(u64, FileType)>,
    pub parent: Option<(u64, String)>,
    /// The caller's path ended in `/`: only a directory may be named so.
    pub trailing_slash: bool,
    /// The caller's last component was `.` or `..` ([`Db::resolve_entry`] only): it names a
    /// directory, but not by an entry that may be removed or renamed.
    pub dot_final: bool,
}

impl Resolved {
    /// `NotADirectory` when the path ends in `/` but names an existing non-directory.
    pub fn require_dir(&self, path: &Path, operation: &'static str) -> Result<(), FsError> {
        match self.node {
            Some((_, ty)) if self.trailing_slash && ty != FileType::Directory => {
                Err(err::not_dir(path, operation))
            }
            _ => Ok(()),
        }
    }

    /// `InvalidInput` for a path ending in `.` or `..` (`rmdir("a/.")` is `EINVAL`).
    pub fn require_named(&self, operation: &'static str) -> Result<(), FsError> {
        if self.dot_final {
            return Err(err::invalid(operation, "the path ends in `.` or `..`"));
        }
        Ok(())
    }
}

fn has_trailing_slash(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.len() > 1 && bytes.ends_with(b"/")
}

impl Db<'_> {
    /// Walks `path` with the shared [`path::walk`] (which validates it first). `follow`
    /// decides whether a final symlink is followed; a trailing `/` always follows it and
    /// requires a directory, as POSIX path resolution does.
    pub fn resolve(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Resolved, FsError> {
        let options = WalkOptions {
            follow_final: follow,
            ..WalkOptions::default()
        };
        let walked = path::walk(self, path, &options, operation)?;
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
    pub fn resolve_entry(&self, path: &Path, operation: &'static str) -> Result<Resolved, FsError> {
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
        let walked = path::walk(self, bare, &WalkOptions::default(), operation)?;
        Ok(Resolved {
            node: walked.node,
            parent: walked.parent,
            trailing_slash,
            dot_final,
        })
    }

    /// The existing node `path` leads to, or `NotFound`.
    pub fn existing(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<(u64, FileType), FsError> {
        self.resolve(path, follow, operation)?
            .node
            .ok_or_else(|| err::not_found(path, operation))
    }

    /// Checks that the entry `name` of `dir` (a walk's `parent`) is the walked node `ino`,
    /// before an operation removes or moves that entry. A path ending in `.` or `..` names no
    /// entry of its own: `InvalidInput`, as `rmdir("a/.")` is `EINVAL`.
    pub fn check_entry(
        &self,
        dir: u64,
        name: &str,
        ino: u64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(name, operation)?;
        match self.entry(dir, name, operation)? {
            Some((child, _)) if child == ino => Ok(()),
            _ => Err(err::invalid(
                operation,
                "the path does not name a directory entry",
            )),
        }
    }
}
