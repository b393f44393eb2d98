//! In-process changes through a `MountHandle::watch`ed stack reach programs at once, even with
//! 60-second entry and attribute TTLs and the page cache kept across opens.

#![cfg(all(target_os = "linux", feature = "fuse"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod mount_support;

use std::path::Path;
use std::time::Duration;

use anyfs::{FileStorage, FsHandles, FsWrite, MemoryBackend, MountHandle, OpenFlags};
use mount_support::TestMount;

/// Reads `f` twice: on this kernel the first open after a lookup does not keep its pages, the
/// next ones do, so the second read is the one a stale cache would answer.
const CAT_F: &str = "cat f >/dev/null && cat f";

fn long_ttl_mount() -> (TestMount, MemoryBackend) {
    let backend = MemoryBackend::new();
    let m = TestMount::new(MountHandle::builder(backend.clone()).ttl(Duration::from_secs(60)))
        .expect("mount");
    (m, backend)
}

#[test]
fn watched_changes_are_seen_at_once_despite_long_ttls() {
    require_fuse!();
    let (m, backend) = long_ttl_mount();
    let handle = m.handle.as_ref().unwrap();
    let fs = FileStorage::new(handle.watch(backend.clone()));

    fs.write("/f", "one").unwrap();
    assert_eq!(m.ok(CAT_F), "one");
    // Same size, so only an invalidated page cache can show it.
    fs.write("/f", "two").unwrap();
    assert_eq!(m.ok(CAT_F), "two");
    fs.write("/f", "three, longer").unwrap();
    assert_eq!(m.ok(CAT_F), "three, longer");
    fs.append("/f", "!").unwrap();
    assert_eq!(m.ok(CAT_F), "three, longer!");

    // Names: created, moved, removed; listings follow.
    fs.create_dir_all("/d/e").unwrap();
    fs.write("/d/e/g", "g").unwrap();
    assert_eq!(m.ok("ls d && ls d/e"), "e\ng\n");
    fs.rename("/d/e/g", "/d/h").unwrap();
    assert_eq!(m.ok("ls d && cat d/h"), "e\nh\ng");
    fs.remove_file("/d/h").unwrap();
    assert_eq!(m.ok("ls d; test -e d/h || echo gone"), "e\ngone\n");
    fs.remove_dir_all("/d").unwrap();
    assert_eq!(m.ok("test -e d || echo gone"), "gone\n");

    // Attributes only.
    fs.set_permissions("/f", anyfs::Permissions::from_mode(0o600))
        .unwrap();
    assert_eq!(m.ok("stat -c %a f"), "600\n");

    // Writes through a handle invalidate the range they wrote.
    let watched = handle.watch(backend.clone());
    let h = watched
        .open(Path::new("/f"), OpenFlags::READ_WRITE)
        .unwrap();
    watched.write_at(h, b"T", 0).unwrap();
    assert_eq!(m.ok(CAT_F), "Three, longer!");
    watched.close(h).unwrap();
}

#[test]
fn unwatched_changes_wait_for_the_ttl_or_invalidate() {
    require_fuse!();
    let (m, backend) = long_ttl_mount();
    let handle = m.handle.as_ref().unwrap();
    backend.write(Path::new("/f"), b"one").unwrap();
    assert_eq!(m.ok(CAT_F), "one");
    // Behind the mount's back: the kernel still serves what it cached (the control that shows
    // the caches are really in play for the test above).
    backend.write(Path::new("/f"), b"two").unwrap();
    assert_eq!(m.ok(CAT_F), "one");
    handle.invalidate("/f");
    assert_eq!(m.ok(CAT_F), "two");
    // A new name needs no invalidation: the adapter's misses are not cached.
    backend.write(Path::new("/new"), b"n").unwrap();
    assert_eq!(m.ok("cat new"), "n");
}

/// What `FUSE_AUTO_INVAL_DATA` buys, and why the adapter keeps it although it costs the first
/// `stat(2)` after each write ~0.8 µs (the kernel drops that file's cached pages
/// when the refreshed mtime differs): an unwatched change that keeps the size is still seen
/// once the attribute TTL expires. Without it only a size change would drop the cached data.
#[test]
fn unwatched_same_size_changes_are_seen_after_the_attr_ttl() {
    require_fuse!();
    let backend = MemoryBackend::new();
    let m = TestMount::new(
        MountHandle::builder(backend.clone())
            .entry_ttl(Duration::from_secs(60))
            .attr_ttl(Duration::from_millis(200)),
    )
    .expect("mount");
    backend.write(Path::new("/f"), b"one").unwrap();
    assert_eq!(m.ok(CAT_F), "one");
    // Later than the first write by more than the clock's granularity, so the mtime differs.
    std::thread::sleep(Duration::from_millis(20));
    backend.write(Path::new("/f"), b"two").unwrap();
    // Within the TTL the kernel may answer from its cache (it does here); past it, `cat`'s
    // fstat refreshes the attributes, the new mtime drops the cached pages, and the read is
    // fresh.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(m.ok(CAT_F), "two");
}
