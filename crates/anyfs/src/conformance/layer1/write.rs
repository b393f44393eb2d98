//! [`FsWrite`](crate::FsWrite) cases: write, append, remove_file, rename, copy, truncate,
//! open_write, set_times.

use std::io::Write;
use std::time::{Duration, SystemTime};

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FileType, Fs, FsError};

/// The FsWrite cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    cases![B;
        write_creates_file,
        write_replaces_content,
        write_missing_parent_is_not_found,
        write_over_directory_is_eisdir,
        write_below_a_file_is_enotdir,
        append_creates_and_extends,
        append_errors,
        remove_file_removes,
        remove_file_errors,
        rename_file_moves_content,
        rename_replaces_existing_file,
        rename_to_same_path_is_noop,
        rename_directory_moves_subtree,
        rename_directory_over_empty_directory,
        rename_directory_over_non_empty_is_enotempty,
        rename_file_over_directory_is_eisdir,
        rename_directory_over_file_is_enotdir,
        rename_directory_into_itself_is_einval,
        rename_errors_leave_source,
        copy_creates_independent_file,
        copy_replaces_existing,
        copy_errors,
        truncate_shrinks_and_extends_with_zeros,
        truncate_errors,
        open_write_creates_and_truncates,
        open_write_errors,
        set_times_sets_or_is_unsupported,
    ]
}

fn write_creates_file<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/new.txt", b"new")?;
    ensure_bytes(&get(&fs, "/d/new.txt")?, b"new", "read /d/new.txt")?;
    ensure_eq(&names(&fs, "/d")?, &set(&["new.txt"]), "read_dir /d")?;
    ensure_eq(
        &types(&fs, "/d")?.get("new.txt").copied(),
        &Some(FileType::File),
        "read_dir /d type of new.txt",
    )
}

fn write_replaces_content<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"a long first content")?;
    put(&fs, "/f", b"short")?;
    ensure_bytes(&get(&fs, "/f")?, b"short", "read after second write")?;
    ensure_eq(
        &ok(fs.metadata(p("/f")), "metadata /f")?.size,
        &5,
        "size after replacing write",
    )
}

fn write_missing_parent_is_not_found<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(
        fs.write(p("/missing/a.txt"), b"x"),
        NOT_FOUND,
        "write /missing/a.txt",
    )?;
    ensure(!ok(fs.exists(p("/missing")), "exists /missing")?, || {
        "write into a missing parent created the parent".into()
    })
}

fn write_over_directory_is_eisdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d/sub")?;
    expect_err(fs.write(p("/d"), b"x"), IS_A_DIRECTORY, "write /d")?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&["sub"]),
        "directory after failed write",
    )
}

fn write_below_a_file_is_enotdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"x")?;
    expect_err(
        fs.write(p("/f/child"), b"y"),
        NOT_A_DIRECTORY,
        "write /f/child",
    )
}

fn append_creates_and_extends<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ok(fs.append(p("/log"), b"one "), "append to a missing file")?;
    ok(fs.append(p("/log"), b"two "), "append /log")?;
    ok(fs.append(p("/log"), b""), "append nothing")?;
    ok(fs.append(p("/log"), b"three"), "append /log")?;
    ensure_bytes(&get(&fs, "/log")?, b"one two three", "read /log")
}

fn append_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.append(p("/missing/log"), b"x"),
        NOT_FOUND,
        "append /missing/log",
    )?;
    expect_err(fs.append(p("/d"), b"x"), IS_A_DIRECTORY, "append /d")
}

fn remove_file_removes<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/a", b"a")?;
    put(&fs, "/d/b", b"b")?;
    ok(fs.remove_file(p("/d/a")), "remove_file /d/a")?;
    expect_err(fs.read(p("/d/a")), NOT_FOUND, "read after remove_file")?;
    ensure(!ok(fs.exists(p("/d/a")), "exists /d/a")?, || {
        "exists is true after remove_file".into()
    })?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&["b"]),
        "read_dir after remove_file",
    )?;
    expect_err(
        fs.remove_file(p("/d/a")),
        NOT_FOUND,
        "second remove_file /d/a",
    )
}

fn remove_file_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.remove_file(p("/missing")),
        NOT_FOUND,
        "remove_file /missing",
    )?;
    expect_err(fs.remove_file(p("/no/x")), NOT_FOUND, "remove_file /no/x")?;
    expect_err(fs.remove_file(p("/d")), IS_A_DIRECTORY, "remove_file /d")?;
    ensure(ok(fs.exists(p("/d")), "exists /d")?, || {
        "remove_file on a directory removed it".into()
    })
}

