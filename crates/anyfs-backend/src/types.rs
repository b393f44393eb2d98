//! The value types shared by every backend: metadata, permissions, directory entries, statfs,
//! open flags, handles and lock types.

use std::ffi::OsString;
use std::time::SystemTime;

/// Inode number of the root directory (the FUSE convention).
pub const ROOT_INODE: u64 = 1;

/// The kind of a filesystem node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FileType {
    /// A regular file.
    #[default]
    File,
    /// A directory.
    Directory,
    /// A symbolic link (its target is stored as data).
    Symlink,
}

impl FileType {
    /// The `S_IFMT` bits of this type (`0o100000`, `0o040000`, `0o120000`).
    pub fn mode_bits(self) -> u32 {
        match self {
            FileType::File => 0o100_000,
            FileType::Directory => 0o040_000,
            FileType::Symlink => 0o120_000,
        }
    }
}

/// Unix permission bits (the low 12 bits of `st_mode`: setuid, setgid, sticky, rwx × 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permissions {
    /// Permission mode, e.g. `0o755`.
    pub mode: u32,
}

impl Permissions {
    /// Builds permissions from mode bits; bits above `0o7777` are dropped.
    pub fn from_mode(mode: u32) -> Self {
        Permissions {
            mode: mode & 0o7777,
        }
    }

    /// `0o444`: readable by all, writable by none.
    pub fn readonly() -> Self {
        Permissions { mode: 0o444 }
    }

    /// `0o644`: the default for new files.
    pub fn default_file() -> Self {
        Permissions { mode: 0o644 }
    }

    /// `0o755`: the default for new directories.
    pub fn default_dir() -> Self {
        Permissions { mode: 0o755 }
    }

    /// `0o777`: the mode of a symbolic link.
    pub fn symlink() -> Self {
        Permissions { mode: 0o777 }
    }

    /// True when no write bit is set.
    pub fn is_readonly(&self) -> bool {
        self.mode & 0o222 == 0
    }

    /// The permission bits.
    pub fn mode(&self) -> u32 {
        self.mode
    }
}

impl From<u32> for Permissions {
    fn from(mode: u32) -> Self {
        Permissions::from_mode(mode)
    }
}

/// Metadata of a file, directory or symbolic link.
///
/// A plain struct so custom backends can build it with a literal (start from
/// [`Metadata::new`] and set the fields they know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Inode number: stable for the node's lifetime, shared by its hard links.
    pub inode: u64,
    /// Number of hard links to the node (a directory counts `.` and each child's `..`).
    pub nlink: u64,
    /// File, directory or symlink.
    pub file_type: FileType,
    /// Size in bytes: file length, symlink target length, 0 for directories.
    pub size: u64,
    /// Permission bits.
    pub permissions: Permissions,
    /// Owner user id (0 where the backend does not track owners).
    pub uid: u32,
    /// Owner group id (0 where the backend does not track owners).
    pub gid: u32,
    /// Creation (birth) time, if the backend records it.
    pub created: Option<SystemTime>,
    /// Last modification of the content (`mtime`).
    pub modified: Option<SystemTime>,
    /// Last access (`atime`), if the backend records it.
    pub accessed: Option<SystemTime>,
    /// Last status change (`ctime`): content, permissions, links or owner.
    pub changed: Option<SystemTime>,
}

impl Metadata {
    /// Metadata for a node of the given type with everything else zero or unset.
    pub fn new(file_type: FileType) -> Self {
        let permissions = match file_type {
            FileType::File => Permissions::default_file(),
            FileType::Directory => Permissions::default_dir(),
            FileType::Symlink => Permissions::symlink(),
        };
        Metadata {
            inode: 0,
            nlink: 1,
            file_type,
            size: 0,
            permissions,
            uid: 0,
            gid: 0,
            created: None,
            modified: None,
            accessed: None,
            changed: None,
        }
    }

    /// True for regular files.
    pub fn is_file(&self) -> bool {
        self.file_type == FileType::File
    }

    /// True for directories.
    pub fn is_dir(&self) -> bool {
        self.file_type == FileType::Directory
    }

    /// True for symbolic links.
    pub fn is_symlink(&self) -> bool {
        self.file_type == FileType::Symlink
    }

