//! `FsLink` and `FsPermissions` for the overlay.

use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsFull, FsLink, FsPermissions, Metadata, Permissions};

use super::names::{self, join};
use super::view::{Node, Source};
use super::Overlay;

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// The directory and name where a new link goes: `AlreadyExists` if the name is taken,
    /// `NotFound` for a trailing `/`.
    fn new_entry(&self, link: &Path, operation: &'static str) -> Result<(Node, String), FsError> {
        let found = self.resolve_entry(link, operation)?;
        if found.node.is_some() {
            return Err(names::exists(link, operation));
        }
        if found.trailing_slash {
            return Err(names::not_found(link, operation));
        }
        let (dir, name) = found.parent.ok_or_else(|| names::exists(link, operation))?;
        self.ensure_upper_dirs(&dir.path)?;
        Ok((dir, name))
    }
}

impl<Base: FsFull, Upper: FsFull> FsLink for Overlay<Base, Upper> {
    /// Stores `original` as given. An empty target is `NotFound`, as on Linux.
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "symlink";
        if original.as_os_str().is_empty() {
            return Err(names::not_found(original, OP));
        }
        if original.as_os_str().as_encoded_bytes().contains(&0) {
            return Err(FsError::InvalidPath {
                path: original.to_string_lossy().into_owned(),
                operation: OP,
                reason: "contains a NUL byte",
            });
        }
        let (dir, name) = self.new_entry(link, OP)?;
        self.upper.symlink(original, &join(&dir.path, &name))?;
        self.clear_whiteout(&dir, &name)
    }

    /// Links the node `original` names (a symlink is linked, not followed). A base file is
    /// copied up first, so both names share the upper copy.
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "hard_link";
        let source = self.resolve_entry(original, OP)?;
        source.require_dir(original, OP)?;
        let node = source.existing(original, OP)?;
        if node.is_dir() {
            return Err(names::is_dir(original, OP));
        }
        let (dir, name) = self.new_entry(link, OP)?;
        let node = self.copy_up(&node)?;
        self.upper.hard_link(&node.path, &join(&dir.path, &name))?;
        self.clear_whiteout(&dir, &name)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        const OP: &str = "read_link";
        let node = self.node(path, false, OP)?;
        match node.source {
            Source::Upper => self.upper.read_link(&node.path),
            Source::Base => self.base.read_link(&node.path),
        }
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        const OP: &str = "symlink_metadata";
        let node = self.node(path, false, OP)?;
        self.metadata_of(&node)
    }
}

impl<Base: FsFull, Upper: FsFull> FsPermissions for Overlay<Base, Upper> {
    /// Copies the node up (a directory: created in the upper layer) and changes it there.
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        let node = self.upper_node(path, "set_permissions")?;
        self.upper.set_permissions(&node.path, perm)
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let node = self.upper_node(path, "set_owner")?;
        self.upper.set_owner(&node.path, uid, gid)
    }
}
