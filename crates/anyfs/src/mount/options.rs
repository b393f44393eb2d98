//! [`MountOptions`]: what a mount looks like to the system (read-only, owners, who may enter)
//! and how fast it is (write size, cache lifetimes, dispatch threads).
//!
//! What the kernel (Linux 6.18) still asks the adapter, whatever the options: a GETATTR at the
//! first `stat(2)` after a write (each write drops the cached size, times and block count, so
//! long TTLs do not help there), a `security.capability` GETXATTR before each `write(2)` (the
//! kernel's check for privileges to drop), a READ after an attribute refresh that shows a new
//! mtime (the cached pages of a file changed elsewhere are dropped; so are those of a file
//! just written through the mount, whose mtime the kernel does not track). Each is one round
//! trip of a few microseconds; a single program making one request at a time gets them
//! fastest from one dispatch thread ([`MountOptions::threads`]).

use std::time::Duration;

/// The options of a mount. `MountOptions::default()` is a private, read-write mount tuned for
/// throughput; [`MountBuilder`](super::MountBuilder) sets the same fields fluently.
///
/// ```
/// use std::time::Duration;
/// use anyfs::MountOptions;
///
/// let options = MountOptions {
///     read_only: true,
///     attr_ttl: Duration::from_secs(5),
///     ..MountOptions::default()
/// };
/// assert_eq!(options.max_write, 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountOptions {
    /// Mount read-only: the kernel refuses every change with `EROFS` before it reaches the
    /// stack, and the adapter refuses it again should one get through. Default `false`.
    pub read_only: bool,
    /// Let other users (not only the mounting one and root) use the mount. Non-root users
    /// need `user_allow_other` in `/etc/fuse.conf`. Default `false`.
    pub allow_other: bool,
    /// Have `fusermount3` unmount the filesystem when this process ends in any way, even
    /// `SIGKILL`, so no dead mount is left behind. `None` (the default) turns it on when
    /// `fusermount3` is installed and allowed to (root, or `user_allow_other`); `Some(true)`
    /// requires it (the mount fails with `DriverNotInstalled` or `PermissionDenied` if it
    /// cannot); `Some(false)` turns it off. It makes root able to use the mount too.
    pub auto_unmount: Option<bool>,
    /// Owner reported for every node, instead of the stack's own (`None`).
    pub uid: Option<u32>,
    /// Group reported for every node, instead of the stack's own (`None`).
    pub gid: Option<u32>,
    /// Let the kernel check permission bits against the caller (`default_permissions`), as
    /// for a disk filesystem. Default `true`. Off, the stack's own policies are the only check
    /// and `access(2)` is answered by the adapter.
    ///
    /// The check wants fresh attributes of each directory on a path, and Linux (6.18 at least)
    /// drops a directory's cached attributes whenever something in it is created, removed or
    /// renamed: with the check on, each such change costs one more GETATTR round trip at the
    /// next lookup in that directory. Turn it off only where everyone who can enter may see
    /// everything: with `allow_other`, or with `auto_unmount` on (it opens the mount to every
    /// user in the kernel and turns away the others only for requests that reach the
    /// adapter), data the kernel has cached is served to them with no check at all.
    pub default_permissions: bool,
    /// The source name shown in `/proc/mounts` and `df` (default `"anyfs"`).
    pub fs_name: String,
    /// Largest write request the kernel sends, in bytes (default 1 MiB, at most 16 MiB).
    pub max_write: u32,
    /// How long the kernel may trust a name-to-inode answer (default 1 s). Changes made
    /// through the mount are always seen at once; see the module docs for changes made to the
    /// stack in-process.
    pub entry_ttl: Duration,
    /// How long the kernel may trust attributes (size, times, mode; default 1 s).
    pub attr_ttl: Duration,
    /// Threads reading and answering kernel requests (at least 1). The default is one per
    /// CPU, from 2 to [`DEFAULT_THREADS`] (4): more threads than CPUs cannot serve requests in
    /// parallel, and each extra idle thread makes a program's one-at-a-time requests slower
    /// (the kernel hands each request to the thread that has waited longest, so they rotate
    /// among threads and CPUs), while two let a request that waits (on a JS layer, a lock)
    /// not hold up the others. One thread is fastest for a single program making one
    /// request at a time.
    pub threads: usize,
    /// Forward `flock(2)` locks to the stack's [`FsLock`](anyfs_backend::FsLock) so they also
    /// exclude in-process lock holders (needs an `FsPosix` stack). Costs an OPEN and a RELEASE
    /// round trip per `open(2)`; off (the default), the kernel keeps locks among the
    /// processes using the mount and opens cost no round trip.
    pub forward_locks: bool,
}

impl Default for MountOptions {
    fn default() -> Self {
        MountOptions {
            read_only: false,
            allow_other: false,
            auto_unmount: None,
            uid: None,
            gid: None,
            default_permissions: true,
            fs_name: "anyfs".to_string(),
            max_write: DEFAULT_MAX_WRITE,
            entry_ttl: DEFAULT_TTL,
            attr_ttl: DEFAULT_TTL,
            threads: default_threads(),
            forward_locks: false,
        }
    }
}

/// 1 MiB: large enough that sequential writes are not bound by the request count.
pub const DEFAULT_MAX_WRITE: u32 = 1024 * 1024;
/// The largest `max_write` the FUSE protocol and the session buffer allow.
pub const MAX_WRITE_LIMIT: u32 = 16 * 1024 * 1024;
/// Default entry and attribute lifetime in the kernel's caches.
pub const DEFAULT_TTL: Duration = Duration::from_secs(1);
/// The most dispatch threads a mount gets by default (see [`MountOptions::threads`]).
pub const DEFAULT_THREADS: usize = 4;

/// One dispatch thread per CPU, from 2 to [`DEFAULT_THREADS`].
fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(DEFAULT_THREADS, usize::from)
        .clamp(2, DEFAULT_THREADS)
}

impl MountOptions {
    /// The options with every out-of-range number brought into range: `max_write` into
    /// 4 KiB..=16 MiB, `threads` at least 1, and an empty `fs_name` replaced by `"anyfs"`.
    pub fn normalized(mut self) -> Self {
        self.max_write = self.max_write.clamp(4096, MAX_WRITE_LIMIT);
        self.threads = self.threads.max(1);
        // A comma or NUL would split or end the mount option string.
        self.fs_name.retain(|c| c != ',' && c != '\0' && c != '=');
        if self.fs_name.is_empty() {
            self.fs_name = "anyfs".to_string();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_tuned_for_throughput() {
        let o = MountOptions::default();
        assert_eq!(o.max_write, 1 << 20);
        assert!((2..=DEFAULT_THREADS).contains(&o.threads));
        assert!(!o.read_only && !o.allow_other && !o.forward_locks);
        assert!(o.default_permissions);
        assert_eq!(o.auto_unmount, None);
    }

    #[test]
    fn normalized_brings_numbers_into_range() {
        let o = MountOptions {
            max_write: 1,
            threads: 0,
            fs_name: "a,b=c".into(),
            ..MountOptions::default()
        }
        .normalized();
        assert_eq!(o.max_write, 4096);
        assert_eq!(o.threads, 1);
        assert_eq!(o.fs_name, "abc");
        let o = MountOptions {
            max_write: u32::MAX,
            fs_name: String::new(),
            ..MountOptions::default()
        }
        .normalized();
        assert_eq!(o.max_write, MAX_WRITE_LIMIT);
        assert_eq!(o.fs_name, "anyfs");
    }
}
