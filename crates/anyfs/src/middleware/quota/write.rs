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

impl<B: FsWrite> Quota<B> {
    /// `write` in one inner call when the backend reports what it replaced
    /// ([`FsWrite::write_replacing`]) and the write fits whatever it replaces (room for all of
    /// `data` and one more node, nothing to place): then there is nothing to look up before
    /// it. `None` when that does not apply; nothing was done then.
    fn write_blind(
        &self,
        ledger: &mut Ledger,
        path: &Path,
        data: &[u8],
    ) -> Option<Result<(), FsError>> {
        let new = data.len() as u64;
        if !self.limits.fits_any_replacement(ledger.usage, new) {
            return None;
        }
        let replaced = match self.inner.write_replacing(path, data)? {
            Ok(replaced) => replaced,
            Err(e) => return Some(Err(e)),
        };
        match replaced {
            Some(m) if m.is_file() => ledger.resize(m.inode, m.size, new),
            // Writes follow symlinks and fail on directories: not reached.
            Some(_) => {}
            None => {
                ledger.add_nodes(1);
                ledger.resize(0, 0, new);
            }
        }
        Some(Ok(()))
    }
}

impl<B: FsWrite> FsWrite for Quota<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let mut ledger = self.ledger("write")?;
        if let Some(done) = self.write_blind(&mut ledger, path, data) {
            return done;
        }
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
        // Removing frees; what the name was is only needed to book it.
        if let Some(removed) = self.inner.remove_file_reporting(path) {
            Quota::<B>::forget_name(&mut ledger, &removed?);
            return Ok(());
        }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use anyfs_backend::{FsLink, FsRead, FsWrite};

    use crate::middleware::forward::forward;
    use crate::middleware::quota::{Quota, QuotaLimits, QuotaUsage};
    use crate::MemoryBackend;

    /// A backend that does not report what a write replaced: the quota looks it up first.
    struct Lookup<B>(B);
    forward!(Lookup.0 => FsRead, FsWritePlain, FsDir, FsLinkPlain);

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    /// The same changes, booked through the inner call's report and through a lookup, give
    /// the usage a fresh measurement finds.
    #[test]
    fn reported_and_looked_up_changes_book_the_same() {
        let limits = QuotaLimits {
            max_total_size: Some(1 << 20),
            max_file_size: Some(1 << 16),
            max_node_count: Some(100),
            ..QuotaLimits::default()
        };
        let reported_inner = MemoryBackend::new();
        let looked_up_inner = MemoryBackend::new();
        let reported = Quota::new(reported_inner.clone()).with_limits(limits);
        let looked_up = Quota::new(Lookup(looked_up_inner.clone())).with_limits(limits);
        // (path, Some(data) to write it, None to remove it)
        let steps: &[(&str, Option<&[u8]>)] = &[
            ("/a", Some(&[1; 100])),
            ("/a", Some(&[1; 40])),
            ("/a", Some(&[1; 400])),
            ("/b", Some(&[])),
            ("/a", None),
            ("/c", Some(&[2; 10])),
            ("/c", None),
            ("/b", None),
        ];
        for (i, (path, data)) in steps.iter().enumerate() {
            for (quota, inner) in [
                (&reported as &dyn QuotaUse, &reported_inner),
                (&looked_up as &dyn QuotaUse, &looked_up_inner),
            ] {
                match data {
                    Some(data) => quota.put(p(path), data),
                    None => quota.del(p(path)),
                }
                let fresh = Quota::new(inner.clone()).usage();
                assert_eq!(quota.used(), fresh, "step {i}");
            }
        }
        // Links: writing through a symlink books its target; removing one of two hard links
        // frees nothing; removing a symlink frees its node only.
        for (quota, inner) in [
            (&reported as &dyn QuotaUse, &reported_inner),
            (&looked_up as &dyn QuotaUse, &looked_up_inner),
        ] {
            inner.write(p("/t"), &[3; 50]).unwrap();
            inner.symlink(p("/t"), p("/s")).unwrap();
            inner.hard_link(p("/t"), p("/h")).unwrap();
            quota.measure_again();
            quota.put(p("/s"), &[3; 70]);
            assert_eq!(quota.used(), Quota::new(inner.clone()).usage());
            quota.del(p("/h"));
            quota.del(p("/s"));
            assert_eq!(quota.used(), Quota::new(inner.clone()).usage());
            quota.del(p("/t"));
            assert_eq!(quota.used(), QuotaUsage::default());
        }
    }

    /// Near a limit the quota looks before writing, so the exact rule applies: shrinking a
    /// file fits even when no byte is left, growing past the limit is refused untouched.
    #[test]
    fn near_the_limits_the_exact_checks_apply() {
        let inner = MemoryBackend::new();
        let quota = Quota::new(inner.clone()).with_max_total_size(100);
        quota.write(p("/a"), &[1; 100]).unwrap();
        quota.write(p("/a"), &[1; 60]).unwrap();
        assert_eq!(quota.usage().total_size, 60);
        let err = quota.write(p("/a"), &[1; 101]).unwrap_err();
        assert_eq!(err.code(), "ENOSPC");
        assert_eq!(inner.read(p("/a")).unwrap().len(), 60);
        let err = quota.write(p("/b"), &[1; 41]).unwrap_err();
        assert_eq!(err.code(), "ENOSPC");
        assert!(!inner.exists(p("/b")).unwrap());
        let nodes = Quota::new(MemoryBackend::new()).with_max_node_count(1);
        nodes.write(p("/a"), b"x").unwrap();
        nodes.write(p("/a"), b"yy").unwrap();
        assert_eq!(nodes.write(p("/b"), b"x").unwrap_err().code(), "ENOSPC");
        let big = Quota::new(MemoryBackend::new()).with_max_file_size(4);
        assert_eq!(big.write(p("/a"), b"12345").unwrap_err().code(), "EFBIG");
    }

    /// The calls the test makes, over either kind of quota.
    trait QuotaUse {
        fn put(&self, path: &Path, data: &[u8]);
        fn del(&self, path: &Path);
        fn used(&self) -> QuotaUsage;
        fn measure_again(&self);
    }

    impl<B: anyfs_backend::Fs + FsLink> QuotaUse for Quota<B> {
        fn put(&self, path: &Path, data: &[u8]) {
            FsWrite::write(self, path, data).unwrap();
        }
        fn del(&self, path: &Path) {
            FsWrite::remove_file(self, path).unwrap();
        }
        fn used(&self) -> QuotaUsage {
            Quota::usage(self)
        }
        fn measure_again(&self) {
            Quota::rescan(self).unwrap();
        }
    }
}
