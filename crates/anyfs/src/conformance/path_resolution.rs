//! Path resolution: symlinks in every position, `..` after a symlink (resolved through its
//! target, not lexically), chains, loops and the depth limit.
//!
//! Each case plants a decoy where lexical resolution would land, so a resolver that cuts
//! corners reads the decoy and fails.

use std::path::PathBuf;

use super::check::*;
use super::fixtures::*;
use super::report::{cases, Case, Factory};
use crate::path::MAX_SYMLINKS;
use crate::{FileType, FsFull};

/// The path resolution cases.
pub fn cases<B: FsFull>() -> Vec<Case<B>> {
    cases![B;
        dotdot_after_directory,
        dotdot_after_symlink_uses_the_target,
        symlink_chain_resolves,
        relative_symlink_targets,
        symlink_to_directory_in_the_middle,
        symlink_to_root,
        symlink_to_file_in_the_middle_is_enotdir,
        symlink_loop_is_eloop,
        max_symlink_depth_is_enforced,
        write_through_symlink_writes_target,
        write_through_dangling_symlink_creates_target,
        remove_dir_on_symlink_is_enotdir,
        dotdot_above_root_is_root,
    ]
}

fn dotdot_after_directory<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/foo/inner")?;
    put(&fs, "/bar", b"bar")?;
    ensure_bytes(&get(&fs, "/foo/../bar")?, b"bar", "read /foo/../bar")?;
    ensure_bytes(
        &get(&fs, "/foo/inner/../../bar")?,
        b"bar",
        "read /foo/inner/../../bar",
    )?;
    ensure_bytes(
        &get(&fs, "/foo/./inner/.././../bar")?,
        b"bar",
        "read with . and ..",
    )
}

fn dotdot_after_symlink_uses_the_target<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a/b")?;
    put(&fs, "/a/target.txt", b"through the link")?;
    put(&fs, "/target.txt", b"lexical decoy")?;
    ok(fs.symlink(p("/a/b"), p("/foo")), "symlink /a/b /foo")?;
    // /foo -> /a/b, so /foo/.. is /a, not /.
    ensure_bytes(
        &get(&fs, "/foo/../target.txt")?,
        b"through the link",
        "read /foo/../target.txt",
    )?;
    let listed = names(&fs, "/foo/..")?;
    ensure_eq(&listed, &set(&["b", "target.txt"]), "read_dir /foo/..")
}

fn symlink_chain_resolves<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/target", b"end of chain")?;
    ok(fs.symlink(p("/target"), p("/c")), "symlink /target /c")?;
    ok(fs.symlink(p("/c"), p("/b")), "symlink /c /b")?;
    ok(fs.symlink(p("/b"), p("/a")), "symlink /b /a")?;
    ensure_bytes(
        &get(&fs, "/a")?,
        b"end of chain",
        "read /a (A -> B -> C -> target)",
    )?;
    let m = ok(fs.metadata(p("/a")), "metadata /a")?;
    ensure_eq(
        &m.file_type,
        &FileType::File,
        "metadata /a follows the chain",
    )?;
    ensure_eq(&m.size, &12, "metadata /a size")?;
    let lm = ok(fs.symlink_metadata(p("/a")), "symlink_metadata /a")?;
    ensure_eq(&lm.file_type, &FileType::Symlink, "symlink_metadata /a")?;
    let first = ok(fs.read_link(p("/a")), "read_link /a")?;
    ensure_eq(
        &first,
        &PathBuf::from("/b"),
        "read_link reads one level only",
    )
}

