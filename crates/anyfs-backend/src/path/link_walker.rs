//! [`LinkWalker`]: the [`Walk`] adapter over any path-based backend, used by the [`FsPath`]
//! defaults and by `FileStorage`'s resolvers.
//!
//! [`FsPath`]: super::FsPath

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::walk::{walk, Walk, WalkOptions};
use crate::{FileType, FsError, FsLink, FsRead};

/// Walks a backend through its public API: nodes are canonical paths, a lookup is one
/// `symlink_metadata` call (or `metadata` when the backend has no [`FsLink`], in which case
/// nothing is ever a symlink), and symlink targets come from `read_link`.
///
/// Each lookup costs whatever the backend's `symlink_metadata` costs on a path of that depth, so
/// a walk of `n` components costs `n` such calls.
///
/// The defaults of the type parameters make `LinkWalker<'a>` the trait-object form that
/// `FileStorage` uses; [`from_parts`](LinkWalker::from_parts) accepts concrete types too.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::path::{walk, LinkWalker, WalkOptions};
/// use anyfs_backend::{FsError, FsLink, FsRead};
///
/// fn resolve(fs: &dyn FsRead, links: &dyn FsLink, path: &Path) -> Result<std::path::PathBuf, FsError> {
///     let walker = LinkWalker::new(fs, Some(links));
///     let options = WalkOptions { follow_final: true, ..WalkOptions::default() };
///     Ok(walk(&walker, path, &options, "resolve")?.path)
/// }
/// ```
pub struct LinkWalker<'a, R: ?Sized = dyn FsRead + 'a, L: ?Sized = dyn FsLink + 'a> {
    fs: &'a R,
    links: Option<&'a L>,
    /// Every path looked up, when recording (for caches that must know what a result depends on).
    visited: Option<RefCell<Vec<PathBuf>>>,
}

impl<'a> LinkWalker<'a> {
    /// A walker over trait objects; `links: None` means the backend has no symlinks.
    pub fn new(fs: &'a dyn FsRead, links: Option<&'a dyn FsLink>) -> Self {
        LinkWalker::from_parts(fs, links)
    }
}

impl<'a, R: FsRead + ?Sized, L: FsLink + ?Sized> LinkWalker<'a, R, L> {
    /// A walker over any reader and (optional) link provider, usually the same backend twice.
    pub fn from_parts(fs: &'a R, links: Option<&'a L>) -> Self {
        LinkWalker {
            fs,
            links,
            visited: None,
        }
    }

    /// Makes the walker record every path it looks up; read them with
    /// [`into_visited`](LinkWalker::into_visited).
    ///
    /// A walk's outcome depends only on the entries it looked up, so a cached result stays valid
    /// until one of these paths (or a path below one) changes.
    pub fn recording(mut self) -> Self {
        self.visited = Some(RefCell::new(Vec::new()));
        self
    }

    /// The paths looked up so far, if [`recording`](LinkWalker::recording) was enabled.
    pub fn into_visited(self) -> Option<Vec<PathBuf>> {
        self.visited.map(RefCell::into_inner)
    }

    /// Strict canonicalization: every symlink and `..` resolved; every component must exist
    /// (`NotFound` otherwise).
    pub fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let options = WalkOptions {
            follow_final: true,
            ..WalkOptions::default()
        };
        let walked = walk(self, path, &options, "canonicalize")?;
        match walked.node {
            Some(_) => Ok(walked.path),
            None => Err(FsError::NotFound {
                path: path.to_path_buf(),
                operation: "canonicalize",
            }),
        }
    }

    /// Soft canonicalization: the existing part resolved, the missing rest appended lexically.
    pub fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let options = WalkOptions {
            follow_final: true,
            soft: true,
            ..WalkOptions::default()
        };
        Ok(walk(self, path, &options, "soft_canonicalize")?.path)
    }

    /// Soft canonicalization clamped inside `anchor`: neither `..` nor a symlink (absolute or
    /// relative) can leave it. `path` may be absolute (taken from the anchor) or relative.
    pub fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        let options = WalkOptions {
            follow_final: true,
            soft: true,
            anchor: Some(anchor),
            ..WalkOptions::default()
        };
        Ok(walk(self, path, &options, "anchored_canonicalize")?.path)
    }
}

impl<R: FsRead + ?Sized, L: FsLink + ?Sized> Walk for LinkWalker<'_, R, L> {
    type Node = PathBuf;

    fn root(&self) -> PathBuf {
        PathBuf::from("/")
    }

    fn lookup(&self, dir: &PathBuf, name: &str) -> Result<Option<(PathBuf, FileType)>, FsError> {
        let mut child = dir.as_os_str().to_owned();
        if dir.as_os_str() != "/" {
            child.push("/");
        }
        child.push(name);
        let child = PathBuf::from(child);
        if let Some(visited) = &self.visited {
            visited.borrow_mut().push(child.clone());
        }
        let metadata = match self.links {
            Some(links) => links.symlink_metadata(&child),
            None => self.fs.metadata(&child),
        };
        match metadata {
            Ok(m) => Ok(Some((child, m.file_type))),
            Err(FsError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn read_link(&self, node: &PathBuf) -> Result<PathBuf, FsError> {
        match self.links {
            Some(links) => links.read_link(node),
            // Only reachable if a backend without FsLink reports a symlink from `metadata`.
            None => Err(FsError::NotSupported {
                operation: "read_link",
            }),
        }
    }
}
