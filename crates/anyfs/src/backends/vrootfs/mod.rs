//! `VRootFsBackend`: a host directory as a virtual root that no path can leave
//! ([`FsPosix`](anyfs_backend::FsPosix)).
//!
//! The virtual path `/a/b` is the host path `<root>/a/b`, resolved as if the process had
//! `chroot`ed into the root: `..` stops at the root, and a symlink with an absolute target
//! `/x` means `<root>/x`, never the host's `/x`.
//!
//! ```
//! use std::path::Path;
//! use anyfs::{FsLink, FsRead, FsWrite, VRootFsBackend};
//!
//! let dir = tempfile::tempdir()?;
//! let fs = VRootFsBackend::new(dir.path())?;
//! fs.write(Path::new("/a.txt"), b"inside")?;
//! // Climbing is clamped at the root, and absolute targets start from it.
//! assert_eq!(fs.read(Path::new("/../../../a.txt"))?, b"inside");
//! fs.symlink(Path::new("/a.txt"), Path::new("/link"))?;
//! assert_eq!(fs.read(Path::new("/link"))?, b"inside");
//! fs.symlink(Path::new("/etc/passwd"), Path::new("/passwd"))?; // creating is harmless...
//! assert_eq!(fs.read(Path::new("/passwd")).unwrap_err().code(), "ENOENT"); // ...it means <root>/etc/passwd
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How containment works
//!
//! Containment is enforced by the Linux kernel, atomically, on every call:
//!
//! 1. The caller's path is validated ([`anyfs_backend::path::validate`]: NUL, non-UTF-8,
//!    relative and over-long paths are `InvalidPath` / `NameTooLong` before anything reaches
//!    the host).
//! 2. Operations that follow the final component (`read`, `write`, `metadata`, `open`,
//!    `set_permissions`, xattrs, ...) open it with `openat2(root_fd, path, RESOLVE_IN_ROOT |
//!    RESOLVE_NO_MAGICLINKS)` and act on the descriptor they got.
//! 3. Operations on an entry (`remove_file`, `remove_dir`, `rename`, `symlink`, `hard_link`,
//!    `read_link`, `symlink_metadata`, `create_dir`) open the *parent* directory that way and
//!    then call `unlinkat`, `renameat`, `symlinkat`, `linkat`, `readlinkat`, `fstatat` or
//!    `mkdirat` with the final name, none of which follows a final symlink.
//! 4. `remove_dir_all` descends with `openat(O_NOFOLLOW | O_DIRECTORY)` one level at a time.
//!
//! Because the descriptor the kernel resolved is the one used, there is no window between a
//! check and a use: a symlink swapped in after one call is seen (and contained) by the next
//! resolution, never followed out. A rename racing with a lookup makes the kernel answer
//! `EAGAIN`; the lookup is retried (64 times, then `WouldBlock`).
//!
//! The root itself is established with the `strict-path` crate
//! ([`strict_path::VirtualRoot`]): it canonicalizes and validates the directory once, and
//! [`VRootFsBackend::from_virtual_root`] accepts one an application already uses.
//! `strict-path`'s own per-path resolution checks a path string and then hands it to the OS,
//! which leaves exactly the check-then-use window issue 4's race test attacks; the kernel's
//! `RESOLVE_IN_ROOT` does not, so per-operation containment is the kernel's job here.
//!
//! # What it protects against
//!
//! No caller path reaches a host node outside the root, whatever the tree inside the root
//! holds: `..` sequences, absolute symlinks, relative symlinks that climb (`../../etc`),
//! chains of them, `..` inside symlink targets, symlinks swapped in concurrently (by another
//! thread or process), magic links (`/proc/self/root`, `/proc/<pid>/fd/N`, should a `/proc` be
//! mounted inside the root: refused with `ELOOP`), and hard links (both sides of `hard_link` are resolved inside the root, so a new
//! link can only name a node already inside). Creating a symlink to any target is allowed:
//! the target is data until followed, and following stays inside. Names with `\` are ordinary
//! names inside the root; names with NUL are rejected.
//!
//! # What it does not protect against
//!
//! - **Hard links made by others**: a hard link inside the root to a host file outside it
//!   (made on the host by someone with access to both) *is* that file; reading it reads the
//!   outside file. Only `hard_link` through this backend is contained.
//! - **Mounts**: a bind mount or any mount inside the root exposes whatever it mounts
//!   (resolution crosses mount points; inode numbers may then repeat across devices).
//! - **Descriptors and processes**: anything that already holds a descriptor outside, or runs
//!   with access to the host, is outside this model; so are device nodes inside the root
//!   (reading `<root>/sda` reads the disk).
//! - **Resource use**: quotas, rate limits and sizes are middleware's job (`Quota`, ...).
//!
//! The escape corpus (`tests/vrootfs_escape/corpus.rs`: 43 named attacks, each against 39
//! operations) and a race test that swaps a directory for a symlink to the outside while two
//! threads use it check these claims with inotify watches on the outside.
//!
//! # Semantics
//!
//! Everything else is as for [`StdFsBackend`](super::stdfs::StdFsBackend) (one shared
//! implementation): error mapping (the contract's variants, host errno otherwise, virtual
//! paths only in errors), metadata (host inode numbers with the root as
//! [`ROOT_INODE`](anyfs_backend::ROOT_INODE), size 0 for directories), `flock` locks, host
//! xattrs, `copy`, `syncfs`, `statfs` of the host filesystem, and the learned inode-to-path
//! memory of `FsInode` with the same limits. Symlink targets are stored verbatim: an absolute
//! target is a virtual path (`/x` means `<root>/x`), which is also what a program `chroot`ed
//! into the root would see.
//!
//! # Thread safety
//!
//! `VRootFsBackend` is `Send + Sync` and holds no lock while calling the kernel; each
//! operation is as atomic as its system call. The handle table and the inode memory have
//! their own short `parking_lot` locks.
//!
//! # Performance
//!
//! Each operation is a few system calls; the kernel's lookup of the path inside each is not
//! counted (`n` = entries in a directory, `b` = bytes):
//!
//! | operation | system calls |
//! |---|---|
//! | `metadata`, `exists` | 3 (`openat2 O_PATH`, `fstat`, close) |
//! | `symlink_metadata`, `path_to_inode` | 3 (`openat2` of the parent, `fstatat`, close) |
//! | `read`, `read_range`, `open_read` | `openat2` + fstat + reads + close (O(b)) |
//! | `write`, `append`, `open_write`, `truncate` | `openat2` + write(s)/ftruncate + close (O(b)) |
//! | `remove_file`, `remove_dir`, `create_dir`, `symlink`, `read_link` | 3 (parent, the call, close) |
//! | `rename`, `hard_link` | 5 (two parents, the call, two closes) |
//! | `set_permissions`, `set_owner`, `set_times`, xattrs | 3 (`openat2 O_PATH`, the call via `/proc/self/fd`, close) |
//! | `create_dir_all` | 3 if it exists; else 3 + 3..6 per component |
//! | `read_dir` | `openat2` + O(n) `getdents` entries (+1 `fstatat` per entry of unknown type) |
//! | `remove_dir_all` | O(entries in the subtree), one descriptor per level of depth |
//! | `read_at`, `write_at`, `lock`, `try_lock`, `unlock`, `close` | 1 (+ a hash lookup) |
//! | `inode_to_path`, `metadata_by_inode`, `lookup` | 3 per remembered path tried |
//!
//! # Platforms
//!
//! Linux 5.6 or newer (`openat2`); [`VRootFsBackend::new`] fails with `NotSupported` where
//! `openat2` is missing or blocked (old kernels, some seccomp profiles), rather than fall back
//! to a weaker check. The module is compiled on `target_os = "linux"` only; `/proc` must be
//! mounted for `set_permissions`, `set_owner`, `set_times` and xattrs.

