//! [`FsPermissions`], [`FsSync`] and [`FsStats`]: attributes stored on the inode row,
//! durability on demand (see the module docs' durability table), and `statfs` from SQLite's
//! page counters.

use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::path::MAX_NAME_LEN;
use anyfs_backend::{FsError, FsPermissions, FsStats, FsSync, Permissions, StatFs};
use rusqlite::params;

use super::db::Db;
use super::err::SqlResult;
use super::node::{int, to_ns};
use super::resolve::NodeGraph;
use super::SqliteBackend;

/// Total bytes `statfs` reports (or the bytes in use, if more): SQLite itself allows far more,
/// and the host disk's free space is not known here.
const NOMINAL_TOTAL_BYTES: u64 = 1 << 40;
/// Total inodes `statfs` reports: the 32-bit inode space FUSE clients expect to fit.
const NOMINAL_TOTAL_INODES: u64 = u32::MAX as u64;

impl SqliteBackend {
    /// Runs one `UPDATE inodes SET <assignments>, ctime = now` on the node `path` leads to
    /// (following symlinks).
    fn set_attr(
        &self,
        path: &Path,
        sql: &'static str,
        a: Option<u32>,
        b: Option<u32>,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let now = to_ns(SystemTime::now());
        self.inner.conns.write(operation, |conn| {
            let (ino, _) = Db::new(conn, &self.inner).existing(path, true, operation)?;
            let mut stmt = conn.prepare_cached(sql).op(operation)?;
            stmt.execute(params![int(ino), a, b, now]).op(operation)?;
            Ok(())
        })
    }
}

impl FsPermissions for SqliteBackend {
    /// `chmod`: follows symlinks; bits above `0o7777` are dropped; sets ctime. The bits are
    /// stored, not enforced (access control is middleware's job).
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        self.set_attr(
            path,
            "UPDATE inodes SET mode = ?2, ctime = ?4 WHERE ino = ?1",
            Some(perm.mode & 0o7777),
            None,
            "set_permissions",
        )
    }

    /// `chown`: follows symlinks; `None` leaves an id unchanged; sets ctime.
    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        self.set_attr(
            path,
            "UPDATE inodes SET uid = coalesce(?2, uid), gid = coalesce(?3, gid), ctime = ?4
             WHERE ino = ?1",
            uid,
            gid,
            "set_owner",
        )
    }
}

impl FsSync for SqliteBackend {
    /// Makes every committed operation durable as far as the synchronous mode allows: with
    /// `NORMAL` one small commit under `synchronous = FULL` syncs the write-ahead log; with
    /// `FULL`/`EXTRA` every commit already was; with `OFF` nothing is synced. A no-op for an
    /// in-memory database.
    fn sync(&self) -> Result<(), FsError> {
        self.inner.conns.sync("sync")
    }

    /// As [`sync`](FsSync::sync) (one database holds every file), after checking that `path`
    /// exists.
    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        const OP: &str = "fsync";
        self.inner.conns.read(OP, |conn| {
            Db::new(conn, &self.inner)
                .existing(path, true, OP)
                .map(drop)
        })?;
        self.inner.conns.sync(OP)
    }
}

impl FsStats for SqliteBackend {
    /// `used_bytes` is the database's pages in use (content, metadata and indexes, so a little
    /// more than the sum of file sizes, and less for sparse files); `used_inodes` counts the
    /// inode rows (O(n) in their number).
    fn statfs(&self) -> Result<StatFs, FsError> {
        const OP: &str = "statfs";
        self.inner.conns.read(OP, |conn| {
            let value = |sql: &str| -> Result<u64, FsError> {
                conn.query_row(sql, [], |r| r.get::<_, u64>(0)).op(OP)
            };
            let page_size = value("PRAGMA page_size")?;
            let pages = value("PRAGMA page_count")?;
            let free = value("PRAGMA freelist_count")?;
            let inodes = value("SELECT count(*) FROM inodes")?;
            let used = pages.saturating_sub(free).saturating_mul(page_size);
            let total = NOMINAL_TOTAL_BYTES.max(used);
            let total_inodes = NOMINAL_TOTAL_INODES.max(inodes);
            Ok(StatFs {
                total_bytes: total,
                used_bytes: used,
                available_bytes: total - used,
                total_inodes,
                used_inodes: inodes,
                available_inodes: total_inodes - inodes,
                block_size: page_size,
                max_name_length: MAX_NAME_LEN as u64,
            })
        })
    }
}
