//! `FsWrite` for the overlay: every change lands in the upper layer, copying a base file up
//! first when its content is kept (append, truncate), and shadowing it without a copy when its
//! content is replaced (write, copy, open_write).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsFull, FsWrite, Metadata};

use super::names::{self, join, split};
use super::view::{Node, Source};
use super::Overlay;

/// Where a write goes in the upper layer.
pub(super) enum Dest {
    /// An upper file (or a base file just copied up).
    Upper(PathBuf),
    /// A base file whose content is being replaced: created in the upper layer, then given the
    /// base file's attributes.
    Shadow(PathBuf, Metadata),
    /// A new file in directory `dir` (whose whiteout of the name, if any, goes once it exists).
    New(PathBuf, Node, String),
}

impl Dest {
    pub(super) fn path(&self) -> &Path {
        match self {
            Dest::Upper(p) | Dest::Shadow(p, _) | Dest::New(p, _, _) => p,
        }
    }
}

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// Where a write to `path` goes (following symlinks, so writing through a dangling symlink
    /// creates its target). `keep` copies a base file's content up first.
    pub(super) fn dest_for_writing(
        &self,
        path: &Path,
        keep: bool,
        operation: &'static str,
    ) -> Result<Dest, FsError> {
        let found = self.resolve(path, true, operation)?;
        match found.node {
            Some(node) if node.is_dir() => Err(names::is_dir(path, operation)),
            Some(node) if node.source == Source::Upper => Ok(Dest::Upper(node.path)),
            Some(node) if keep => Ok(Dest::Upper(self.copy_up(&node)?.path)),
            Some(node) => {
                let meta = match node.meta {
                    Some(m) => m,
                    None => self.base.symlink_metadata(&node.path)?,
                };
                if let Some((dir, _)) = split(&node.path) {
                    self.ensure_upper_dirs(dir)?;
                }
                Ok(Dest::Shadow(node.path, meta))
            }
            None if found.trailing_slash => Err(names::is_dir(path, operation)),
            None => {
                let (dir, name) = found
                    .parent
                    .ok_or_else(|| names::not_found(path, operation))?;
                self.ensure_upper_dirs(&dir.path)?;
                Ok(Dest::New(join(&dir.path, &name), dir, name))
            }
        }
    }

    /// Completes a write to `dest` once the upper file exists.
    pub(super) fn finish(&self, dest: &Dest) -> Result<(), FsError> {
        match dest {
            Dest::Upper(_) => Ok(()),
            Dest::Shadow(path, meta) => {
                self.upper.set_permissions(path, meta.permissions)?;
                names::ignore_unsupported(self.upper.set_owner(
                    path,
                    Some(meta.uid),
                    Some(meta.gid),
                ))
            }
            Dest::New(_, dir, name) => self.clear_whiteout(dir, name),
        }
    }

    /// The existing node `path` resolves to, copied up (for changes that keep its content).
    pub(super) fn upper_node(&self, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        let node = self.node(path, true, operation)?;
        self.copy_up(&node)
    }

    /// True when `a` and `b` are the same node (the same entry, or two hard links of one
    /// upper or base file).
    pub(super) fn same_node(a: &Node, b: &Node) -> bool {
        if a.source != b.source {
            return false;
        }
        if a.path == b.path {
            return true;
        }
        match (&a.meta, &b.meta) {
            (Some(x), Some(y)) => x.inode != 0 && x.inode == y.inode,
            _ => false,
        }
    }
}

impl<Base: FsFull, Upper: FsFull> FsWrite for Overlay<Base, Upper> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        if self.upper_only(path, "write") && self.upper.write(path, data).is_ok() {
            return Ok(());
        }
        let dest = self.dest_for_writing(path, false, "write")?;
        self.upper.write(dest.path(), data)?;
        self.finish(&dest)
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let dest = self.dest_for_writing(path, true, "append")?;
        self.upper.append(dest.path(), data)?;
        self.finish(&dest)
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "remove_file";
        if self.upper_only(path, OP) && self.upper.remove_file(path).is_ok() {
            return Ok(());
        }
        let found = self.resolve_entry(path, OP)?;
        found.require_dir(path, OP)?;
        match (found.node, found.parent) {
            (None, _) => Err(names::not_found(path, OP)),
            (Some(node), _) if node.is_dir() => Err(names::is_dir(path, OP)),
            (Some(_), None) => Err(names::is_dir(path, OP)),
            (Some(node), Some((parent, name))) => self.remove_entry(&parent, &name, &node),
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.rename_entry(from, to)
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "copy";
        let src = self.node(from, true, OP)?;
        if src.ty != FileType::File {
            return Err(names::is_dir(from, OP));
        }
        if let Some(existing) = self.resolve(to, true, OP)?.node {
            if Self::same_node(&src, &existing) {
                // Copying a file onto itself keeps it intact rather than truncating it first.
                return Ok(());
            }
        }
        let dest = self.dest_for_writing(to, false, OP)?;
        match src.source {
            Source::Upper => self.upper.copy(&src.path, dest.path())?,
            Source::Base => {
                let m = match &src.meta {
                    Some(m) => m.clone(),
                    None => self.base.symlink_metadata(&src.path)?,
                };
                let mut reader = self.base.open_read(&src.path)?;
                let mut writer = self.upper.open_write(dest.path())?;
                io::copy(&mut reader, &mut writer).map_err(|e| FsError::io(OP, to, e))?;
                writer.flush().map_err(|e| FsError::io(OP, to, e))?;
                drop(writer);
                self.upper.set_permissions(dest.path(), m.permissions)?;
            }
        }
        match &dest {
            Dest::New(..) => self.finish(&dest),
            Dest::Upper(_) | Dest::Shadow(..) => Ok(()),
        }
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        const OP: &str = "truncate";
        let node = self.node(path, true, OP)?;
        if node.is_dir() {
            return Err(names::is_dir(path, OP));
        }
        let node = self.copy_up(&node)?;
        self.upper.truncate(&node.path, size)
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let dest = self.dest_for_writing(path, false, "open_write")?;
        let writer = self.upper.open_write(dest.path())?;
        self.finish(&dest)?;
        Ok(writer)
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let node = self.upper_node(path, "set_times")?;
        self.upper.set_times(&node.path, accessed, modified)
    }
}
