//! Directory operations.

use std::ffi::OsString;

use anyfs_backend::{FileType, FsDir, FsLink, FsRead, FsWrite};

use super::{code, p, sample, MemoryBackend};

#[test]
fn read_dir_lists_in_name_order_with_types() {
    let fs = MemoryBackend::new();
    fs.write(p("/b"), b"").unwrap();
    fs.create_dir(p("/a")).unwrap();
    fs.symlink(p("/b"), p("/c")).unwrap();
    let entries = fs.read_dir(p("/")).unwrap();
    let names: Vec<OsString> = entries.iter().map(|e| e.name.clone()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    let types: Vec<FileType> = entries.iter().map(|e| e.file_type).collect();
    assert_eq!(
        types,
        [FileType::Directory, FileType::File, FileType::Symlink]
    );
    assert_eq!(
        entries[1].inode,
        fs.metadata(p("/b")).unwrap().inode,
        "entries carry the inode"
    );
}

#[test]
fn read_dir_follows_a_symlink_to_a_directory() {
    let fs = sample();
    fs.symlink(p("/d"), p("/ld")).unwrap();
    assert_eq!(fs.read_dir(p("/ld")).unwrap().len(), 1);
}

#[test]
fn create_dir_rules() {
    let fs = sample();
    fs.create_dir(p("/e")).unwrap();
    assert!(fs.metadata(p("/e")).unwrap().is_dir());
    assert_eq!(code(fs.create_dir(p("/e"))), "EEXIST");
    assert_eq!(code(fs.create_dir(p("/d/f"))), "EEXIST");
    assert_eq!(code(fs.create_dir(p("/l"))), "EEXIST");
    assert_eq!(code(fs.create_dir(p("/"))), "EEXIST");
    assert_eq!(code(fs.create_dir(p("/x/y"))), "ENOENT");
    assert_eq!(code(fs.create_dir(p("/d/f/y"))), "ENOTDIR");
    // A trailing slash is fine for a directory.
    fs.create_dir(p("/g/")).unwrap();
    assert!(fs.metadata(p("/g")).unwrap().is_dir());
}

#[test]
fn create_dir_does_not_follow_a_dangling_symlink() {
    let fs = MemoryBackend::new();
    fs.symlink(p("/nowhere"), p("/dang")).unwrap();
    assert_eq!(code(fs.create_dir(p("/dang"))), "EEXIST");
    assert_eq!(code(fs.create_dir(p("/dang/"))), "EEXIST");
    assert!(!fs.exists(p("/nowhere")).unwrap());
}

#[test]
fn create_dir_all_is_mkdir_p() {
    let fs = sample();
    fs.create_dir_all(p("/a/b/c")).unwrap();
    assert!(fs.metadata(p("/a/b/c")).unwrap().is_dir());
    // Existing: fine, also through a symlink to a directory.
    fs.create_dir_all(p("/a/b/c")).unwrap();
    fs.create_dir_all(p("/")).unwrap();
    fs.symlink(p("/a"), p("/la")).unwrap();
    fs.create_dir_all(p("/la/b/z")).unwrap();
    assert!(fs.metadata(p("/a/b/z")).unwrap().is_dir());
    // `..` is taken lexically for the missing parents, as std does.
    fs.create_dir_all(p("/m/../n")).unwrap();
    assert!(fs.metadata(p("/m")).unwrap().is_dir());
    assert!(fs.metadata(p("/n")).unwrap().is_dir());
}

#[test]
fn create_dir_all_over_files() {
    let fs = sample();
    // A file at the end: EEXIST; in the middle: ENOTDIR (as `mkdir -p`).
    assert_eq!(code(fs.create_dir_all(p("/d/f"))), "EEXIST");
    assert_eq!(code(fs.create_dir_all(p("/d/f/x/y"))), "ENOTDIR");
    // A symlink to a file at the end is not a directory either.
    assert_eq!(code(fs.create_dir_all(p("/l"))), "EEXIST");
    assert_eq!(code(fs.create_dir_all(p("rel/x"))), "EINVAL");
    assert_eq!(code(fs.create_dir_all(p(""))), "EINVAL");
}

#[test]
fn remove_dir_rules() {
    let fs = sample();
    assert_eq!(code(fs.remove_dir(p("/d"))), "ENOTEMPTY");
    assert_eq!(code(fs.remove_dir(p("/d/f"))), "ENOTDIR");
    assert_eq!(code(fs.remove_dir(p("/l"))), "ENOTDIR");
    assert_eq!(code(fs.remove_dir(p("/missing"))), "ENOENT");
    assert_eq!(code(fs.remove_dir(p("/"))), "EBUSY");
    fs.create_dir(p("/e")).unwrap();
    assert_eq!(code(fs.remove_dir(p("/e/."))), "EINVAL");
    assert_eq!(code(fs.remove_dir(p("/d/f/"))), "ENOTDIR");
    fs.remove_dir(p("/e/")).unwrap();
    assert!(!fs.exists(p("/e")).unwrap());
}

#[test]
fn remove_dir_of_a_symlink_with_trailing_slash_keeps_the_target() {
    let fs = sample();
    fs.create_dir(p("/empty")).unwrap();
    fs.symlink(p("/empty"), p("/le")).unwrap();
    assert_eq!(code(fs.remove_dir(p("/le/"))), "ENOTDIR");
    assert!(fs.metadata(p("/empty")).unwrap().is_dir());
}

#[test]
fn remove_dir_all_removes_the_subtree_not_symlink_targets() {
    let fs = sample();
    fs.create_dir_all(p("/t/a/b")).unwrap();
    fs.write(p("/t/a/b/x"), b"x").unwrap();
    fs.write(p("/t/y"), b"y").unwrap();
    fs.symlink(p("/d"), p("/t/link_to_d")).unwrap();
    fs.hard_link(p("/t/y"), p("/keep")).unwrap();
    let before = fs.inner.tree.read().nodes.len();
    fs.remove_dir_all(p("/t")).unwrap();
    assert!(!fs.exists(p("/t")).unwrap());
    // The symlink's target survives; a file also named outside survives with nlink 1.
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/keep")).unwrap(), b"y");
    assert_eq!(fs.metadata(p("/keep")).unwrap().nlink, 1);
    // t, a, b, x, link_to_d are gone (y survives as /keep).
    assert_eq!(fs.inner.tree.read().nodes.len(), before - 5);
    assert_eq!(fs.inner.tree.read().used_bytes, 4 + 1);
}

#[test]
fn remove_dir_all_on_symlink_file_and_root() {
    let fs = sample();
    fs.symlink(p("/d"), p("/ld")).unwrap();
    fs.remove_dir_all(p("/ld")).unwrap();
    assert!(fs.exists(p("/d/f")).unwrap());
    assert!(fs.symlink_metadata(p("/ld")).is_err());
    assert_eq!(code(fs.remove_dir_all(p("/d/f"))), "ENOTDIR");
    assert_eq!(code(fs.remove_dir_all(p("/"))), "EBUSY");
    assert_eq!(code(fs.remove_dir_all(p("/missing"))), "ENOENT");
}

#[test]
fn read_dir_errors() {
    let fs = sample();
    assert_eq!(code(fs.read_dir(p("/d/f"))), "ENOTDIR");
    assert_eq!(code(fs.read_dir(p("/l"))), "ENOTDIR");
    assert_eq!(code(fs.read_dir(p("/missing"))), "ENOENT");
}
