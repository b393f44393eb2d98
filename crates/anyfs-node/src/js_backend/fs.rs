//! [`JsFs`]: the engine's traits implemented by calling a JS layer, so native layers and
//! `FileStorage` can sit on top of JS ones.
//!
//! Every trait up to `FsPosix` is implemented (the stack handle is `Arc<dyn FsPosix>`); what
//! the JS object lacks answers `NotSupported` (`ENOSYS`), and its capability bits say so
//! honestly. A few operations the JS object may leave out are composed from the ones it has,
//! as the engine's own defaults are: `readToString` (read + UTF-8 check), `exists` (metadata),
//! `copy` (read + write), `createDirAll` (metadata + createDir per component), `removeDirAll`
//! (a walk with readDir, removeFile, removeDir). Streams are served by plain calls: `openRead`
//! reads the whole file with `read`, `openWrite` truncates with `write` and sends each chunk
//! with `append` — so the layer's `read`, `write` and `append` policies apply to streams too.
//!
//! Thread safety: `Send + Sync`; calls from any thread (see [`super::call`]).

use std::ffi::OsStr;
use std::io::{Cursor, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyfs::{
    DirEntry, FileType, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsRead,
    FsStats, FsSync, FsWrite, FsXattr, Handle, LockType, Metadata, OpenFlags, Permissions, StatFs,
};

use super::call::Core;
use super::op::Op;
use super::value::{Args, Reply};
use super::writer::JsWriter;
use crate::convert::time_ms;
use crate::ops::Backend;

/// A JS layer as an engine backend (see the module docs).
#[derive(Clone)]
pub(crate) struct JsFs {
    pub core: Arc<Core>,
    /// The native stack under the layer, with the ops no JS layer down to it overrides: those
    /// go straight there, without a call into JS (a pass-through handler only forwards).
    pub below: Option<(Backend, u64)>,
}

/// Serves `op` from the native stack below when no JS layer overrides it.
macro_rules! below {
    ($self:ident, $op:expr, $b:ident => $call:expr) => {
        if let Some($b) = $self.below($op) {
            return $call;
        }
    };
}

impl std::fmt::Debug for JsFs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsFs")
            .field("name", &self.core.name)
            .finish_non_exhaustive()
    }
}

/// An answer of the wrong kind (the dispatcher answers by op, so this is a bug).
fn mismatch(op: Op) -> FsError {
    FsError::backend(
        op.engine_name(),
        "the JS layer's answer does not fit the operation",
    )
}

impl JsFs {
    /// The native stack to serve `op` from, if no JS layer overrides it.
    fn below(&self, op: Op) -> Option<&Backend> {
        self.below
            .as_ref()
            .filter(|(_, ops)| ops & op.bit() != 0)
            .map(|(b, _)| b)
    }

    /// Whether the JS object implements `op` itself.
    fn has(&self, op: Op) -> bool {
        self.core.handlers & op.bit() != 0
    }

    /// Calls `op`, or fails with `NotSupported` if the JS object lacks it.
    fn call(&self, op: Op, args: Args<'_>) -> Result<Reply, FsError> {
        if !self.has(op) {
            return Err(FsError::NotSupported {
                operation: op.engine_name(),
            });
        }
        self.core.call(op, args)
    }

    fn unit(&self, op: Op, args: Args<'_>) -> Result<(), FsError> {
        self.call(op, args).map(|_| ())
    }

    fn bytes(&self, op: Op, args: Args<'_>) -> Result<Vec<u8>, FsError> {
        match self.call(op, args)? {
            Reply::Bytes(b) => Ok(b),
            _ => Err(mismatch(op)),
        }
    }

    fn string(&self, op: Op, args: Args<'_>) -> Result<String, FsError> {
        match self.call(op, args)? {
            Reply::Str(s) => Ok(s),
            _ => Err(mismatch(op)),
        }
    }