use std::fmt;
use std::path::Path;

use anyfs_backend::FsError;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;
use strict_path::{StrictPathError, VirtualRoot};

use super::host::{host_backend, HostFs, Root};

mod resolve;

#[cfg(test)]
mod tests;

use resolve::InRoot;

/// A host directory as a contained virtual root. See the [module docs](self) for what it
/// protects against, its semantics, thread safety and costs.
pub struct VRootFsBackend {
    inner: HostFs<InRoot>,
    vroot: VirtualRoot,
}

impl VRootFsBackend {
    /// Serves the existing directory `root` as a virtual root.
    ///
    /// `NotFound` / `NotADirectory` for a bad root; `NotSupported` when the kernel has no
    /// usable `openat2`.
    pub fn new(root: impl AsRef<Path>) -> Result<Self, FsError> {
        let root = root.as_ref();
        // Precise errors first (strict-path reports every bad root alike).
        let metadata =
            std::fs::metadata(root).map_err(|e| super::host::io_error("new", root, e))?;
        if !metadata.is_dir() {
            return Err(FsError::NotADirectory {
                path: root.to_path_buf(),
                operation: "new",
            });
        }
        let vroot = VirtualRoot::try_new(root).map_err(|e| root_error(root, e))?;
        Self::from_virtual_root(vroot)
    }

    /// Serves the directory of a `strict-path` virtual root an application already has.
    pub fn from_virtual_root(vroot: VirtualRoot) -> Result<Self, FsError> {
        let root = Root::open(Path::new(vroot.interop_path()), "new")?;
        let probe =
            resolve::open_in_root(&root.fd, ".", OFlags::PATH | OFlags::CLOEXEC, Mode::empty());
        match probe {
            Ok(_) => {}
            Err(Errno::NOSYS | Errno::PERM) => {
                return Err(FsError::NotSupported {
                    operation: "VRootFsBackend::new (openat2 unavailable)",
                })
            }
            Err(e) => return Err(super::host::errno("new", &root.path, e)),
        }
        Ok(VRootFsBackend {
            inner: HostFs::new(root, InRoot),
            vroot,
        })
    }

    /// The `strict-path` virtual root this backend serves.
    pub fn virtual_root(&self) -> &VirtualRoot {
        &self.vroot
    }

    /// The canonical host path of the root, as it was when the backend was created.
    pub fn root(&self) -> &Path {
        &self.inner.root.path
    }
}

/// The contract's error for a root `strict-path` refused.
fn root_error(root: &Path, error: StrictPathError) -> FsError {
    match error {
        StrictPathError::InvalidRestriction { source, .. }
        | StrictPathError::PathResolutionError { source, .. } => {
            super::host::io_error("new", root, source)
        }
        other => FsError::InvalidInput {
            operation: "new",
            reason: other.to_string(),
        },
    }
}

impl fmt::Debug for VRootFsBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VRootFsBackend")
            .field("root", &self.inner.root.path)
            .finish()
    }
}

host_backend!(VRootFsBackend);
