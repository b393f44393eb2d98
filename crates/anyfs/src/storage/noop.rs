//! [`NoOpResolver`], for backends that resolve paths themselves.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{normalize_str, validate};
use anyfs_backend::FsError;

use super::resolver::{PathResolver, Resolution, ResolveContext, ResolveOptions};

/// Validates and lexically normalizes (collapses `//`, drops `.`), nothing more: `..`, symlinks
/// and a trailing `/` (which asks for a directory) are left to the backend. For
/// [`SelfResolving`](anyfs_backend::SelfResolving) backends (a host-disk backend whose OS
/// resolves paths), and for storage layered over another `FileStorage` that already resolves.
///
/// O(path length), no backend call. Stateless.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoOpResolver;

impl PathResolver for NoOpResolver {
    fn resolve(
        &self,
        _context: ResolveContext<'_>,
        path: &Path,
        _options: ResolveOptions,
        operation: &'static str,
    ) -> Result<PathBuf, FsError> {
        let text = validate(path, operation)?;
        let normal = normalize_str(text);
        if text.ends_with('/') && normal != "/" {
            return Ok(PathBuf::from(format!("{normal}/")));
        }
        Ok(PathBuf::from(normal.into_owned()))
    }

    fn resolves_plain_paths_to_themselves(&self) -> bool {
        // A plain path is valid and normal, with no trailing `/`: `resolve` returns its text.
        true
    }

    fn resolve_tracked(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Resolution, FsError> {
        Ok(Resolution {
            path: self.resolve(context, path, options, operation)?,
            dependencies: Some(Vec::new()),
        })
    }
}
