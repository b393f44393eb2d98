//! File I/O: open, create, read, write, release, fsync.
//!
//! Two ways to serve it, chosen at mount time:
//!
//! - **Per-inode handles** (the default): `open` answers `ENOSYS` once, which tells the
//!   kernel to stop sending OPEN, FLUSH and RELEASE for files (no round trip per `open(2)`
//!   or `close(2)`; the page cache is kept across opens). Reads and writes name the inode, and
//!   the adapter serves them through a handle of that inode opened on first use (see
//!   `inodes.rs`).
//! - **Per-open handles** (`forward_locks`): every `open(2)` opens a stack handle and every
//!   last `close(2)` closes it, so `flock(2)` locks and unlink-while-open follow the stack's
//!   handles exactly.
//!
//! `FsFuse` stacks without handles use paths: reads are `read_range`, a write at the end of
//! the file is `append`, any other write rewrites the file (O(file size): fine for tools that
//! write sequentially, slow for random writes).
//!
//! File handles given to the kernel are the stack's handle number plus one, so `0` always
//! means "no handle".

use std::cell::RefCell;
use std::ffi::OsStr;

use anyfs_backend::{FsError, FsPosix, Handle, OpenFlags};
use fuser::{Errno, FileAttr};

use super::names::new_mode;
use super::reply::{errno_no_protocol_change, fs, Res};
use super::Adapter;

