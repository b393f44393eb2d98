//! [`FsPath`](anyfs_backend::path::FsPath): the canonicalize family, walked straight over the inode table under one read
//! lock (the trait's defaults would call `symlink_metadata` once per component instead). Same
//! algorithm ([`walk`]), same options as the defaults, so the results are identical.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{walk, Resolution, WalkOptions};
use anyfs_backend::{FsError, SelfResolving};

use super::MemoryBackend;

impl MemoryBackend {
    fn walk_path(
        &self,
        path: &Path,
        options: &WalkOptions<'_>,
        operation: &'static str,
    ) -> Result<(PathBuf, bool), FsError> {
        let tree = self.inner.tree.read();
        let walked = walk(&*tree, path, options, operation)?;
        Ok((walked.path, walked.node.is_some()))
    }

    /// `FsLink::resolve_path`: the soft walk and the final node's metadata, under one read
    /// lock.
    pub(super) fn resolution(
        &self,
        path: &Path,
        follow_final: bool,
        operation: &'static str,
    ) -> Result<Resolution, FsError> {
        let options = WalkOptions {
            follow_final,
            soft: true,
            ..WalkOptions::default()
        };
        let tree = self.inner.tree.read();
        let walked = walk(&*tree, path, &options, operation)?;
        let metadata = match walked.node {
            Some((ino, _)) => Some(tree.node(ino, operation)?.metadata(ino)),
            None => None,
        };
        Ok(Resolution {
            path: walked.path,
            metadata,
        })
    }
}

// FsPath: O(d log n) per call of the canonicalize family (`d` components, including those of
// followed symlink targets).
crate::backends::resolved::fs_path_by_walk!(MemoryBackend);

/// Every operation resolves its path itself, with the same [`walk`] `FileStorage`'s resolvers
/// use, so `FileStorage::self_resolving` may skip its own walk (one walk per call instead of
/// two). `FileStorage::new` with a resolver is just as correct, only slower.
impl SelfResolving for MemoryBackend {}
