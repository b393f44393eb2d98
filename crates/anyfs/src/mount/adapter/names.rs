//! The namespace: lookup, mkdir, mknod, unlink, rmdir, rename, symlink, link, readlink.
//!
//! The kernel names a node by its parent's inode and a name; the stack's path operations get
//! `inode_to_path(parent)/name`. The kernel resolves symlinks itself (it calls `readlink` and
//! looks up the target), so the adapter never asks the stack to follow one.

use std::ffi::OsStr;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use anyfs_backend::{FsError, Metadata, Permissions};
use fuser::{Errno, FileAttr, RenameFlags};

use super::reply::{fs, to_attr, Res};
use super::Adapter;

/// The mode bits a new node gets when the caller's mode and umask are applied.
pub(super) fn new_mode(mode: u32, umask: u32) -> u32 {
    mode & !umask & 0o7777
}

impl Adapter {
    /// Refuses changes on a read-only mount (the kernel already does; this is the second wall).
    pub(super) fn writable(&self) -> Res<()> {
        if self.settings.read_only {
            Err(Errno::EROFS)
        } else {
            Ok(())
        }
    }

    /// The path of `name` in directory `parent`. Names with `/` or NUL, `.` and `..` never
    /// reach a path operation.
    pub(super) fn child(&self, parent: u64, name: &OsStr) -> Res<PathBuf> {
        let bytes = name.as_bytes();
        if bytes.is_empty() || bytes.contains(&b'/') || bytes.contains(&0) {
            return Err(Errno::EINVAL);
        }
        if bytes == b"." || bytes == b".." {
            return Err(Errno::EINVAL);
        }
        let dir = self.stack.fs().inode_to_path(parent).map_err(fs)?;
        Ok(dir.join(name))
    }

    /// The attributes of `ino`.
    pub(super) fn stat(&self, ino: u64) -> Res<(Metadata, FileAttr)> {
        let meta = self.stack.fs().metadata_by_inode(ino).map_err(fs)?;
        let attr = to_attr(ino, &meta, self.settings.owner);
        Ok((meta, attr))
    }

    /// The entry `name` in `parent` as the kernel will hold it (counted as one lookup).
    pub(super) fn entry(&self, parent: u64, name: &OsStr) -> Res<FileAttr> {
        let ino = self.stack.fs().lookup(parent, name).map_err(fs)?;
        let (_, attr) = self.stat(ino)?;
        self.inodes.looked_up(ino);
        Ok(attr)
    }

    /// Sets the mode of a node just created, when it differs from the stack's default.
    pub(super) fn apply_mode(&self, path: &std::path::Path, mode: u32, default: u32) -> Res<()> {
        if mode == default {
            return Ok(());
        }
        match self
            .stack
            .fs()
            .set_permissions(path, Permissions::from_mode(mode))
        {
            Ok(()) => Ok(()),
            // A stack without permission bits keeps its default; the node exists either way.
            Err(FsError::NotSupported { .. }) | Err(FsError::FeatureNotEnabled { .. }) => Ok(()),
            Err(e) => Err(fs(e)),
        }
    }

    pub(super) fn do_mkdir(
        &self,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
    ) -> Res<FileAttr> {
        self.writable()?;
        let path = self.child(parent, name)?;
        self.stack.fs().create_dir(&path).map_err(fs)?;
        self.apply_mode(&path, new_mode(mode, umask), 0o755)?;
        self.entry(parent, name)
    }

    /// Only regular files: devices, FIFOs and sockets have no place in the contract.
    pub(super) fn do_mknod(
        &self,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
    ) -> Res<FileAttr> {
        self.writable()?;
        if mode & 0o170_000 != 0o100_000 && mode & 0o170_000 != 0 {
            return Err(Errno::EPERM);
        }
        let path = self.child(parent, name)?;
        if self.stack.fs().lookup(parent, name).is_ok() {
            return Err(Errno::EEXIST);
        }
        self.stack.fs().write(&path, &[]).map_err(fs)?;
        self.apply_mode(&path, new_mode(mode, umask), 0o644)?;
        self.entry(parent, name)
    }

    pub(super) fn do_unlink(&self, parent: u64, name: &OsStr) -> Res<()> {
        self.writable()?;
        let path = self.child(parent, name)?;
        self.stack.fs().remove_file(&path).map_err(fs)
    }

    pub(super) fn do_rmdir(&self, parent: u64, name: &OsStr) -> Res<()> {
        self.writable()?;
        let path = self.child(parent, name)?;
        self.stack.fs().remove_dir(&path).map_err(fs)
    }

    /// `rename(2)` and `renameat2(2)`. `RENAME_NOREPLACE` is checked before the rename (the
    /// contract has no atomic form: a name created in between by another process is
    /// replaced); `RENAME_EXCHANGE` and `RENAME_WHITEOUT` answer `EINVAL`, as a filesystem
    /// without them does.
    pub(super) fn do_rename(
        &self,
        parent: u64,
        name: &OsStr,
        new_parent: u64,
        new_name: &OsStr,
        flags: RenameFlags,
    ) -> Res<()> {
        self.writable()?;
        if flags.intersects(RenameFlags::RENAME_EXCHANGE | RenameFlags::RENAME_WHITEOUT)
            || !(flags - RenameFlags::RENAME_NOREPLACE).is_empty()
        {
            return Err(Errno::EINVAL);
        }
        let from = self.child(parent, name)?;
        let to = self.child(new_parent, new_name)?;
        if flags.contains(RenameFlags::RENAME_NOREPLACE)
            && self.stack.fs().lookup(new_parent, new_name).is_ok()
        {
            return Err(Errno::EEXIST);
        }
        self.stack.fs().rename(&from, &to).map_err(fs)
    }

    pub(super) fn do_symlink(
        &self,
        parent: u64,
        name: &OsStr,
        target: &std::path::Path,
    ) -> Res<FileAttr> {
        self.writable()?;
        let path = self.child(parent, name)?;
        self.stack.fs().symlink(target, &path).map_err(fs)?;
        self.entry(parent, name)
    }

    pub(super) fn do_link(&self, ino: u64, new_parent: u64, new_name: &OsStr) -> Res<FileAttr> {
        self.writable()?;
        let fs_ = self.stack.fs();
        let original = fs_.inode_to_path(ino).map_err(fs)?;
        let link = self.child(new_parent, new_name)?;
        fs_.hard_link(&original, &link).map_err(fs)?;
        self.entry(new_parent, new_name)
    }

    pub(super) fn do_readlink(&self, ino: u64) -> Res<Vec<u8>> {
        let fs_ = self.stack.fs();
        let path = fs_.inode_to_path(ino).map_err(fs)?;
        let target = fs_.read_link(&path).map_err(fs)?;
        Ok(target.into_os_string().into_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umask_and_type_bits_are_dropped() {
        assert_eq!(new_mode(0o100_666, 0o022), 0o644);
        assert_eq!(new_mode(0o40_777, 0o027), 0o750);
        assert_eq!(new_mode(0o4755, 0), 0o4755);
    }
}