fn rename_file_moves_content<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a")?;
    mkdirs(&fs, "/b")?;
    put(&fs, "/a/f", b"payload")?;
    ok(fs.rename(p("/a/f"), p("/b/g")), "rename /a/f /b/g")?;
    ensure_bytes(&get(&fs, "/b/g")?, b"payload", "read /b/g")?;
    expect_err(fs.read(p("/a/f")), NOT_FOUND, "read old name after rename")?;
    ensure_eq(&names(&fs, "/a")?, &set(&[]), "read_dir /a after rename")?;
    ensure_eq(&names(&fs, "/b")?, &set(&["g"]), "read_dir /b after rename")
}

fn rename_replaces_existing_file<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/src", b"new")?;
    put(&fs, "/dst", b"old content")?;
    ok(fs.rename(p("/src"), p("/dst")), "rename /src over /dst")?;
    ensure_bytes(&get(&fs, "/dst")?, b"new", "read /dst")?;
    ensure_eq(&names(&fs, "/")?, &set(&["dst"]), "read_dir / after rename")
}

fn rename_to_same_path_is_noop<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"same")?;
    mkdirs(&fs, "/d/x")?;
    ok(fs.rename(p("/f"), p("/f")), "rename /f /f")?;
    ok(fs.rename(p("/d"), p("/d")), "rename /d /d")?;
    ensure_bytes(
        &get(&fs, "/f")?,
        b"same",
        "read /f after rename onto itself",
    )?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&["x"]),
        "read_dir /d after rename onto itself",
    )
}

fn rename_directory_moves_subtree<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/old/sub/deep")?;
    put(&fs, "/old/top.txt", b"top")?;
    put(&fs, "/old/sub/deep/leaf.txt", b"leaf")?;
    ok(fs.rename(p("/old"), p("/new")), "rename /old /new")?;
    ensure_bytes(&get(&fs, "/new/top.txt")?, b"top", "read /new/top.txt")?;
    ensure_bytes(
        &get(&fs, "/new/sub/deep/leaf.txt")?,
        b"leaf",
        "read /new/sub/deep/leaf.txt",
    )?;
    expect_err(
        fs.metadata(p("/old")),
        NOT_FOUND,
        "metadata /old after rename",
    )?;
    expect_err(
        fs.read(p("/old/sub/deep/leaf.txt")),
        NOT_FOUND,
        "read below the old name",
    )
}

fn rename_directory_over_empty_directory<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/src")?;
    put(&fs, "/src/f", b"f")?;
    mkdirs(&fs, "/dst")?;
    ok(
        fs.rename(p("/src"), p("/dst")),
        "rename /src over empty /dst",
    )?;
    ensure_eq(&names(&fs, "/dst")?, &set(&["f"]), "read_dir /dst")?;
    ensure_eq(&names(&fs, "/")?, &set(&["dst"]), "read_dir /")
}

fn rename_directory_over_non_empty_is_enotempty<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/src")?;
    mkdirs(&fs, "/dst")?;
    put(&fs, "/dst/keep", b"k")?;
    expect_err(
        fs.rename(p("/src"), p("/dst")),
        NOT_EMPTY,
        "rename /src over non-empty /dst",
    )?;
    ensure_bytes(
        &get(&fs, "/dst/keep")?,
        b"k",
        "read /dst/keep after failed rename",
    )?;
    ensure(ok(fs.exists(p("/src")), "exists /src")?, || {
        "failed rename removed the source".into()
    })
}

fn rename_file_over_directory_is_eisdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.rename(p("/f"), p("/d")),
        IS_A_DIRECTORY,
        "rename file over directory",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "source after failed rename")
}

fn rename_directory_over_file_is_enotdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.rename(p("/d"), p("/f")),
        NOT_A_DIRECTORY,
        "rename directory over file",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "destination after failed rename")
}

fn rename_directory_into_itself_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/a/b/c")?;
    expect_err(
        fs.rename(p("/a"), p("/a/x")),
        INVALID_INPUT,
        "rename /a /a/x",
    )?;
    expect_err(
        fs.rename(p("/a"), p("/a/b/c/x")),
        INVALID_INPUT,
        "rename /a /a/b/c/x",
    )?;
    ensure_eq(
        &names(&fs, "/a/b")?,
        &set(&["c"]),
        "tree after failed rename",
    )?;
    ensure_eq(&names(&fs, "/")?, &set(&["a"]), "root after failed rename")
}

fn rename_errors_leave_source<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    expect_err(
        fs.rename(p("/missing"), p("/x")),
        NOT_FOUND,
        "rename /missing",
    )?;
    expect_err(
        fs.rename(p("/f"), p("/no/such/dir/f")),
        NOT_FOUND,
        "rename into a missing directory",
    )?;
    expect_err(
        fs.rename(p("/f"), p("/f/below")),
        NOT_A_DIRECTORY,
        "rename below a file",
    )?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "source after failed renames")
}

