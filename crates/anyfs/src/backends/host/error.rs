//! One mapping from host errors (`errno`) to [`FsError`] variants, so a host backend reports the
//! same variant the memory backend would (`ENOENT` is `NotFound`, not an opaque `Io`), always
//! with the caller's virtual path, never the host path.

use std::path::Path;

use anyfs_backend::FsError;
use rustix::io::Errno;

// The conditions the host backends detect themselves, with the same constructors as the
// engine's other backends.
pub(crate) use crate::posix_errors::{
    bad_handle, exists, invalid, is_dir, not_dir, not_found, root_busy,
};

/// The [`FsError`] for `errno` from `operation` on the virtual `path`.
///
/// Variants that carry no errno of their own (`EPERM`, `EIO`, `ENOSPC`, `EFBIG`, ...) become
/// [`FsError::Io`] with the raw OS error, so [`FsError::code`] still names the host's errno.
pub(crate) fn errno(operation: &'static str, path: &Path, errno: Errno) -> FsError {
    let path_buf = || path.to_path_buf();
    match errno {
        Errno::NOENT => FsError::NotFound {
            path: path_buf(),
            operation,
        },
        Errno::EXIST => FsError::AlreadyExists {
            path: path_buf(),
            operation,
        },
        Errno::ISDIR => FsError::NotAFile {
            path: path_buf(),
            operation,
        },
        Errno::NOTDIR => FsError::NotADirectory {
            path: path_buf(),
            operation,
        },
        Errno::NOTEMPTY => FsError::DirectoryNotEmpty {
            path: path_buf(),
            operation,
        },
        Errno::ACCESS => FsError::PermissionDenied {
            path: path_buf(),
            operation,
        },
        Errno::LOOP => FsError::SymlinkLoop {
            path: path_buf(),
            operation,
        },
        Errno::NAMETOOLONG => FsError::NameTooLong {
            path: path.to_string_lossy().into_owned(),
            operation,
        },
        Errno::INVAL => FsError::InvalidInput {
            operation,
            reason: format!("invalid argument for {}", path.display()),
        },
        Errno::BUSY => FsError::Busy {
            operation,
            reason: format!("{} is busy", path.display()),
        },
        Errno::AGAIN => FsError::WouldBlock {
            path: path_buf(),
            operation,
        },
        Errno::ROFS => FsError::ReadOnly { operation },
        Errno::XDEV => FsError::CrossDevice {
            from: path_buf(),
            to: path_buf(),
            operation,
        },
        other => FsError::Io {
            path: path_buf(),
            operation,
            source: std::io::Error::from_raw_os_error(other.raw_os_error()),
        },
    }
}

/// [`errno`] for a `std::io::Error` (from `std::fs::File` I/O); errors without an OS code stay
/// [`FsError::Io`].
pub(crate) fn io(operation: &'static str, path: &Path, error: std::io::Error) -> FsError {
    match error.raw_os_error() {
        Some(raw) => errno(operation, path, Errno::from_raw_os_error(raw)),
        None => FsError::io(operation, path, error),
    }
}

/// `ENODATA` on an xattr call means the attribute is missing; everything else maps as usual.
pub(crate) fn xattr(operation: &'static str, path: &Path, name: &str, error: Errno) -> FsError {
    if error == Errno::NODATA {
        FsError::XattrNotFound {
            path: path.to_path_buf(),
            name: name.to_owned(),
            operation,
        }
    } else {
        errno(operation, path, error)
    }
}
