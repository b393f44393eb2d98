//! Handles are per backend instance: unlink-while-open through orphans, orphans freed when the
//! backend is dropped or by the next open after their process is gone, and what another
//! instance on the same file sees.

use anyfs_backend::{FsHandles, FsRead, FsWrite, OpenFlags};

use super::{code, p, rows, SqliteBackend};

#[test]
fn an_orphan_left_by_a_dropped_backend_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let fs = SqliteBackend::open(&path).unwrap();
        fs.write(p("/f"), b"data").unwrap();
        let _h = fs.open(p("/f"), OpenFlags::READ).unwrap();
        fs.remove_file(p("/f")).unwrap();
        assert_eq!(rows(&fs, "orphans"), 1);
        // Dropped with the handle still open.
    }
    let fs = SqliteBackend::open(&path).unwrap();
    assert_eq!(rows(&fs, "orphans"), 0);
    assert_eq!(rows(&fs, "inodes"), 1);
    assert_eq!(rows(&fs, "chunks"), 0);
    fs.check_integrity().unwrap();
}

#[test]
fn orphans_of_a_process_that_is_gone_are_collected_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let fs = SqliteBackend::open(&path).unwrap();
        fs.write(p("/f"), b"data").unwrap();
        let ino = fs.metadata(p("/f")).unwrap().inode;
        // What a process that exited with the file open would have left: no name, an orphan
        // row naming a pid that no longer runs.
        let w = fs.inner.conns.writer();
        w.execute_batch(&format!(
            "DELETE FROM entries WHERE child = {ino};
             UPDATE inodes SET nlink = 0 WHERE ino = {ino};
             INSERT INTO orphans (ino, pid, token) VALUES ({ino}, {}, 1);",
            i64::from(i32::MAX) - 7
        ))
        .unwrap();
    }
    let fs = SqliteBackend::open(&path).unwrap();
    assert_eq!((rows(&fs, "orphans"), rows(&fs, "inodes")), (0, 1));
    fs.check_integrity().unwrap();
}

#[test]
fn another_instance_does_not_see_this_ones_handles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let a = SqliteBackend::open(&path).unwrap();
    let b = SqliteBackend::open(&path).unwrap();
    a.write(p("/f"), b"data").unwrap();
    let h = a.open(p("/f"), OpenFlags::READ).unwrap();
    // `b` does not know about `a`'s handle, so its unlink frees the file...
    b.remove_file(p("/f")).unwrap();
    let mut buf = [0u8; 4];
    // ...and `a`'s handle then names nothing.
    assert_eq!(code(a.read_at(h, &mut buf, 0)), "ENOENT");
    a.close(h).unwrap();
    // Handles of one instance are invalid in another.
    let h = a.open(p("/"), OpenFlags::READ);
    assert_eq!(code(h), "EISDIR");
    a.write(p("/g"), b"g").unwrap();
    let h = a.open(p("/g"), OpenFlags::READ).unwrap();
    assert_eq!(code(b.read_at(h, &mut buf, 0)), "EBADF");
    a.close(h).unwrap();
}

#[test]
fn clones_share_handles() {
    let fs = SqliteBackend::in_memory().unwrap();
    fs.write(p("/f"), b"data").unwrap();
    let twin = fs.clone();
    let h = fs.open(p("/f"), OpenFlags::READ).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(twin.read_at(h, &mut buf, 0).unwrap(), 4);
    twin.close(h).unwrap();
    assert_eq!(code(fs.close(h)), "EBADF");
    assert!(format!("{fs:?}").contains("open_handles: 0"));
}
