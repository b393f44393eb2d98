//! `normalize`: lexical only.

use std::path::Path;

use proptest::prelude::*;

use crate::path::{has_parent_component, normalize, normalize_str, validate, validate_lexical};

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

#[test]
fn finds_dotdot_components_only() {
    for (text, want) in [
        ("/a/../b", true),
        ("/..", true),
        ("..", true),
        ("../a", true),
        ("/a/..", true),
        ("/a/../", true),
        ("/a..", false),
        ("/..a/b", false),
        ("/.../b", false),
        ("/a/.", false),
        ("/", false),
        ("", false),
    ] {
        assert_eq!(has_parent_component(text), want, "{text:?}");
    }
}

proptest! {
    /// The byte scans say what the component-wise definitions say.
    #[test]
    fn scans_agree_with_the_component_definitions(s in "[/a.]{0,12}") {
        let names = s.strip_prefix('/').unwrap_or(&s);
        let normal = s.is_empty()
            || s == "/"
            || s == "."
            || (!s.ends_with('/') && names.split('/').all(|n| !n.is_empty() && n != "."));
        prop_assert_eq!(
            matches!(normalize_str(&s), std::borrow::Cow::Borrowed(_)),
            normal,
            "{:?}",
            s
        );
        prop_assert_eq!(has_parent_component(&s), s.split('/').any(|n| n == ".."), "{:?}", s);
    }

    /// `validate_lexical` fails as `validate` does, and otherwise gives what `normalize_str`
    /// and `has_parent_component` give.
    #[test]
    fn validate_lexical_is_the_three_calls(s in "[/a.0]{0,12}|/[a/]{250,270}") {
        let s = s.replace('0', "\0");
        let path = Path::new(&s);
        match (validate_lexical(path, "op"), validate(path, "op")) {
            (Ok(lexical), Ok(_)) => {
                prop_assert_eq!(lexical.normal, normalize_str(&s));
                prop_assert_eq!(lexical.has_parent, has_parent_component(&s));
            }
            (Err(a), Err(b)) => prop_assert_eq!(format!("{a:?}"), format!("{b:?}")),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
    }
}
