//! Writes that happen after the call that started them: `open_write` streams and `write_at` on
//! handles. Each invalidates the written node when the bytes land, not only at open.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use anyfs_backend::{FsError, FsHandles, FsRead, Handle, OpenFlags};
use parking_lot::Mutex;

use super::state::State;
use super::Cache;
use crate::middleware::forward::Access;

/// The node each writable handle writes to (`None`: not known, so a write invalidates all).
#[derive(Debug, Default)]
pub(super) struct HandleInodes(Mutex<HashMap<u64, Option<u64>>>);

/// An `open_write` stream that invalidates its node after every write and flush, so a read
/// between two chunks cannot keep a partial content cached.
pub(super) struct InvalidatingWriter {
    inner: Box<dyn Write + Send>,
    state: Arc<State>,
    ino: Option<u64>,
}

impl InvalidatingWriter {
    pub(super) fn new(inner: Box<dyn Write + Send>, state: Arc<State>, ino: Option<u64>) -> Self {
        InvalidatingWriter { inner, state, ino }
    }
}

impl Write for InvalidatingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _mutation = self.state.mutating();
        let result = self.inner.write(buf);
        self.state.invalidate_node(self.ino, false);
        result
    }

    fn flush(&mut self) -> io::Result<()> {
        let _mutation = self.state.mutating();
        let result = self.inner.flush();
        self.state.invalidate_node(self.ino, false);
        result
    }
}

impl Drop for InvalidatingWriter {
    fn drop(&mut self) {
        // Streams may buffer and write on drop.
        let _mutation = self.state.mutating();
        let _ = self.inner.flush();
        self.state.invalidate_node(self.ino, false);
    }
}

impl<B: FsRead + FsHandles> FsHandles for Cache<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        if Access::of_open(flags) != Access::Write {
            return self.inner.open(path, flags);
        }
        let _mutation = self.state.mutating();
        let target = self.target(path);
        let result = self.inner.open(path, flags);
        let ino = self.content_written(path, target);
        let handle = result?;
        self.handles.0.lock().insert(handle.raw(), ino);
        Ok(handle)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle, buf, offset)
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        let _mutation = self.state.mutating();
        let result = self.inner.write_at(handle, data, offset);
        let tracked = self.handles.0.lock().get(&handle.raw()).copied();
        match tracked {
            Some(ino) => self.state.invalidate_node(ino, false),
            // Not opened for writing through this cache: a successful write is a surprise,
            // so nothing cached can be trusted.
            None if result.is_ok() => self.state.invalidate_all(),
            None => {}
        }
        result
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.handles.0.lock().remove(&handle.raw());
        self.inner.close(handle)
    }
}