fn relative_symlink_targets<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/dir/sub")?;
    put(&fs, "/top", b"top")?;
    put(&fs, "/dir/sibling", b"sibling")?;
    put(&fs, "/dir/sub/deep", b"deep")?;
    put(&fs, "/dir/top", b"decoy: relative to the cwd, not the link")?;
    ok(
        fs.symlink(p("../top"), p("/dir/up")),
        "symlink ../top /dir/up",
    )?;
    ok(
        fs.symlink(p("sibling"), p("/dir/side")),
        "symlink sibling /dir/side",
    )?;
    ok(
        fs.symlink(p("./sub/deep"), p("/dir/down")),
        "symlink ./sub/deep /dir/down",
    )?;
    ok(
        fs.symlink(p("../../top"), p("/dir/sub/up2")),
        "symlink ../../top",
    )?;
    ensure_bytes(&get(&fs, "/dir/up")?, b"top", "read /dir/up -> ../top")?;
    ensure_bytes(
        &get(&fs, "/dir/side")?,
        b"sibling",
        "read /dir/side -> sibling",
    )?;
    ensure_bytes(
        &get(&fs, "/dir/down")?,
        b"deep",
        "read /dir/down -> ./sub/deep",
    )?;
    ensure_bytes(
        &get(&fs, "/dir/sub/up2")?,
        b"top",
        "read /dir/sub/up2 -> ../../top",
    )
}

fn symlink_to_directory_in_the_middle<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/real/inner")?;
    put(&fs, "/real/f", b"f")?;
    ok(fs.symlink(p("/real"), p("/ld")), "symlink /real /ld")?;
    ensure_bytes(&get(&fs, "/ld/f")?, b"f", "read /ld/f")?;
    ensure_eq(&names(&fs, "/ld")?, &set(&["f", "inner"]), "read_dir /ld")?;
    ensure(
        ok(fs.metadata(p("/ld/")), "metadata /ld/")?.is_dir(),
        || "metadata /ld/ (trailing slash follows the link) is not a directory".into(),
    )?;
    put(&fs, "/ld/new", b"n")?;
    ensure_bytes(
        &get(&fs, "/real/new")?,
        b"n",
        "write through /ld lands in /real",
    )?;
    ok(fs.create_dir(p("/ld/inner/x")), "create_dir through /ld")?;
    ensure(
        ok(fs.metadata(p("/real/inner/x")), "metadata")?.is_dir(),
        || "create_dir through a symlinked directory".into(),
    )?;
    ok(
        fs.rename(p("/ld/new"), p("/ld/inner/moved")),
        "rename through /ld",
    )?;
    ensure_bytes(&get(&fs, "/real/inner/moved")?, b"n", "rename through /ld")?;
    ok(fs.remove_file(p("/ld/f")), "remove_file through /ld")?;
    expect_err(
        fs.read(p("/real/f")),
        NOT_FOUND,
        "read after remove through /ld",
    )
}

fn symlink_to_root<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/file", b"root file")?;
    ok(fs.symlink(p("/"), p("/r")), "symlink / /r")?;
    ensure_bytes(&get(&fs, "/r/r/r/file")?, b"root file", "read /r/r/r/file")?;
    ensure_eq(&names(&fs, "/r")?, &set(&["file", "r"]), "read_dir /r")
}

fn symlink_to_file_in_the_middle_is_enotdir<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/file", b"f")?;
    ok(fs.symlink(p("/file"), p("/lf")), "symlink /file /lf")?;
    expect_err(fs.read(p("/lf/x")), NOT_A_DIRECTORY, "read /lf/x")?;
    expect_err(fs.metadata(p("/lf/")), NOT_A_DIRECTORY, "metadata /lf/")
}

