//! Short constructors for the errors the memory backend returns, so each call site reads as the
//! POSIX condition it reports.

use std::path::Path;

use anyfs_backend::FsError;

pub(super) use crate::posix_errors::{
    bad_handle, exists, invalid, is_dir, not_dir, not_empty, not_found, root_busy,
};

/// `EFBIG`: an offset or size beyond what a file in memory can address.
pub(super) fn too_big(path: &Path, size: u64) -> FsError {
    FsError::FileSizeExceeded {
        path: path.to_path_buf(),
        size,
        limit: isize::MAX as u64,
    }
}

/// An inode the tables refer to is missing: an internal invariant broke. Reported, never a
/// panic.
pub(super) fn corrupt(operation: &'static str) -> FsError {
    FsError::backend(operation, "memory backend: inode table out of sync")
}
