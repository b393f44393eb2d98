//! One inode: its kind (file bytes, directory entries, symlink target), attributes and names.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use anyfs_backend::{FileType, Metadata, Permissions};

use super::content::Content;

/// An entry name. Shared between the directory map key and the child's back-pointer, so
/// naming a node costs one allocation, not two.
pub(super) type Name = Arc<str>;

/// A directory entry: the child's inode and its type.
///
/// The type is cached here because a node's type never changes; path walks and `read_dir`
/// then need no inode-table lookup per entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    pub ino: u64,
    pub ty: FileType,
}

/// The entries of a directory, in name order (a stable `read_dir` order).
#[derive(Debug, Clone, Default)]
pub(super) struct Dir {
    pub entries: BTreeMap<Name, Entry>,
    /// Child directories, whose `..` each add one link to this directory.
    pub subdirs: u64,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    File(Content),
    Dir(Dir),
    Symlink(PathBuf),
}

impl Kind {
    pub fn file_type(&self) -> FileType {
        match self {
            Kind::File(_) => FileType::File,
            Kind::Dir(_) => FileType::Directory,
            Kind::Symlink(_) => FileType::Symlink,
        }
    }
}

/// The names (parent directory, entry name) a node is reachable by.
///
/// A directory has exactly one (the root none); files and symlinks have one per hard link and
/// none once unlinked while still open. The first name is inline because almost every node has
/// exactly one: no extra allocation for the common case.
#[derive(Debug, Clone, Default)]
pub(super) struct Links {
    first: Option<(u64, Name)>,
    more: Vec<(u64, Name)>,
}

impl Links {
    pub fn one(parent: u64, name: Name) -> Self {
        Links {
            first: Some((parent, name)),
            more: Vec::new(),
        }
    }

    pub fn count(&self) -> u64 {
        u64::from(self.first.is_some()) + self.more.len() as u64
    }

    /// Any current name, for `inode_to_path`.
    pub fn any(&self) -> Option<&(u64, Name)> {
        self.first.as_ref()
    }

    pub fn add(&mut self, parent: u64, name: Name) {
        if self.first.is_none() {
            self.first = Some((parent, name));
        } else {
            self.more.push((parent, name));
        }
    }

    /// Forgets the name `name` in `parent`; O(number of links).
    pub fn remove(&mut self, parent: u64, name: &str) {
        let is = |l: &(u64, Name)| l.0 == parent && &*l.1 == name;
        if self.first.as_ref().is_some_and(is) {
            self.first = self.more.pop();
        } else if let Some(pos) = self.more.iter().position(is) {
            self.more.swap_remove(pos);
        }
    }
}

/// An inode.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub kind: Kind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub atime: SystemTime,
    pub mtime: SystemTime,
    pub ctime: SystemTime,
    pub btime: SystemTime,
    pub links: Links,
    /// Open handles (including `open_read`/`open_write` streams) keeping the data alive.
    pub open: u32,
    pub xattrs: BTreeMap<String, Vec<u8>>,
}

impl Node {
    pub fn new(kind: Kind, mode: u32, owner: (u32, u32), links: Links, now: SystemTime) -> Self {
        Node {
            kind,
            mode,
            uid: owner.0,
            gid: owner.1,
            atime: now,
            mtime: now,
            ctime: now,
            btime: now,
            links,
            open: 0,
            xattrs: BTreeMap::new(),
        }
    }

    /// Content changed: `mtime` and `ctime`.
    pub fn touch(&mut self, now: SystemTime) {
        self.mtime = now;
        self.ctime = now;
    }

    pub fn file_type(&self) -> FileType {
        self.kind.file_type()
    }

    /// POSIX link count: names for files and symlinks; `.`, the parent's entry and each
    /// child's `..` for directories.
    pub fn nlink(&self) -> u64 {
        match &self.kind {
            Kind::Dir(d) => 2 + d.subdirs,
            _ => self.links.count(),
        }
    }

    pub fn size(&self) -> u64 {
        match &self.kind {
            Kind::File(data) => data.len() as u64,
            Kind::Dir(_) => 0,
            Kind::Symlink(target) => target.as_os_str().len() as u64,
        }
    }

    /// Bytes this node charges against the filesystem's capacity.
    pub fn charged(&self) -> u64 {
        match &self.kind {
            Kind::File(data) => data.len() as u64,
            _ => 0,
        }
    }

    pub fn metadata(&self, ino: u64) -> Metadata {
        Metadata {
            inode: ino,
            nlink: self.nlink(),
            file_type: self.file_type(),
            size: self.size(),
            permissions: Permissions::from_mode(self.mode),
            uid: self.uid,
            gid: self.gid,
            created: Some(self.btime),
            modified: Some(self.mtime),
            accessed: Some(self.atime),
            changed: Some(self.ctime),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_count_and_promote_the_next_name() {
        let mut l = Links::one(1, "a".into());
        l.add(1, "b".into());
        l.add(2, "c".into());
        assert_eq!(l.count(), 3);
        l.remove(1, "a");
        assert_eq!(l.count(), 2);
        assert!(l.any().is_some());
        l.remove(9, "zz");
        assert_eq!(l.count(), 2);
        l.remove(2, "c");
        l.remove(1, "b");
        assert_eq!(l.count(), 0);
        assert!(l.any().is_none());
    }
}
