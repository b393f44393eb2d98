//! Tests of DryRun: every mutation is recorded and never reaches the inner backend; reads see
//! the inner backend; streams and handles behave as documented; bad paths are refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

use anyfs_backend::{
    FsDir, FsHandles, FsLink, FsLock, FsPermissions, FsRead, FsSync, FsWrite, FsXattr, LayerExt,
    LockType, OpenFlags, Permissions,
};

use super::{DryRun, DryRunLayer, Operation, Recording};
use crate::MemoryBackend;

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn pb(s: &str) -> PathBuf {
    PathBuf::from(s)
}

/// An inner backend with `/old` = "old", `/d/` and `/d/f` = "f", to show nothing changes.
fn seeded() -> MemoryBackend {
    let fs = MemoryBackend::new();
    fs.write(p("/old"), b"old").unwrap();
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/f"), b"f").unwrap();
    fs
}

/// Everything observable about the inner backend, to compare before and after.
fn state(fs: &MemoryBackend) -> Vec<(String, Vec<u8>, u32)> {
    let mut out = Vec::new();
    let mut dirs = vec![pb("/")];
    while let Some(dir) = dirs.pop() {
        for e in fs.read_dir(&dir).unwrap() {
            let path = dir.join(&e.name);
            let m = fs.symlink_metadata(&path).unwrap();
            let data = if m.is_file() {
                fs.read(&path).unwrap()
            } else {
                Vec::new()
            };
            if m.is_dir() {
                dirs.push(path.clone());
            }
            out.push((
                path.to_string_lossy().into_owned(),
                data,
                m.permissions.mode(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn write_then_read_gives_old_content_or_not_found() {
    let inner = seeded();
    let fs = DryRun::new(inner.clone());
    fs.write(p("/old"), b"new").unwrap();
    fs.write(p("/test.txt"), b"hello").unwrap();
    assert_eq!(fs.read(p("/old")).unwrap(), b"old");
    assert_eq!(fs.read(p("/test.txt")).unwrap_err().code(), "ENOENT");
    assert!(!fs.exists(p("/test.txt")).unwrap());
    assert_eq!(
        fs.operations(),
        vec![
            Operation::Write {
                path: pb("/old"),
                size: 3
            },
            Operation::Write {
                path: pb("/test.txt"),
                size: 5
            },
        ]
    );
}

#[test]
fn every_mutation_is_recorded_and_none_reaches_the_inner_backend() {
    let inner = seeded();
    let before = state(&inner);
    let fs = DryRun::new(inner.clone());
    fs.write(p("/a"), b"1").unwrap();
    fs.append(p("/old"), b"22").unwrap();
    fs.remove_file(p("/old")).unwrap();
    fs.rename(p("/d/f"), p("/g")).unwrap();
    fs.copy(p("/d/f"), p("/h")).unwrap();
    fs.truncate(p("/old"), 9).unwrap();
    fs.set_times(p("/old"), None, None).unwrap();
    fs.create_dir(p("/n")).unwrap();
    fs.create_dir_all(p("/n/m/o")).unwrap();
    fs.remove_dir(p("/d")).unwrap();
    fs.remove_dir_all(p("/d")).unwrap();
    fs.symlink(p("../rel"), p("/s")).unwrap();
    fs.hard_link(p("/old"), p("/hl")).unwrap();
    fs.set_permissions(p("/old"), Permissions::from_mode(0o600))
        .unwrap();
    fs.set_owner(p("/old"), Some(5), None).unwrap();
    fs.set_xattr(p("/old"), "user.k", b"vvv").unwrap();
    fs.remove_xattr(p("/old"), "user.k").unwrap();
    fs.sync().unwrap();
    fs.fsync(p("/old")).unwrap();

    assert_eq!(state(&inner), before, "the inner backend changed");
    let names: Vec<_> = fs.operations().iter().map(Operation::name).collect();
    assert_eq!(
        names,
        vec![
            "write",
            "append",
            "remove_file",
            "rename",
            "copy",
            "truncate",
            "set_times",
            "create_dir",
            "create_dir_all",
            "remove_dir",
            "remove_dir_all",
            "symlink",
            "hard_link",
            "set_permissions",
            "set_owner",
            "set_xattr",
            "remove_xattr",
        ]
    );
    let ops = fs.operations();
    assert_eq!(
        ops[3],
        Operation::Rename {
            from: pb("/d/f"),
            to: pb("/g")
        }
    );
    assert_eq!((ops[3].path(), ops[3].dest()), (p("/d/f"), Some(p("/g"))));
    assert_eq!(
        ops[11],
        Operation::Symlink {
            original: pb("../rel"),
            link: pb("/s")
        }
    );
    assert_eq!(
        ops[13],
        Operation::SetPermissions {
            path: pb("/old"),
            mode: 0o600
        }
    );
    assert_eq!(
        ops[15],
        Operation::SetXattr {
            path: pb("/old"),
            name: "user.k".into(),
            size: 3
        }
    );
}

#[test]
fn invalid_paths_are_refused_and_not_recorded() {
    let fs = DryRun::new(MemoryBackend::new());
    assert_eq!(fs.write(p("relative"), b"x").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.create_dir(p("")).unwrap_err().code(), "EINVAL");
    assert_eq!(
        fs.rename(p("/ok"), p("bad\0name")).unwrap_err().code(),
        "EINVAL"
    );
    let long = format!("/{}", "n".repeat(300));
    assert_eq!(fs.write(p(&long), b"").unwrap_err().code(), "ENAMETOOLONG");
    assert!(fs.operations().is_empty());
}

#[test]
fn reads_and_listings_see_the_inner_backend() {
    let inner = seeded();
    let fs = DryRun::new(inner);
    fs.remove_dir_all(p("/d")).unwrap();
    let names: Vec<_> = fs
        .read_dir(p("/d"))
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec!["f"]);
    assert_eq!(fs.read_dir(p("/none")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.metadata(p("/old")).unwrap().size, 3);
    assert_eq!(fs.read_link(p("/old")).unwrap_err().code(), "EINVAL");
}

#[test]
fn open_write_stream_is_recorded_with_its_size_and_discarded() {
    let inner = seeded();
    let fs = DryRun::new(inner.clone());
    let mut w = fs.open_write(p("/old")).unwrap();
    assert_eq!(
        fs.operations(),
        vec![Operation::OpenWrite {
            path: pb("/old"),
            size: 0
        }]
    );
    w.write_all(b"0123456789").unwrap();
    w.write_all(b"ab").unwrap();
    w.flush().unwrap();
    drop(w);
    assert_eq!(
        fs.operations(),
        vec![Operation::OpenWrite {
            path: pb("/old"),
            size: 12
        }]
    );
    assert_eq!(inner.read(p("/old")).unwrap(), b"old");
}

#[test]
fn writable_handles_record_writes_and_read_old_content() {
    let inner = seeded();
    let fs = DryRun::new(inner.clone());
    let h = fs
        .open(p("/old"), OpenFlags::READ_WRITE | OpenFlags::TRUNCATE)
        .unwrap();
    assert_eq!(fs.write_at(h, b"XYZW", 1).unwrap(), 4);
    let mut buf = [0u8; 8];
    assert_eq!(fs.read_at(h, &mut buf, 0).unwrap(), 3);
    assert_eq!(&buf[..3], b"old");
    fs.lock(h, LockType::Exclusive).unwrap();
    assert!(fs.try_lock(h, LockType::Shared).unwrap());
    fs.unlock(h).unwrap();
    fs.close(h).unwrap();
    assert_eq!(fs.close(h).unwrap_err().code(), "EBADF");
    assert_eq!(fs.write_at(h, b"x", 0).unwrap_err().code(), "EBADF");
    assert_eq!(inner.read(p("/old")).unwrap(), b"old");
    assert_eq!(
        fs.operations(),
        vec![
            Operation::Open {
                path: pb("/old"),
                flags: OpenFlags::READ_WRITE | OpenFlags::TRUNCATE
            },
            Operation::WriteAt {
                path: pb("/old"),
                offset: 1,
                size: 4
            },
        ]
    );

    // Creating a file that does not exist: recorded, reads find nothing, the file never appears.
    let c = fs
        .open(p("/new"), OpenFlags::WRITE | OpenFlags::CREATE)
        .unwrap();
    assert_eq!(fs.write_at(c, b"abc", 0).unwrap(), 3);
    assert_eq!(fs.read_at(c, &mut buf, 0).unwrap_err().code(), "EBADF");
    fs.lock(c, LockType::Exclusive).unwrap();
    fs.close(c).unwrap();
    assert_eq!(inner.read(p("/new")).unwrap_err().code(), "ENOENT");
}

#[test]
fn read_only_handles_are_the_inner_backends() {
    let inner = seeded();
    let fs = DryRun::new(inner);
    let h = fs.open(p("/old"), OpenFlags::READ).unwrap();
    let mut buf = [0u8; 3];
    assert_eq!(fs.read_at(h, &mut buf, 0).unwrap(), 3);
    assert_eq!(fs.write_at(h, b"x", 0).unwrap_err().code(), "EBADF");
    fs.close(h).unwrap();
    assert_eq!(
        fs.open(p("/none"), OpenFlags::READ).unwrap_err().code(),
        "ENOENT"
    );
    assert!(fs.operations().is_empty());
}

#[test]
fn bounded_log_keeps_the_newest_and_counts_dropped() {
    let fs = DryRun::new(MemoryBackend::new()).with_max_operations(2);
    for i in 0..5 {
        fs.create_dir(&pb(&format!("/d{i}"))).unwrap();
    }
    let log = fs.recording();
    assert_eq!(
        log.operations(),
        vec![
            Operation::CreateDir { path: pb("/d3") },
            Operation::CreateDir { path: pb("/d4") },
        ]
    );
    assert_eq!(log.dropped(), 3);
    assert_eq!(fs.take_operations().len(), 2);
    assert!(log.is_empty());
    fs.create_dir(p("/x")).unwrap();
    fs.clear();
    assert_eq!((log.len(), log.dropped()), (0, 0));
}

#[test]
fn layer_shares_its_recording_with_the_caller() {
    let layer = DryRunLayer::builder().max_operations(10).build();
    let log = layer.recording();
    let fs = MemoryBackend::new().layer(layer);
    fs.write(p("/x"), b"12").unwrap();
    assert_eq!(
        log.operations(),
        vec![Operation::Write {
            path: pb("/x"),
            size: 2
        }]
    );
    let shared = Recording::new();
    let fs2 = MemoryBackend::new().layer(DryRunLayer::builder().recording(shared.clone()).build());
    fs2.remove_file(p("/y")).unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(fs2.get_ref().read(p("/y")).unwrap_err().code(), "ENOENT");
    let plain = MemoryBackend::new().layer(DryRunLayer::new());
    plain.create_dir(p("/z")).unwrap();
    assert_eq!(plain.operations().len(), 1);
    assert!(!plain.into_inner().exists(p("/z")).unwrap());
}
