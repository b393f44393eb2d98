//! Zero-copy `Buffer`s over file contents the engine keeps in memfds ([`SharedContent`]).
//!
//! A whole-file read of a large file would otherwise be bounded by the copy into the `Buffer`.
//! Instead the memfd is mapped privately (`MAP_PRIVATE`) and the mapping becomes the `Buffer`'s
//! memory: the caller's writes to it stay its own (the kernel copies a page on its first
//! write), and the engine never writes those bytes while the `SharedContent` kept with the
//! mapping lives (it moves the file to new storage first). The finalizer unmaps, then drops the
//! `SharedContent`, so the engine may again change the bytes in place.
//!
//! Cost: one `mmap` and one `MADV_POPULATE_READ` (page-table entries for the file's pages, no
//! copy), one external `Buffer` with a finalizer, one `munmap` when it is collected. Its size is
//! taken from the zero-copy budget (`external.rs`), so results nobody collects yet (a
//! synchronous loop, or a heap too quiet to need collecting) cannot pin more than that budget of
//! old file versions; past it, reads copy. Its size is not reported to V8 as external memory: the pages are the
//! engine's own (no memory is added until the caller writes to them), and reporting them made
//! V8 run a full collection every few reads (measured: 75 µs a 1 MiB read, against 35 µs).

use std::ffi::c_void;
use std::ptr;

use anyfs::SharedContent;
use napi::{sys, Env};
use rustix::mm::{madvise, mmap, munmap, Advice, MapFlags, ProtFlags};

/// Files of at least this many bytes are mapped; smaller ones are copied. The engine keeps no
/// smaller file in a memfd anyway (MemoryBackend's threshold is the same); at this size a
/// mapped read measured 10-12 GB/s, where a copy is a few µs and a mapping plus its finalizer
/// costs about as much. Not tuned finer.
pub(crate) const MAP_MIN: u64 = 256 * 1024;

/// A private mapping of a shared content, owned by the `Buffer` made from it.
struct Mapping {
    ptr: *mut c_void,
    len: usize,
    /// Keeps the bytes unchanged until the mapping is gone: fields drop after `drop` unmaps.
    _content: SharedContent,
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `map`, unmapped once, when nothing can reach it.
        let _ = unsafe { munmap(self.ptr, self.len) };
    }
}

/// A `Buffer` over a private mapping of `content`; `None` if the zero-copy budget is spent or
/// the system refuses the mapping or external buffers (the caller copies instead).
pub(crate) fn buffer(env: &Env, content: &SharedContent) -> Option<sys::napi_value> {
    let len = usize::try_from(content.len()).ok().filter(|&n| n > 0)?;
    if !crate::external::take(len) {
        return None;
    }
    let made = map(env, content, len);
    if made.is_none() {
        crate::external::give_back(len);
    }
    made
}

/// [`buffer`] once its size is taken from the budget (given back by the caller on `None`).
fn map(env: &Env, content: &SharedContent, len: usize) -> Option<sys::napi_value> {
    // SAFETY: a fresh mapping chosen by the kernel, of `len` bytes of a descriptor at least
    // that long that nobody shortens while `content` lives (SharedContent's contract); the
    // `Mapping` below unmaps it exactly once.
    let ptr = unsafe {
        mmap(
            ptr::null_mut(),
            len,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE,
            content.fd(),
            0,
        )
    }
    .ok()?;
    // Map every page now, read-only until written, in one call instead of a fault per page
    // on first touch. (`MAP_POPULATE` would not do: on a writable private mapping it breaks
    // copy-on-write, copying every page.) An older kernel refuses it; the faults then do it.
    // SAFETY: the whole mapping just made; populating changes no byte.
    let _ = unsafe { madvise(ptr, len, Advice::LinuxPopulateRead) };
    let mapping = Mapping {
        ptr,
        len,
        _content: content.clone(),
    };
    // SAFETY: on the JS thread with its env; the mapping stays valid, and only the `Buffer`
    // writes to it (privately), until `mapping` is dropped. If V8 refuses, `mapping` comes back
    // and is dropped here, which unmaps it.
    unsafe { crate::external::buffer(env.raw(), ptr, len, mapping) }.ok()
}
