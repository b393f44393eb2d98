//! Inode access for FUSE.

use std::ffi::OsStr;

use anyfs_backend::{FsDir, FsInode, FsLink, FsRead, FsWrite, ROOT_INODE};

use super::{code, p, sample};

#[test]
fn root_is_inode_one() {
    let fs = sample();
    assert_eq!(fs.path_to_inode(p("/")).unwrap(), ROOT_INODE);
    assert_eq!(fs.inode_to_path(ROOT_INODE).unwrap(), p("/"));
    assert_eq!(fs.metadata(p("/")).unwrap().inode, ROOT_INODE);
    assert!(fs.metadata_by_inode(ROOT_INODE).unwrap().is_dir());
}

#[test]
fn path_and_inode_round_trip() {
    let fs = sample();
    for path in ["/d", "/d/f", "/l"] {
        let ino = fs.path_to_inode(p(path)).unwrap();
        assert_eq!(fs.inode_to_path(ino).unwrap(), p(path));
        assert_eq!(
            fs.metadata_by_inode(ino).unwrap(),
            fs.symlink_metadata(p(path)).unwrap()
        );
    }
    // path_to_inode does not follow the final symlink.
    assert_ne!(
        fs.path_to_inode(p("/l")).unwrap(),
        fs.path_to_inode(p("/d/f")).unwrap()
    );
}

#[test]
fn lookup_by_parent_and_name() {
    let fs = sample();
    let d = fs.lookup(ROOT_INODE, OsStr::new("d")).unwrap();
    let f = fs.lookup(d, OsStr::new("f")).unwrap();
    assert_eq!(f, fs.path_to_inode(p("/d/f")).unwrap());
    assert_eq!(fs.lookup(d, OsStr::new(".")).unwrap(), d);
    assert_eq!(fs.lookup(d, OsStr::new("..")).unwrap(), ROOT_INODE);
    assert_eq!(fs.lookup(ROOT_INODE, OsStr::new("..")).unwrap(), ROOT_INODE);
    assert_eq!(code(fs.lookup(d, OsStr::new("zz"))), "ENOENT");
    assert_eq!(code(fs.lookup(f, OsStr::new("x"))), "ENOTDIR");
    assert_eq!(code(fs.lookup(987_654, OsStr::new("x"))), "ENOENT");
}

#[test]
fn inode_to_path_after_links_and_unlinks() {
    let fs = sample();
    let ino = fs.path_to_inode(p("/d/f")).unwrap();
    fs.hard_link(p("/d/f"), p("/h")).unwrap();
    fs.remove_file(p("/d/f")).unwrap();
    assert_eq!(fs.inode_to_path(ino).unwrap(), p("/h"));
    fs.remove_file(p("/h")).unwrap();
    assert_eq!(code(fs.inode_to_path(ino)), "ENOENT");
    assert_eq!(code(fs.metadata_by_inode(ino)), "ENOENT");
    assert_eq!(code(fs.inode_to_path(123_456)), "ENOENT");
}

#[test]
fn deep_paths_round_trip() {
    let fs = sample();
    fs.create_dir_all(p("/a/b/c/d/e")).unwrap();
    fs.write(p("/a/b/c/d/e/leaf"), b"").unwrap();
    let ino = fs.path_to_inode(p("/a/b/c/d/e/leaf")).unwrap();
    assert_eq!(fs.inode_to_path(ino).unwrap(), p("/a/b/c/d/e/leaf"));
}
