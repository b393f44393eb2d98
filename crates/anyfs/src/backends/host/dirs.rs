//! [`FsDir`]: listings with `getdents`, directory creation and removal in the parent the
//! resolver opened, and a recursive removal that never follows a symlink.

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyfs_backend::{DirEntry, FsDir, FsError};
use rustix::fs::{
    mkdirat, openat, statat, unlinkat, AtFlags, Dir, FileType as HostType, Mode, OFlags,
};
use rustix::io::Errno;

use super::{error, is_dir, meta, HostFs, Last, Resolve, VPath};

/// Mode of new directories before the umask.
const DIR_MODE: Mode = Mode::from_raw_mode(0o777);

impl<R: Resolve> HostFs<R> {
    /// `mkdirat` of one directory; the root, `.` and `..` already exist.
    fn mkdir(&self, path: &VPath<'_>) -> Result<(), FsError> {
        let parent = match path.last {
            Last::Name(_) => self.resolver.parent(&self.root, path)?,
            Last::Root | Last::Dot => {
                self.stat(path, true)?;
                return Err(error::exists(path.path, path.op));
            }
        };
        mkdirat(&parent.dir, parent.name.as_str(), DIR_MODE).map_err(|e| path.err(e))
    }
}

impl<R: Resolve> FsDir for HostFs<R> {
    /// In the host's `getdents` order, which is stable while the directory does not change.
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        let path = VPath::parse(path, "read_dir")?;
        let fd = self.open(&path, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
        let mut dir = Dir::new(fd).map_err(|e| path.err(e))?;
        let mut entries = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry.map_err(|e| path.err(e))?;
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            let file_type = match entry.file_type() {
                HostType::Unknown => {
                    let fd = dir.fd().map_err(|e| path.err(e))?;
                    let stat =
                        statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| path.err(e))?;
                    meta::file_type(HostType::from_raw_mode(stat.st_mode))
                }
                known => meta::file_type(known),
            };
            entries.push(DirEntry {
                name: OsStr::from_bytes(name.to_bytes()).to_os_string(),
                inode: self.root.virtual_ino(self.root.dev, entry.ino()),
                file_type,
            });
        }
        Ok(entries)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.mkdir(&VPath::parse(path, "create_dir")?)
    }

    /// One `mkdirat` per missing component, from the top; a component that already exists as
    /// a directory (or a symlink to one) is fine, so concurrent calls on one path all succeed.
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let path = VPath::parse(path, "create_dir_all")?;
        if let Ok(stat) = self.stat(&path, true) {
            return if is_dir(&stat) {
                Ok(())
            } else {
                Err(error::exists(path.path, path.op))
            };
        }
        let text = path.text.trim_end_matches('/');
        let ends: Vec<usize> = text
            .match_indices('/')
            .map(|(i, _)| i)
            .skip(1)
            .chain(std::iter::once(text.len()))
            .collect();
        let last = ends.len().saturating_sub(1);
        for (i, end) in ends.into_iter().enumerate() {
            let Some(prefix) = text.get(..end) else {
                continue;
            };
            if prefix.ends_with('/') || prefix.is_empty() {
                continue; // `//` in the middle of the path
            }
            let step = path.with_text(prefix);
            match self.mkdir(&step) {
                Ok(()) => {}
                Err(FsError::AlreadyExists { .. }) => match self.stat(&step, true) {
                    Ok(stat) if is_dir(&stat) => {}
                    Ok(_) if i == last => return Err(error::exists(path.path, path.op)),
                    Ok(_) => return Err(error::not_dir(path.path, path.op)),
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        let path = VPath::parse(path, "remove_dir")?;
        let parent = match path.last {
            Last::Root => return Err(error::root_busy(path.op)),
            Last::Dot => return Err(error::invalid(path.op, "cannot remove . or ..")),
            Last::Name(_) => self.resolver.parent(&self.root, &path)?,
        };
        unlinkat(&parent.dir, parent.name.as_str(), AtFlags::REMOVEDIR).map_err(|e| path.err(e))
    }

    /// Removes the tree through directory descriptors opened `O_NOFOLLOW` one level at a time,
    /// so a symlink inside (or one swapped in meanwhile) is removed, never followed. Holds one
    /// descriptor per level of depth.
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let path = VPath::parse(path, "remove_dir_all")?;
        let parent = match path.last {
            Last::Root => return Err(error::root_busy(path.op)),
            Last::Dot => return Err(error::invalid(path.op, "cannot remove . or ..")),
            Last::Name(_) => self.resolver.parent(&self.root, &path)?,
        };
        let name = CString::new(parent.name.as_bytes())
            .map_err(|_| error::invalid(path.op, "name contains NUL"))?;
        let stat = statat(&parent.dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
            .map_err(|e| path.err(e))?;
        if !is_dir(&stat) {
            return Err(error::not_dir(path.path, path.op));
        }
        remove_tree(parent.dir.as_fd(), name).map_err(|e| path.err(e))
    }
}

/// A directory being emptied: its descriptor, its name in its parent, the subdirectories still
/// to empty.
struct Level {
    fd: OwnedFd,
    name: CString,
    subdirs: Vec<CString>,
}

/// Removes directory `name` of `parent` and everything below it, depth first, with an explicit
/// stack (no recursion): O(entries) system calls.
fn remove_tree(parent: BorrowedFd<'_>, name: CString) -> Result<(), Errno> {
    let mut stack = vec![open_level(parent, name)?];
    while let Some(level) = stack.last_mut() {
        if let Some(sub) = level.subdirs.pop() {
            let next = match open_level(level.fd.as_fd(), sub) {
                Ok(next) => next,
                Err(Errno::NOENT) => continue, // removed meanwhile
                Err(e) => return Err(e),
            };
            stack.push(next);
            continue;
        }
        let Some(done) = stack.pop() else { break };
        let holder = stack.last().map_or(parent, |l| l.fd.as_fd());
        match unlinkat(holder, done.name.as_c_str(), AtFlags::REMOVEDIR) {
            Ok(()) | Err(Errno::NOENT) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Opens directory `name` of `parent` without following a symlink, unlinks every non-directory
/// in it and lists its subdirectories.
fn open_level(parent: BorrowedFd<'_>, name: CString) -> Result<Level, Errno> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = openat(parent, name.as_c_str(), flags, Mode::empty())?;
    let mut subdirs = Vec::new();
    let mut dir = Dir::read_from(&fd)?;
    while let Some(entry) = dir.read() {
        let entry = entry?;
        let child: &CStr = entry.file_name();
        if matches!(child.to_bytes(), b"." | b"..") {
            continue;
        }
        let is_subdir = match entry.file_type() {
            HostType::Directory => true,
            HostType::Unknown => match statat(&fd, child, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => is_dir(&stat),
                Err(Errno::NOENT) => continue,
                Err(e) => return Err(e),
            },
            _ => false,
        };
        if is_subdir {
            subdirs.push(child.to_owned());
        } else {
            match unlinkat(&fd, child, AtFlags::empty()) {
                Ok(()) | Err(Errno::NOENT) => {}
                // Replaced by a directory meanwhile: empty it too.
                Err(Errno::ISDIR) => subdirs.push(child.to_owned()),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(Level { fd, name, subdirs })
}
