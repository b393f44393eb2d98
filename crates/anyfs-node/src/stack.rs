//! [`NativeFs`]: the native handle a JS object owns — a type-erased stack (`Arc<dyn FsPosix>`),
//! optionally behind `FileStorage`, with its capability set and the flag that tells JS whether
//! async calls must go to the blocking pool.
//!
//! Every method here is the synchronous fast path: it converts its arguments, calls the engine
//! on the JS thread and converts the result, without allocating JS objects beyond the result
//! itself. Async calls of non-blocking stacks (memory) are these same calls wrapped in a settled
//! promise by `js/`; blocking stacks go through [`batch_async`](NativeFs::batch_async).

use std::ffi::OsStr;
use std::sync::Arc;

use anyfs::{FileStorage, MemoryBackend, NoOpResolver, Permissions};
use napi::bindgen_prelude::Uint8ArraySlice;
use napi::Env;
use napi_derive::napi;

// Imported under this name because napi's type generator maps type names, not types: this
// one is written as `string` in binding.d.ts, which is what `Text` accepts.
use crate::arg::{with_scratch, Text as JsStringUtf8};
use crate::convert::{
    dir_listing, fill_metadata, fill_statfs, ms_time, path_string, to_flags, to_handle, to_lock,
    to_owner, to_u64, to_usize, Bytes, F64s,
};
use crate::error::{guard, Ctx};
use crate::ops::{Backend, BackendOps, Ops, StorageOps};
use crate::stream::{NativeReader, NativeWriter};

/// Runs `fill` on the thread's scratch; an error if JS never created it (a loader bug).
fn to_scratch(env: &Env, fill: impl FnOnce(&mut [f64])) -> Result<(), anyfs::FsError> {
    with_scratch(env, fill)
        .ok_or_else(|| anyfs::FsError::backend("scratch", "scratch array not initialised"))
}

/// The caller's typed array as a mutable slice.
fn scratch<T>(arr: &mut impl TypedSlice<T>) -> &mut [T] {
    arr.slice_mut()
}

/// Mutable access to a typed array argument of a synchronous call.
trait TypedSlice<T> {
    fn slice_mut(&mut self) -> &mut [T];
}

macro_rules! typed_slice {
    ($($slice:ident => $t:ty),*) => {$(
        impl TypedSlice<$t> for $slice<'_> {
            fn slice_mut(&mut self) -> &mut [$t] {
                // SAFETY: only used during a synchronous call on the JS thread, so no JS code
                // can touch the array while Rust holds the slice, and the array outlives the call.
                unsafe { self.as_mut() }
            }
        }
    )*};
}

typed_slice!(Uint8ArraySlice => u8);

/// Capability names; a stack's `caps` has bit `i` set when it implements `CAPABILITIES[i]`.
/// JS reads this list (`capabilityNames()`), so the bit order lives only here.
pub(crate) const CAPABILITIES: &[&str] = &[
    "FsRead",
    "FsWrite",
    "FsDir",
    "FsLink",
    "FsPermissions",
    "FsSync",
    "FsStats",
    "FsInode",
    "FsHandles",
    "FsLock",
    "FsXattr",
];

/// Every trait up to `FsPosix`.
pub(crate) const POSIX_CAPS: u32 = (1 << CAPABILITIES.len()) - 1;

/// The capability names, indexed by bit.
#[napi]
pub fn capability_names() -> Vec<&'static str> {
    CAPABILITIES.to_vec()
}

/// A native filesystem stack owned by a JS object (see the module docs).
#[napi]
pub struct NativeFs {
    pub(crate) ops: Arc<dyn Ops>,
    /// The stack itself, so `FileStorage` handles can be made over it and layers can wrap it.
    pub(crate) backend: Backend,
    pub(crate) caps: u32,
    pub(crate) blocking: bool,
    /// The stack resolves paths itself (anyfs's `SelfResolving`), so `FileStorage` over it only
    /// validates and normalizes instead of walking the path a second time.
    pub(crate) self_resolving: bool,
    storage: bool,
}

impl NativeFs {
    pub(crate) fn bare(backend: Backend, caps: u32, blocking: bool, self_resolving: bool) -> Self {
        NativeFs {
            ops: Arc::new(BackendOps(Arc::clone(&backend))),
            backend,
            caps,
            blocking,
            self_resolving,
            storage: false,
        }
    }
}

