//! [`FsError`], the one error type of every AnyFS operation, and its single POSIX mapping.

use std::path::PathBuf;

/// The error every AnyFS operation returns.
///
/// Each variant carries the context needed for a useful message (the path and the operation, or
/// the limit that was hit). [`FsError::code`] and [`FsError::errno`] are the one mapping to POSIX
/// used everywhere: by the Node binding for `err.code`, and by the FUSE adapter for replies.
///
/// ```
/// use anyfs_backend::FsError;
/// let err = FsError::NotFound { path: "/a".into(), operation: "read" };
/// assert_eq!(err.code(), "ENOENT");
/// assert_eq!(err.errno(), 2);
/// assert_eq!(err.kind(), "NotFound");
/// assert_eq!(err.to_string(), "read: not found: /a");
/// ```
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The path, or one of its parent directories, does not exist.
    #[error("{operation}: not found: {}", path.display())]
    NotFound {
        /// The path that was looked up.
        path: PathBuf,
        /// The operation that failed (`"read"`, `"metadata"`, ...).
        operation: &'static str,
    },

    /// The path already exists.
    #[error("{operation}: already exists: {}", path.display())]
    AlreadyExists {
        /// The path that exists.
        path: PathBuf,
        /// The operation that failed.
        operation: &'static str,
    },

    /// A file was expected, but the path names a directory.
    #[error("{operation}: is a directory: {}", path.display())]
    NotAFile {
        /// The directory's path.
        path: PathBuf,
        /// The operation that failed.
        operation: &'static str,
    },

    /// A directory was expected (as the target or as a parent component), but the path names
    /// something else.
    #[error("{operation}: not a directory: {}", path.display())]
    NotADirectory {
        /// The offending path.
        path: PathBuf,
        /// The operation that failed.
        operation: &'static str,
    },

    /// The directory is not empty.
    #[error("{operation}: directory not empty: {}", path.display())]
    DirectoryNotEmpty {
        /// The directory's path.
        path: PathBuf,
        /// The operation that failed.
        operation: &'static str,
    },

    /// The node's permission bits (or the backend's own rules) forbid the operation.
    #[error("{operation}: permission denied: {}", path.display())]
    PermissionDenied {
        /// The path.
        path: PathBuf,
        /// The operation that failed.
        operation: &'static str,
    },

    /// A policy layer (such as PathFilter) denied access to the path.
    #[error("access denied: {} ({reason})", path.display())]
    AccessDenied {
        /// The path.
        path: PathBuf,
        /// Why it was denied (`"path_denied"`, `"pattern_blocked"`, ...).
        reason: String,
    },

    /// The filesystem is read-only.
    #[error("{operation}: read-only filesystem")]
    ReadOnly {
        /// The mutating operation that was refused.
        operation: &'static str,
    },

    /// The operation is disabled by configuration (for example by Restrictions).
    #[error("{operation}: feature not enabled: {feature}")]
    FeatureNotEnabled {
        /// The disabled feature (`"symlinks"`, `"hard_links"`, `"permissions"`).
        feature: &'static str,
        /// The operation that was refused.
        operation: &'static str,
    },

    /// A total quota (bytes, node count, entries per directory, path depth) would be exceeded.
    #[error("quota exceeded: limit {limit}, requested {requested}, usage {usage}")]
    QuotaExceeded {
        /// The configured limit.
        limit: u64,
        /// What the operation asked for.
        requested: u64,
        /// The usage before the operation.
        usage: u64,
    },

    /// A single file would grow beyond its size limit.
    #[error("file too large: {} ({size} > {limit})", path.display())]
    FileSizeExceeded {
        /// The file.
        path: PathBuf,
        /// The size the file would have had.
        size: u64,
        /// The configured limit.
        limit: u64,
    },

    /// Too many operations in the rate limiter's window.
    #[error("rate limit exceeded: {limit} operations per {window_secs}s")]
    RateLimitExceeded {
        /// Operations allowed per window.
        limit: u32,
        /// The window, in seconds.
        window_secs: u64,
    },

    /// The backend does not implement this operation.
    #[error("{operation}: operation not supported")]
    NotSupported {
        /// The operation.
        operation: &'static str,
    },

    /// The path is not acceptable: empty, relative, containing NUL, not UTF-8, or escaping the
    /// root.
    #[error("{operation}: invalid path {path:?}: {reason}")]
    InvalidPath {
        /// The path as given (lossily converted for display).
        path: String,
        /// The operation that rejected it.
        operation: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A path component or the whole path is longer than the backend accepts.
    #[error("{operation}: name too long: {path}")]
    NameTooLong {
        /// The path (lossily converted for display).
        path: String,
        /// The operation.
        operation: &'static str,
    },

    /// Too many levels of symbolic links (a loop, or a chain deeper than the resolver allows).
    #[error("{operation}: too many levels of symbolic links: {}", path.display())]
    SymlinkLoop {
        /// The path being resolved.
        path: PathBuf,
        /// The operation.
        operation: &'static str,
    },

    /// An argument other than the path is invalid (for example renaming a directory into its own
    /// subtree, or a zero-length read buffer where one is required).
    #[error("{operation}: invalid argument: {reason}")]
    InvalidInput {
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },

    /// File contents were not valid for the requested interpretation (e.g. not UTF-8).
    #[error("{operation}: invalid data in {}: {reason}", path.display())]
    InvalidData {
        /// The file.
        path: PathBuf,
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },

    /// The handle is not open (never opened, or already closed).
    #[error("{operation}: bad file handle {handle}")]
    InvalidHandle {
        /// The raw handle value.
        handle: u64,
        /// The operation.
        operation: &'static str,
    },

    /// The handle was not opened with the access the operation needs.
    #[error("{operation}: handle {handle} is not open for {access}")]
    HandleAccess {
        /// The raw handle value.
        handle: u64,
        /// The operation.
        operation: &'static str,
        /// The missing access (`"reading"` or `"writing"`).
        access: &'static str,
    },

    /// The resource is locked and the caller asked not to wait.
    #[error("{operation}: resource temporarily unavailable: {}", path.display())]
    WouldBlock {
        /// The locked path.
        path: PathBuf,
        /// The operation.
        operation: &'static str,
    },

    /// Waiting would deadlock (for example a synchronous call re-entering a layer served by the
    /// same blocked thread).
    #[error("{operation}: resource deadlock avoided: {reason}")]
    Deadlock {
        /// The operation.
        operation: &'static str,
        /// Why waiting would never finish.
        reason: String,
    },

    /// The resource is busy (for example a database locked by another process beyond the busy
    /// timeout, or a mount point in use).
    #[error("{operation}: resource busy: {reason}")]
    Busy {
        /// The operation.
        operation: &'static str,
        /// What is busy.
        reason: String,
    },

    /// The operation would move a node between two filesystems that cannot share it.
    #[error("{operation}: cross-device link: {} -> {}", from.display(), to.display())]
    CrossDevice {
        /// The source path.
        from: PathBuf,
        /// The destination path.
        to: PathBuf,
        /// The operation.
        operation: &'static str,
    },

    /// The extended attribute does not exist on the node.
    #[error("{operation}: no such attribute {name:?} on {}", path.display())]
    XattrNotFound {
        /// The node.
        path: PathBuf,
        /// The attribute name.
        name: String,
        /// The operation.
        operation: &'static str,
    },

    /// Stored data failed an integrity check (checksum or authentication tag mismatch).
    #[error("integrity check failed: {}", path.display())]
    IntegrityError {
        /// The file whose data failed the check.
        path: PathBuf,
    },

    /// The operation did not finish within its time limit.
    #[error("{operation}: timed out after {millis} ms")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The time limit, in milliseconds.
        millis: u64,
    },

    /// A value could not be serialized (FsExt JSON helpers).
    #[error("{operation}: serialization failed: {message}")]
    Serialization {
        /// The operation.
        operation: &'static str,
        /// The serializer's message.
        message: String,
    },

    /// Stored data could not be deserialized (FsExt JSON helpers).
    #[error("{operation}: deserialization failed for {}: {message}", path.display())]
    Deserialization {
        /// The file that was read.
        path: PathBuf,
        /// The operation.
        operation: &'static str,
        /// The deserializer's message.
        message: String,
    },

    /// A backend-specific failure (database error, internal invariant, a panic caught at a
    /// boundary).
    #[error("{operation}: backend error: {message}")]
    Backend {
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },

    /// An I/O error from the host operating system.
    #[error("{operation}: {source}: {}", path.display())]
    Io {
        /// The host path or virtual path involved.
        path: PathBuf,
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// The POSIX errno values AnyFS uses, with Linux numbering.
///
/// Kept here (rather than depending on `libc`) so the contract crate needs only `thiserror`.
pub mod errno {
    /// Operation not permitted.
    pub const EPERM: i32 = 1;
    /// No such file or directory.
    pub const ENOENT: i32 = 2;
    /// I/O error.
    pub const EIO: i32 = 5;
    /// Bad file descriptor.
    pub const EBADF: i32 = 9;
    /// Resource temporarily unavailable.
    pub const EAGAIN: i32 = 11;
    /// Permission denied.
    pub const EACCES: i32 = 13;
    /// Device or resource busy.
    pub const EBUSY: i32 = 16;
    /// File exists.
    pub const EEXIST: i32 = 17;
    /// Cross-device link.
    pub const EXDEV: i32 = 18;
    /// Not a directory.
    pub const ENOTDIR: i32 = 20;
    /// Is a directory.
    pub const EISDIR: i32 = 21;
    /// Invalid argument.
    pub const EINVAL: i32 = 22;
    /// File too large.
    pub const EFBIG: i32 = 27;
    /// No space left on device.
    pub const ENOSPC: i32 = 28;
    /// Read-only file system.
    pub const EROFS: i32 = 30;
    /// Resource deadlock avoided.
    pub const EDEADLK: i32 = 35;
    /// File name too long.
    pub const ENAMETOOLONG: i32 = 36;
    /// Function not implemented.
    pub const ENOSYS: i32 = 38;
    /// Directory not empty.
    pub const ENOTEMPTY: i32 = 39;
    /// Too many levels of symbolic links.
    pub const ELOOP: i32 = 40;
    /// No data available (missing extended attribute).
    pub const ENODATA: i32 = 61;
    /// Operation not supported.
    pub const ENOTSUP: i32 = 95;
    /// Connection timed out (used for operations that exceeded their time limit).
    pub const ETIMEDOUT: i32 = 110;
    /// Disk quota exceeded.
    pub const EDQUOT: i32 = 122;
}

impl FsError {
    /// The POSIX error name (`"ENOENT"`, `"EEXIST"`, ...): what `err.code` is in Node and what
    /// the FUSE adapter replies with.
    pub fn code(&self) -> &'static str {
        errno_name(self.errno())
    }

    /// The POSIX error number (Linux numbering) for this error.
    pub fn errno(&self) -> i32 {
        use errno::*;
        match self {
            FsError::NotFound { .. } => ENOENT,
            FsError::AlreadyExists { .. } => EEXIST,
            FsError::NotAFile { .. } => EISDIR,
            FsError::NotADirectory { .. } => ENOTDIR,
            FsError::DirectoryNotEmpty { .. } => ENOTEMPTY,
            FsError::PermissionDenied { .. } | FsError::AccessDenied { .. } => EACCES,
            FsError::ReadOnly { .. } => EROFS,
            FsError::FeatureNotEnabled { .. } => EPERM,
            FsError::QuotaExceeded { .. } => ENOSPC,
            FsError::FileSizeExceeded { .. } => EFBIG,
            FsError::RateLimitExceeded { .. } => EAGAIN,
            FsError::NotSupported { .. } => ENOSYS,
            FsError::InvalidPath { .. }
            | FsError::InvalidInput { .. }
            | FsError::InvalidData { .. } => EINVAL,
            FsError::NameTooLong { .. } => ENAMETOOLONG,
            FsError::SymlinkLoop { .. } => ELOOP,
            FsError::InvalidHandle { .. } | FsError::HandleAccess { .. } => EBADF,
            FsError::WouldBlock { .. } => EAGAIN,
            FsError::Deadlock { .. } => EDEADLK,
            FsError::Busy { .. } => EBUSY,
            FsError::CrossDevice { .. } => EXDEV,
            FsError::XattrNotFound { .. } => ENODATA,
            FsError::Timeout { .. } => ETIMEDOUT,
            FsError::IntegrityError { .. }
            | FsError::Serialization { .. }
            | FsError::Deserialization { .. }
            | FsError::Backend { .. } => EIO,
            FsError::Io { source, .. } => source
                .raw_os_error()
                .unwrap_or_else(|| io_kind_errno(source.kind())),
        }
    }

    /// The variant's name (`"NotFound"`, `"QuotaExceeded"`, ...): the AnyFS-level kind, finer
    /// than [`code`](Self::code) (several kinds share `EACCES` or `EIO`).
    pub fn kind(&self) -> &'static str {
        match self {
            FsError::NotFound { .. } => "NotFound",
            FsError::AlreadyExists { .. } => "AlreadyExists",
            FsError::NotAFile { .. } => "NotAFile",
            FsError::NotADirectory { .. } => "NotADirectory",
            FsError::DirectoryNotEmpty { .. } => "DirectoryNotEmpty",
            FsError::PermissionDenied { .. } => "PermissionDenied",
            FsError::AccessDenied { .. } => "AccessDenied",
            FsError::ReadOnly { .. } => "ReadOnly",
            FsError::FeatureNotEnabled { .. } => "FeatureNotEnabled",
            FsError::QuotaExceeded { .. } => "QuotaExceeded",
            FsError::FileSizeExceeded { .. } => "FileSizeExceeded",
            FsError::RateLimitExceeded { .. } => "RateLimitExceeded",
            FsError::NotSupported { .. } => "NotSupported",
            FsError::InvalidPath { .. } => "InvalidPath",
            FsError::NameTooLong { .. } => "NameTooLong",
            FsError::SymlinkLoop { .. } => "SymlinkLoop",
            FsError::InvalidInput { .. } => "InvalidInput",
            FsError::InvalidData { .. } => "InvalidData",
            FsError::InvalidHandle { .. } => "InvalidHandle",
            FsError::HandleAccess { .. } => "HandleAccess",
            FsError::WouldBlock { .. } => "WouldBlock",
            FsError::Deadlock { .. } => "Deadlock",
            FsError::Busy { .. } => "Busy",
            FsError::CrossDevice { .. } => "CrossDevice",
            FsError::XattrNotFound { .. } => "XattrNotFound",
            FsError::IntegrityError { .. } => "IntegrityError",
            FsError::Timeout { .. } => "Timeout",
            FsError::Serialization { .. } => "Serialization",
            FsError::Deserialization { .. } => "Deserialization",
            FsError::Backend { .. } => "Backend",
            FsError::Io { .. } => "Io",
        }
    }

    /// The operation the error came from, where the variant records one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            FsError::NotFound { operation, .. }
            | FsError::AlreadyExists { operation, .. }
            | FsError::NotAFile { operation, .. }
            | FsError::NotADirectory { operation, .. }
            | FsError::DirectoryNotEmpty { operation, .. }
            | FsError::PermissionDenied { operation, .. }
            | FsError::ReadOnly { operation }
            | FsError::FeatureNotEnabled { operation, .. }
            | FsError::NotSupported { operation }
            | FsError::InvalidPath { operation, .. }
            | FsError::NameTooLong { operation, .. }
            | FsError::SymlinkLoop { operation, .. }
            | FsError::InvalidInput { operation, .. }
            | FsError::InvalidData { operation, .. }
            | FsError::InvalidHandle { operation, .. }
            | FsError::HandleAccess { operation, .. }
            | FsError::WouldBlock { operation, .. }
            | FsError::Deadlock { operation, .. }
            | FsError::Busy { operation, .. }
            | FsError::CrossDevice { operation, .. }
            | FsError::XattrNotFound { operation, .. }
            | FsError::Timeout { operation, .. }
            | FsError::Serialization { operation, .. }
            | FsError::Deserialization { operation, .. }
            | FsError::Backend { operation, .. }
            | FsError::Io { operation, .. } => Some(operation),
            FsError::AccessDenied { .. }
            | FsError::QuotaExceeded { .. }
            | FsError::FileSizeExceeded { .. }
            | FsError::RateLimitExceeded { .. }
            | FsError::IntegrityError { .. } => None,
        }
    }

    /// The path the error is about, where the variant records one.
    pub fn path(&self) -> Option<String> {
        match self {
            FsError::NotFound { path, .. }
            | FsError::AlreadyExists { path, .. }
            | FsError::NotAFile { path, .. }
            | FsError::NotADirectory { path, .. }
            | FsError::DirectoryNotEmpty { path, .. }
            | FsError::PermissionDenied { path, .. }
            | FsError::AccessDenied { path, .. }
            | FsError::FileSizeExceeded { path, .. }
            | FsError::SymlinkLoop { path, .. }
            | FsError::InvalidData { path, .. }
            | FsError::WouldBlock { path, .. }
            | FsError::XattrNotFound { path, .. }
            | FsError::IntegrityError { path }
            | FsError::Deserialization { path, .. }
            | FsError::Io { path, .. } => Some(path.to_string_lossy().into_owned()),
            FsError::CrossDevice { from, .. } => Some(from.to_string_lossy().into_owned()),
            FsError::InvalidPath { path, .. } | FsError::NameTooLong { path, .. } => {
                Some(path.clone())
            }
            FsError::ReadOnly { .. }
            | FsError::FeatureNotEnabled { .. }
            | FsError::QuotaExceeded { .. }
            | FsError::RateLimitExceeded { .. }
            | FsError::NotSupported { .. }
            | FsError::InvalidInput { .. }
            | FsError::InvalidHandle { .. }
            | FsError::HandleAccess { .. }
            | FsError::Deadlock { .. }
            | FsError::Busy { .. }
            | FsError::Timeout { .. }
            | FsError::Serialization { .. }
            | FsError::Backend { .. } => None,
        }
    }

    /// The second path of a two-path error (the destination of a cross-device rename).
    pub fn dest(&self) -> Option<String> {
        match self {
            FsError::CrossDevice { to, .. } => Some(to.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    /// Wraps a host I/O error with its path and operation.
    pub fn io(operation: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        FsError::Io {
            path: path.into(),
            operation,
            source,
        }
    }

    /// A backend failure with a message.
    pub fn backend(operation: &'static str, message: impl Into<String>) -> Self {
        FsError::Backend {
            operation,
            message: message.into(),
        }
    }
}

/// The POSIX description node:fs prints for an error name (`"no such file or directory"`).
pub fn errno_description(code: &str) -> &'static str {
    match code {
        "EPERM" => "operation not permitted",
        "ENOENT" => "no such file or directory",
        "EIO" => "i/o error",
        "EBADF" => "bad file descriptor",
        "EAGAIN" => "resource temporarily unavailable",
        "EACCES" => "permission denied",
        "EBUSY" => "resource busy or locked",
        "EEXIST" => "file already exists",
        "EXDEV" => "cross-device link not permitted",
        "ENOTDIR" => "not a directory",
        "EISDIR" => "illegal operation on a directory",
        "EINVAL" => "invalid argument",
        "EFBIG" => "file too large",
        "ENOSPC" => "no space left on device",
        "EROFS" => "read-only file system",
        "EDEADLK" => "resource deadlock avoided",
        "ENAMETOOLONG" => "name too long",
        "ENOSYS" => "function not implemented",
        "ENOTEMPTY" => "directory not empty",
        "ELOOP" => "too many symbolic links encountered",
        "ENODATA" => "no data available",
        "ENOTSUP" => "operation not supported on socket",
        "ETIMEDOUT" => "connection timed out",
        "EDQUOT" => "disk quota exceeded",
        _ => "unknown error",
    }
}

/// Name of a Linux errno value; `"EIO"` for values AnyFS does not produce itself.
pub fn errno_name(errno: i32) -> &'static str {
    use errno::*;
    match errno {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        EXDEV => "EXDEV",
        ENOTDIR => "ENOTDIR",
        EISDIR => "EISDIR",
        EINVAL => "EINVAL",
        EFBIG => "EFBIG",
        ENOSPC => "ENOSPC",
        EROFS => "EROFS",
        EDEADLK => "EDEADLK",
        ENAMETOOLONG => "ENAMETOOLONG",
        ENOSYS => "ENOSYS",
        ENOTEMPTY => "ENOTEMPTY",
        ELOOP => "ELOOP",
        ENODATA => "ENODATA",
        ENOTSUP => "ENOTSUP",
        ETIMEDOUT => "ETIMEDOUT",
        EDQUOT => "EDQUOT",
        _ => "EIO",
    }
}

