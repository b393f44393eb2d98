//! Linux: a `fuser` session on its own threads, mounted with `mount(2)` as root or through
//! `fusermount3` otherwise, and unmounted by path.

mod system;
mod unmount;

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fuser::{Config, INodeNo, MountOption, Notifier, SessionACL};
use rustix::io::Errno;

pub(crate) use system::is_available;

use super::adapter::{Adapter, Settings};
use super::error::{no_dev_fuse, no_fusermount};
use super::{MountError, MountOptions, MountStack};

/// How long an unmount waits for the session threads to finish after the kernel let go.
const JOIN_WAIT: Duration = Duration::from_secs(5);

/// A live mount: the session thread, the kernel notifier and what `invalidate` needs.
pub(crate) struct Mounted {
    mount_point: PathBuf,
    thread: Option<JoinHandle<io::Result<()>>>,
    notifier: Notifier,
    stack: MountStack,
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mounted")
            .field("mount_point", &self.mount_point)
            .field("mounted", &self.is_mounted())
            .finish_non_exhaustive()
    }
}

/// The mount point, canonical, if it can be mounted on.
fn check_mount_point(path: &Path) -> Result<PathBuf, MountError> {
    let invalid = |reason: String| MountError::InvalidMountPoint {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => path.canonicalize().map_err(|e| invalid(e.to_string())),
        Ok(_) => Err(invalid("not a directory".into())),
        Err(e) if e.raw_os_error() == Some(Errno::NOTCONN.raw_os_error()) => {
            Err(MountError::MountPointBusy {
                path: path.to_path_buf(),
                reason: format!(
                    "a disconnected FUSE mount is still there; remove it with `fusermount3 -u {}`",
                    path.display()
                ),
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(invalid("does not exist".into())),
        Err(e) => Err(invalid(e.to_string())),
    }
}

/// A failed `Session::new` as a `MountError`.
fn mount_error(e: io::Error, path: &Path) -> MountError {
    let text = e.to_string();
    let errno = e.raw_os_error();
    if e.kind() == io::ErrorKind::PermissionDenied
        || errno == Some(Errno::PERM.raw_os_error())
        || errno == Some(Errno::ACCESS.raw_os_error())
        || text.contains("EPERM")
        || text.contains("EACCES")
    {
        return MountError::PermissionDenied { reason: text };
    }
    if !system::dev_fuse_present() {
        return no_dev_fuse();
    }
    if e.kind() == io::ErrorKind::NotFound && !system::is_root() && system::fusermount().is_none() {
        return no_fusermount();
    }
    if text.contains("EBUSY") || text.contains("busy") {
        return MountError::MountPointBusy {
            path: path.to_path_buf(),
            reason: text,
        };
    }
    if e.kind() == io::ErrorKind::NotFound || text.contains("ENOTDIR") {
        return MountError::InvalidMountPoint {
            path: path.to_path_buf(),
            reason: text,
        };
    }
    MountError::Platform(text)
}

/// Mounts `stack` on `mount_point` and starts serving it.
pub(crate) fn mount(
    stack: MountStack,
    mount_point: &Path,
    options: MountOptions,
) -> Result<Mounted, MountError> {
    let options = options.normalized();
    let path = check_mount_point(mount_point)?;
    if !system::dev_fuse_present() {
        return Err(no_dev_fuse());
    }
    let root = system::is_root();
    let helper = system::fusermount().is_some();
    let may_allow_other = root || system::user_allow_other();
    let needs_allow_other = || MountError::PermissionDenied {
        reason: "allow_other and auto_unmount need `user_allow_other` in /etc/fuse.conf \
                 when not mounting as root"
            .into(),
    };
    if options.allow_other && !may_allow_other {
        return Err(needs_allow_other());
    }
    let auto_unmount = match options.auto_unmount {
        Some(true) if !helper => return Err(no_fusermount()),
        Some(true) if !may_allow_other => return Err(needs_allow_other()),
        Some(yes) => yes,
        None => helper && may_allow_other,
    };
    if !root && !helper {
        return Err(no_fusermount());
    }

    let mut config = Config::default();
    config.mount_options = vec![
        MountOption::FSName(options.fs_name.clone()),
        MountOption::Subtype("anyfs".into()),
    ];
    if options.default_permissions {
        config.mount_options.push(MountOption::DefaultPermissions);
    }
    if options.read_only {
        config.mount_options.push(MountOption::RO);
    }
    if auto_unmount {
        config.mount_options.push(MountOption::AutoUnmount);
    }
    // fuser's auto-unmount needs a non-owner ACL; RootAndOwner keeps everyone else out.
    config.acl = if options.allow_other {
        SessionACL::All
    } else if auto_unmount {
        SessionACL::RootAndOwner
    } else {
        SessionACL::Owner
    };
    config.n_threads = Some(options.threads);
    config.clone_fd = true;

    let adapter = Adapter::new(stack.clone(), Settings::new(&options, &stack));
    // fuser asserts a few invariants while mounting; a failed one is an error here, not a
    // panic in the caller.
    let session = catch_unwind(AssertUnwindSafe(|| {
        fuser::Session::new(adapter, &path, &config)
    }))
    .map_err(|_| MountError::Platform("the FUSE session panicked while mounting".into()))?
    .map_err(|e| mount_error(e, &path))?;
    let notifier = session.notifier();
    let thread = std::thread::Builder::new()
        .name("anyfs-fuse".into())
        .spawn(move || session.run())
        .map_err(|e| MountError::Platform(format!("cannot start the FUSE thread: {e}")))?;
    Ok(Mounted {
        mount_point: path,
        thread: Some(thread),
        notifier,
        stack,
    })
}

impl Mounted {
    pub(crate) fn mount_point(&self) -> &Path {
        &self.mount_point
    }

    /// False once the kernel ended the session (our unmount, `fusermount3 -u`, `umount`).
    pub(crate) fn is_mounted(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Unmounts. Busy: with `lazy_if_busy` detaches lazily and succeeds, else fails and stays
    /// mounted. Already unmounted from outside: succeeds.
    pub(crate) fn unmount(&mut self, lazy_if_busy: bool) -> Result<(), MountError> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        if thread.is_finished() {
            let _ = thread.join();
            return Ok(());
        }
        match unmount::unmount(&self.mount_point, false) {
            Ok(()) => {
                join_for_a_while(thread);
                Ok(())
            }
            Err(MountError::MountPointBusy { .. }) if lazy_if_busy => {
                // The session ends when the last file under the mount closes; its thread is
                // left to finish on its own.
                unmount::unmount(&self.mount_point, true)
            }
            Err(e) => {
                self.thread = Some(thread);
                Err(e)
            }
        }
    }

    /// The kernel's caches of this mount, for [`super::watch`].
    pub(crate) fn kernel_cache(&self) -> std::sync::Arc<dyn super::watch::KernelCache> {
        std::sync::Arc::new(self.notifier.clone())
    }

    /// Drops what the kernel caches about `path` (its attributes, data and name), so the next
    /// access asks the stack. Paths are the stack's (`/a/b`), not under the mount point.
    pub(crate) fn invalidate(&self, path: &Path) {
        let fs = self.stack.fs();
        // ENOENT from the kernel only means it had nothing cached.
        if let Ok(ino) = fs.path_to_inode(path) {
            let _ = self.notifier.inval_inode(INodeNo(ino), 0, -1);
        }
        if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
            if let Ok(parent) = fs.path_to_inode(parent) {
                let _ = self.notifier.inval_entry(INodeNo(parent), name);
            }
        }
    }
}

/// Waits for the session threads to see the unmount; past [`JOIN_WAIT`] they are left to end
/// on their own (a stack call that never returns must not hang the caller).
fn join_for_a_while(thread: JoinHandle<io::Result<()>>) {
    let deadline = Instant::now() + JOIN_WAIT;
    while !thread.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    if thread.is_finished() {
        let _ = thread.join();
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = self.unmount(true);
    }
}