#[napi]
impl NativeFs {
    /// A new, empty `MemoryBackend`; `capacity` (bytes) bounds the total file content.
    /// `blocking` routes async calls to the blocking pool (a test hook: memory never blocks).
    #[napi(factory)]
    pub fn memory(capacity: Option<f64>, blocking: Option<bool>) -> napi::Result<NativeFs> {
        let backend = match capacity {
            None => MemoryBackend::new(),
            Some(c) => {
                let bytes = guard(Ctx::bare("memoryBackend"), || {
                    to_u64(c, "capacity", "memory_backend")
                })?;
                MemoryBackend::with_capacity(bytes)
            }
        };
        // MemoryBackend is SelfResolving: it walks its own inode table with the shared walk.
        Ok(NativeFs::bare(
            Arc::new(backend),
            POSIX_CAPS,
            blocking.unwrap_or(false),
            true,
        ))
    }

    /// A `FileStorage` over this handle's stack (sharing it, not copying it).
    #[napi]
    pub fn storage(&self) -> NativeFs {
        let backend = Arc::clone(&self.backend);
        let storage = if self.self_resolving {
            FileStorage::with_resolver(Arc::clone(&backend), NoOpResolver)
        } else if self.has("FsLink") {
            FileStorage::new(Arc::clone(&backend))
        } else {
            // A stack without links (a JS backend implementing only `Fs`): nothing to follow.
            FileStorage::without_links(Arc::clone(&backend))
        };
        NativeFs {
            ops: Arc::new(StorageOps(storage)),
            backend,
            caps: self.caps,
            blocking: self.blocking,
            self_resolving: self.self_resolving,
            storage: true,
        }
    }

    /// The capability bits of the stack (see [`CAPABILITIES`]).
    #[napi(getter)]
    pub fn caps(&self) -> u32 {
        self.caps
    }

    /// Whether async calls must run on the blocking pool.
    #[napi(getter)]
    pub fn blocking(&self) -> bool {
        self.blocking
    }

    /// Whether this handle is a `FileStorage` (path resolution and canonicalization).
    #[napi(getter)]
    pub fn is_storage(&self) -> bool {
        self.storage
    }

    /// Test hook: panics inside a guarded call, which must surface as an `EIO` error.
    #[napi(js_name = "__debugPanic")]
    pub fn debug_panic(&self) -> napi::Result<()> {
        guard(Ctx::bare("__debugPanic"), crate::debug::panic_now)
    }

    // ---- FsRead ----

    #[napi(ts_return_type = "Buffer")]
    pub fn read(&self, path: JsStringUtf8) -> napi::Result<Bytes> {
        guard(Ctx::path("read", &path), || {
            self.ops.read(path.path()).map(Bytes)
        })
    }

    #[napi]
    pub fn read_to_string(&self, path: JsStringUtf8) -> napi::Result<String> {
        guard(Ctx::path("readToString", &path), || {
            self.ops.read_to_string(path.path())
        })
    }

    #[napi(ts_return_type = "Buffer")]
    pub fn read_range(&self, path: JsStringUtf8, offset: f64, len: f64) -> napi::Result<Bytes> {
        guard(Ctx::path("readRange", &path), || {
            let offset = to_u64(offset, "offset", "read_range")?;
            let len = to_usize(len, "length", "read_range")?;
            self.ops.read_range(path.path(), offset, len).map(Bytes)
        })
    }

    #[napi]
    pub fn exists(&self, path: JsStringUtf8) -> napi::Result<bool> {
        guard(Ctx::path("exists", &path), || self.ops.exists(path.path()))
    }

