//! [`FsPermissions`](crate::FsPermissions), [`FsSync`](crate::FsSync) and
//! [`FsStats`](crate::FsStats) cases.

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FsError, FsFull, Permissions};

/// The FsPermissions, FsSync and FsStats cases.
pub fn cases<B: FsFull>() -> Vec<Case<B>> {
    cases![B;
        set_permissions_changes_mode,
        set_permissions_missing_is_not_found,
        copy_keeps_permissions,
        set_owner_sets_or_is_unsupported,
        sync_and_fsync,
        statfs_is_consistent,
        statfs_counts_new_nodes,
        statfs_max_name_length_is_enforced,
    ]
}

fn set_permissions_changes_mode<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    for (path, mode) in [
        ("/f", 0o600),
        ("/f", 0o755),
        ("/f", 0o4755),
        ("/f", 0o000),
        ("/d", 0o700),
        ("/d", 0o1777),
    ] {
        ok(
            fs.set_permissions(p(path), Permissions::from_mode(mode)),
            &format!("set_permissions {path} {mode:o}"),
        )?;
        let m = ok(fs.metadata(p(path)), &format!("metadata {path}"))?;
        ensure_eq(
            &m.permissions.mode(),
            &mode,
            &format!("mode of {path} after set_permissions"),
        )?;
    }
    let m = ok(fs.metadata(p("/d")), "metadata /d")?;
    ensure_eq(&m.mode(), &0o041_777, "st_mode of /d keeps its type bits")
}

fn set_permissions_missing_is_not_found<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(
        fs.set_permissions(p("/missing"), Permissions::from_mode(0o600)),
        NOT_FOUND,
        "set_permissions /missing",
    )
}

fn copy_keeps_permissions<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/src", b"data")?;
    ok(
        fs.set_permissions(p("/src"), Permissions::from_mode(0o640)),
        "set_permissions /src 640",
    )?;
    ok(fs.copy(p("/src"), p("/dst")), "copy /src /dst")?;
    let m = ok(fs.metadata(p("/dst")), "metadata /dst")?;
    ensure_eq(&m.permissions.mode(), &0o640, "mode of the copy")
}

fn set_owner_sets_or_is_unsupported<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    match fs.set_owner(p("/f"), Some(1234), Some(5678)) {
        Err(e @ FsError::NotSupported { .. }) => {
            ensure_eq(e.code(), "ENOSYS", "set_owner NotSupported code")
        }
        other => {
            ok(other, "set_owner /f 1234:5678")?;
            let m = ok(fs.metadata(p("/f")), "metadata /f")?;
            ensure_eq(
                &(m.uid, m.gid),
                &(1234, 5678),
                "uid and gid after set_owner",
            )?;
            ok(fs.set_owner(p("/f"), None, Some(42)), "set_owner /f :42")?;
            let m = ok(fs.metadata(p("/f")), "metadata /f")?;
            ensure_eq(
                &(m.uid, m.gid),
                &(1234, 42),
                "None leaves the uid unchanged",
            )?;
            expect_err(
                fs.set_owner(p("/missing"), Some(1), None),
                NOT_FOUND,
                "set_owner /missing",
            )
        }
    }
}

fn sync_and_fsync<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    ok(fs.sync(), "sync")?;
    ok(fs.fsync(p("/f")), "fsync /f")?;
    ok(fs.fsync(p("/d")), "fsync /d")?;
    expect_err(fs.fsync(p("/missing")), NOT_FOUND, "fsync /missing")?;
    ensure_bytes(&get(&fs, "/f")?, b"f", "content after sync")
}

fn statfs_is_consistent<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", &pattern(4096, 0))?;
    let s = ok(fs.statfs(), "statfs")?;
    ensure(s.block_size > 0, || "statfs: block_size is 0".into())?;
    ensure(s.max_name_length > 0, || {
        "statfs: max_name_length is 0".into()
    })?;
    if s.total_bytes > 0 {
        ensure(s.used_bytes <= s.total_bytes, || {
            format!(
                "statfs: used_bytes {} > total_bytes {}",
                s.used_bytes, s.total_bytes
            )
        })?;
        ensure(s.available_bytes <= s.total_bytes, || {
            format!(
                "statfs: available_bytes {} > total_bytes {}",
                s.available_bytes, s.total_bytes
            )
        })?;
    }
    if s.total_inodes > 0 {
        ensure(s.used_inodes <= s.total_inodes, || {
            format!(
                "statfs: used_inodes {} > total_inodes {}",
                s.used_inodes, s.total_inodes
            )
        })?;
    }
    Ok(())
}

fn statfs_counts_new_nodes<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let before = ok(fs.statfs(), "statfs before")?;
    mkdirs(&fs, "/d")?;
    for i in 0..8 {
        put(&fs, &format!("/d/f{i}"), &pattern(8192, i))?;
    }
    let after = ok(fs.statfs(), "statfs after creating 9 nodes")?;
    ensure(after.used_inodes > before.used_inodes, || {
        format!(
            "statfs: used_inodes did not grow ({} -> {}) after creating 9 nodes",
            before.used_inodes, after.used_inodes
        )
    })?;
    ensure(after.used_bytes > before.used_bytes, || {
        format!(
            "statfs: used_bytes did not grow ({} -> {}) after writing 64 KiB",
            before.used_bytes, after.used_bytes
        )
    })
}

fn statfs_max_name_length_is_enforced<B: FsFull>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let max = ok(fs.statfs(), "statfs")?.max_name_length;
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if max > 4000 {
        // Such a name cannot be tested inside PATH_MAX; nothing to hold the backend to.
        return Ok(());
    }
    let longest = format!("/{}", "n".repeat(max));
    put(&fs, &longest, b"x")?;
    let too_long = format!("/{}", "n".repeat(max + 1));
    expect_err(
        fs.write(p(&too_long), b"x"),
        NAME_TOO_LONG,
        "write of a name one byte over statfs.max_name_length",
    )
}
