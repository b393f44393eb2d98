//! Which thread is which: the JS thread an adapter belongs to (where JS may be called
//! directly), and the deadlock gate for requests made on behalf of a blocked JS thread.
//!
//! # The gate (for mounts)
//!
//! A FUSE request issued by a JS thread of this process (say `readFileSync` on a mount point
//! served by a stack with a JS layer) is served on a FUSE thread while that JS thread is blocked
//! in the kernel, waiting for the answer. If serving it needs a JS layer of that same JS
//! thread, waiting would never end. The dispatcher of such a request wraps its work in
//! [`with_requester`] with the requesting thread's id (FUSE's `req.pid()`, the caller's thread
//! id on Linux; for Node's main thread it equals the process id); an adapter reached inside
//! fails fast with `EDEADLK` (`FsError::Deadlock`) instead of waiting, and says why. Requests
//! from other processes, or from threads whose JS layers are not involved, are served
//! normally. The check costs one thread-local read per call that would cross to JS.

use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

use anyfs::FsError;
use napi::sys;

/// Whether the EDEADLK explanation was printed (once per process).
static WARNED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The env of the JS thread this is (set when an adapter is created on it), or null.
    static JS_ENV: Cell<sys::napi_env> = const { Cell::new(ptr::null_mut()) };
    /// The thread whose blocked request this thread is serving (see the module docs).
    static REQUESTER: Cell<Option<u32>> = const { Cell::new(None) };
}

/// Records that the calling thread is the JS thread of `env`.
pub(crate) fn mark_js_thread(env: sys::napi_env) {
    JS_ENV.with(|e| e.set(env));
}

/// The env of the calling thread if it is a JS thread that created an adapter, else null.
pub(crate) fn current_env() -> sys::napi_env {
    JS_ENV.with(Cell::get)
}

/// Runs `serve` on behalf of a request issued by thread `tid` (a Linux thread id, as FUSE's
/// `req.pid()` reports it): a JS layer of that thread reached inside fails with `EDEADLK`
/// instead of waiting for a thread that is itself waiting for this request. Nests: the
/// innermost requester wins until it returns.
pub fn with_requester<T>(tid: u32, serve: impl FnOnce() -> T) -> T {
    struct Restore(Option<u32>);
    impl Drop for Restore {
        fn drop(&mut self) {
            REQUESTER.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(REQUESTER.with(|r| r.replace(Some(tid))));
    serve()
}

/// `Err(Deadlock)` if the calling thread serves a request of `js_tid`, the thread that owns
/// the JS layer `name` about to be called (see the module docs).
pub(crate) fn check_requester(
    js_tid: Option<u32>,
    name: &str,
    op: &'static str,
) -> Result<(), FsError> {
    match (REQUESTER.with(Cell::get), js_tid) {
        (Some(requester), Some(owner)) if requester == owner => {
            let reason = format!(
                "the request comes from the JS thread (thread id {owner}) that runs the JS layer \
                 {name}, and that thread is blocked waiting for this very request, so the layer \
                 cannot run; call the filesystem API directly instead of going through the \
                 mount, or use an async call (fs.promises) from another thread"
            );
            // The program only gets an errno: say why once, where a developer looks.
            if !WARNED.swap(true, Ordering::Relaxed) {
                eprintln!("anyfs mount: answered EDEADLK to {op}: {reason}");
            }
            Err(FsError::Deadlock {
                operation: op,
                reason,
            })
        }
        _ => Ok(()),
    }
}

/// The OS thread id of the calling thread (Linux), read once per JS thread.
#[cfg(target_os = "linux")]
pub(crate) fn os_thread_id() -> Option<u32> {
    // "/proc/thread-self" links to "<pid>/task/<tid>": no libc call needed for one lookup.
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// Elsewhere there is no FUSE requester to compare with.
#[cfg(not(target_os = "linux"))]
pub(crate) fn os_thread_id() -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_fails_fast_only_for_the_owning_thread() {
        assert!(check_requester(Some(7), "L", "read").is_ok());
        with_requester(7, || {
            let err = check_requester(Some(7), "AuditLog", "read").unwrap_err();
            assert_eq!(err.code(), "EDEADLK");
            assert!(err.to_string().contains("AuditLog"), "{err}");
            assert!(check_requester(Some(8), "L", "read").is_ok());
            assert!(check_requester(None, "L", "read").is_ok());
            with_requester(8, || assert!(check_requester(Some(7), "L", "read").is_ok()));
            assert!(check_requester(Some(7), "L", "read").is_err());
        });
        assert!(check_requester(Some(7), "L", "read").is_ok());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn each_thread_has_its_own_id() {
        let main = os_thread_id().unwrap();
        let other = std::thread::spawn(os_thread_id).join().unwrap().unwrap();
        assert_ne!(main, other);
        assert!(main > 0);
    }
}
