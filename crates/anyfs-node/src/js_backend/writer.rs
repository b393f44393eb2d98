//! [`JsWriter`]: `open_write` of a JS layer, as a truncating `write` followed by one `append`
//! per chunk — each chunk passes the layer's `append` handler (and its policies) on its own.
//!
//! Dropping the writer calls nothing: a destructor may run where JS must not be called (a
//! garbage-collection finalizer), and every chunk is already written when `write` returns.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyfs::FsWrite;

use super::fs::JsFs;

/// A streaming writer into a JS layer (see the module docs).
pub(crate) struct JsWriter {
    fs: JsFs,
    path: PathBuf,
}

impl JsWriter {
    /// A writer appending to `path`, which the caller has just created or truncated.
    pub(crate) fn new(fs: JsFs, path: &Path) -> Self {
        JsWriter {
            fs,
            path: path.to_path_buf(),
        }
    }
}

impl Write for JsWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // The FsError travels inside the io::Error, so the stream reports its code.
        self.fs.append(&self.path, buf).map_err(io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
