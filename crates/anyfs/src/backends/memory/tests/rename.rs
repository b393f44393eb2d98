//! `rename(2)` in all its cases.

use anyfs_backend::{FsDir, FsLink, FsRead, FsWrite};

use super::{code, p, sample, MemoryBackend};

#[test]
fn rename_moves_a_file_and_keeps_its_inode() {
    let fs = sample();
    let ino = fs.metadata(p("/d/f")).unwrap().inode;
    fs.rename(p("/d/f"), p("/g")).unwrap();
    assert_eq!(code(fs.metadata(p("/d/f"))), "ENOENT");
    let m = fs.metadata(p("/g")).unwrap();
    assert_eq!(m.inode, ino);
    assert_eq!(fs.read(p("/g")).unwrap(), b"data");
}

#[test]
fn rename_replaces_a_file() {
    let fs = sample();
    fs.write(p("/other"), b"other").unwrap();
    let used_before = fs.inner.tree.read().used_bytes;
    fs.rename(p("/other"), p("/d/f")).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"other");
    assert!(!fs.exists(p("/other")).unwrap());
    // The replaced file's bytes are freed.
    assert_eq!(fs.inner.tree.read().used_bytes, used_before - 4);
}

#[test]
fn rename_replaces_an_empty_directory_only() {
    let fs = sample();
    fs.create_dir(p("/src")).unwrap();
    fs.write(p("/src/x"), b"x").unwrap();
    fs.create_dir(p("/empty")).unwrap();
    fs.rename(p("/src"), p("/empty")).unwrap();
    assert_eq!(fs.read(p("/empty/x")).unwrap(), b"x");
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 2 + 2);
    fs.create_dir(p("/src2")).unwrap();
    assert_eq!(code(fs.rename(p("/src2"), p("/d"))), "ENOTEMPTY");
}

#[test]
fn rename_type_mismatches() {
    let fs = sample();
    fs.create_dir(p("/e")).unwrap();
    assert_eq!(code(fs.rename(p("/d/f"), p("/e"))), "EISDIR");
    assert_eq!(code(fs.rename(p("/e"), p("/d/f"))), "ENOTDIR");
    assert_eq!(code(fs.rename(p("/d/f"), p("/d/f/x"))), "ENOTDIR");
    assert_eq!(code(fs.rename(p("/d/f"), p("/newname/"))), "ENOTDIR");
    assert_eq!(code(fs.rename(p("/d/f/"), p("/x"))), "ENOTDIR");
}

#[test]
fn rename_into_own_subtree_is_einval() {
    let fs = sample();
    fs.create_dir_all(p("/a/b/c")).unwrap();
    assert_eq!(code(fs.rename(p("/a"), p("/a/b/c/a"))), "EINVAL");
    assert_eq!(code(fs.rename(p("/a"), p("/a/x"))), "EINVAL");
    assert_eq!(code(fs.rename(p("/a/b"), p("/a/b/c/z"))), "EINVAL");
    // Through a symlink into the subtree, too.
    fs.symlink(p("/a/b"), p("/lb")).unwrap();
    assert_eq!(code(fs.rename(p("/a"), p("/lb/q"))), "EINVAL");
    assert!(fs.metadata(p("/a/b/c")).unwrap().is_dir());
}

#[test]
fn rename_of_or_onto_the_root_is_ebusy() {
    let fs = sample();
    assert_eq!(code(fs.rename(p("/"), p("/x"))), "EBUSY");
    assert_eq!(code(fs.rename(p("/d"), p("/"))), "EBUSY");
}

#[test]
fn rename_dot_components_are_einval() {
    let fs = sample();
    assert_eq!(code(fs.rename(p("/d/."), p("/x"))), "EINVAL");
    assert_eq!(code(fs.rename(p("/d/f"), p("/d/.."))), "EINVAL");
}

#[test]
fn rename_between_hard_links_of_one_inode_is_a_no_op() {
    let fs = sample();
    fs.hard_link(p("/d/f"), p("/h")).unwrap();
    fs.rename(p("/d/f"), p("/h")).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/h")).unwrap(), b"data");
    assert_eq!(fs.metadata(p("/h")).unwrap().nlink, 2);
    fs.rename(p("/d"), p("/d")).unwrap();
    assert!(fs.exists(p("/d/f")).unwrap());
}

#[test]
fn rename_moves_a_symlink_not_its_target() {
    let fs = sample();
    fs.rename(p("/l"), p("/d/l2")).unwrap();
    assert!(fs.symlink_metadata(p("/d/l2")).unwrap().is_symlink());
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/d/l2")).unwrap(), b"data");
}

#[test]
fn rename_updates_parent_link_counts_and_paths() {
    use anyfs_backend::FsInode;
    let fs = MemoryBackend::new();
    fs.create_dir_all(p("/a/sub/deep")).unwrap();
    fs.create_dir(p("/b")).unwrap();
    let deep = fs.path_to_inode(p("/a/sub/deep")).unwrap();
    fs.rename(p("/a/sub"), p("/b/moved")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 2);
    assert_eq!(fs.metadata(p("/b")).unwrap().nlink, 3);
    assert_eq!(fs.inode_to_path(deep).unwrap(), p("/b/moved/deep"));
    // `..` of the moved directory now leads to its new parent.
    fs.write(p("/b/marker"), b"b").unwrap();
    assert_eq!(fs.read(p("/b/moved/../marker")).unwrap(), b"b");
}

#[test]
fn rename_missing_source_or_parent() {
    let fs = sample();
    assert_eq!(code(fs.rename(p("/missing"), p("/x"))), "ENOENT");
    assert_eq!(code(fs.rename(p("/d/f"), p("/nope/x"))), "ENOENT");
}

#[test]
fn rename_of_open_file_replaced_keeps_old_data_for_the_handle() {
    use anyfs_backend::{FsHandles, OpenFlags};
    let fs = sample();
    fs.write(p("/new"), b"new").unwrap();
    let h = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    fs.rename(p("/new"), p("/d/f")).unwrap();
    let mut buf = [0u8; 8];
    let n = fs.read_at(h, &mut buf, 0).unwrap();
    assert_eq!(&buf[..n], b"data");
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"new");
    fs.close(h).unwrap();
}
