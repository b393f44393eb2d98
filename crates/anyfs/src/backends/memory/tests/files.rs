//! Reading and writing file content.

use std::io::{Read, Write};

use anyfs_backend::{FsDir, FsPermissions, FsRead, FsWrite, Permissions};

use super::super::resolve::NodeGraph;
use super::{code, p, sample, MemoryBackend};

#[test]
fn write_creates_and_replaces() {
    let fs = MemoryBackend::new();
    fs.write(p("/a"), b"hello world").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"hello world");
    fs.write(p("/a"), b"hi").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"hi");
    assert_eq!(fs.metadata(p("/a")).unwrap().size, 2);
    assert_eq!(fs.read_to_string(p("/a")).unwrap(), "hi");
}

#[test]
fn write_into_missing_directory_is_enoent() {
    let fs = MemoryBackend::new();
    assert_eq!(code(fs.write(p("/nope/a"), b"x")), "ENOENT");
}

#[test]
fn append_creates_then_extends() {
    let fs = MemoryBackend::new();
    fs.append(p("/log"), b"a").unwrap();
    fs.append(p("/log"), b"bc").unwrap();
    assert_eq!(fs.read(p("/log")).unwrap(), b"abc");
}

#[test]
fn read_range_clamps_at_the_end() {
    let fs = sample();
    assert_eq!(fs.read_range(p("/d/f"), 1, 2).unwrap(), b"at");
    assert_eq!(fs.read_range(p("/d/f"), 2, 100).unwrap(), b"ta");
    assert_eq!(fs.read_range(p("/d/f"), 4, 1).unwrap(), b"");
    assert_eq!(fs.read_range(p("/d/f"), u64::MAX, 1).unwrap(), b"");
}

#[test]
fn truncate_shrinks_and_zero_extends() {
    let fs = sample();
    fs.truncate(p("/d/f"), 2).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"da");
    fs.truncate(p("/d/f"), 5).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"da\0\0\0");
    assert_eq!(code(fs.truncate(p("/d"), 0)), "EISDIR");
    assert_eq!(code(fs.truncate(p("/missing"), 0)), "ENOENT");
    assert_eq!(code(fs.truncate(p("/d/f"), u64::MAX)), "EFBIG");
}

#[test]
fn read_follows_symlinks_and_write_goes_through_them() {
    let fs = sample();
    assert_eq!(fs.read(p("/l")).unwrap(), b"data");
    fs.write(p("/l"), b"new").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"new");
}

#[test]
fn write_through_a_dangling_symlink_creates_its_target() {
    use anyfs_backend::FsLink;
    let fs = MemoryBackend::new();
    fs.symlink(p("/target"), p("/link")).unwrap();
    fs.write(p("/link"), b"x").unwrap();
    assert_eq!(fs.read(p("/target")).unwrap(), b"x");
    assert!(fs.symlink_metadata(p("/link")).unwrap().is_symlink());
}

#[test]
fn copy_copies_content_and_permissions_following_the_source_symlink() {
    let fs = sample();
    fs.set_permissions(p("/d/f"), Permissions::from_mode(0o600))
        .unwrap();
    fs.copy(p("/l"), p("/c")).unwrap();
    let m = fs.metadata(p("/c")).unwrap();
    assert!(m.is_file());
    assert_eq!(m.permissions.mode(), 0o600);
    assert_eq!(fs.read(p("/c")).unwrap(), b"data");
    // The copy is independent.
    fs.write(p("/c"), b"changed").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data");
    // Over an existing file.
    fs.copy(p("/c"), p("/d/f")).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"changed");
    // Onto itself: unchanged.
    fs.copy(p("/c"), p("/c")).unwrap();
    assert_eq!(fs.read(p("/c")).unwrap(), b"changed");
}

#[test]
fn copy_errors() {
    let fs = sample();
    assert_eq!(code(fs.copy(p("/d"), p("/x"))), "EISDIR");
    assert_eq!(code(fs.copy(p("/d/f"), p("/d"))), "EISDIR");
    assert_eq!(code(fs.copy(p("/missing"), p("/x"))), "ENOENT");
    assert_eq!(code(fs.copy(p("/d/f"), p("/missing/x"))), "ENOENT");
}

#[test]
fn open_read_streams_the_content() {
    let fs = sample();
    let mut r = fs.open_read(p("/l")).unwrap();
    let mut s = String::new();
    r.read_to_string(&mut s).unwrap();
    assert_eq!(s, "data");
    assert_eq!(code(fs.open_read(p("/d")).map(|_| ())), "EISDIR");
    assert_eq!(code(fs.open_read(p("/zz")).map(|_| ())), "ENOENT");
}

#[test]
fn open_write_truncates_then_writes_through() {
    let fs = sample();
    let mut w = fs.open_write(p("/d/f")).unwrap();
    // Truncated on open, before any write.
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"");
    w.write_all(b"ab").unwrap();
    // Each write is visible at once: no buffering in the writer.
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"ab");
    w.write_all(b"cd").unwrap();
    w.flush().unwrap();
    drop(w);
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"abcd");
    let mut w = fs.open_write(p("/d/new")).unwrap();
    w.write_all(b"n").unwrap();
    drop(w);
    assert_eq!(fs.read(p("/d/new")).unwrap(), b"n");
    assert_eq!(code(fs.open_write(p("/d")).map(|_| ())), "EISDIR");
}

#[test]
fn streams_close_their_handles() {
    let fs = sample();
    {
        let _r = fs.open_read(p("/d/f")).unwrap();
        let _w = fs.open_write(p("/d/g")).unwrap();
        assert_eq!(fs.inner.tree.read().handles.len(), 2);
    }
    assert_eq!(fs.inner.tree.read().handles.len(), 0);
}

#[test]
fn write_shrinking_a_large_file_releases_its_buffer() {
    let fs = MemoryBackend::new();
    fs.write(p("/big"), &vec![7u8; 1 << 20]).unwrap();
    fs.write(p("/big"), b"x").unwrap();
    let tree = fs.inner.tree.read();
    let (ino, _) = tree.existing(p("/big"), true, "t").unwrap();
    let super::super::node::Kind::File(bytes) = &tree.node(ino, "t").unwrap().kind else {
        panic!("not a file");
    };
    assert!(bytes.capacity() < 1024, "capacity {}", bytes.capacity());
}

#[test]
fn exists_reports_without_erroring_on_missing_parents() {
    let fs = sample();
    assert!(fs.exists(p("/d/f")).unwrap());
    assert!(fs.exists(p("/l")).unwrap());
    assert!(!fs.exists(p("/x/y")).unwrap());
    assert!(!fs.exists(p("/d/f/x")).unwrap());
    assert_eq!(code(fs.exists(p("rel"))), "EINVAL");
    fs.remove_dir_all(p("/d")).unwrap();
    // A dangling symlink does not "exist" (std semantics: follows).
    assert!(!fs.exists(p("/l")).unwrap());
}
