//! The mutations: each forwarded, then the entries it may have changed invalidated (see the
//! table in the module docs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::{
    DirEntry, FsDir, FsError, FsLink, FsPermissions, FsRead, FsWrite, FsXattr, Metadata,
    Permissions,
};

use super::handles::InvalidatingWriter;
use super::Cache;
use crate::middleware::forward::forward;

forward!(Cache.inner => FsSync, FsStats, FsLock, FsPath, SelfResolving);

/// The node a mutation is about to touch, found before it runs.
pub(super) struct Target {
    namespace: u64,
    ino: Option<u64>,
}

impl<B: FsRead> Cache<B> {
    pub(super) fn target(&self, path: &Path) -> Target {
        let ticket = self.state.ticket();
        Target {
            namespace: ticket.namespace,
            ino: self.resolve(path, ticket),
        }
    }

    /// After the content of the file at `path` (found as `target` before) was written. A file
    /// that did not resolve before was created (a namespace change); its new inode is looked up
    /// so a stale entry under a reused inode number goes too. A namespace change that happened
    /// meanwhile (another thread) means `target` may be outdated, so names go as well.
    pub(super) fn content_written(&self, path: &Path, target: Target) -> Option<u64> {
        let created = target.ino.is_none();
        let ino = target.ino.or_else(|| {
            self.inner
                .metadata(path)
                .ok()
                .map(|m| m.inode)
                .filter(|&i| i != 0)
        });
        let moved = self.state.namespace() != target.namespace;
        self.state.invalidate_node(ino, created || moved);
        ino
    }

    fn metadata_written(&self, target: Target) {
        let moved = self.state.namespace() != target.namespace;
        if moved {
            self.state.invalidate_node(target.ino, true);
        } else {
            self.state.invalidate_metadata(target.ino);
        }
    }

    /// After a namespace change that may have freed the node `target` (its inode number may be
    /// reused, so its content goes too).
    fn names_changed(&self, target: Option<Target>) {
        match target.and_then(|t| t.ino) {
            Some(ino) => self.state.invalidate_node(Some(ino), true),
            None => self.state.invalidate_names(),
        }
    }
}

impl<B: FsRead + FsWrite> FsWrite for Cache<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.write(path, data);
        self.content_written(path, target);
        result
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.append(path, data);
        self.content_written(path, target);
        result
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.remove_file(path);
        self.names_changed(Some(target));
        result
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let replaced = self.target(to);
        let result = self.inner.rename(from, to);
        self.names_changed(Some(replaced));
        result
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(to);
        let result = self.inner.copy(from, to);
        self.content_written(to, target);
        result
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.truncate(path, size);
        self.content_written(path, target);
        result
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.open_write(path);
        let ino = self.content_written(path, target);
        let writer = result?;
        Ok(Box::new(InvalidatingWriter::new(
            writer,
            self.state.clone(),
            ino,
        )))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.set_times(path, accessed, modified);
        self.metadata_written(target);
        result
    }
}

impl<B: FsRead + FsDir> FsDir for Cache<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        self.cached_read_dir(path)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.create_dir(path);
        self.names_changed(None);
        result
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.create_dir_all(path);
        self.names_changed(None);
        result
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.remove_dir(path);
        self.names_changed(None);
        result
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.remove_dir_all(path);
        // A whole subtree of inodes was freed; their numbers may be reused.
        self.state.invalidate_all();
        result
    }
}

impl<B: FsRead + FsLink> FsLink for Cache<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.symlink(original, link);
        self.names_changed(None);
        result
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.hard_link(original, link);
        self.names_changed(None);
        result
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.inner.read_link(path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.inner.symlink_metadata(path)
    }
}

impl<B: FsRead + FsPermissions> FsPermissions for Cache<B> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.set_permissions(path, perm);
        self.metadata_written(target);
        result
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.set_owner(path, uid, gid);
        self.metadata_written(target);
        result
    }
}

impl<B: FsRead + FsXattr> FsXattr for Cache<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        self.inner.get_xattr(path, name)
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.set_xattr(path, name, value);
        self.metadata_written(target);
        result
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.remove_xattr(path, name);
        self.metadata_written(target);
        result
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        self.inner.list_xattr(path)
    }
}
