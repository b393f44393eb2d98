//! `remove_dir_all`: set-based removal of large trees, names kept outside the tree, files
//! kept alive by handles, symlinks removed and never followed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyfs_backend::{FsDir, FsHandles, FsLink, FsRead, FsWrite, OpenFlags};
use rusqlite::trace::{TraceEvent, TraceEventCodes};

use super::{code, p, rows, SqliteBackend};

/// A tree of `dirs` directories with `files` files each, half of them one level deeper.
fn tree(fs: &SqliteBackend, root: &str, dirs: usize, files: usize) {
    for d in 0..dirs {
        fs.create_dir_all(p(&format!("{root}/d{d}/sub"))).unwrap();
        for f in 0..files {
            let sub = if f % 2 == 0 { "sub/" } else { "" };
            fs.write(
                p(&format!("{root}/d{d}/{sub}f{f}")),
                format!("{d}:{f}").as_bytes(),
            )
            .unwrap();
        }
    }
}

/// How many SQL statements the writer runs during `f`.
fn statements(fs: &SqliteBackend, f: impl FnOnce()) -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    fs.inner
        .conns
        .writer()
        .trace_v2(
            TraceEventCodes::SQLITE_TRACE_PROFILE,
            Some(move |event: TraceEvent<'_>| {
                if matches!(event, TraceEvent::Profile(..)) {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }),
        )
        .unwrap();
    f();
    fs.inner
        .conns
        .writer()
        .trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)
        .unwrap();
    count.load(Ordering::Relaxed)
}

#[test]
fn remove_dir_all_runs_the_same_few_statements_whatever_the_tree_size() {
    let fs = SqliteBackend::in_memory().unwrap();
    tree(&fs, "/small", 2, 10);
    tree(&fs, "/large", 10, 1000);
    let small = statements(&fs, || fs.remove_dir_all(p("/small")).unwrap());
    let large = statements(&fs, || fs.remove_dir_all(p("/large")).unwrap());
    assert_eq!(large, small, "statements for 10 000 files vs 20 files");
    assert!(large < 40, "{large} statements");
    assert_eq!(rows(&fs, "inodes"), 1);
    assert_eq!(rows(&fs, "chunks"), 0);
}

#[test]
fn removes_a_10k_file_tree_in_one_operation() {
    let fs = SqliteBackend::in_memory().unwrap();
    tree(&fs, "/tree", 10, 1000);
    fs.write(p("/outside"), b"o").unwrap();
    // A file of the tree also named outside it survives with its other name.
    fs.hard_link(p("/tree/d3/f1"), p("/kept")).unwrap();
    // Symlinks inside are removed, their targets outside are not.
    fs.symlink(p("/outside"), p("/tree/d0/to_outside")).unwrap();
    assert_eq!(rows(&fs, "inodes"), 1 + 1 + 20 + 10_000 + 1 + 1);

    fs.remove_dir_all(p("/tree")).unwrap();

    assert!(!fs.exists(p("/tree")).unwrap());
    assert_eq!(fs.read(p("/kept")).unwrap(), b"3:1");
    assert_eq!(fs.metadata(p("/kept")).unwrap().nlink, 1);
    assert_eq!(fs.read(p("/outside")).unwrap(), b"o");
    // root, /outside, /kept: everything else is gone, chunks and symlink targets included.
    assert_eq!(rows(&fs, "inodes"), 3);
    assert_eq!(rows(&fs, "entries"), 2);
    assert_eq!(rows(&fs, "chunks"), 2);
    assert_eq!(rows(&fs, "symlinks"), 0);
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 2);
    fs.check_integrity().unwrap();
}

#[test]
fn files_held_open_survive_the_removal_until_closed() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.create_dir_all(p("/t/a/b")).unwrap();
    fs.write(p("/t/a/b/held"), b"still readable").unwrap();
    fs.write(p("/t/a/gone"), b"x").unwrap();
    let h = fs.open(p("/t/a/b/held"), OpenFlags::READ_WRITE).unwrap();
    let ino = fs.metadata(p("/t/a/b/held")).unwrap().inode;

    fs.remove_dir_all(p("/t")).unwrap();
    assert_eq!(rows(&fs, "orphans"), 1);
    let mut buf = [0u8; 32];
    let n = fs.read_at(h, &mut buf, 0).unwrap();
    assert_eq!(&buf[..n], b"still readable");
    fs.write_at(h, b"S", 0).unwrap();
    assert!(fs.inner.open.is_open(ino));
    fs.check_integrity().unwrap();

    fs.close(h).unwrap();
    assert_eq!(rows(&fs, "orphans"), 0);
    assert_eq!(rows(&fs, "inodes"), 1);
    assert_eq!(rows(&fs, "chunks"), 0);
    fs.check_integrity().unwrap();
}

#[test]
fn rename_over_a_file_held_open_orphans_it() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.write(p("/old"), b"old data").unwrap();
    fs.write(p("/new"), b"new data").unwrap();
    let h = fs.open(p("/old"), OpenFlags::READ).unwrap();
    fs.rename(p("/new"), p("/old")).unwrap();
    assert_eq!(fs.read(p("/old")).unwrap(), b"new data");
    let mut buf = [0u8; 16];
    let n = fs.read_at(h, &mut buf, 0).unwrap();
    assert_eq!(&buf[..n], b"old data");
    fs.close(h).unwrap();
    assert_eq!(rows(&fs, "inodes"), 2);
    fs.check_integrity().unwrap();
}

#[test]
fn remove_dir_all_errors() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.write(p("/f"), b"").unwrap();
    fs.create_dir(p("/d")).unwrap();
    fs.symlink(p("/d"), p("/l")).unwrap();
    assert_eq!(code(fs.remove_dir_all(p("/"))), "EBUSY");
    assert_eq!(code(fs.remove_dir_all(p("/f"))), "ENOTDIR");
    assert_eq!(code(fs.remove_dir_all(p("/missing"))), "ENOENT");
    assert_eq!(code(fs.remove_dir_all(p("/d/."))), "EINVAL");
    // A symlink is removed itself, not its target.
    fs.remove_dir_all(p("/l")).unwrap();
    assert!(fs.metadata(p("/d")).unwrap().is_dir());
}
