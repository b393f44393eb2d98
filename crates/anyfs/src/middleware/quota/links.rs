//! [`FsLink`] through the quota: a symlink is a node; a hard link is only a directory entry
//! (its file's bytes and node are already counted).

use std::path::{Path, PathBuf};

use anyfs_backend::path::Resolution;
use anyfs_backend::{FsError, FsLink, Metadata};

use super::Quota;

impl<B: FsLink> FsLink for Quota<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("symlink")?;
        if self.view().lstat(link)?.is_some() {
            return self.inner.symlink(original, link);
        }
        self.check_new_nodes(&ledger, link, 1, 0)?;
        self.inner.symlink(original, link)?;
        ledger.add_nodes(1);
        Ok(())
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let _ledger = self.ledger("hard_link")?;
        if self.view().lstat(link)?.is_none() {
            self.check_placement(link, 0)?;
        }
        self.inner.hard_link(original, link)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.inner.read_link(path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.inner.symlink_metadata(path)
    }

    /// The quota changes nothing about where paths lead: the inner backend's own resolver
    /// answers for it.
    fn resolve_path(
        &self,
        path: &Path,
        follow_final: bool,
        operation: &'static str,
    ) -> Option<Result<Resolution, FsError>> {
        self.inner.resolve_path(path, follow_final, operation)
    }

    /// Forwarded for the same reason as `resolve_path`.
    fn symlink_free(&self) -> bool {
        self.inner.symlink_free()
    }
}
