//! Extended attributes.

use anyfs_backend::{FsLink, FsXattr};

use super::{code, p, sample};

#[test]
fn set_get_list_remove() {
    let fs = sample();
    fs.set_xattr(p("/d/f"), "user.b", b"2").unwrap();
    fs.set_xattr(p("/d/f"), "user.a", b"1").unwrap();
    fs.set_xattr(p("/d/f"), "user.a", b"one").unwrap();
    assert_eq!(fs.get_xattr(p("/d/f"), "user.a").unwrap(), b"one");
    assert_eq!(fs.list_xattr(p("/d/f")).unwrap(), ["user.a", "user.b"]);
    fs.remove_xattr(p("/d/f"), "user.a").unwrap();
    assert_eq!(fs.list_xattr(p("/d/f")).unwrap(), ["user.b"]);
    assert_eq!(code(fs.get_xattr(p("/d/f"), "user.a")), "ENODATA");
    assert_eq!(code(fs.remove_xattr(p("/d/f"), "user.a")), "ENODATA");
}

#[test]
fn xattrs_follow_symlinks_and_are_shared_by_hard_links() {
    let fs = sample();
    fs.set_xattr(p("/l"), "user.k", b"v").unwrap();
    assert_eq!(fs.get_xattr(p("/d/f"), "user.k").unwrap(), b"v");
    fs.hard_link(p("/d/f"), p("/h")).unwrap();
    assert_eq!(fs.get_xattr(p("/h"), "user.k").unwrap(), b"v");
    fs.set_xattr(p("/d"), "com.apple.any", b"").unwrap();
    assert_eq!(fs.get_xattr(p("/d"), "com.apple.any").unwrap(), b"");
}

#[test]
fn bad_names_values_and_paths() {
    let fs = sample();
    assert_eq!(code(fs.set_xattr(p("/d/f"), "", b"x")), "EINVAL");
    assert_eq!(code(fs.get_xattr(p("/d/f"), "")), "EINVAL");
    assert_eq!(code(fs.set_xattr(p("/d/f"), "a\0b", b"x")), "EINVAL");
    let long = "u".repeat(256);
    assert_eq!(code(fs.set_xattr(p("/d/f"), &long, b"x")), "ENAMETOOLONG");
    let big = vec![0u8; super::super::MAX_XATTR_VALUE + 1];
    assert_eq!(code(fs.set_xattr(p("/d/f"), "user.big", &big)), "EINVAL");
    fs.set_xattr(p("/d/f"), "user.max", &big[1..]).unwrap();
    assert_eq!(code(fs.set_xattr(p("/missing"), "user.a", b"")), "ENOENT");
    assert_eq!(code(fs.list_xattr(p("/missing"))), "ENOENT");
}