    fn num(&self, op: Op, args: Args<'_>) -> Result<u64, FsError> {
        match self.call(op, args)? {
            Reply::Num(n) => Ok(n),
            _ => Err(mismatch(op)),
        }
    }

    fn boolean(&self, op: Op, args: Args<'_>) -> Result<bool, FsError> {
        match self.call(op, args)? {
            Reply::Bool(b) => Ok(b),
            _ => Err(mismatch(op)),
        }
    }

    fn meta(&self, op: Op, args: Args<'_>) -> Result<Metadata, FsError> {
        match self.call(op, args)? {
            Reply::Meta(m) => Ok(m),
            _ => Err(mismatch(op)),
        }
    }

    /// `create_dir_all` from `metadata` and `create_dir`, root first.
    fn compose_create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        let mut at = PathBuf::new();
        for component in path.components() {
            at.push(component);
            if matches!(component, Component::RootDir | Component::Prefix(_)) {
                continue;
            }
            match self.metadata(&at) {
                Ok(m) if m.file_type == FileType::Directory => continue,
                Ok(_) => {
                    return Err(FsError::NotADirectory {
                        path: at,
                        operation: "create_dir_all",
                    })
                }
                Err(FsError::NotFound { .. }) => match self.create_dir(&at) {
                    Ok(()) | Err(FsError::AlreadyExists { .. }) => {}
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// `remove_dir_all` as a walk: files and links removed, directories emptied then removed.
    fn compose_remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        for entry in self.read_dir(path)? {
            let child = path.join(&entry.name);
            if entry.file_type == FileType::Directory {
                self.compose_remove_dir_all(&child)?;
            } else {
                self.remove_file(&child)?;
            }
        }
        self.remove_dir(path)
    }
}

impl FsRead for JsFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        below!(self, Op::Read, b => b.read(path));
        self.bytes(Op::Read, Args::path(path))
    }

    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        below!(self, Op::ReadToString, b => b.read_to_string(path));
        if self.has(Op::ReadToString) {
            return self.string(Op::ReadToString, Args::path(path));
        }
        String::from_utf8(self.read(path)?).map_err(|e| FsError::InvalidData {
            path: path.to_path_buf(),
            operation: "read_to_string",
            reason: e.to_string(),
        })
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        below!(self, Op::ReadRange, b => b.read_range(path, offset, len));
        self.bytes(
            Op::ReadRange,
            Args::path(path).with_nums([offset as f64, len as f64, f64::NAN]),
        )
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        below!(self, Op::Exists, b => b.exists(path));
        if self.has(Op::Exists) {
            return self.boolean(Op::Exists, Args::path(path));
        }
        match self.metadata(path) {
            Ok(_) => Ok(true),
            Err(
                FsError::NotFound { .. }
                | FsError::NotADirectory { .. }
                | FsError::SymlinkLoop { .. },
            ) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        below!(self, Op::Metadata, b => b.metadata(path));
        self.meta(Op::Metadata, Args::path(path))
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        below!(self, Op::Read, b => b.open_read(path));
        Ok(Box::new(Cursor::new(self.read(path)?)))
    }
}

impl FsWrite for JsFs {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        below!(self, Op::Write, b => b.write(path, data));
        self.unit(Op::Write, Args::path(path).with_bytes(data))
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        below!(self, Op::Append, b => b.append(path, data));
        self.unit(Op::Append, Args::path(path).with_bytes(data))
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::RemoveFile, b => b.remove_file(path));
        self.unit(Op::RemoveFile, Args::path(path))
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        below!(self, Op::Rename, b => b.rename(from, to));
        self.unit(Op::Rename, Args::two(from, to.to_string_lossy()))
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        below!(self, Op::Copy, b => b.copy(from, to));
        if self.has(Op::Copy) {
            return self.unit(Op::Copy, Args::two(from, to.to_string_lossy()));
        }
        let data = self.read(from)?;
        self.write(to, &data)
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        below!(self, Op::Truncate, b => b.truncate(path, size));
        self.unit(
            Op::Truncate,
            Args::path(path).with_nums([size as f64, f64::NAN, f64::NAN]),
        )
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        if let (Some(b), Some(_)) = (self.below(Op::Write), self.below(Op::Append)) {
            return b.open_write(path);
        }
        self.write(path, &[])?;
        Ok(Box::new(JsWriter::new(self.clone(), path)))
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        below!(self, Op::SetTimes, b => b.set_times(path, accessed, modified));
        self.unit(
            Op::SetTimes,
            Args::path(path).with_nums([time_ms(accessed), time_ms(modified), f64::NAN]),
        )
    }
}

