//! How a middleware reads the backend it wraps when its policy needs to look (Quota sizes a
//! change, PathFilter resolves a path): the read side of the inner backend as trait objects,
//! chosen at construction.
//!
//! The view is picked by the constructor, where the bounds are known (`new` for backends with
//! [`FsLink`], `without_links` for the others), so the middleware's trait impls need no bound
//! beyond the trait they implement; the same pattern as `FileStorage`'s link view.

// Which middleware features are enabled decides what uses each helper.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use anyfs_backend::path::{LinkWalker, Resolution};
use anyfs_backend::{DirEntry, FileType, Fs, FsDir, FsError, FsLink, FsRead, Metadata};

/// Builds the view of a backend `B`.
pub(crate) type ViewFn<B> = for<'a> fn(&'a B) -> View<'a>;

/// The view of a backend with symlinks.
pub(crate) fn with_links<B: Fs + FsLink>(backend: &B) -> View<'_> {
    View {
        read: backend,
        dir: backend,
        links: Some(backend),
    }
}

/// The view of a backend without symlinks.
pub(crate) fn without_links<B: Fs>(backend: &B) -> View<'_> {
    View {
        read: backend,
        dir: backend,
        links: None,
    }
}

/// Whether a backend `B` holds no symlink now ([`FsLink::symlink_free`]); chosen with the
/// view, for the checks that only need this one answer (cheaper than building a view).
pub(crate) type SymlinkFreeFn<B> = fn(&B) -> bool;

/// [`SymlinkFreeFn`] of a backend with symlinks: it says.
pub(crate) fn symlink_free_with_links<B: FsLink>(backend: &B) -> bool {
    backend.symlink_free()
}

/// [`SymlinkFreeFn`] of a backend without symlinks: always.
pub(crate) fn symlink_free_without_links<B>(_: &B) -> bool {
    true
}

/// Read access to the inner backend.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub read: &'a dyn FsRead,
    pub dir: &'a dyn FsDir,
    /// `None` for a backend without symlinks: then `metadata` is `symlink_metadata`.
    pub links: Option<&'a dyn FsLink>,
}

/// Absent: the inner operation will report its own error (or create the node).
fn absent(result: Result<Metadata, FsError>) -> Result<Option<Metadata>, FsError> {
    match result {
        Ok(m) => Ok(Some(m)),
        Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// [`absent`] for a backend's own resolution, which reports a missing node as `None` already
/// (and a missing or non-directory component as the walk's error).
fn resolved_absent(result: Result<Resolution, FsError>) -> Result<Option<Metadata>, FsError> {
    match result {
        Ok(resolution) => Ok(resolution.metadata),
        Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl<'a> View<'a> {
    /// Metadata following a final symlink; `None` when the path does not exist.
    ///
    /// Asks the backend's own resolver when it has one
    /// ([`FsLink::resolve_path`]): the same answer without building a `NotFound` error for a
    /// missing path.
    pub fn stat(&self, path: &Path) -> Result<Option<Metadata>, FsError> {
        if let Some(result) = self
            .links
            .and_then(|l| l.resolve_path(path, true, "metadata"))
        {
            return resolved_absent(result);
        }
        absent(self.read.metadata(path))
    }

    /// Metadata of the node itself (a symlink is not followed); `None` when it does not exist.
    pub fn lstat(&self, path: &Path) -> Result<Option<Metadata>, FsError> {
        match self.links {
            Some(links) => match links.resolve_path(path, false, "symlink_metadata") {
                Some(result) => resolved_absent(result),
                None => absent(links.symlink_metadata(path)),
            },
            None => absent(self.read.metadata(path)),
        }
    }

    /// The shared path walker over this backend.
    pub fn walker(&self) -> LinkWalker<'a> {
        LinkWalker::new(self.read, self.links)
    }

    /// The canonical form of a path that may not exist yet: existing symlinks and `..`
    /// resolved, the missing rest appended.
    pub fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.walker().soft_canonicalize(path)
    }

    /// Calls `visit(path, depth, entry)` for every node below the directory `root` (depth 1
    /// for its entries), without following symlinks. Iterative: deep trees cost heap, not
    /// stack; one `read_dir` per directory.
    ///
    /// With `skip_denied`, a directory the inner backend refuses to list (`AccessDenied`, from
    /// a PathFilter below) is skipped instead of failing the walk.
    pub fn for_each_below(
        &self,
        root: &Path,
        skip_denied: bool,
        mut visit: impl FnMut(&Path, u64, &DirEntry) -> Result<(), FsError>,
    ) -> Result<(), FsError> {
        let mut stack = vec![(root.to_path_buf(), 0u64)];
        while let Some((dir, level)) = stack.pop() {
            let entries = match self.dir.read_dir(&dir) {
                Err(FsError::AccessDenied { .. }) if skip_denied => continue,
                result => result?,
            };
            for entry in entries {
                let child = dir.join(&entry.name);
                visit(&child, level + 1, &entry)?;
                if entry.file_type == FileType::Directory {
                    stack.push((child, level + 1));
                }
            }
        }
        Ok(())
    }
}
