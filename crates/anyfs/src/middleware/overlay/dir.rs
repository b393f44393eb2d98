//! `FsDir` for the overlay: merged listings, directories created in the upper layer (opaque
//! when they replace a deleted base directory), removal as one whiteout.

use std::path::Path;

use anyfs_backend::{DirEntry, FsDir, FsError, FsFull};

use super::names::{self, join};
use super::Overlay;

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// `mkdir(2)` in the merged tree: a final symlink is not followed.
    fn mkdir(&self, path: &Path, operation: &'static str) -> Result<(), FsError> {
        let found = self.resolve_entry(path, operation)?;
        if found.node.is_some() {
            return Err(names::exists(path, operation));
        }
        let (parent, name) = found.parent.ok_or_else(|| names::exists(path, operation))?;
        if names::is_reserved(&name) {
            return Err(names::reserved(&name, operation));
        }
        self.ensure_upper_dirs(&parent.path)?;
        let child = join(&parent.path, &name);
        let opaque = self.needs_opaque(&parent, &child)?;
        self.create_upper_dir(&child, opaque)?;
        self.clear_whiteout(&parent, &name)
    }

    /// Whether `path` already is a directory (through symlinks), for `mkdir -p`: `Ok(false)`
    /// when it does not exist, `AlreadyExists` when it is something else.
    fn is_existing_dir(&self, path: &Path, operation: &'static str) -> Result<bool, FsError> {
        let found = self.resolve(path, false, operation)?;
        match found.node {
            None => Ok(false),
            Some(n) if n.is_dir() => Ok(true),
            Some(n) if n.ty == anyfs_backend::FileType::Symlink => {
                match self.resolve(path, true, operation)?.node {
                    Some(t) if t.is_dir() => Ok(true),
                    _ => Err(names::exists(path, operation)),
                }
            }
            Some(_) => Err(names::exists(path, operation)),
        }
    }
}

impl<Base: FsFull, Upper: FsFull> FsDir for Overlay<Base, Upper> {
    /// The merged listing (sorted by name): upper entries, and base entries that are neither
    /// shadowed nor whited out. O(entries of both layers).
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        const OP: &str = "read_dir";
        let node = self.node(path, true, OP)?;
        if !node.is_dir() {
            return Err(names::not_dir(path, OP));
        }
        Ok(self.list(&node)?.into_values().collect())
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.mkdir(path, "create_dir")
    }

    /// `mkdir -p`. Safe to race with itself: a directory another call created in between is
    /// accepted.
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "create_dir_all";
        anyfs_backend::path::validate(path, OP)?;
        let mut missing = Vec::new();
        for ancestor in path.ancestors() {
            match self.is_existing_dir(ancestor, OP) {
                Ok(true) => break,
                Ok(false) | Err(FsError::NotFound { .. }) => missing.push(ancestor),
                Err(e) => return Err(e),
            }
        }
        for dir in missing.into_iter().rev() {
            match self.mkdir(dir, OP) {
                Ok(()) => {}
                Err(FsError::AlreadyExists { .. }) if self.is_existing_dir(dir, OP)? => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir";
        let found = self.resolve_entry(path, OP)?;
        let Some(node) = found.node.clone() else {
            return Err(names::not_found(path, OP));
        };
        if !node.is_dir() {
            return Err(names::not_dir(path, OP));
        }
        found.require_named(OP)?;
        let (parent, name) = found.parent.ok_or_else(|| names::root_busy(OP))?;
        if !self.list(&node)?.is_empty() {
            return Err(names::not_empty(path, OP));
        }
        self.remove_entry(&parent, &name, &node)
    }

    /// Removes a directory and everything below it: one whiteout hides the base's part,
    /// whatever its size (O(1) in the base); the upper part is removed (O(its size)).
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir_all";
        let found = self.resolve_entry(path, OP)?;
        let Some(node) = found.node.clone() else {
            return Err(names::not_found(path, OP));
        };
        if node.ty == anyfs_backend::FileType::File {
            return Err(names::not_dir(path, OP));
        }
        found.require_dir(path, OP)?;
        found.require_named(OP)?;
        let (parent, name) = found.parent.ok_or_else(|| names::root_busy(OP))?;
        self.remove_entry(&parent, &name, &node)
    }
}
