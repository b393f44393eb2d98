//! Shared by the `mount_*` tests: a mount in a fresh temporary directory that is unmounted
//! when the test ends, pass or fail, and helpers to run real programs on it.
//!
//! Every test returns early, printing why, when this machine cannot mount (no `/dev/fuse`,
//! or no `fusermount3`: `.ci/run` installs Debian's `fuse3`).

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyfs::{MountBuilder, MountError, MountHandle};

/// Why this machine cannot run mount tests, if it cannot.
pub fn unavailable() -> Option<String> {
    if !Path::new("/dev/fuse").exists() {
        return Some("no /dev/fuse".into());
    }
    let helper = ["/usr/bin/fusermount3", "/bin/fusermount3"]
        .iter()
        .any(|p| Path::new(p).exists());
    if !helper {
        return Some("no fusermount3 (install Debian's fuse3)".into());
    }
    if !MountHandle::is_available() {
        return Some("MountHandle::is_available() is false".into());
    }
    None
}

/// `let Some(x) = skip_unless_mountable!() else { return };` at the top of every test.
#[macro_export]
macro_rules! require_fuse {
    () => {
        if let Some(why) = $crate::mount_support::unavailable() {
            eprintln!("skipping: {why}");
            return;
        }
    };
}

/// A mount on a temporary directory. Dropping it unmounts (before the directory is removed,
/// by field order) so a failing test leaves no mount behind.
pub struct TestMount {
    pub handle: Option<MountHandle>,
    pub dir: tempfile::TempDir,
}

impl TestMount {
    /// Mounts what `builder` describes on a fresh temporary directory.
    pub fn new(builder: MountBuilder) -> Result<TestMount, MountError> {
        let dir = tempfile::Builder::new()
            .prefix("anyfs-mount-test")
            .tempdir()
            .expect("temp dir");
        let handle = builder.mount_point(dir.path()).mount()?;
        Ok(TestMount {
            handle: Some(handle),
            dir,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `sh -c script` in the mount point.
    pub fn sh(&self, script: &str) -> Output {
        sh_in(self.path(), script)
    }

    /// As [`sh`](Self::sh), asserting success; returns stdout.
    pub fn ok(&self, script: &str) -> String {
        let out = self.sh(script);
        assert!(
            out.status.success(),
            "`{script}` failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// As [`sh`](Self::sh), asserting failure; returns stderr.
    pub fn fails(&self, script: &str) -> String {
        let out = self.sh(script);
        assert!(
            !out.status.success(),
            "`{script}` should have failed; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for TestMount {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            if let Err(e) = h.unmount() {
                eprintln!("unmount failed: {e}");
            }
        }
    }
}

pub fn sh_in(dir: &Path, script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .output()
        .expect("spawn sh")
}

/// Whether `/proc/mounts` lists `path` as a mount point.
pub fn is_listed(path: &Path) -> bool {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let p = path.to_string_lossy();
    mounts
        .lines()
        .any(|l| l.split_whitespace().nth(1) == Some(p.as_ref()))
}

/// Whether a program is installed.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
