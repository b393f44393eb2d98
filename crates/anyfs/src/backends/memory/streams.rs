//! The streaming reader and writer of `open_read` / `open_write`: handles underneath, so an
//! unlinked file stays readable through a stream until it is dropped, and each call copies only
//! the chunk it moves.

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyfs_backend::{FsError, OpenFlags};

use super::Inner;

fn to_io(error: FsError) -> io::Error {
    io::Error::other(error)
}

/// The reader of `open_read`: reads through a handle, a chunk per call, without copying the
/// whole file up front.
pub(super) struct ReadStream {
    fs: Arc<Inner>,
    handle: u64,
    pos: u64,
}

impl ReadStream {
    pub fn open(fs: Arc<Inner>, path: &Path) -> Result<Self, FsError> {
        let handle = fs.open(path, OpenFlags::READ, "open_read")?;
        Ok(ReadStream { fs, handle, pos: 0 })
    }
}

impl Read for ReadStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .fs
            .read_at(self.handle, buf, self.pos, "read")
            .map_err(to_io)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Drop for ReadStream {
    fn drop(&mut self) {
        let _ = self.fs.close(self.handle, "close");
    }
}

/// The writer of `open_write`: the file is created or truncated on open, and each `write` goes
/// straight into it (no buffering, no whole-file copy).
pub(super) struct WriteStream {
    fs: Arc<Inner>,
    handle: u64,
    pos: u64,
}

impl WriteStream {
    pub fn open(fs: Arc<Inner>, path: &Path) -> Result<Self, FsError> {
        let flags = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE;
        let handle = fs.open(path, flags, "open_write")?;
        Ok(WriteStream { fs, handle, pos: 0 })
    }
}

impl Write for WriteStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self
            .fs
            .write_at(self.handle, buf, self.pos, "write")
            .map_err(to_io)?;
        self.pos += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for WriteStream {
    fn drop(&mut self) {
        let _ = self.fs.close(self.handle, "close");
    }
}
