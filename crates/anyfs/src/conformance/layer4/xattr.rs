//! [`FsXattr`](crate::FsXattr) cases: set/get/list/remove, `ENODATA`, and attributes that
//! belong to the inode (they follow renames and are shared by hard links).

use std::collections::BTreeSet;

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::FsPosix;

/// The FsXattr cases.
pub fn cases<B: FsPosix>() -> Vec<Case<B>> {
    cases![B;
        xattr_roundtrip,
        xattr_missing_is_enodata,
        list_xattr_lists_names,
        remove_xattr_removes,
        xattr_on_directory,
        xattr_on_missing_path_is_not_found,
        xattrs_belong_to_the_inode,
    ]
}

fn get_x<B: FsPosix>(fs: &B, path: &str, name: &str) -> Result<Vec<u8>, String> {
    ok(
        fs.get_xattr(p(path), name),
        &format!("get_xattr {path} {name}"),
    )
}

fn user_names<B: FsPosix>(fs: &B, path: &str) -> Result<BTreeSet<String>, String> {
    // Host filesystems may add security.* or system.* attributes; the kit owns user.* only.
    Ok(ok(fs.list_xattr(p(path)), &format!("list_xattr {path}"))?
        .into_iter()
        .filter(|n| n.starts_with("user."))
        .collect())
}

fn xattr_roundtrip<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    ok(
        fs.set_xattr(p("/f"), "user.a", b"value"),
        "set_xattr user.a",
    )?;
    ensure_bytes(&get_x(&fs, "/f", "user.a")?, b"value", "get_xattr user.a")?;
    ok(fs.set_xattr(p("/f"), "user.a", b"v2"), "replace user.a")?;
    ensure_bytes(
        &get_x(&fs, "/f", "user.a")?,
        b"v2",
        "get_xattr after replace",
    )?;
    let binary = [0u8, 1, 255, 0, 7];
    ok(
        fs.set_xattr(p("/f"), "user.bin", &binary),
        "set_xattr user.bin",
    )?;
    ensure_bytes(&get_x(&fs, "/f", "user.bin")?, &binary, "binary value")?;
    ok(
        fs.set_xattr(p("/f"), "user.empty", b""),
        "set_xattr user.empty",
    )?;
    ensure_bytes(&get_x(&fs, "/f", "user.empty")?, b"", "empty value")?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "content is not touched by xattrs")
}

fn xattr_missing_is_enodata<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.get_xattr(p("/f"), "user.none"),
        XATTR_NOT_FOUND,
        "get_xattr absent",
    )?;
    expect_err(
        fs.remove_xattr(p("/f"), "user.none"),
        XATTR_NOT_FOUND,
        "remove_xattr absent",
    )
}

fn list_xattr_lists_names<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    ensure_eq(
        &user_names(&fs, "/f")?,
        &set(&[]),
        "list_xattr of a new file",
    )?;
    for name in ["user.z", "user.a", "user.m"] {
        ok(
            fs.set_xattr(p("/f"), name, b"1"),
            &format!("set_xattr {name}"),
        )?;
    }
    ok(fs.set_xattr(p("/f"), "user.a", b"2"), "replace user.a")?;
    ensure_eq(
        &user_names(&fs, "/f")?,
        &set(&["user.a", "user.m", "user.z"]),
        "list_xattr (as a set, each name once)",
    )?;
    let all = ok(fs.list_xattr(p("/f")), "list_xattr /f")?;
    let user_count = all.iter().filter(|n| n.starts_with("user.")).count();
    ensure_eq(&user_count, &3, "list_xattr names each attribute once")
}

fn remove_xattr_removes<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    ok(fs.set_xattr(p("/f"), "user.a", b"1"), "set user.a")?;
    ok(fs.set_xattr(p("/f"), "user.b", b"2"), "set user.b")?;
    ok(fs.remove_xattr(p("/f"), "user.a"), "remove user.a")?;
    expect_err(
        fs.get_xattr(p("/f"), "user.a"),
        XATTR_NOT_FOUND,
        "get after remove",
    )?;
    ensure_bytes(&get_x(&fs, "/f", "user.b")?, b"2", "the other attribute")?;
    ensure_eq(
        &user_names(&fs, "/f")?,
        &set(&["user.b"]),
        "list after remove",
    )
}

fn xattr_on_directory<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    ok(
        fs.set_xattr(p("/d"), "user.tag", b"dir"),
        "set_xattr on a directory",
    )?;
    ensure_bytes(
        &get_x(&fs, "/d", "user.tag")?,
        b"dir",
        "get_xattr on a directory",
    )?;
    ensure_eq(
        &user_names(&fs, "/d")?,
        &set(&["user.tag"]),
        "list on a directory",
    )
}

fn xattr_on_missing_path_is_not_found<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(
        fs.get_xattr(p("/missing"), "user.a"),
        NOT_FOUND,
        "get_xattr /missing",
    )?;
    expect_err(
        fs.set_xattr(p("/missing"), "user.a", b"1"),
        NOT_FOUND,
        "set_xattr /missing",
    )?;
    expect_err(
        fs.list_xattr(p("/missing")),
        NOT_FOUND,
        "list_xattr /missing",
    )?;
    expect_err(
        fs.remove_xattr(p("/missing"), "user.a"),
        NOT_FOUND,
        "remove_xattr /missing",
    )
}

fn xattrs_belong_to_the_inode<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    ok(fs.set_xattr(p("/f"), "user.k", b"v"), "set_xattr /f")?;
    ok(fs.rename(p("/f"), p("/g")), "rename /f /g")?;
    ensure_bytes(&get_x(&fs, "/g", "user.k")?, b"v", "xattr after rename")?;
    ok(fs.hard_link(p("/g"), p("/h")), "hard_link /g /h")?;
    ensure_bytes(
        &get_x(&fs, "/h", "user.k")?,
        b"v",
        "xattr through a hard link",
    )?;
    ok(fs.set_xattr(p("/h"), "user.k2", b"w"), "set_xattr via /h")?;
    ensure_bytes(
        &get_x(&fs, "/g", "user.k2")?,
        b"w",
        "set via one name, seen via the other",
    )?;
    put(&fs, "/g", b"rewritten")?;
    ensure_bytes(
        &get_x(&fs, "/g", "user.k")?,
        b"v",
        "xattr after rewriting the content",
    )
}
