//! [`FsLink`]: symlinks, hard links and `lstat`, all acting on the entry in its parent
//! directory, so a final symlink is read or linked, never followed.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsLink, Metadata};
use rustix::fs::{linkat, statat, symlinkat, AtFlags};
use rustix::io::Errno;

use super::{error, is_dir, HostFs, Last, Resolve, VPath};

impl<R: Resolve> HostFs<R> {
    /// The parent of a link to be created at `link`: the root, `.` and `..` exist; with a
    /// trailing `/` an existing entry is `AlreadyExists` and a missing one `NotFound` (a
    /// symlink or hard link is never a directory).
    fn new_entry<'a>(&'a self, link: &VPath<'_>) -> Result<super::Parent<'a>, FsError> {
        let parent = self.parent(link, || error::exists(link.path, link.op))?;
        if link.trailing_slash {
            return match statat(&parent.dir, parent.name.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(_) => Err(error::exists(link.path, link.op)),
                Err(_) => Err(error::not_found(link.path, link.op)),
            };
        }
        Ok(parent)
    }
}

impl<R: Resolve> FsLink for HostFs<R> {
    /// Stores `original` as given (for `StdFsBackend` an absolute target is stored below the
    /// root, see its docs). An empty target is `NotFound`, as on Linux.
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "symlink";
        if original.as_os_str().is_empty() {
            return Err(error::not_found(original, OP));
        }
        if original.as_os_str().as_bytes().contains(&0) {
            return Err(FsError::InvalidPath {
                path: original.to_string_lossy().into_owned(),
                operation: OP,
                reason: "contains a NUL byte",
            });
        }
        let link = VPath::parse(link, OP)?;
        let parent = self.new_entry(&link)?;
        let stored = self.resolver.store_target(&self.root, original);
        symlinkat(stored.as_path(), &parent.dir, parent.name.as_str()).map_err(|e| link.err(e))
    }

    /// Links the entry `original` names itself (a symlink is linked, not followed, as Linux
    /// `link(2)` does). Both entries are reached through the resolver, so neither side can be
    /// outside what the resolver allows. Directories are `NotAFile`.
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        const OP: &str = "hard_link";
        let src = VPath::parse(original, OP)?;
        let dst = VPath::parse(link, OP)?;
        if src.trailing_slash || !matches!(src.last, Last::Name(_)) {
            // Names a directory (or fails to resolve): never linkable.
            self.require_dir(&src)?;
            return Err(error::is_dir(src.path, OP));
        }
        let src_parent = self.parent(&src, || error::is_dir(src.path, OP))?;
        let dst_parent = self.new_entry(&dst)?;
        linkat(
            &src_parent.dir,
            src_parent.name.as_str(),
            &dst_parent.dir,
            dst_parent.name.as_str(),
            AtFlags::empty(),
        )
        .map_err(|e| match e {
            Errno::PERM => {
                match statat(
                    &src_parent.dir,
                    src_parent.name.as_str(),
                    AtFlags::SYMLINK_NOFOLLOW,
                ) {
                    Ok(stat) if is_dir(&stat) => error::is_dir(src.path, OP),
                    _ => src.err(e),
                }
            }
            Errno::EXIST => dst.err(e),
            Errno::XDEV => FsError::CrossDevice {
                from: original.to_path_buf(),
                to: link.to_path_buf(),
                operation: OP,
            },
            e => src.err(e),
        })
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        let path = VPath::parse(path, "read_link")?;
        if path.trailing_slash || !matches!(path.last, Last::Name(_)) {
            // Resolves to a directory, if anything.
            self.require_dir(&path)?;
            return Err(error::invalid(path.op, "not a symbolic link"));
        }
        self.read_target(&path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let path = VPath::parse(path, "symlink_metadata")?;
        let stat = self.stat(&path, false)?;
        self.metadata_of(&stat, &path)
    }
}
