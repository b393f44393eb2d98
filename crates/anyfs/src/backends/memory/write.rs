//! [`FsWrite`]: each call takes the inode table's write lock once, so every operation is atomic
//! with respect to every other.

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsWrite, Metadata};

use super::content::Content;
use super::data::{replace_file, set_len, write_file};
use super::node::Kind;
use super::resolve::NodeGraph;
use super::streams::WriteStream;
use super::tree::Tree;
use super::{err, MemoryBackend};

/// The file `path` names for writing (following symlinks, so writing through a dangling symlink
/// creates its target, as `open(O_CREAT)` does), creating it empty if missing. Returns the
/// inode and whether it was just created.
fn file_for_writing(
    tree: &mut Tree,
    path: &Path,
    now: SystemTime,
    operation: &'static str,
) -> Result<(u64, bool), FsError> {
    let found = tree.resolve(path, true, operation)?;
    match found.node {
        Some((_, FileType::Directory)) => Err(err::is_dir(path, operation)),
        Some((ino, _)) => Ok((ino, false)),
        None if found.trailing_slash => Err(err::is_dir(path, operation)),
        None => {
            let (parent, name) = found
                .parent
                .ok_or_else(|| err::not_found(path, operation))?;
            let kind = Kind::File(Content::default());
            let ino = tree.create(parent, &name, kind, 0o644, now, path, operation)?;
            Ok((ino, true))
        }
    }
}

/// Removes the entry a just-created file got when filling it failed (quota), so a failed write
/// leaves no empty file behind.
fn undo_create(tree: &mut Tree, path: &Path, now: SystemTime, operation: &'static str) {
    if let Ok(found) = tree.resolve(path, true, operation) {
        if let Some((parent, name)) = found.parent {
            let _ = tree.unlink(parent, &name, now, operation);
        }
    }
}

/// What `write` and `remove_file` hand back: nothing, or (for `write_replacing` and
/// `remove_file_reporting`) the metadata of the node before the change. A type rather than a
/// flag, so the plain calls carry no metadata around.
trait Report: Sized {
    fn of(tree: &Tree, ino: Option<u64>, operation: &'static str) -> Result<Self, FsError>;
}

impl Report for () {
    #[inline]
    fn of(_: &Tree, _: Option<u64>, _: &'static str) -> Result<(), FsError> {
        Ok(())
    }
}

impl Report for Option<Metadata> {
    fn of(tree: &Tree, ino: Option<u64>, operation: &'static str) -> Result<Self, FsError> {
        ino.map(|ino| Ok(tree.node(ino, operation)?.metadata(ino)))
            .transpose()
    }
}

impl MemoryBackend {
    /// `write`, reporting the file it replaced (`None` if it created one).
    #[inline]
    fn write_whole<R: Report>(&self, path: &Path, data: &[u8]) -> Result<R, FsError> {
        const OP: &str = "write";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, created) = file_for_writing(&mut tree, path, now, OP)?;
        let replaced = R::of(&tree, (!created).then_some(ino), OP)?;
        let result = replace_file(&mut tree, ino, data, now, path, OP);
        if result.is_err() && created {
            undo_create(&mut tree, path, now, OP);
        }
        result.map(|()| replaced)
    }

    /// `remove_file`, reporting the metadata the name had before.
    #[inline]
    fn remove_name<R: Report>(&self, path: &Path) -> Result<R, FsError> {
        const OP: &str = "remove_file";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let found = tree.resolve_entry(path, OP)?;
        found.require_dir(path, OP)?;
        match (found.node, found.parent) {
            (None, _) => Err(err::not_found(path, OP)),
            (Some((_, FileType::Directory)), _) | (_, None) => Err(err::is_dir(path, OP)),
            (Some((ino, _)), Some((parent, name))) => {
                tree.check_entry(parent, &name, ino, OP)?;
                let removed = R::of(&tree, Some(ino), OP)?;
                tree.unlink(parent, &name, now, OP)?;
                Ok(removed)
            }
        }
    }
}

impl FsWrite for MemoryBackend {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.write_whole::<()>(path, data)
    }

    /// One step under the write lock: what it replaced is read where it is replaced.
    fn write_replacing(
        &self,
        path: &Path,
        data: &[u8],
    ) -> Option<Result<Option<Metadata>, FsError>> {
        Some(self.write_whole::<Option<Metadata>>(path, data))
    }

    fn remove_file_reporting(&self, path: &Path) -> Option<Result<Metadata, FsError>> {
        Some(
            self.remove_name::<Option<Metadata>>(path)
                .and_then(|m| m.ok_or_else(|| err::corrupt("remove_file"))),
        )
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        const OP: &str = "append";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, created) = file_for_writing(&mut tree, path, now, OP)?;
        let result = write_file(&mut tree, ino, None, data, now, Some(path), OP);
        if result.is_err() && created {
            undo_create(&mut tree, path, now, OP);
        }
        result
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.remove_name::<()>(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "rename";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let Some(m) = tree.plan_rename(from, to, OP)? else {
            return Ok(());
        };
        tree.move_entry(
            m.src_dir,
            &m.src_name,
            m.dst_dir,
            &m.dst_name,
            m.replace,
            now,
            to,
            OP,
        )
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "copy";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (src, _) = tree.existing(from, true, OP)?;
        let source = tree.node(src, OP)?;
        if !matches!(source.kind, Kind::File(_)) {
            return Err(err::is_dir(from, OP));
        }
        let mode = source.mode;
        let (dst, created) = file_for_writing(&mut tree, to, now, OP)?;
        if dst == src {
            // Copying a file onto itself keeps it intact rather than truncating it first.
            return Ok(());
        }
        // One copy of the bytes: the source cannot be borrowed while the destination is
        // mutated in the same table.
        let data = match &tree.node(src, OP)?.kind {
            Kind::File(bytes) => bytes.clone(),
            _ => return Err(err::corrupt(OP)),
        };
        let result = replace_file(&mut tree, dst, &data, now, to, OP);
        if result.is_err() && created {
            undo_create(&mut tree, to, now, OP);
            return result;
        }
        result?;
        let node = tree.node_mut(dst, OP)?;
        node.mode = mode;
        node.ctime = now;
        Ok(())
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        const OP: &str = "truncate";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, ty) = tree.existing(path, true, OP)?;
        if ty == FileType::Directory {
            return Err(err::is_dir(path, OP));
        }
        set_len(&mut tree, ino, size, now, path, OP)
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        Ok(Box::new(WriteStream::open(self.inner.clone(), path)?))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        const OP: &str = "set_times";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, _) = tree.existing(path, true, OP)?;
        let node = tree.node_mut(ino, OP)?;
        if let Some(t) = accessed {
            node.atime = t;
        }
        if let Some(t) = modified {
            node.mtime = t;
        }
        node.ctime = now;
        Ok(())
    }
}
