//! Layer 1 through the filter: [`FsRead`], [`FsWrite`], [`FsDir`].

use std::io::{Read, Write};
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{DirEntry, FsDir, FsError, FsRead, FsWrite, Metadata, SharedContent};

use super::checks::Need;
use super::PathFilter;

impl<B: FsRead> FsRead for PathFilter<B> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "read")?;
        self.inner.read(path)
    }

    /// Checked as a `read`, then lent by the inner backend if it lends (so a large file keeps
    /// its zero-copy read through the filter).
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        let _ns = self.namespace.read();
        if let Err(e) = self.check(path, true, Need::Use, "read") {
            return Some(Err(e));
        }
        self.inner.read_with(path, visit)
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "read_to_string")?;
        self.inner.read_to_string(path)
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "read_range")?;
        self.inner.read_range(path, offset, len)
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        let _ns = self.namespace.read();
        match self.check(path, true, Need::Lookup, "exists") {
            Ok(_) => self.inner.exists(path),
            // What `exists` itself answers for a path that cannot resolve.
            Err(FsError::NotFound { .. })
            | Err(FsError::NotADirectory { .. })
            | Err(FsError::SymlinkLoop { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Lookup, "metadata")?;
        self.inner.metadata(path)
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "open_read")?;
        self.inner.open_read(path)
    }
}

impl<B: FsWrite> FsWrite for PathFilter<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "write")?;
        self.inner.write(path, data)
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "append")?;
        self.inner.append(path, data)
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Use, "remove_file")?;
        self.inner.remove_file(path)
    }

    /// Checked as `write`; the inner backend's report passes through.
    fn write_replacing(
        &self,
        path: &Path,
        data: &[u8],
    ) -> Option<Result<Option<Metadata>, FsError>> {
        let _ns = self.namespace.read();
        if let Err(e) = self.check(path, true, Need::Use, "write") {
            return Some(Err(e));
        }
        self.inner.write_replacing(path, data)
    }

    /// Checked as `remove_file`; the inner backend's report passes through.
    fn remove_file_reporting(&self, path: &Path) -> Option<Result<Metadata, FsError>> {
        let _ns = self.namespace.read();
        if let Err(e) = self.check(path, false, Need::Use, "remove_file") {
            return Some(Err(e));
        }
        self.inner.remove_file_reporting(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.write();
        let source = self.check(from, false, Need::Use, "rename")?;
        let target = self.check(to, false, Need::Use, "rename")?;
        if self.lstat(&source.path)?.is_some_and(|m| m.is_dir()) {
            self.check_below(from, &source.path, Some(&*target.path))?;
        }
        self.inner.rename(from, to)
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(from, true, Need::Use, "copy")?;
        self.check(to, true, Need::Use, "copy")?;
        self.inner.copy(from, to)
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "truncate")?;
        self.inner.truncate(path, size)
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "open_write")?;
        self.inner.open_write(path)
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, true, Need::Use, "set_times")?;
        self.inner.set_times(path, accessed, modified)
    }
}

impl<B: FsDir> FsDir for PathFilter<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        let _ns = self.namespace.read();
        let dir = self.check(path, true, Need::Use, "read_dir")?;
        let mut entries = self.inner.read_dir(path)?;
        // Entries that may not even be looked up are not shown.
        entries.retain(|entry| {
            self.permits(&dir.path.join(&entry.name), Need::Lookup)
                .is_ok()
        });
        Ok(entries)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Use, "create_dir")?;
        self.inner.create_dir(path)
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        let target = self.check(path, true, Need::Use, "create_dir_all")?;
        // Every directory it may create on the way must at least be one we can look up.
        for ancestor in target.path.ancestors().skip(1) {
            self.permits(ancestor, Need::Lookup)
                .map_err(|reason| super::checks::denied(path, reason))?;
        }
        self.inner.create_dir_all(path)
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.read();
        self.check(path, false, Need::Use, "remove_dir")?;
        self.inner.remove_dir(path)
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let _ns = self.namespace.write();
        let target = self.check(path, false, Need::Use, "remove_dir_all")?;
        if self.lstat(&target.path)?.is_some_and(|m| m.is_dir()) {
            self.check_below(path, &target.path, None)?;
        }
        self.inner.remove_dir_all(path)
    }
}
