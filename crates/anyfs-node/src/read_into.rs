//! Whole-file reads into a buffer JS owns: the fast path for small files.
//!
//! Creating a `Buffer` from native code (`napi_create_buffer_copy`) costs microseconds per call
//! in Node 20, several times the engine's read itself. So JS keeps one reusable scratch buffer,
//! the engine copies the file into it, and JS slices a pooled `Buffer.allocUnsafe` copy out of
//! it. A file larger than the scratch stays parked on this thread until JS takes it with
//! [`take_read`](NativeFs::take_read), so it is never read twice.

use std::cell::RefCell;

use napi::bindgen_prelude::Uint8ArraySlice;
use napi_derive::napi;

// Imported under this name because napi's type generator maps type names: it writes this one
// as `string` in binding.d.ts.
use crate::arg::Text as JsStringUtf8;
use crate::convert::Bytes;
use crate::error::{guard, Ctx};
use crate::stack::NativeFs;

thread_local! {
    /// The last read that did not fit the caller's buffer, waiting for `take_read`.
    static PARKED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[napi]
impl NativeFs {
    /// Reads the whole file at `path`; copies it into `target` when it fits. Returns the file's
    /// length either way; a length above `target.length` means the content is parked for
    /// [`take_read`](NativeFs::take_read), which JS calls next, on the same thread.
    #[napi]
    pub fn read_into(&self, path: JsStringUtf8, mut target: Uint8ArraySlice) -> napi::Result<f64> {
        guard(Ctx::path("read", &path), || {
            let data = self.ops.read(path.path())?;
            // SAFETY: a synchronous call on the JS thread: no JS code can touch the array while
            // Rust holds the slice, and the array outlives the call.
            let out = unsafe { target.as_mut() };
            let len = data.len();
            match out.get_mut(..len) {
                Some(dest) => dest.copy_from_slice(&data),
                None => PARKED.with(|p| *p.borrow_mut() = data),
            }
            // Lengths are far below 2^53, so the conversion is exact.
            Ok(len as f64)
        })
    }

    /// The content [`read_into`](NativeFs::read_into) parked (empty if none), as a `Buffer`.
    #[napi(ts_return_type = "Buffer")]
    pub fn take_read(&self) -> Bytes {
        Bytes(PARKED.with(|p| std::mem::take(&mut *p.borrow_mut())))
    }
}
