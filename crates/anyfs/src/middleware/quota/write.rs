//! [`FsWrite`] through the quota: each call sizes its change, checks it, runs, then books it.

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{FsError, FsWrite, Metadata};

use super::ledger::Ledger;
use super::stream::CountingWriter;
use super::view::{placement, subtree, Hidden};
use super::Quota;

impl<B> Quota<B> {
    /// A path-based change of one file's size. `size(existing)` is the size after the call
    /// (`existing` is `None` for a file the call creates); `create` says whether a missing
    /// file is created. Directories and missing paths that are not created go straight to the
    /// inner call, which reports its own error.
    fn resize_file(
        &self,
        ledger: &mut Ledger,
        path: &Path,
        create: bool,
        size: impl FnOnce(Option<&Metadata>) -> u64,
        act: impl FnOnce() -> Result<(), FsError>,
    ) -> Result<(), FsError> {
        match self.view().stat(path)? {
            Some(m) if m.is_file() => {
                let new = size(Some(&m));
                self.check_resize(ledger, path, m.size, new)?;
                act()?;
                ledger.resize(m.inode, m.size, new);
            }
            None if create => {
                let new = size(None);
                self.check_resize(ledger, path, 0, new)?;
                self.check_new_nodes(ledger, path, 1, 0)?;
                act()?;
                ledger.add_nodes(1);
                ledger.resize(0, 0, new);
            }
            _ => act()?,
        }
        Ok(())
    }

    /// Books the disappearance of a non-directory name described by `m` (looked up without
    /// following it): a symlink is a node; a file's bytes and node go with its last link.
    pub(super) fn forget_name(ledger: &mut Ledger, m: &Metadata) {
        if m.is_symlink() {
            ledger.release(m.inode, 0);
        } else if m.is_file() && m.nlink <= 1 {
            ledger.release(m.inode, m.size);
        }
    }
}

impl<B: FsWrite> FsWrite for Quota<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let mut ledger = self.ledger("write")?;
        self.resize_file(
            &mut ledger,
            path,
            true,
            |_| data.len() as u64,
            || self.inner.write(path, data),
        )
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let mut ledger = self.ledger("append")?;
        self.resize_file(
            &mut ledger,
            path,
            true,
            |m| m.map_or(0, |m| m.size).saturating_add(data.len() as u64),
            || self.inner.append(path, data),
        )
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let mut ledger = self.ledger("truncate")?;
        self.resize_file(
            &mut ledger,
            path,
            false,
            |_| size,
            || self.inner.truncate(path, size),
        )
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("copy")?;
        let source = match self.view().stat(from)? {
            Some(m) if m.is_file() => m,
            _ => return self.inner.copy(from, to),
        };
        self.resize_file(
            &mut ledger,
            to,
            true,
            // Copying a file onto itself (or onto another of its names) changes nothing.
            |dst| match dst {
                Some(d) if d.inode == source.inode && d.inode != 0 => d.size,
                _ => source.size,
            },
            || self.inner.copy(from, to),
        )
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("remove_file")?;
        let existing = self.view().lstat(path)?;
        self.inner.remove_file(path)?;
        if let Some(m) = existing {
            Quota::<B>::forget_name(&mut ledger, &m);
        }
        Ok(())
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let mut ledger = self.ledger("rename")?;
        let view = self.view();
        let Some(source) = view.lstat(from)? else {
            return self.inner.rename(from, to);
        };
        let replaced = view.lstat(to)?;
        if replaced
            .as_ref()
            .is_some_and(|d| d.inode == source.inode && d.inode != 0)
        {
            // Two names of one node: POSIX does nothing.
            return self.inner.rename(from, to);
        }
        if self.limits.needs_placement() {
            let height = match self.limits.max_path_depth {
                Some(_) if source.is_dir() => subtree(&view, from, &source, Hidden::Fail)?.height,
                _ => 0,
            };
            let target = placement(&view, to)?;
            if replaced.is_none() {
                let from_parent = view.canonical(from.parent().unwrap_or(Path::new("/")))?;
                if from_parent != target.parent {
                    self.limits.check_entries(target.parent_entries)?;
                }
            }
            self.limits.check_depth(
                target.depth.saturating_sub(1),
                target.depth.saturating_add(height),
            )?;
        }
        self.inner.rename(from, to)?;
        match replaced {
            Some(d) if d.is_dir() => ledger.release(d.inode, 0),
            Some(d) => Quota::<B>::forget_name(&mut ledger, &d),
            None => {}
        }
        Ok(())
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let mut ledger = self.ledger("open_write")?;
        let view = self.view();
        let existing = view.stat(path)?;
        match &existing {
            Some(m) if m.is_file() => {}
            Some(_) => return self.inner.open_write(path),
            None => self.check_new_nodes(&ledger, path, 1, 0)?,
        }
        let writer = self.inner.open_write(path)?;
        // Opening created or truncated the file.
        match &existing {
            Some(m) => ledger.resize(m.inode, m.size, 0),
            None => ledger.add_nodes(1),
        }
        let opened = view.stat(path)?.ok_or_else(|| FsError::NotFound {
            path: path.to_path_buf(),
            operation: "open_write",
        })?;
        let key = ledger.key(opened.inode);
        ledger.open_file(key, 0);
        drop(ledger);
        Ok(Box::new(CountingWriter::new(
            writer,
            self.ledger.clone(),
            self.limits,
            key,
            path.to_path_buf(),
        )))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        self.inner.set_times(path, accessed, modified)
    }
}
