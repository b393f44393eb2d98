//! The learned inode-to-path map behind [`FsInode`](anyfs_backend::FsInode).
//!
//! A host filesystem can go from a path to an inode (`lstat`) but not back, so the backend
//! remembers the virtual paths at which it has seen each inode (through `path_to_inode` and
//! `lookup`, the calls a FUSE kernel makes before it uses an inode number) and checks a
//! remembered path with `lstat` before trusting it. Renames made through the backend move the
//! remembered paths with them. Limits, stated in the backends' docs: an inode never seen has
//! no path (`NotFound`); a node renamed on the host by someone else is found again only once a
//! caller looks it up at its new path; memory grows with the number of distinct nodes seen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use parking_lot::RwLock;

/// Names remembered per inode (hard links); older ones are dropped first.
const MAX_NAMES: usize = 8;

/// Virtual inode number to the virtual paths it was seen at.
#[derive(Debug, Default)]
pub(crate) struct Inodes {
    paths: RwLock<HashMap<u64, Vec<PathBuf>>>,
}

impl Inodes {
    /// Remembers that `path` named inode `ino`.
    pub(crate) fn learn(&self, ino: u64, path: &Path) {
        let mut paths = self.paths.write();
        let names = paths.entry(ino).or_default();
        if names.iter().any(|p| p == path) {
            return;
        }
        if names.len() >= MAX_NAMES {
            names.remove(0);
        }
        names.push(path.to_path_buf());
    }

    /// The paths `ino` was seen at, most recent last.
    pub(crate) fn candidates(&self, ino: u64) -> Vec<PathBuf> {
        self.paths.read().get(&ino).cloned().unwrap_or_default()
    }

    /// Forgets `path` for `ino` (it no longer names that inode).
    pub(crate) fn forget(&self, ino: u64, path: &Path) {
        let mut paths = self.paths.write();
        if let Some(names) = paths.get_mut(&ino) {
            names.retain(|p| p != path);
            if names.is_empty() {
                paths.remove(&ino);
            }
        }
    }

    /// `from` was renamed to `to`: every remembered path at or below `from` moves.
    pub(crate) fn renamed(&self, from: &Path, to: &Path) {
        let mut paths = self.paths.write();
        if paths.is_empty() {
            return;
        }
        for names in paths.values_mut() {
            for name in names.iter_mut() {
                if let Ok(rest) = name.strip_prefix(from) {
                    *name = if rest.as_os_str().is_empty() {
                        to.to_path_buf()
                    } else {
                        to.join(rest)
                    };
                }
            }
        }
    }
}