    /// Writes the metadata slots (see `convert::fill_metadata`) to the thread's scratch.
    #[napi]
    pub fn metadata(&self, env: &Env, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("metadata", &path), || {
            let m = self.ops.metadata(path.path())?;
            to_scratch(env, |s| fill_metadata(&m, s))
        })
    }

    #[napi]
    pub fn open_read(&self, path: JsStringUtf8) -> napi::Result<NativeReader> {
        guard(Ctx::path("openRead", &path), || {
            self.ops.open_read(path.path()).map(NativeReader::new)
        })
    }

    // ---- FsWrite ----

    #[napi]
    pub fn write(&self, path: JsStringUtf8, data: &[u8]) -> napi::Result<()> {
        guard(Ctx::path("write", &path), || {
            self.ops.write(path.path(), data)
        })
    }

    /// `write` with string data, saving JS the `Buffer.from` allocation.
    #[napi]
    pub fn write_string(&self, path: JsStringUtf8, data: String) -> napi::Result<()> {
        guard(Ctx::path("write", &path), || {
            self.ops.write(path.path(), data.as_bytes())
        })
    }

    #[napi]
    pub fn append(&self, path: JsStringUtf8, data: &[u8]) -> napi::Result<()> {
        guard(Ctx::path("append", &path), || {
            self.ops.append(path.path(), data)
        })
    }

    /// `append` with string data.
    #[napi]
    pub fn append_string(&self, path: JsStringUtf8, data: String) -> napi::Result<()> {
        guard(Ctx::path("append", &path), || {
            self.ops.append(path.path(), data.as_bytes())
        })
    }

    #[napi]
    pub fn remove_file(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("removeFile", &path), || {
            self.ops.remove_file(path.path())
        })
    }

    #[napi]
    pub fn rename(&self, from: JsStringUtf8, to: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::two("rename", &from, &to), || {
            self.ops.rename(from.path(), to.path())
        })
    }

    #[napi]
    pub fn copy(&self, from: JsStringUtf8, to: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::two("copy", &from, &to), || {
            self.ops.copy(from.path(), to.path())
        })
    }

    #[napi]
    pub fn truncate(&self, path: JsStringUtf8, size: f64) -> napi::Result<()> {
        guard(Ctx::path("truncate", &path), || {
            let size = to_u64(size, "size", "truncate")?;
            self.ops.truncate(path.path(), size)
        })
    }

    #[napi]
    pub fn open_write(&self, path: JsStringUtf8) -> napi::Result<NativeWriter> {
        guard(Ctx::path("openWrite", &path), || {
            self.ops.open_write(path.path()).map(NativeWriter::new)
        })
    }

    /// Times in ms since the epoch; `NaN` leaves one unchanged.
    #[napi]
    pub fn set_times(&self, path: JsStringUtf8, accessed: f64, modified: f64) -> napi::Result<()> {
        guard(Ctx::path("setTimes", &path), || {
            let accessed = ms_time(accessed, "set_times")?;
            let modified = ms_time(modified, "set_times")?;
            self.ops.set_times(path.path(), accessed, modified)
        })
    }

    // ---- FsDir ----

    /// `[names joined by "/", [inode, type] pairs]` (see `convert::dir_listing`).
    #[napi(ts_return_type = "[string, Float64Array]")]
    pub fn read_dir(&self, path: JsStringUtf8) -> napi::Result<(String, F64s)> {
        guard(Ctx::path("readDir", &path), || {
            let mut meta = Vec::new();
            let names = dir_listing(&self.ops.read_dir(path.path())?, &mut meta);
            Ok((names, F64s(meta)))
        })
    }

    #[napi]
    pub fn create_dir(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("createDir", &path), || {
            self.ops.create_dir(path.path())
        })
    }

    #[napi]
    pub fn create_dir_all(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("createDirAll", &path), || {
            self.ops.create_dir_all(path.path())
        })
    }

    #[napi]
    pub fn remove_dir(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("removeDir", &path), || {
            self.ops.remove_dir(path.path())
        })
    }

    #[napi]
    pub fn remove_dir_all(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("removeDirAll", &path), || {
            self.ops.remove_dir_all(path.path())
        })
    }

    // ---- FsLink ----

    #[napi]
    pub fn symlink(&self, original: JsStringUtf8, link: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::two("symlink", &original, &link), || {
            self.ops.symlink(original.path(), link.path())
        })
    }

    #[napi]
    pub fn hard_link(&self, original: JsStringUtf8, link: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::two("hardLink", &original, &link), || {
            self.ops.hard_link(original.path(), link.path())
        })
    }

    #[napi]
    pub fn read_link(&self, path: JsStringUtf8) -> napi::Result<String> {
        guard(Ctx::path("readLink", &path), || {
            self.ops.read_link(path.path()).map(path_string)
        })
    }

    /// Writes the metadata slots to the thread's scratch.
    #[napi]
    pub fn symlink_metadata(&self, env: &Env, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("symlinkMetadata", &path), || {
            let m = self.ops.symlink_metadata(path.path())?;
            to_scratch(env, |s| fill_metadata(&m, s))
        })
    }

    // ---- FsPermissions ----

    #[napi]
    pub fn set_permissions(&self, path: JsStringUtf8, mode: u32) -> napi::Result<()> {
        guard(Ctx::path("setPermissions", &path), || {
            self.ops
                .set_permissions(path.path(), Permissions::from_mode(mode))
        })
    }

    /// A negative id leaves it unchanged.
    #[napi]
    pub fn set_owner(&self, path: JsStringUtf8, uid: f64, gid: f64) -> napi::Result<()> {
        guard(Ctx::path("setOwner", &path), || {
            let uid = to_owner(uid, "uid", "set_owner")?;
            let gid = to_owner(gid, "gid", "set_owner")?;
            self.ops.set_owner(path.path(), uid, gid)
        })
    }

    // ---- FsSync, FsStats ----

    #[napi]
    pub fn sync(&self) -> napi::Result<()> {
        guard(Ctx::bare("sync"), || self.ops.sync())
    }

    #[napi]
    pub fn fsync(&self, path: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("fsync", &path), || self.ops.fsync(path.path()))
    }

    /// Writes the statfs slots (see `convert::fill_statfs`) to the thread's scratch.
    #[napi]
    pub fn statfs(&self, env: &Env) -> napi::Result<()> {
        guard(Ctx::bare("statfs"), || {
            let st = self.ops.statfs()?;
            to_scratch(env, |s| fill_statfs(&st, s))
        })
    }

    // ---- FsInode ----

    #[napi]
    pub fn path_to_inode(&self, path: JsStringUtf8) -> napi::Result<f64> {
        guard(Ctx::path("pathToInode", &path), || {
            self.ops.path_to_inode(path.path()).map(|i| i as f64)
        })
    }

    #[napi]
    pub fn inode_to_path(&self, inode: f64) -> napi::Result<String> {
        guard(Ctx::bare("inodeToPath"), || {
            let inode = to_u64(inode, "inode", "inode_to_path")?;
            self.ops.inode_to_path(inode).map(path_string)
        })
    }

    #[napi]
    pub fn lookup(&self, parent: f64, name: JsStringUtf8) -> napi::Result<f64> {
        guard(Ctx::bare("lookup"), || {
            let parent = to_u64(parent, "parent inode", "lookup")?;
            self.ops
                .lookup(parent, OsStr::new(&*name))
                .map(|i| i as f64)
        })
    }

    /// Writes the metadata slots to the thread's scratch.
    #[napi]
    pub fn metadata_by_inode(&self, env: &Env, inode: f64) -> napi::Result<()> {
        guard(Ctx::bare("metadataByInode"), || {
            let inode = to_u64(inode, "inode", "metadata_by_inode")?;
            let m = self.ops.metadata_by_inode(inode)?;
            to_scratch(env, |s| fill_metadata(&m, s))
        })
    }

    // ---- FsHandles ----

    #[napi]
    pub fn open(&self, path: JsStringUtf8, flags: f64) -> napi::Result<f64> {
        guard(Ctx::path("open", &path), || {
            let flags = to_flags(flags, "open")?;
            self.ops.open(path.path(), flags).map(|h| h.raw() as f64)
        })
    }

    /// Reads into `buf` (the caller's own memory, no copy) and returns the count read.
    #[napi]
    pub fn read_at(
        &self,
        handle: f64,
        mut buf: Uint8ArraySlice<'_>,
        offset: f64,
    ) -> napi::Result<f64> {
        guard(Ctx::bare("readAt"), || {
            let handle = to_handle(handle, "read_at")?;
            let offset = to_u64(offset, "position", "read_at")?;
            self.ops
                .read_at(handle, scratch(&mut buf), offset)
                .map(|n| n as f64)
        })
    }

    #[napi]
    pub fn write_at(&self, handle: f64, data: &[u8], offset: f64) -> napi::Result<f64> {
        guard(Ctx::bare("writeAt"), || {
            let handle = to_handle(handle, "write_at")?;
            let offset = to_u64(offset, "position", "write_at")?;
            self.ops.write_at(handle, data, offset).map(|n| n as f64)
        })
    }

    #[napi]
    pub fn close(&self, handle: f64) -> napi::Result<()> {
        guard(Ctx::bare("close"), || {
            self.ops.close(to_handle(handle, "close")?)
        })
    }

    // ---- FsLock ----

    /// Blocks the JS thread while a conflicting lock is held (JS prefers the async form).
    #[napi]
    pub fn lock(&self, handle: f64, kind: f64) -> napi::Result<()> {
        guard(Ctx::bare("lock"), || {
            self.ops
                .lock(to_handle(handle, "lock")?, to_lock(kind, "lock")?)
        })
    }

    #[napi]
    pub fn try_lock(&self, handle: f64, kind: f64) -> napi::Result<bool> {
        guard(Ctx::bare("tryLock"), || {
            self.ops
                .try_lock(to_handle(handle, "try_lock")?, to_lock(kind, "try_lock")?)
        })
    }

    #[napi]
    pub fn unlock(&self, handle: f64) -> napi::Result<()> {
        guard(Ctx::bare("unlock"), || {
            self.ops.unlock(to_handle(handle, "unlock")?)
        })
    }

    // ---- FsXattr ----

    #[napi(ts_return_type = "Buffer")]
    pub fn get_xattr(&self, path: JsStringUtf8, name: JsStringUtf8) -> napi::Result<Bytes> {
        guard(Ctx::path("getXattr", &path), || {
            self.ops.get_xattr(path.path(), &name).map(Bytes)
        })
    }

    #[napi]
    pub fn set_xattr(
        &self,
        path: JsStringUtf8,
        name: JsStringUtf8,
        value: &[u8],
    ) -> napi::Result<()> {
        guard(Ctx::path("setXattr", &path), || {
            self.ops.set_xattr(path.path(), &name, value)
        })
    }

    #[napi]
    pub fn remove_xattr(&self, path: JsStringUtf8, name: JsStringUtf8) -> napi::Result<()> {
        guard(Ctx::path("removeXattr", &path), || {
            self.ops.remove_xattr(path.path(), &name)
        })
    }

    #[napi]
    pub fn list_xattr(&self, path: JsStringUtf8) -> napi::Result<Vec<String>> {
        guard(Ctx::path("listXattr", &path), || {
            self.ops.list_xattr(path.path())
        })
    }

    // ---- FileStorage's canonicalization ----

    #[napi]
    pub fn canonicalize(&self, path: JsStringUtf8) -> napi::Result<String> {
        guard(Ctx::path("canonicalize", &path), || {
            self.ops.canonicalize(path.path()).map(path_string)
        })
    }

    #[napi]
    pub fn soft_canonicalize(&self, path: JsStringUtf8) -> napi::Result<String> {
        guard(Ctx::path("softCanonicalize", &path), || {
            self.ops.soft_canonicalize(path.path()).map(path_string)
        })
    }

    #[napi]
    pub fn anchored_canonicalize(
        &self,
        path: JsStringUtf8,
        anchor: JsStringUtf8,
    ) -> napi::Result<String> {
        guard(Ctx::path("anchoredCanonicalize", &path), || {
            self.ops
                .anchored_canonicalize(path.path(), anchor.path())
                .map(path_string)
        })
    }
}

/// `[code, errno (negative, as node reports it), description]` for every error code the engine
/// produces, from `anyfs_backend`'s one POSIX mapping; JS formats messages with it.
#[napi(ts_return_type = "Array<[string, number, string]>")]
pub fn errno_table() -> Vec<(String, i32, String)> {
    (1..=200)
        .filter_map(|n| {
            let name = anyfs::errno_name(n);
            (name != "EIO" || n == anyfs::errno::EIO).then(|| {
                (
                    name.to_owned(),
                    -n,
                    anyfs::errno_description(name).to_owned(),
                )
            })
        })
        .collect()
}
