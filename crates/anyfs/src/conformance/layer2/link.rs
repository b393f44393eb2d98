//! [`FsLink`](crate::FsLink) cases: symlink, hard_link, read_link, symlink_metadata, and
//! `nlink` bookkeeping.

use std::path::PathBuf;

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FileType, FsFull};

/// The FsLink cases.
pub fn cases<B: FsFull>() -> Vec<Case<B>> {
    cases![B;
        symlink_stores_target_verbatim,
        symlink_metadata_describes_the_link,
        symlink_metadata_of_plain_nodes,
        symlink_over_existing_is_eexist,
        symlink_missing_parent_is_not_found,
        read_link_errors,
        dangling_symlink_behaves,
        remove_file_removes_link_not_target,
        rename_moves_the_link,
        remove_dir_all_does_not_follow_symlinks,
        hard_link_shares_content,
        hard_link_errors,
        nlink_of_files_with_hard_links,
        nlink_of_directories,
    ]
}

fn symlink_stores_target_verbatim<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/target", b"t")?;
    mkdirs(&fs, "/d")?;
    for (target, link) in [
        ("/target", "/abs"),
        ("../target", "/d/rel"),
        ("does/not/exist", "/dangling"),
        ("/d/../target", "/dots"),
    ] {
        ok(
            fs.symlink(p(target), p(link)),
            &format!("symlink {target} {link}"),
        )?;
        let read = ok(fs.read_link(p(link)), &format!("read_link {link}"))?;
        ensure_eq(&read, &PathBuf::from(target), &format!("read_link {link}"))?;
    }
    ensure_eq(
        &types(&fs, "/")?.get("abs").copied(),
        &Some(FileType::Symlink),
        "read_dir / type of a symlink",
    )
}

fn symlink_metadata_describes_the_link<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/target", b"0123456789")?;
    ok(
        fs.symlink(p("/target"), p("/link")),
        "symlink /target /link",
    )?;
    let lm = ok(fs.symlink_metadata(p("/link")), "symlink_metadata /link")?;
    ensure_eq(
        &lm.file_type,
        &FileType::Symlink,
        "symlink_metadata file_type",
    )?;
    ensure(lm.is_symlink(), || {
        "symlink_metadata: is_symlink is false".into()
    })?;
    ensure_eq(
        &lm.size,
        &7,
        "symlink size is the target's length (\"/target\")",
    )?;
    ensure_eq(&(lm.mode() & 0o170_000), &0o120_000, "symlink S_IFMT")?;
    let m = ok(fs.metadata(p("/link")), "metadata /link")?;
    ensure_eq(
        &m.file_type,
        &FileType::File,
        "metadata follows the symlink",
    )?;
    ensure_eq(
        &m.size,
        &10,
        "metadata through the symlink has the target's size",
    )
}

fn symlink_metadata_of_plain_nodes<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"abc")?;
    mkdirs(&fs, "/d")?;
    let m = ok(fs.symlink_metadata(p("/f")), "symlink_metadata /f")?;
    ensure_eq(&m.file_type, &FileType::File, "symlink_metadata of a file")?;
    ensure_eq(&m.size, &3, "symlink_metadata size of a file")?;
    let m = ok(fs.symlink_metadata(p("/d")), "symlink_metadata /d")?;
    ensure_eq(
        &m.file_type,
        &FileType::Directory,
        "symlink_metadata of a dir",
    )?;
    expect_err(
        fs.symlink_metadata(p("/missing")),
        NOT_FOUND,
        "symlink_metadata /missing",
    )
}

