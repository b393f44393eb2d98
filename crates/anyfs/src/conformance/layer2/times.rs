//! Timestamp cases: POSIX says when `mtime` and `ctime` change. A layer 2 backend records
//! `modified` (as `std::fs::Metadata::modified` does); these cases hold it to the rules.
//!
//! Each case first ages the node (with `set_times` if the backend has it, otherwise by waiting
//! 20 ms), so "changed" never depends on the clock's resolution.

use std::thread::sleep;
use std::time::Duration;

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FsFull, Permissions};

/// The timestamp cases.
pub fn cases<B: FsFull>() -> Vec<Case<B>> {
    cases![B;
        file_mtime_changes_on_content_change,
        file_mtime_unchanged_by_reads,
        dir_mtime_changes_when_entries_change,
        dir_mtime_unchanged_by_writing_a_child,
        ctime_changes_on_set_permissions,
    ]
}

fn changed<B: FsFull>(fs: &B, path: &str, before: std::time::SystemTime, what: &str) -> Outcome {
    let after = mtime(fs, path)?;
    ensure(after > before, || {
        format!("mtime of {path} did not advance after {what} ({before:?} -> {after:?})")
    })
}

fn unchanged<B: FsFull>(fs: &B, path: &str, before: std::time::SystemTime, what: &str) -> Outcome {
    let after = mtime(fs, path)?;
    ensure(after == before, || {
        format!("mtime of {path} changed after {what} ({before:?} -> {after:?})")
    })
}

fn file_mtime_changes_on_content_change<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"one")?;
    let t = age(&fs, "/f")?;
    put(&fs, "/f", b"two")?;
    changed(&fs, "/f", t, "write")?;
    let t = age(&fs, "/f")?;
    ok(fs.append(p("/f"), b"more"), "append /f")?;
    changed(&fs, "/f", t, "append")?;
    let t = age(&fs, "/f")?;
    ok(fs.truncate(p("/f"), 1), "truncate /f")?;
    changed(&fs, "/f", t, "truncate")
}

fn file_mtime_unchanged_by_reads<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"content")?;
    let t = age(&fs, "/f")?;
    get(&fs, "/f")?;
    ok(fs.read_range(p("/f"), 1, 2), "read_range /f")?;
    ok(fs.metadata(p("/f")), "metadata /f")?;
    ok(fs.open_read(p("/f")), "open_read /f")?;
    unchanged(&fs, "/f", t, "reads")
}

fn dir_mtime_changes_when_entries_change<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    mkdirs(&fs, "/other")?;
    let t = age(&fs, "/d")?;
    put(&fs, "/d/f", b"f")?;
    changed(&fs, "/d", t, "creating a file in it")?;
    let t = age(&fs, "/d")?;
    ok(fs.create_dir(p("/d/sub")), "create_dir /d/sub")?;
    changed(&fs, "/d", t, "creating a subdirectory")?;
    let t = age(&fs, "/d")?;
    ok(fs.symlink(p("/d/f"), p("/d/link")), "symlink /d/f /d/link")?;
    changed(&fs, "/d", t, "creating a symlink")?;
    let t = age(&fs, "/d")?;
    ok(
        fs.hard_link(p("/d/f"), p("/d/hard")),
        "hard_link /d/f /d/hard",
    )?;
    changed(&fs, "/d", t, "creating a hard link")?;
    let t = age(&fs, "/d")?;
    ok(fs.remove_file(p("/d/link")), "remove_file /d/link")?;
    changed(&fs, "/d", t, "removing a file")?;
    let t = age(&fs, "/d")?;
    ok(fs.remove_dir(p("/d/sub")), "remove_dir /d/sub")?;
    changed(&fs, "/d", t, "removing a subdirectory")?;
    let from = age(&fs, "/d")?;
    let to = age(&fs, "/other")?;
    ok(fs.rename(p("/d/f"), p("/other/f")), "rename /d/f /other/f")?;
    changed(&fs, "/d", from, "moving an entry out")?;
    changed(&fs, "/other", to, "moving an entry in")
}

fn dir_mtime_unchanged_by_writing_a_child<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/f", b"f")?;
    let t = age(&fs, "/d")?;
    put(&fs, "/d/f", b"rewritten")?;
    ok(fs.append(p("/d/f"), b"!"), "append /d/f")?;
    unchanged(&fs, "/d", t, "rewriting an existing child")
}

fn ctime_changes_on_set_permissions<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    let before = ok(fs.metadata(p("/f")), "metadata /f")?;
    let Some(ctime) = before.changed else {
        // `changed` is optional in the contract; mtime is what layer 2 requires.
        return Ok(());
    };
    sleep(Duration::from_millis(20));
    ok(
        fs.set_permissions(p("/f"), Permissions::from_mode(0o600)),
        "set_permissions /f",
    )?;
    let after = ok(fs.metadata(p("/f")), "metadata /f")?;
    ensure(after.changed.is_some_and(|c| c > ctime), || {
        format!(
            "ctime did not advance after chmod ({ctime:?} -> {:?})",
            after.changed
        )
    })?;
    ensure_eq(
        &after.modified,
        &before.modified,
        "mtime after chmod (content unchanged)",
    )
}
