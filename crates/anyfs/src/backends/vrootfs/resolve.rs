//! [`InRoot`]: every path is resolved by the kernel with `openat2(RESOLVE_IN_ROOT |
//! RESOLVE_NO_MAGICLINKS)` relative to the root descriptor, in one system call, so no check
//! can go stale before the use: the descriptor returned is the one used.

use std::os::fd::OwnedFd;

use anyfs_backend::FsError;
use rustix::fs::{openat2, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

use crate::backends::host::{relative, DirFd, Parent, Resolve, Root, VPath};

/// `RESOLVE_IN_ROOT`: `..` stops at the root and absolute symlink targets start from it, as if
/// the process had `chroot`ed there. `RESOLVE_NO_MAGICLINKS`: `/proc/<pid>/fd/*`-style links,
/// which jump anywhere without a path, are refused (`ELOOP`).
pub(super) const RESOLVE: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

/// How often a lookup is retried when the kernel answers `EAGAIN`: a rename or mount anywhere
/// on the system raced with a resolution through `..`, and the kernel could not prove it stayed
/// inside. On a system busy renaming, immediate retries can all lose the race, so after
/// [`QUICK_RETRIES`] the thread backs off (1 µs doubling to 1 ms): at most about 50 ms in all
/// before `EAGAIN` reaches the caller.
const RETRIES: u32 = 64;
/// Retries made at once, before backing off.
const QUICK_RETRIES: u32 = 8;

/// The pause before retry `attempt` (0-based).
fn back_off(attempt: u32) {
    if attempt < QUICK_RETRIES {
        std::thread::yield_now();
    } else {
        let micros = 1u64 << (attempt - QUICK_RETRIES).min(10);
        std::thread::sleep(std::time::Duration::from_micros(micros));
    }
}

/// Kernel-contained resolution.
#[derive(Debug, Default)]
pub(super) struct InRoot;

/// `openat2` relative to `dir`, retried on `EAGAIN`.
pub(super) fn open_in_root(
    dir: &OwnedFd,
    rel: &str,
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd, Errno> {
    let mut last = Errno::AGAIN;
    for attempt in 0..RETRIES {
        match openat2(dir, rel, flags, mode, RESOLVE) {
            Err(e @ (Errno::AGAIN | Errno::INTR)) => last = e,
            done => return done,
        }
        back_off(attempt);
    }
    Err(last)
}

impl Resolve for InRoot {
    fn open(
        &self,
        root: &Root,
        path: &VPath<'_>,
        flags: OFlags,
        mode: Mode,
    ) -> Result<OwnedFd, FsError> {
        // `openat2` refuses a mode without O_CREAT.
        let mode = if flags.contains(OFlags::CREATE) {
            mode
        } else {
            Mode::empty()
        };
        open_in_root(&root.fd, path.rel(), flags, mode).map_err(|e| path.err(e))
    }

    /// Opens the parent directory (`O_PATH`) inside the root; the final name is then used
    /// with `*at` calls that do not follow it.
    fn parent<'r>(&self, root: &'r Root, path: &VPath<'_>) -> Result<Parent<'r>, FsError> {
        let name = relative(path.text.trim_end_matches('/'))
            .rsplit('/')
            .next()
            .unwrap_or(".")
            .to_owned();
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let dir = open_in_root(&root.fd, path.parent_rel(), flags, Mode::empty())
            .map_err(|e| path.err(e))?;
        Ok(Parent {
            dir: DirFd::Owned(dir),
            name,
        })
    }
}
