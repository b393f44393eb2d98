//! The counting writer `open_write` returns: each chunk is checked and booked under the
//! ledger's lock before it reaches the inner stream, so a stream cannot write past a limit and
//! concurrent streams cannot overshoot it together.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;

use super::ledger::Ledger;
use super::limits::QuotaLimits;

pub(super) struct CountingWriter {
    inner: Box<dyn Write + Send>,
    ledger: Arc<Mutex<Ledger>>,
    limits: QuotaLimits,
    /// The file's key in the ledger's open table.
    key: u64,
    /// Where the next chunk lands (streams write sequentially from the start).
    pos: u64,
    path: PathBuf,
}

impl CountingWriter {
    pub fn new(
        inner: Box<dyn Write + Send>,
        ledger: Arc<Mutex<Ledger>>,
        limits: QuotaLimits,
        key: u64,
        path: PathBuf,
    ) -> Self {
        CountingWriter {
            inner,
            ledger,
            limits,
            key,
            pos: 0,
            path,
        }
    }
}

impl Write for CountingWriter {
    /// Refuses the whole chunk with an `io::Error` wrapping `FsError::FileSizeExceeded` or
    /// `FsError::QuotaExceeded` when it would exceed a limit; nothing of it is written then.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut ledger = self.ledger.lock();
        let size = ledger.open_size(self.key);
        let wanted = size.max(self.pos.saturating_add(buf.len() as u64));
        if wanted > size {
            self.limits
                .check_file_size(&self.path, wanted)
                .and_then(|()| {
                    self.limits
                        .check_bytes(ledger.usage.total_size, wanted - size)
                })
                .map_err(io::Error::other)?;
        }
        let n = self.inner.write(buf)?;
        let written = size.max(self.pos.saturating_add(n as u64));
        ledger.resize(self.key, size, written);
        self.pos = self.pos.saturating_add(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for CountingWriter {
    fn drop(&mut self) {
        self.ledger.lock().close_file(self.key);
    }
}