fn symlink_over_existing_is_eexist<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    ok(fs.symlink(p("/f"), p("/l")), "symlink /f /l")?;
    expect_err(
        fs.symlink(p("/x"), p("/f")),
        ALREADY_EXISTS,
        "symlink over a file",
    )?;
    expect_err(
        fs.symlink(p("/x"), p("/d")),
        ALREADY_EXISTS,
        "symlink over a dir",
    )?;
    expect_err(
        fs.symlink(p("/x"), p("/l")),
        ALREADY_EXISTS,
        "symlink over a symlink",
    )?;
    let target = ok(fs.read_link(p("/l")), "read_link /l")?;
    ensure_eq(
        &target,
        &PathBuf::from("/f"),
        "existing link after failed symlink",
    )
}

fn symlink_missing_parent_is_not_found<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(
        fs.symlink(p("/t"), p("/missing/link")),
        NOT_FOUND,
        "symlink into a missing directory",
    )
}

fn read_link_errors<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    expect_err(fs.read_link(p("/f")), INVALID_INPUT, "read_link of a file")?;
    expect_err(
        fs.read_link(p("/d")),
        INVALID_INPUT,
        "read_link of a directory",
    )?;
    expect_err(fs.read_link(p("/missing")), NOT_FOUND, "read_link /missing")
}

fn dangling_symlink_behaves<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ok(
        fs.symlink(p("/nowhere"), p("/dangling")),
        "symlink /nowhere /dangling",
    )?;
    expect_err(
        fs.metadata(p("/dangling")),
        NOT_FOUND,
        "metadata of a dangling link",
    )?;
    expect_err(
        fs.read(p("/dangling")),
        NOT_FOUND,
        "read of a dangling link",
    )?;
    ensure(!ok(fs.exists(p("/dangling")), "exists /dangling")?, || {
        "exists follows links: a dangling one does not exist".into()
    })?;
    let lm = ok(
        fs.symlink_metadata(p("/dangling")),
        "symlink_metadata /dangling",
    )?;
    ensure(lm.is_symlink(), || "dangling link is not a symlink".into())?;
    ensure_eq(
        &names(&fs, "/")?,
        &set(&["dangling"]),
        "read_dir lists a dangling link",
    )
}

fn remove_file_removes_link_not_target<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/target", b"t")?;
    mkdirs(&fs, "/dir")?;
    ok(fs.symlink(p("/target"), p("/l")), "symlink /target /l")?;
    ok(fs.symlink(p("/dir"), p("/ld")), "symlink /dir /ld")?;
    ok(fs.remove_file(p("/l")), "remove_file /l")?;
    ok(
        fs.remove_file(p("/ld")),
        "remove_file of a link to a directory",
    )?;
    ensure_bytes(
        &get(&fs, "/target")?,
        b"t",
        "target after removing the link",
    )?;
    ensure_eq(&names(&fs, "/")?, &set(&["dir", "target"]), "read_dir /")
}

fn rename_moves_the_link<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/target", b"t")?;
    ok(fs.symlink(p("/target"), p("/l")), "symlink /target /l")?;
    ok(fs.rename(p("/l"), p("/l2")), "rename /l /l2")?;
    let target = ok(fs.read_link(p("/l2")), "read_link /l2")?;
    ensure_eq(&target, &PathBuf::from("/target"), "read_link after rename")?;
    ensure_bytes(
        &get(&fs, "/target")?,
        b"t",
        "target after renaming the link",
    )?;
    ensure_eq(&names(&fs, "/")?, &set(&["l2", "target"]), "read_dir /")
}

fn remove_dir_all_does_not_follow_symlinks<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/outside")?;
    put(&fs, "/outside/precious", b"p")?;
    mkdirs(&fs, "/t")?;
    ok(
        fs.symlink(p("/outside"), p("/t/link")),
        "symlink /outside /t/link",
    )?;
    ok(fs.remove_dir_all(p("/t")), "remove_dir_all /t")?;
    ensure_bytes(
        &get(&fs, "/outside/precious")?,
        b"p",
        "a file reached through a symlink survives remove_dir_all",
    )?;
    ensure_eq(&names(&fs, "/")?, &set(&["outside"]), "read_dir /")
}

