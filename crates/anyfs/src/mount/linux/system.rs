//! What this Linux system offers for mounting: `/dev/fuse`, root, the `fusermount3` helper and
//! `/etc/fuse.conf`'s `user_allow_other`.

use std::path::{Path, PathBuf};

/// The FUSE device; without it no mount is possible.
pub(crate) fn dev_fuse_present() -> bool {
    Path::new("/dev/fuse").exists()
}

/// Whether this process may call `mount(2)` itself.
pub(crate) fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The setuid helper non-root mounts (and auto-unmount) go through: `fusermount3`, or the
/// FUSE 2 `fusermount`, from `PATH` or the usual directories.
pub(crate) fn fusermount() -> Option<PathBuf> {
    let dirs = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let fallback = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map(PathBuf::from);
    ["fusermount3", "fusermount"].iter().find_map(|name| {
        dirs.iter()
            .chain(fallback.iter())
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Whether non-root users may use `allow_other` (a line `user_allow_other` in
/// `/etc/fuse.conf`).
pub(crate) fn user_allow_other() -> bool {
    std::fs::read_to_string("/etc/fuse.conf")
        .map(|conf| conf.lines().any(|l| l.trim() == "user_allow_other"))
        .unwrap_or(false)
}

/// `/dev/fuse` exists and this process can mount: as root, or through `fusermount3`.
pub(crate) fn is_available() -> bool {
    dev_fuse_present() && (is_root() || fusermount().is_some())
}
