//! [`FsLink`]: symlinks are nodes holding their target as data; hard links are extra directory
//! entries for the same inode.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use anyfs_backend::path::Resolution;
use anyfs_backend::{FileType, FsError, FsLink, Metadata};

use super::node::Kind;
use super::resolve::NodeGraph;
use super::{err, MemoryBackend};

impl FsLink for MemoryBackend {
    /// Stores `original` as given (relative or absolute; it need not exist). An empty target
    /// is `NotFound`, as on Linux.
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "symlink";
        if original.as_os_str().is_empty() {
            return Err(err::not_found(original, OP));
        }
        if original.as_os_str().as_encoded_bytes().contains(&0) {
            return Err(FsError::InvalidPath {
                path: original.to_string_lossy().into_owned(),
                operation: OP,
                reason: "contains a NUL byte",
            });
        }
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let found = tree.resolve_entry(link, OP)?;
        if found.node.is_some() {
            return Err(err::exists(link, OP));
        }
        if found.trailing_slash {
            return Err(err::not_found(link, OP));
        }
        let (parent, name) = found.parent.ok_or_else(|| err::exists(link, OP))?;
        let kind = Kind::Symlink(original.to_path_buf());
        tree.create(parent, &name, kind, 0o777, now, link, OP)
            .map(|_| ())
    }

    /// Links the node `original` names itself: a symlink is linked, not followed (as Linux
    /// `link(2)` does). Directories cannot be hard-linked (`NotAFile`).
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "hard_link";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let source = tree.resolve_entry(original, OP)?;
        let (ino, ty) = source.node.ok_or_else(|| err::not_found(original, OP))?;
        source.require_dir(original, OP)?;
        if ty == FileType::Directory {
            return Err(err::is_dir(original, OP));
        }
        let found = tree.resolve_entry(link, OP)?;
        if found.node.is_some() {
            return Err(err::exists(link, OP));
        }
        if found.trailing_slash {
            return Err(err::not_found(link, OP));
        }
        let (parent, name) = found.parent.ok_or_else(|| err::exists(link, OP))?;
        tree.link(parent, &name, ino, now, link, OP)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        const OP: &str = "read_link";
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, false, OP)?;
        match &tree.node(ino, OP)?.kind {
            Kind::Symlink(target) => Ok(target.clone()),
            _ => Err(err::invalid(OP, "not a symbolic link")),
        }
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        const OP: &str = "symlink_metadata";
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, false, OP)?;
        Ok(tree.node(ino, OP)?.metadata(ino))
    }

    /// One walk over the inode table (see `path.rs`), instead of one `symlink_metadata` per
    /// component.
    fn resolve_path(
        &self,
        path: &Path,
        follow_final: bool,
        operation: &'static str,
    ) -> Option<Result<Resolution, FsError>> {
        Some(self.resolution(path, follow_final, operation))
    }

    /// A counter changed under the table's lock where symlink nodes are created and freed,
    /// read here without it: one atomic load.
    fn symlink_free(&self) -> bool {
        self.inner.symlinks.load(Ordering::Acquire) == 0
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use anyfs_backend::{FsDir, FsLink, FsWrite};

    use crate::MemoryBackend;

    /// The lock-free count follows every way a symlink node appears or goes, and a snapshot
    /// counts its own.
    #[test]
    fn symlink_free_follows_creation_removal_and_snapshots() {
        let fs = MemoryBackend::new();
        assert!(fs.symlink_free());
        fs.write(Path::new("/f"), b"x").unwrap();
        fs.hard_link(Path::new("/f"), Path::new("/g")).unwrap();
        assert!(fs.symlink_free());
        fs.symlink(Path::new("/f"), Path::new("/l")).unwrap();
        assert!(!fs.symlink_free());
        assert!(!fs.clone().symlink_free());
        let copy = fs.snapshot();
        // A second name for the symlink node: still one node until both names are gone.
        fs.hard_link(Path::new("/l"), Path::new("/l2")).unwrap();
        fs.remove_file(Path::new("/l")).unwrap();
        assert!(!fs.symlink_free());
        fs.remove_file(Path::new("/l2")).unwrap();
        assert!(fs.symlink_free());
        assert!(!copy.symlink_free());
        fs.create_dir(Path::new("/d")).unwrap();
        fs.symlink(Path::new("/f"), Path::new("/d/l")).unwrap();
        assert!(!fs.symlink_free());
        fs.remove_dir_all(Path::new("/d")).unwrap();
        assert!(fs.symlink_free());
        copy.remove_file(Path::new("/l")).unwrap();
        assert!(copy.symlink_free());
    }
}