fn hard_link_shares_content<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/a", b"first")?;
    ok(fs.hard_link(p("/a"), p("/d/b")), "hard_link /a /d/b")?;
    ensure_bytes(&get(&fs, "/d/b")?, b"first", "read the new name")?;
    put(&fs, "/d/b", b"second")?;
    ensure_bytes(
        &get(&fs, "/a")?,
        b"second",
        "write via one name, read via the other",
    )?;
    ok(fs.append(p("/a"), b"!"), "append /a")?;
    ensure_bytes(
        &get(&fs, "/d/b")?,
        b"second!",
        "append seen through the other name",
    )?;
    ok(fs.remove_file(p("/a")), "remove_file /a")?;
    ensure_bytes(
        &get(&fs, "/d/b")?,
        b"second!",
        "content survives removing one name",
    )
}

fn hard_link_errors<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    put(&fs, "/g", b"g")?;
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.hard_link(p("/d"), p("/d2")),
        IS_A_DIRECTORY,
        "hard_link of a directory",
    )?;
    expect_err(
        fs.hard_link(p("/f"), p("/g")),
        ALREADY_EXISTS,
        "hard_link onto a file",
    )?;
    expect_err(
        fs.hard_link(p("/missing"), p("/x")),
        NOT_FOUND,
        "hard_link /missing",
    )?;
    expect_err(
        fs.hard_link(p("/f"), p("/none/x")),
        NOT_FOUND,
        "hard_link into a missing directory",
    )?;
    ensure_bytes(&get(&fs, "/g")?, b"g", "destination after failed hard_link")
}

fn nlink_of_files_with_hard_links<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let nlink = |path: &str| -> Result<u64, String> {
        Ok(ok(fs.metadata(p(path)), &format!("metadata {path}"))?.nlink)
    };
    put(&fs, "/a", b"x")?;
    ensure_eq(&nlink("/a")?, &1, "nlink of a new file")?;
    ok(fs.hard_link(p("/a"), p("/b")), "hard_link /a /b")?;
    ok(fs.hard_link(p("/a"), p("/c")), "hard_link /a /c")?;
    ensure_eq(&nlink("/a")?, &3, "nlink of /a with three names")?;
    ensure_eq(&nlink("/c")?, &3, "nlink of /c with three names")?;
    ok(fs.remove_file(p("/b")), "remove_file /b")?;
    ensure_eq(&nlink("/a")?, &2, "nlink after removing a name")?;
    ok(
        fs.rename(p("/c"), p("/a")),
        "rename /c over /a (same inode)",
    )?;
    // rename(2) between two names of one inode does nothing.
    ensure_eq(
        &nlink("/a")?,
        &2,
        "nlink after renaming a link onto its twin",
    )
}

fn nlink_of_directories<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let nlink = |path: &str| -> Result<u64, String> {
        Ok(ok(fs.metadata(p(path)), &format!("metadata {path}"))?.nlink)
    };
    mkdirs(&fs, "/d")?;
    ensure_eq(
        &nlink("/d")?,
        &2,
        "nlink of an empty directory (. and its name)",
    )?;
    mkdirs(&fs, "/d/s1")?;
    mkdirs(&fs, "/d/s2")?;
    put(&fs, "/d/file", b"")?;
    ensure_eq(
        &nlink("/d")?,
        &4,
        "nlink with two subdirectories (each has ..)",
    )?;
    ok(fs.remove_dir(p("/d/s1")), "remove_dir /d/s1")?;
    ensure_eq(&nlink("/d")?, &3, "nlink after removing a subdirectory")?;
    mkdirs(&fs, "/e")?;
    ok(fs.rename(p("/d/s2"), p("/e/s2")), "rename /d/s2 /e/s2")?;
    ensure_eq(
        &nlink("/d")?,
        &2,
        "nlink of the old parent after moving a subdirectory",
    )?;
    ensure_eq(
        &nlink("/e")?,
        &3,
        "nlink of the new parent after moving a subdirectory",
    )
}
