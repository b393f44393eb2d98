//! The inode table: every node by number, the open handles, and the primitives every
//! operation is built from (create, link, unlink, move, free). It implements [`Walk`] so paths
//! are resolved by the one shared algorithm, [`anyfs_backend::path::walk`] (see `resolve.rs`).

use std::collections::btree_map;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use anyfs_backend::path::Walk;
use anyfs_backend::{FileType, FsError, OpenFlags, ROOT_INODE};
use rustc_hash::FxHashMap;

use super::err;
use super::node::{Dir, Entry, Kind, Links, Name, Node};
use super::resolve::check_entry_name;

/// Total bytes `statfs` reports when no capacity was set: 1 TiB (or the bytes in use, if more).
pub(super) const NOMINAL_TOTAL_BYTES: u64 = 1 << 40;
/// Total inodes `statfs` reports: the 32-bit inode space FUSE clients expect to fit.
pub(super) const NOMINAL_TOTAL_INODES: u64 = u32::MAX as u64;

/// An open handle: the inode it keeps alive and how it was opened.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenFile {
    pub ino: u64,
    pub flags: OpenFlags,
}

impl OpenFile {
    /// `O_RDONLY` is zero in POSIX: a handle opened with no access flag may read.
    pub fn can_read(&self) -> bool {
        self.flags.readable() || !self.flags.writable()
    }
}

/// The whole filesystem state, guarded by one `RwLock` in `MemoryBackend`.
#[derive(Debug, Clone)]
pub(super) struct Tree {
    pub nodes: FxHashMap<u64, Node>,
    /// Never decreases: inode numbers are not reused while the process lives.
    pub next_ino: u64,
    pub handles: FxHashMap<u64, OpenFile>,
    /// Never decreases: a closed handle's number stays invalid.
    pub next_handle: u64,
    /// Sum of the sizes of all files in the table (including unlinked files still open).
    pub used_bytes: u64,
    pub capacity: Option<u64>,
    /// Owner of new nodes.
    pub owner: (u32, u32),
    /// Symlink nodes in the table: while there are none, paths resolve lexically
    /// (`FsLink::symlink_free`).
    pub symlinks: SymlinkCount,
}

/// The number of symlink nodes in a [`Tree`], readable without the table's lock (through
/// [`SymlinkCount::shared`]), so `FsLink::symlink_free` is one atomic load.
///
/// It changes only under the table's write lock, together with the nodes, so a reader that
/// holds the lock sees it exact; a reader without it sees some recent value, which is all
/// `symlink_free` promises (a caller relying on it keeps symlinks from appearing itself). A
/// clone of the table (a snapshot) gets a counter of its own.
#[derive(Debug, Default)]
pub(super) struct SymlinkCount(Arc<AtomicUsize>);

impl Clone for SymlinkCount {
    fn clone(&self) -> Self {
        SymlinkCount(Arc::new(AtomicUsize::new(self.get())))
    }
}

impl SymlinkCount {
    /// The current count.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }

    /// The counter itself, for reading without the table's lock.
    pub fn shared(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.0)
    }

    /// A symlink node was added (under the write lock: no other writer races this).
    fn add(&self) {
        self.0
            .store(self.get().saturating_add(1), Ordering::Release);
    }

    /// A symlink node was freed (under the write lock).
    fn remove(&self) {
        self.0
            .store(self.get().saturating_sub(1), Ordering::Release);
    }
}

impl Tree {
    pub fn new(capacity: Option<u64>) -> Self {
        let now = SystemTime::now();
        let mut nodes = FxHashMap::default();
        let root = Node::new(
            Kind::Dir(Dir::default()),
            0o755,
            (0, 0),
            Links::default(),
            now,
        );
        nodes.insert(ROOT_INODE, root);
        Tree {
            nodes,
            next_ino: ROOT_INODE + 1,
            handles: FxHashMap::default(),
            next_handle: 1,
            used_bytes: 0,
            capacity,
            owner: (0, 0),
            symlinks: SymlinkCount::default(),
        }
    }

    pub fn node(&self, ino: u64, operation: &'static str) -> Result<&Node, FsError> {
        self.nodes.get(&ino).ok_or_else(|| err::corrupt(operation))
    }

    pub fn node_mut(&mut self, ino: u64, operation: &'static str) -> Result<&mut Node, FsError> {
        self.nodes
            .get_mut(&ino)
            .ok_or_else(|| err::corrupt(operation))
    }

