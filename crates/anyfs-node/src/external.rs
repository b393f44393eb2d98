//! A budget for `Buffer`s whose memory V8 does not own (zero-copy results).
//!
//! Why: Node runs an external `Buffer`'s finalizer on a later turn of the event loop, never
//! during the synchronous code that dropped it. A synchronous loop of large zero-copy reads
//! would keep every result's memory until the loop yields (measured: 60 reads of 64 MiB held
//! 3.8 GiB), where copied `Buffer`s are freed by the collector as the loop runs. So zero-copy
//! results take their size from this budget, give it back in their finalizer, and a read that
//! finds the budget spent copies instead: what a synchronous loop can hold on to is bounded.
//!
//! [`buffer`] makes such a `Buffer` for every zero-copy result (handed-over vectors, mapped
//! memfds): one finalizer that drops the memory's owner and gives its size back.
//!
//! Thread safety and cost: one atomic add (and, over budget, one subtract) per large result.

use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

use napi::sys;

/// Bytes of zero-copy results that may be alive at once (per process).
const BUDGET: usize = 512 << 20;

static IN_USE: AtomicUsize = AtomicUsize::new(0);

/// Takes `len` bytes from the budget; `false` (nothing taken) when they do not fit.
pub(crate) fn take(len: usize) -> bool {
    let before = IN_USE.fetch_add(len, Ordering::Relaxed);
    if before.saturating_add(len) <= BUDGET {
        return true;
    }
    IN_USE.fetch_sub(len, Ordering::Relaxed);
    false
}

/// Gives back what [`take`] took, once the result's memory is released.
pub(crate) fn give_back(len: usize) {
    IN_USE.fetch_sub(len, Ordering::Relaxed);
}

/// What an external `Buffer`'s finalizer takes back: the memory's owner and its size.
struct Owned<T> {
    owner: T,
    len: usize,
}

/// A `Buffer` over the `len` bytes at `ptr`, which `owner` keeps valid until it is dropped, by
/// the `Buffer`'s finalizer, which then gives `len` back to the budget. The caller took `len`
/// from the budget ([`take`]); if V8 refuses the buffer, the owner comes back and the caller
/// gives `len` back.
///
/// # Safety
///
/// `env` must be the calling JS thread's valid env, and `ptr` must stay valid for `len` bytes,
/// and reachable by nothing else that writes to them, until `owner` is dropped.
pub(crate) unsafe fn buffer<T>(
    env: sys::napi_env,
    ptr: *mut c_void,
    len: usize,
    owner: T,
) -> Result<sys::napi_value, T> {
    unsafe extern "C" fn finalize<T>(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
        // SAFETY: `hint` is the box leaked below, finalized once.
        let owned = unsafe { Box::from_raw(hint.cast::<Owned<T>>()) };
        let len = owned.len;
        drop(owned);
        give_back(len);
    }
    let hint = Box::into_raw(Box::new(Owned { owner, len }));
    let mut value = ptr::null_mut();
    // SAFETY: on the JS thread with its env; V8 takes `len` bytes at `ptr`, valid until
    // `finalize` drops their owner.
    let status = unsafe {
        sys::napi_create_external_buffer(
            env,
            len,
            ptr,
            Some(finalize::<T>),
            hint.cast(),
            &mut value,
        )
    };
    if status == sys::Status::napi_ok {
        return Ok(value);
    }
    // SAFETY: V8 refused the buffer, so `finalize` never runs: the box is ours again.
    Err(unsafe { Box::from_raw(hint) }.owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_what_does_not_fit_and_takes_back_what_is_given() {
        assert!(take(BUDGET / 2));
        assert!(!take(BUDGET), "over budget");
        assert!(take(BUDGET / 2));
        assert!(!take(1));
        give_back(BUDGET / 2);
        assert!(take(1));
        give_back(1);
        give_back(BUDGET / 2);
        assert_eq!(IN_USE.load(Ordering::Relaxed), 0);
    }
}
