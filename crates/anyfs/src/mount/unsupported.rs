//! Platforms without a mount implementation in this release: macOS (macFUSE) and Windows
//! (WinFsp) are planned (seed 003, phases 3 and 4) but cannot be built or tested here, so they
//! answer with a clear error instead of untested code.

use std::path::Path;

use super::{MountError, MountOptions, MountStack};

#[cfg(target_os = "macos")]
const REASON: &str = "macFUSE support is not built into this release of anyfs (Linux only)";
#[cfg(windows)]
const REASON: &str = "WinFsp support is not built into this release of anyfs (Linux only)";
#[cfg(not(any(target_os = "macos", windows)))]
const REASON: &str = "anyfs mounts only on Linux (FUSE) in this release";

/// No mount can exist here.
#[derive(Debug)]
pub(crate) enum Mounted {}

pub(crate) fn mount(
    _stack: MountStack,
    _mount_point: &Path,
    _options: MountOptions,
) -> Result<Mounted, MountError> {
    Err(MountError::PlatformNotSupported { reason: REASON })
}

pub(crate) fn is_available() -> bool {
    false
}

impl Mounted {
    pub(crate) fn mount_point(&self) -> &Path {
        match *self {}
    }

    pub(crate) fn is_mounted(&self) -> bool {
        match *self {}
    }

    pub(crate) fn unmount(&mut self, _lazy_if_busy: bool) -> Result<(), MountError> {
        match *self {}
    }

    pub(crate) fn kernel_cache(&self) -> std::sync::Arc<dyn super::watch::KernelCache> {
        match *self {}
    }

    pub(crate) fn invalidate(&self, _path: &Path) {
        match *self {}
    }
}
