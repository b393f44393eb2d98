//! [`Operation`]: one mutating call that a `DryRun` recorded instead of executing.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::OpenFlags;

/// A mutating call recorded by [`DryRun`](super::DryRun), with its arguments (data payloads are
/// reduced to their size). One variant per mutating method of the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// `write(path, data)`.
    Write {
        /// The file.
        path: PathBuf,
        /// `data.len()`.
        size: u64,
    },
    /// `append(path, data)`.
    Append {
        /// The file.
        path: PathBuf,
        /// `data.len()`.
        size: u64,
    },
    /// `remove_file(path)`.
    RemoveFile {
        /// The file or symlink.
        path: PathBuf,
    },
    /// `rename(from, to)`.
    Rename {
        /// The source.
        from: PathBuf,
        /// The destination.
        to: PathBuf,
    },
    /// `copy(from, to)`.
    Copy {
        /// The source file.
        from: PathBuf,
        /// The destination file.
        to: PathBuf,
    },
    /// `truncate(path, size)`.
    Truncate {
        /// The file.
        path: PathBuf,
        /// The new length.
        size: u64,
    },
    /// `open_write(path)`, with the bytes written through the returned stream so far.
    OpenWrite {
        /// The file.
        path: PathBuf,
        /// Bytes written through the stream so far (updated as it is written).
        size: u64,
    },
    /// `set_times(path, accessed, modified)`.
    SetTimes {
        /// The node.
        path: PathBuf,
        /// The new access time, if any.
        accessed: Option<SystemTime>,
        /// The new modification time, if any.
        modified: Option<SystemTime>,
    },
    /// `create_dir(path)`.
    CreateDir {
        /// The directory.
        path: PathBuf,
    },
    /// `create_dir_all(path)`.
    CreateDirAll {
        /// The directory.
        path: PathBuf,
    },
    /// `remove_dir(path)`.
    RemoveDir {
        /// The directory.
        path: PathBuf,
    },
    /// `remove_dir_all(path)`.
    RemoveDirAll {
        /// The directory.
        path: PathBuf,
    },
    /// `symlink(original, link)`.
    Symlink {
        /// The target stored in the link.
        original: PathBuf,
        /// The link to create.
        link: PathBuf,
    },
    /// `hard_link(original, link)`.
    HardLink {
        /// The existing file.
        original: PathBuf,
        /// The new name.
        link: PathBuf,
    },
    /// `set_permissions(path, perm)`.
    SetPermissions {
        /// The node.
        path: PathBuf,
        /// The permission bits.
        mode: u32,
    },
    /// `set_owner(path, uid, gid)`.
    SetOwner {
        /// The node.
        path: PathBuf,
        /// The new owner, if any.
        uid: Option<u32>,
        /// The new group, if any.
        gid: Option<u32>,
    },
    /// `open(path, flags)` with flags that may write, create or truncate.
    Open {
        /// The file.
        path: PathBuf,
        /// The flags it was opened with.
        flags: OpenFlags,
    },
    /// `write_at(handle, data, offset)` on a handle from a recorded [`Operation::Open`].
    WriteAt {
        /// The file the handle was opened on.
        path: PathBuf,
        /// The offset.
        offset: u64,
        /// `data.len()`.
        size: u64,
    },
    /// `set_xattr(path, name, value)`.
    SetXattr {
        /// The node.
        path: PathBuf,
        /// The attribute.
        name: String,
        /// `value.len()`.
        size: u64,
    },
    /// `remove_xattr(path, name)`.
    RemoveXattr {
        /// The node.
        path: PathBuf,
        /// The attribute.
        name: String,
    },
}

impl Operation {
    /// The name of the trait method (`"write"`, `"rename"`, ...), as the Node binding and
    /// `TraceEvent` name it.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Write { .. } => "write",
            Operation::Append { .. } => "append",
            Operation::RemoveFile { .. } => "remove_file",
            Operation::Rename { .. } => "rename",
            Operation::Copy { .. } => "copy",
            Operation::Truncate { .. } => "truncate",
            Operation::OpenWrite { .. } => "open_write",
            Operation::SetTimes { .. } => "set_times",
            Operation::CreateDir { .. } => "create_dir",
            Operation::CreateDirAll { .. } => "create_dir_all",
            Operation::RemoveDir { .. } => "remove_dir",
            Operation::RemoveDirAll { .. } => "remove_dir_all",
            Operation::Symlink { .. } => "symlink",
            Operation::HardLink { .. } => "hard_link",
            Operation::SetPermissions { .. } => "set_permissions",
            Operation::SetOwner { .. } => "set_owner",
            Operation::Open { .. } => "open",
            Operation::WriteAt { .. } => "write_at",
            Operation::SetXattr { .. } => "set_xattr",
            Operation::RemoveXattr { .. } => "remove_xattr",
        }
    }

    /// The path the operation acts on: the source of `rename`/`copy`, the new link of
    /// `symlink`/`hard_link` (the node that would be created).
    pub fn path(&self) -> &Path {
        match self {
            Operation::Write { path, .. }
            | Operation::Append { path, .. }
            | Operation::RemoveFile { path }
            | Operation::Truncate { path, .. }
            | Operation::OpenWrite { path, .. }
            | Operation::SetTimes { path, .. }
            | Operation::CreateDir { path }
            | Operation::CreateDirAll { path }
            | Operation::RemoveDir { path }
            | Operation::RemoveDirAll { path }
            | Operation::SetPermissions { path, .. }
            | Operation::SetOwner { path, .. }
            | Operation::Open { path, .. }
            | Operation::WriteAt { path, .. }
            | Operation::SetXattr { path, .. }
            | Operation::RemoveXattr { path, .. } => path,
            Operation::Rename { from, .. } | Operation::Copy { from, .. } => from,
            Operation::Symlink { link, .. } | Operation::HardLink { link, .. } => link,
        }
    }

    /// The second path: the destination of `rename`/`copy`, the `original` of
    /// `symlink`/`hard_link`.
    pub fn dest(&self) -> Option<&Path> {
        match self {
            Operation::Rename { to, .. } | Operation::Copy { to, .. } => Some(to),
            Operation::Symlink { original, .. } | Operation::HardLink { original, .. } => {
                Some(original)
            }
            _ => None,
        }
    }
}
