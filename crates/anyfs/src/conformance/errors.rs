//! Error handling and no-panic: missing files and parents give `NotFound`, every error a
//! backend returns is a matchable [`FsError`] whose `code()`, `errno()`, `kind()` and message
//! agree, and no bad input makes any operation panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use super::check::*;
use super::fixtures::*;
use super::report::{cases, Case, Factory};
use crate::{errno_description, errno_name, Fs, FsError};

/// The error-handling and no-panic cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    cases![B;
        missing_file_is_not_found_everywhere,
        missing_parent_is_not_found_everywhere,
        every_error_is_matchable_and_consistent,
        huge_sizes_fail_cleanly,
        no_panic_on_bad_input,
    ]
}

fn missing_file_is_not_found_everywhere<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let m = p("/missing");
    expect_err(fs.read(m), NOT_FOUND, "read")?;
    expect_err(fs.read_to_string(m), NOT_FOUND, "read_to_string")?;
    expect_err(fs.read_range(m, 0, 4), NOT_FOUND, "read_range")?;
    expect_err(fs.metadata(m), NOT_FOUND, "metadata")?;
    expect_err(fs.open_read(m), NOT_FOUND, "open_read")?;
    expect_err(fs.remove_file(m), NOT_FOUND, "remove_file")?;
    expect_err(fs.rename(m, p("/x")), NOT_FOUND, "rename")?;
    expect_err(fs.copy(m, p("/x")), NOT_FOUND, "copy")?;
    expect_err(fs.truncate(m, 0), NOT_FOUND, "truncate")?;
    expect_err(fs.read_dir(m), NOT_FOUND, "read_dir")?;
    expect_err(fs.remove_dir(m), NOT_FOUND, "remove_dir")?;
    expect_err(fs.remove_dir_all(m), NOT_FOUND, "remove_dir_all")?;
    ensure(!ok(fs.exists(m), "exists")?, || {
        "exists /missing is true".into()
    })?;
    ensure_eq(&names(&fs, "/")?, &set(&[]), "nothing was created")
}

fn missing_parent_is_not_found_everywhere<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/src", b"s")?;
    let m = p("/no/such/parent/f");
    expect_err(fs.write(m, b"x"), NOT_FOUND, "write")?;
    expect_err(fs.append(m, b"x"), NOT_FOUND, "append")?;
    expect_err(fs.open_write(m), NOT_FOUND, "open_write")?;
    expect_err(fs.create_dir(m), NOT_FOUND, "create_dir")?;
    expect_err(fs.copy(p("/src"), m), NOT_FOUND, "copy to")?;
    expect_err(fs.rename(p("/src"), m), NOT_FOUND, "rename to")?;
    expect_err(fs.metadata(m), NOT_FOUND, "metadata")?;
    expect_err(fs.read(m), NOT_FOUND, "read")?;
    ensure_eq(&names(&fs, "/")?, &set(&["src"]), "nothing was created")
}

/// Matches every variant the core operations produce, by pattern, and returns the arm taken:
/// this is what "all error variants are matchable" means for a caller.
fn arm(e: &FsError) -> &'static str {
    match e {
        FsError::NotFound { .. } => "NotFound",
        FsError::AlreadyExists { .. } => "AlreadyExists",
        FsError::NotAFile { .. } => "NotAFile",
        FsError::NotADirectory { .. } => "NotADirectory",
        FsError::DirectoryNotEmpty { .. } => "DirectoryNotEmpty",
        FsError::InvalidPath { .. } => "InvalidPath",
        FsError::NameTooLong { .. } => "NameTooLong",
        FsError::InvalidInput { .. } => "InvalidInput",
        FsError::InvalidData { .. } => "InvalidData",
        FsError::SymlinkLoop { .. } => "SymlinkLoop",
        FsError::PermissionDenied { .. } => "PermissionDenied",
        FsError::NotSupported { .. } => "NotSupported",
        FsError::Backend { .. } => "Backend",
        FsError::Io { .. } => "Io",
        _ => "other",
    }
}

/// Checks the internal consistency of one error.
fn consistent(e: &FsError, what: &str) -> Outcome {
    let message = e.to_string();
    ensure(!message.is_empty(), || {
        format!("{what}: empty error message")
    })?;
    ensure_eq(
        e.code(),
        errno_name(e.errno()),
        &format!("{what}: code vs errno"),
    )?;
    ensure(errno_description(e.code()) != "unknown error", || {
        format!("{what}: code {} has no description", e.code())
    })?;
    // These variants carry a limit or a policy reason instead of an operation.
    let has_no_operation = matches!(
        e,
        FsError::AccessDenied { .. }
            | FsError::QuotaExceeded { .. }
            | FsError::FileSizeExceeded { .. }
            | FsError::RateLimitExceeded { .. }
            | FsError::IntegrityError { .. }
    );
    ensure(
        has_no_operation || e.operation().is_some_and(|op| !op.is_empty()),
        || format!("{what}: the error records no operation: {message}"),
    )
}

