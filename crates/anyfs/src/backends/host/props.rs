//! [`FsPermissions`], [`FsSync`], [`FsStats`]: permission bits and owners through the resolved
//! [`Node`](super::node::Node), `fsync`/`syncfs`, and `fstatvfs` of the root.

use std::path::Path;

use anyfs_backend::{FsError, FsPermissions, FsStats, FsSync, Permissions, StatFs};
use rustix::fs::{fstatvfs, fsync, syncfs, Mode, OFlags};

use super::{error, HostFs, Resolve, VPath};

impl<R: Resolve> FsPermissions for HostFs<R> {
    /// `chmod` of the node `path` leads to (symlinks followed), setuid/setgid/sticky included.
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        let path = VPath::parse(path, "set_permissions")?;
        let mode = Mode::from_raw_mode(perm.mode() & 0o7777);
        self.node(&path)?.chmod(mode).map_err(|e| path.err(e))
    }

    /// `chown`; needs the host privilege to give a file away (`EPERM` otherwise).
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        let path = VPath::parse(path, "set_owner")?;
        self.node(&path)?.chown(uid, gid).map_err(|e| path.err(e))
    }
}

impl<R: Resolve> FsSync for HostFs<R> {
    /// `syncfs` of the filesystem holding the root: every dirty page of that filesystem, not
    /// only this backend's.
    fn sync(&self) -> Result<(), FsError> {
        syncfs(&self.root.fd).map_err(|e| error::errno("sync", Path::new("/"), e))
    }

    /// `fsync` of the node (file content and metadata; for a directory, its entries).
    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        let path = VPath::parse(path, "fsync")?;
        let fd = self.open(&path, OFlags::RDONLY | OFlags::NONBLOCK, Mode::empty())?;
        fsync(&fd).map_err(|e| path.err(e))
    }
}

impl<R: Resolve> FsStats for HostFs<R> {
    /// The host filesystem's numbers (shared with everything else stored on it).
    fn statfs(&self) -> Result<StatFs, FsError> {
        let s = fstatvfs(&self.root.fd).map_err(|e| error::errno("statfs", Path::new("/"), e))?;
        let unit = if s.f_frsize > 0 {
            s.f_frsize
        } else {
            s.f_bsize
        };
        Ok(StatFs {
            total_bytes: s.f_blocks.saturating_mul(unit),
            used_bytes: s.f_blocks.saturating_sub(s.f_bfree).saturating_mul(unit),
            available_bytes: s.f_bavail.saturating_mul(unit),
            total_inodes: s.f_files,
            used_inodes: s.f_files.saturating_sub(s.f_ffree),
            available_inodes: s.f_favail,
            block_size: s.f_bsize,
            max_name_length: s.f_namemax,
        })
    }
}
