//! Copy-up and the upper-layer bookkeeping every mutation shares: directories created on
//! demand, files copied before their first change, whiteouts placed and cleared, opaque
//! directories.

use std::io;
use std::path::Path;

use anyfs_backend::{FileType, FsError, FsFull, Metadata};

use super::names::{self, ignore_missing, ignore_unsupported, join, opaque_marker, scratch_in};
use super::view::{Node, Source};
use super::Overlay;

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// Gives `path` (a node's upper copy) the permissions, owner and times of `m`. Attributes
    /// the upper layer does not keep are skipped.
    fn copy_attrs(&self, path: &Path, m: &Metadata) -> Result<(), FsError> {
        if m.file_type != FileType::Symlink {
            self.upper.set_permissions(path, m.permissions)?;
        }
        ignore_unsupported(self.upper.set_owner(path, Some(m.uid), Some(m.gid)))?;
        if m.file_type != FileType::Symlink && (m.accessed.is_some() || m.modified.is_some()) {
            ignore_unsupported(self.upper.set_times(path, m.accessed, m.modified))?;
        }
        Ok(())
    }

    /// Makes sure the directory at canonical `path` exists in the upper layer, copying up each
    /// missing ancestor from the base (with its attributes). O(depth).
    pub(super) fn ensure_upper_dirs(&self, path: &Path) -> Result<(), FsError> {
        let mut missing = Vec::new();
        for ancestor in path.ancestors() {
            match self.upper.symlink_metadata(ancestor) {
                Ok(m) if m.is_dir() => break,
                Ok(_) => return Err(names::not_dir(path, "copy_up")),
                Err(FsError::NotFound { .. }) => missing.push(ancestor),
                Err(e) => return Err(e),
            }
        }
        for dir in missing.into_iter().rev() {
            let base = self.base.symlink_metadata(dir)?;
            match self.upper.create_dir(dir) {
                Ok(()) => self.copy_attrs(dir, &base)?,
                // A concurrent copy-up made it first.
                Err(FsError::AlreadyExists { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Copies a base node into the upper layer at its own path (files with their content,
    /// symlinks with their target, directories as empty merged directories) and returns the
    /// upper node. Files are copied to a scratch name and renamed into place, so the copy
    /// appears whole or not at all.
    pub(super) fn copy_up(&self, node: &Node) -> Result<Node, FsError> {
        if node.source == Source::Upper {
            return Ok(node.clone());
        }
        self.copy_to(node, &node.path, false)?;
        Ok(Node {
            source: Source::Upper,
            merged: node.is_dir(),
            meta: None,
            ..node.clone()
        })
    }

    /// Copies the base or upper node `node` (file or symlink; a directory is created empty) to
    /// the upper path `dest`. The copy is built under a scratch name, then moved into place:
    /// with `replace`, by `rename` (over whatever is there); without, by `hard_link`, which
    /// fails if `dest` appeared meanwhile, and then the existing copy (another thread's
    /// copy-up, possibly already changed) is kept.
    pub(super) fn copy_to(&self, node: &Node, dest: &Path, replace: bool) -> Result<(), FsError> {
        let m = match &node.meta {
            Some(m) => m.clone(),
            None => self.provider_metadata(node)?,
        };
        let parent = dest.parent().unwrap_or(Path::new("/"));
        self.ensure_upper_dirs(parent)?;
        match node.ty {
            FileType::Directory => {
                self.ensure_upper_dirs(dest)?;
                self.copy_attrs(dest, &m)
            }
            FileType::Symlink => {
                let target = match node.source {
                    Source::Upper => self.upper.read_link(&node.path)?,
                    Source::Base => self.base.read_link(&node.path)?,
                };
                let scratch = scratch_in(parent);
                self.upper.symlink(&target, &scratch)?;
                self.place(&scratch, dest, replace)
            }
            FileType::File => {
                let scratch = scratch_in(parent);
                let copied = self
                    .stream_copy(node, &scratch)
                    .and_then(|()| self.copy_attrs(&scratch, &m));
                match copied {
                    Ok(()) => self.place(&scratch, dest, replace),
                    Err(e) => {
                        let _ = self.upper.remove_file(&scratch);
                        Err(e)
                    }
                }
            }
        }
    }

    /// Moves the finished scratch copy to `dest` (see [`copy_to`](Self::copy_to)).
    fn place(&self, scratch: &Path, dest: &Path, replace: bool) -> Result<(), FsError> {
        if replace {
            return self.upper.rename(scratch, dest);
        }
        let linked = self.upper.hard_link(scratch, dest);
        let removed = self.upper.remove_file(scratch);
        match linked {
            Ok(()) | Err(FsError::AlreadyExists { .. }) => removed,
            Err(e) => Err(e),
        }
    }

    fn provider_metadata(&self, node: &Node) -> Result<Metadata, FsError> {
        match node.source {
            Source::Upper => self.upper.symlink_metadata(&node.path),
            Source::Base => self.base.symlink_metadata(&node.path),
        }
    }

    /// Streams the content of file `node` into the upper path `dest` (O(1) memory).
    fn stream_copy(&self, node: &Node, dest: &Path) -> Result<(), FsError> {
        let mut reader = match node.source {
            Source::Upper => self.upper.open_read(&node.path)?,
            Source::Base => self.base.open_read(&node.path)?,
        };
        let mut writer = self.upper.open_write(dest)?;
        io::copy(&mut reader, &mut writer).map_err(|e| FsError::io("copy_up", dest, e))?;
        io::Write::flush(&mut writer).map_err(|e| FsError::io("copy_up", dest, e))
    }

    /// Creates the directory `path` in the upper layer (its parent exists there). When it must
    /// hide a base directory at the same path, it is built opaque under a scratch name and
    /// renamed into place, so the base's content never shows through, even for a moment.
    pub(super) fn create_upper_dir(&self, path: &Path, opaque: bool) -> Result<(), FsError> {
        if !opaque {
            return self.upper.create_dir(path);
        }
        let parent = path.parent().unwrap_or(Path::new("/"));
        let scratch = scratch_in(parent);
        self.upper.create_dir(&scratch)?;
        let made = self
            .upper
            .write(&opaque_marker(&scratch), b"")
            .and_then(|()| self.upper.rename(&scratch, path));
        match made {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.upper.remove_dir_all(&scratch);
                // Another caller created the directory meanwhile (rename cannot replace a
                // non-empty directory): report it as mkdir would.
                match self.upper.symlink_metadata(path) {
                    Ok(_) => Err(names::exists(path, "create_dir")),
                    Err(_) => Err(e),
                }
            }
        }
    }

    /// Whether a new upper directory at `path` (in merged directory `parent`) must be opaque:
    /// the base has a directory there that would otherwise merge into it.
    pub(super) fn needs_opaque(&self, parent: &Node, path: &Path) -> Result<bool, FsError> {
        Ok(parent.sees_base() && self.base_entry(path)?.is_some_and(|m| m.is_dir()))
    }

    /// Removes the whiteout of `name` in the merged directory `parent`, if it can have one
    /// (the base has an entry there), after an upper entry of that name was created (which
    /// already shadows the base, so the order is safe).
    pub(super) fn clear_whiteout(&self, parent: &Node, name: &str) -> Result<(), FsError> {
        if !parent.sees_base() || self.base_entry(&join(&parent.path, name))?.is_none() {
            return Ok(());
        }
        ignore_missing(
            self.upper
                .remove_file(&names::whiteout_of(&parent.path, name)),
        )
    }

    /// Makes the merged entry `name` of `parent` (the node `node`) disappear: a whiteout when
    /// the base has something there, then removal of the upper part. O(1) in the size of the
    /// base (a removed base directory is one whiteout, however large), O(size) of the upper
    /// part.
    pub(super) fn remove_entry(
        &self,
        parent: &Node,
        name: &str,
        node: &Node,
    ) -> Result<(), FsError> {
        let path = join(&parent.path, name);
        if parent.sees_base() && self.base_entry(&path)?.is_some() {
            self.ensure_upper_dirs(&parent.path)?;
            // The whiteout comes first: while the upper entry exists it still wins, so the
            // base entry never reappears in between.
            self.place_whiteout(&parent.path, name)?;
        }
        if node.source == Source::Upper {
            if node.is_dir() {
                self.upper.remove_dir_all(&path)?;
            } else {
                self.upper.remove_file(&path)?;
            }
        }
        Ok(())
    }

    /// Copies the merged directory `src` (recursively, whatever layer each entry is in) to the
    /// new upper directory `dest`. O(size of the subtree).
    pub(super) fn copy_tree(&self, src: &Node, dest: &Path, opaque: bool) -> Result<(), FsError> {
        self.create_upper_dir(dest, opaque)?;
        let m = self.provider_metadata(src)?;
        for (name, _) in self.list(src)? {
            let Some(name) = name.to_str() else {
                continue;
            };
            let Some(child) = self.child(src, name)? else {
                continue;
            };
            let child_dest = join(dest, name);
            if child.is_dir() {
                self.copy_tree(&child, &child_dest, false)?;
            } else {
                self.copy_to(&child, &child_dest, true)?;
            }
        }
        self.copy_attrs(dest, &m)
    }
}