thread_local! {
    /// Each dispatch thread's read buffer. It grows to the largest READ the thread has served
    /// (the kernel sends at most `max_write`-sized ones, 1 MiB by default) and stays, so a read
    /// costs the stack's copy and nothing else: no allocation, no zero-filling.
    static READ_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads `len` bytes at `offset` of handle `h` into `buf` (grown if needed) and answers with
/// the bytes read.
fn read_into<R>(
    posix: &dyn FsPosix,
    h: Handle,
    buf: &mut Vec<u8>,
    len: usize,
    offset: u64,
    answer: impl FnOnce(&[u8]) -> R,
) -> Res<R> {
    if buf.len() < len {
        buf.resize(len, 0);
    }
    let dst = buf.get_mut(..len).ok_or(Errno::EIO)?;
    let n = posix.read_at(h, dst, offset).map_err(fs)?;
    Ok(answer(dst.get(..n).ok_or(Errno::EIO)?))
}

/// The stack handle behind a kernel file handle (`fh - 1`), if any.
pub(super) fn stack_handle(fh: u64) -> Option<Handle> {
    fh.checked_sub(1).map(Handle)
}

/// The kernel file handle of a stack handle.
fn kernel_fh(h: Handle) -> Res<u64> {
    h.0.checked_add(1).ok_or(Errno::EIO)
}

/// The stack's open flags for a kernel `open(2)` flag word (`O_APPEND` is left to the kernel,
/// which passes the end-of-file offset with each write).
fn open_flags(flags: i32) -> OpenFlags {
    let mut out = match flags & libc_acc::ACCMODE {
        libc_acc::WRONLY | libc_acc::RDWR => OpenFlags::READ_WRITE,
        _ => OpenFlags::READ,
    };
    if flags & libc_acc::TRUNC != 0 {
        out |= OpenFlags::TRUNCATE;
    }
    out
}

/// The `open(2)` flag values the adapter reads (Linux numbering, as the FUSE protocol uses).
mod libc_acc {
    pub const ACCMODE: i32 = 0o3;
    pub const WRONLY: i32 = 0o1;
    pub const RDWR: i32 = 0o2;
    pub const CREAT: i32 = 0o100;
    pub const EXCL: i32 = 0o200;
    pub const TRUNC: i32 = 0o1000;
}

impl Adapter {
    /// A handle of `ino` for I/O: the per-open one when the kernel gave one, else the inode's.
    fn io_handle(
        &self,
        posix: &dyn FsPosix,
        ino: u64,
        fh: u64,
        write: bool,
    ) -> Result<Handle, FsError> {
        if let Some(h) = stack_handle(fh) {
            return Ok(h);
        }
        if let Some(h) = self.inodes.handle(ino, write) {
            return Ok(h);
        }
        let path = posix.inode_to_path(ino)?;
        let flags = if write {
            OpenFlags::READ_WRITE
        } else {
            OpenFlags::READ
        };
        let h = posix.open(&path, flags)?;
        let (h, spare) = self.inodes.install(ino, h, write);
        if let Some(spare) = spare {
            let _ = posix.close(spare);
        }
        Ok(h)
    }

    /// `open`: `ENOSYS` (no more OPENs: see the module docs) unless handles are per open.
    pub(super) fn do_open(&self, ino: u64, flags: i32) -> Res<u64> {
        let Some(posix) = self.stack.posix_ref().filter(|_| self.settings.per_open) else {
            return if self.settings.skip_open {
                Err(Errno::ENOSYS)
            } else {
                Ok(0)
            };
        };
        let wants_write = flags & libc_acc::ACCMODE != 0 || flags & libc_acc::TRUNC != 0;
        if wants_write {
            self.writable()?;
        }
        let path = posix.inode_to_path(ino).map_err(fs)?;
        let h = posix
            .open(&path, open_flags(flags))
            .map_err(|e| errno_no_protocol_change(&e))?;
        kernel_fh(h)
    }

    /// `create`: makes the file (or opens the existing one without `O_EXCL`), applies the
    /// mode to a new file, and returns its entry and kernel file handle.
    pub(super) fn do_create(
        &self,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
    ) -> Res<(FileAttr, u64)> {
        self.writable()?;
        let path = self.child(parent, name)?;
        let exclusive = flags & libc_acc::EXCL != 0;
        let mode = new_mode(mode, umask);
        let Some(posix) = self.stack.posix_ref() else {
            // Path-based: the file exists once it has been written.
            let fs_ = self.stack.fs();
            let existed = fs_.lookup(parent, name).is_ok();
            if existed && exclusive {
                return Err(Errno::EEXIST);
            }
            if !existed || flags & libc_acc::TRUNC != 0 {
                fs_.write(&path, &[])
                    .map_err(|e| errno_no_protocol_change(&e))?;
            }
            if !existed {
                self.apply_mode(&path, mode, 0o644)?;
            }
            return Ok((self.entry(parent, name)?, 0));
        };
        let base = open_flags(flags | libc_acc::CREAT) | OpenFlags::READ_WRITE | OpenFlags::CREATE;
        // Exclusive first, so a new file is known to be new (and gets the caller's mode).
        let (h, created) = match posix.open(&path, base | OpenFlags::EXCLUSIVE) {
            Ok(h) => (h, true),
            Err(FsError::AlreadyExists { .. }) if !exclusive => (
                posix
                    .open(&path, base)
                    .map_err(|e| errno_no_protocol_change(&e))?,
                false,
            ),
            Err(e) => return Err(errno_no_protocol_change(&e)),
        };
        let finish = || -> Res<(FileAttr, u64)> {
            if created {
                self.apply_mode(&path, mode, 0o644)?;
            }
            let attr = self.entry(parent, name)?;
            if self.settings.per_open {
                return Ok((attr, kernel_fh(h)?));
            }
            let (_, spare) = self.inodes.install(attr.ino.0, h, true);
            if let Some(spare) = spare {
                let _ = posix.close(spare);
            }
            Ok((attr, 0))
        };
        finish().inspect_err(|_| {
            let _ = posix.close(h);
        })
    }

    /// Reads up to `size` bytes at `offset` and hands them to `answer` (which sends the reply)
    /// straight from the dispatch thread's read buffer: no allocation and no zero-filling per
    /// READ.
    pub(super) fn read_with<R>(
        &self,
        ino: u64,
        fh: u64,
        offset: u64,
        size: u32,
        answer: impl FnOnce(&[u8]) -> R,
    ) -> Res<R> {
        let len = usize::try_from(size).map_err(|_| Errno::EINVAL)?;
        let Some(posix) = self.stack.posix_ref() else {
            let fs_ = self.stack.fs();
            let path = fs_.inode_to_path(ino).map_err(fs)?;
            let data = fs_.read_range(&path, offset, len).map_err(fs)?;
            return Ok(answer(&data));
        };
        let h = self.io_handle(posix, ino, fh, false).map_err(fs)?;
        READ_BUFFER.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => read_into(posix, h, &mut buf, len, offset, answer),
            // Only a stack that reads through this very mount could re-enter here.
            Err(_) => read_into(posix, h, &mut Vec::new(), len, offset, answer),
        })
    }

    /// [`read_with`](Self::read_with) into an owned vector (unit tests).
    #[cfg(test)]
    pub(super) fn do_read(&self, ino: u64, fh: u64, offset: u64, size: u32) -> Res<Vec<u8>> {
        self.read_with(ino, fh, offset, size, <[u8]>::to_vec)
    }

    pub(super) fn do_write(&self, ino: u64, fh: u64, offset: u64, data: &[u8]) -> Res<u32> {
        self.writable()?;
        let written = match self.stack.posix_ref() {
            Some(posix) => {
                let h = self.io_handle(posix, ino, fh, true).map_err(fs)?;
                posix.write_at(h, data, offset).map_err(fs)?
            }
            None => self.write_by_path(ino, offset, data)?,
        };
        u32::try_from(written).map_err(|_| Errno::EIO)
    }

    /// Path-based write for stacks without handles.
    fn write_by_path(&self, ino: u64, offset: u64, data: &[u8]) -> Res<usize> {
        let fs_ = self.stack.fs();
        let path = fs_.inode_to_path(ino).map_err(fs)?;
        let size = fs_.metadata(&path).map_err(fs)?.size;
        if offset == size {
            fs_.append(&path, data).map_err(fs)?;
            return Ok(data.len());
        }
        let mut content = fs_.read(&path).map_err(fs)?;
        let start = usize::try_from(offset).map_err(|_| Errno::EFBIG)?;
        let end = start.checked_add(data.len()).ok_or(Errno::EFBIG)?;
        if content.len() < end {
            content.resize(end, 0);
        }
        content
            .get_mut(start..end)
            .ok_or(Errno::EIO)?
            .copy_from_slice(data);
        fs_.write(&path, &content).map_err(fs)?;
        Ok(data.len())
    }

    /// `release`: closes a per-open handle (per-inode handles live until `forget`).
    pub(super) fn do_release(&self, fh: u64) -> Res<()> {
        match (stack_handle(fh), self.stack.posix_ref()) {
            (Some(h), Some(posix)) => posix.close(h).map_err(fs),
            _ => Ok(()),
        }
    }

    pub(super) fn do_fsync(&self, ino: u64) -> Res<()> {
        let fs_ = self.stack.fs();
        let path = fs_.inode_to_path(ino).map_err(fs)?;
        match fs_.fsync(&path) {
            // Nothing to make durable is not a failure of fsync(2).
            Err(FsError::NotSupported { .. }) => Ok(()),
            other => other.map_err(fs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_handles_are_offset_by_one() {
        assert_eq!(stack_handle(0), None);
        assert_eq!(stack_handle(1), Some(Handle(0)));
        assert_eq!(kernel_fh(Handle(0)), Ok(1));
        assert_eq!(kernel_fh(Handle(u64::MAX)), Err(Errno::EIO));
    }

    #[test]
    fn open_flags_follow_the_access_mode() {
        assert_eq!(open_flags(0), OpenFlags::READ);
        assert_eq!(open_flags(0o1), OpenFlags::READ_WRITE);
        assert_eq!(
            open_flags(0o2 | 0o1000),
            OpenFlags::READ_WRITE | OpenFlags::TRUNCATE
        );
    }
}
