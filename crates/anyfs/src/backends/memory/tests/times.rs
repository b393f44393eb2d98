//! Timestamps change the way POSIX says. Each test first sets times to long ago, so "changed"
//! can never be "the clock did not tick".

use std::path::Path;

use anyfs_backend::{
    FsDir, FsHandles, FsLink, FsPermissions, FsRead, FsWrite, FsXattr, Metadata, OpenFlags,
    Permissions,
};

use super::super::resolve::NodeGraph;
use super::{long_ago, p, sample, MemoryBackend};

/// Sets atime/mtime of `path` to long ago and ctime too (through the tree: the API cannot set
/// ctime, as POSIX cannot).
fn age(fs: &MemoryBackend, path: &Path) {
    let mut tree = fs.inner.tree.write();
    let (ino, _) = tree.existing(path, false, "t").unwrap();
    let node = tree.node_mut(ino, "t").unwrap();
    node.atime = long_ago();
    node.mtime = long_ago();
    node.ctime = long_ago();
}

fn meta(fs: &MemoryBackend, path: &str) -> Metadata {
    fs.symlink_metadata(p(path)).unwrap()
}

#[test]
fn create_sets_all_four_times() {
    let fs = MemoryBackend::new();
    fs.write(p("/f"), b"x").unwrap();
    let m = meta(&fs, "/f");
    assert!(m.created.is_some());
    assert_eq!(m.created, m.modified);
    assert_eq!(m.modified, m.accessed);
    assert_eq!(m.accessed, m.changed);
}

#[test]
fn content_changes_set_mtime_and_ctime() {
    let fs = sample();
    type Op = fn(&MemoryBackend);
    let ops: [(&str, Op); 4] = [
        ("write", |fs| fs.write(p("/d/f"), b"new").unwrap()),
        ("append", |fs| fs.append(p("/d/f"), b"more").unwrap()),
        ("truncate", |fs| fs.truncate(p("/d/f"), 1).unwrap()),
        ("write_at", |fs| {
            let h = fs.open(p("/d/f"), OpenFlags::WRITE).unwrap();
            fs.write_at(h, b"z", 0).unwrap();
            fs.close(h).unwrap();
        }),
    ];
    for (name, op) in ops {
        age(&fs, p("/d/f"));
        op(&fs);
        let m = meta(&fs, "/d/f");
        assert!(m.modified.unwrap() > long_ago(), "{name}: mtime");
        assert!(m.changed.unwrap() > long_ago(), "{name}: ctime");
        assert_eq!(m.accessed.unwrap(), long_ago(), "{name}: atime untouched");
    }
}

#[test]
fn reads_do_not_update_atime() {
    let fs = sample();
    age(&fs, p("/d/f"));
    fs.read(p("/d/f")).unwrap();
    fs.read_range(p("/d/f"), 0, 1).unwrap();
    let h = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    let mut buf = [0u8; 2];
    fs.read_at(h, &mut buf, 0).unwrap();
    fs.close(h).unwrap();
    let m = meta(&fs, "/d/f");
    assert_eq!(m.accessed.unwrap(), long_ago());
    assert_eq!(m.modified.unwrap(), long_ago());
}

#[test]
fn entry_changes_set_directory_mtime_and_ctime() {
    let fs = sample();
    type Op = fn(&MemoryBackend);
    let ops: [(&str, Op); 8] = [
        ("create file", |fs| fs.write(p("/d/new"), b"").unwrap()),
        ("create dir", |fs| fs.create_dir(p("/d/sub")).unwrap()),
        ("symlink", |fs| fs.symlink(p("x"), p("/d/sym")).unwrap()),
        ("hard_link", |fs| {
            fs.hard_link(p("/d/f"), p("/d/hl")).unwrap()
        }),
        ("remove_file", |fs| fs.remove_file(p("/d/hl")).unwrap()),
        ("remove_dir", |fs| fs.remove_dir(p("/d/sub")).unwrap()),
        ("rename out", |fs| {
            fs.rename(p("/d/sym"), p("/sym")).unwrap()
        }),
        ("rename in", |fs| fs.rename(p("/sym"), p("/d/sym")).unwrap()),
    ];
    for (name, op) in ops {
        age(&fs, p("/d"));
        op(&fs);
        let m = meta(&fs, "/d");
        assert!(m.modified.unwrap() > long_ago(), "{name}: dir mtime");
        assert!(m.changed.unwrap() > long_ago(), "{name}: dir ctime");
    }
}

#[test]
fn content_writes_do_not_touch_the_directory() {
    let fs = sample();
    age(&fs, p("/d"));
    fs.write(p("/d/f"), b"overwrite").unwrap();
    assert_eq!(meta(&fs, "/d").modified.unwrap(), long_ago());
}

#[test]
fn attribute_changes_set_only_ctime() {
    let fs = sample();
    type Op = fn(&MemoryBackend);
    let ops: [(&str, Op); 5] = [
        ("chmod", |fs| {
            fs.set_permissions(p("/d/f"), Permissions::from_mode(0o600))
                .unwrap()
        }),
        ("chown", |fs| {
            fs.set_owner(p("/d/f"), Some(7), None).unwrap()
        }),
        ("link count", |fs| fs.hard_link(p("/d/f"), p("/h")).unwrap()),
        ("unlink other name", |fs| fs.remove_file(p("/h")).unwrap()),
        ("xattr", |fs| {
            fs.set_xattr(p("/d/f"), "user.k", b"v").unwrap()
        }),
    ];
    for (name, op) in ops {
        age(&fs, p("/d/f"));
        op(&fs);
        let m = meta(&fs, "/d/f");
        assert!(m.changed.unwrap() > long_ago(), "{name}: ctime");
        assert_eq!(m.modified.unwrap(), long_ago(), "{name}: mtime untouched");
    }
}

#[test]
fn set_times_sets_atime_and_mtime_explicitly() {
    let fs = sample();
    let a = long_ago();
    let m = long_ago() + std::time::Duration::from_secs(60);
    fs.set_times(p("/l"), Some(a), Some(m)).unwrap();
    let meta = fs.metadata(p("/d/f")).unwrap();
    assert_eq!(meta.accessed, Some(a));
    assert_eq!(meta.modified, Some(m));
    assert!(meta.changed.unwrap() > m);
    // None leaves a time unchanged.
    fs.set_times(p("/d/f"), None, Some(a)).unwrap();
    let meta = fs.metadata(p("/d/f")).unwrap();
    assert_eq!(meta.accessed, Some(a));
    assert_eq!(meta.modified, Some(a));
    assert_eq!(
        super::code(fs.set_times(p("/missing"), None, None)),
        "ENOENT"
    );
}
