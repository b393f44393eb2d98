//! [`IterativeResolver`], the default: walks the backend component by component.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{normalize_str, validate, walk, LinkWalker, WalkOptions};
use anyfs_backend::FsError;

use super::resolver::{PathResolver, Resolution, ResolveContext, ResolveOptions};

/// The default resolver: the shared [`walk`] over the backend's public API (one
/// `symlink_metadata` per component, one `read_link` per symlink followed), so `..` after a
/// symlink leaves the symlink's target, chains are followed and loops fail with `ELOOP` after
/// [`max_symlinks`](IterativeResolver::with_max_symlinks) expansions.
///
/// # Cost
///
/// O(components + symlink expansions) backend lookups per call, each costing what the backend's
/// `symlink_metadata` costs. For a backend without links, a path with no `..` and no trailing
/// `/` is only validated and normalized (O(length), no backend call): without symlinks there is
/// nothing to resolve, and the backend reports missing components itself.
///
/// Stateless, so `Send + Sync` and free to share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IterativeResolver {
    max_symlinks: u32,
}

impl IterativeResolver {
    /// A resolver with Linux's symlink budget ([`MAX_SYMLINKS`](anyfs_backend::path::MAX_SYMLINKS)).
    pub const fn new() -> Self {
        IterativeResolver { max_symlinks: 0 }
    }

    /// A resolver that fails with `ELOOP` after `max` symlink expansions in one path (`0` means
    /// the default).
    pub const fn with_max_symlinks(max: u32) -> Self {
        IterativeResolver { max_symlinks: max }
    }

    fn run(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
        record: bool,
    ) -> Result<Resolution, FsError> {
        if context.links.is_none() {
            let text = validate(path, operation)?;
            let lexical = text.len() == 1
                || (!text.ends_with('/') && !text.split('/').any(|name| name == ".."));
            if lexical {
                return Ok(Resolution {
                    path: PathBuf::from(normalize_str(text).into_owned()),
                    dependencies: Some(Vec::new()),
                });
            }
        }
        let mut walker = LinkWalker::new(context.fs, context.links);
        if record {
            walker = walker.recording();
        }
        let walk_options = WalkOptions {
            follow_final: options.follow_final,
            soft: options.soft,
            anchor: None,
            max_symlinks: self.max_symlinks,
        };
        let walked = walk(&walker, path, &walk_options, operation)?;
        Ok(Resolution {
            path: walked.path,
            dependencies: walker.into_visited(),
        })
    }
}

impl PathResolver for IterativeResolver {
    fn resolve(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<PathBuf, FsError> {
        Ok(self.run(context, path, options, operation, false)?.path)
    }

    fn resolve_tracked(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Resolution, FsError> {
        self.run(context, path, options, operation, true)
    }
}
