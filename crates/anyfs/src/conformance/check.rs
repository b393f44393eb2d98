//! Assertion helpers that return `Err(String)` instead of panicking, so the kit stays library
//! code (no `unwrap`, `expect`, `panic!`) and one failing check ends only its own case.

use std::fmt::Debug;
use std::path::Path;

use crate::FsError;

/// The outcome of one conformance case: `Err` carries the first failed check's message.
pub type Outcome = Result<(), String>;

/// An expected error: the [`FsError`] variant (as [`FsError::kind`] names it) and its POSIX
/// [`code`](FsError::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// The variant name, e.g. `"NotFound"`.
    pub kind: &'static str,
    /// The POSIX name, e.g. `"ENOENT"`.
    pub code: &'static str,
}

/// `NotFound` / `ENOENT`.
pub const NOT_FOUND: Expected = Expected {
    kind: "NotFound",
    code: "ENOENT",
};
/// `AlreadyExists` / `EEXIST`.
pub const ALREADY_EXISTS: Expected = Expected {
    kind: "AlreadyExists",
    code: "EEXIST",
};
/// `NotAFile` / `EISDIR`: a file operation on a directory.
pub const IS_A_DIRECTORY: Expected = Expected {
    kind: "NotAFile",
    code: "EISDIR",
};
/// `NotADirectory` / `ENOTDIR`.
pub const NOT_A_DIRECTORY: Expected = Expected {
    kind: "NotADirectory",
    code: "ENOTDIR",
};
/// `DirectoryNotEmpty` / `ENOTEMPTY`.
pub const NOT_EMPTY: Expected = Expected {
    kind: "DirectoryNotEmpty",
    code: "ENOTEMPTY",
};
/// `InvalidPath` / `EINVAL`.
pub const INVALID_PATH: Expected = Expected {
    kind: "InvalidPath",
    code: "EINVAL",
};
/// `InvalidInput` / `EINVAL`.
pub const INVALID_INPUT: Expected = Expected {
    kind: "InvalidInput",
    code: "EINVAL",
};
/// `InvalidData` / `EINVAL`.
pub const INVALID_DATA: Expected = Expected {
    kind: "InvalidData",
    code: "EINVAL",
};
/// `NameTooLong` / `ENAMETOOLONG`.
pub const NAME_TOO_LONG: Expected = Expected {
    kind: "NameTooLong",
    code: "ENAMETOOLONG",
};
/// `SymlinkLoop` / `ELOOP`.
pub const SYMLINK_LOOP: Expected = Expected {
    kind: "SymlinkLoop",
    code: "ELOOP",
};
/// `InvalidHandle` / `EBADF`.
pub const INVALID_HANDLE: Expected = Expected {
    kind: "InvalidHandle",
    code: "EBADF",
};
/// `HandleAccess` / `EBADF`.
pub const HANDLE_ACCESS: Expected = Expected {
    kind: "HandleAccess",
    code: "EBADF",
};
/// `XattrNotFound` / `ENODATA`.
pub const XATTR_NOT_FOUND: Expected = Expected {
    kind: "XattrNotFound",
    code: "ENODATA",
};
/// `NotSupported` / `ENOSYS`.
pub const NOT_SUPPORTED: Expected = Expected {
    kind: "NotSupported",
    code: "ENOSYS",
};

/// Unwraps an `Ok`, or turns the error into the case's failure message.
pub fn ok<T>(result: Result<T, FsError>, what: &str) -> Result<T, String> {
    result.map_err(|e| format!("{what}: unexpected error {} ({}): {e}", e.code(), e.kind()))
}

/// Checks that `result` failed with exactly the `expected` variant and code.
pub fn expect_err<T>(result: Result<T, FsError>, expected: Expected, what: &str) -> Outcome {
    match result {
        Ok(_) => Err(format!(
            "{what}: expected {} ({}), got Ok",
            expected.code, expected.kind
        )),
        Err(e) if e.kind() == expected.kind && e.code() == expected.code => Ok(()),
        Err(e) => Err(format!(
            "{what}: expected {} ({}), got {} ({}): {e}",
            expected.code,
            expected.kind,
            e.code(),
            e.kind()
        )),
    }
}

/// Checks that `result` failed with one of the POSIX `codes` (when POSIX allows several).
pub fn expect_code_in<T>(result: Result<T, FsError>, codes: &[&str], what: &str) -> Outcome {
    match result {
        Ok(_) => Err(format!("{what}: expected one of {codes:?}, got Ok")),
        Err(e) if codes.contains(&e.code()) => Ok(()),
        Err(e) => Err(format!(
            "{what}: expected one of {codes:?}, got {} ({}): {e}",
            e.code(),
            e.kind()
        )),
    }
}

/// Fails with `message` unless `condition` holds.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

/// Fails unless `actual == expected`, showing both.
pub fn ensure_eq<T: PartialEq + Debug + ?Sized>(actual: &T, expected: &T, what: &str) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// Fails unless the bytes are equal; shows lengths and a short prefix instead of megabytes.
pub fn ensure_bytes(actual: &[u8], expected: &[u8], what: &str) -> Outcome {
    if actual == expected {
        return Ok(());
    }
    let first_diff = actual
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(actual.len().min(expected.len()));
    Err(format!(
        "{what}: content differs: {} bytes expected, {} read, first difference at byte {first_diff} \
         (expected starts {:?}, read starts {:?})",
        expected.len(),
        actual.len(),
        preview(expected),
        preview(actual)
    ))
}

fn preview(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes.get(..bytes.len().min(32)).unwrap_or_default()).into_owned()
}

/// `Path::new`, short because every case uses it many times.
pub fn p(path: &str) -> &Path {
    Path::new(path)
}
