//! The check every path argument goes through: the written path, then the path resolved
//! through the inner backend with the shared walk, both against the rules.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{normalize_str, validate, walk, WalkOptions, Walked};
use anyfs_backend::{FsError, Metadata};

use super::rules::Decision;
use super::PathFilter;

/// What a call needs from a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    /// Looking it up (stat, inode number, canonical form).
    Lookup,
    /// Anything else: reading, listing, changing.
    Use,
}

/// The error for a denied path: it names the path the caller gave, never where it led.
pub(super) fn denied(path: &Path, reason: &'static str) -> FsError {
    FsError::AccessDenied {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

impl<B> PathFilter<B> {
    /// Whether the rules let `path` (normalized, absolute) be used as `need` says.
    pub(super) fn permits(&self, path: &Path, need: Need) -> Result<(), &'static str> {
        // Resolved paths come from the backend; one that is not UTF-8 cannot match a rule.
        let Some(text) = path.to_str() else {
            return Err("path_denied");
        };
        match (self.rules.decide(text), need) {
            (Decision::Allowed, _) | (Decision::Traverse, Need::Lookup) => Ok(()),
            (Decision::Traverse, Need::Use) => Err("path_denied"),
            (Decision::Denied(reason), _) => Err(reason),
        }
    }

    /// Checks one path argument and returns where it resolves (a missing tail appended).
    pub(super) fn check(
        &self,
        path: &Path,
        follow: bool,
        need: Need,
        operation: &'static str,
    ) -> Result<Walked<PathBuf>, FsError> {
        let options = WalkOptions {
            follow_final: follow,
            soft: true,
            ..WalkOptions::default()
        };
        let literal = PathBuf::from(normalize_str(validate(path, operation)?).into_owned());
        self.permits(&literal, need)
            .map_err(|reason| denied(path, reason))?;
        let walked = self.resolve(path, &literal, &options, operation)?;
        self.permits(&walked.path, need)
            .map_err(|reason| denied(path, reason))?;
        Ok(walked)
    }

    /// Resolves `path` through the inner backend. When the walk fails, its error is returned
    /// only if every node it looked at beyond the written path may be looked up; otherwise the
    /// error could describe a denied place, and the caller gets `EACCES`.
    pub(super) fn resolve(
        &self,
        path: &Path,
        literal: &Path,
        options: &WalkOptions<'_>,
        operation: &'static str,
    ) -> Result<Walked<PathBuf>, FsError> {
        let view = (self.view)(&self.inner);
        let result = walk(&view.walker(), path, options, operation);
        if result.is_ok() {
            return result;
        }
        // Failures are rare: only then walk again, recording what the walk looked at.
        let walker = view.walker().recording();
        let error = match walk(&walker, path, options, operation) {
            Ok(_) => return result,
            Err(e) => e,
        };
        let visited = walker.into_visited().unwrap_or_default();
        for node in visited.iter().filter(|node| !literal.starts_with(node)) {
            if self.permits(node, Need::Lookup).is_err() {
                return Err(denied(path, "path_denied"));
            }
        }
        Err(error)
    }

    /// Checks every node below the directory `root` (resolved), under its current name and,
    /// for a rename, under its name below `moved_to`: each must be allowed, since the call
    /// moves or deletes it.
    pub(super) fn check_below(
        &self,
        arg: &Path,
        root: &Path,
        moved_to: Option<&Path>,
    ) -> Result<(), FsError> {
        let view = (self.view)(&self.inner);
        view.for_each_below(root, false, |child, _, _| {
            self.permits(child, Need::Use)
                .map_err(|reason| denied(arg, reason))?;
            if let (Some(to), Ok(rel)) = (moved_to, child.strip_prefix(root)) {
                self.permits(&to.join(rel), Need::Use)
                    .map_err(|reason| denied(arg, reason))?;
            }
            Ok(())
        })
    }

    /// The inner backend's metadata of a resolved path, not following it.
    pub(super) fn lstat(&self, resolved: &Path) -> Result<Option<Metadata>, FsError> {
        (self.view)(&self.inner).lstat(resolved)
    }
}