impl FsDir for JsFs {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        below!(self, Op::ReadDir, b => b.read_dir(path));
        match self.call(Op::ReadDir, Args::path(path))? {
            Reply::Dir(d) => Ok(d),
            _ => Err(mismatch(Op::ReadDir)),
        }
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::CreateDir, b => b.create_dir(path));
        self.unit(Op::CreateDir, Args::path(path))
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::CreateDirAll, b => b.create_dir_all(path));
        if self.has(Op::CreateDirAll) {
            return self.unit(Op::CreateDirAll, Args::path(path));
        }
        self.compose_create_dir_all(path)
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::RemoveDir, b => b.remove_dir(path));
        self.unit(Op::RemoveDir, Args::path(path))
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::RemoveDirAll, b => b.remove_dir_all(path));
        if self.has(Op::RemoveDirAll) {
            return self.unit(Op::RemoveDirAll, Args::path(path));
        }
        self.compose_remove_dir_all(path)
    }
}

impl FsLink for JsFs {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        below!(self, Op::Symlink, b => b.symlink(original, link));
        self.unit(Op::Symlink, Args::two(original, link.to_string_lossy()))
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        below!(self, Op::HardLink, b => b.hard_link(original, link));
        self.unit(Op::HardLink, Args::two(original, link.to_string_lossy()))
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        below!(self, Op::ReadLink, b => b.read_link(path));
        self.string(Op::ReadLink, Args::path(path))
            .map(PathBuf::from)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        below!(self, Op::SymlinkMetadata, b => b.symlink_metadata(path));
        self.meta(Op::SymlinkMetadata, Args::path(path))
    }
}

impl FsPermissions for JsFs {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        below!(self, Op::SetPermissions, b => b.set_permissions(path, perm));
        self.unit(
            Op::SetPermissions,
            Args::path(path).with_nums([f64::from(perm.mode()), f64::NAN, f64::NAN]),
        )
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        below!(self, Op::SetOwner, b => b.set_owner(path, uid, gid));
        let id = |v: Option<u32>| v.map_or(-1.0, f64::from);
        self.unit(
            Op::SetOwner,
            Args::path(path).with_nums([id(uid), id(gid), f64::NAN]),
        )
    }
}

impl FsSync for JsFs {
    fn sync(&self) -> Result<(), FsError> {
        below!(self, Op::Sync, b => b.sync());
        self.unit(Op::Sync, Args::none())
    }

    fn fsync(&self, path: &Path) -> Result<(), FsError> {
        below!(self, Op::Fsync, b => b.fsync(path));
        self.unit(Op::Fsync, Args::path(path))
    }
}

impl FsStats for JsFs {
    fn statfs(&self) -> Result<StatFs, FsError> {
        below!(self, Op::Statfs, b => b.statfs());
        match self.call(Op::Statfs, Args::none())? {
            Reply::StatFs(s) => Ok(s),
            _ => Err(mismatch(Op::Statfs)),
        }
    }
}

