//! The adapter's request bodies against a `MemoryBackend`, without a kernel: what each
//! request answers, including the errno of every refusal.

use std::ffi::OsStr;
use std::path::Path;

use anyfs_backend::{FsDir, FsHandles, FsRead, FsWrite, FsXattr, ROOT_INODE};
use fuser::{AccessFlags, Errno, RenameFlags, TimeOrNow};

use super::attrs::Changes;
use super::xattr::XattrReply;
use super::{Adapter, Settings};
use crate::mount::{MountOptions, MountStack};
use crate::MemoryBackend;

fn adapter_with(options: MountOptions, fuse_only: bool) -> (Adapter, MemoryBackend) {
    let backend = MemoryBackend::new();
    let stack = if fuse_only {
        MountStack::fuse(backend.clone())
    } else {
        MountStack::posix(backend.clone())
    };
    let settings = Settings::new(&options, &stack);
    (Adapter::new(stack, settings), backend)
}

fn adapter() -> (Adapter, MemoryBackend) {
    adapter_with(MountOptions::default(), false)
}

fn name(s: &str) -> &OsStr {
    OsStr::new(s)
}

#[test]
fn lookup_answers_attributes_and_enoent() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"hello").unwrap();
    let attr = a.entry(ROOT_INODE, name("f")).unwrap();
    assert_eq!(attr.size, 5);
    assert_eq!(attr.kind, fuser::FileType::RegularFile);
    assert_eq!(a.entry(ROOT_INODE, name("missing")), Err(Errno::ENOENT));
    assert_eq!(
        a.do_getattr(ROOT_INODE).unwrap().kind,
        fuser::FileType::Directory
    );
    assert_eq!(a.do_getattr(987_654).unwrap_err(), Errno::ENOENT);
}

#[test]
fn create_write_read_through_per_inode_handles() {
    let (a, b) = adapter();
    let (attr, fh) = a
        .do_create(ROOT_INODE, name("f"), 0o100_600, 0o022, 0o1)
        .unwrap();
    assert_eq!(fh, 0, "per-inode mode gives the kernel no handle");
    assert_eq!(attr.perm, 0o600);
    let ino = attr.ino.0;
    assert_eq!(a.do_write(ino, 0, 0, b"hello world").unwrap(), 11);
    assert_eq!(a.do_write(ino, 0, 6, b"WORLD").unwrap(), 5);
    assert_eq!(a.do_read(ino, 0, 0, 100).unwrap(), b"hello WORLD");
    assert_eq!(a.do_read(ino, 0, 6, 2).unwrap(), b"WO");
    assert_eq!(b.read(Path::new("/f")).unwrap(), b"hello WORLD");
    // Exclusive create of an existing name.
    let excl = 0o1 | 0o200;
    assert_eq!(
        a.do_create(ROOT_INODE, name("f"), 0o644, 0, excl)
            .unwrap_err(),
        Errno::EEXIST
    );
    // Unlinked while the kernel still holds it: the inode's handle keeps the data.
    a.do_unlink(ROOT_INODE, name("f")).unwrap();
    assert_eq!(a.do_read(ino, 0, 0, 5).unwrap(), b"hello");
    // The kernel forgets it: the handle is closed and the data freed.
    for h in a.inodes.forget(ino, 1) {
        b.close(h).unwrap();
    }
    assert_eq!(a.do_read(ino, 0, 0, 5).unwrap_err(), Errno::ENOENT);
}

