//! [`PathResolver`]: how `FileStorage` turns a caller's path into the canonical path it hands to
//! the backend.

use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsLink, FsRead};

/// What a resolver may look at: the backend's read side and, when the backend has them, its
/// links. `links: None` means the backend cannot hold symlinks (it does not implement
/// [`FsLink`]), so `..` can be resolved without asking about symlinks.
#[derive(Clone, Copy)]
pub struct ResolveContext<'a> {
    /// The backend, for `metadata` lookups.
    pub fs: &'a dyn FsRead,
    /// The backend's links, for `symlink_metadata` and `read_link`.
    pub links: Option<&'a dyn FsLink>,
}

impl std::fmt::Debug for ResolveContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolveContext")
            .field("links", &self.links.is_some())
            .finish_non_exhaustive()
    }
}

/// How to treat the final component and missing components (see
/// [`WalkOptions`](anyfs_backend::path::WalkOptions)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ResolveOptions {
    /// Follow a symlink in the final component (`read`, `metadata`) or not (`remove_file`,
    /// `rename`, `symlink_metadata`).
    pub follow_final: bool,
    /// Append a missing remainder lexically instead of failing with `NotFound`
    /// (`create_dir_all`).
    pub soft: bool,
}

impl ResolveOptions {
    /// Follow the final symlink, strict.
    pub const FOLLOW: ResolveOptions = ResolveOptions {
        follow_final: true,
        soft: false,
    };
    /// Do not follow the final symlink, strict.
    pub const NO_FOLLOW: ResolveOptions = ResolveOptions {
        follow_final: false,
        soft: false,
    };
    /// Follow the final symlink, soft.
    pub const SOFT: ResolveOptions = ResolveOptions {
        follow_final: true,
        soft: true,
    };
}

/// A resolved path with, when the resolver knows them, the paths its result depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The canonical path to hand to the backend.
    pub path: PathBuf,
    /// Every path whose entry the resolution looked up; the result stays valid until one of
    /// them is created, removed or replaced. `None` when unknown (such results are never
    /// cached); an empty list for purely lexical results, which never go stale.
    pub dependencies: Option<Vec<PathBuf>>,
}

/// Turns a caller's path into the canonical path `FileStorage` hands to its backend.
///
/// Object-safe, `Send + Sync`: `FileStorage` keeps one boxed. Implementations validate the path
/// (see [`validate`](anyfs_backend::path::validate)) and report bad paths, missing or non-directory
/// intermediate components and symlink loops with the matching [`FsError`]. A missing *final*
/// component is not an error: the resolver returns the path it would have, so the backend can
/// create it or report `NotFound` itself.
pub trait PathResolver: Send + Sync {
    /// Resolves `path` for `operation`.
    fn resolve(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<PathBuf, FsError>;

    /// Like [`resolve`](PathResolver::resolve), also reporting what the result depends on so a
    /// cache ([`CachingResolver`](super::CachingResolver)) can invalidate it precisely. The
    /// default reports `None` (unknown: not cacheable).
    fn resolve_tracked(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Resolution, FsError> {
        Ok(Resolution {
            path: self.resolve(context, path, options, operation)?,
            dependencies: None,
        })
    }

    /// Whether this resolver returns every [`is_plain`](anyfs_backend::path::is_plain) path
    /// unchanged whatever the backend holds, so that `FileStorage` may skip calling it for
    /// such a path. True only for a resolver that never looks at the backend (as
    /// [`NoOpResolver`](super::NoOpResolver)); the default is `false`.
    fn resolves_plain_paths_to_themselves(&self) -> bool {
        false
    }

    /// The entry at canonical `path` was created, removed or replaced (by `FileStorage`): forget
    /// anything resolved through it.
    fn invalidate(&self, path: &Path) {
        let _ = path;
    }

    /// Forget everything (the backend changed in ways the resolver was not told about).
    fn invalidate_all(&self) {}
}

/// Forwards every method through a smart pointer, so a boxed or shared resolver is one.
macro_rules! forward_resolver {
    ($($pointer:ident)::+) => {
        impl<R: PathResolver + ?Sized> PathResolver for $($pointer)::+<R> {
            fn resolve(
                &self,
                context: ResolveContext<'_>,
                path: &Path,
                options: ResolveOptions,
                operation: &'static str,
            ) -> Result<PathBuf, FsError> {
                (**self).resolve(context, path, options, operation)
            }
            fn resolve_tracked(
                &self,
                context: ResolveContext<'_>,
                path: &Path,
                options: ResolveOptions,
                operation: &'static str,
            ) -> Result<Resolution, FsError> {
                (**self).resolve_tracked(context, path, options, operation)
            }
            fn resolves_plain_paths_to_themselves(&self) -> bool {
                (**self).resolves_plain_paths_to_themselves()
            }
            fn invalidate(&self, path: &Path) {
                (**self).invalidate(path);
            }
            fn invalidate_all(&self) {
                (**self).invalidate_all();
            }
        }
    };
}

forward_resolver!(Box);
forward_resolver!(std::sync::Arc);
