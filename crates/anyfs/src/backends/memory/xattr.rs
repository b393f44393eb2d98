//! [`FsXattr`]: extended attributes in a per-inode ordered map (shared by hard links, listed in
//! name order).
//!
//! Names: any non-empty UTF-8 string of at most 255 bytes without NUL. The Linux namespace rule
//! (`user.`, `trusted.`, `security.`, `system.`) is deliberately not enforced: the store is
//! not an OS filesystem, and macOS names (`com.apple.quarantine`) must survive a FUSE mount
//! there. Values are at most 64 KiB (Linux `XATTR_SIZE_MAX`); larger ones are `InvalidInput`.

use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::path::MAX_NAME_LEN;
use anyfs_backend::{FsError, FsXattr};

use super::resolve::NodeGraph;
use super::{err, MemoryBackend};

/// Largest attribute value accepted (Linux `XATTR_SIZE_MAX`).
pub const MAX_XATTR_VALUE: usize = 64 * 1024;

fn check_name(name: &str, operation: &'static str) -> Result<(), FsError> {
    if name.is_empty() {
        return Err(err::invalid(operation, "empty attribute name"));
    }
    if name.contains('\0') {
        return Err(err::invalid(
            operation,
            "attribute name contains a NUL byte",
        ));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(FsError::NameTooLong {
            path: name.to_owned(),
            operation,
        });
    }
    Ok(())
}

fn missing(path: &Path, name: &str, operation: &'static str) -> FsError {
    FsError::XattrNotFound {
        path: path.to_path_buf(),
        name: name.to_owned(),
        operation,
    }
}

/// Attributes live on the inode (shared by hard links, listed in name order) and are read and
/// written through symlinks (`getxattr`, not `lgetxattr`).
///
/// Names: any non-empty string of at most 255 bytes without NUL (`InvalidInput` /
/// `NameTooLong` otherwise). The Linux namespace rule (`user.`, `trusted.`, `security.`,
/// `system.`) is not enforced, so macOS names such as `com.apple.quarantine` work too. Values:
/// at most [`MAX_XATTR_VALUE`] bytes (`InvalidInput`). A missing attribute is `XattrNotFound`
/// (`ENODATA`).
impl FsXattr for MemoryBackend {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        const OP: &str = "get_xattr";
        check_name(name, OP)?;
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, true, OP)?;
        tree.node(ino, OP)?
            .xattrs
            .get(name)
            .cloned()
            .ok_or_else(|| missing(path, name, OP))
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        const OP: &str = "set_xattr";
        check_name(name, OP)?;
        if value.len() > MAX_XATTR_VALUE {
            return Err(err::invalid(OP, "attribute value larger than 64 KiB"));
        }
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, _) = tree.existing(path, true, OP)?;
        let node = tree.node_mut(ino, OP)?;
        match node.xattrs.get_mut(name) {
            Some(old) => {
                old.clear();
                old.extend_from_slice(value);
            }
            None => {
                node.xattrs.insert(name.to_owned(), value.to_vec());
            }
        }
        node.ctime = now;
        Ok(())
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        const OP: &str = "remove_xattr";
        check_name(name, OP)?;
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, _) = tree.existing(path, true, OP)?;
        let node = tree.node_mut(ino, OP)?;
        node.xattrs
            .remove(name)
            .ok_or_else(|| missing(path, name, OP))?;
        node.ctime = now;
        Ok(())
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        const OP: &str = "list_xattr";
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, true, OP)?;
        Ok(tree.node(ino, OP)?.xattrs.keys().cloned().collect())
    }
}
