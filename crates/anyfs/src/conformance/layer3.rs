//! Layer 3, [`FsFuse`]: [`FsInode`](crate::FsInode) (path_to_inode, inode_to_path, lookup,
//! metadata_by_inode) and the stability of inode numbers that FUSE relies on.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::PathBuf;

use super::check::*;
use super::fixtures::*;
use super::report::{cases, Case, Factory};
use crate::{FsFuse, Permissions, ROOT_INODE};

/// The layer 3 cases.
pub fn cases<B: FsFuse>() -> Vec<Case<B>> {
    cases![B;
        root_is_root_inode,
        inodes_are_distinct_and_match_metadata,
        inode_is_stable_across_changes,
        inode_to_path_follows_renames,
        lookup_finds_children,
        lookup_errors,
        metadata_by_inode_matches_symlink_metadata,
        unknown_inode_is_not_found,
        removed_node_inode_is_gone,
        hard_links_share_an_inode,
        read_dir_entries_carry_inodes,
    ]
}

fn ino<B: FsFuse>(fs: &B, path: &str) -> Result<u64, String> {
    ok(fs.path_to_inode(p(path)), &format!("path_to_inode {path}"))
}

fn root_is_root_inode<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ensure_eq(&ino(&fs, "/")?, &ROOT_INODE, "path_to_inode /")?;
    let root = ok(fs.inode_to_path(ROOT_INODE), "inode_to_path ROOT_INODE")?;
    ensure_eq(&root, &PathBuf::from("/"), "inode_to_path ROOT_INODE")?;
    let m = ok(
        fs.metadata_by_inode(ROOT_INODE),
        "metadata_by_inode ROOT_INODE",
    )?;
    ensure(m.is_dir(), || "the root inode is not a directory".into())?;
    ensure_eq(&m.inode, &ROOT_INODE, "metadata_by_inode(ROOT).inode")?;
    let m = ok(fs.metadata(p("/")), "metadata /")?;
    ensure_eq(&m.inode, &ROOT_INODE, "metadata(/).inode")
}

fn inodes_are_distinct_and_match_metadata<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/e")?;
    put(&fs, "/d/f", b"f")?;
    put(&fs, "/g", b"g")?;
    ok(fs.symlink(p("/g"), p("/l")), "symlink /g /l")?;
    let mut seen = BTreeSet::new();
    for path in ["/", "/d", "/d/e", "/d/f", "/g", "/l"] {
        let i = ino(&fs, path)?;
        ensure(i != 0, || format!("inode of {path} is 0"))?;
        ensure(seen.insert(i), || {
            format!("inode {i} of {path} is not unique")
        })?;
        let m = ok(
            fs.symlink_metadata(p(path)),
            &format!("symlink_metadata {path}"),
        )?;
        ensure_eq(&m.inode, &i, &format!("symlink_metadata({path}).inode"))?;
    }
    // path_to_inode does not follow a final symlink; metadata does.
    let target = ok(fs.metadata(p("/l")), "metadata /l")?;
    ensure_eq(
        &target.inode,
        &ino(&fs, "/g")?,
        "metadata through a symlink",
    )
}

fn inode_is_stable_across_changes<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/f", b"one")?;
    let file = ino(&fs, "/d/f")?;
    let dir = ino(&fs, "/d")?;
    put(&fs, "/d/f", b"rewritten")?;
    ensure_eq(&ino(&fs, "/d/f")?, &file, "inode after write")?;
    ok(fs.append(p("/d/f"), b"+"), "append")?;
    ok(fs.truncate(p("/d/f"), 2), "truncate")?;
    ok(
        fs.set_permissions(p("/d/f"), Permissions::from_mode(0o600)),
        "set_permissions",
    )?;
    ensure_eq(
        &ino(&fs, "/d/f")?,
        &file,
        "inode after append/truncate/chmod",
    )?;
    put(&fs, "/d/other", b"o")?;
    ensure_eq(
        &ino(&fs, "/d")?,
        &dir,
        "directory inode after adding an entry",
    )?;
    ok(fs.rename(p("/d/f"), p("/d/moved")), "rename /d/f /d/moved")?;
    ensure_eq(&ino(&fs, "/d/moved")?, &file, "inode after rename")?;
    ok(fs.rename(p("/d"), p("/e")), "rename /d /e")?;
    ensure_eq(&ino(&fs, "/e")?, &dir, "directory inode after rename")?;
    ensure_eq(
        &ino(&fs, "/e/moved")?,
        &file,
        "inode after renaming its parent",
    )
}

fn inode_to_path_follows_renames<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a/b")?;
    put(&fs, "/a/b/c", b"c")?;
    let file = ino(&fs, "/a/b/c")?;
    let found = ok(fs.inode_to_path(file), "inode_to_path of /a/b/c")?;
    ensure_eq(&found, &PathBuf::from("/a/b/c"), "inode_to_path")?;
    ok(fs.rename(p("/a"), p("/z")), "rename /a /z")?;
    let found = ok(fs.inode_to_path(file), "inode_to_path after rename")?;
    ensure_eq(
        &found,
        &PathBuf::from("/z/b/c"),
        "inode_to_path after parent rename",
    )
}