    /// Adds a new node named `name` in directory `parent` and returns its inode number. Sets the
    /// parent's mtime and ctime.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &mut self,
        parent: u64,
        name: &str,
        kind: Kind,
        mode: u32,
        now: SystemTime,
        path: &Path,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        check_entry_name(name, operation)?;
        let ino = self.next_ino;
        let ty = kind.file_type();
        let name: Name = Arc::from(name);
        let dir = self.node_mut(parent, operation)?;
        let Kind::Dir(d) = &mut dir.kind else {
            return Err(err::not_dir(path, operation));
        };
        match d.entries.entry(Arc::clone(&name)) {
            btree_map::Entry::Occupied(_) => return Err(err::exists(path, operation)),
            btree_map::Entry::Vacant(v) => {
                v.insert(Entry { ino, ty });
            }
        }
        if ty == FileType::Directory {
            d.subdirs += 1;
        }
        dir.touch(now);
        self.next_ino += 1;
        if ty == FileType::Symlink {
            self.symlinks.add();
        }
        let node = Node::new(kind, mode, self.owner, Links::one(parent, name), now);
        self.nodes.insert(ino, node);
        Ok(ino)
    }

    /// Adds the name `name` in `parent` for the existing non-directory node `ino` (a hard link).
    pub fn link(
        &mut self,
        parent: u64,
        name: &str,
        ino: u64,
        now: SystemTime,
        path: &Path,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(name, operation)?;
        let ty = self.node(ino, operation)?.file_type();
        let name: Name = Arc::from(name);
        let dir = self.node_mut(parent, operation)?;
        let Kind::Dir(d) = &mut dir.kind else {
            return Err(err::not_dir(path, operation));
        };
        match d.entries.entry(Arc::clone(&name)) {
            btree_map::Entry::Occupied(_) => return Err(err::exists(path, operation)),
            btree_map::Entry::Vacant(v) => {
                v.insert(Entry { ino, ty });
            }
        }
        if ty == FileType::Directory {
            d.subdirs += 1;
        }
        dir.touch(now);
        let node = self.node_mut(ino, operation)?;
        if ty == FileType::Directory {
            node.links = Links::one(parent, name);
        } else {
            node.links.add(parent, name);
        }
        node.ctime = now;
        Ok(())
    }

    /// Removes the entry `name` from `parent` and drops the child's name. A file or symlink is
    /// freed when that was its last name and no handle holds it; a directory is freed
    /// together with everything below it (the caller decides whether it may be non-empty).
    pub fn unlink(
        &mut self,
        parent: u64,
        name: &str,
        now: SystemTime,
        operation: &'static str,
    ) -> Result<Entry, FsError> {
        let entry = self.detach(parent, name, now, operation)?;
        if entry.ty == FileType::Directory {
            self.free_subtree(entry.ino, now, operation)?;
        } else {
            let node = self.node_mut(entry.ino, operation)?;
            node.links.remove(parent, name);
            node.ctime = now;
            self.release(entry.ino);
        }
        Ok(entry)
    }

    /// Takes the entry out of its directory, keeping the child node as it is (rename moves it
    /// elsewhere; unlink frees it).
    fn detach(
        &mut self,
        parent: u64,
        name: &str,
        now: SystemTime,
        operation: &'static str,
    ) -> Result<Entry, FsError> {
        check_entry_name(name, operation)?;
        let dir = self.node_mut(parent, operation)?;
        let Kind::Dir(d) = &mut dir.kind else {
            return Err(err::corrupt(operation));
        };
        let entry = d
            .entries
            .remove(name)
            .ok_or_else(|| err::corrupt(operation))?;
        if entry.ty == FileType::Directory {
            d.subdirs = d.subdirs.saturating_sub(1);
        }
        dir.touch(now);
        Ok(entry)
    }

    /// Frees a detached directory and everything below it, in O(size of the subtree). Files
    /// also named outside the subtree, or held open, survive with their remaining names.
    fn free_subtree(
        &mut self,
        top: u64,
        now: SystemTime,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut pending = vec![top];
        while let Some(dir_ino) = pending.pop() {
            let Some(dir) = self.nodes.remove(&dir_ino) else {
                return Err(err::corrupt(operation));
            };
            let Kind::Dir(d) = dir.kind else {
                continue;
            };
            for (name, entry) in d.entries {
                if entry.ty == FileType::Directory {
                    pending.push(entry.ino);
                    continue;
                }
                if let Some(child) = self.nodes.get_mut(&entry.ino) {
                    child.links.remove(dir_ino, &name);
                    child.ctime = now;
                }
                self.release(entry.ino);
            }
        }
        Ok(())
    }

    /// Frees a file or symlink once it has neither a name nor an open handle (POSIX
    /// unlink-while-open: the data lives until the last close).
    pub fn release(&mut self, ino: u64) {
        let dead = self.nodes.get(&ino).is_some_and(|n| {
            n.file_type() != FileType::Directory && n.links.count() == 0 && n.open == 0
        });
        if dead {
            if let Some(node) = self.nodes.remove(&ino) {
                self.used_bytes = self.used_bytes.saturating_sub(node.charged());
                if node.file_type() == FileType::Symlink {
                    self.symlinks.remove();
                }
            }
        }
    }

    /// Moves the entry `from_name` of `from_dir` to `to_name` in `to_dir`, replacing what is
    /// there as `rename(2)` does. The caller has checked types, emptiness and the subtree rule.
    #[allow(clippy::too_many_arguments)]
    pub fn move_entry(
        &mut self,
        from_dir: u64,
        from_name: &str,
        to_dir: u64,
        to_name: &str,
        replace: bool,
        now: SystemTime,
        path: &Path,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(to_name, operation)?;
        if replace {
            self.unlink(to_dir, to_name, now, operation)?;
        }
        let entry = self.detach(from_dir, from_name, now, operation)?;
        if entry.ty != FileType::Directory {
            self.node_mut(entry.ino, operation)?
                .links
                .remove(from_dir, from_name);
        }
        self.link(to_dir, to_name, entry.ino, now, path, operation)
    }

    /// True when `ancestor` is `dir` or one of its parents (walking `..` pointers up to the
    /// root; O(depth)).
    pub fn is_within(
        &self,
        dir: u64,
        ancestor: u64,
        operation: &'static str,
    ) -> Result<bool, FsError> {
        let mut cur = dir;
        for _ in 0..=self.nodes.len() {
            if cur == ancestor {
                return Ok(true);
            }
            if cur == ROOT_INODE {
                return Ok(false);
            }
            cur = match self.node(cur, operation)?.links.any() {
                Some((parent, _)) => *parent,
                None => return Ok(false),
            };
        }
        Err(err::corrupt(operation))
    }

    /// One current path of `ino`, built from the parent pointers: O(depth).
    pub fn path_of(&self, ino: u64, operation: &'static str) -> Result<PathBuf, FsError> {
        let mut names: Vec<&str> = Vec::new();
        let mut cur = ino;
        for _ in 0..=self.nodes.len() {
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
            let node = self.nodes.get(&cur).ok_or_else(|| FsError::NotFound {
                path: PathBuf::from(format!("<inode {ino}>")),
                operation,
            })?;
            let Some((parent, name)) = node.links.any() else {
                return Err(FsError::NotFound {
                    path: PathBuf::from(format!("<inode {ino}>")),
                    operation,
                });
            };
            names.push(name);
            cur = *parent;
        }
        Err(err::corrupt(operation))
    }

    /// A copy for `MemoryBackend::snapshot`: same nodes, no handles, no unlinked-but-open files.
    pub fn snapshot(&self) -> Tree {
        let mut copy = self.clone();
        copy.handles.clear();
        let orphans: Vec<u64> = copy
            .nodes
            .iter_mut()
            .filter_map(|(ino, node)| {
                node.open = 0;
                (node.file_type() != FileType::Directory && node.links.count() == 0).then_some(*ino)
            })
            .collect();
        for ino in orphans {
            copy.release(ino);
        }
        copy
    }
}

impl Walk for Tree {
    type Node = u64;

    fn root(&self) -> u64 {
        ROOT_INODE
    }

    fn lookup(&self, dir: &u64, name: &str) -> Result<Option<(u64, FileType)>, FsError> {
        match &self.node(*dir, "lookup")?.kind {
            Kind::Dir(d) => Ok(d.entries.get(name).map(|e| (e.ino, e.ty))),
            _ => Err(err::not_dir(Path::new(name), "lookup")),
        }
    }

    fn read_link(&self, node: &u64) -> Result<PathBuf, FsError> {
        match &self.node(*node, "read_link")?.kind {
            Kind::Symlink(target) => Ok(target.clone()),
            _ => Err(err::invalid("read_link", "not a symbolic link")),
        }
    }
}
