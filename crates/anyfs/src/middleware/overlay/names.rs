//! The reserved names the overlay keeps in its upper layer, and small path and error helpers.
//!
//! - `.wh.<name>`: a *whiteout*, a file in an upper directory saying "`<name>` from the base is
//!   deleted" (its content is the name). A name too long to prefix (over 251 bytes) gets
//!   `.wh.#<16 hex digits>` instead, an FNV-1a hash of the name; the content then tells which
//!   name it hides, so a hash collision cannot hide the wrong entry;
//! - `.wh..wh..opq`: the *opaque marker*, an empty file inside an upper directory saying
//!   "nothing of the base directory at this path shows through";
//! - `.wh..wh.t<pid>.<n>`: scratch names for copy-ups and opaque directory creation, moved
//!   into place when complete (a crash can leave one behind; it stays hidden).
//!
//! Every name starting with `.wh.` is reserved: hidden from listings and refused in paths
//! (`EINVAL`), in both layers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyfs_backend::FsError;

pub(super) use crate::posix_errors::{
    exists, invalid, is_dir, not_dir, not_empty, not_found, root_busy,
};

/// Prefix of every reserved name.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// Name of the opaque marker file.
pub const OPAQUE_MARKER: &str = ".wh..wh..opq";
/// Prefix of scratch names.
const SCRATCH_PREFIX: &str = ".wh..wh.t";
/// Prefix of hashed whiteouts.
const HASHED_PREFIX: &str = ".wh.#";

/// True for names the overlay reserves.
pub(super) fn is_reserved(name: &str) -> bool {
    name.starts_with(WHITEOUT_PREFIX)
}

/// The `EINVAL` for a reserved name in a caller's path.
pub(super) fn reserved(name: &str, operation: &'static str) -> FsError {
    FsError::InvalidPath {
        path: name.to_owned(),
        operation,
        reason: "names starting with `.wh.` are reserved by the overlay",
    }
}

/// `dir/name`.
pub(super) fn join(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// The file name of the whiteout that hides `name`.
pub(super) fn whiteout_name(name: &str) -> String {
    if name.len() + WHITEOUT_PREFIX.len() <= anyfs_backend::path::MAX_NAME_LEN {
        format!("{WHITEOUT_PREFIX}{name}")
    } else {
        format!("{HASHED_PREFIX}{:016x}", fnv1a(name.as_bytes()))
    }
}

/// The whiteout that hides `name` of directory `dir`.
pub(super) fn whiteout_of(dir: &Path, name: &str) -> PathBuf {
    dir.join(whiteout_name(name))
}

/// True for a whiteout file name of the hashed form, whose content names what it hides.
pub(super) fn is_hashed(file_name: &str) -> bool {
    file_name.len() == HASHED_PREFIX.len() + 16
        && file_name
            .strip_prefix(HASHED_PREFIX)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// True for scratch names (and the opaque marker): reserved entries that are not whiteouts.
pub(super) fn is_bookkeeping(file_name: &str) -> bool {
    file_name == OPAQUE_MARKER || file_name.starts_with(SCRATCH_PREFIX)
}

/// 64-bit FNV-1a: a stable hash (the same in every process and version), so whiteouts stored
/// in a persistent upper layer keep their names.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The opaque marker of directory `dir`.
pub(super) fn opaque_marker(dir: &Path) -> PathBuf {
    dir.join(OPAQUE_MARKER)
}

/// A fresh scratch path in directory `dir`.
pub(super) fn scratch_in(dir: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{SCRATCH_PREFIX}{}.{n:x}", std::process::id()))
}

/// The parent directory and final name of a canonical path (`None` for the root).
pub(super) fn split(path: &Path) -> Option<(&Path, &str)> {
    let parent = path.parent()?;
    let name = path.file_name()?.to_str()?;
    Some((parent, name))
}

/// Treats `NotFound` as success (removing something that may not be there).
pub(super) fn ignore_missing(result: Result<(), FsError>) -> Result<(), FsError> {
    match result {
        Err(FsError::NotFound { .. }) => Ok(()),
        other => other,
    }
}

/// Treats `NotSupported` as success (copying an attribute a layer does not keep).
pub(super) fn ignore_unsupported(result: Result<(), FsError>) -> Result<(), FsError> {
    match result {
        Err(FsError::NotSupported { .. }) => Ok(()),
        other => other,
    }
}
