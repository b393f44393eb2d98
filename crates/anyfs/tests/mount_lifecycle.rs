//! Mounts come and go cleanly: unmount(), drop, an outside `fusermount3 -u`, a busy mount
//! point, and the errors for bad mount points.

#![cfg(all(target_os = "linux", feature = "fuse"))]
// Helpers outside #[test] functions unwrap too: a failure is the point there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod mount_support;

use std::process::Command;
use std::time::{Duration, Instant};

use anyfs::{MemoryBackend, MountBuilder, MountHandle, MountStack};
use mount_support::{is_listed, TestMount};

fn wait_until(mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    cond()
}

#[test]
fn unmount_and_drop_remove_the_mount() {
    require_fuse!();
    let dir = tempfile::tempdir().unwrap();
    let handle = MountHandle::mount(MemoryBackend::new(), dir.path()).unwrap();
    assert!(handle.is_mounted());
    assert_eq!(
        handle.mount_point(),
        Some(dir.path().canonicalize().unwrap().as_path())
    );
    assert!(is_listed(dir.path()));
    handle.unmount().unwrap();
    assert!(!is_listed(dir.path()));

    let handle = MountHandle::mount(MemoryBackend::new(), dir.path()).unwrap();
    assert!(is_listed(dir.path()));
    drop(handle);
    assert!(!is_listed(dir.path()));
}

#[test]
fn an_outside_fusermount_does_not_crash_us() {
    require_fuse!();
    let mut m = TestMount::new(MountHandle::builder(MemoryBackend::new())).unwrap();
    m.ok("echo hi > f");
    let status = Command::new("fusermount3")
        .arg("-u")
        .arg(m.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!is_listed(m.path()));
    let handle = m.handle.take().unwrap();
    assert!(
        wait_until(|| !handle.is_mounted()),
        "the session should end"
    );
    handle.unmount().unwrap();
    // The directory is an ordinary directory again.
    assert!(std::fs::read_dir(m.path()).unwrap().next().is_none());
}

#[test]
fn a_busy_mount_point_is_reported_then_freed() {
    require_fuse!();
    let mut m = TestMount::new(MountHandle::builder(MemoryBackend::new())).unwrap();
    m.ok("mkdir d");
    let mut child = Command::new("sleep")
        .arg("30")
        .current_dir(m.join("d"))
        .spawn()
        .unwrap();
    let path = m.path().to_path_buf();
    let handle = m.handle.as_mut().unwrap();
    let err = handle.try_unmount().unwrap_err();
    assert_eq!(err.kind(), "MountPointBusy", "{err}");
    assert!(handle.is_mounted() && is_listed(&path));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(wait_until(|| handle.try_unmount().is_ok()));
    assert!(!handle.is_mounted() && !is_listed(&path));
    handle.try_unmount().unwrap();
}

#[test]
fn unmount_detaches_lazily_when_busy() {
    require_fuse!();
    let mut m = TestMount::new(MountHandle::builder(MemoryBackend::new())).unwrap();
    m.ok("mkdir d");
    let mut child = Command::new("sleep")
        .arg("30")
        .current_dir(m.join("d"))
        .spawn()
        .unwrap();
    m.handle.take().unwrap().unmount().unwrap();
    assert!(!is_listed(m.path()), "detached from the namespace");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_mount_points_are_named() {
    require_fuse!();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let err = MountHandle::mount(MemoryBackend::new(), &missing).unwrap_err();
    assert_eq!(err.kind(), "InvalidMountPoint");
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert_eq!(err.path(), Some(missing.as_path()));

    let file = dir.path().join("file");
    std::fs::write(&file, b"").unwrap();
    let err = MountHandle::mount(MemoryBackend::new(), &file).unwrap_err();
    assert_eq!(err.kind(), "InvalidMountPoint");
    assert!(err.to_string().contains("not a directory"), "{err}");

    let err = MountBuilder::new(MountStack::posix(MemoryBackend::new()))
        .mount()
        .unwrap_err();
    assert_eq!(err.kind(), "MissingMountPoint");
}

#[test]
fn mounts_run_side_by_side() {
    require_fuse!();
    let a = TestMount::new(MountHandle::builder(MemoryBackend::new())).unwrap();
    let b = TestMount::new(MountHandle::builder(MemoryBackend::new()).threads(1)).unwrap();
    a.ok("echo a > f");
    b.ok("echo b > f");
    assert_eq!(a.ok("cat f"), "a\n");
    assert_eq!(b.ok(&format!("cat f {}/f", a.path().display())), "b\na\n");
}

#[test]
fn a_request_scope_runs_each_request_for_its_thread() {
    require_fuse!();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&seen);
    let stack = MountStack::posix(MemoryBackend::new()).with_request_scope(
        move |pid: u32, serve: &mut dyn FnMut()| {
            record.lock().unwrap().push(pid);
            serve()
        },
    );
    let m = TestMount::new(MountBuilder::new(stack)).unwrap();
    let child = Command::new("stat")
        .arg(m.join("missing"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    assert!(!child.wait_with_output().unwrap().status.success());
    assert!(
        seen.lock().unwrap().contains(&pid),
        "the lookup ran for stat's pid"
    );

    // A scope that never serves answers EIO.
    let stack = MountStack::posix(MemoryBackend::new())
        .with_request_scope(|_pid: u32, _serve: &mut dyn FnMut()| {});
    let m = TestMount::new(MountBuilder::new(stack)).unwrap();
    let out = Command::new("cat").arg(m.join("missing")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Input/output error"), "{stderr}");
}
