//! [`Db`]: one connection inside one transaction, with the primitives every operation is built
//! from (look up, create, link, unlink, move, free). It implements [`Walk`], so paths are
//! resolved by the one shared algorithm, [`anyfs_backend::path::walk`], one indexed query per
//! component (see `resolve.rs`).
//!
//! Every statement is a cached prepared statement (`prepare_cached`): after the first call a
//! lookup is a bind, a B-tree probe and a reset.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::path::Walk;
use anyfs_backend::{FileType, FsError, ROOT_INODE};
use rusqlite::{params, Connection, OptionalExtension};

use super::err::{self, SqlResult};
use super::node::{int, kind_code, kind_from, to_ns, Inode, INODE_COLUMNS};
use super::resolve::check_entry_name;
use super::Inner;

/// A connection in a transaction, with the backend's shared state.
pub(super) struct Db<'c> {
    pub conn: &'c Connection,
    pub fs: &'c Inner,
}

impl<'c> Db<'c> {
    pub fn new(conn: &'c Connection, fs: &'c Inner) -> Self {
        Db { conn, fs }
    }

    /// The inode's row, if it exists.
    pub fn inode(&self, ino: u64, operation: &'static str) -> Result<Option<Inode>, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {INODE_COLUMNS} FROM inodes WHERE ino = ?1"
            ))
            .op(operation)?;
        stmt.query_row([int(ino)], Inode::from_row)
            .optional()
            .op(operation)
    }

    /// The row of an inode the tables refer to (missing: the database is inconsistent).
    pub fn node(&self, ino: u64, operation: &'static str) -> Result<Inode, FsError> {
        self.inode(ino, operation)?
            .ok_or_else(|| err::corrupt(operation, &format!("inode {ino} is missing")))
    }

    /// The entry `name` of directory `dir`: its inode and type.
    pub fn entry(
        &self,
        dir: u64,
        name: &str,
        operation: &'static str,
    ) -> Result<Option<(u64, FileType)>, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT child, kind FROM entries WHERE parent = ?1 AND name = ?2")
            .op(operation)?;
        let row = stmt
            .query_row(params![int(dir), name], |r| {
                Ok((r.get::<_, u64>(0)?, r.get::<_, i64>(1)?))
            })
            .optional()
            .op(operation)?;
        match row {
            None => Ok(None),
            Some((child, code)) => kind_from(code)
                .map(|ty| Some((child, ty)))
                .ok_or_else(|| err::corrupt(operation, &format!("entry {name:?} has kind {code}"))),
        }
    }

    /// Whether directory `dir` has any entry.
    pub fn has_entries(&self, dir: u64, operation: &'static str) -> Result<bool, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM entries WHERE parent = ?1)")
            .op(operation)?;
        stmt.query_row([int(dir)], |r| r.get(0)).op(operation)
    }

    /// The target stored for symlink `ino`.
    pub fn link_target(&self, ino: u64, operation: &'static str) -> Result<PathBuf, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT target FROM symlinks WHERE ino = ?1")
            .op(operation)?;
        let bytes: Option<Vec<u8>> = stmt
            .query_row([int(ino)], |r| r.get(0))
            .optional()
            .op(operation)?;
        bytes
            .map(super::node::target_path)
            .ok_or_else(|| err::invalid(operation, "not a symbolic link"))
    }

    /// Sets a directory's mtime and ctime (an entry was added or removed) and adjusts its link
    /// count by `subdirs` (a subdirectory's `..` links to it).
    fn touch_dir(
        &self,
        dir: u64,
        subdirs: i64,
        now: i64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "UPDATE inodes SET nlink = nlink + ?2, mtime = ?3, ctime = ?3 WHERE ino = ?1",
            )
            .op(operation)?;
        stmt.execute(params![int(dir), subdirs, now])
            .op(operation)?;
        Ok(())
    }

    /// Sets an inode's ctime (its links, mode, owner or xattrs changed) and adjusts its link
    /// count by `links`.
    pub fn touch_inode(
        &self,
        ino: u64,
        links: i64,
        now: i64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE inodes SET nlink = nlink + ?2, ctime = ?3 WHERE ino = ?1")
            .op(operation)?;
        stmt.execute(params![int(ino), links, now]).op(operation)?;
        Ok(())
    }

    /// Checks that `parent` is a directory and has no entry `name` (`NotADirectory`,
    /// `AlreadyExists`).
    fn vacant(
        &self,
        parent: u64,
        name: &str,
        path: &Path,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(name, operation)?;
        if self.node(parent, operation)?.file_type != FileType::Directory {
            return Err(err::not_dir(path, operation));
        }
        if self.entry(parent, name, operation)?.is_some() {
            return Err(err::exists(path, operation));
        }
        Ok(())
    }

    fn insert_entry(
        &self,
        parent: u64,
        name: &str,
        child: u64,
        ty: FileType,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO entries (parent, name, child, kind) VALUES (?1, ?2, ?3, ?4)",
            )
            .op(operation)?;
        stmt.execute(params![int(parent), name, int(child), kind_code(ty)])
            .op(operation)?;
        Ok(())
    }

    /// Adds a new node named `name` in directory `parent` and returns its inode number. A
    /// symlink's target is stored with it. Sets the parent's mtime and ctime.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &self,
        parent: u64,
        name: &str,
        ty: FileType,
        mode: u32,
        target: Option<&Path>,
        now: SystemTime,
        path: &Path,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        self.vacant(parent, name, path, operation)?;
        let now = to_ns(now);
        let is_dir = ty == FileType::Directory;
        let target = target.map(super::node::target_bytes);
        let size = target.as_ref().map_or(0, Vec::len) as u64;
        let (uid, gid) = self.fs.owner;
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO inodes (kind, mode, uid, gid, size, nlink, atime, mtime, ctime, btime)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?7)",
            )
            .op(operation)?;
        stmt.execute(params![
            kind_code(ty),
            mode & 0o7777,
            uid,
            gid,
            size,
            if is_dir { 2 } else { 1 },
            now
        ])
        .op(operation)?;
        let ino = u64::try_from(self.conn.last_insert_rowid())
            .map_err(|_| err::corrupt(operation, "negative inode number"))?;
        if let Some(bytes) = target {
            let mut stmt = self
                .conn
                .prepare_cached("INSERT INTO symlinks (ino, target) VALUES (?1, ?2)")
                .op(operation)?;
            stmt.execute(params![int(ino), bytes]).op(operation)?;
        }
        self.insert_entry(parent, name, ino, ty, operation)?;
        self.touch_dir(parent, i64::from(is_dir), now, operation)?;
        Ok(ino)
    }

    /// Adds the name `name` in `parent` for the existing non-directory node `ino` (a hard link).
    #[allow(clippy::too_many_arguments)]
    pub fn link(
        &self,
        parent: u64,
        name: &str,
        ino: u64,
        ty: FileType,
        now: SystemTime,
        path: &Path,
        operation: &'static str,
    ) -> Result<(), FsError> {
        self.vacant(parent, name, path, operation)?;
        let now = to_ns(now);
        self.insert_entry(parent, name, ino, ty, operation)?;
        self.touch_dir(parent, 0, now, operation)?;
        self.touch_inode(ino, 1, now, operation)
    }

    /// Takes the entry `name` out of `parent` and returns it; the child is untouched (rename
    /// moves it elsewhere, unlink frees it).
    fn detach(
        &self,
        parent: u64,
        name: &str,
        now: i64,
        operation: &'static str,
    ) -> Result<(u64, FileType), FsError> {
        check_entry_name(name, operation)?;
        let (child, ty) = self
            .entry(parent, name, operation)?
            .ok_or_else(|| err::corrupt(operation, &format!("entry {name:?} vanished")))?;
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM entries WHERE parent = ?1 AND name = ?2")
            .op(operation)?;
        stmt.execute(params![int(parent), name]).op(operation)?;
        let subdirs = if ty == FileType::Directory { -1 } else { 0 };
        self.touch_dir(parent, subdirs, now, operation)?;
        Ok((child, ty))
    }

    /// Removes the entry `name` from `parent`. A file or symlink loses one link and is freed
    /// when that was its last and no handle of this process holds it; a directory is freed
    /// together with everything below it (the caller decides whether it may be non-empty).
    pub fn unlink(
        &self,
        parent: u64,
        name: &str,
        now: SystemTime,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let now = to_ns(now);
        let (child, ty) = self.detach(parent, name, now, operation)?;
        if ty == FileType::Directory {
            return self.free_dir(child, now, operation);
        }
        self.touch_inode(child, -1, now, operation)?;
        self.release(child, operation)
    }

    /// Frees a file or symlink that has no name left, unless a handle of this process still
    /// holds it: then it becomes an orphan, freed at its last close (POSIX unlink-while-open).
    pub fn release(&self, ino: u64, operation: &'static str) -> Result<(), FsError> {
        if self.node(ino, operation)?.nlink > 0 {
            return Ok(());
        }
        if self.fs.open.is_open(ino) {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO orphans (ino, pid, token) VALUES (?1, ?2, ?3)",
                )
                .op(operation)?;
            stmt.execute(params![int(ino), self.fs.pid, self.fs.token])
                .op(operation)?;
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM inodes WHERE ino = ?1")
            .op(operation)?;
        stmt.execute([int(ino)]).op(operation)?;
        Ok(())
    }

    /// Frees a detached directory and everything below it. An empty directory is one delete;
    /// a tree is a fixed handful of set-based statements whatever its size (see `remove.rs`).
    fn free_dir(&self, dir: u64, now: i64, operation: &'static str) -> Result<(), FsError> {
        if self.has_entries(dir, operation)? {
            return self.free_subtree(dir, now, operation);
        }
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM inodes WHERE ino = ?1")
            .op(operation)?;
        stmt.execute([int(dir)]).op(operation)?;
        Ok(())
    }

    /// Moves the entry `from_name` of `from_dir` to `to_name` in `to_dir`, replacing what is
    /// there as `rename(2)` does. The caller has checked types, emptiness and the subtree rule.
    #[allow(clippy::too_many_arguments)]
    pub fn move_entry(
        &self,
        from_dir: u64,
        from_name: &str,
        to_dir: u64,
        to_name: &str,
        replace: bool,
        now: SystemTime,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(to_name, operation)?;
        if replace {
            self.unlink(to_dir, to_name, now, operation)?;
        }
        let now = to_ns(now);
        let (child, ty) = self.detach(from_dir, from_name, now, operation)?;
        self.insert_entry(to_dir, to_name, child, ty, operation)?;
        let subdirs = i64::from(ty == FileType::Directory);
        self.touch_dir(to_dir, subdirs, now, operation)?;
        self.touch_inode(child, 0, now, operation)
    }

    /// True when `ancestor` is `dir` or one of its parents: one recursive query up the
    /// `entries_by_child` index, O(depth).
    pub fn is_within(
        &self,
        dir: u64,
        ancestor: u64,
        operation: &'static str,
    ) -> Result<bool, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH RECURSIVE up(ino) AS (
                     SELECT ?1
                     UNION
                     SELECT e.parent FROM entries e JOIN up ON e.child = up.ino
                     WHERE e.kind = 1 AND up.ino != ?3
                 )
                 SELECT EXISTS (SELECT 1 FROM up WHERE ino = ?2)",
            )
            .op(operation)?;
        stmt.query_row(params![int(dir), int(ancestor), ROOT_INODE as i64], |r| {
            r.get(0)
        })
        .op(operation)
    }

    /// One current path of `ino`, built by walking up its entries: O(depth) indexed queries.
    /// For a hard-linked file, the name that sorts first.
    pub fn path_of(&self, ino: u64, operation: &'static str) -> Result<PathBuf, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT parent, name FROM entries WHERE child = ?1 ORDER BY parent, name LIMIT 1",
            )
            .op(operation)?;
        let mut names: Vec<String> = Vec::new();
        let mut cur = ino;
        // A directory chain longer than this can only be a cycle in a damaged database.
        for _ in 0..=anyfs_backend::path::MAX_PATH_LEN {
            if cur == ROOT_INODE {
                let mut path =
                    String::with_capacity(names.iter().map(|n| n.len() + 1).sum::<usize>() + 1);
                if names.is_empty() {
                    path.push('/');
                }
                for name in names.iter().rev() {
                    path.push('/');
                    path.push_str(name);
                }
                return Ok(PathBuf::from(path));
            }
            let up: Option<(u64, String)> = stmt
                .query_row([int(cur)], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .op(operation)?;
            let Some((parent, name)) = up else {
                return Err(err::unknown_inode(ino, operation));
            };
            names.push(name);
            cur = parent;
        }
        Err(err::corrupt(operation, "a directory is its own ancestor"))
    }

    /// The parent directory of directory `dir` (the root is its own parent).
    pub fn parent_of(&self, dir: u64, operation: &'static str) -> Result<u64, FsError> {
        if dir == ROOT_INODE {
            return Ok(ROOT_INODE);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT parent FROM entries WHERE child = ?1 LIMIT 1")
            .op(operation)?;
        stmt.query_row([int(dir)], |r| r.get(0))
            .optional()
            .op(operation)?
            .ok_or_else(|| err::unknown_inode(dir, operation))
    }
}

impl Walk for Db<'_> {
    type Node = u64;

    fn root(&self) -> u64 {
        ROOT_INODE
    }

    fn lookup(&self, dir: &u64, name: &str) -> Result<Option<(u64, FileType)>, FsError> {
        self.entry(*dir, name, "lookup")
    }

    fn read_link(&self, node: &u64) -> Result<PathBuf, FsError> {
        self.link_target(*node, "read_link")
    }
}
