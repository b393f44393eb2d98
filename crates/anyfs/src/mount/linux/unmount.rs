//! Unmounting by path: `umount2(2)` when this process may (root), else `fusermount3 -u`.
//!
//! A busy mount point (open files, a working directory inside) is `MountPointBusy`; a lazy
//! unmount (`MNT_DETACH`, `fusermount3 -u -z`) removes it from the namespace at once and lets
//! the kernel end the session when the last file closes. A path that is no longer a mount
//! point (someone ran `fusermount3 -u` already) counts as unmounted.

use std::path::Path;
use std::process::Command;

use rustix::io::Errno;
use rustix::mount::{unmount as umount2, UnmountFlags};

use super::system;
use crate::mount::MountError;

/// Unmounts `path` (lazily with `lazy`).
pub(crate) fn unmount(path: &Path, lazy: bool) -> Result<(), MountError> {
    let flags = if lazy {
        UnmountFlags::DETACH
    } else {
        UnmountFlags::empty()
    };
    match umount2(path, flags) {
        Ok(()) | Err(Errno::INVAL) | Err(Errno::NOENT) => Ok(()),
        Err(Errno::BUSY) => Err(busy(path)),
        Err(Errno::PERM) | Err(Errno::ACCESS) => fusermount_unmount(path, lazy),
        Err(e) => Err(MountError::Platform(format!(
            "umount {}: {e}",
            path.display()
        ))),
    }
}

fn busy(path: &Path) -> MountError {
    MountError::MountPointBusy {
        path: path.to_path_buf(),
        reason: "files or working directories are still open under it; close them, or unmount \
                 lazily (dropping the handle does)"
            .into(),
    }
}

/// The unprivileged way: the setuid helper.
fn fusermount_unmount(path: &Path, lazy: bool) -> Result<(), MountError> {
    let helper = system::fusermount().ok_or_else(crate::mount::error::no_fusermount)?;
    let mut cmd = Command::new(helper);
    cmd.arg("-u").arg("-q");
    if lazy {
        cmd.arg("-z");
    }
    let out = cmd
        .arg("--")
        .arg(path)
        .output()
        .map_err(|e| MountError::Platform(format!("fusermount3: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("busy") {
        Err(busy(path))
    } else if stderr.contains("not found in") || stderr.contains("not mounted") {
        Ok(())
    } else if stderr.contains("ermission denied") || stderr.contains("not permitted") {
        Err(MountError::PermissionDenied {
            reason: stderr.trim().to_string(),
        })
    } else {
        Err(MountError::Platform(stderr.trim().to_string()))
    }
}
