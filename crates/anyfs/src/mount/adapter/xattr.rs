//! Extended attributes through the stack's [`FsXattr`](anyfs_backend::FsXattr). Stacks without
//! it answer `ENOSYS`, which the kernel remembers (it then answers `EOPNOTSUPP` itself,
//! without a round trip).

use std::ffi::OsStr;

use anyfs_backend::FsError;
use fuser::Errno;

use super::reply::{fs, Res};
use super::Adapter;

/// `setxattr(2)` flags.
const XATTR_CREATE: i32 = 1;
const XATTR_REPLACE: i32 = 2;

/// What a getxattr/listxattr call answers: the size the caller must provide, or the bytes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum XattrReply {
    Size(u32),
    Data(Vec<u8>),
}

/// `size == 0` asks for the size; a buffer too small is `ERANGE`.
fn sized(value: Vec<u8>, size: u32) -> Res<XattrReply> {
    let len = u32::try_from(value.len()).map_err(|_| Errno::E2BIG)?;
    if size == 0 {
        Ok(XattrReply::Size(len))
    } else if len > size {
        Err(Errno::ERANGE)
    } else {
        Ok(XattrReply::Data(value))
    }
}

/// Attribute names are UTF-8 in the contract; any other name cannot exist.
fn name_str(name: &OsStr) -> Res<&str> {
    name.to_str().ok_or(Errno::ENODATA)
}

impl Adapter {
    fn xattr_path(&self, ino: u64) -> Res<(&dyn anyfs_backend::FsPosix, std::path::PathBuf)> {
        let posix = self.stack.posix_ref().ok_or(Errno::ENOSYS)?;
        let path = posix.inode_to_path(ino).map_err(fs)?;
        Ok((posix, path))
    }

    pub(super) fn do_getxattr(&self, ino: u64, name: &OsStr, size: u32) -> Res<XattrReply> {
        let (posix, path) = self.xattr_path(ino)?;
        let value = posix.get_xattr(&path, name_str(name)?).map_err(fs)?;
        sized(value, size)
    }

    pub(super) fn do_listxattr(&self, ino: u64, size: u32) -> Res<XattrReply> {
        let (posix, path) = self.xattr_path(ino)?;
        let mut list = Vec::new();
        for name in posix.list_xattr(&path).map_err(fs)? {
            list.extend_from_slice(name.as_bytes());
            list.push(0);
        }
        sized(list, size)
    }

    pub(super) fn do_setxattr(&self, ino: u64, name: &OsStr, value: &[u8], flags: i32) -> Res<()> {
        self.writable()?;
        let (posix, path) = self.xattr_path(ino)?;
        let name = name.to_str().ok_or(Errno::EINVAL)?;
        if flags & (XATTR_CREATE | XATTR_REPLACE) != 0 {
            let exists = match posix.get_xattr(&path, name) {
                Ok(_) => true,
                Err(FsError::XattrNotFound { .. }) => false,
                Err(e) => return Err(fs(e)),
            };
            if exists && flags & XATTR_CREATE != 0 {
                return Err(Errno::EEXIST);
            }
            if !exists && flags & XATTR_REPLACE != 0 {
                return Err(Errno::ENODATA);
            }
        }
        posix.set_xattr(&path, name, value).map_err(fs)
    }

    pub(super) fn do_removexattr(&self, ino: u64, name: &OsStr) -> Res<()> {
        self.writable()?;
        let (posix, path) = self.xattr_path(ino)?;
        posix.remove_xattr(&path, name_str(name)?).map_err(fs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_probe_and_erange() {
        assert_eq!(sized(b"abc".to_vec(), 0), Ok(XattrReply::Size(3)));
        assert_eq!(sized(b"abc".to_vec(), 2), Err(Errno::ERANGE));
        assert_eq!(
            sized(b"abc".to_vec(), 3),
            Ok(XattrReply::Data(b"abc".to_vec()))
        );
    }
}
