//! `StdFsBackend`: a host directory, served directly by the host kernel
//! ([`FsPosix`](anyfs_backend::FsPosix)). **It offers no containment.**
//!
//! The virtual path `/a/b` is the host path `<root>/a/b`. Every call is one or a few system
//! calls relative to a descriptor of the root, and the host kernel resolves the path as it
//! would for `std::fs`: symlinks are followed by the kernel, on the host.
//!
//! ```
//! use std::path::Path;
//! use anyfs::{FsDir, FsLink, FsRead, FsWrite, StdFsBackend};
//!
//! let dir = tempfile::tempdir()?;
//! let fs = StdFsBackend::new(dir.path())?;
//! fs.create_dir_all(Path::new("/docs/notes"))?;
//! fs.write(Path::new("/docs/notes/a.txt"), b"hello")?;
//! fs.symlink(Path::new("/docs/notes/a.txt"), Path::new("/latest"))?;
//! assert_eq!(fs.read(Path::new("/latest"))?, b"hello");
//! assert_eq!(std::fs::read(dir.path().join("docs/notes/a.txt"))?, b"hello");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # No containment
//!
//! **Do not give `StdFsBackend` untrusted paths or let untrusted parties write into its root.**
//! Use [`VRootFsBackend`](super::vrootfs::VRootFsBackend) for that. Here:
//!
//! - a symlink whose target leaves the root (`../../etc`, or an absolute host path someone
//!   created on the host) is followed out of it by every operation that follows symlinks;
//! - `..` inside a symlink target climbs on the host, above the root too;
//! - `PathFilter` in front of this backend filters the *virtual* path only; the kernel still
//!   follows whatever symlinks the host has.
//!
//! What the backend does keep consistent is the virtual namespace callers see:
//!
//! - **`..` in a caller's path** is resolved before the kernel sees it, with the shared
//!   [`walk`](anyfs_backend::path::walk) (one `lstat` per component): `/..` is `/` as POSIX
//!   says, and `..` after a symlink leaves the symlink's target. Paths without `..` (the usual
//!   case) go to the kernel as they are.
//! - **Absolute symlink targets** are virtual paths: `symlink("/a/b", "/l")` stores the host
//!   target `<root>/a/b`, and `read_link("/l")` gives `/a/b` back (the link's size is that of
//!   `/a/b`). Relative targets are stored as given. So moving the root directory on the host
//!   breaks the absolute symlinks made through the backend, as it would for any absolute
//!   symlink.
//!
//! # Semantics
//!
//! - **Paths** are validated with [`anyfs_backend::path::validate`] (`InvalidPath` for empty,
//!   relative, NUL, non-UTF-8; `NameTooLong` past 255/4095 bytes). Names are otherwise
//!   anything the host accepts (`\` is an ordinary character on Linux).
//! - **Errors** are the contract's variants for the host's errno (`ENOENT` is `NotFound`, ...);
//!   errnos without a variant of their own (`EPERM`, `ENOSPC`, `EIO`) are `Io` with the host's
//!   code. Error paths are always the caller's virtual path, never the host path.
//! - **Metadata**: host inode numbers, with the root renumbered to
//!   [`ROOT_INODE`](anyfs_backend::ROOT_INODE) (and a node whose host number is 1 given the
//!   root's host number); size 0 for directories as the contract says; FIFOs, sockets and
//!   devices are reported as files; no birth time. Timestamps have the host's precision.
//! - **Removing or renaming the root** is `Busy` (`EBUSY`); `.` and `..` as the final
//!   component of a removal or rename are `InvalidInput`; `hard_link` of a directory is
//!   `NotAFile` (the host says `EPERM`, the contract `EISDIR`).
//! - **`copy`** follows a source symlink, copies content (`copy_file_range` where possible)
//!   and permission bits; a copy onto the same file changes nothing.
//! - **Handles** are host files: `read_at`/`write_at` are `pread`/`pwrite`, an `APPEND`
//!   handle appends atomically, unlink-while-open works as on the host.
//! - **Locks** are `flock(2)` on the handle's own open file description: they conflict with
//!   other processes' `flock` locks on the same file too. A failed `try_lock` conversion keeps
//!   the old lock (re-taken at once; see [`FsLock`](anyfs_backend::FsLock)).
//! - **Extended attributes** are the host's (`user.*` on ordinary files).
//! - **`set_permissions`, `set_owner`, `set_times` and xattrs** act on the node resolved once,
//!   through its `/proc/self/fd` link, so they need `/proc` mounted. `set_owner` needs the
//!   host privilege to give files away.
//! - **`sync`** is `syncfs` of the host filesystem holding the root; `statfs` reports that
//!   filesystem, shared with everything else stored on it.
//!
//! # Inodes (`FsInode`)
//!
//! `path_to_inode` and `lookup` remember the virtual path at which they saw each inode;
//! `inode_to_path`, `lookup(parent, ..)` and `metadata_by_inode` use that memory and check it
//! with `lstat` before trusting it. Limits: an inode the backend has never seen is `NotFound`;
//! a node moved on the host by someone else is found again only once looked up at its new
//! path; a recycled host inode number at a remembered path is taken for the old node; inode
//! numbers are unique per host device only (do not mount other filesystems inside the root);
//! the memory grows with the number of distinct nodes seen, and a rename through the backend
//! costs O(remembered paths) to move them.
//!
//! # Thread safety
//!
//! `StdFsBackend` is `Send + Sync`. It holds no lock while calling the kernel: concurrency is
//! the host filesystem's (each operation is as atomic as its system call: `rename` is atomic,
//! `write` is open + truncate + write, `append` is one `O_APPEND` write). The handle table and
//! the inode memory each have their own short `parking_lot` lock; a thread blocked in `flock`
//! or I/O holds neither.
//!
//! # Performance
//!
//! Costs are host system calls (`d` = components of a caller path containing `..`; `n` =
//! entries in a directory; `b` = bytes). The kernel's own lookup of each path is not counted.
//!
//! | operation | system calls |
//! |---|---|
//! | `metadata`, `symlink_metadata`, `exists`, `path_to_inode` | 1 (`fstatat`) (+1 `readlink` for a symlink's size) |
//! | `read`, `read_range`, `open_read` | open + fstat + reads + close (O(b)) |
//! | `write`, `append`, `open_write`, `truncate` | open + write(s)/ftruncate + close (O(b)) |
//! | `remove_file`, `remove_dir`, `create_dir`, `rename`, `symlink`, `hard_link`, `read_link` | 1 |
//! | `set_permissions`, `set_owner`, `set_times`, xattrs | 3 (open `O_PATH`, the call, close) |
//! | `create_dir_all` | 1 if it exists; else 1 + 1..2 per component |
//! | `read_dir` | open + O(n) `getdents` entries (+1 `fstatat` per entry of unknown type) |
//! | `remove_dir_all` | O(entries in the subtree), one descriptor per level of depth |
//! | `copy` | 2 opens + 2 fstat + `copy_file_range` (O(b)) + fchmod |
//! | `read_at`, `write_at`, `lock`, `try_lock`, `unlock`, `close` | 1 (+ a hash lookup) |
//! | `inode_to_path`, `metadata_by_inode`, `lookup` | 1 `fstatat` per remembered path tried |
//! | any path with `..` | + 1 `fstatat` per component and 1 `readlink` per symlink |
//!
//! # Platforms
//!
//! Linux only for now: the module is compiled on `target_os = "linux"` (it uses `O_PATH`,
//! `/proc/self/fd`, `syncfs` and Linux xattrs). Other Unix systems need those replaced
//! (`fchmod` on a read-only descriptor, `sync`, their xattr calls) before it can be enabled.

use std::fmt;
use std::path::Path;

use anyfs_backend::FsError;

use super::host::{host_backend, HostFs, Root};

mod resolve;

#[cfg(test)]
mod tests;

use resolve::Plain;

/// A host directory served directly by the kernel, with **no containment**. See the
/// [module docs](self) for its semantics, thread safety and costs.
pub struct StdFsBackend {
    inner: HostFs<Plain>,
}

impl StdFsBackend {
    /// Serves the existing directory `root` (resolved to its canonical host path once, here).
    ///
    /// `NotFound` if it does not exist, `NotADirectory` if it is not a directory.
    pub fn new(root: impl AsRef<Path>) -> Result<Self, FsError> {
        let root = Root::open(root.as_ref(), "new")?;
        Ok(StdFsBackend {
            inner: HostFs::new(root, Plain),
        })
    }

    /// The canonical host path of the root, as it was when the backend was created.
    pub fn root(&self) -> &Path {
        &self.inner.root.path
    }
}

impl fmt::Debug for StdFsBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StdFsBackend")
            .field("root", &self.inner.root.path)
            .finish()
    }
}

host_backend!(StdFsBackend);
