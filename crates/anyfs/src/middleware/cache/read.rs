//! The cached reads: `FsRead`, `read_dir`'s listing, `metadata_by_inode`.

use std::ffi::OsStr;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyfs_backend::{DirEntry, FsDir, FsError, FsInode, FsRead, Metadata};

use super::Cache;

/// `open_read` over cached content: shares the cached bytes, no copy.
struct Shared(Arc<[u8]>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl<B: FsRead> Cache<B> {
    /// The cached content of the node `path` resolves to, without asking the inner backend.
    fn cached_content(&self, path: &Path) -> Option<Arc<[u8]>> {
        let ticket = self.state.ticket();
        let ino = self.state.inode_of(path, ticket)?;
        self.state.content_of(ino, ticket)
    }
}

impl<B: FsRead> FsRead for Cache<B> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let ticket = self.state.ticket();
        let Some(ino) = self.resolve(path, ticket) else {
            // Not resolvable (missing, a bad path, no inode): the inner call gives the answer
            // and the error with `read` as its operation.
            return self.inner.read(path);
        };
        if let Some(data) = self.state.content_of(ino, ticket) {
            return Ok(data.to_vec());
        }
        let data = self.inner.read(path)?;
        self.state.fill_content(ticket, ino, &data);
        Ok(data)
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        let bytes = self.read(path)?;
        String::from_utf8(bytes).map_err(|e| FsError::InvalidData {
            path: path.to_path_buf(),
            operation: "read_to_string",
            reason: e.to_string(),
        })
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        match self.cached_content(path) {
            Some(data) => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(data.len());
                let rest = data.get(start..).unwrap_or_default();
                Ok(rest.iter().take(len).copied().collect())
            }
            None => self.inner.read_range(path, offset, len),
        }
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        let ticket = self.state.ticket();
        let cached = self.state.inode_of(path, ticket).is_some();
        self.state.count_exists(cached);
        if cached {
            return Ok(true);
        }
        self.inner.exists(path)
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let ticket = self.state.ticket();
        if let Some(ino) = self.state.inode_of(path, ticket) {
            if let Some(m) = self.state.metadata_of(ino, ticket) {
                return Ok(m);
            }
        }
        let m = self.inner.metadata(path)?;
        self.state.fill_metadata(ticket, path, &m);
        Ok(m)
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        match self.cached_content(path) {
            Some(data) => Ok(Box::new(Cursor::new(Shared(data)))),
            None => self.inner.open_read(path),
        }
    }
}

impl<B: FsRead + FsDir> Cache<B> {
    /// `read_dir` through the listing cache.
    pub(super) fn cached_read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        let ticket = self.state.ticket();
        let Some(ino) = self.resolve(path, ticket) else {
            return self.inner.read_dir(path);
        };
        if let Some(entries) = self.state.listing_of(ino, ticket) {
            return Ok(entries.to_vec());
        }
        let entries = self.inner.read_dir(path)?;
        self.state.fill_listing(ticket, ino, &entries);
        Ok(entries)
    }
}

impl<B: FsInode> FsInode for Cache<B> {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        self.inner.path_to_inode(path)
    }

    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        self.inner.inode_to_path(inode)
    }

    fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
        self.inner.lookup(parent_inode, name)
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        let ticket = self.state.ticket();
        if let Some(m) = self.state.metadata_of(inode, ticket) {
            return Ok(m);
        }
        let m = self.inner.metadata_by_inode(inode)?;
        self.state.fill_inode_metadata(ticket, &m);
        Ok(m)
    }
}
