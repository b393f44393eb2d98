//! [`MountError`]: why a mount or an unmount failed, with what to do about it.

use std::fmt;
use std::path::PathBuf;

use anyfs_backend::FsError;

/// Why mounting (or unmounting) failed.
///
/// Each variant says what to do next in its message; [`kind`](MountError::kind) names the
/// variant for programs (the Node binding's `MountError.kind`).
///
/// ```
/// use anyfs::MountError;
/// let err = MountError::MissingMountPoint;
/// assert_eq!(err.kind(), "MissingMountPoint");
/// assert!(err.to_string().contains("mount_point"));
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum MountError {
    /// This platform (or this build) cannot mount: only Linux FUSE is built in.
    PlatformNotSupported {
        /// What is missing, e.g. "macFUSE support is not built into this release".
        reason: &'static str,
    },

    /// The kernel driver or its helper program is not installed.
    DriverNotInstalled {
        /// What is missing (`"FUSE (/dev/fuse)"`, `"fusermount3"`).
        driver: &'static str,
        /// Where to get it.
        install_url: &'static str,
        /// How to install it, e.g. "install Debian's fuse3 package: apt-get install fuse3".
        hint: &'static str,
    },

    /// The mount point does not exist, is not a directory or cannot be reached.
    InvalidMountPoint {
        /// The mount point as given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// The mount point is in use: files are open under it (unmount), or a dead FUSE mount
    /// still sits there (mount).
    MountPointBusy {
        /// The mount point.
        path: PathBuf,
        /// What holds it and how to free it.
        reason: String,
    },

    /// The system refused: mounting needs root, or the setuid `fusermount3` helper; options
    /// such as `allow_other` need `user_allow_other` in `/etc/fuse.conf`.
    PermissionDenied {
        /// What was refused and why.
        reason: String,
    },

    /// The stack cannot be mounted (for example it lacks inode support).
    Backend(FsError),

    /// Any other error the operating system reported.
    Platform(String),

    /// [`MountBuilder::mount`](super::MountBuilder::mount) was called without a mount point.
    MissingMountPoint,
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MountError::PlatformNotSupported { reason } => {
                write!(f, "mounting is not supported on this platform: {reason}")
            }
            MountError::DriverNotInstalled {
                driver,
                install_url,
                hint,
            } => write!(f, "{driver} is not installed: {hint} (see {install_url})"),
            MountError::InvalidMountPoint { path, reason } => {
                write!(f, "invalid mount point {}: {reason}", path.display())
            }
            MountError::MountPointBusy { path, reason } => {
                write!(f, "mount point busy: {}: {reason}", path.display())
            }
            MountError::PermissionDenied { reason } => write!(f, "permission denied: {reason}"),
            MountError::Backend(e) => write!(f, "backend error: {e}"),
            MountError::Platform(message) => write!(f, "platform error: {message}"),
            MountError::MissingMountPoint => {
                f.write_str("no mount point given: call .mount_point(path) before .mount()")
            }
        }
    }
}

impl std::error::Error for MountError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MountError::Backend(e) => Some(e),
            _ => None,
        }
    }
}

impl From<FsError> for MountError {
    fn from(e: FsError) -> Self {
        MountError::Backend(e)
    }
}

impl MountError {
    /// The variant's name (`"MountPointBusy"`, ...), stable for programs to match on.
    pub fn kind(&self) -> &'static str {
        match self {
            MountError::PlatformNotSupported { .. } => "PlatformNotSupported",
            MountError::DriverNotInstalled { .. } => "DriverNotInstalled",
            MountError::InvalidMountPoint { .. } => "InvalidMountPoint",
            MountError::MountPointBusy { .. } => "MountPointBusy",
            MountError::PermissionDenied { .. } => "PermissionDenied",
            MountError::Backend(_) => "Backend",
            MountError::Platform(_) => "Platform",
            MountError::MissingMountPoint => "MissingMountPoint",
        }
    }

    /// The mount point the error is about, where the variant records one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            MountError::InvalidMountPoint { path, .. }
            | MountError::MountPointBusy { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// The error for a missing `/dev/fuse` (kernel module not loaded or not exposed).
#[cfg(target_os = "linux")]
pub(crate) fn no_dev_fuse() -> MountError {
    MountError::DriverNotInstalled {
        driver: "FUSE (/dev/fuse)",
        install_url: "https://www.kernel.org/doc/html/latest/filesystems/fuse.html",
        hint: "load the kernel module (modprobe fuse) or, in a container, pass --device /dev/fuse",
    }
}

/// The error for a missing `fusermount3` when it is needed (not root, or auto-unmount).
#[cfg(target_os = "linux")]
pub(crate) fn no_fusermount() -> MountError {
    MountError::DriverNotInstalled {
        driver: "fusermount3",
        install_url: "https://github.com/libfuse/libfuse",
        hint: "install the fuse3 package (Debian/Ubuntu: apt-get install fuse3; Fedora: dnf install fuse3)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_messages_name_the_problem() {
        let busy = MountError::MountPointBusy {
            path: "/mnt/x".into(),
            reason: "files are open".into(),
        };
        assert_eq!(busy.kind(), "MountPointBusy");
        assert_eq!(busy.path(), Some(std::path::Path::new("/mnt/x")));
        assert_eq!(busy.to_string(), "mount point busy: /mnt/x: files are open");
        let backend = MountError::from(FsError::NotSupported {
            operation: "lookup",
        });
        assert_eq!(backend.kind(), "Backend");
        assert_eq!(backend.path(), None);
        assert!(backend.to_string().contains("lookup"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn driver_errors_say_how_to_install() {
        let e = no_fusermount();
        assert_eq!(e.kind(), "DriverNotInstalled");
        assert!(e.to_string().contains("apt-get install fuse3"), "{e}");
        assert!(no_dev_fuse().to_string().contains("modprobe fuse"));
    }
}
