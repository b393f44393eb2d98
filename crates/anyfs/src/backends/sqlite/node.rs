//! One row of the `inodes` table, and the encodings the schema uses: node kinds as small
//! integers, times as signed nanoseconds since the Unix epoch, symlink targets as raw bytes.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyfs_backend::{FileType, Metadata, Permissions};
use rusqlite::Row;

/// `inodes.kind` of a regular file.
pub(super) const KIND_FILE: i64 = 0;
/// `inodes.kind` of a directory.
pub(super) const KIND_DIR: i64 = 1;
/// `inodes.kind` of a symbolic link.
pub(super) const KIND_SYMLINK: i64 = 2;

/// The column code of a file type.
pub(super) fn kind_code(ty: FileType) -> i64 {
    match ty {
        FileType::File => KIND_FILE,
        FileType::Directory => KIND_DIR,
        FileType::Symlink => KIND_SYMLINK,
    }
}

/// The file type of a column code; `None` for a value the schema's CHECK forbids.
pub(super) fn kind_from(code: i64) -> Option<FileType> {
    match code {
        KIND_FILE => Some(FileType::File),
        KIND_DIR => Some(FileType::Directory),
        KIND_SYMLINK => Some(FileType::Symlink),
        _ => None,
    }
}

/// Nanoseconds since the epoch (negative before it), saturating at about ±292 years.
pub(super) fn to_ns(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// The inverse of [`to_ns`].
pub(super) fn from_ns(ns: i64) -> SystemTime {
    let magnitude = Duration::from_nanos(ns.unsigned_abs());
    if ns >= 0 {
        UNIX_EPOCH.checked_add(magnitude).unwrap_or(UNIX_EPOCH)
    } else {
        UNIX_EPOCH.checked_sub(magnitude).unwrap_or(UNIX_EPOCH)
    }
}

/// A SQLite integer for a caller's `u64` (inode numbers, offsets): values past `i64::MAX` name
/// nothing, so they saturate there.
pub(super) fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A symlink target as stored (its bytes, as the OS spells them).
pub(super) fn target_bytes(target: &std::path::Path) -> Vec<u8> {
    target.as_os_str().as_encoded_bytes().to_vec()
}

/// A stored symlink target back as a path.
pub(super) fn target_path(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The columns [`Inode::from_row`] reads, in order.
pub(super) const INODE_COLUMNS: &str =
    "kind, mode, uid, gid, size, nlink, atime, mtime, ctime, btime";

/// An inode's attributes, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Inode {
    pub file_type: FileType,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub nlink: u64,
    pub atime: i64,
    pub mtime: i64,
    pub ctime: i64,
    pub btime: i64,
}

impl Inode {
    /// Reads [`INODE_COLUMNS`] from a row. A kind outside the schema's CHECK is reported as a
    /// conversion error (the database was edited by something else).
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let code: i64 = row.get(0)?;
        let file_type = kind_from(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, code))?;
        Ok(Inode {
            file_type,
            mode: row.get(1)?,
            uid: row.get(2)?,
            gid: row.get(3)?,
            size: row.get(4)?,
            nlink: row.get(5)?,
            atime: row.get(6)?,
            mtime: row.get(7)?,
            ctime: row.get(8)?,
            btime: row.get(9)?,
        })
    }

    pub fn metadata(&self, ino: u64) -> Metadata {
        Metadata {
            inode: ino,
            nlink: self.nlink,
            file_type: self.file_type,
            size: self.size,
            permissions: Permissions::from_mode(self.mode),
            uid: self.uid,
            gid: self.gid,
            created: Some(from_ns(self.btime)),
            modified: Some(from_ns(self.mtime)),
            accessed: Some(from_ns(self.atime)),
            changed: Some(from_ns(self.ctime)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_before_and_after_the_epoch() {
        for t in [
            UNIX_EPOCH,
            UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789),
            UNIX_EPOCH - Duration::new(86_400, 5),
        ] {
            assert_eq!(from_ns(to_ns(t)), t);
        }
        assert_eq!(to_ns(UNIX_EPOCH - Duration::from_nanos(1)), -1);
    }

    #[test]
    fn kinds_round_trip_and_unknown_codes_are_refused() {
        for ty in [FileType::File, FileType::Directory, FileType::Symlink] {
            assert_eq!(kind_from(kind_code(ty)), Some(ty));
        }
        assert_eq!(kind_from(7), None);
    }
}
