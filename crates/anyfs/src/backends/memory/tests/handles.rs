//! Open handles, positional I/O and unlink-while-open.

use std::io::Read;

use anyfs_backend::{
    FsDir, FsHandles, FsInode, FsLink, FsRead, FsStats, FsWrite, Handle, OpenFlags,
};

use super::{code, p, sample, MemoryBackend};

fn read_all(fs: &MemoryBackend, h: Handle) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 3];
    loop {
        let n = fs.read_at(h, &mut buf, out.len() as u64).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn open_flags_create_exclusive_truncate() {
    let fs = sample();
    assert_eq!(code(fs.open(p("/new"), OpenFlags::READ)), "ENOENT");
    let h = fs
        .open(p("/new"), OpenFlags::WRITE | OpenFlags::CREATE)
        .unwrap();
    fs.close(h).unwrap();
    assert!(fs.metadata(p("/new")).unwrap().is_file());
    assert_eq!(fs.metadata(p("/new")).unwrap().permissions.mode(), 0o644);
    let excl = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::EXCLUSIVE;
    assert_eq!(code(fs.open(p("/new"), excl)), "EEXIST");
    // O_EXCL fails on a dangling symlink instead of creating its target.
    fs.symlink(p("/nowhere"), p("/dang")).unwrap();
    assert_eq!(code(fs.open(p("/dang"), excl)), "EEXIST");
    assert!(!fs.exists(p("/nowhere")).unwrap());
    let h = fs
        .open(p("/d/f"), OpenFlags::WRITE | OpenFlags::TRUNCATE)
        .unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"");
    fs.close(h).unwrap();
    assert_eq!(code(fs.open(p("/d"), OpenFlags::READ)), "EISDIR");
    assert_eq!(
        code(fs.open(p("/newdir/"), OpenFlags::WRITE | OpenFlags::CREATE)),
        "EISDIR"
    );
    assert_eq!(code(fs.open(p("/new/"), OpenFlags::READ)), "ENOTDIR");
}

#[test]
fn read_at_and_write_at() {
    let fs = sample();
    let h = fs.open(p("/l"), OpenFlags::READ_WRITE).unwrap();
    assert_eq!(read_all(&fs, h), b"data");
    assert_eq!(fs.write_at(h, b"XY", 1).unwrap(), 2);
    assert_eq!(read_all(&fs, h), b"dXYa");
    // Past the end: zero-filled gap.
    fs.write_at(h, b"!", 6).unwrap();
    assert_eq!(read_all(&fs, h), b"dXYa\0\0!");
    let mut buf = [9u8; 4];
    assert_eq!(fs.read_at(h, &mut buf, 100).unwrap(), 0);
    assert_eq!(fs.read_at(h, &mut buf, u64::MAX).unwrap(), 0);
    assert_eq!(code(fs.write_at(h, b"x", u64::MAX)), "EFBIG");
    fs.close(h).unwrap();
}

#[test]
fn append_handles_write_at_the_end() {
    let fs = sample();
    let h = fs
        .open(p("/d/f"), OpenFlags::WRITE | OpenFlags::APPEND)
        .unwrap();
    fs.write_at(h, b"1", 0).unwrap();
    fs.write_at(h, b"2", 0).unwrap();
    fs.close(h).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data12");
}

#[test]
fn handle_access_and_validity() {
    let fs = sample();
    let r = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    assert_eq!(code(fs.write_at(r, b"x", 0)), "EBADF");
    assert!(matches!(
        fs.write_at(r, b"x", 0),
        Err(anyfs_backend::FsError::HandleAccess { .. })
    ));
    let w = fs.open(p("/d/f"), OpenFlags::WRITE).unwrap();
    let mut buf = [0u8; 1];
    assert!(matches!(
        fs.read_at(w, &mut buf, 0),
        Err(anyfs_backend::FsError::HandleAccess { .. })
    ));
    // No access flag at all is O_RDONLY.
    let none = fs.open(p("/d/f"), OpenFlags::empty()).unwrap();
    assert_eq!(fs.read_at(none, &mut buf, 0).unwrap(), 1);
    fs.close(r).unwrap();
    fs.close(w).unwrap();
    fs.close(none).unwrap();
    assert_eq!(code(fs.close(r)), "EBADF");
    assert_eq!(code(fs.read_at(r, &mut buf, 0)), "EBADF");
    assert_eq!(code(fs.write_at(Handle(999_999), b"x", 0)), "EBADF");
}

#[test]
fn handle_numbers_are_not_reused() {
    let fs = sample();
    let a = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    fs.close(a).unwrap();
    let b = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    assert_ne!(a, b);
    assert_eq!(code(fs.close(a)), "EBADF");
    fs.close(b).unwrap();
}

#[test]
fn unlinked_file_lives_while_open() {
    let fs = sample();
    let ino = fs.metadata(p("/d/f")).unwrap().inode;
    let h = fs.open(p("/d/f"), OpenFlags::READ_WRITE).unwrap();
    fs.remove_file(p("/d/f")).unwrap();
    assert_eq!(code(fs.metadata(p("/d/f"))), "ENOENT");
    // Still readable and writable through the handle, with nlink 0.
    assert_eq!(read_all(&fs, h), b"data");
    fs.write_at(h, b"more", 4).unwrap();
    assert_eq!(read_all(&fs, h), b"datamore");
    let m = fs.metadata_by_inode(ino).unwrap();
    assert_eq!(m.nlink, 0);
    assert_eq!(m.size, 8);
    assert_eq!(code(fs.inode_to_path(ino)), "ENOENT");
    // Its bytes still count until the last close.
    assert_eq!(fs.statfs().unwrap().used_bytes, 8);
    fs.close(h).unwrap();
    assert_eq!(code(fs.metadata_by_inode(ino)), "ENOENT");
    assert_eq!(fs.statfs().unwrap().used_bytes, 0);
}

#[test]
fn unlinked_file_lives_while_a_stream_reads_it() {
    let fs = sample();
    let mut r = fs.open_read(p("/d/f")).unwrap();
    fs.remove_dir_all(p("/d")).unwrap();
    let mut s = String::new();
    r.read_to_string(&mut s).unwrap();
    assert_eq!(s, "data");
    drop(r);
    assert_eq!(fs.statfs().unwrap().used_bytes, 0);
}

#[test]
fn a_new_file_at_the_same_name_is_a_different_inode() {
    let fs = sample();
    let old = fs.metadata(p("/d/f")).unwrap().inode;
    let h = fs.open(p("/d/f"), OpenFlags::READ).unwrap();
    fs.remove_file(p("/d/f")).unwrap();
    fs.write(p("/d/f"), b"fresh").unwrap();
    let new = fs.metadata(p("/d/f")).unwrap().inode;
    assert_ne!(old, new);
    assert_eq!(read_all(&fs, h), b"data");
    fs.close(h).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"fresh");
}

#[test]
fn inode_numbers_are_never_reused() {
    let fs = MemoryBackend::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        fs.write(p("/f"), b"").unwrap();
        assert!(seen.insert(fs.metadata(p("/f")).unwrap().inode));
        fs.remove_file(p("/f")).unwrap();
        fs.create_dir(p("/f")).unwrap();
        assert!(seen.insert(fs.metadata(p("/f")).unwrap().inode));
        fs.remove_dir(p("/f")).unwrap();
    }
}
