//! Unit tests of the memory backend's semantics. The cross-backend conformance kit lives in
//! `crate::conformance`; these pin down what is specific to (or easiest to observe in) this
//! implementation: link counts, timestamps, unlink-while-open, lock conflicts, rename cases and
//! the error code of every bad input.

use std::fmt::Debug;
use std::path::Path;
use std::time::{Duration, SystemTime};

use anyfs_backend::FsError;

use super::MemoryBackend;

#[cfg(target_os = "linux")]
mod content;
mod dirs;
mod errors;
mod files;
mod handles;
mod inodes;
mod links;
mod locks;
mod rename;
mod stats;
mod threads;
mod times;
mod xattrs;

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// The POSIX code of a call that must fail.
#[track_caller]
fn code<T: Debug>(result: Result<T, FsError>) -> &'static str {
    result.expect_err("the call should have failed").code()
}

/// A long-ago time, to set before an operation so that "the time changed" cannot be confused
/// with "the clock did not tick".
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000)
}

/// A filesystem with `/d` (directory), `/d/f` (file "data"), `/l -> /d/f`.
fn sample() -> MemoryBackend {
    use anyfs_backend::{FsDir, FsLink, FsWrite};
    let fs = MemoryBackend::new();
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/f"), b"data").unwrap();
    fs.symlink(p("/d/f"), p("/l")).unwrap();
    fs
}
