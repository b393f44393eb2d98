//! Whole-file reads into memory JS owns, with as few copies as the engine allows.
//!
//! Creating a `Buffer` from native code (`napi_create_buffer_copy`) costs microseconds per call
//! in Node 20, several times the engine's read itself, and so does `Buffer.allocUnsafe` in JS
//! for 4 KiB and more (a fresh `ArrayBuffer` each). So JS keeps a slab (`js/read-slab.ts`), the
//! engine copies a small file straight into the slab's free tail, and JS hands out a view of
//! it. A small file that misses the tail is parked on this thread until JS takes it into a
//! fresh slab ([`take_read_into`](NativeFs::take_read_into)), so it is never read twice.
//!
//! A larger file, when the engine lends its content ([`FsRead::read_with`](anyfs::FsRead::read_with)),
//! is copied once, straight from the engine into a new `Buffer`, or, when the engine keeps it
//! in a memfd (MemoryBackend, 256 KiB and more, Linux), not copied at all: the `Buffer` maps it
//! (`mapped.rs`). An engine that does not lend reads into a vector, which is parked for
//! [`take_read`](NativeFs::take_read) (one more copy up to 8 MiB, none above).

use std::cell::RefCell;

use anyfs::{FsError, SharedContent};
use napi::bindgen_prelude::{ToNapiValue, TypeName, Uint8ArraySlice};
use napi::{sys, Env, ValueType};
use napi_derive::napi;

// Imported under this name because napi's type generator maps type names: it writes this one
// as `string` in binding.d.ts.
use crate::arg::Text as JsStringUtf8;
use crate::convert::Bytes;
use crate::error::{guard, Ctx};
use crate::stack::NativeFs;

/// Lent files up to this size that miss the caller's buffer are parked for a fresh slab (JS's
/// `SLAB_FILE_MAX`); larger ones become `Buffer`s of their own at once.
const PARK_MAX: usize = 16 * 1024;

thread_local! {
    /// The last read that did not fit the caller's buffer, waiting for `take_read`.
    static PARKED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// What [`read_into`](NativeFs::read_into) answers: the file's length (its content copied into
/// the caller's buffer, or parked), or the content as a `Buffer` of its own.
pub enum Lent {
    Length(f64),
    Buffer(sys::napi_value),
}

impl TypeName for Lent {
    fn type_name() -> &'static str {
        "number | Buffer"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for Lent {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        match val {
            // SAFETY: forwarded with the caller's valid env.
            Lent::Length(n) => unsafe { f64::to_napi_value(env, n) },
            Lent::Buffer(value) => Ok(value),
        }
    }
}

/// A new `Buffer` holding a copy of `bytes` (made on the JS thread, while the engine lends them).
fn copied(env: &Env, bytes: &[u8]) -> Result<sys::napi_value, FsError> {
    // SAFETY: `env` is the calling JS thread's (a synchronous napi method's).
    unsafe { crate::convert::buffer_copy(env.raw(), bytes) }
        .map_err(|_| FsError::backend("read", "cannot create a Buffer"))
}

/// Where a file of `len` bytes lands in the caller's buffer at `start`, if it fits there.
fn slot(out: &mut [u8], start: usize, len: usize) -> Option<&mut [u8]> {
    out.get_mut(start..).and_then(|tail| tail.get_mut(..len))
}

/// A `Buffer` mapping `shared` when it is large enough and the system allows it.
#[cfg(target_os = "linux")]
fn mapped(env: &Env, shared: Option<&SharedContent>) -> Option<sys::napi_value> {
    shared
        .filter(|s| s.len() >= crate::mapped::MAP_MIN)
        .and_then(|s| crate::mapped::buffer(env, s))
}

#[cfg(not(target_os = "linux"))]
fn mapped(_env: &Env, _shared: Option<&SharedContent>) -> Option<sys::napi_value> {
    None
}

#[napi]
impl NativeFs {
    /// Reads the whole file at `path`. When it fits `target` at `offset`, copies it there and
    /// returns its length. Otherwise returns either the content as a `Buffer` of its own, or
    /// the length with the content parked for [`take_read_into`](NativeFs::take_read_into) or
    /// [`take_read`](NativeFs::take_read), which JS calls next, on the same thread.
    #[napi(ts_return_type = "number | Buffer")]
    pub fn read_into(
        &self,
        env: Env,
        path: JsStringUtf8,
        mut target: Uint8ArraySlice,
        offset: u32,
    ) -> napi::Result<Lent> {
        guard(Ctx::path("read", &path), || {
            // SAFETY: a synchronous call on the JS thread: no JS code can touch the array while
            // Rust holds the slice, and the array outlives the call.
            let out = unsafe { target.as_mut() };
            let start = offset as usize;
            let mut lent = Ok(Lent::Length(0.0));
            let offered = self.ops.read_with(path.path(), &mut |bytes, shared| {
                let len = bytes.len();
                // Lengths are far below 2^53, so the conversion is exact.
                lent = Ok(Lent::Length(len as f64));
                if let Some(dest) = slot(out, start, len) {
                    dest.copy_from_slice(bytes);
                } else if len <= PARK_MAX {
                    PARKED.with(|p| *p.borrow_mut() = bytes.to_vec());
                } else if let Some(value) = mapped(&env, shared) {
                    lent = Ok(Lent::Buffer(value));
                } else {
                    lent = copied(&env, bytes).map(Lent::Buffer);
                }
            });
            match offered {
                Some(done) => done.and(lent),
                None => {
                    let data = self.ops.read(path.path())?;
                    let len = data.len();
                    match slot(out, start, len) {
                        Some(dest) => dest.copy_from_slice(&data),
                        None => PARKED.with(|p| *p.borrow_mut() = data),
                    }
                    Ok(Lent::Length(len as f64))
                }
            }
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