#[test]
fn open_is_skipped_unless_handles_are_per_open() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"x").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    assert_eq!(a.do_open(ino, 0), Err(Errno::ENOSYS));
    // A kernel that cannot skip OPEN gets an empty answer instead (I/O then uses the inode).
    let (mut old_kernel, b2) = adapter();
    old_kernel.settings.skip_open = false;
    b2.write(Path::new("/f"), b"x").unwrap();
    let ino2 = old_kernel.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    assert_eq!(old_kernel.do_open(ino2, 0), Ok(0));
    assert_eq!(old_kernel.do_read(ino2, 0, 0, 9).unwrap(), b"x");

    let opts = MountOptions {
        forward_locks: true,
        ..MountOptions::default()
    };
    let (a, b) = adapter_with(opts, false);
    b.write(Path::new("/f"), b"abc").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    let fh = a.do_open(ino, 0o2 | 0o1000).unwrap();
    assert_ne!(fh, 0);
    assert_eq!(b.read(Path::new("/f")).unwrap(), b"", "O_TRUNC truncated");
    a.do_write(ino, fh, 0, b"new").unwrap();
    assert_eq!(a.do_read(ino, fh, 0, 10).unwrap(), b"new");
    a.do_release(fh).unwrap();
    assert_eq!(a.do_release(fh), Err(Errno::EBADF), "closing twice");
}

#[test]
fn namespace_operations_and_their_errors() {
    let (a, b) = adapter();
    let d = a.do_mkdir(ROOT_INODE, name("d"), 0o40_777, 0o022).unwrap();
    assert_eq!(d.perm, 0o755);
    assert_eq!(
        a.do_mkdir(ROOT_INODE, name("d"), 0o755, 0).unwrap_err(),
        Errno::EEXIST
    );
    let d = d.ino.0;
    a.do_mknod(d, name("f"), 0o100_644, 0).unwrap();
    assert_eq!(
        a.do_mknod(d, name("p"), 0o010_644, 0).unwrap_err(),
        Errno::EPERM
    );
    assert_eq!(
        a.do_rmdir(ROOT_INODE, name("d")).unwrap_err(),
        Errno::ENOTEMPTY
    );
    assert_eq!(
        a.do_unlink(ROOT_INODE, name("d")).unwrap_err(),
        Errno::EISDIR
    );
    let l = a
        .do_symlink(ROOT_INODE, name("l"), Path::new("d/f"))
        .unwrap();
    assert_eq!(l.kind, fuser::FileType::Symlink);
    assert_eq!(a.do_readlink(l.ino.0).unwrap(), b"d/f");
    let f = a.entry(d, name("f")).unwrap().ino.0;
    let hl = a.do_link(f, ROOT_INODE, name("hard")).unwrap();
    assert_eq!((hl.ino.0, hl.nlink), (f, 2));
    // rename, NOREPLACE, EXCHANGE
    a.do_rename(ROOT_INODE, name("hard"), d, name("g"), RenameFlags::empty())
        .unwrap();
    assert!(b.exists(Path::new("/d/g")).unwrap());
    assert_eq!(
        a.do_rename(d, name("g"), d, name("f"), RenameFlags::RENAME_NOREPLACE)
            .unwrap_err(),
        Errno::EEXIST
    );
    assert_eq!(
        a.do_rename(d, name("g"), d, name("f"), RenameFlags::RENAME_EXCHANGE)
            .unwrap_err(),
        Errno::EINVAL
    );
    a.do_rename(d, name("g"), d, name("h"), RenameFlags::RENAME_NOREPLACE)
        .unwrap();
    // Names that are never paths.
    assert_eq!(a.do_unlink(d, name("a/b")).unwrap_err(), Errno::EINVAL);
    assert_eq!(a.do_unlink(d, name("..")).unwrap_err(), Errno::EINVAL);
    assert_eq!(a.do_unlink(d, name("")).unwrap_err(), Errno::EINVAL);
    assert_eq!(a.do_unlink(d, name("nope")).unwrap_err(), Errno::ENOENT);
}

