//! Mounting a stack as a real filesystem (feature `fuse`): [`MountHandle`], [`MountBuilder`],
//! [`MountOptions`], [`MountError`], [`is_available`].
//!
//! Any program then sees the stack as a directory tree: `ls`, `cp`, `git`, `sqlite3`, a
//! compiler. Every middleware applies, because the mount talks to the top of the stack: a
//! quota shows as `ENOSPC`, a path filter hides what it denies, a read-only layer answers
//! `EROFS`.
//!
//! ```no_run
//! use anyfs::{BackendStack, MemoryBackend, MountHandle};
//!
//! let stack = BackendStack::new(MemoryBackend::new())
//!     .limited(|q| q.max_total_size(100 * 1024 * 1024))
//!     .into_inner();
//! if MountHandle::is_available() {
//!     let mount = MountHandle::builder(stack).mount_point("/mnt/ws").mount()?;
//!     std::process::Command::new("git").arg("init").current_dir("/mnt/ws").status()?;
//!     mount.unmount()?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Platforms
//!
//! Linux, through the `fuser` crate's own mount code (no libfuse to link): `mount(2)` as root,
//! the setuid `fusermount3` (Debian's `fuse3` package) otherwise. macOS (macFUSE) and Windows
//! (WinFsp) answer [`MountError::PlatformNotSupported`] in this release.
//!
//! # Lifecycle
//!
//! [`MountHandle::unmount`], or dropping the handle, unmounts; if files are still open under
//! the mount point the mount is detached lazily (gone from the namespace, ended by the kernel
//! at the last close). [`MountHandle::try_unmount`] fails with `MountPointBusy` instead. An
//! unmount from outside (`fusermount3 -u`, `umount`) ends the session cleanly; the handle then
//! reports `is_mounted() == false` and unmounting it succeeds. With
//! [`auto_unmount`](MountOptions::auto_unmount) (on by default where `fusermount3` allows it)
//! the helper unmounts even if the process is killed with `SIGKILL`.
//!
//! # Stacks
//!
//! An `FsPosix` stack ([`MountHandle::mount`], [`MountStack::posix`]) serves I/O through
//! handles, xattrs through `FsXattr` and, with [`forward_locks`](MountOptions::forward_locks),
//! `flock(2)` through `FsLock`. An `FsFuse` stack ([`MountBuilder::fuse`]) serves I/O through
//! paths: reads are `read_range`, appends are `append`, other writes rewrite the file, files
//! unlinked while open are gone, and xattrs are not supported. Symlinks are resolved by the
//! kernel; the owner and times of a symlink itself cannot be changed (the contract's setters
//! follow links), so `lchown`/`lutimes` leave them as they are.
//!
//! # Caching and in-process changes
//!
//! Changes made through the mount are coherent at once. The kernel trusts names and
//! attributes for [`entry_ttl`](MountOptions::entry_ttl) and [`attr_ttl`](MountOptions::attr_ttl)
//! (1 s by default) and keeps file data cached across opens, so changes made to the stack
//! in-process need telling it:
//!
//! - through a [`MountHandle::watch`]ed stack (for example `FileStorage::new(mount.watch(backend))`),
//!   every change that succeeds invalidates what it touched (the file's attributes and data,
//!   the name and its directory's listing) before it returns: programs see it at once, however
//!   long the TTLs;
//! - anything else — the same data through a handle that is not watched, a JS layer's own
//!   state, another process writing the same SQLite file — is seen when the TTLs expire (a
//!   changed size or mtime then also drops the cached data), or at once after
//!   [`MountHandle::invalidate`] of the path.
//!
//! # Performance
//!
//! The adapter is built to keep the kernel out of the way: 1 MiB writes (`max_write`),
//! readdirplus (a listing brings the attributes with it), parallel directory operations, the
//! page cache kept across opens, several dispatch threads each with its own `/dev/fuse`
//! descriptor, and no round trip per `open(2)` or `close(2)` (the first OPEN and FLUSH are
//! answered `ENOSYS`, which the kernel remembers). Per request the adapter makes one or two
//! stack calls: `lookup` = `FsInode::lookup` + `metadata_by_inode` (O(log n) + O(1) on
//! `MemoryBackend`), `getattr` = `metadata_by_inode` (O(1)), `read`/`write` = one positional
//! handle call (O(1) + bytes), operations on names add `inode_to_path` of the parent
//! (O(depth)). Listing a directory of `n` entries is one `read_dir` (O(n)) however many pages
//! the kernel reads. `benchmark/mount.mjs` measures it against tmpfs and libfuse's
//! `passthrough_ll`.
//!
//! # Thread safety
//!
//! A mount is served by [`MountOptions::threads`] threads calling the stack concurrently, so
//! the stack must be `Send + Sync` (every AnyFS stack is) and does its own locking. Every
//! callback runs under a panic guard: a panic in the stack answers `EIO` to that one request
//! and the mount keeps serving. [`MountHandle`] is `Send + Sync`.

mod builder;
mod error;
mod handle;
mod options;
mod stack;
mod watch;

#[cfg(target_os = "linux")]
mod adapter;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as platform;
#[cfg(not(target_os = "linux"))]
mod unsupported;
#[cfg(not(target_os = "linux"))]
use unsupported as platform;

pub use builder::MountBuilder;
pub use error::MountError;
pub use handle::MountHandle;
pub use options::{MountOptions, DEFAULT_MAX_WRITE, DEFAULT_THREADS, DEFAULT_TTL, MAX_WRITE_LIMIT};
pub use stack::{MountStack, RequestScope};
pub use watch::{Watched, NOTIFY_WAIT};

/// Whether this process can mount (see [`MountHandle::is_available`]).
pub fn is_available() -> bool {
    platform::is_available()
}
