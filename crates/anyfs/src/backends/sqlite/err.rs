//! Short constructors for the errors the SQLite backend returns, and the one mapping from
//! SQLite's errors to [`FsError`].

use std::path::{Path, PathBuf};

use anyfs_backend::{errno, FsError};
use rusqlite::ErrorCode;

pub(super) use crate::posix_errors::{
    bad_handle, exists, invalid, is_dir, not_dir, not_empty, not_found, root_busy,
};

/// `NotFound` for an inode number that names nothing (FUSE-style lookups, stale handles).
pub(super) fn unknown_inode(ino: u64, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: PathBuf::from(format!("<inode {ino}>")),
        operation,
    }
}

/// `EFBIG`: past the largest file the schema can address.
pub(super) fn too_big(path: &Path, size: u64, limit: u64) -> FsError {
    FsError::FileSizeExceeded {
        path: path.to_path_buf(),
        size,
        limit,
    }
}

/// A row the tables refer to is missing or malformed: an invariant broke (or another program
/// edited the database). Reported, never a panic.
pub(super) fn corrupt(operation: &'static str, what: &str) -> FsError {
    FsError::backend(
        operation,
        format!("sqlite backend: inconsistent database: {what}"),
    )
}

/// The file at `path` is not a database this backend may open (`EIO`, kind `Backend`).
pub(super) fn not_anyfs(path: &Path, why: &str) -> FsError {
    FsError::backend(
        "open",
        format!("not an AnyFS database: {}: {why}", path.display()),
    )
}

/// Maps a SQLite error: a lock held past the busy timeout is `Busy` (`EBUSY`), a full disk
/// `ENOSPC`, a read-only database `ReadOnly` (`EROFS`), a value over SQLite's limits
/// `FileSizeExceeded` (`EFBIG`); everything else is `Backend` (`EIO`) with SQLite's message.
pub(super) fn sql(operation: &'static str, error: rusqlite::Error) -> FsError {
    let code = error.sqlite_error_code();
    match code {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => FsError::Busy {
            operation,
            reason: format!(
                "database locked by another connection past the busy timeout ({error})"
            ),
        },
        Some(ErrorCode::DiskFull) => FsError::Io {
            path: PathBuf::new(),
            operation,
            source: std::io::Error::from_raw_os_error(errno::ENOSPC),
        },
        Some(ErrorCode::ReadOnly) => FsError::ReadOnly { operation },
        Some(ErrorCode::TooBig) => FsError::FileSizeExceeded {
            path: PathBuf::new(),
            size: 0,
            limit: 0,
        },
        _ => FsError::backend(operation, format!("sqlite: {error}")),
    }
}

/// `?`-friendly form of [`sql`] for an operation name.
pub(super) trait SqlResult<T> {
    /// Maps a SQLite error with [`sql`].
    fn op(self, operation: &'static str) -> Result<T, FsError>;
}

impl<T> SqlResult<T> for Result<T, rusqlite::Error> {
    fn op(self, operation: &'static str) -> Result<T, FsError> {
        self.map_err(|e| sql(operation, e))
    }
}
