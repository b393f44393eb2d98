//! Layer 4, full POSIX: [`FsHandles`], [`FsLock`], [`FsXattr`].

use std::path::Path;

use crate::{FsError, Handle, LockType, OpenFlags};

/// Open file handles with positional I/O.
pub trait FsHandles: Send + Sync {
    /// Opens a file. `CREATE` makes it if missing, `EXCLUSIVE` with it fails on an existing file,
    /// `TRUNCATE` empties it. Directories cannot be opened (`NotAFile`).
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError>;

    /// Reads into `buf` from `offset`; returns the count read (0 at or past the end).
    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError>;

    /// Writes `data` at `offset` (at the end for `APPEND` handles), extending the file with zero
    /// bytes if `offset` is past its end; returns the count written.
    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError>;

    /// Closes the handle, releasing its locks. `InvalidHandle` if it was not open.
    fn close(&self, handle: Handle) -> Result<(), FsError>;
}

/// Advisory whole-file locks on handles (as `flock(2)`).
pub trait FsLock: Send + Sync {
    /// Takes the lock, waiting while a conflicting lock is held. Re-locking a handle converts
    /// its lock to the new type.
    fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError>;

    /// Takes the lock if it is free now; `Ok(false)` if a conflicting lock is held.
    fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError>;

    /// Releases the handle's lock (a no-op if it holds none).
    fn unlock(&self, handle: Handle) -> Result<(), FsError>;
}

/// Extended attributes.
pub trait FsXattr: Send + Sync {
    /// The value of attribute `name` (`XattrNotFound` if absent).
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError>;

    /// Sets attribute `name` to `value`, creating or replacing it.
    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError>;

    /// Removes attribute `name` (`XattrNotFound` if absent).
    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError>;

    /// The names of the node's attributes.
    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError>;
}
