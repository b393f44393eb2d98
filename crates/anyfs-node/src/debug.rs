//! A deliberate panic, reachable from JS only through hidden `__debugPanic` hooks, so the tests
//! can prove that a panic becomes an `EIO` error and the process lives.

use anyfs::FsError;

/// Panics. Called only inside a panic guard.
#[allow(clippy::panic)] // The whole point: tests need a real panic to prove the guards work.
pub(crate) fn panic_now() -> Result<(), FsError> {
    panic!("__debugPanic: deliberate panic to test the boundary")
}