fn symlink_loop_is_eloop<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ok(
        fs.symlink(p("/loop2"), p("/loop1")),
        "symlink /loop2 /loop1",
    )?;
    ok(
        fs.symlink(p("/loop1"), p("/loop2")),
        "symlink /loop1 /loop2",
    )?;
    ok(fs.symlink(p("self"), p("/self")), "symlink self /self")?;
    expect_err(fs.read(p("/loop1")), SYMLINK_LOOP, "read /loop1")?;
    expect_err(fs.metadata(p("/loop2")), SYMLINK_LOOP, "metadata /loop2")?;
    expect_err(
        fs.read(p("/self")),
        SYMLINK_LOOP,
        "read /self (a self loop)",
    )?;
    expect_err(fs.read(p("/loop1/x")), SYMLINK_LOOP, "read /loop1/x")?;
    expect_err(
        fs.write(p("/loop1/x"), b"x"),
        SYMLINK_LOOP,
        "write /loop1/x",
    )?;
    expect_err(fs.read_dir(p("/loop1")), SYMLINK_LOOP, "read_dir /loop1")?;
    expect_err(
        fs.create_dir(p("/self/d")),
        SYMLINK_LOOP,
        "create_dir /self/d",
    )?;
    // The links themselves are fine: only following them loops.
    let lm = ok(fs.symlink_metadata(p("/loop1")), "symlink_metadata /loop1")?;
    ensure(lm.is_symlink(), || {
        "symlink_metadata /loop1 is not a symlink".into()
    })?;
    ok(fs.remove_file(p("/self")), "remove_file /self")
}

fn chain<B: FsFull>(fs: &B, prefix: &str, links: u32) -> Result<String, String> {
    put(fs, &format!("/{prefix}_end"), b"reached")?;
    let mut target = format!("/{prefix}_end");
    for i in 0..links {
        let link = format!("/{prefix}_{i}");
        ok(
            fs.symlink(p(&target), p(&link)),
            &format!("symlink {target} {link}"),
        )?;
        target = link;
    }
    Ok(target)
}

fn max_symlink_depth_is_enforced<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let longest = chain(&fs, "ok", MAX_SYMLINKS)?;
    ensure_bytes(
        &get(&fs, &longest)?,
        b"reached",
        &format!("read through a chain of {MAX_SYMLINKS} symlinks"),
    )?;
    let too_long = chain(&fs, "over", MAX_SYMLINKS + 1)?;
    expect_err(
        fs.read(p(&too_long)),
        SYMLINK_LOOP,
        &format!("read through a chain of {} symlinks", MAX_SYMLINKS + 1),
    )
}

fn write_through_symlink_writes_target<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/t", b"old")?;
    ok(fs.symlink(p("/t"), p("/l")), "symlink /t /l")?;
    put(&fs, "/l", b"new")?;
    ensure_bytes(&get(&fs, "/t")?, b"new", "write /l changes /t")?;
    ok(fs.append(p("/l"), b"+"), "append /l")?;
    ensure_bytes(&get(&fs, "/t")?, b"new+", "append /l changes /t")?;
    let lm = ok(fs.symlink_metadata(p("/l")), "symlink_metadata /l")?;
    ensure(lm.is_symlink(), || {
        "writing through a symlink replaced the link".into()
    })
}

fn write_through_dangling_symlink_creates_target<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    ok(
        fs.symlink(p("/d/created"), p("/l")),
        "symlink /d/created /l",
    )?;
    put(&fs, "/l", b"made")?;
    ensure_bytes(
        &get(&fs, "/d/created")?,
        b"made",
        "open(O_CREAT) follows a dangling link",
    )?;
    let lm = ok(fs.symlink_metadata(p("/l")), "symlink_metadata /l")?;
    ensure(lm.is_symlink(), || "the dangling link was replaced".into())
}

fn remove_dir_on_symlink_is_enotdir<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/real")?;
    ok(fs.symlink(p("/real"), p("/ld")), "symlink /real /ld")?;
    expect_err(
        fs.remove_dir(p("/ld")),
        NOT_A_DIRECTORY,
        "remove_dir of a symlink",
    )?;
    ensure(
        ok(fs.metadata(p("/real")), "metadata /real")?.is_dir(),
        || "remove_dir through a symlink removed the target".into(),
    )
}

fn dotdot_above_root_is_root<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/a.txt", b"a")?;
    ensure_bytes(&get(&fs, "/../a.txt")?, b"a", "read /../a.txt")?;
    ensure_bytes(
        &get(&fs, "/../../d/../../a.txt")?,
        b"a",
        "read /../../d/../../a.txt",
    )?;
    ensure_eq(&names(&fs, "/..")?, &set(&["a.txt", "d"]), "read_dir /..")
}
