//! `validate`: every rejection with its code, and what is accepted.

use std::path::Path;

use crate::path::{validate, MAX_NAME_LEN, MAX_PATH_LEN};

fn code(path: &str) -> &'static str {
    validate(Path::new(path), "op").unwrap_err().code()
}

#[test]
fn empty_path_is_einval() {
    let err = validate(Path::new(""), "read").unwrap_err();
    assert_eq!(err.code(), "EINVAL");
    assert_eq!(err.kind(), "InvalidPath");
    assert_eq!(err.operation(), Some("read"));
}

#[test]
fn relative_paths_are_einval() {
    for path in ["a", "a/b", "./a", "../a", " /a"] {
        assert_eq!(code(path), "EINVAL", "{path}");
    }
}

#[test]
fn nul_byte_is_einval() {
    assert_eq!(code("/a\0"), "EINVAL");
    assert_eq!(code("/\0/b"), "EINVAL");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_is_einval() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let path = Path::new(OsStr::from_bytes(b"/a\xff"));
    let err = validate(path, "read").unwrap_err();
    assert_eq!(err.code(), "EINVAL");
    assert!(err.to_string().contains("UTF-8"), "{err}");
}

#[test]
fn names_and_paths_over_the_limits_are_enametoolong() {
    let name_ok = format!("/{}", "n".repeat(MAX_NAME_LEN));
    assert!(validate(Path::new(&name_ok), "op").is_ok());
    let name_long = format!("/{}", "n".repeat(MAX_NAME_LEN + 1));
    assert_eq!(code(&name_long), "ENAMETOOLONG");
    // Limits are bytes: 128 two-byte characters exceed 255 bytes.
    assert_eq!(code(&format!("/{}", "é".repeat(128))), "ENAMETOOLONG");

    let path_ok = format!("/{}", "a/".repeat((MAX_PATH_LEN - 1) / 2));
    assert!(path_ok.len() <= MAX_PATH_LEN);
    assert!(validate(Path::new(&path_ok), "op").is_ok());
    let path_long = format!("/{}", "a".repeat(200)).repeat(MAX_PATH_LEN / 200 + 1);
    assert_eq!(code(&path_long), "ENAMETOOLONG");
}

#[test]
fn ordinary_characters_are_accepted() {
    for path in [
        "/",
        "/a b",
        "/back\\slash",
        "/ünï/cødé/名前/🦀",
        "/a//b/",
        "/a/../b",
        "/.hidden",
        "/...",
    ] {
        assert_eq!(validate(Path::new(path), "op").unwrap(), path);
    }
}