impl FsInode for JsFs {
    fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
        below!(self, Op::PathToInode, b => b.path_to_inode(path));
        self.num(Op::PathToInode, Args::path(path))
    }

    fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
        below!(self, Op::InodeToPath, b => b.inode_to_path(inode));
        self.string(
            Op::InodeToPath,
            Args::none().with_nums([inode as f64, f64::NAN, f64::NAN]),
        )
        .map(PathBuf::from)
    }

    fn lookup(&self, parent: u64, name: &OsStr) -> Result<u64, FsError> {
        below!(self, Op::Lookup, b => b.lookup(parent, name));
        self.num(
            Op::Lookup,
            Args::path(Path::new(name)).with_nums([parent as f64, f64::NAN, f64::NAN]),
        )
    }

    fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
        below!(self, Op::MetadataByInode, b => b.metadata_by_inode(inode));
        self.meta(
            Op::MetadataByInode,
            Args::none().with_nums([inode as f64, f64::NAN, f64::NAN]),
        )
    }
}

impl FsHandles for JsFs {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        below!(self, Op::Open, b => b.open(path, flags));
        self.num(
            Op::Open,
            Args::path(path).with_nums([f64::from(flags.bits()), f64::NAN, f64::NAN]),
        )
        .map(Handle)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        below!(self, Op::ReadAt, b => b.read_at(handle, buf, offset));
        let args = Args::none().with_nums([handle.raw() as f64, buf.len() as f64, offset as f64]);
        let data = self.bytes(Op::ReadAt, args)?;
        let n = data.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), data.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok(n)
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        below!(self, Op::WriteAt, b => b.write_at(handle, data, offset));
        let args =
            Args::none()
                .with_bytes(data)
                .with_nums([handle.raw() as f64, offset as f64, f64::NAN]);
        let n = self.num(Op::WriteAt, args)?;
        usize::try_from(n).map_err(|_| mismatch(Op::WriteAt))
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        below!(self, Op::Close, b => b.close(handle));
        self.unit(
            Op::Close,
            Args::none().with_nums([handle.raw() as f64, f64::NAN, f64::NAN]),
        )
    }
}

/// A lock kind as its code (0 shared, 1 exclusive), as `convert::to_lock` reads it.
fn lock_code(kind: LockType) -> f64 {
    match kind {
        LockType::Shared => 0.0,
        LockType::Exclusive => 1.0,
    }
}

impl FsLock for JsFs {
    fn lock(&self, handle: Handle, kind: LockType) -> Result<(), FsError> {
        below!(self, Op::Lock, b => b.lock(handle, kind));
        self.unit(
            Op::Lock,
            Args::none().with_nums([handle.raw() as f64, lock_code(kind), f64::NAN]),
        )
    }

    fn try_lock(&self, handle: Handle, kind: LockType) -> Result<bool, FsError> {
        below!(self, Op::TryLock, b => b.try_lock(handle, kind));
        self.boolean(
            Op::TryLock,
            Args::none().with_nums([handle.raw() as f64, lock_code(kind), f64::NAN]),
        )
    }

    fn unlock(&self, handle: Handle) -> Result<(), FsError> {
        below!(self, Op::Unlock, b => b.unlock(handle));
        self.unit(
            Op::Unlock,
            Args::none().with_nums([handle.raw() as f64, f64::NAN, f64::NAN]),
        )
    }
}

impl FsXattr for JsFs {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        below!(self, Op::GetXattr, b => b.get_xattr(path, name));
        self.bytes(Op::GetXattr, Args::two(path, name.into()))
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        below!(self, Op::SetXattr, b => b.set_xattr(path, name, value));
        self.unit(Op::SetXattr, Args::two(path, name.into()).with_bytes(value))
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        below!(self, Op::RemoveXattr, b => b.remove_xattr(path, name));
        self.unit(Op::RemoveXattr, Args::two(path, name.into()))
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        below!(self, Op::ListXattr, b => b.list_xattr(path));
        match self.call(Op::ListXattr, Args::path(path))? {
            Reply::Strs(s) => Ok(s),
            _ => Err(mismatch(Op::ListXattr)),
        }
    }
}
