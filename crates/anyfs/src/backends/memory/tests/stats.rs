//! statfs, capacity, permissions and ownership, sync, snapshots.

use anyfs_backend::{
    FsDir, FsHandles, FsLink, FsPermissions, FsRead, FsStats, FsSync, FsWrite, OpenFlags,
    Permissions,
};

use super::{code, p, sample, MemoryBackend};

#[test]
fn statfs_counts_bytes_and_inodes() {
    let fs = sample();
    let s = fs.statfs().unwrap();
    assert_eq!(s.block_size, 4096);
    assert_eq!(s.used_bytes, 4);
    assert_eq!(s.total_bytes, 1 << 40);
    assert_eq!(s.available_bytes, s.total_bytes - 4);
    // root, d, f, l
    assert_eq!(s.used_inodes, 4);
    assert_eq!(s.available_inodes, s.total_inodes - 4);
    assert_eq!(s.max_name_length, 255);
    fs.append(p("/d/f"), b"12").unwrap();
    fs.truncate(p("/d/f"), 10).unwrap();
    assert_eq!(fs.statfs().unwrap().used_bytes, 10);
    fs.remove_file(p("/d/f")).unwrap();
    assert_eq!(fs.statfs().unwrap().used_bytes, 0);
}

#[test]
fn capacity_limits_growth_with_enospc() {
    let fs = MemoryBackend::with_capacity(10);
    assert_eq!(fs.statfs().unwrap().total_bytes, 10);
    fs.write(p("/a"), b"12345678").unwrap();
    assert_eq!(code(fs.write(p("/b"), b"abc")), "ENOSPC");
    // A failed write leaves no empty file behind.
    assert!(!fs.exists(p("/b")).unwrap());
    assert_eq!(code(fs.append(p("/a"), b"abc")), "ENOSPC");
    assert_eq!(code(fs.truncate(p("/a"), 11)), "ENOSPC");
    let h = fs.open(p("/a"), OpenFlags::WRITE).unwrap();
    assert_eq!(code(fs.write_at(h, b"xyz", 8)), "ENOSPC");
    fs.write_at(h, b"xy", 8).unwrap();
    fs.close(h).unwrap();
    assert_eq!(fs.statfs().unwrap().available_bytes, 0);
    // Replacing within the limit and shrinking always work.
    fs.write(p("/a"), b"0123456789").unwrap();
    fs.truncate(p("/a"), 1).unwrap();
    fs.write(p("/b"), b"123456789").unwrap();
    assert_eq!(code(fs.copy(p("/b"), p("/c"))), "ENOSPC");
    assert!(matches!(
        fs.write(p("/c"), b"xx"),
        Err(anyfs_backend::FsError::QuotaExceeded {
            limit: 10,
            requested: 2,
            usage: 10
        })
    ));
}

#[test]
fn permissions_and_owner_are_stored() {
    let fs = sample().with_owner(1000, 100);
    assert_eq!(fs.metadata(p("/")).unwrap().uid, 1000);
    fs.write(p("/new"), b"").unwrap();
    let m = fs.metadata(p("/new")).unwrap();
    assert_eq!((m.uid, m.gid), (1000, 100));
    assert_eq!(m.permissions.mode(), 0o644);
    assert_eq!(fs.metadata(p("/d")).unwrap().permissions.mode(), 0o755);
    fs.set_permissions(p("/l"), Permissions::from_mode(0o4711))
        .unwrap();
    assert_eq!(fs.metadata(p("/d/f")).unwrap().permissions.mode(), 0o4711);
    assert_eq!(fs.metadata(p("/d/f")).unwrap().mode(), 0o104_711);
    // The symlink itself keeps 0o777.
    assert_eq!(
        fs.symlink_metadata(p("/l")).unwrap().permissions.mode(),
        0o777
    );
    fs.set_owner(p("/d/f"), None, Some(5)).unwrap();
    let m = fs.metadata(p("/d/f")).unwrap();
    assert_eq!((m.uid, m.gid), (0, 5));
    assert_eq!(
        code(fs.set_permissions(p("/missing"), Permissions::readonly())),
        "ENOENT"
    );
    assert_eq!(code(fs.set_owner(p("/missing"), Some(1), None)), "ENOENT");
}

#[test]
fn sync_is_a_no_op_and_fsync_checks_the_path() {
    let fs = sample();
    fs.sync().unwrap();
    fs.fsync(p("/d/f")).unwrap();
    assert_eq!(code(fs.fsync(p("/missing"))), "ENOENT");
}

#[test]
fn clones_share_snapshots_copy() {
    let fs = sample();
    let clone = fs.clone();
    clone.write(p("/from_clone"), b"c").unwrap();
    assert!(fs.exists(p("/from_clone")).unwrap());
    let h = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    fs.remove_file(p("/d/f")).unwrap();
    let snap = fs.snapshot();
    snap.write(p("/only_in_snapshot"), b"s").unwrap();
    assert!(!fs.exists(p("/only_in_snapshot")).unwrap());
    assert_eq!(snap.read(p("/from_clone")).unwrap(), b"c");
    // The unlinked-but-open file is not carried over, and handles are not either.
    assert_eq!(snap.statfs().unwrap().used_bytes, 2);
    assert_eq!(code(snap.close(h)), "EBADF");
    fs.close(h).unwrap();
    // Inode numbers are preserved, and new ones continue past the old maximum.
    assert_eq!(
        snap.metadata(p("/d")).unwrap().inode,
        fs.metadata(p("/d")).unwrap().inode
    );
    assert!(format!("{fs:?}").contains("MemoryBackend"));
}

#[test]
fn debug_is_a_summary() {
    let fs = sample();
    fs.create_dir_all(p("/x/y")).unwrap();
    let s = format!("{fs:?}");
    assert!(s.contains("nodes: 6"), "{s}");
}
