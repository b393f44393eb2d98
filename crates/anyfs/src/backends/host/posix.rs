//! [`FsHandles`], [`FsLock`], [`FsXattr`]: handles are real host files (`pread`/`pwrite`),
//! locks are `flock(2)` on them, attributes are the host's extended attributes.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyfs_backend::{FsError, FsHandles, FsLock, FsXattr, Handle, LockType, OpenFlags};
use rustix::fs::{flock, fstat, FlockOperation, Mode, OFlags};
use rustix::io::Errno;

use super::files::read_full_at;
use super::{error, is_dir, HostFs, Resolve, VPath};

/// The path used in errors about a handle (it has no path of its own any more).
fn handle_path(handle: Handle) -> PathBuf {
    PathBuf::from(format!("<handle {}>", handle.0))
}

fn open_flags(flags: OpenFlags) -> OFlags {
    let mut out = match (flags.readable(), flags.writable()) {
        (true, true) => OFlags::RDWR,
        (false, true) => OFlags::WRONLY,
        _ => OFlags::RDONLY,
    };
    if flags.contains(OpenFlags::CREATE) {
        out |= OFlags::CREATE;
        if flags.contains(OpenFlags::EXCLUSIVE) {
            out |= OFlags::EXCL;
        }
    }
    if flags.contains(OpenFlags::TRUNCATE) {
        out |= OFlags::TRUNC;
    }
    if flags.contains(OpenFlags::APPEND) {
        out |= OFlags::APPEND;
    }
    out
}

impl<R: Resolve> FsHandles for HostFs<R> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        let path = VPath::parse(path, "open")?;
        let fd = HostFs::open(self, &path, open_flags(flags), Mode::from_raw_mode(0o666))?;
        let stat = fstat(&fd).map_err(|e| path.err(e))?;
        if is_dir(&stat) {
            return Err(error::is_dir(path.path, path.op));
        }
        Ok(self.handles.insert(File::from(fd), flags))
    }

    /// `pread` until `buf` is full or the end of the file.
    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        const OP: &str = "read_at";
        let open = self.handles.get(handle, OP)?;
        if !open.flags.readable() {
            return Err(FsError::HandleAccess {
                handle: handle.0,
                operation: OP,
                access: "reading",
            });
        }
        read_full_at(&open.file, buf, offset).map_err(|e| error::io(OP, &handle_path(handle), e))
    }

    /// `pwrite` of all of `data`; on an `APPEND` handle one `O_APPEND` write at the end.
    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        const OP: &str = "write_at";
        let open = self.handles.get(handle, OP)?;
        if !open.flags.writable() {
            return Err(FsError::HandleAccess {
                handle: handle.0,
                operation: OP,
                access: "writing",
            });
        }
        let result = if open.flags.contains(OpenFlags::APPEND) {
            (&open.file).write_all(data)
        } else {
            open.file.write_all_at(data, offset)
        };
        result
            .map(|()| data.len())
            .map_err(|e| error::io(OP, &handle_path(handle), e))
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.handles.remove(handle, "close")
    }
}

fn operation(lock: LockType, wait: bool) -> FlockOperation {
    match (lock, wait) {
        (LockType::Shared, true) => FlockOperation::LockShared,
        (LockType::Exclusive, true) => FlockOperation::LockExclusive,
        (LockType::Shared, false) => FlockOperation::NonBlockingLockShared,
        (LockType::Exclusive, false) => FlockOperation::NonBlockingLockExclusive,
    }
}

/// `flock(2)` on the handle's own open file description: locks are per handle, conflict
/// between handles of one process as between processes, and go with `close`. A thread that
/// blocks in `lock` on a lock held through another of its own handles waits forever, as with
/// `flock`; use `try_lock` where that can happen.
impl<R: Resolve> FsLock for HostFs<R> {
    /// Waits without holding any backend lock (the handle table is released first).
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
        const OP: &str = "lock";
        let open = self.handles.get(handle, OP)?;
        loop {
            match flock(&open.file, operation(lock, true)) {
                Ok(()) => break,
                Err(Errno::INTR) => continue,
                Err(e) => return Err(error::errno(OP, &handle_path(handle), e)),
            }
        }
        *open.lock.lock() = Some(lock);
        Ok(())
    }

    /// On conflict `Ok(false)`. `flock` drops a held lock before converting it; a failed
    /// conversion re-takes the old lock, so the handle keeps what it had (unless another
    /// process took a conflicting lock in that instant, which then leaves it unlocked).
    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
        const OP: &str = "try_lock";
        let open = self.handles.get(handle, OP)?;
        let mut held = open.lock.lock();
        match flock(&open.file, operation(lock, false)) {
            Ok(()) => {
                *held = Some(lock);
                Ok(true)
            }
            Err(Errno::WOULDBLOCK) => {
                if let Some(old) = *held {
                    if old != lock && flock(&open.file, operation(old, false)).is_err() {
                        *held = None;
                    }
                }
                Ok(false)
            }
            Err(e) => Err(error::errno(OP, &handle_path(handle), e)),
        }
    }

    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        const OP: &str = "unlock";
        let open = self.handles.get(handle, OP)?;
        flock(&open.file, FlockOperation::Unlock)
            .map_err(|e| error::errno(OP, &handle_path(handle), e))?;
        *open.lock.lock() = None;
        Ok(())
    }
}

/// The host's extended attributes of the node `path` leads to (symlinks followed). Names
/// follow the host's namespace rules (`user.*` for ordinary files; `trusted.*` needs
/// privilege); a host filesystem without xattr support answers `ENOTSUP`.
impl<R: Resolve> FsXattr for HostFs<R> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        let path = VPath::parse(path, "get_xattr")?;
        self.node(&path)?
            .get_xattr(name)
            .map_err(|e| error::xattr(path.op, path.path, name, e))
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        let path = VPath::parse(path, "set_xattr")?;
        self.node(&path)?
            .set_xattr(name, value)
            .map_err(|e| error::xattr(path.op, path.path, name, e))
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        let path = VPath::parse(path, "remove_xattr")?;
        self.node(&path)?
            .remove_xattr(name)
            .map_err(|e| error::xattr(path.op, path.path, name, e))
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        let path = VPath::parse(path, "list_xattr")?;
        self.node(&path)?.list_xattr().map_err(|e| path.err(e))
    }
}
