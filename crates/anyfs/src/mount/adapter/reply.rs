//! The answer side of every callback: errno conversion, the panic guard, and `Metadata` ->
//! `FileAttr`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{SystemTime, UNIX_EPOCH};

use anyfs_backend::{errno, FileType, FsError, Metadata, StatFs};
use fuser::{Errno, FileAttr, INodeNo};

/// What every callback body returns before it is turned into a reply.
pub(super) type Res<T> = Result<T, Errno>;

/// The errno of an engine error: the one mapping, [`FsError::errno`].
pub(super) fn errno_of(err: &FsError) -> Errno {
    Errno::from_i32(err.errno())
}

/// As [`errno_of`], for replies where `ENOSYS` would make the kernel stop sending that request
/// type for the life of the mount (open, create, opendir): a backend that cannot do it *this
/// time* answers "not supported" instead.
pub(super) fn errno_no_protocol_change(err: &FsError) -> Errno {
    match err.errno() {
        errno::ENOSYS => Errno::EOPNOTSUPP,
        n => Errno::from_i32(n),
    }
}

/// `.map_err(fs)`: an engine error as an errno.
pub(super) fn fs(err: FsError) -> Errno {
    errno_of(&err)
}

/// Runs a callback body; a panic becomes `EIO` instead of unwinding into the session loop
/// (which would end the mount). The panic message still reaches the panic hook (stderr).
pub(super) fn guarded<T>(body: impl FnOnce() -> Res<T>) -> Res<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(Err(Errno::EIO))
}

/// Owner overrides from the mount options.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Owner {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// The kernel's view of a node. `ino` is the number the kernel asked about (what a layer
/// reports in `Metadata::inode` may differ, e.g. Overlay's synthesized numbers).
pub(super) fn to_attr(ino: u64, meta: &Metadata, owner: Owner) -> FileAttr {
    let mtime = meta.modified.unwrap_or(UNIX_EPOCH);
    let kind = match meta.file_type {
        FileType::File => fuser::FileType::RegularFile,
        FileType::Directory => fuser::FileType::Directory,
        FileType::Symlink => fuser::FileType::Symlink,
    };
    FileAttr {
        ino: INodeNo(ino),
        size: meta.size,
        blocks: meta.size.div_ceil(512),
        atime: meta.accessed.unwrap_or(mtime),
        mtime,
        ctime: meta.changed.unwrap_or(mtime),
        crtime: meta.created.unwrap_or(mtime),
        kind,
        perm: u16::try_from(meta.permissions.mode() & 0o7777).unwrap_or(0),
        nlink: u32::try_from(meta.nlink).unwrap_or(u32::MAX),
        uid: owner.uid.unwrap_or(meta.uid),
        gid: owner.gid.unwrap_or(meta.gid),
        rdev: 0,
        blksize: 4096,
        flags: 0,
    }
}

/// `statfs(2)` numbers in `bsize` blocks: (blocks, free, available, files, free files, bsize,
/// name length).
pub(super) fn to_statfs(s: &StatFs) -> (u64, u64, u64, u64, u64, u32, u32) {
    let bsize = u32::try_from(s.block_size)
        .ok()
        .filter(|b| *b >= 512)
        .unwrap_or(4096);
    let b = u64::from(bsize);
    let namelen = u32::try_from(s.max_name_length)
        .ok()
        .filter(|n| *n > 0)
        .unwrap_or(255);
    (
        s.total_bytes / b,
        s.available_bytes / b,
        s.available_bytes / b,
        s.total_inodes,
        s.available_inodes,
        bsize,
        namelen,
    )
}

/// A kernel time argument as a `SystemTime`.
pub(super) fn to_time(t: fuser::TimeOrNow) -> SystemTime {
    match t {
        fuser::TimeOrNow::SpecificTime(t) => t,
        fuser::TimeOrNow::Now => SystemTime::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyfs_backend::Permissions;

    #[test]
    fn attrs_carry_type_mode_and_owner_overrides() {
        let mut m = Metadata::new(FileType::File);
        m.size = 1000;
        m.permissions = Permissions::from_mode(0o4755);
        m.uid = 5;
        m.gid = 6;
        m.nlink = 3;
        let a = to_attr(42, &m, Owner::default());
        assert_eq!(a.ino, INodeNo(42));
        assert_eq!((a.size, a.blocks, a.perm, a.nlink), (1000, 2, 0o4755, 3));
        assert_eq!(a.kind, fuser::FileType::RegularFile);
        assert_eq!((a.uid, a.gid), (5, 6));
        let a = to_attr(
            1,
            &Metadata::new(FileType::Symlink),
            Owner {
                uid: Some(1000),
                gid: None,
            },
        );
        assert_eq!((a.uid, a.gid, a.kind), (1000, 0, fuser::FileType::Symlink));
    }

    #[test]
    fn errors_use_the_one_mapping() {
        let e = FsError::NotFound {
            path: "/a".into(),
            operation: "x",
        };
        assert_eq!(errno_of(&e), Errno::ENOENT);
        let e = FsError::QuotaExceeded {
            limit: 1,
            requested: 2,
            usage: 0,
        };
        assert_eq!(fs(e), Errno::ENOSPC);
        let ns = FsError::NotSupported { operation: "open" };
        assert_eq!(errno_of(&ns), Errno::ENOSYS);
        assert_eq!(errno_no_protocol_change(&ns), Errno::EOPNOTSUPP);
    }

    #[test]
    fn a_panicking_body_answers_eio() {
        let r: Res<()> = guarded(|| panic!("boom"));
        assert_eq!(r, Err(Errno::EIO));
        assert_eq!(guarded(|| Ok(5)), Ok(5));
    }

    #[test]
    fn statfs_counts_blocks() {
        let s = StatFs {
            total_bytes: 8192,
            used_bytes: 4096,
            available_bytes: 4096,
            total_inodes: 10,
            used_inodes: 1,
            available_inodes: 9,
            block_size: 0,
            max_name_length: 0,
        };
        assert_eq!(to_statfs(&s), (2, 1, 1, 10, 9, 4096, 255));
    }
}
