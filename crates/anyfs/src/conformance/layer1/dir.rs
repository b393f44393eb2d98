//! [`FsDir`](crate::FsDir) cases: read_dir, create_dir, create_dir_all, remove_dir,
//! remove_dir_all.

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FileType, Fs};

/// The FsDir cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    cases![B;
        new_backend_has_empty_root,
        read_dir_lists_names_and_types,
        read_dir_order_is_stable,
        read_dir_errors,
        create_dir_creates,
        create_dir_existing_is_eexist,
        create_dir_missing_parent_is_not_found,
        create_dir_below_a_file_is_enotdir,
        create_dir_all_creates_chain,
        create_dir_all_is_idempotent,
        create_dir_all_over_a_file_fails,
        remove_dir_removes_empty,
        remove_dir_non_empty_is_enotempty,
        remove_dir_errors,
        remove_dir_all_removes_tree,
        remove_dir_all_errors,
    ]
}

fn new_backend_has_empty_root<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ensure_eq(&names(&fs, "/")?, &set(&[]), "read_dir / of a new backend")
}

fn read_dir_lists_names_and_types<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    put(&fs, "/d/a.txt", b"a")?;
    put(&fs, "/d/.hidden", b"h")?;
    let listed = types(&fs, "/d")?;
    let expected = [
        ("a.txt".to_owned(), FileType::File),
        (".hidden".to_owned(), FileType::File),
        ("sub".to_owned(), FileType::Directory),
    ]
    .into_iter()
    .collect();
    ensure_eq(&listed, &expected, "read_dir /d (as a set, no . or ..)")?;
    ensure_eq(&names(&fs, "/")?, &set(&["d"]), "read_dir /")?;
    ensure_eq(
        &names(&fs, "/d/sub")?,
        &set(&[]),
        "read_dir of an empty directory",
    )
}

fn read_dir_order_is_stable<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    for name in ["m", "b", "z", "a", "k"] {
        put(&fs, &format!("/{name}"), b"")?;
    }
    let first = ok(fs.read_dir(p("/")), "read_dir /")?;
    let second = ok(fs.read_dir(p("/")), "read_dir / again")?;
    ensure_eq(&first, &second, "two listings of an unchanged directory")
}

fn read_dir_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(fs.read_dir(p("/missing")), NOT_FOUND, "read_dir /missing")?;
    expect_err(fs.read_dir(p("/f")), NOT_A_DIRECTORY, "read_dir of a file")?;
    expect_err(
        fs.read_dir(p("/f/x")),
        NOT_A_DIRECTORY,
        "read_dir below a file",
    )
}

fn create_dir_creates<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ok(fs.create_dir(p("/d")), "create_dir /d")?;
    ok(fs.create_dir(p("/d/e")), "create_dir /d/e")?;
    let m = ok(fs.metadata(p("/d/e")), "metadata /d/e")?;
    ensure(m.is_dir(), || {
        "create_dir made something else than a directory".into()
    })?;
    ensure_eq(
        &types(&fs, "/d")?.get("e").copied(),
        &Some(FileType::Directory),
        "read_dir /d type of e",
    )
}

fn create_dir_existing_is_eexist<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/keep", b"k")?;
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.create_dir(p("/d")),
        ALREADY_EXISTS,
        "create_dir of a directory",
    )?;
    expect_err(
        fs.create_dir(p("/f")),
        ALREADY_EXISTS,
        "create_dir over a file",
    )?;
    expect_err(fs.create_dir(p("/")), ALREADY_EXISTS, "create_dir /")?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&["keep"]),
        "directory after failed create_dir",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "file after failed create_dir")
}

fn create_dir_missing_parent_is_not_found<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(fs.create_dir(p("/a/b")), NOT_FOUND, "create_dir /a/b")?;
    ensure(!ok(fs.exists(p("/a")), "exists /a")?, || {
        "create_dir created a missing parent".into()
    })
}

fn create_dir_below_a_file_is_enotdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(fs.create_dir(p("/f/d")), NOT_A_DIRECTORY, "create_dir /f/d")
}

