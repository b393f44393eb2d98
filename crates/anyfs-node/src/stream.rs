//! Streaming handles behind `openRead`/`openWrite`: the engine's `Read`/`Write` objects, driven
//! chunk by chunk by the JS `Readable`/`Writable` wrappers in `js/streams.ts`.
//!
//! Each handle sits behind a mutex (JS may drive it from the pool for blocking stacks) and is
//! dropped by `close()` or by the garbage collector, whichever comes first.

use std::io::{ErrorKind, Read, Write};
use std::sync::Arc;

use anyfs::FsError;
use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use parking_lot::Mutex;

use crate::convert::{to_usize, Bytes};
use crate::error::{guard, no_panic, to_napi, Ctx};

type Slot<T> = Arc<Mutex<Option<T>>>;

fn closed(op: &'static str) -> FsError {
    FsError::InvalidInput {
        operation: op,
        reason: "stream is closed".to_owned(),
    }
}

/// A stream error as an `FsError`. A middleware refusing a chunk (Quota's `ENOSPC`/`EFBIG`)
/// sends its `FsError` inside the `io::Error`: that one is returned, so JS sees its code.
fn io(op: &'static str, e: std::io::Error) -> FsError {
    if !e.get_ref().is_some_and(|inner| inner.is::<FsError>()) {
        return FsError::io(op, "", e);
    }
    match e.into_inner().map(|inner| inner.downcast::<FsError>()) {
        Some(Ok(inner)) => *inner,
        // Checked just above; kept total rather than trusting that.
        _ => FsError::backend(op, "stream error lost its cause"),
    }
}

/// Reads up to `size` bytes; `None` at the end (or once closed).
fn read_chunk(slot: &Slot<Box<dyn Read + Send>>, size: usize) -> Result<Option<Vec<u8>>, FsError> {
    let mut guard = slot.lock();
    let Some(reader) = guard.as_mut() else {
        return Ok(None);
    };
    let mut buf = vec![0; size.max(1)];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => {
                *guard = None;
                return Ok(None);
            }
            Ok(n) => {
                buf.truncate(n);
                return Ok(Some(buf));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(io("read", e)),
        }
    }
}

fn write_chunk(slot: &Slot<Box<dyn Write + Send>>, data: &[u8]) -> Result<(), FsError> {
    let mut guard = slot.lock();
    let writer = guard.as_mut().ok_or_else(|| closed("write"))?;
    writer.write_all(data).map_err(|e| io("write", e))
}

fn finish(slot: &Slot<Box<dyn Write + Send>>) -> Result<(), FsError> {
    let Some(mut writer) = slot.lock().take() else {
        return Ok(());
    };
    writer.flush().map_err(|e| io("close", e))
}

/// A file being read as a stream.
#[napi]
pub struct NativeReader {
    inner: Slot<Box<dyn Read + Send>>,
}

impl NativeReader {
    pub(crate) fn new(reader: Box<dyn Read + Send>) -> Self {
        NativeReader {
            inner: Arc::new(Mutex::new(Some(reader))),
        }
    }
}

#[napi]
impl NativeReader {
    /// The next chunk of at most `size` bytes, `null` at the end.
    #[napi(ts_return_type = "Buffer | null")]
    pub fn read(&self, size: f64) -> napi::Result<Option<Bytes>> {
        guard(Ctx::bare("read"), || {
            let size = to_usize(size, "size", "read")?;
            Ok(read_chunk(&self.inner, size)?.map(Bytes))
        })
    }

    /// [`read`](Self::read) on the blocking pool.
    #[napi(ts_return_type = "Promise<Buffer | null>")]
    pub fn read_async(&self, env: &Env, size: f64) -> napi::Result<PromiseRaw<'_, Option<Bytes>>> {
        let size = guard(Ctx::bare("read"), || to_usize(size, "size", "read"))?;
        let inner = Arc::clone(&self.inner);
        crate::pool::spawn(
            env,
            "read",
            move || no_panic("read", || read_chunk(&inner, size)),
            |_, r| {
                r.map(|c| c.map(Bytes))
                    .map_err(|e| to_napi(&e, Ctx::bare("read")))
            },
        )
    }

    /// Releases the reader (idempotent).
    #[napi]
    pub fn close(&self) {
        drop(self.inner.lock().take());
    }
}

/// A file being written as a stream.
#[napi]
pub struct NativeWriter {
    inner: Slot<Box<dyn Write + Send>>,
}

impl NativeWriter {
    pub(crate) fn new(writer: Box<dyn Write + Send>) -> Self {
        NativeWriter {
            inner: Arc::new(Mutex::new(Some(writer))),
        }
    }
}

#[napi]
impl NativeWriter {
    /// Writes the whole chunk.
    #[napi]
    pub fn write(&self, data: &[u8]) -> napi::Result<()> {
        guard(Ctx::bare("write"), || write_chunk(&self.inner, data))
    }

    /// [`write`](Self::write) on the blocking pool, straight from the caller's buffer.
    ///
    /// No copy is made, as node's own `fs.write` makes none: the buffer stays referenced until
    /// the promise settles, and the pool thread reads it in place. A `Writable` hands over a
    /// chunk for good, so nothing changes it meanwhile. The reference travels back with the
    /// result, so it is released on the JS thread instead of through a cross-thread hop.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn write_async(&self, env: &Env, data: Buffer) -> napi::Result<PromiseRaw<'_, ()>> {
        let inner = Arc::clone(&self.inner);
        crate::pool::spawn(
            env,
            "write",
            move || (no_panic("write", || write_chunk(&inner, &data)), data),
            |_, (r, data)| {
                drop(data);
                r.map_err(|e| to_napi(&e, Ctx::bare("write")))
            },
        )
    }

    /// Flushes and releases the writer (idempotent).
    #[napi]
    pub fn close(&self) -> napi::Result<()> {
        guard(Ctx::bare("close"), || finish(&self.inner))
    }

    /// [`close`](Self::close) on the blocking pool.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn close_async(&self, env: &Env) -> napi::Result<PromiseRaw<'_, ()>> {
        let inner = Arc::clone(&self.inner);
        crate::pool::spawn(
            env,
            "close",
            move || no_panic("close", || finish(&inner)),
            |_, r| r.map_err(|e| to_napi(&e, Ctx::bare("close"))),
        )
    }

    /// Drops the writer without flushing (after an error).
    #[napi]
    pub fn abort(&self) {
        drop(self.inner.lock().take());
    }
}
