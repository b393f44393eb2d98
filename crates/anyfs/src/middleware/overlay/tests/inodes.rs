//! Synthesized inode numbers and link counts.

use std::collections::HashSet;
use std::ffi::OsStr;

use anyfs_backend::{FsDir, FsInode, FsLink, FsRead, FsWrite, ROOT_INODE};

use super::{overlay, p, tree};

#[test]
fn inodes_are_unique_across_layers_and_match_listings() {
    let (fs, _, _) = overlay();
    fs.write(p("/etc/upper-file"), b"u").unwrap();
    let mut seen = HashSet::new();
    for (path, _) in tree(&fs) {
        let ino = fs.path_to_inode(&path).unwrap();
        assert!(ino != 0 && ino != ROOT_INODE, "{}: {ino}", path.display());
        assert!(seen.insert(ino), "{} shares inode {ino}", path.display());
        assert_eq!(fs.symlink_metadata(&path).unwrap().inode, ino);
        assert_eq!(fs.inode_to_path(ino).unwrap(), path);
        let parent = path.parent().unwrap();
        let entry = fs
            .read_dir(parent)
            .unwrap()
            .into_iter()
            .find(|e| Some(e.name.as_os_str()) == path.file_name())
            .unwrap();
        assert_eq!(entry.inode, ino, "{}", path.display());
    }
    assert_eq!(fs.path_to_inode(p("/")).unwrap(), ROOT_INODE);
    assert_eq!(fs.metadata_by_inode(ROOT_INODE).unwrap().inode, ROOT_INODE);
}

#[test]
fn a_merged_directory_keeps_its_number_when_copied_up() {
    let (fs, _, upper) = overlay();
    let before = fs.path_to_inode(p("/src/lib")).unwrap();
    fs.write(p("/src/lib/new.rs"), b"n").unwrap();
    assert!(upper.metadata(p("/src/lib")).unwrap().is_dir());
    assert_eq!(fs.path_to_inode(p("/src/lib")).unwrap(), before);
    assert_eq!(fs.metadata(p("/src/lib")).unwrap().inode, before);
    let lib = fs.lookup(fs.path_to_inode(p("/src")).unwrap(), OsStr::new("lib"));
    assert_eq!(lib.unwrap(), before);
}

#[test]
fn a_copied_up_file_gets_a_new_stable_number_and_the_old_one_is_gone() {
    let (fs, _, _) = overlay();
    let old = fs.path_to_inode(p("/etc/hosts")).unwrap();
    fs.append(p("/etc/hosts"), b"+").unwrap();
    let new = fs.path_to_inode(p("/etc/hosts")).unwrap();
    assert_ne!(old, new);
    assert_eq!(fs.inode_to_path(old).unwrap_err().code(), "ENOENT");
    fs.append(p("/etc/hosts"), b"+").unwrap();
    assert_eq!(fs.path_to_inode(p("/etc/hosts")).unwrap(), new);
    assert_eq!(fs.inode_to_path(new).unwrap(), p("/etc/hosts"));
    fs.remove_file(p("/etc/hosts")).unwrap();
    assert_eq!(fs.inode_to_path(new).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.metadata_by_inode(new).unwrap_err().code(), "ENOENT");
    let conf = fs.path_to_inode(p("/etc/conf")).unwrap();
    fs.remove_file(p("/etc/conf")).unwrap();
    assert_eq!(fs.inode_to_path(conf).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.inode_to_path(u64::MAX - 1).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.inode_to_path(0).unwrap_err().code(), "ENOENT");
}

#[test]
fn lookup_errors() {
    let (fs, _, _) = overlay();
    let conf = fs.path_to_inode(p("/etc/conf")).unwrap();
    assert_eq!(
        fs.lookup(conf, OsStr::new("x")).unwrap_err().code(),
        "ENOTDIR"
    );
    assert_eq!(
        fs.lookup(ROOT_INODE, OsStr::new("missing"))
            .unwrap_err()
            .code(),
        "ENOENT"
    );
    assert_eq!(
        fs.lookup(ROOT_INODE, OsStr::new("a/b")).unwrap_err().code(),
        "EINVAL"
    );
    let link = fs.lookup(ROOT_INODE, OsStr::new("link")).unwrap();
    assert_eq!(
        fs.metadata_by_inode(link).unwrap().file_type,
        anyfs_backend::FileType::Symlink
    );
}

#[test]
fn merged_directories_count_subdirectories_of_both_layers() {
    let (fs, _, _) = overlay();
    // Root: etc, src, docs from the base.
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 5);
    fs.create_dir(p("/extra")).unwrap();
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 6);
    fs.remove_dir_all(p("/src")).unwrap();
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 5);
    // A merged /src/lib parent: one base subdir plus one new one.
    let (fs, _, _) = overlay();
    fs.create_dir(p("/src/new")).unwrap();
    assert_eq!(fs.metadata(p("/src")).unwrap().nlink, 4);
    assert_eq!(fs.read(p("/src/main.rs")).unwrap(), b"fn main() {}");
}
