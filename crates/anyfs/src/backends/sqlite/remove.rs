//! Set-based removal of a directory tree: a fixed handful of statements whatever the tree's
//! size, so `remove_dir_all` of 10 000 files costs no 10 000 round trips. All run inside the
//! caller's transaction, so a failure removes nothing.
//!
//! 1. One recursive query collects every directory of the subtree into `temp.rm_dirs`.
//! 2. One query counts, per file or symlink, how many of its names lie inside
//!    (`temp.rm_files`): a file hard-linked from outside the tree survives with its other names.
//! 3. Link counts drop by those counts; the entries inside go; the directories go.
//! 4. Files left without a name are freed (the `inodes_free` trigger deletes their chunks,
//!    symlink targets and xattrs), except those a handle of this process holds: they become
//!    orphans, freed at their last close.

use anyfs_backend::FsError;
use rusqlite::params;

use super::db::Db;
use super::err::SqlResult;
use super::node::int;

impl Db<'_> {
    /// Frees the detached directory `top` and everything below it.
    pub(super) fn free_subtree(
        &self,
        top: u64,
        now: i64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let c = self.conn;
        c.execute_batch("DELETE FROM temp.rm_dirs; DELETE FROM temp.rm_files;")
            .op(operation)?;
        c.prepare_cached(
            "INSERT INTO temp.rm_dirs (ino)
             WITH RECURSIVE sub(ino) AS (
                 SELECT ?1
                 UNION
                 SELECT e.child FROM entries e JOIN sub ON e.parent = sub.ino WHERE e.kind = 1
             )
             SELECT ino FROM sub",
        )
        .op(operation)?
        .execute([int(top)])
        .op(operation)?;
        c.prepare_cached(
            "INSERT INTO temp.rm_files (ino, names)
             SELECT e.child, count(*) FROM entries e
             WHERE e.parent IN (SELECT ino FROM temp.rm_dirs) AND e.kind != 1
             GROUP BY e.child",
        )
        .op(operation)?
        .execute([])
        .op(operation)?;
        c.prepare_cached(
            "UPDATE inodes
             SET nlink = nlink - (SELECT f.names FROM temp.rm_files f WHERE f.ino = inodes.ino),
                 ctime = ?1
             WHERE ino IN (SELECT ino FROM temp.rm_files)",
        )
        .op(operation)?
        .execute([now])
        .op(operation)?;
        c.prepare_cached("DELETE FROM entries WHERE parent IN (SELECT ino FROM temp.rm_dirs)")
            .op(operation)?
            .execute([])
            .op(operation)?;
        c.prepare_cached("DELETE FROM inodes WHERE ino IN (SELECT ino FROM temp.rm_dirs)")
            .op(operation)?
            .execute([])
            .op(operation)?;
        c.prepare_cached(
            "INSERT OR IGNORE INTO orphans (ino, pid, token)
             SELECT ino, ?1, ?2 FROM inodes
             WHERE ino IN (SELECT ino FROM temp.rm_files) AND nlink <= 0 AND anyfs_is_open(ino)",
        )
        .op(operation)?
        .execute(params![self.fs.pid, self.fs.token])
        .op(operation)?;
        c.prepare_cached(
            "DELETE FROM inodes
             WHERE ino IN (SELECT ino FROM temp.rm_files) AND nlink <= 0 AND NOT anyfs_is_open(ino)",
        )
        .op(operation)?
        .execute([])
        .op(operation)?;
        c.execute_batch("DELETE FROM temp.rm_dirs; DELETE FROM temp.rm_files;")
            .op(operation)
    }
}
