//! [`MountHandle`]: a live mount; dropping it unmounts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyfs_backend::FsPosix;

use super::platform::{self, Mounted};
use super::watch::Invalidator;
use super::{MountBuilder, MountError, MountOptions, MountStack, Watched};

/// A stack mounted as a real filesystem. Dropping the handle unmounts (lazily if files are
/// still open under it); [`unmount`](Self::unmount) does it explicitly.
///
/// ```no_run
/// use anyfs::{FsRead, MemoryBackend, MountHandle};
/// use std::path::Path;
///
/// let backend = MemoryBackend::new();
/// let mount = MountHandle::mount(backend.clone(), "/mnt/ramdisk")?;
/// std::fs::write("/mnt/ramdisk/hello.txt", "hi")?; // any program can use it
/// assert_eq!(backend.read(Path::new("/hello.txt"))?, b"hi");
/// mount.unmount()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct MountHandle {
    inner: Option<Mounted>,
    /// The mounted stack, to resolve paths to the kernel's inode numbers.
    stack: MountStack,
    /// The invalidator thread, started by the first [`watch`](Self::watch) or
    /// [`invalidate`](Self::invalidate); `None` inside if it could not start.
    invalidator: OnceLock<Option<Arc<Invalidator>>>,
}

impl MountHandle {
    /// Mounts an `FsPosix` stack at `mount_point` (an existing directory) with default
    /// [`MountOptions`].
    ///
    /// Errors: `InvalidMountPoint` (missing, not a directory), `MountPointBusy` (a dead FUSE
    /// mount sits there), `DriverNotInstalled` (no `/dev/fuse`, or no `fusermount3` when not
    /// root), `PermissionDenied`, `PlatformNotSupported` (not Linux), `Platform` (anything
    /// else the system reported).
    pub fn mount<B: FsPosix + 'static>(
        backend: B,
        mount_point: impl AsRef<Path>,
    ) -> Result<Self, MountError> {
        Self::mount_with(
            MountStack::posix(backend),
            mount_point.as_ref(),
            MountOptions::default(),
        )
    }

    /// A [`MountBuilder`] for an `FsPosix` stack. For a stack that is only `FsFuse`, use
    /// [`MountBuilder::fuse`].
    pub fn builder<B: FsPosix + 'static>(backend: B) -> MountBuilder {
        MountBuilder::new(MountStack::posix(backend))
    }

    /// Mounts any [`MountStack`] with explicit options.
    pub fn mount_with(
        stack: MountStack,
        mount_point: impl Into<PathBuf>,
        options: MountOptions,
    ) -> Result<Self, MountError> {
        let mount_point = mount_point.into();
        let mounted = platform::mount(stack.clone(), &mount_point, options)?;
        Ok(MountHandle {
            inner: Some(mounted),
            stack,
            invalidator: OnceLock::new(),
        })
    }

    /// Whether this process can mount at all: Linux with `/dev/fuse`, as root or with
    /// `fusermount3` installed. Always `false` on other platforms in this release.
    pub fn is_available() -> bool {
        platform::is_available()
    }

    /// The mount point (canonical).
    pub fn mount_point(&self) -> Option<&Path> {
        self.inner.as_ref().map(Mounted::mount_point)
    }

    /// Whether the filesystem is still mounted: `false` after [`try_unmount`](Self::try_unmount)
    /// or once someone unmounted it from outside (`fusermount3 -u`, `umount`).
    pub fn is_mounted(&self) -> bool {
        self.inner.as_ref().is_some_and(Mounted::is_mounted)
    }

    /// Makes programs see in-process changes to `path` at once: drops the kernel's cached
    /// attributes, data and directory entry for it (and its directory's listing). `path` is
    /// the stack's path (`/a/b`), not a path under the mount point. For changes made through
    /// a [`watch`](Self::watch)ed stack this happens by itself; use it for changes made behind
    /// the mount's back (another handle on the same data, a JS layer's own state). Without
    /// it, such changes show within the TTLs.
    pub fn invalidate(&self, path: impl AsRef<Path>) {
        match self.invalidator() {
            Some(inv) => inv.path(path.as_ref()),
            None => {
                if let Some(m) = &self.inner {
                    m.invalidate(path.as_ref());
                }
            }
        }
    }

    /// Wraps `stack` so every change that succeeds through it updates this mount's kernel
    /// caches before returning: programs see in-process changes at once, however long the
    /// TTLs (see [`Watched`]). Wrap the mounted stack itself (a clone of it, or the same
    /// `Arc`), or any handle whose paths and inode numbers are the mounted stack's. After the
    /// unmount, the wrapper only forwards.
    ///
    /// ```no_run
    /// use anyfs::{FileStorage, MemoryBackend, MountHandle};
    /// let backend = MemoryBackend::new();
    /// let mount = MountHandle::mount(backend.clone(), "/mnt/ws")?;
    /// let fs = FileStorage::new(mount.watch(backend));
    /// fs.write("/notes.txt", b"seen by `cat /mnt/ws/notes.txt` at once")?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn watch<B>(&self, stack: B) -> Watched<B> {
        Watched::new(stack, self.invalidator().cloned())
    }

    fn invalidator(&self) -> Option<&Arc<Invalidator>> {
        self.invalidator
            .get_or_init(|| {
                let mounted = self.inner.as_ref()?;
                Invalidator::start(self.stack.clone(), mounted.kernel_cache())
                    .ok()
                    .map(Arc::new)
            })
            .as_ref()
    }

    /// Unmounts and waits for the session to end. If files are still open under the mount
    /// point, the mount is detached lazily instead (gone from the namespace now, ended when
    /// the last file closes) and this still succeeds; use
    /// [`try_unmount`](Self::try_unmount) to fail with `MountPointBusy` instead.
    pub fn unmount(mut self) -> Result<(), MountError> {
        match self.inner.take() {
            Some(mut m) => m.unmount(true),
            None => Ok(()),
        }
    }

    /// Unmounts, failing with `MountPointBusy` (and staying mounted) while files are open
    /// under the mount point. Unmounting twice, or after an outside unmount, succeeds.
    pub fn try_unmount(&mut self) -> Result<(), MountError> {
        match &mut self.inner {
            Some(m) => {
                m.unmount(false)?;
                self.inner = None;
                Ok(())
            }
            None => Ok(()),
        }
    }
}

// `Drop` lives on `Mounted`: dropping the handle drops it, which unmounts (lazily if busy).

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_can_move_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<MountHandle>();
        send_sync::<MountStack>();
        send_sync::<MountBuilder>();
    }
}
