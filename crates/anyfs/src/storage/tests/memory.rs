//! End to end over MemoryBackend (which also resolves by itself, so these check agreement,
//! not the resolver alone).

use std::path::Path;
use std::sync::Arc;

use crate::{
    CachingResolver, FileStorage, FileType, FsPosix, IterativeResolver, LockType, MemoryBackend,
    OpenFlags, Permissions,
};

fn storage() -> FileStorage<MemoryBackend> {
    let fs = FileStorage::new(MemoryBackend::new());
    fs.create_dir_all("/a/b").unwrap();
    fs.write("/a/target.txt", "through the link").unwrap();
    fs.write("/target.txt", "decoy").unwrap();
    fs.symlink("/a/b", "/foo").unwrap();
    fs
}

#[test]
fn dotdot_after_symlink_and_chains() {
    let fs = storage();
    assert_eq!(
        fs.read_to_string("/foo/../target.txt").unwrap(),
        "through the link"
    );
    fs.symlink("/a/target.txt", "/c").unwrap();
    fs.symlink("/c", "/b").unwrap();
    assert_eq!(fs.read("/b").unwrap(), b"through the link");
    assert_eq!(fs.read_link("/b").unwrap(), Path::new("/c"));
}

#[test]
fn loops_are_eloop() {
    let fs = storage();
    fs.symlink("/l2", "/l1").unwrap();
    fs.symlink("/l1", "/l2").unwrap();
    let err = fs.read("/l1").unwrap_err();
    assert_eq!(err.code(), "ELOOP");
    assert_eq!(err.errno(), 40);
    assert!(!fs.exists("/l1").unwrap());
}

#[test]
fn canonicalize_family() {
    let fs = storage();
    assert_eq!(fs.canonicalize("/foo/..").unwrap(), Path::new("/a"));
    assert_eq!(
        fs.soft_canonicalize("/foo/x/y").unwrap(),
        Path::new("/a/b/x/y")
    );
    assert_eq!(
        fs.anchored_canonicalize("/../../../target.txt", "/a")
            .unwrap(),
        Path::new("/a/target.txt")
    );
}

#[test]
fn caching_over_memory_follows_replacements() {
    let fs = FileStorage::with_resolver(
        MemoryBackend::new(),
        CachingResolver::new(IterativeResolver::new(), 128),
    );
    fs.create_dir_all("/x").unwrap();
    fs.create_dir_all("/y").unwrap();
    fs.write("/x/f", "x").unwrap();
    fs.write("/y/f", "y").unwrap();
    fs.symlink("/x", "/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    fs.remove_file("/l").unwrap();
    fs.symlink("/y", "/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"y");
    fs.symlink("/x", "/l2").unwrap();
    fs.rename("/l2", "/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
}

#[test]
fn every_layer_is_reachable_through_storage() {
    let fs = storage();
    fs.set_permissions("/foo", Permissions::from_mode(0o700))
        .unwrap();
    assert_eq!(fs.metadata("/a/b").unwrap().permissions.mode(), 0o700);
    fs.sync().unwrap();
    fs.fsync("/a/target.txt").unwrap();
    assert!(fs.statfs().unwrap().total_bytes > 0);

    let ino = fs.path_to_inode("/foo/../target.txt").unwrap();
    assert_eq!(fs.metadata_by_inode(ino).unwrap().file_type, FileType::File);
    assert_eq!(fs.inode_to_path(ino).unwrap(), Path::new("/a/target.txt"));
    let a = fs.path_to_inode("/a").unwrap();
    assert_eq!(fs.lookup(a, "target.txt").unwrap(), ino);
    // path_to_inode does not follow a final symlink.
    assert_ne!(
        fs.path_to_inode("/foo").unwrap(),
        fs.path_to_inode("/a/b").unwrap()
    );

    let h = fs
        .open("/foo/../new", OpenFlags::WRITE | OpenFlags::CREATE)
        .unwrap();
    assert_eq!(fs.write_at(h, b"abc", 0).unwrap(), 3);
    assert!(fs.try_lock(h, LockType::Exclusive).unwrap());
    fs.unlock(h).unwrap();
    fs.lock(h, LockType::Shared).unwrap();
    fs.close(h).unwrap();
    let h = fs.open("/a/new", OpenFlags::READ).unwrap();
    let mut buf = [0u8; 3];
    assert_eq!(fs.read_at(h, &mut buf, 0).unwrap(), 3);
    assert_eq!(&buf, b"abc");
    fs.close(h).unwrap();

    fs.set_xattr("/foo", "user.k", "v").unwrap();
    assert_eq!(fs.get_xattr("/a/b", "user.k").unwrap(), b"v");
    assert_eq!(fs.list_xattr("/foo").unwrap(), ["user.k"]);
    fs.remove_xattr("/foo", "user.k").unwrap();
    assert!(fs.list_xattr("/a/b").unwrap().is_empty());
}

#[test]
fn storage_is_an_fs_posix_object() {
    let fs: Arc<dyn FsPosix> = Arc::new(storage());
    assert_eq!(
        fs.read(Path::new("/foo/../target.txt")).unwrap(),
        b"through the link"
    );
    let boxed = storage().boxed_posix();
    let ino = boxed.path_to_inode("/a/target.txt").unwrap();
    assert_eq!(boxed.metadata_by_inode(ino).unwrap().size, 16);
}
