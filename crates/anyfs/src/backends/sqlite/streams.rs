//! The streaming reader and writer of `open_read` / `open_write`: handles underneath, so an
//! unlinked file stays readable through a stream until it is dropped, and each step moves one
//! chunk: a file is never loaded or buffered whole.

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyfs_backend::{FsError, OpenFlags};

use super::Inner;

fn to_io(error: FsError) -> io::Error {
    io::Error::other(error)
}

/// The reader of `open_read`: refills a one-chunk buffer per read transaction, at chunk
/// boundaries, so each chunk row is fetched once however small the caller's reads are.
pub(super) struct ReadStream {
    fs: Arc<Inner>,
    handle: u64,
    /// File offset of `buf[0]`.
    pos: u64,
    buf: Vec<u8>,
    /// Bytes of `buf` already handed out.
    taken: usize,
}

impl ReadStream {
    pub fn open(fs: Arc<Inner>, path: &Path) -> Result<Self, FsError> {
        let handle = fs.open(path, OpenFlags::READ, "open_read")?;
        Ok(ReadStream {
            fs,
            handle,
            pos: 0,
            buf: Vec::new(),
            taken: 0,
        })
    }
}

impl Read for ReadStream {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.taken >= self.buf.len() {
            self.pos += self.buf.len() as u64;
            self.taken = 0;
            let chunk = self.fs.chunk_size;
            if out.len() >= chunk {
                // A large read goes straight into the caller's buffer.
                self.buf.clear();
                let n = self
                    .fs
                    .read_at(self.handle, out, self.pos, "read")
                    .map_err(to_io)?;
                self.pos += n as u64;
                return Ok(n);
            }
            self.buf.resize(chunk, 0);
            let n = self
                .fs
                .read_at(self.handle, &mut self.buf, self.pos, "read")
                .map_err(to_io)?;
            self.buf.truncate(n);
            if n == 0 {
                return Ok(0);
            }
        }
        let rest = self.buf.get(self.taken..).unwrap_or_default();
        let n = rest.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.taken += n;
        Ok(n)
    }
}

impl Drop for ReadStream {
    fn drop(&mut self) {
        let _ = self.fs.close(self.handle, "close");
    }
}

/// The writer of `open_write`: the file is created or truncated on open; bytes are gathered
/// into one chunk and stored a whole chunk per write transaction. `flush` stores a partial
/// chunk; drop flushes too but cannot report an error, so call `flush` to know.
pub(super) struct WriteStream {
    fs: Arc<Inner>,
    handle: u64,
    /// File offset of `buf[0]`.
    pos: u64,
    buf: Vec<u8>,
}

impl WriteStream {
    pub fn open(fs: Arc<Inner>, path: &Path) -> Result<Self, FsError> {
        let flags = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE;
        let handle = fs.open(path, flags, "open_write")?;
        Ok(WriteStream {
            fs,
            handle,
            pos: 0,
            buf: Vec::new(),
        })
    }

    fn store(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.fs
            .write_at(self.handle, &self.buf, self.pos, "write")
            .map_err(to_io)?;
        self.pos += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

impl Write for WriteStream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let chunk = self.fs.chunk_size;
        let room = chunk.saturating_sub(self.buf.len());
        let n = room.min(data.len());
        self.buf
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if self.buf.len() >= chunk {
            self.store()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.store()
    }
}

impl Drop for WriteStream {
    fn drop(&mut self) {
        let _ = self.store();
        let _ = self.fs.close(self.handle, "close");
    }
}
