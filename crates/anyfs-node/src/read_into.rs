//! Whole-file reads into a buffer JS owns: the fast path for small files.
//!
//! Creating a `Buffer` from native code (`napi_create_buffer_copy`) costs microseconds per call
//! in Node 20, several times the engine's read itself, and so does `Buffer.allocUnsafe` in JS
//! for 4 KiB and more (a fresh `ArrayBuffer` each). So JS keeps a slab (`js/read-slab.ts`), the
//! engine copies a small file straight into the slab's free tail, and JS hands out a view of
//! it. A file that does not fit stays parked on this thread until JS takes it into a fresh slab
//! ([`take_read_into`](NativeFs::take_read_into)) or as a `Buffer` of its own
//! ([`take_read`](NativeFs::take_read)), so it is never read twice.

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
    /// Reads the whole file at `path`; copies it into `target` at `offset` when it fits there.
    /// Returns the file's length either way; when `offset + length` exceeds `target.length`
    /// the content is parked for [`take_read_into`](NativeFs::take_read_into) or
    /// [`take_read`](NativeFs::take_read), which JS calls next, on the same thread.
    #[napi]
    pub fn read_into(
        &self,
        path: JsStringUtf8,
        mut target: Uint8ArraySlice,
        offset: u32,
    ) -> napi::Result<f64> {
        guard(Ctx::path("read", &path), || {
            let data = self.ops.read(path.path())?;
            // SAFETY: a synchronous call on the JS thread: no JS code can touch the array while
            // Rust holds the slice, and the array outlives the call.
            let out = unsafe { target.as_mut() };
            let len = data.len();
            let start = offset as usize;
            match out.get_mut(start..).and_then(|tail| tail.get_mut(..len)) {
                Some(dest) => dest.copy_from_slice(&data),
                None => PARKED.with(|p| *p.borrow_mut() = data),
            }
            // Lengths are far below 2^53, so the conversion is exact.
            Ok(len as f64)
        })
    }

    /// Copies the content [`read_into`](NativeFs::read_into) parked to the front of `target`
    /// and returns its length; content longer than `target` stays parked (nothing is copied).
    #[napi]
    pub fn take_read_into(&self, mut target: Uint8ArraySlice) -> f64 {
        PARKED.with(|p| {
            let mut parked = p.borrow_mut();
            let len = parked.len();
            // SAFETY: as in `read_into`.
            let out = unsafe { target.as_mut() };
            if let Some(dest) = out.get_mut(..len) {
                dest.copy_from_slice(&parked);
                *parked = Vec::new();
            }
            len as f64
        })
    }

    /// The content [`read_into`](NativeFs::read_into) parked (empty if none), as a `Buffer`.
    #[napi(ts_return_type = "Buffer")]
    pub fn take_read(&self) -> Bytes {
        Bytes(PARKED.with(|p| std::mem::take(&mut *p.borrow_mut())))
    }
}
