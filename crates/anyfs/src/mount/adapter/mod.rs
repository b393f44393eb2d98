//! The FUSE adapter: [`fuser::Filesystem`] over a [`MountStack`].
//!
//! Each kernel request becomes one or two stack calls (`lookup` is `FsInode::lookup` plus
//! `metadata_by_inode`; operations on names are `inode_to_path(parent)` plus the path
//! operation). Every callback runs under a panic guard (a panic answers `EIO` and the mount
//! lives on) and answers with [`FsError::errno`](anyfs_backend::FsError::errno), the one
//! mapping. Read-only mounts answer `EROFS` to every change, even one the kernel let through.
//!
//! Files: `attrs.rs` (getattr, setattr, access, statfs), `names.rs` (lookup and the
//! namespace), `dirs.rs` (listings), `io.rs` (open, read, write...), `xattr.rs`, `locks.rs`,
//! `inodes.rs` (lookup counts and per-inode handles), `reply.rs` (errno, attrs, panic guard),
//! `filesystem.rs` (the trait impl wiring them to replies).
//!
//! Thread safety: the adapter is `Send + Sync` and shared by every dispatch thread; its own
//! state is the sharded inode table and the directory table (short mutex sections, never held
//! across a stack call). The stack serializes what it must itself.

mod attrs;
mod dirs;
mod filesystem;
mod inodes;
mod io;
mod locks;
mod names;
mod reply;
mod xattr;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use super::{MountOptions, MountStack};
use dirs::DirTable;
use inodes::InodeTable;
use reply::Owner;

/// Mount-wide settings the callbacks read.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub entry_ttl: Duration,
    pub attr_ttl: Duration,
    pub read_only: bool,
    owner: Owner,
    /// One stack handle per `open(2)` (and `flock` forwarding) instead of per inode.
    pub per_open: bool,
    /// The kernel stops sending OPEN after an `ENOSYS` answer (set at `init`).
    pub skip_open: bool,
    pub max_write: u32,
}

impl Settings {
    pub(crate) fn new(options: &MountOptions, stack: &MountStack) -> Self {
        Settings {
            entry_ttl: options.entry_ttl,
            attr_ttl: options.attr_ttl,
            read_only: options.read_only,
            owner: Owner {
                uid: options.uid,
                gid: options.gid,
            },
            per_open: options.forward_locks && stack.has_handles(),
            skip_open: true,
            max_write: options.max_write,
        }
    }
}

/// See the [module docs](self).
pub(crate) struct Adapter {
    stack: MountStack,
    settings: Settings,
    inodes: InodeTable,
    dirs: DirTable,
}

impl Adapter {
    pub(crate) fn new(stack: MountStack, settings: Settings) -> Self {
        Adapter {
            stack,
            settings,
            inodes: InodeTable::new(),
            dirs: DirTable::default(),
        }
    }

    /// Runs a request body under the panic guard, inside the stack's
    /// [`RequestScope`](super::RequestScope) if it has one. A scope that panics or never calls
    /// the body answers `EIO`.
    fn serve<T>(
        &self,
        req: &fuser::Request,
        body: impl FnOnce() -> reply::Res<T>,
    ) -> reply::Res<T> {
        let Some(scope) = self.stack.request_scope() else {
            return reply::guarded(body);
        };
        let mut body = Some(body);
        let mut out = None;
        let _ = catch_unwind(AssertUnwindSafe(|| {
            scope.scope(req.pid(), &mut || {
                if let Some(body) = body.take() {
                    out = Some(reply::guarded(body));
                }
            })
        }));
        out.unwrap_or(Err(fuser::Errno::EIO))
    }

    /// Closes every handle the adapter holds (at unmount).
    fn close_all(&self) {
        self.dirs.clear();
        if let Some(posix) = self.stack.posix_ref() {
            for h in self.inodes.drain() {
                let _ = posix.close(h);
            }
        }
    }
}

#[cfg(test)]
mod tests;
