//! Middleware seen by real programs through a mount: a quota is `ENOSPC` to `cp`, a path
//! filter hides what it denies from `ls`, read-only mounts and layers answer `EROFS`.

#![cfg(all(target_os = "linux", feature = "fuse"))]
// Helpers outside #[test] functions unwrap too: a failure is the point there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod mount_support;

use std::path::Path;

use anyfs::{BackendStack, FsDir, FsRead, FsWrite, MemoryBackend, MountBuilder, MountHandle};
use mount_support::TestMount;

#[test]
fn a_quota_is_enospc_to_cp() {
    require_fuse!();
    let inner = MemoryBackend::new();
    let stack = BackendStack::new(inner.clone())
        .limited(|q| q.max_total_size(1024 * 1024))
        .into_inner();
    let m = TestMount::new(MountHandle::builder(stack)).unwrap();
    let host = tempfile::tempdir().unwrap();
    std::fs::write(host.path().join("small"), vec![1u8; 100_000]).unwrap();
    std::fs::write(host.path().join("big"), vec![2u8; 3 * 1024 * 1024]).unwrap();
    m.ok(&format!("cp {}/small .", host.path().display()));
    let err = m.fails(&format!("cp {}/big .", host.path().display()));
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(inner.read(Path::new("/small")).unwrap().len(), 100_000);
    // The quota still holds after the failed copy.
    assert!(m
        .fails("head -c 2000000 /dev/zero > more")
        .contains("No space left"));
}

#[test]
fn a_path_filter_hides_denied_files() {
    require_fuse!();
    let inner = MemoryBackend::new();
    inner.create_dir_all(Path::new("/ws/src")).unwrap();
    inner
        .write(Path::new("/ws/src/main.rs"), b"fn main() {}")
        .unwrap();
    inner.write(Path::new("/ws/.env"), b"TOKEN=secret").unwrap();
    inner.write(Path::new("/ws/notes.txt"), b"notes").unwrap();
    let stack = BackendStack::new(inner.clone())
        .filtered(|f| f.allow("/ws/**").deny("**/.env"))
        .into_inner();
    let m = TestMount::new(MountHandle::builder(stack)).unwrap();
    let ls = m.ok("ls -a ws");
    assert_eq!(ls, ".\n..\nnotes.txt\nsrc\n");
    assert!(m.fails("cat ws/.env").contains("Permission denied"));
    assert!(m.fails("echo x > ws/.env").contains("Permission denied"));
    assert_eq!(m.ok("cat ws/src/main.rs"), "fn main() {}");
    // Outside the allowed tree: the root may be walked through, not listed.
    assert!(m.fails("ls .").contains("Permission denied"));
    assert_eq!(inner.read(Path::new("/ws/.env")).unwrap(), b"TOKEN=secret");
}

#[test]
fn read_only_mount_refuses_writes() {
    require_fuse!();
    let backend = MemoryBackend::new();
    backend.write(Path::new("/file"), b"keep").unwrap();
    let m = TestMount::new(MountHandle::builder(backend.clone()).read_only(true)).unwrap();
    assert!(m.fails("echo x > file").contains("Read-only file system"));
    assert!(m.fails("echo x > new").contains("Read-only file system"));
    assert!(m.fails("mkdir d").contains("Read-only file system"));
    assert!(m.fails("rm file").contains("Read-only file system"));
    assert_eq!(m.ok("cat file"), "keep");
    assert_eq!(backend.read(Path::new("/file")).unwrap(), b"keep");
}

#[test]
fn a_read_only_layer_is_erofs_too() {
    require_fuse!();
    let inner = MemoryBackend::new();
    inner.write(Path::new("/file"), b"keep").unwrap();
    let stack = BackendStack::new(inner.clone()).read_only().into_inner();
    let m = TestMount::new(MountHandle::builder(stack)).unwrap();
    assert!(m.fails("echo x > file").contains("Read-only file system"));
    assert!(m.fails("touch new").contains("Read-only file system"));
    assert_eq!(m.ok("cat file"), "keep");
    assert!(inner.read_dir(Path::new("/")).unwrap().len() == 1);
}

#[test]
fn an_fs_fuse_stack_without_handles_mounts_too() {
    require_fuse!();
    let backend = MemoryBackend::new();
    let m = TestMount::new(MountBuilder::fuse(backend.clone())).unwrap();
    m.ok("mkdir d && printf abc > d/f && printf def >> d/f && cat d/f > d/g");
    assert_eq!(backend.read(Path::new("/d/g")).unwrap(), b"abcdef");
    m.ok("dd if=/dev/zero of=d/big bs=64k count=16 status=none");
    assert_eq!(m.ok("stat -c %s d/big"), "1048576\n");
}