fn io_kind_errno(kind: std::io::ErrorKind) -> i32 {
    use errno::*;
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => ENOENT,
        K::PermissionDenied => EACCES,
        K::AlreadyExists => EEXIST,
        K::WouldBlock => EAGAIN,
        K::InvalidInput | K::InvalidData => EINVAL,
        K::TimedOut => ETIMEDOUT,
        K::Unsupported => ENOSYS,
        _ => EIO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_description() {
        let samples = [
            FsError::NotFound {
                path: "/a".into(),
                operation: "read",
            },
            FsError::QuotaExceeded {
                limit: 1,
                requested: 2,
                usage: 0,
            },
            FsError::FileSizeExceeded {
                path: "/a".into(),
                size: 2,
                limit: 1,
            },
            FsError::SymlinkLoop {
                path: "/l".into(),
                operation: "read",
            },
            FsError::Deadlock {
                operation: "read",
                reason: "x".into(),
            },
            FsError::XattrNotFound {
                path: "/a".into(),
                name: "user.x".into(),
                operation: "get_xattr",
            },
        ];
        for e in samples {
            assert_ne!(errno_description(e.code()), "unknown error", "{}", e.code());
        }
    }

    #[test]
    fn io_errors_keep_their_os_errno() {
        let e = FsError::io(
            "read",
            "/x",
            std::io::Error::from_raw_os_error(errno::ENOTEMPTY),
        );
        assert_eq!(e.code(), "ENOTEMPTY");
        let e = FsError::io(
            "read",
            "/x",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(e.code(), "ENOENT");
    }

    #[test]
    fn codes_map_as_posix_says() {
        let p = || std::path::PathBuf::from("/p");
        assert_eq!(
            FsError::NotAFile {
                path: p(),
                operation: "read"
            }
            .code(),
            "EISDIR"
        );
        assert_eq!(
            FsError::NotADirectory {
                path: p(),
                operation: "read_dir"
            }
            .code(),
            "ENOTDIR"
        );
        assert_eq!(
            FsError::DirectoryNotEmpty {
                path: p(),
                operation: "remove_dir"
            }
            .code(),
            "ENOTEMPTY"
        );
        assert_eq!(FsError::ReadOnly { operation: "write" }.code(), "EROFS");
        assert_eq!(
            FsError::AccessDenied {
                path: p(),
                reason: "x".into()
            }
            .code(),
            "EACCES"
        );
        assert_eq!(FsError::NotSupported { operation: "x" }.code(), "ENOSYS");
        assert_eq!(
            FsError::InvalidHandle {
                handle: 9,
                operation: "x"
            }
            .code(),
            "EBADF"
        );
    }
}
