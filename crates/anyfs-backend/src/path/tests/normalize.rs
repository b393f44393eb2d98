//! `normalize`: lexical only.

use std::path::Path;

use proptest::prelude::*;

use crate::path::{
    has_parent_component, is_plain, normalize, normalize_str, validate, validate_lexical,
    validate_lexical_bytes,
};

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
    fn scans_agree_with_the_component_definitions(s in "[/a.]{0,12}|/[/a.]{7,30}") {
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
    fn validate_lexical_is_the_three_calls(s in "[/a.0]{0,12}|/[/a.0ü]{7,30}|/[a/]{250,270}") {
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

    /// `validate_lexical_bytes` answers what `validate_lexical` answers, for any bytes: its
    /// ASCII fast path must not let through a path `validate` refuses (not UTF-8, NUL,
    /// relative, too long) nor refuse a valid one (any Unicode).
    #[test]
    #[cfg(unix)]
    fn validate_lexical_bytes_is_validate_lexical(
        raw in proptest::collection::vec(
            proptest::sample::select(vec![b'/', b'.', b'a', 0, 0xc3, 0xbc, 0xff, 0x80]),
            0..30,
        ),
        long in proptest::bool::weighted(0.1),
    ) {
        use std::os::unix::ffi::OsStrExt;
        let mut raw = raw;
        if long {
            raw.splice(0..0, b"/".iter().chain([b'x'; 255].iter()).copied());
        }
        let path = Path::new(std::ffi::OsStr::from_bytes(&raw));
        match (validate_lexical_bytes(path, "op"), validate_lexical(path, "op")) {
            (Ok(bytes), Ok(text)) => {
                prop_assert_eq!(&*bytes.normal, text.normal.as_bytes());
                prop_assert_eq!(bytes.has_parent, text.has_parent);
            }
            (Err(a), Err(b)) => prop_assert_eq!(format!("{a:?}"), format!("{b:?}")),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
    }

    /// What `is_plain` vouches for holds: `validate` accepts the path, `normalize_str` leaves
    /// it alone and it has no `..`.
    #[test]
    #[cfg(unix)]
    fn a_plain_path_is_valid_normal_and_has_no_parent(
        raw in proptest::collection::vec(
            proptest::sample::select(vec![b'/', b'.', b'a', 0, 0xc3, 0xbc, 0xff]),
            0..30,
        ),
        filler in 0usize..260,
    ) {
        use std::os::unix::ffi::OsStrExt;
        let mut raw = raw;
        raw.splice(0..0, b"/".iter().chain(std::iter::repeat_n(&b'x', filler)).copied());
        let path = Path::new(std::ffi::OsStr::from_bytes(&raw));
        if is_plain(path) {
            let text = validate(path, "op");
            prop_assert!(text.is_ok(), "{:?}", text);
            let text = text.unwrap_or_default();
            prop_assert_eq!(normalize_str(text), text);
            prop_assert!(!has_parent_component(text));
        }
    }
}

#[test]
fn is_plain_settles_the_usual_path_only() {
    for plain in ["/workspace/f1", "/workspace/src/main.rs", "/a/b/c/d/e/f/g"] {
        assert!(is_plain(Path::new(plain)), "{plain}");
    }
    let long = format!("/{}", "x".repeat(255));
    for other in [
        "/a/b",
        "relative/path",
        "/workspace/",
        "/workspace//f1",
        "/workspace/./f1",
        "/workspace/../f1",
        "/workspace/.env",
        "/workspace/ü/f",
        "/workspace/f\0",
        long.as_str(),
    ] {
        assert!(!is_plain(Path::new(other)), "{other:?}");
    }
}

/// Non-ASCII paths take the full check: valid Unicode passes, invalid UTF-8 and a NUL after
/// Unicode fail as `validate` fails.
#[test]
#[cfg(unix)]
fn validate_lexical_bytes_checks_what_ascii_cannot_vouch_for() {
    use std::os::unix::ffi::OsStrExt;
    let ok = validate_lexical_bytes(Path::new("/ü/./x"), "op").unwrap();
    assert_eq!(&*ok.normal, "/ü/x".as_bytes());
    for raw in [
        &b"/a/\xff"[..],
        b"/\xc3",
        b"/\xc3\xbc\0",
        b"/a\0/b",
        b"rel",
        b"",
    ] {
        let path = Path::new(std::ffi::OsStr::from_bytes(raw));
        let err = validate_lexical_bytes(path, "op").unwrap_err();
        assert_eq!(err.code(), "EINVAL", "{raw:?}");
        assert_eq!(
            format!("{err:?}"),
            format!("{:?}", validate(path, "op").unwrap_err())
        );
    }
}

/// The eight-bytes-at-a-time test (`plain`) against the byte scan, at every length across
/// its word boundaries and with every kind of byte it must notice at every position: it may
/// say "plain" only for a path the scan finds normal, valid and without `..`.
#[test]
#[cfg(unix)]
fn the_word_test_sees_every_byte_and_every_pair() {
    use std::os::unix::ffi::OsStrExt;
    for len in 1..=40usize {
        let base: Vec<u8> = (0..len)
            .map(|i| {
                if i % 5 == 0 {
                    b'/'
                } else {
                    b'a' + (i % 7) as u8
                }
            })
            .collect();
        // Without a trailing `/`, the clean path is plain once it has nine bytes.
        let mut clean = base.clone();
        if clean.last() == Some(&b'/') {
            clean.pop();
        }
        if clean.len() >= 9 {
            assert!(
                crate::path::plain(&clean),
                "{:?}",
                String::from_utf8_lossy(&clean)
            );
        }
        for at in 0..len {
            for byte in [b'/', b'.', 0, 0xc3, 0x80, 0x7f, b'a'] {
                let mut raw = base.clone();
                if let Some(b) = raw.get_mut(at) {
                    *b = byte;
                }
                let path = Path::new(std::ffi::OsStr::from_bytes(&raw));
                match (
                    validate_lexical_bytes(path, "op"),
                    validate_lexical(path, "op"),
                ) {
                    (Ok(bytes), Ok(text)) => {
                        assert_eq!(&*bytes.normal, text.normal.as_bytes(), "{raw:?}");
                        assert_eq!(bytes.has_parent, text.has_parent, "{raw:?}");
                    }
                    (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
                    (a, b) => panic!("{raw:?}: {a:?} vs {b:?}"),
                }
                if crate::path::plain(&raw) {
                    let text = std::str::from_utf8(&raw).unwrap();
                    assert!(validate(path, "op").is_ok(), "{raw:?}");
                    assert_eq!(normalize_str(text), text, "{raw:?}");
                    assert!(!has_parent_component(text), "{raw:?}");
                }
            }
        }
    }
}

/// `next_separator` finds the first `/` wherever it sits relative to its eight-byte words.
#[test]
fn next_separator_finds_the_first_slash() {
    for len in 0..40usize {
        for slash in 0..=len {
            let mut bytes = vec![b'a'; len];
            if let Some(b) = bytes.get_mut(slash) {
                *b = b'/';
            }
            // A second `/` later must not be found first.
            if let Some(b) = bytes.get_mut(slash + 3) {
                *b = b'/';
            }
            let want = bytes.iter().position(|&b| b == b'/');
            assert_eq!(crate::path::next_separator(&bytes), want, "{len} {slash}");
        }
    }
}

/// `separators` flags exactly the `/` bytes, at every length up to 64 and every position.
#[test]
fn separators_flag_every_slash_and_nothing_else() {
    for len in 0..=70usize {
        for first in 0..len.max(1) {
            let bytes: Vec<u8> = (0..len)
                .map(|i| if i == first || i % 7 == 3 { b'/' } else { b'x' })
                .collect();
            let want = (len <= 64).then(|| {
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'/')
                    .fold(0u64, |mask, (i, _)| mask | 1 << i)
            });
            assert_eq!(crate::path::separators(&bytes), want, "{len} {first}");
        }
    }
}
