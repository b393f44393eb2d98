//! Attributes: getattr, setattr (chmod, chown, truncate, utimens), access, statfs.

use std::time::SystemTime;

use anyfs_backend::{FileType, FsError, Permissions};
use fuser::{AccessFlags, Errno, FileAttr, TimeOrNow};

use super::reply::{fs, to_statfs, to_time, Res};
use super::Adapter;

/// What one `setattr` asks for (the fields the kernel sent).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Changes {
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub size: Option<u64>,
    pub atime: Option<TimeOrNow>,
    pub mtime: Option<TimeOrNow>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.mode.is_none()
            && self.uid.is_none()
            && self.gid.is_none()
            && self.size.is_none()
            && self.atime.is_none()
            && self.mtime.is_none()
    }
}

impl Adapter {
    pub(super) fn do_getattr(&self, ino: u64) -> Res<FileAttr> {
        self.stat(ino).map(|(_, attr)| attr)
    }

    /// Applies the changes in a fixed order (size, mode, owner, times) and answers the new
    /// attributes. The contract's setters follow a final symlink, so on a symlink the owner
    /// and times are left as they are (as `lchown`/`lutimes` on a filesystem that cannot
    /// change them) rather than changed on the target; `chmod` never reaches a symlink.
    pub(super) fn do_setattr(&self, ino: u64, c: Changes) -> Res<FileAttr> {
        if c.is_empty() {
            return self.do_getattr(ino);
        }
        self.writable()?;
        let fs_ = self.stack.fs();
        let (meta, _) = self.stat(ino)?;
        let path = fs_.inode_to_path(ino).map_err(fs)?;
        let symlink = meta.file_type == FileType::Symlink;
        if let Some(size) = c.size {
            if meta.file_type != FileType::File {
                return Err(if meta.is_dir() {
                    Errno::EISDIR
                } else {
                    Errno::EINVAL
                });
            }
            fs_.truncate(&path, size).map_err(fs)?;
        }
        if let (Some(mode), false) = (c.mode, symlink) {
            fs_.set_permissions(&path, Permissions::from_mode(mode))
                .map_err(fs)?;
        }
        if (c.uid.is_some() || c.gid.is_some()) && !symlink {
            let uid = c.uid.filter(|u| *u != meta.uid);
            let gid = c.gid.filter(|g| *g != meta.gid);
            if uid.is_some() || gid.is_some() {
                fs_.set_owner(&path, uid, gid).map_err(fs)?;
            }
        }
        if (c.atime.is_some() || c.mtime.is_some()) && !symlink {
            let atime: Option<SystemTime> = c.atime.map(to_time);
            let mtime: Option<SystemTime> = c.mtime.map(to_time);
            fs_.set_times(&path, atime, mtime).map_err(fs)?;
        }
        self.do_getattr(ino)
    }

    /// `access(2)`, asked only when `default_permissions` is off: existence, `EROFS` for
    /// writes to a read-only mount, and the mode bits for the caller (root passes all but
    /// execute on a file with no execute bit).
    pub(super) fn do_access(&self, ino: u64, mask: AccessFlags, uid: u32, gid: u32) -> Res<()> {
        let (meta, attr) = self.stat(ino)?;
        if mask.contains(AccessFlags::W_OK) && self.settings.read_only {
            return Err(Errno::EROFS);
        }
        let want = mask & (AccessFlags::R_OK | AccessFlags::W_OK | AccessFlags::X_OK);
        if want.is_empty() {
            return Ok(());
        }
        let mode = u32::from(attr.perm);
        if uid == 0 {
            let needs_x = want.contains(AccessFlags::X_OK) && !meta.is_dir();
            return if needs_x && mode & 0o111 == 0 {
                Err(Errno::EACCES)
            } else {
                Ok(())
            };
        }
        let bits = if uid == attr.uid {
            mode >> 6
        } else if gid == attr.gid {
            mode >> 3
        } else {
            mode
        } & 0o7;
        let need = u32::try_from(want.bits()).unwrap_or(0o7) & 0o7;
        if bits & need == need {
            Ok(())
        } else {
            Err(Errno::EACCES)
        }
    }

    pub(super) fn do_statfs(&self) -> Res<(u64, u64, u64, u64, u64, u32, u32)> {
        match self.stack.fs().statfs() {
            Ok(s) => Ok(to_statfs(&s)),
            // `df` still works over a stack that cannot count: report an empty filesystem.
            Err(FsError::NotSupported { .. }) => Ok((0, 0, 0, 0, 0, 4096, 255)),
            Err(e) => Err(fs(e)),
        }
    }
}
