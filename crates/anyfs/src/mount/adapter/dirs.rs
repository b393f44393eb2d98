//! Directory listings: `opendir` takes one snapshot of the directory, `readdir` and
//! `readdirplus` page through it by offset, `releasedir` drops it.
//!
//! A snapshot makes offsets stable while the directory changes and keeps a listing of `n`
//! entries O(n) in total, however many pages the kernel asks for (re-reading the directory
//! for every page would be O(n²)). Entries created after `opendir` show at the next `opendir`,
//! as on a disk filesystem after `rewinddir`.
//!
//! Offsets: `1` is after `.`, `2` after `..`, `k + 3` after entry `k`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyfs_backend::{DirEntry, FileType, ROOT_INODE};
use fuser::{Errno, FileHandle, Generation, INodeNo, ReplyDirectory, ReplyDirectoryPlus};
use parking_lot::Mutex;
use rustc_hash::FxHashMap;

use super::reply::{fs, to_attr, Res};
use super::Adapter;

/// One open directory.
#[derive(Debug)]
pub(super) struct Listing {
    /// The directory's own inode (`.`).
    ino: u64,
    /// Its parent's inode (`..`; the root is its own parent).
    parent: u64,
    entries: Vec<DirEntry>,
}

/// The open directories, by handle.
#[derive(Debug, Default)]
pub(super) struct DirTable {
    next: AtomicU64,
    open: Mutex<FxHashMap<u64, Arc<Listing>>>,
}

impl DirTable {
    fn insert(&self, listing: Listing) -> u64 {
        // Handle 0 is never used so a zero `fh` cannot name a listing by accident.
        let fh = self.next.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        self.open.lock().insert(fh, Arc::new(listing));
        fh
    }

    pub(super) fn get(&self, fh: u64) -> Option<Arc<Listing>> {
        self.open.lock().get(&fh).cloned()
    }

    pub(super) fn remove(&self, fh: u64) {
        self.open.lock().remove(&fh);
    }

    pub(super) fn clear(&self) {
        self.open.lock().clear();
    }
}

fn kind(t: FileType) -> fuser::FileType {
    match t {
        FileType::File => fuser::FileType::RegularFile,
        FileType::Directory => fuser::FileType::Directory,
        FileType::Symlink => fuser::FileType::Symlink,
    }
}

/// One row of a page: offset after it, inode, name, type.
pub(super) struct Row<'a> {
    next: u64,
    ino: u64,
    pub(super) name: &'a std::ffi::OsStr,
    kind: FileType,
    /// `.` and `..` are not counted as lookups by the kernel.
    dots: bool,
}

impl Listing {
    /// The rows from `offset` on.
    pub(super) fn rows(&self, offset: u64) -> impl Iterator<Item = Row<'_>> {
        let dots = [
            (1, self.ino, std::ffi::OsStr::new(".")),
            (2, self.parent, std::ffi::OsStr::new("..")),
        ];
        let dots = dots.into_iter().map(|(next, ino, name)| Row {
            next,
            ino,
            name,
            kind: FileType::Directory,
            dots: true,
        });
        let entries = self.entries.iter().zip(3u64..).map(|(e, next)| Row {
            next,
            ino: e.inode,
            name: &e.name,
            kind: e.file_type,
            dots: false,
        });
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        dots.chain(entries).skip(skip)
    }
}

impl Adapter {
    pub(super) fn do_opendir(&self, ino: u64) -> Res<u64> {
        let fs = self.stack.fs();
        let path = fs.inode_to_path(ino).map_err(fs_dir)?;
        let entries = fs.read_dir(&path).map_err(fs_dir)?;
        let parent = match path.parent() {
            Some(p) if ino != ROOT_INODE => fs.path_to_inode(p).unwrap_or(ino),
            _ => ino,
        };
        Ok(self.dirs.insert(Listing {
            ino,
            parent,
            entries,
        }))
    }

    fn listing(&self, ino: u64, fh: u64) -> Res<Arc<Listing>> {
        match self.dirs.get(fh) {
            Some(l) => Ok(l),
            // Not opened through us (should not happen): list now.
            None => {
                let fh = self.do_opendir(ino)?;
                let l = self.dirs.get(fh).ok_or(Errno::EIO);
                self.dirs.remove(fh);
                l
            }
        }
    }

    pub(super) fn do_readdir(
        &self,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let listing = match self.listing(ino.0, fh.0) {
            Ok(l) => l,
            Err(e) => return reply.error(e),
        };
        for row in listing.rows(offset) {
            if reply.add(INodeNo(row.ino), row.next, kind(row.kind), row.name) {
                break;
            }
        }
        reply.ok();
    }

    pub(super) fn do_readdirplus(
        &self,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectoryPlus,
    ) {
        let listing = match self.listing(ino.0, fh.0) {
            Ok(l) => l,
            Err(e) => return reply.error(e),
        };
        let fs = self.stack.fs();
        for row in listing.rows(offset) {
            // An entry removed since opendir is left out rather than failing the page.
            let Ok(meta) = fs.metadata_by_inode(row.ino) else {
                continue;
            };
            let attr = to_attr(row.ino, &meta, self.settings.owner);
            let full = reply.add(
                INodeNo(row.ino),
                row.next,
                row.name,
                &self.settings.entry_ttl,
                &attr,
                Generation(0),
            );
            if full {
                break;
            }
            if !row.dots {
                self.inodes.looked_up(row.ino);
            }
        }
        reply.ok();
    }
}

/// Directory errors never use `ENOSYS` (it would turn `opendir` off for the whole mount).
fn fs_dir(e: anyfs_backend::FsError) -> Errno {
    match fs(e) {
        Errno::ENOSYS => Errno::EOPNOTSUPP,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, inode: u64) -> DirEntry {
        DirEntry {
            name: name.into(),
            inode,
            file_type: FileType::File,
        }
    }

    #[test]
    fn rows_page_by_offset() {
        let l = Listing {
            ino: 5,
            parent: 1,
            entries: vec![entry("a", 10), entry("b", 11)],
        };
        let all: Vec<_> = l.rows(0).map(|r| (r.next, r.ino, r.dots)).collect();
        assert_eq!(
            all,
            [(1, 5, true), (2, 1, true), (3, 10, false), (4, 11, false)]
        );
        let rest: Vec<_> = l.rows(3).map(|r| r.name.to_owned()).collect();
        assert_eq!(rest, ["b"]);
        assert_eq!(l.rows(4).count(), 0);
        assert_eq!(l.rows(u64::MAX).count(), 0);
    }

    #[test]
    fn handles_are_never_zero_and_are_dropped() {
        let t = DirTable::default();
        let fh = t.insert(Listing {
            ino: 1,
            parent: 1,
            entries: vec![],
        });
        assert_ne!(fh, 0);
        assert!(t.get(fh).is_some());
        t.remove(fh);
        assert!(t.get(fh).is_none());
    }
}
