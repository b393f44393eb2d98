//! The contract traits for [`DryRun`]: mutations recorded, everything else forwarded.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::{
    DirEntry, FsDir, FsError, FsHandles, FsLink, FsLock, FsPermissions, FsWrite, FsXattr, Handle,
    LockType, Metadata, OpenFlags, Permissions,
};

use super::handles::{is_recorded, Recorded};
use super::{DryRun, Operation, Recording};
use crate::middleware::forward::{forward, Access};

forward!(DryRun.inner => FsRead, FsSync, FsStats, FsInode, FsPath, SelfResolving);

fn owned(path: &Path) -> PathBuf {
    path.to_path_buf()
}

impl<B: FsWrite> FsWrite for DryRun<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.record("write", &[path], || Operation::Write {
            path: owned(path),
            size: data.len() as u64,
        })
        .map(drop)
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.record("append", &[path], || Operation::Append {
            path: owned(path),
            size: data.len() as u64,
        })
        .map(drop)
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.record("remove_file", &[path], || Operation::RemoveFile {
            path: owned(path),
        })
        .map(drop)
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.record("rename", &[from, to], || Operation::Rename {
            from: owned(from),
            to: owned(to),
        })
        .map(drop)
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.record("copy", &[from, to], || Operation::Copy {
            from: owned(from),
            to: owned(to),
        })
        .map(drop)
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        self.record("truncate", &[path], || Operation::Truncate {
            path: owned(path),
            size,
        })
        .map(drop)
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let seq = self.record("open_write", &[path], || Operation::OpenWrite {
            path: owned(path),
            size: 0,
        })?;
        Ok(Box::new(DiscardingWriter {
            recording: self.recording.clone(),
            seq,
            written: 0,
        }))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        self.record("set_times", &[path], || Operation::SetTimes {
            path: owned(path),
            accessed,
            modified,
        })
        .map(drop)
    }
}

/// The stream `open_write` returns: it discards the bytes and keeps the recorded operation's
/// size current.
struct DiscardingWriter {
    recording: Recording,
    seq: u64,
    written: u64,
}

impl Write for DiscardingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written = self.written.saturating_add(buf.len() as u64);
        let written = self.written;
        self.recording.update(self.seq, |op| {
            if let Operation::OpenWrite { size, .. } = op {
                *size = written;
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<B: FsDir> FsDir for DryRun<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        self.inner.read_dir(path)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.record("create_dir", &[path], || Operation::CreateDir {
            path: owned(path),
        })
        .map(drop)
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.record("create_dir_all", &[path], || Operation::CreateDirAll {
            path: owned(path),
        })
        .map(drop)
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        self.record("remove_dir", &[path], || Operation::RemoveDir {
            path: owned(path),
        })
        .map(drop)
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.record("remove_dir_all", &[path], || Operation::RemoveDirAll {
            path: owned(path),
        })
        .map(drop)
    }
}

impl<B: FsLink> FsLink for DryRun<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        // The target is stored as given (it may be relative), so only the link is validated.
        self.record("symlink", &[link], || Operation::Symlink {
            original: owned(original),
            link: owned(link),
        })
        .map(drop)
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        self.record("hard_link", &[original, link], || Operation::HardLink {
            original: owned(original),
            link: owned(link),
        })
        .map(drop)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.inner.read_link(path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.inner.symlink_metadata(path)
    }
}

impl<B: FsPermissions> FsPermissions for DryRun<B> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        self.record("set_permissions", &[path], || Operation::SetPermissions {
            path: owned(path),
            mode: perm.mode(),
        })
        .map(drop)
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        self.record("set_owner", &[path], || Operation::SetOwner {
            path: owned(path),
            uid,
            gid,
        })
        .map(drop)
    }
}

impl<B: FsXattr> FsXattr for DryRun<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        self.inner.get_xattr(path, name)
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        self.record("set_xattr", &[path], || Operation::SetXattr {
            path: owned(path),
            name: name.to_owned(),
            size: value.len() as u64,
        })
        .map(drop)
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        self.record("remove_xattr", &[path], || Operation::RemoveXattr {
            path: owned(path),
            name: name.to_owned(),
        })
        .map(drop)
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        self.inner.list_xattr(path)
    }
}

impl<B: FsHandles> DryRun<B> {
    /// A read-only inner handle on `path` when it names an existing file, for the reads and
    /// locks of a recorded handle.
    fn reader_for(&self, path: &Path) -> Option<Handle> {
        self.inner.open(path, OpenFlags::READ).ok()
    }
}

impl<B: FsHandles> FsHandles for DryRun<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        if Access::of_open(flags) != Access::Write {
            return self.inner.open(path, flags);
        }
        self.record("open", &[path], || Operation::Open {
            path: owned(path),
            flags,
        })?;
        Ok(self.handles.insert(Recorded {
            path: owned(path),
            flags,
            inner: self.reader_for(path),
        }))
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        if !is_recorded(handle) {
            return self.inner.read_at(handle, buf, offset);
        }
        let recorded = self.handles.get(handle, "read_at")?;
        if !recorded.flags.readable() {
            return Err(FsError::HandleAccess {
                handle: handle.raw(),
                operation: "read_at",
                access: "reading",
            });
        }
        match recorded.inner {
            Some(inner) => self.inner.read_at(inner, buf, offset),
            None => Ok(0),
        }
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        if !is_recorded(handle) {
            return self.inner.write_at(handle, data, offset);
        }
        let recorded = self.handles.get(handle, "write_at")?;
        if !recorded.flags.writable() {
            return Err(FsError::HandleAccess {
                handle: handle.raw(),
                operation: "write_at",
                access: "writing",
            });
        }
        self.recording.push(Operation::WriteAt {
            path: recorded.path,
            offset,
            size: data.len() as u64,
        });
        Ok(data.len())
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        if !is_recorded(handle) {
            return self.inner.close(handle);
        }
        let recorded = self.handles.remove(handle)?;
        match recorded.inner {
            Some(inner) => self.inner.close(inner),
            None => Ok(()),
        }
    }
}

impl<B: FsLock + FsHandles> FsLock for DryRun<B> {
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        if !is_recorded(handle) {
            return self.inner.lock(handle, lock);
        }
        match self.handles.get(handle, "lock")?.inner {
            Some(inner) => self.inner.lock(inner, lock),
            None => Ok(()),
        }
    }

    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        if !is_recorded(handle) {
            return self.inner.try_lock(handle, lock);
        }
        match self.handles.get(handle, "try_lock")?.inner {
            Some(inner) => self.inner.try_lock(inner, lock),
            None => Ok(true),
        }
    }

    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        if !is_recorded(handle) {
            return self.inner.unlock(handle);
        }
        match self.handles.get(handle, "unlock")?.inner {
            Some(inner) => self.inner.unlock(inner),
            None => Ok(()),
        }
    }
}