fn every_error_is_matchable_and_consistent<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    put(&fs, "/f", &[0xff, 0xfe])?;
    let long = format!("/{}", "n".repeat(300));
    let cases: Vec<(&str, &str, Result<(), FsError>)> = vec![
        ("NotFound", "missing", fs.read(p("/missing")).map(drop)),
        ("AlreadyExists", "d", fs.create_dir(p("/d"))),
        ("NotAFile", "d", fs.read(p("/d")).map(drop)),
        ("NotADirectory", "f", fs.read_dir(p("/f")).map(drop)),
        ("DirectoryNotEmpty", "d", fs.remove_dir(p("/d"))),
        ("InvalidPath", "", fs.read(p("rel")).map(drop)),
        ("NameTooLong", "", fs.write(p(&long), b"x")),
        ("InvalidInput", "", fs.rename(p("/d"), p("/d/sub/x"))),
        ("InvalidData", "f", fs.read_to_string(p("/f")).map(drop)),
    ];
    for (expected, name_in_path, result) in cases {
        let e = match result {
            Ok(()) => return Err(format!("{expected}: the operation succeeded")),
            Err(e) => e,
        };
        ensure_eq(arm(&e), expected, "variant matched by pattern")?;
        ensure_eq(e.kind(), expected, "kind() agrees with the variant")?;
        consistent(&e, expected)?;
        if !name_in_path.is_empty() {
            let path = e.path().unwrap_or_default();
            ensure(path.contains(name_in_path), || {
                format!("{expected}: error path {path:?} does not name {name_in_path:?}")
            })?;
        }
    }
    Ok(())
}

fn huge_sizes_fail_cleanly<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"small")?;
    // Growing a file to 16 EiB must be refused, not attempted.
    match fs.truncate(p("/f"), u64::MAX) {
        Ok(()) => return Err("truncate to u64::MAX succeeded".into()),
        Err(e) => {
            consistent(&e, "truncate to u64::MAX")?;
            ensure(["EFBIG", "ENOSPC", "EINVAL"].contains(&e.code()), || {
                format!("truncate to u64::MAX: expected EFBIG/ENOSPC/EINVAL, got {e}")
            })?;
        }
    }
    ensure_bytes(&get(&fs, "/f")?, b"small", "content after refused truncate")
}

fn bad_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = [
        "",
        "relative",
        "./x",
        "../x",
        "/\0",
        "/a\0b",
        "/..",
        "/../..",
        "//",
        "///x",
        "/.",
        "/file/",
        "/file/x",
        "/file/..",
        "/dir/../..",
        "/dir/./",
        "/\u{feff}",
        "/%2e%2e",
        "\\",
        "/a\\b",
        "C:\\x",
        " ",
        "/ ",
        "/dir/\u{0}/x",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    paths.push(PathBuf::from(format!("/{}", "n".repeat(300))));
    paths.push(PathBuf::from(format!("/{}", "d/".repeat(3000))));
    #[cfg(unix)]
    {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        paths.push(PathBuf::from(OsStr::from_bytes(b"/\xff")));
        paths.push(PathBuf::from(OsStr::from_bytes(b"/dir/\xc3\x28")));
    }
    paths
}

type Probe<B> = (&'static str, fn(&B, &Path) -> Result<(), FsError>);

fn probes<B: Fs>() -> Vec<Probe<B>> {
    vec![
        ("read", |fs, path| fs.read(path).map(drop)),
        ("read_to_string", |fs, path| {
            fs.read_to_string(path).map(drop)
        }),
        ("read_range", |fs, path| {
            fs.read_range(path, u64::MAX, usize::MAX).map(drop)
        }),
        ("exists", |fs, path| fs.exists(path).map(drop)),
        ("metadata", |fs, path| fs.metadata(path).map(drop)),
        ("open_read", |fs, path| fs.open_read(path).map(drop)),
        ("write", |fs, path| fs.write(path, b"x")),
        ("append", |fs, path| fs.append(path, b"x")),
        ("truncate", |fs, path| fs.truncate(path, 3)),
        ("open_write", |fs, path| fs.open_write(path).map(drop)),
        ("copy from", |fs, path| fs.copy(path, Path::new("/copy"))),
        ("copy to", |fs, path| fs.copy(Path::new("/file"), path)),
        ("rename to", |fs, path| fs.rename(Path::new("/other"), path)),
        ("read_dir", |fs, path| fs.read_dir(path).map(drop)),
        ("create_dir", |fs, path| fs.create_dir(path)),
        ("create_dir_all", |fs, path| fs.create_dir_all(path)),
        ("rename from", |fs, path| {
            fs.rename(path, Path::new("/renamed"))
        }),
        ("remove_file", |fs, path| fs.remove_file(path)),
        ("remove_dir", |fs, path| fs.remove_dir(path)),
        ("remove_dir_all", |fs, path| fs.remove_dir_all(path)),
    ]
}

fn no_panic_on_bad_input<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let mut problems = Vec::new();
    for path in bad_paths() {
        // A fresh backend per path: the destructive probes must not change what the next
        // path meets.
        let fs = make();
        put(&fs, "/file", b"content")?;
        put(&fs, "/other", b"other")?;
        mkdirs(&fs, "/dir/sub")?;
        for (op, probe) in probes::<B>() {
            let what = format!("{op} {path:?}");
            match catch_unwind(AssertUnwindSafe(|| probe(&fs, &path))) {
                Err(_) => problems.push(format!("{what}: panicked")),
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    if let Err(msg) = consistent(&e, &what) {
                        problems.push(msg);
                    } else if matches!(e, FsError::Backend { .. }) || e.code() == "EIO" {
                        problems.push(format!("{what}: bad input reported as an I/O error: {e}"));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problem(s): {}",
            problems.len(),
            problems.join("; ")
        ))
    }
}