    /// The full `st_mode`: type bits and permission bits.
    pub fn mode(&self) -> u32 {
        self.file_type.mode_bits() | self.permissions.mode
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (not its full path).
    pub name: OsString,
    /// The entry's inode number (saves a stat call).
    pub inode: u64,
    /// The entry's type (saves a stat call).
    pub file_type: FileType,
}

/// Filesystem statistics (what `df` shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatFs {
    /// Total size in bytes.
    pub total_bytes: u64,
    /// Bytes in use.
    pub used_bytes: u64,
    /// Bytes still available.
    pub available_bytes: u64,
    /// Total number of inodes.
    pub total_inodes: u64,
    /// Inodes in use.
    pub used_inodes: u64,
    /// Inodes still available.
    pub available_inodes: u64,
    /// Preferred block size.
    pub block_size: u64,
    /// Longest accepted file name, in bytes.
    pub max_name_length: u64,
}

/// How a file is opened by [`FsHandles::open`](crate::FsHandles::open).
///
/// A small bit set, like `O_RDONLY | O_CREAT`; combine with `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OpenFlags(u32);

impl OpenFlags {
    /// Open for reading.
    pub const READ: OpenFlags = OpenFlags(1);
    /// Open for writing.
    pub const WRITE: OpenFlags = OpenFlags(1 << 1);
    /// Create the file if it does not exist.
    pub const CREATE: OpenFlags = OpenFlags(1 << 2);
    /// With `CREATE`: fail with `AlreadyExists` if the file exists.
    pub const EXCLUSIVE: OpenFlags = OpenFlags(1 << 3);
    /// Truncate the file to zero length on open.
    pub const TRUNCATE: OpenFlags = OpenFlags(1 << 4);
    /// Every write goes to the end of the file, whatever its offset.
    pub const APPEND: OpenFlags = OpenFlags(1 << 5);
    /// Read and write.
    pub const READ_WRITE: OpenFlags = OpenFlags(1 | (1 << 1));

    /// No flags.
    pub const fn empty() -> Self {
        OpenFlags(0)
    }

    /// The raw bits.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Flags from raw bits; unknown bits are dropped.
    pub const fn from_bits_truncate(bits: u32) -> Self {
        OpenFlags(bits & 0b11_1111)
    }

    /// True when every flag of `other` is set in `self`.
    pub const fn contains(self, other: OpenFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when the handle may read.
    pub const fn readable(self) -> bool {
        self.contains(Self::READ)
    }

    /// True when the handle may write (`WRITE` or `APPEND`).
    pub const fn writable(self) -> bool {
        self.contains(Self::WRITE) || self.contains(Self::APPEND)
    }
}

impl std::ops::BitOr for OpenFlags {
    type Output = OpenFlags;
    fn bitor(self, rhs: OpenFlags) -> OpenFlags {
        OpenFlags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for OpenFlags {
    fn bitor_assign(&mut self, rhs: OpenFlags) {
        self.0 |= rhs.0;
    }
}

/// An open file handle returned by [`FsHandles::open`](crate::FsHandles::open).
///
/// Opaque to callers; backends choose the numbers. Valid until closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle(pub u64);

impl Handle {
    /// The raw value (what FUSE calls `fh`).
    pub fn raw(self) -> u64 {
        self.0
    }
}

/// An advisory lock kind for [`FsLock`](crate::FsLock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockType {
    /// Many holders may share it; excludes exclusive holders.
    Shared,
    /// One holder; excludes every other lock.
    Exclusive,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_compose() {
        let f = OpenFlags::READ | OpenFlags::CREATE;
        assert!(f.readable());
        assert!(!f.writable());
        assert!(f.contains(OpenFlags::CREATE));
        assert!(OpenFlags::APPEND.writable());
        assert_eq!(OpenFlags::from_bits_truncate(0xffff_ffff).bits(), 0b11_1111);
    }

    #[test]
    fn metadata_mode_combines_type_and_bits() {
        let m = Metadata::new(FileType::Directory);
        assert_eq!(m.mode(), 0o040_755);
        assert!(m.is_dir());
        assert_eq!(Permissions::from(0o100_644).mode(), 0o644);
        assert!(Permissions::readonly().is_readonly());
    }
}
