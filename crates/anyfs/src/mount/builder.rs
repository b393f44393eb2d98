//! [`MountBuilder`]: the fluent way to set a mount point and options, then mount.

use std::path::PathBuf;
use std::time::Duration;

use super::{MountError, MountHandle, MountOptions, MountStack};

/// Collects a stack, a mount point and [`MountOptions`], then [`mount`](Self::mount)s.
///
/// ```no_run
/// use anyfs::{MemoryBackend, MountHandle};
///
/// let mount = MountHandle::builder(MemoryBackend::new())
///     .mount_point("/mnt/data")
///     .read_only(true)
///     .uid(1000)
///     .gid(1000)
///     .mount()?;
/// mount.unmount()?;
/// # Ok::<(), anyfs::MountError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until .mount() is called"]
pub struct MountBuilder {
    stack: MountStack,
    mount_point: Option<PathBuf>,
    options: MountOptions,
}

impl MountBuilder {
    /// A builder for `stack` with default options and no mount point yet.
    pub fn new(stack: MountStack) -> Self {
        MountBuilder {
            stack,
            mount_point: None,
            options: MountOptions::default(),
        }
    }

    /// A builder for an `FsFuse` stack without handles (path-based I/O; see the module docs).
    pub fn fuse(backend: impl anyfs_backend::FsFuse + 'static) -> Self {
        MountBuilder::new(MountStack::fuse(backend))
    }

    /// The directory to mount on (it must exist).
    pub fn mount_point(mut self, path: impl Into<PathBuf>) -> Self {
        self.mount_point = Some(path.into());
        self
    }

    /// Replaces every option at once.
    pub fn options(mut self, options: MountOptions) -> Self {
        self.options = options;
        self
    }

    /// See [`MountOptions::read_only`].
    pub fn read_only(mut self, yes: bool) -> Self {
        self.options.read_only = yes;
        self
    }

    /// See [`MountOptions::allow_other`].
    pub fn allow_other(mut self, yes: bool) -> Self {
        self.options.allow_other = yes;
        self
    }

    /// See [`MountOptions::auto_unmount`] (this sets it to `Some(yes)`).
    pub fn auto_unmount(mut self, yes: bool) -> Self {
        self.options.auto_unmount = Some(yes);
        self
    }

    /// See [`MountOptions::uid`].
    pub fn uid(mut self, uid: u32) -> Self {
        self.options.uid = Some(uid);
        self
    }

    /// See [`MountOptions::gid`].
    pub fn gid(mut self, gid: u32) -> Self {
        self.options.gid = Some(gid);
        self
    }

    /// See [`MountOptions::default_permissions`].
    pub fn default_permissions(mut self, yes: bool) -> Self {
        self.options.default_permissions = yes;
        self
    }

    /// See [`MountOptions::fs_name`].
    pub fn fs_name(mut self, name: impl Into<String>) -> Self {
        self.options.fs_name = name.into();
        self
    }

    /// See [`MountOptions::max_write`].
    pub fn max_write(mut self, bytes: u32) -> Self {
        self.options.max_write = bytes;
        self
    }

    /// Sets both [`MountOptions::entry_ttl`] and [`MountOptions::attr_ttl`].
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.options.entry_ttl = ttl;
        self.options.attr_ttl = ttl;
        self
    }

    /// See [`MountOptions::entry_ttl`].
    pub fn entry_ttl(mut self, ttl: Duration) -> Self {
        self.options.entry_ttl = ttl;
        self
    }

    /// See [`MountOptions::attr_ttl`].
    pub fn attr_ttl(mut self, ttl: Duration) -> Self {
        self.options.attr_ttl = ttl;
        self
    }

    /// See [`MountOptions::threads`].
    pub fn threads(mut self, threads: usize) -> Self {
        self.options.threads = threads;
        self
    }

    /// See [`MountOptions::forward_locks`].
    pub fn forward_locks(mut self, yes: bool) -> Self {
        self.options.forward_locks = yes;
        self
    }

    /// The options set so far.
    pub fn get_options(&self) -> &MountOptions {
        &self.options
    }

    /// Mounts. `MissingMountPoint` without a mount point; see [`MountHandle::mount`] for the
    /// other errors.
    pub fn mount(self) -> Result<MountHandle, MountError> {
        let path = self.mount_point.ok_or(MountError::MissingMountPoint)?;
        MountHandle::mount_with(self.stack, path, self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_fill_the_options() {
        let b = MountBuilder::new(MountStack::posix(crate::MemoryBackend::new()))
            .read_only(true)
            .allow_other(true)
            .auto_unmount(false)
            .uid(7)
            .gid(8)
            .default_permissions(false)
            .fs_name("x")
            .max_write(65536)
            .ttl(Duration::from_secs(9))
            .threads(3)
            .forward_locks(true);
        let o = b.get_options();
        assert!(o.read_only && o.allow_other && o.forward_locks && !o.default_permissions);
        assert_eq!(o.auto_unmount, Some(false));
        assert_eq!((o.uid, o.gid), (Some(7), Some(8)));
        assert_eq!((o.max_write, o.threads), (65536, 3));
        assert_eq!(o.entry_ttl, Duration::from_secs(9));
        assert_eq!(o.attr_ttl, Duration::from_secs(9));
        assert_eq!(o.fs_name, "x");
    }

    #[test]
    fn mounting_without_a_mount_point_says_so() {
        let err = MountBuilder::new(MountStack::posix(crate::MemoryBackend::new()))
            .mount()
            .unwrap_err();
        assert_eq!(err.kind(), "MissingMountPoint");
    }
}
