//! Open handles with positional I/O ([`FsHandles`]). A handle keeps its inode alive after the
//! last name is removed (POSIX unlink-while-open); the streams of `open_read` / `open_write`
//! are handles underneath (see `streams.rs`).

use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, FsHandles, Handle, OpenFlags};

use super::content::Content;
use super::data::{set_len, write_file};
use super::node::Kind;
use super::resolve::NodeGraph;
use super::tree::OpenFile;
use super::{err, Inner, MemoryBackend};

impl Inner {
    /// `open(2)`: resolves (following a final symlink unless `CREATE | EXCLUSIVE`), creates or
    /// truncates as the flags say, and registers a handle.
    pub(super) fn open(
        &self,
        path: &Path,
        flags: OpenFlags,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        let create = flags.contains(OpenFlags::CREATE);
        let exclusive = create && flags.contains(OpenFlags::EXCLUSIVE);
        let now = SystemTime::now();
        let mut tree = self.tree.write();
        // O_EXCL: any existing name fails, even a dangling symlink.
        let found = tree.resolve(path, !exclusive, operation)?;
        let ino = match found.node {
            Some(_) if exclusive => return Err(err::exists(path, operation)),
            Some((_, FileType::Directory)) => return Err(err::is_dir(path, operation)),
            Some((ino, _)) => {
                if flags.contains(OpenFlags::TRUNCATE) {
                    set_len(&mut tree, ino, 0, now, path, operation)?;
                }
                ino
            }
            None if !create => return Err(err::not_found(path, operation)),
            None if found.trailing_slash => return Err(err::is_dir(path, operation)),
            None => {
                let (parent, name) = found
                    .parent
                    .ok_or_else(|| err::not_found(path, operation))?;
                let kind = Kind::File(Content::default());
                tree.create(parent, &name, kind, 0o644, now, path, operation)?
            }
        };
        let handle = tree.next_handle;
        tree.next_handle += 1;
        tree.handles.insert(handle, OpenFile { ino, flags });
        let node = tree.node_mut(ino, operation)?;
        node.open = node.open.saturating_add(1);
        // Registered while the table is still held, so a racing close of the same number
        // cannot slip between the two tables.
        self.locks.register(handle, ino);
        Ok(handle)
    }

    pub(super) fn read_at(
        &self,
        handle: u64,
        buf: &mut [u8],
        offset: u64,
        operation: &'static str,
    ) -> Result<usize, FsError> {
        let tree = self.tree.read();
        let open = tree
            .handles
            .get(&handle)
            .ok_or_else(|| err::bad_handle(handle, operation))?;
        if !open.can_read() {
            return Err(FsError::HandleAccess {
                handle,
                operation,
                access: "reading",
            });
        }
        let Kind::File(data) = &tree.node(open.ino, operation)?.kind else {
            return Err(err::corrupt(operation));
        };
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let available = data.get(start..).unwrap_or_default();
        let n = available.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok(n)
    }

    pub(super) fn write_at(
        &self,
        handle: u64,
        data: &[u8],
        offset: u64,
        operation: &'static str,
    ) -> Result<usize, FsError> {
        let now = SystemTime::now();
        let mut tree = self.tree.write();
        let open = *tree
            .handles
            .get(&handle)
            .ok_or_else(|| err::bad_handle(handle, operation))?;
        if !open.flags.writable() {
            return Err(FsError::HandleAccess {
                handle,
                operation,
                access: "writing",
            });
        }
        let at = if open.flags.contains(OpenFlags::APPEND) {
            None
        } else {
            Some(offset)
        };
        write_file(&mut tree, open.ino, at, data, now, None, operation)?;
        Ok(data.len())
    }

    pub(super) fn close(&self, handle: u64, operation: &'static str) -> Result<(), FsError> {
        let mut tree = self.tree.write();
        let open = tree
            .handles
            .remove(&handle)
            .ok_or_else(|| err::bad_handle(handle, operation))?;
        if let Some(node) = tree.nodes.get_mut(&open.ino) {
            node.open = node.open.saturating_sub(1);
        }
        tree.release(open.ino);
        self.locks.unregister(handle);
        Ok(())
    }
}

impl FsHandles for MemoryBackend {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        self.inner.open(path, flags, "open").map(Handle)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle.0, buf, offset, "read_at")
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        self.inner.write_at(handle.0, data, offset, "write_at")
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.inner.close(handle.0, "close")
    }
}
