//! POSIX's path rules for the backends that walk their own node graph (MemoryBackend,
//! SqliteBackend) with the shared [`path::walk`]: a trailing `/` and a final `.` or `..`. One
//! copy, so both backends answer every path alike.

use std::path::Path;

use anyfs_backend::path::{self, Walk, WalkOptions};
use anyfs_backend::{FileType, FsError};

use crate::posix_errors;

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

/// An entry name an operation may create, remove or move: not empty, not `.` or `..`, no `/`.
pub(crate) fn check_entry_name(name: &str, operation: &'static str) -> Result<(), FsError> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') {
        return Err(posix_errors::invalid(operation, "not a valid entry name"));
    }
    Ok(())
}

/// What `rename` does once its two paths are judged: move entry `src_name` of `src_dir` to
/// `dst_name` of `dst_dir`, replacing what is there when `replace`.
#[derive(Debug)]
pub(crate) struct RenamePlan {
    pub src_dir: u64,
    pub src_name: String,
    pub dst_dir: u64,
    pub dst_name: String,
    pub replace: bool,
}

/// A node graph the shared walk runs over (MemoryBackend's inode table, one SQLite
/// transaction): POSIX's rules for paths, written once, so both backends answer every path and
/// every rename alike. Each backend supplies the two structural queries.
pub(crate) trait NodeGraph: Walk<Node = u64> {
    /// Whether directory `dir` has any entry.
    fn has_any_entry(&self, dir: u64, operation: &'static str) -> Result<bool, FsError>;

    /// True when `ancestor` is `dir` or one of its parents.
    fn contains_dir(
        &self,
        ancestor: u64,
        dir: u64,
        operation: &'static str,
    ) -> Result<bool, FsError>;

    /// Walks `path` (see [`resolve`]).
    fn resolve(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Resolved, FsError> {
        resolve(self, path, follow, operation)
    }

    /// Walks `path` for an operation on the directory entry itself (see [`resolve_entry`]).
    fn resolve_entry(&self, path: &Path, operation: &'static str) -> Result<Resolved, FsError> {
        resolve_entry(self, path, operation)
    }

    /// The existing node `path` leads to, or `NotFound`.
    fn existing(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<(u64, FileType), FsError> {
        self.resolve(path, follow, operation)?
            .node
            .ok_or_else(|| posix_errors::not_found(path, operation))
    }

    /// Checks that the entry `name` of `dir` (a walk's `parent`) is the walked node `ino`, before
    /// an operation removes or moves that entry. A path ending in `.` or `..` names no entry of
    /// its own: `InvalidInput`, as `rmdir("a/.")` is `EINVAL`.
    fn check_entry(
        &self,
        dir: u64,
        name: &str,
        ino: u64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(name, operation)?;
        match self.lookup(&dir, name)? {
            Some((child, _)) if child == ino => Ok(()),
            _ => Err(posix_errors::invalid(
                operation,
                "the path does not name a directory entry",
            )),
        }
    }

    /// Judges `rename(from, to)` by POSIX's rules: `None` when both name one inode (nothing to
    /// do), else the move to make. `ENOENT` for a missing source, `EISDIR`/`ENOTDIR` for a
    /// file and a directory swapped, `ENOTEMPTY` for a non-empty directory replaced, `EINVAL`
    /// for a directory moved into its own subtree or a path ending in `.`/`..`, `EBUSY` for the
    /// root.
    fn plan_rename(
        &self,
        from: &Path,
        to: &Path,
        operation: &'static str,
    ) -> Result<Option<RenamePlan>, FsError> {
        let src = self.resolve_entry(from, operation)?;
        let (src_ino, src_ty) = src
            .node
            .ok_or_else(|| posix_errors::not_found(from, operation))?;
        src.require_dir(from, operation)?;
        src.require_named(operation)?;
        let (src_dir, src_name) = src
            .parent
            .ok_or_else(|| posix_errors::root_busy(operation))?;
        self.check_entry(src_dir, &src_name, src_ino, operation)?;
        let dst = self.resolve_entry(to, operation)?;
        dst.require_dir(to, operation)?;
        dst.require_named(operation)?;
        let (dst_dir, dst_name) = dst
            .parent
            .ok_or_else(|| posix_errors::root_busy(operation))?;
        let src_is_dir = src_ty == FileType::Directory;
        if dst.trailing_slash && !src_is_dir {
            return Err(posix_errors::not_dir(to, operation));
        }
        if let Some((dst_ino, dst_ty)) = dst.node {
            // Two names of one inode: POSIX says do nothing.
            if dst_ino == src_ino {
                return Ok(None);
            }
            match (src_is_dir, dst_ty == FileType::Directory) {
                (false, true) => return Err(posix_errors::is_dir(to, operation)),
                (true, false) => return Err(posix_errors::not_dir(to, operation)),
                (true, true) if self.has_any_entry(dst_ino, operation)? => {
                    return Err(posix_errors::not_empty(to, operation));
                }
                _ => {}
            }
        }
        if src_is_dir && self.contains_dir(src_ino, dst_dir, operation)? {
            return Err(posix_errors::invalid(
                operation,
                "cannot move a directory into its own subtree",
            ));
        }
        Ok(Some(RenamePlan {
            src_dir,
            src_name,
            dst_dir,
            dst_name,
            replace: dst.node.is_some(),
        }))
    }
}

/// Implements [`FsPath`](anyfs_backend::path::FsPath) for a backend whose inherent
/// `walk_path(&self, path, &WalkOptions, operation) -> Result<(PathBuf, bool), FsError>` runs
/// the shared walk over its nodes in one snapshot (the path reached, and whether it exists).
/// The options are the trait defaults' own, so the answers are identical to theirs.
macro_rules! fs_path_by_walk {
    ($backend:ty) => {
        impl anyfs_backend::path::FsPath for $backend {
            fn canonicalize(
                &self,
                path: &std::path::Path,
            ) -> Result<std::path::PathBuf, anyfs_backend::FsError> {
                const OP: &str = "canonicalize";
                let options = anyfs_backend::path::WalkOptions {
                    follow_final: true,
                    ..anyfs_backend::path::WalkOptions::default()
                };
                match self.walk_path(path, &options, OP)? {
                    (canonical, true) => Ok(canonical),
                    (_, false) => Err($crate::posix_errors::not_found(path, OP)),
                }
            }

            fn soft_canonicalize(
                &self,
                path: &std::path::Path,
            ) -> Result<std::path::PathBuf, anyfs_backend::FsError> {
                let options = anyfs_backend::path::WalkOptions {
                    follow_final: true,
                    soft: true,
                    ..anyfs_backend::path::WalkOptions::default()
                };
                self.walk_path(path, &options, "soft_canonicalize")
                    .map(|(p, _)| p)
            }

            fn anchored_canonicalize(
                &self,
                path: &std::path::Path,
                anchor: &std::path::Path,
            ) -> Result<std::path::PathBuf, anyfs_backend::FsError> {
                let options = anyfs_backend::path::WalkOptions {
                    follow_final: true,
                    soft: true,
                    anchor: Some(anchor),
                    ..anyfs_backend::path::WalkOptions::default()
                };
                self.walk_path(path, &options, "anchored_canonicalize")
                    .map(|(p, _)| p)
            }
        }
    };
}
pub(crate) use fs_path_by_walk;
