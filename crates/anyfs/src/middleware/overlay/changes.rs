//! What the upper layer changed ([`Overlay::diff`]), applying it elsewhere
//! ([`Overlay::commit`]) and dropping it ([`Overlay::discard`]).

use std::io;
use std::path::{Path, PathBuf};

use anyfs_backend::{FileType, FsError, FsFull, FsRead, Metadata};

use super::names::{is_reserved, join};
use super::Overlay;

/// One difference between the overlay and its base, as [`Overlay::diff`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// The path exists in the overlay but not in the base.
    Added(PathBuf),
    /// The path exists in both, with the same type; the overlay's version lives in the upper
    /// layer (a file written, appended, truncated, copied over, or with changed attributes; a
    /// directory whose permissions or owner changed).
    Modified(PathBuf),
    /// The path exists in the base but was deleted in the overlay (a whiteout).
    Deleted(PathBuf),
    /// The overlay's node hides the base's node wholesale: a directory removed and created
    /// again (opaque: nothing of the base's directory shows through; its entries in the overlay
    /// are listed as `Added`), or a node whose type changed.
    Replaced(PathBuf),
}

impl Change {
    /// The path the change is about.
    pub fn path(&self) -> &Path {
        match self {
            Change::Added(p) | Change::Modified(p) | Change::Deleted(p) | Change::Replaced(p) => p,
        }
    }
}

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// Every difference between the overlay and its base, sorted by path (a directory before
    /// its entries). Walks the upper layer only: O(size of the upper layer), plus one base
    /// lookup per upper entry; the base's size does not matter.
    ///
    /// ```
    /// use std::path::{Path, PathBuf};
    /// use anyfs::middleware::overlay::{Change, Overlay};
    /// use anyfs::{FsDir, FsWrite, MemoryBackend};
    ///
    /// let base = MemoryBackend::new();
    /// base.write(Path::new("/keep"), b"k")?;
    /// base.write(Path::new("/edit"), b"e")?;
    /// base.create_dir_all(Path::new("/big/tree"))?;
    /// let fs = Overlay::new(base, MemoryBackend::new());
    /// fs.write(Path::new("/edit"), b"E")?;
    /// fs.write(Path::new("/new"), b"n")?;
    /// fs.remove_dir_all(Path::new("/big"))?;
    /// assert_eq!(fs.diff()?, vec![
    ///     Change::Deleted(PathBuf::from("/big")),
    ///     Change::Modified(PathBuf::from("/edit")),
    ///     Change::Added(PathBuf::from("/new")),
    /// ]);
    /// # Ok::<(), anyfs::FsError>(())
    /// ```
    pub fn diff(&self) -> Result<Vec<Change>, FsError> {
        let mut out = Vec::new();
        let root = Path::new("/");
        let sees_base = !self.is_opaque(root);
        if !sees_base {
            out.push(Change::Replaced(PathBuf::from("/")));
        }
        self.diff_dir(root, sees_base, &mut out)?;
        out.sort_by(|a, b| a.path().cmp(b.path()).then_with(|| a.cmp(b)));
        Ok(out)
    }

    fn diff_dir(&self, dir: &Path, sees_base: bool, out: &mut Vec<Change>) -> Result<(), FsError> {
        for e in self.upper.read_dir(dir)? {
            let Some(name) = e.name.to_str() else {
                continue;
            };
            if is_reserved(name) {
                // Markers and scratch names are reserved too; only whiteouts of base entries
                // count.
                if let Some(hidden) = self.whiteout_target(dir, name)? {
                    let path = join(dir, &hidden);
                    if sees_base && self.base_entry(&path)?.is_some() {
                        out.push(Change::Deleted(path));
                    }
                }
                continue;
            }
            let path = join(dir, name);
            let base = if sees_base {
                self.base_entry(&path)?
            } else {
                None
            };
            match (e.file_type, base) {
                (FileType::Directory, Some(b)) if b.is_dir() => {
                    if self.is_opaque(&path) {
                        out.push(Change::Replaced(path.clone()));
                        self.diff_dir(&path, false, out)?;
                    } else {
                        let m = self.upper.symlink_metadata(&path)?;
                        if m.permissions != b.permissions || (m.uid, m.gid) != (b.uid, b.gid) {
                            out.push(Change::Modified(path.clone()));
                        }
                        self.diff_dir(&path, true, out)?;
                    }
                }
                (FileType::Directory, Some(_)) => {
                    out.push(Change::Replaced(path.clone()));
                    self.diff_dir(&path, false, out)?;
                }
                (FileType::Directory, None) => {
                    out.push(Change::Added(path.clone()));
                    self.diff_dir(&path, false, out)?;
                }
                (ty, Some(b)) if b.file_type == ty => out.push(Change::Modified(path)),
                (_, Some(_)) => out.push(Change::Replaced(path)),
                (_, None) => out.push(Change::Added(path)),
            }
        }
        Ok(())
    }

    /// Applies the overlay's changes ([`diff`](Overlay::diff)) onto `target`, typically the
    /// base itself (`overlay.commit(overlay.base())`) or another backend holding a copy of it,
    /// and returns them. Deleted and replaced paths are removed from `target`; added and
    /// modified ones are written with the overlay's content and permissions (files are
    /// streamed, O(1) memory). Hard links within the upper layer arrive as separate copies.
    ///
    /// Not atomic: an error stops it part way, and the changes are not dropped from the
    /// overlay (call [`discard`](Overlay::discard) after a successful commit onto the base).
    pub fn commit<T: FsFull + ?Sized>(&self, target: &T) -> Result<Vec<Change>, FsError> {
        let changes = self.diff()?;
        for change in &changes {
            match change {
                Change::Deleted(path) => remove_any(target, path)?,
                Change::Replaced(path) => {
                    if path.as_os_str() == "/" {
                        for e in target.read_dir(path)? {
                            remove_any(target, &path.join(&e.name))?;
                        }
                    } else {
                        remove_any(target, path)?;
                        self.materialize(target, path)?;
                    }
                }
                Change::Added(path) | Change::Modified(path) => self.materialize(target, path)?,
            }
        }
        Ok(changes)
    }

    /// Writes the overlay's node at `path` into `target`.
    fn materialize<T: FsFull + ?Sized>(&self, target: &T, path: &Path) -> Result<(), FsError> {
        let m: Metadata = anyfs_backend::FsLink::symlink_metadata(self, path)?;
        let existing = match target.symlink_metadata(path) {
            Ok(t) => Some(t),
            Err(FsError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        match m.file_type {
            FileType::Directory => {
                match existing {
                    Some(t) if t.is_dir() => {}
                    Some(_) => {
                        target.remove_file(path)?;
                        target.create_dir(path)?;
                    }
                    None => target.create_dir(path)?,
                }
                target.set_permissions(path, m.permissions)
            }
            FileType::Symlink => {
                if existing.is_some() {
                    remove_any(target, path)?;
                }
                let link = anyfs_backend::FsLink::read_link(self, path)?;
                target.symlink(&link, path)
            }
            FileType::File => {
                if existing.is_some_and(|t| !t.is_file()) {
                    remove_any(target, path)?;
                }
                let mut reader = FsRead::open_read(self, path)?;
                let mut writer = target.open_write(path)?;
                io::copy(&mut reader, &mut writer).map_err(|e| FsError::io("commit", path, e))?;
                io::Write::flush(&mut writer).map_err(|e| FsError::io("commit", path, e))?;
                drop(writer);
                target.set_permissions(path, m.permissions)
            }
        }
    }

    /// Drops every change: empties the upper layer, so the overlay shows the base again.
    /// O(size of the upper layer).
    pub fn discard(&self) -> Result<(), FsError> {
        let root = Path::new("/");
        for e in self.upper.read_dir(root)? {
            remove_any(&self.upper, &root.join(&e.name))?;
        }
        Ok(())
    }
}

/// Removes whatever is at `path` (a directory with its content), if anything.
fn remove_any<T: FsFull + ?Sized>(target: &T, path: &Path) -> Result<(), FsError> {
    match target.symlink_metadata(path) {
        Ok(m) if m.is_dir() => target.remove_dir_all(path),
        Ok(_) => target.remove_file(path),
        Err(FsError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