#[test]
fn setattr_changes_mode_size_owner_and_times() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"0123456789").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    let attr = a
        .do_setattr(
            ino,
            Changes {
                mode: Some(0o100_600),
                uid: Some(7),
                gid: Some(8),
                size: Some(4),
                mtime: Some(TimeOrNow::SpecificTime(when)),
                atime: Some(TimeOrNow::Now),
            },
        )
        .unwrap();
    assert_eq!((attr.perm, attr.uid, attr.gid, attr.size), (0o600, 7, 8, 4));
    assert_eq!(attr.mtime, when);
    let dir = a.do_mkdir(ROOT_INODE, name("d"), 0o755, 0).unwrap().ino.0;
    let truncate_dir = Changes {
        size: Some(0),
        ..Changes::default()
    };
    assert_eq!(a.do_setattr(dir, truncate_dir).unwrap_err(), Errno::EISDIR);
    // A symlink's owner and times stay; its target's too.
    let l = a
        .do_symlink(ROOT_INODE, name("l"), Path::new("/f"))
        .unwrap()
        .ino
        .0;
    let chown = Changes {
        uid: Some(99),
        mtime: Some(TimeOrNow::Now),
        ..Changes::default()
    };
    a.do_setattr(l, chown).unwrap();
    assert_eq!(a.do_getattr(ino).unwrap().uid, 7);
}

#[test]
fn read_only_mounts_refuse_every_change() {
    let opts = MountOptions {
        read_only: true,
        ..MountOptions::default()
    };
    let (a, b) = adapter_with(opts, false);
    b.write(Path::new("/f"), b"data").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    let rofs = Err(Errno::EROFS);
    assert_eq!(a.do_write(ino, 0, 0, b"x"), rofs.map(|_: ()| 0));
    assert_eq!(
        a.do_create(ROOT_INODE, name("n"), 0o644, 0, 1).map(|_| ()),
        rofs
    );
    assert_eq!(
        a.do_mkdir(ROOT_INODE, name("n"), 0o755, 0).map(|_| ()),
        rofs
    );
    assert_eq!(a.do_unlink(ROOT_INODE, name("f")), rofs);
    let chmod = Changes {
        mode: Some(0o600),
        ..Changes::default()
    };
    assert_eq!(a.do_setattr(ino, chmod).map(|_| ()), rofs);
    assert_eq!(a.do_setxattr(ino, name("user.a"), b"1", 0), rofs);
    assert_eq!(a.do_access(ino, AccessFlags::W_OK, 0, 0), rofs);
    assert_eq!(
        a.do_read(ino, 0, 0, 10).unwrap(),
        b"data",
        "reads still work"
    );
}

#[test]
fn access_checks_mode_bits_for_the_caller() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    a.do_setattr(
        ino,
        Changes {
            mode: Some(0o640),
            uid: Some(10),
            gid: Some(20),
            ..Changes::default()
        },
    )
    .unwrap();
    let (r, w, x) = (AccessFlags::R_OK, AccessFlags::W_OK, AccessFlags::X_OK);
    assert_eq!(a.do_access(ino, r | w, 10, 99), Ok(()));
    assert_eq!(a.do_access(ino, r, 11, 20), Ok(()));
    assert_eq!(a.do_access(ino, w, 11, 20), Err(Errno::EACCES));
    assert_eq!(a.do_access(ino, r, 11, 21), Err(Errno::EACCES));
    assert_eq!(
        a.do_access(ino, r | w, 0, 0),
        Ok(()),
        "root reads and writes"
    );
    assert_eq!(
        a.do_access(ino, x, 0, 0),
        Err(Errno::EACCES),
        "no x bit at all"
    );
    assert_eq!(a.do_access(ino, AccessFlags::F_OK, 11, 21), Ok(()));
    assert_eq!(
        a.do_access(424_242, AccessFlags::F_OK, 0, 0),
        Err(Errno::ENOENT)
    );
}

