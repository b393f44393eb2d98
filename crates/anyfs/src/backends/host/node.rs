//! [`Node`]: a node resolved once, symlinks followed, on which permission, owner, time and
//! extended-attribute changes act without resolving its path again.
//!
//! The node is held as an `O_PATH` descriptor (no read permission needed, no side effects on
//! FIFOs or devices). `fchmod`, `futimens` and the `f*xattr` calls refuse `O_PATH`
//! descriptors, so those go through the descriptor's `/proc/self/fd/N` link, which names
//! exactly the inode already resolved: a symlink swapped in after resolution cannot redirect
//! them. This needs `/proc` mounted, as it is on every ordinary Linux system.

use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, OwnedFd};

use rustix::fs::{
    chmodat, chownat, getxattr, listxattr, removexattr, setxattr, utimensat, AtFlags, Gid, Mode,
    OFlags, Timestamps, Uid, XattrFlags, CWD,
};
use rustix::io::{Errno, Result};

/// A resolved node.
pub(crate) struct Node {
    fd: OwnedFd,
    proc: CString,
}

impl Node {
    /// The flags a resolver opens a node with.
    pub(crate) const FLAGS: OFlags = OFlags::PATH;

    /// Wraps a descriptor opened with [`Node::FLAGS`].
    pub(crate) fn new(fd: OwnedFd) -> Node {
        let text = format!("/proc/self/fd/{}", fd.as_raw_fd());
        // A decimal number has no NUL byte.
        let proc = CString::new(text).unwrap_or_default();
        Node { fd, proc }
    }

    fn proc(&self) -> &CStr {
        &self.proc
    }

    /// Sets the permission bits.
    pub(crate) fn chmod(&self, mode: Mode) -> Result<()> {
        chmodat(CWD, self.proc(), mode, AtFlags::empty())
    }

    /// Sets access and modification times (`UTIME_OMIT` leaves one unchanged).
    pub(crate) fn set_times(&self, times: &Timestamps) -> Result<()> {
        utimensat(CWD, self.proc(), times, AtFlags::empty())
    }

    /// Changes owner and/or group.
    pub(crate) fn chown(&self, uid: Option<u32>, gid: Option<u32>) -> Result<()> {
        chownat(
            &self.fd,
            c"",
            uid.map(Uid::from_raw_unchecked),
            gid.map(Gid::from_raw_unchecked),
            AtFlags::EMPTY_PATH,
        )
    }

    /// The value of attribute `name`.
    pub(crate) fn get_xattr(&self, name: &str) -> Result<Vec<u8>> {
        // The value may grow between the size query and the read: retry on ERANGE.
        for _ in 0..8 {
            let size = rustix::fs::getxattr_query(self.proc(), name)?;
            if size == 0 {
                return Ok(Vec::new());
            }
            let mut value = vec![0u8; size];
            match getxattr(self.proc(), name, &mut value[..]) {
                Ok(len) => {
                    value.truncate(len);
                    return Ok(value);
                }
                Err(Errno::RANGE) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Errno::RANGE)
    }

    /// Creates or replaces attribute `name`.
    pub(crate) fn set_xattr(&self, name: &str, value: &[u8]) -> Result<()> {
        setxattr(self.proc(), name, value, XattrFlags::empty())
    }

    /// Removes attribute `name`.
    pub(crate) fn remove_xattr(&self, name: &str) -> Result<()> {
        removexattr(self.proc(), name)
    }

    /// The attribute names (lossily converted to UTF-8).
    pub(crate) fn list_xattr(&self) -> Result<Vec<String>> {
        for _ in 0..8 {
            let size = rustix::fs::listxattr_query(self.proc())?;
            if size == 0 {
                return Ok(Vec::new());
            }
            let mut list = vec![0u8; size];
            match listxattr(self.proc(), &mut list[..]) {
                Ok(len) => {
                    list.truncate(len);
                    return Ok(list
                        .split(|b| *b == 0)
                        .filter(|name| !name.is_empty())
                        .map(|name| String::from_utf8_lossy(name).into_owned())
                        .collect());
                }
                Err(Errno::RANGE) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Errno::RANGE)
    }
}
