//! [`FsXattr`] through the quota: attribute names and values count toward the total size, so
//! attributes are not a way around it.

use std::path::Path;

use anyfs_backend::{FsError, FsXattr};

use super::Quota;

impl<B: FsXattr> Quota<B> {
    /// Bytes the attribute `name` of `path` takes now (name and value; 0 if absent).
    fn xattr_bytes(&self, path: &Path, name: &str) -> Result<u64, FsError> {
        match self.inner.get_xattr(path, name) {
            Ok(value) => Ok((name.len() + value.len()) as u64),
            Err(FsError::XattrNotFound { .. }) => Ok(0),
            Err(e) => Err(e),
        }
    }
}

impl<B: FsXattr> FsXattr for Quota<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        self.inner.get_xattr(path, name)
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        let mut ledger = self.ledger("set_xattr")?;
        let Some(node) = self.view().stat(path)? else {
            return self.inner.set_xattr(path, name, value);
        };
        let old = self.xattr_bytes(path, name)?;
        let new = (name.len() + value.len()) as u64;
        if new > old {
            self.limits
                .check_bytes(ledger.usage.total_size, new - old)?;
        }
        self.inner.set_xattr(path, name, value)?;
        ledger.resize_xattr(node.inode, old, new);
        Ok(())
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        let mut ledger = self.ledger("remove_xattr")?;
        let Some(node) = self.view().stat(path)? else {
            return self.inner.remove_xattr(path, name);
        };
        let old = self.xattr_bytes(path, name)?;
        self.inner.remove_xattr(path, name)?;
        ledger.resize_xattr(node.inode, old, 0);
        Ok(())
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        self.inner.list_xattr(path)
    }
}