fn create_dir_all_creates_chain<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ok(fs.create_dir_all(p("/a/b/c/d")), "create_dir_all /a/b/c/d")?;
    for path in ["/a", "/a/b", "/a/b/c", "/a/b/c/d"] {
        let m = ok(fs.metadata(p(path)), &format!("metadata {path}"))?;
        ensure(m.is_dir(), || format!("{path} is not a directory"))?;
    }
    ensure_eq(&names(&fs, "/a/b")?, &set(&["c"]), "read_dir /a/b")
}

fn create_dir_all_is_idempotent<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a/b")?;
    put(&fs, "/a/b/f", b"f")?;
    ok(
        fs.create_dir_all(p("/a/b")),
        "create_dir_all of an existing path",
    )?;
    ok(
        fs.create_dir_all(p("/a")),
        "create_dir_all of an existing prefix",
    )?;
    ok(fs.create_dir_all(p("/")), "create_dir_all /")?;
    ok(
        fs.create_dir_all(p("/a/b/c")),
        "create_dir_all one level deeper",
    )?;
    ensure_eq(&names(&fs, "/a/b")?, &set(&["c", "f"]), "read_dir /a/b")
}

fn create_dir_all_over_a_file_fails<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.create_dir_all(p("/f")),
        ALREADY_EXISTS,
        "create_dir_all of a file",
    )?;
    expect_err(
        fs.create_dir_all(p("/f/a/b")),
        NOT_A_DIRECTORY,
        "create_dir_all below a file",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "file after failed create_dir_all")
}

fn remove_dir_removes_empty<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a/b")?;
    ok(fs.remove_dir(p("/a/b")), "remove_dir /a/b")?;
    expect_err(
        fs.metadata(p("/a/b")),
        NOT_FOUND,
        "metadata after remove_dir",
    )?;
    ensure_eq(
        &names(&fs, "/a")?,
        &set(&[]),
        "read_dir /a after remove_dir",
    )?;
    ok(fs.create_dir(p("/a/b")), "create_dir after remove_dir")
}

fn remove_dir_non_empty_is_enotempty<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    mkdirs(&fs, "/e")?;
    put(&fs, "/e/f", b"f")?;
    expect_err(
        fs.remove_dir(p("/d")),
        NOT_EMPTY,
        "remove_dir with a subdirectory",
    )?;
    expect_err(fs.remove_dir(p("/e")), NOT_EMPTY, "remove_dir with a file")?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&["sub"]),
        "directory after failed remove_dir",
    )?;
    ensure_bytes(&get(&fs, "/e/f")?, b"f", "file after failed remove_dir")
}

fn remove_dir_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.remove_dir(p("/missing")),
        NOT_FOUND,
        "remove_dir /missing",
    )?;
    expect_err(
        fs.remove_dir(p("/f")),
        NOT_A_DIRECTORY,
        "remove_dir of a file",
    )?;
    // Linux says EBUSY for the root; other systems EINVAL, EPERM or EACCES.
    expect_code_in(
        fs.remove_dir(p("/")),
        &["EBUSY", "EINVAL", "EPERM", "EACCES"],
        "remove_dir /",
    )?;
    ensure(ok(fs.metadata(p("/")), "metadata /")?.is_dir(), || {
        "the root is gone after remove_dir /".into()
    })
}

fn remove_dir_all_removes_tree<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/t/a/b/c")?;
    mkdirs(&fs, "/t/e")?;
    put(&fs, "/t/x", b"x")?;
    put(&fs, "/t/a/b/y", b"y")?;
    put(&fs, "/keep", b"k")?;
    ok(fs.remove_dir_all(p("/t")), "remove_dir_all /t")?;
    expect_err(
        fs.metadata(p("/t")),
        NOT_FOUND,
        "metadata /t after remove_dir_all",
    )?;
    expect_err(fs.read(p("/t/a/b/y")), NOT_FOUND, "read below removed tree")?;
    ensure_eq(
        &names(&fs, "/")?,
        &set(&["keep"]),
        "read_dir / after remove_dir_all",
    )?;
    mkdirs(&fs, "/t/a")?;
    ensure_eq(
        &names(&fs, "/t/a")?,
        &set(&[]),
        "recreated directory is empty",
    )
}

fn remove_dir_all_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.remove_dir_all(p("/missing")),
        NOT_FOUND,
        "remove_dir_all /missing",
    )?;
    expect_err(
        fs.remove_dir_all(p("/f")),
        NOT_A_DIRECTORY,
        "remove_dir_all of a file",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "file after failed remove_dir_all")
}
