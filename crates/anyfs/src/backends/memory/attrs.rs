//! [`FsPermissions`], [`FsSync`] and [`FsStats`]: attributes stored on the inode, durability
//! that memory does not need, and `statfs` from the byte and inode counters.

use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::path::MAX_NAME_LEN;
use anyfs_backend::{FsError, FsPermissions, FsStats, FsSync, Permissions, StatFs};

use super::resolve::NodeGraph;
use super::tree::{NOMINAL_TOTAL_BYTES, NOMINAL_TOTAL_INODES};
use super::MemoryBackend;

/// Block size `statfs` reports.
const BLOCK_SIZE: u64 = 4096;

impl FsPermissions for MemoryBackend {
    /// `chmod`: follows symlinks; bits above `0o7777` are dropped; sets ctime. The bits are
    /// stored, not enforced (access control is middleware's job).
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        const OP: &str = "set_permissions";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, _) = tree.existing(path, true, OP)?;
        let node = tree.node_mut(ino, OP)?;
        node.mode = perm.mode & 0o7777;
        node.ctime = now;
        Ok(())
    }

    /// `chown`: follows symlinks; `None` leaves an id unchanged; sets ctime.
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        const OP: &str = "set_owner";
        let now = SystemTime::now();
        let mut tree = self.inner.tree.write();
        let (ino, _) = tree.existing(path, true, OP)?;
        let node = tree.node_mut(ino, OP)?;
        if let Some(uid) = uid {
            node.uid = uid;
        }
        if let Some(gid) = gid {
            node.gid = gid;
        }
        node.ctime = now;
        Ok(())
    }
}

impl FsSync for MemoryBackend {
    /// Nothing to flush: every write is already in the table.
    fn sync(&self) -> Result<(), FsError> {
        Ok(())
    }

    /// Nothing to flush; still reports `NotFound` for a missing path.
    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        self.inner
            .tree
            .read()
            .existing(path, true, "fsync")
            .map(|_| ())
    }
}

impl FsStats for MemoryBackend {
    /// `used_bytes` is the sum of file sizes (unlinked files still open included). Without a
    /// capacity, `total_bytes` is a nominal 1 TiB (or the bytes in use, if more) and writes are
    /// limited only by memory.
    fn statfs(&self) -> Result<StatFs, FsError> {
        let tree = self.inner.tree.read();
        let used = tree.used_bytes;
        let total = tree
            .capacity
            .unwrap_or_else(|| NOMINAL_TOTAL_BYTES.max(used));
        let inodes = tree.nodes.len() as u64;
        let total_inodes = NOMINAL_TOTAL_INODES.max(inodes);
        Ok(StatFs {
            total_bytes: total,
            used_bytes: used,
            available_bytes: total.saturating_sub(used),
            total_inodes,
            used_inodes: inodes,
            available_inodes: total_inodes - inodes,
            block_size: BLOCK_SIZE,
            max_name_length: MAX_NAME_LEN as u64,
        })
    }
}
