//! [`FsDir`]: directories are ordered maps, so `read_dir` lists names in byte order, the same
//! order every time.

use std::ffi::OsString;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{DirEntry, FileType, FsDir, FsError};

use super::node::{Dir, Kind};
use super::resolve::NodeGraph;
use super::tree::Tree;
use super::{err, MemoryBackend};

/// `mkdir(2)`: a final symlink is not followed (an existing symlink, even dangling, is
/// `AlreadyExists`).
fn mkdir(
    tree: &mut Tree,
    path: &Path,
    now: SystemTime,
    operation: &'static str,
) -> Result<(), FsError> {
    let found = tree.resolve_entry(path, operation)?;
    if found.node.is_some() {
        return Err(err::exists(path, operation));
    }
    let (parent, name) = found.parent.ok_or_else(|| err::exists(path, operation))?;
    let kind = Kind::Dir(Dir::default());
    tree.create(parent, &name, kind, 0o755, now, path, operation)
        .map(|_| ())
}

/// Whether `path` already is a directory (through symlinks) for `mkdir -p`: `Ok(false)` when
/// it does not exist, `AlreadyExists` when it is something else.
fn is_existing_dir(tree: &Tree, path: &Path, operation: &'static str) -> Result<bool, FsError> {
    let found = tree.resolve(path, false, operation)?;
    match found.node {
        None => Ok(false),
        Some((_, FileType::Directory)) => Ok(true),
        Some((_, FileType::Symlink)) => match tree.resolve(path, true, operation)?.node {
            Some((_, FileType::Directory)) => Ok(true),
            _ => Err(err::exists(path, operation)),
        },
        Some(_) => Err(err::exists(path, operation)),
    }
}

impl FsDir for MemoryBackend {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        const OP: &str = "read_dir";
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, true, OP)?;
        let Kind::Dir(dir) = &tree.node(ino, OP)?.kind else {
            return Err(err::not_dir(path, OP));
        };
        Ok(dir
            .entries
            .iter()
            .map(|(name, entry)| DirEntry {
                name: OsString::from(&**name),
                inode: entry.ino,
                file_type: entry.ty,
            })
            .collect())
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        mkdir(&mut tree, path, now, "create_dir")
    }

    /// `mkdir -p`, under one write lock, so concurrent calls on the same path cannot race.
    /// Missing ancestors are found by lexical parents, as `std::fs::create_dir_all` does.
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "create_dir_all";
        // Every ancestor of a valid (absolute) path is valid, down to `/`, which exists.
        anyfs_backend::path::validate(path, OP)?;
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        // The ancestors to create, deepest first; stop at the first that exists.
        let mut missing = Vec::new();
        for ancestor in path.ancestors() {
            match is_existing_dir(&tree, ancestor, OP) {
                Ok(true) => break,
                Ok(false) => missing.push(ancestor),
                // A missing intermediate directory: create that one first.
                Err(FsError::NotFound { .. }) => missing.push(ancestor),
                Err(e) => return Err(e),
            }
        }
        for dir in missing.into_iter().rev() {
            if !is_existing_dir(&tree, dir, OP)? {
                mkdir(&mut tree, dir, now, OP)?;
            }
        }
        Ok(())
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let found = tree.resolve_entry(path, OP)?;
        let (ino, ty) = found.node.ok_or_else(|| err::not_found(path, OP))?;
        if ty != FileType::Directory {
            return Err(err::not_dir(path, OP));
        }
        found.require_named(OP)?;
        let (parent, name) = found.parent.ok_or_else(|| err::root_busy(OP))?;
        tree.check_entry(parent, &name, ino, OP)?;
        if let Kind::Dir(d) = &tree.node(ino, OP)?.kind {
            if !d.entries.is_empty() {
                return Err(err::not_empty(path, OP));
            }
        }
        tree.unlink(parent, &name, now, OP).map(|_| ())
    }

    /// Removes the subtree in O(its size); symlinks inside are removed, never followed. A
    /// symlink given as `path` is removed itself; a file is `NotADirectory`.
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_dir_all";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let found = tree.resolve_entry(path, OP)?;
        let (ino, ty) = found.node.ok_or_else(|| err::not_found(path, OP))?;
        if ty == FileType::File {
            return Err(err::not_dir(path, OP));
        }
        found.require_dir(path, OP)?;
        found.require_named(OP)?;
        let (parent, name) = found.parent.ok_or_else(|| err::root_busy(OP))?;
        tree.check_entry(parent, &name, ino, OP)?;
        tree.unlink(parent, &name, now, OP).map(|_| ())
    }
}