fn lookup_finds_children<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/f", b"f")?;
    ok(fs.symlink(p("/d"), p("/d/up")), "symlink /d /d/up")?;
    let d = ok(fs.lookup(ROOT_INODE, OsStr::new("d")), "lookup(ROOT, d)")?;
    ensure_eq(&d, &ino(&fs, "/d")?, "lookup(ROOT, d)")?;
    let f = ok(fs.lookup(d, OsStr::new("f")), "lookup(d, f)")?;
    ensure_eq(&f, &ino(&fs, "/d/f")?, "lookup(d, f)")?;
    let up = ok(fs.lookup(d, OsStr::new("up")), "lookup(d, up)")?;
    ensure_eq(
        &up,
        &ino(&fs, "/d/up")?,
        "lookup of a symlink does not follow it",
    )?;
    ensure(up != d, || {
        "lookup of a symlink returned its target's inode".into()
    })
}

fn lookup_errors<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    let f = ino(&fs, "/f")?;
    expect_err(
        fs.lookup(ROOT_INODE, OsStr::new("missing")),
        NOT_FOUND,
        "lookup missing",
    )?;
    expect_err(
        fs.lookup(f, OsStr::new("x")),
        NOT_A_DIRECTORY,
        "lookup in a file",
    )
}

fn metadata_by_inode_matches_symlink_metadata<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    put(&fs, "/f", b"12345")?;
    ok(fs.symlink(p("/f"), p("/l")), "symlink /f /l")?;
    for path in ["/d", "/f", "/l"] {
        let by_path = ok(
            fs.symlink_metadata(p(path)),
            &format!("symlink_metadata {path}"),
        )?;
        let by_inode = ok(
            fs.metadata_by_inode(ino(&fs, path)?),
            &format!("metadata_by_inode of {path}"),
        )?;
        let key = |m: &crate::Metadata| (m.inode, m.file_type, m.size, m.nlink, m.permissions);
        ensure_eq(
            &key(&by_inode),
            &key(&by_path),
            &format!("(inode, type, size, nlink, perm) of {path} by inode vs by path"),
        )?;
    }
    Ok(())
}

fn unknown_inode_is_not_found<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let bogus = u64::MAX - 7;
    expect_err(
        fs.inode_to_path(bogus),
        NOT_FOUND,
        "inode_to_path of an unknown inode",
    )?;
    expect_err(
        fs.metadata_by_inode(bogus),
        NOT_FOUND,
        "metadata_by_inode unknown",
    )?;
    expect_err(
        fs.lookup(bogus, OsStr::new("x")),
        NOT_FOUND,
        "lookup in an unknown inode",
    )
}

fn removed_node_inode_is_gone<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    let f = ino(&fs, "/f")?;
    let d = ino(&fs, "/d")?;
    ok(fs.remove_file(p("/f")), "remove_file /f")?;
    ok(fs.remove_dir(p("/d")), "remove_dir /d")?;
    expect_err(
        fs.path_to_inode(p("/f")),
        NOT_FOUND,
        "path_to_inode of a removed file",
    )?;
    expect_err(
        fs.metadata_by_inode(f),
        NOT_FOUND,
        "metadata_by_inode of a removed file",
    )?;
    expect_err(
        fs.inode_to_path(d),
        NOT_FOUND,
        "inode_to_path of a removed directory",
    )
}

fn hard_links_share_an_inode<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/a", b"x")?;
    ok(fs.hard_link(p("/a"), p("/b")), "hard_link /a /b")?;
    let a = ino(&fs, "/a")?;
    ensure_eq(&ino(&fs, "/b")?, &a, "inode of the second name")?;
    let m = ok(fs.metadata_by_inode(a), "metadata_by_inode")?;
    ensure_eq(&m.nlink, &2, "nlink by inode")?;
    let path = ok(fs.inode_to_path(a), "inode_to_path of a hard-linked file")?;
    ensure(path == p("/a") || path == p("/b"), || {
        format!("inode_to_path gave {path:?}, which is neither name")
    })?;
    ok(fs.remove_file(p("/a")), "remove_file /a")?;
    let path = ok(fs.inode_to_path(a), "inode_to_path after removing a name")?;
    ensure_eq(
        &path,
        &PathBuf::from("/b"),
        "inode_to_path gives the remaining name",
    )
}

fn read_dir_entries_carry_inodes<B: FsFuse>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    put(&fs, "/d/f", b"f")?;
    ok(fs.symlink(p("/d/f"), p("/d/l")), "symlink")?;
    let entries = ok(fs.read_dir(p("/d")), "read_dir /d")?;
    ensure_eq(&entries.len(), &3, "entry count")?;
    for e in entries {
        let path = format!("/d/{}", e.name.to_string_lossy());
        ensure_eq(
            &e.inode,
            &ino(&fs, &path)?,
            &format!("DirEntry.inode of {path}"),
        )?;
    }
    Ok(())
}
