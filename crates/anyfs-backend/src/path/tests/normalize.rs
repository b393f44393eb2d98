//! `normalize`: lexical only.

use std::path::Path;

use crate::path::{normalize, normalize_str};

#[test]
fn collapses_slashes_drops_dots_and_trailing_slash() {
    let cases = [
        ("/", "/"),
        ("//", "/"),
        ("/./.", "/"),
        ("/a//b///c/", "/a/b/c"),
        ("/a/./b/.", "/a/b"),
        ("a/./b/", "a/b"),
        ("./a", "a"),
        ("./", "."),
        (".", "."),
        ("", ""),
    ];
    for (input, want) in cases {
        assert_eq!(normalize(input), Path::new(want), "{input:?}");
    }
}

#[test]
fn keeps_dotdot() {
    assert_eq!(normalize("/a/../b"), Path::new("/a/../b"));
    assert_eq!(normalize("/../a/"), Path::new("/../a"));
    assert_eq!(normalize("../.."), Path::new("../.."));
}

#[test]
fn backslash_is_an_ordinary_character() {
    assert_eq!(normalize("/a\\b//c"), Path::new("/a\\b/c"));
}

#[test]
fn borrows_when_already_normal() {
    assert!(matches!(
        normalize_str("/a/b"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert!(matches!(normalize_str("/a//b"), std::borrow::Cow::Owned(_)));
}

#[cfg(unix)]
#[test]
fn non_utf8_is_normalized_bytewise() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let raw = Path::new(OsStr::from_bytes(b"//a\xff/./b/"));
    assert_eq!(normalize(raw).as_os_str().as_bytes(), b"/a\xff/b");
}