fn copy_creates_independent_file<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/src", b"original")?;
    ok(fs.copy(p("/src"), p("/d/dst")), "copy /src /d/dst")?;
    ensure_bytes(&get(&fs, "/d/dst")?, b"original", "read copy")?;
    put(&fs, "/d/dst", b"changed")?;
    ensure_bytes(
        &get(&fs, "/src")?,
        b"original",
        "source after changing the copy",
    )?;
    ok(fs.append(p("/src"), b"+"), "append /src")?;
    ensure_bytes(
        &get(&fs, "/d/dst")?,
        b"changed",
        "copy after changing the source",
    )
}

fn copy_replaces_existing<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/src", b"new")?;
    put(&fs, "/dst", b"much longer old content")?;
    ok(fs.copy(p("/src"), p("/dst")), "copy over existing")?;
    ensure_bytes(&get(&fs, "/dst")?, b"new", "read /dst")
}

fn copy_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    expect_err(fs.copy(p("/missing"), p("/x")), NOT_FOUND, "copy /missing")?;
    expect_err(
        fs.copy(p("/d"), p("/x")),
        IS_A_DIRECTORY,
        "copy of a directory",
    )?;
    expect_err(
        fs.copy(p("/f"), p("/d")),
        IS_A_DIRECTORY,
        "copy onto a directory",
    )?;
    expect_err(
        fs.copy(p("/f"), p("/none/x")),
        NOT_FOUND,
        "copy into a missing parent",
    )
}

fn truncate_shrinks_and_extends_with_zeros<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/t", b"abcdef")?;
    ok(fs.truncate(p("/t"), 3), "truncate to 3")?;
    ensure_bytes(&get(&fs, "/t")?, b"abc", "after shrinking")?;
    ok(fs.truncate(p("/t"), 6), "truncate to 6")?;
    ensure_bytes(
        &get(&fs, "/t")?,
        b"abc\0\0\0",
        "after extending (zero fill)",
    )?;
    ok(fs.truncate(p("/t"), 0), "truncate to 0")?;
    ensure_bytes(&get(&fs, "/t")?, b"", "after truncating to 0")
}

fn truncate_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.truncate(p("/missing"), 0),
        NOT_FOUND,
        "truncate /missing",
    )?;
    expect_err(fs.truncate(p("/d"), 0), IS_A_DIRECTORY, "truncate /d")
}

fn open_write_creates_and_truncates<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let data = pattern(50_000, 3);
    {
        let mut w = ok(fs.open_write(p("/w")), "open_write /w")?;
        for chunk in data.chunks(1000) {
            w.write_all(chunk)
                .map_err(|e| format!("open_write /w: write failed: {e}"))?;
        }
        w.flush()
            .map_err(|e| format!("open_write /w: flush failed: {e}"))?;
    }
    ensure_bytes(
        &get(&fs, "/w")?,
        &data,
        "content written through open_write",
    )?;
    {
        let mut w = ok(fs.open_write(p("/w")), "open_write /w again")?;
        w.write_all(b"xy")
            .map_err(|e| format!("open_write /w: write failed: {e}"))?;
        w.flush()
            .map_err(|e| format!("open_write /w: flush failed: {e}"))?;
    }
    ensure_bytes(
        &get(&fs, "/w")?,
        b"xy",
        "open_write truncates the old content",
    )
}

fn open_write_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.open_write(p("/missing/w")),
        NOT_FOUND,
        "open_write /missing/w",
    )?;
    expect_err(fs.open_write(p("/d")), IS_A_DIRECTORY, "open_write /d")
}

fn set_times_sets_or_is_unsupported<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"x")?;
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_234_567_890);
    match fs.set_times(p("/f"), Some(when), Some(when)) {
        Err(e @ FsError::NotSupported { .. }) => {
            ensure_eq(e.code(), "ENOSYS", "set_times NotSupported code")
        }
        other => {
            ok(other, "set_times /f")?;
            let m = ok(fs.metadata(p("/f")), "metadata /f")?;
            ensure_eq(&m.modified, &Some(when), "mtime after set_times")?;
            if m.accessed.is_some() {
                ensure_eq(&m.accessed, &Some(when), "atime after set_times")?;
            }
            // `None` leaves a time unchanged.
            let later = when + Duration::from_secs(60);
            ok(
                fs.set_times(p("/f"), Some(later), None),
                "set_times atime only",
            )?;
            let m = ok(fs.metadata(p("/f")), "metadata /f")?;
            ensure_eq(
                &m.modified,
                &Some(when),
                "mtime after set_times(atime only)",
            )?;
            expect_err(
                fs.set_times(p("/missing"), Some(when), Some(when)),
                NOT_FOUND,
                "set_times /missing",
            )
        }
    }
}
