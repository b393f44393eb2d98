//! Short constructors for the errors the memory backend returns, so each call site reads as the
//! POSIX condition it reports.

use std::path::Path;

use anyfs_backend::FsError;

pub(super) fn not_found(path: &Path, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: path.to_path_buf(),
        operation,
    }
}

pub(super) fn exists(path: &Path, operation: &'static str) -> FsError {
    FsError::AlreadyExists {
        path: path.to_path_buf(),
        operation,
    }
}

/// `EISDIR`.
pub(super) fn is_dir(path: &Path, operation: &'static str) -> FsError {
    FsError::NotAFile {
        path: path.to_path_buf(),
        operation,
    }
}

/// `ENOTDIR`.
pub(super) fn not_dir(path: &Path, operation: &'static str) -> FsError {
    FsError::NotADirectory {
        path: path.to_path_buf(),
        operation,
    }
}

pub(super) fn not_empty(path: &Path, operation: &'static str) -> FsError {
    FsError::DirectoryNotEmpty {
        path: path.to_path_buf(),
        operation,
    }
}

pub(super) fn invalid(operation: &'static str, reason: &str) -> FsError {
    FsError::InvalidInput {
        operation,
        reason: reason.to_owned(),
    }
}

/// `EBUSY`: what Linux answers for removing or renaming the root.
pub(super) fn root_busy(operation: &'static str) -> FsError {
    FsError::Busy {
        operation,
        reason: "the root directory cannot be removed or renamed".to_owned(),
    }
}

pub(super) fn bad_handle(handle: u64, operation: &'static str) -> FsError {
    FsError::InvalidHandle { handle, operation }
}

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
