//! Short constructors for the errors the engine's own backends and middleware return, so each
//! call site reads as the POSIX condition it reports. One copy, shared by MemoryBackend,
//! SqliteBackend, the host backends (StdFs, VRootFs) and Overlay.

use std::path::Path;

use anyfs_backend::FsError;

/// `ENOENT`.
pub(crate) fn not_found(path: &Path, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: path.to_path_buf(),
        operation,
    }
}

/// `EEXIST`.
pub(crate) fn exists(path: &Path, operation: &'static str) -> FsError {
    FsError::AlreadyExists {
        path: path.to_path_buf(),
        operation,
    }
}

/// `EISDIR`.
pub(crate) fn is_dir(path: &Path, operation: &'static str) -> FsError {
    FsError::NotAFile {
        path: path.to_path_buf(),
        operation,
    }
}

/// `ENOTDIR`.
pub(crate) fn not_dir(path: &Path, operation: &'static str) -> FsError {
    FsError::NotADirectory {
        path: path.to_path_buf(),
        operation,
    }
}

/// `ENOTEMPTY`.
pub(crate) fn not_empty(path: &Path, operation: &'static str) -> FsError {
    FsError::DirectoryNotEmpty {
        path: path.to_path_buf(),
        operation,
    }
}

/// `EINVAL`.
pub(crate) fn invalid(operation: &'static str, reason: &str) -> FsError {
    FsError::InvalidInput {
        operation,
        reason: reason.to_owned(),
    }
}

/// `EBUSY`: what Linux answers for removing or renaming the root.
pub(crate) fn root_busy(operation: &'static str) -> FsError {
    FsError::Busy {
        operation,
        reason: "the root directory cannot be removed or renamed".to_owned(),
    }
}

/// `EBADF`.
pub(crate) fn bad_handle(handle: u64, operation: &'static str) -> FsError {
    FsError::InvalidHandle { handle, operation }
}
