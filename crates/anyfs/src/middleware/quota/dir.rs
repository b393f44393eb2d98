//! [`FsDir`] through the quota: directories are nodes; removing a tree frees what it held.

use std::path::{Path, PathBuf};

use anyfs_backend::{DirEntry, FsDir, FsError};

use super::view::{subtree, Hidden};
use super::Quota;

impl<B: FsDir> FsDir for Quota<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        self.inner.read_dir(path)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("create_dir")?;
        if self.view().lstat(path)?.is_some() {
            return self.inner.create_dir(path);
        }
        self.check_new_nodes(&ledger, path, 1, 0)?;
        self.inner.create_dir(path)?;
        ledger.add_nodes(1);
        Ok(())
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("create_dir_all")?;
        let view = self.view();
        // The directories that would be created: the missing tail of the canonical path.
        let canonical = view.canonical(path)?;
        let mut missing: Vec<PathBuf> = Vec::new();
        for ancestor in canonical.ancestors() {
            if view.stat(ancestor)?.is_some() {
                break;
            }
            missing.push(ancestor.to_path_buf());
        }
        if let Some(top) = missing.last() {
            let count = missing.len() as u64;
            self.check_new_nodes(&ledger, top, count, count - 1)?;
        }
        let result = self.inner.create_dir_all(path);
        // A failure may come after some directories were made: book what exists now.
        let mut created = 0;
        for dir in &missing {
            if view.stat(dir)?.is_some() {
                created += 1;
            }
        }
        ledger.add_nodes(created);
        result
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("remove_dir")?;
        let existing = self.view().lstat(path)?;
        self.inner.remove_dir(path)?;
        if let Some(m) = existing {
            ledger.release(m.inode, 0);
        }
        Ok(())
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("remove_dir_all")?;
        let view = self.view();
        let Some(root) = view.lstat(path)? else {
            return self.inner.remove_dir_all(path);
        };
        let before = subtree(&view, path, &root, Hidden::Fail)?;
        let result = self.inner.remove_dir_all(path);
        // What is gone is what was there minus what is left (all of it on success).
        let after = match (&result, view.lstat(path)?) {
            (Err(_), Some(m)) => Some(subtree(&view, path, &m, Hidden::Fail)?),
            _ => None,
        };
        let kept: std::collections::HashSet<u64> = after
            .iter()
            .flat_map(|t| t.freed.iter().map(|(inode, _)| *inode))
            .collect();
        for (inode, bytes) in &before.freed {
            // (Nodes of backends without inode numbers cannot be told apart after a partial
            // failure; they stay counted, the safe direction.)
            if !kept.contains(inode) {
                ledger.release(*inode, *bytes);
            }
        }
        result
    }
}