#[test]
fn xattrs_follow_the_size_protocol() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    a.do_setxattr(ino, name("user.k"), b"value", 0).unwrap();
    assert_eq!(
        a.do_getxattr(ino, name("user.k"), 0),
        Ok(XattrReply::Size(5))
    );
    assert_eq!(
        a.do_getxattr(ino, name("user.k"), 64),
        Ok(XattrReply::Data(b"value".to_vec()))
    );
    assert_eq!(a.do_getxattr(ino, name("user.k"), 2), Err(Errno::ERANGE));
    assert_eq!(a.do_getxattr(ino, name("user.no"), 64), Err(Errno::ENODATA));
    assert_eq!(
        a.do_setxattr(ino, name("user.k"), b"x", 1),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        a.do_setxattr(ino, name("user.z"), b"x", 2),
        Err(Errno::ENODATA)
    );
    assert_eq!(
        a.do_listxattr(ino, 64),
        Ok(XattrReply::Data(b"user.k\0".to_vec()))
    );
    a.do_removexattr(ino, name("user.k")).unwrap();
    assert_eq!(b.list_xattr(Path::new("/f")).unwrap(), Vec::<String>::new());

    let (a, b) = adapter_with(MountOptions::default(), true);
    b.write(Path::new("/f"), b"").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    assert_eq!(a.do_getxattr(ino, name("user.k"), 0), Err(Errno::ENOSYS));
}

#[test]
fn path_based_io_for_fuse_only_stacks() {
    let (a, b) = adapter_with(MountOptions::default(), true);
    let (attr, fh) = a.do_create(ROOT_INODE, name("f"), 0o644, 0, 1).unwrap();
    assert_eq!(fh, 0);
    let ino = attr.ino.0;
    a.do_write(ino, 0, 0, b"abc").unwrap();
    a.do_write(ino, 0, 3, b"def").unwrap();
    a.do_write(ino, 0, 1, b"X").unwrap();
    a.do_write(ino, 0, 8, b"Z").unwrap();
    assert_eq!(b.read(Path::new("/f")).unwrap(), b"aXcdef\0\0Z");
    assert_eq!(a.do_read(ino, 0, 1, 3).unwrap(), b"Xcd");
}

#[test]
fn dirs_page_through_one_snapshot() {
    let (a, b) = adapter();
    b.create_dir(Path::new("/d")).unwrap();
    for i in 0..5 {
        b.write(Path::new(&format!("/d/{i}")), b"").unwrap();
    }
    let d = a.entry(ROOT_INODE, name("d")).unwrap().ino.0;
    let fh = a.do_opendir(d).unwrap();
    b.write(Path::new("/d/late"), b"").unwrap();
    let listing = a.dirs.get(fh).unwrap();
    let names: Vec<_> = listing.rows(0).map(|r| r.name.to_owned()).collect();
    assert_eq!(names, [".", "..", "0", "1", "2", "3", "4"]);
    a.dirs.remove(fh);
    assert_eq!(a.do_opendir(424_242).unwrap_err(), Errno::ENOENT);
    let f = a.entry(d, name("0")).unwrap().ino.0;
    assert_eq!(a.do_opendir(f).unwrap_err(), Errno::ENOTDIR);
}

#[test]
fn statfs_and_fsync() {
    let (a, b) = adapter();
    let (blocks, ..) = a.do_statfs().unwrap();
    assert!(blocks > 0);
    b.write(Path::new("/f"), b"").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    a.do_fsync(ino).unwrap();
    assert_eq!(a.do_fsync(424_242), Err(Errno::ENOENT));
}

#[test]
fn unmount_closes_every_handle() {
    let (a, b) = adapter();
    b.write(Path::new("/f"), b"abc").unwrap();
    let ino = a.entry(ROOT_INODE, name("f")).unwrap().ino.0;
    a.do_read(ino, 0, 0, 1).unwrap();
    b.remove_file(Path::new("/f")).unwrap();
    a.close_all();
    // The handle kept the unlinked file; after close_all nothing does.
    assert!(a.inodes.drain().is_empty());
    assert!(b.read_dir(Path::new("/")).unwrap().is_empty());
}
