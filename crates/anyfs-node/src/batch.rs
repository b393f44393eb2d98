//! Batches: many operations in one boundary crossing, synchronously or on the blocking pool.
//!
//! JS flattens a batch into columns — op codes, strings, byte arrays, numbers — and each op
//! takes its arguments from the columns in order (the arity is fixed per op, see [`decode`]).
//! All strings travel as one joined string plus their UTF-16 lengths (one conversion for the
//! whole batch instead of two napi calls and an allocation per string); a code with
//! [`TEXT_DATA`] set takes its data argument from the strings (UTF-8) instead of the byte
//! arrays, so string writes need no `Buffer` in JS.
//! The result is `[items, numbers]`: per op its value or an encoded error (an `Error` whose
//! message `js/errors.ts` decodes), so one failing op never hides the others. Structured
//! values (metadata, statfs, directory entry pairs) are slots in the one shared `numbers`
//! array; their item is the offset (a directory listing's item is `[names, offset]`).
//!
//! The same machinery carries single async calls of blocking stacks to the pool.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;

use anyfs::{DirEntry, FsError, Metadata, Permissions, StatFs};
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue, TypeName};
use napi::{sys, Env, ValueType};
use napi_derive::napi;

// Imported under this name so napi's type generator writes `string` (see stack.rs).
use crate::arg::Text as JsStringUtf8;
use crate::convert::{
    dir_listing, ms_time, path_string, push_metadata, push_statfs, to_flags, to_handle, to_lock,
    to_owner, to_u64, to_usize, Bytes, F64s,
};
use crate::error::{guard, to_napi, Ctx};
use crate::ops::Ops;
use crate::stack::NativeFs;
use crate::stream::{NativeReader, NativeWriter};

/// Public (camelCase) names of the ops, indexed by op code. JS builds its code table from this
/// list (`opNames()`), so the numbering lives only here.
pub(crate) const NAMES: &[&str] = &[
    "read",
    "readToString",
    "readRange",
    "exists",
    "metadata",
    "openRead",
    "write",
    "append",
    "removeFile",
    "rename",
    "copy",
    "truncate",
    "openWrite",
    "setTimes",
    "readDir",
    "createDir",
    "createDirAll",
    "removeDir",
    "removeDirAll",
    "symlink",
    "hardLink",
    "readLink",
    "symlinkMetadata",
    "setPermissions",
    "setOwner",
    "sync",
    "fsync",
    "statfs",
    "pathToInode",
    "inodeToPath",
    "lookup",
    "metadataByInode",
    "open",
    "readAt",
    "writeAt",
    "close",
    "lock",
    "tryLock",
    "unlock",
    "getXattr",
    "setXattr",
    "removeXattr",
    "listXattr",
    "canonicalize",
    "softCanonicalize",
    "anchoredCanonicalize",
    "__debugPanic",
];

/// The op codes, in [`NAMES`] order, for JS (`opNames()[code]`).
#[napi]
pub fn op_names() -> Vec<&'static str> {
    NAMES.to_vec()
}

/// One decoded operation; strings `S` and data `D` are borrowed for sync batches, owned for
/// pool batches.
#[derive(Debug)]
pub(crate) enum Op<S, D> {
    Read(S),
    ReadToString(S),
    ReadRange(S, f64, f64),
    Exists(S),
    Metadata(S),
    OpenRead(S),
    Write(S, D),
    Append(S, D),
    RemoveFile(S),
    Rename(S, S),
    Copy(S, S),
    Truncate(S, f64),
    OpenWrite(S),
    SetTimes(S, f64, f64),
    ReadDir(S),
    CreateDir(S),
    CreateDirAll(S),
    RemoveDir(S),
    RemoveDirAll(S),
    Symlink(S, S),
    HardLink(S, S),
    ReadLink(S),
    SymlinkMetadata(S),
    SetPermissions(S, f64),
    SetOwner(S, f64, f64),
    Sync,
    Fsync(S),
    Statfs,
    PathToInode(S),
    InodeToPath(f64),
    Lookup(f64, S),
    MetadataByInode(f64),
    Open(S, f64),
    /// handle, length, position
    ReadAt(f64, f64, f64),
    /// handle, data, position
    WriteAt(f64, D, f64),
    Close(f64),
    Lock(f64, f64),
    TryLock(f64, f64),
    Unlock(f64),
    GetXattr(S, S),
    SetXattr(S, S, D),
    RemoveXattr(S, S),
    ListXattr(S),
    Canonicalize(S),
    SoftCanonicalize(S),
    AnchoredCanonicalize(S, S),
    DebugPanic,
}

/// Set on an op code whose data argument is a string (taken from the strings column).
pub(crate) const TEXT_DATA: u32 = 1 << 8;

/// Data argument: a string's UTF-8 bytes or a byte array.
#[derive(Debug)]
pub(crate) enum Payload<S, B> {
    Text(S),
    Bytes(B),
}

impl<S: AsRef<str>, B: AsRef<[u8]>> AsRef<[u8]> for Payload<S, B> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Payload::Text(s) => s.as_ref().as_bytes(),
            Payload::Bytes(b) => b.as_ref(),
        }
    }
}

/// Reads the argument columns in order.
struct Columns<SI, BI, NI> {
    strs: SI,
    bufs: BI,
    nums: NI,
    /// The current op takes its data from `strs`.
    text_data: bool,
}

fn missing(what: &str) -> FsError {
    FsError::InvalidInput {
        operation: "batch",
        reason: format!("malformed batch: missing {what} argument"),
    }
}

impl<S, B, SI: Iterator<Item = S>, BI: Iterator<Item = B>, NI: Iterator<Item = f64>>
    Columns<SI, BI, NI>
{
    fn s(&mut self) -> Result<S, FsError> {
        self.strs.next().ok_or_else(|| missing("string"))
    }
    fn b(&mut self) -> Result<Payload<S, B>, FsError> {
        if self.text_data {
            self.s().map(Payload::Text)
        } else {
            self.bufs
                .next()
                .map(Payload::Bytes)
                .ok_or_else(|| missing("bytes"))
        }
    }
    fn n(&mut self) -> Result<f64, FsError> {
        self.nums.next().ok_or_else(|| missing("number"))
    }

    /// Decodes the op with code `code`, taking its arguments from the columns.
    fn op(&mut self, code: u32) -> Result<Decoded<S, B>, FsError> {
        self.text_data = code & TEXT_DATA != 0;
        Ok(match code & !TEXT_DATA {
            0 => Op::Read(self.s()?),
            1 => Op::ReadToString(self.s()?),
            2 => Op::ReadRange(self.s()?, self.n()?, self.n()?),
            3 => Op::Exists(self.s()?),
            4 => Op::Metadata(self.s()?),
            5 => Op::OpenRead(self.s()?),
            6 => Op::Write(self.s()?, self.b()?),
            7 => Op::Append(self.s()?, self.b()?),
            8 => Op::RemoveFile(self.s()?),
            9 => Op::Rename(self.s()?, self.s()?),
            10 => Op::Copy(self.s()?, self.s()?),
            11 => Op::Truncate(self.s()?, self.n()?),
            12 => Op::OpenWrite(self.s()?),
            13 => Op::SetTimes(self.s()?, self.n()?, self.n()?),
            14 => Op::ReadDir(self.s()?),
            15 => Op::CreateDir(self.s()?),
            16 => Op::CreateDirAll(self.s()?),
            17 => Op::RemoveDir(self.s()?),
            18 => Op::RemoveDirAll(self.s()?),
            19 => Op::Symlink(self.s()?, self.s()?),
            20 => Op::HardLink(self.s()?, self.s()?),
            21 => Op::ReadLink(self.s()?),
            22 => Op::SymlinkMetadata(self.s()?),
            23 => Op::SetPermissions(self.s()?, self.n()?),
            24 => Op::SetOwner(self.s()?, self.n()?, self.n()?),
            25 => Op::Sync,
            26 => Op::Fsync(self.s()?),
            27 => Op::Statfs,
            28 => Op::PathToInode(self.s()?),
            29 => Op::InodeToPath(self.n()?),
            30 => Op::Lookup(self.n()?, self.s()?),
            31 => Op::MetadataByInode(self.n()?),
            32 => Op::Open(self.s()?, self.n()?),
            33 => Op::ReadAt(self.n()?, self.n()?, self.n()?),
            34 => Op::WriteAt(self.n()?, self.b()?, self.n()?),
            35 => Op::Close(self.n()?),
            36 => Op::Lock(self.n()?, self.n()?),
            37 => Op::TryLock(self.n()?, self.n()?),
            38 => Op::Unlock(self.n()?),
            39 => Op::GetXattr(self.s()?, self.s()?),
            40 => Op::SetXattr(self.s()?, self.s()?, self.b()?),
            41 => Op::RemoveXattr(self.s()?, self.s()?),
            42 => Op::ListXattr(self.s()?),
            43 => Op::Canonicalize(self.s()?),
            44 => Op::SoftCanonicalize(self.s()?),
            45 => Op::AnchoredCanonicalize(self.s()?, self.s()?),
            46 => Op::DebugPanic,
            other => {
                return Err(FsError::InvalidInput {
                    operation: "batch",
                    reason: format!("unknown op code {other}"),
                })
            }
        })
    }
}

/// An op as decoded from the columns: strings `S`, data from either strings or byte arrays `B`.
pub(crate) type Decoded<S, B> = Op<S, Payload<S, B>>;

/// Decodes a whole batch (see the module docs for the column layout).
pub(crate) fn decode<S, B>(
    codes: &[u32],
    strs: impl IntoIterator<Item = S>,
    bufs: impl IntoIterator<Item = B>,
    nums: &[f64],
) -> Result<Vec<Decoded<S, B>>, FsError> {
    let mut cols = Columns {
        strs: strs.into_iter(),
        bufs: bufs.into_iter(),
        nums: nums.iter().copied(),
        text_data: false,
    };
    codes.iter().map(|&c| cols.op(c)).collect()
}

/// Splits the joined strings column by the UTF-16 lengths JS measured.
pub(crate) struct Pieces<'a> {
    rest: &'a str,
    lens: std::slice::Iter<'a, u32>,
}

impl<'a> Pieces<'a> {
    /// Pieces of `joined`, `lens` UTF-16 units each.
    pub(crate) fn new(joined: &'a str, lens: &'a [u32]) -> Self {
        Pieces {
            rest: joined,
            lens: lens.iter(),
        }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let want = usize::try_from(*self.lens.next()?).ok()?;
        let mut units = 0;
        let mut end = 0;
        for c in self.rest.chars() {
            if units >= want {
                break;
            }
            units += c.len_utf16();
            end += c.len_utf8();
        }
        if units != want {
            // Lengths that do not match the text: stop, so decoding reports a missing string.
            return None;
        }
        let (piece, rest) = self.rest.split_at_checked(end)?;
        self.rest = rest;
        Some(piece)
    }
}

/// One op's result value.
pub enum Out {
    Unit,
    Bool(bool),
    Num(f64),
    Str(String),
    Bytes(Vec<u8>),
    Meta(Box<Metadata>),
    Dir(Vec<DirEntry>),
    StatFs(StatFs),
    Strs(Vec<String>),
    Reader(NativeReader),
    Writer(NativeWriter),
    /// Offset of a value's slots in the batch's shared numbers.
    Slot(f64),
    /// Directory names joined by `/`, and the offset of their `[inode, type]` pairs.
    Listing(String, f64),
}

/// One op's value, or its error (an `Error` object in JS).
pub struct Item(pub Result<Out, napi::Error>);

impl TypeName for Item {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for Item {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        // SAFETY (every arm): forwards the caller's valid env to the inner value's conversion.
        unsafe {
            match val.0 {
                Err(e) => napi::Error::to_napi_value(env, e),
                Ok(Out::Unit) => <()>::to_napi_value(env, ()),
                Ok(Out::Bool(b)) => bool::to_napi_value(env, b),
                Ok(Out::Num(n)) => f64::to_napi_value(env, n),
                Ok(Out::Str(s)) => String::to_napi_value(env, s),
                Ok(Out::Bytes(b)) => Bytes::to_napi_value(env, Bytes(b)),
                // `slotted` turns these into `Slot`/`Listing` first; this is a backstop.
                Ok(Out::Meta(_) | Out::Dir(_) | Out::StatFs(_)) => <()>::to_napi_value(env, ()),
                Ok(Out::Slot(offset)) => f64::to_napi_value(env, offset),
                Ok(Out::Listing(names, offset)) => ToNapiValue::to_napi_value(env, (names, offset)),
                Ok(Out::Strs(v)) => Vec::<String>::to_napi_value(env, v),
                Ok(Out::Reader(r)) => NativeReader::to_napi_value(env, r),
                Ok(Out::Writer(w)) => NativeWriter::to_napi_value(env, w),
            }
        }
    }
}

fn unit(r: Result<(), FsError>) -> Result<Out, FsError> {
    r.map(|()| Out::Unit)
}

/// Runs one op against `ops`, panic-guarded, with its error encoded.
pub(crate) fn run<S: AsRef<str>, D: AsRef<[u8]>>(ops: &dyn Ops, op: Op<S, D>) -> Item {
    use Op as O;
    fn p<S: AsRef<str>>(s: &S) -> &Path {
        Path::new(s.as_ref())
    }
    let result = match &op {
        O::Read(a) => guard(Ctx::path("read", a.as_ref()), || {
            ops.read(p(a)).map(Out::Bytes)
        }),
        O::ReadToString(a) => guard(Ctx::path("readToString", a.as_ref()), || {
            ops.read_to_string(p(a)).map(Out::Str)
        }),
        O::ReadRange(a, off, len) => guard(Ctx::path("readRange", a.as_ref()), || {
            let off = to_u64(*off, "offset", "read_range")?;
            let len = to_usize(*len, "length", "read_range")?;
            ops.read_range(p(a), off, len).map(Out::Bytes)
        }),
        O::Exists(a) => guard(Ctx::path("exists", a.as_ref()), || {
            ops.exists(p(a)).map(Out::Bool)
        }),
        O::Metadata(a) => guard(Ctx::path("metadata", a.as_ref()), || {
            ops.metadata(p(a)).map(|m| Out::Meta(Box::new(m)))
        }),
        O::OpenRead(a) => guard(Ctx::path("openRead", a.as_ref()), || {
            ops.open_read(p(a))
                .map(|r| Out::Reader(NativeReader::new(r)))
        }),
        O::Write(a, d) => guard(Ctx::path("write", a.as_ref()), || {
            unit(ops.write(p(a), d.as_ref()))
        }),
        O::Append(a, d) => guard(Ctx::path("append", a.as_ref()), || {
            unit(ops.append(p(a), d.as_ref()))
        }),
        O::RemoveFile(a) => guard(Ctx::path("removeFile", a.as_ref()), || {
            unit(ops.remove_file(p(a)))
        }),
        O::Rename(a, b) => guard(Ctx::two("rename", a.as_ref(), b.as_ref()), || {
            unit(ops.rename(p(a), p(b)))
        }),
        O::Copy(a, b) => guard(Ctx::two("copy", a.as_ref(), b.as_ref()), || {
            unit(ops.copy(p(a), p(b)))
        }),
        O::Truncate(a, n) => guard(Ctx::path("truncate", a.as_ref()), || {
            unit(ops.truncate(p(a), to_u64(*n, "size", "truncate")?))
        }),
        O::OpenWrite(a) => guard(Ctx::path("openWrite", a.as_ref()), || {
            ops.open_write(p(a))
                .map(|w| Out::Writer(NativeWriter::new(w)))
        }),
        O::SetTimes(a, at, mt) => guard(Ctx::path("setTimes", a.as_ref()), || {
            let at = ms_time(*at, "set_times")?;
            let mt = ms_time(*mt, "set_times")?;
            unit(ops.set_times(p(a), at, mt))
        }),
        O::ReadDir(a) => guard(Ctx::path("readDir", a.as_ref()), || {
            ops.read_dir(p(a)).map(Out::Dir)
        }),
        O::CreateDir(a) => guard(Ctx::path("createDir", a.as_ref()), || {
            unit(ops.create_dir(p(a)))
        }),
        O::CreateDirAll(a) => guard(Ctx::path("createDirAll", a.as_ref()), || {
            unit(ops.create_dir_all(p(a)))
        }),
        O::RemoveDir(a) => guard(Ctx::path("removeDir", a.as_ref()), || {
            unit(ops.remove_dir(p(a)))
        }),
        O::RemoveDirAll(a) => guard(Ctx::path("removeDirAll", a.as_ref()), || {
            unit(ops.remove_dir_all(p(a)))
        }),
        O::Symlink(a, b) => guard(Ctx::two("symlink", a.as_ref(), b.as_ref()), || {
            unit(ops.symlink(p(a), p(b)))
        }),
        O::HardLink(a, b) => guard(Ctx::two("hardLink", a.as_ref(), b.as_ref()), || {
            unit(ops.hard_link(p(a), p(b)))
        }),
        O::ReadLink(a) => guard(Ctx::path("readLink", a.as_ref()), || {
            ops.read_link(p(a)).map(|t| Out::Str(path_string(t)))
        }),
        O::SymlinkMetadata(a) => guard(Ctx::path("symlinkMetadata", a.as_ref()), || {
            ops.symlink_metadata(p(a)).map(|m| Out::Meta(Box::new(m)))
        }),
        O::SetPermissions(a, mode) => guard(Ctx::path("setPermissions", a.as_ref()), || {
            let mode = to_u64(*mode, "mode", "set_permissions")?;
            let mode = u32::try_from(mode).map_err(|_| FsError::InvalidInput {
                operation: "set_permissions",
                reason: format!("mode {mode:#o} does not fit in 32 bits"),
            })?;
            unit(ops.set_permissions(p(a), Permissions::from_mode(mode)))
        }),
        O::SetOwner(a, uid, gid) => guard(Ctx::path("setOwner", a.as_ref()), || {
            let uid = to_owner(*uid, "uid", "set_owner")?;
            let gid = to_owner(*gid, "gid", "set_owner")?;
            unit(ops.set_owner(p(a), uid, gid))
        }),
        O::Sync => guard(Ctx::bare("sync"), || unit(ops.sync())),
        O::Fsync(a) => guard(Ctx::path("fsync", a.as_ref()), || unit(ops.fsync(p(a)))),
        O::Statfs => guard(Ctx::bare("statfs"), || ops.statfs().map(Out::StatFs)),
        O::PathToInode(a) => guard(Ctx::path("pathToInode", a.as_ref()), || {
            ops.path_to_inode(p(a)).map(|i| Out::Num(i as f64))
        }),
        O::InodeToPath(i) => guard(Ctx::bare("inodeToPath"), || {
            let i = to_u64(*i, "inode", "inode_to_path")?;
            ops.inode_to_path(i).map(|t| Out::Str(path_string(t)))
        }),
        O::Lookup(parent, name) => guard(Ctx::bare("lookup"), || {
            let parent = to_u64(*parent, "parent inode", "lookup")?;
            ops.lookup(parent, OsStr::new(name.as_ref()))
                .map(|i| Out::Num(i as f64))
        }),
        O::MetadataByInode(i) => guard(Ctx::bare("metadataByInode"), || {
            let i = to_u64(*i, "inode", "metadata_by_inode")?;
            ops.metadata_by_inode(i).map(|m| Out::Meta(Box::new(m)))
        }),
        O::Open(a, flags) => guard(Ctx::path("open", a.as_ref()), || {
            let flags = to_flags(*flags, "open")?;
            ops.open(p(a), flags).map(|h| Out::Num(h.raw() as f64))
        }),
        O::ReadAt(h, len, pos) => guard(Ctx::bare("readAt"), || {
            let h = to_handle(*h, "read_at")?;
            let len = to_usize(*len, "length", "read_at")?;
            let pos = to_u64(*pos, "position", "read_at")?;
            let mut buf = vec![0; len];
            let n = ops.read_at(h, &mut buf, pos)?;
            buf.truncate(n);
            Ok(Out::Bytes(buf))
        }),
        O::WriteAt(h, d, pos) => guard(Ctx::bare("writeAt"), || {
            let h = to_handle(*h, "write_at")?;
            let pos = to_u64(*pos, "position", "write_at")?;
            ops.write_at(h, d.as_ref(), pos).map(|n| Out::Num(n as f64))
        }),
        O::Close(h) => guard(Ctx::bare("close"), || {
            unit(ops.close(to_handle(*h, "close")?))
        }),
        O::Lock(h, k) => guard(Ctx::bare("lock"), || {
            unit(ops.lock(to_handle(*h, "lock")?, to_lock(*k, "lock")?))
        }),
        O::TryLock(h, k) => guard(Ctx::bare("tryLock"), || {
            ops.try_lock(to_handle(*h, "try_lock")?, to_lock(*k, "try_lock")?)
                .map(Out::Bool)
        }),
        O::Unlock(h) => guard(Ctx::bare("unlock"), || {
            unit(ops.unlock(to_handle(*h, "unlock")?))
        }),
        O::GetXattr(a, n) => guard(Ctx::path("getXattr", a.as_ref()), || {
            ops.get_xattr(p(a), n.as_ref()).map(Out::Bytes)
        }),
        O::SetXattr(a, n, v) => guard(Ctx::path("setXattr", a.as_ref()), || {
            unit(ops.set_xattr(p(a), n.as_ref(), v.as_ref()))
        }),
        O::RemoveXattr(a, n) => guard(Ctx::path("removeXattr", a.as_ref()), || {
            unit(ops.remove_xattr(p(a), n.as_ref()))
        }),
        O::ListXattr(a) => guard(Ctx::path("listXattr", a.as_ref()), || {
            ops.list_xattr(p(a)).map(Out::Strs)
        }),
        O::Canonicalize(a) => guard(Ctx::path("canonicalize", a.as_ref()), || {
            ops.canonicalize(p(a)).map(|t| Out::Str(path_string(t)))
        }),
        O::SoftCanonicalize(a) => guard(Ctx::path("softCanonicalize", a.as_ref()), || {
            ops.soft_canonicalize(p(a))
                .map(|t| Out::Str(path_string(t)))
        }),
        O::AnchoredCanonicalize(a, anchor) => {
            guard(Ctx::path("anchoredCanonicalize", a.as_ref()), || {
                ops.anchored_canonicalize(p(a), p(anchor))
                    .map(|t| Out::Str(path_string(t)))
            })
        }
        O::DebugPanic => guard(Ctx::bare("__debugPanic"), || {
            crate::debug::panic_now().map(|()| Out::Unit)
        }),
    };
    Item(result)
}

/// Moves structured values into one shared numbers array (see the module docs).
fn slotted(items: Vec<Item>) -> (Vec<Item>, F64s) {
    let mut nums = Vec::new();
    let items = items
        .into_iter()
        .map(|item| {
            Item(item.0.map(|out| {
                let offset = nums.len() as f64;
                match out {
                    Out::Meta(m) => {
                        push_metadata(&m, &mut nums);
                        Out::Slot(offset)
                    }
                    Out::StatFs(s) => {
                        push_statfs(&s, &mut nums);
                        Out::Slot(offset)
                    }
                    Out::Dir(d) => Out::Listing(dir_listing(&d, &mut nums), offset),
                    other => other,
                }
            }))
        })
        .collect();
    (items, F64s(nums))
}

fn malformed(e: &FsError) -> napi::Error {
    to_napi(e, Ctx::bare("batch"))
}

#[napi]
impl NativeFs {
    /// Runs a batch on the JS thread (see the module docs for the columns).
    #[napi(ts_return_type = "[Array<unknown>, Float64Array]")]
    pub fn batch(
        &self,
        codes: &[u32],
        text: JsStringUtf8,
        lens: &[u32],
        bufs: Vec<&[u8]>,
        nums: &[f64],
    ) -> napi::Result<(Vec<Item>, F64s)> {
        let ops = decode(codes, Pieces::new(&text, lens), bufs, nums).map_err(|e| malformed(&e))?;
        let target: &dyn Ops = &*self.ops;
        Ok(slotted(ops.into_iter().map(|op| run(target, op)).collect()))
    }

    /// Runs a batch on the blocking pool (our elastic threads, src/runtime.rs, never libuv's fixed
    /// pool); byte inputs are copied once, here, so JS may reuse its buffers at once.
    #[napi(ts_return_type = "Promise<[Array<unknown>, Float64Array]>")]
    pub fn batch_async(
        &self,
        env: &Env,
        codes: &[u32],
        text: JsStringUtf8,
        lens: &[u32],
        bufs: Vec<&[u8]>,
        nums: &[f64],
    ) -> napi::Result<PromiseRaw<'_, (Vec<Item>, F64s)>> {
        let owned: Vec<Vec<u8>> = bufs.into_iter().map(<[u8]>::to_vec).collect();
        let strs: Vec<String> = Pieces::new(&text, lens).map(str::to_owned).collect();
        let ops = decode(codes, strs, owned, nums).map_err(|e| malformed(&e))?;
        let target = Arc::clone(&self.ops);
        crate::pool::spawn(
            env,
            "batch",
            move || slotted(ops.into_iter().map(|op| run(&*target, op)).collect()),
            |_, result| Ok(result),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample of arguments long enough for any op.
    type TestOp = Op<String, Payload<String, Vec<u8>>>;

    fn decode_one(code: u32) -> TestOp {
        let strs = vec!["/a".to_owned(), "/b".to_owned(), "/c".to_owned()];
        let bufs = vec![vec![1u8], vec![2u8]];
        let ops = decode(&[code], strs, bufs, &[1.0, 2.0, 3.0]).unwrap();
        ops.into_iter().next().unwrap()
    }

    fn name_of(op: &TestOp) -> String {
        // `Debug` prints the variant name first: ReadToString(..) -> readToString.
        let dbg = format!("{op:?}");
        let variant = dbg.split('(').next().unwrap().to_owned();
        let mut chars = variant.chars();
        let first = chars.next().unwrap().to_ascii_lowercase();
        std::iter::once(first).chain(chars).collect()
    }

    #[test]
    fn every_code_decodes_to_the_op_of_its_name() {
        for (code, name) in NAMES.iter().enumerate() {
            let op = decode_one(code as u32);
            let expected = if *name == "__debugPanic" {
                "debugPanic"
            } else {
                name
            };
            assert_eq!(name_of(&op), expected, "code {code}");
        }
    }

    #[test]
    fn unknown_codes_and_short_columns_are_einval() {
        let none: Vec<String> = vec![];
        let e = decode::<String, Vec<u8>>(&[NAMES.len() as u32], none, vec![], &[]).unwrap_err();
        assert_eq!(e.code(), "EINVAL");
        let e = decode::<String, Vec<u8>>(&[9], vec!["/a".into()], vec![], &[]).unwrap_err();
        assert_eq!(e.code(), "EINVAL");
        assert!(e.to_string().contains("missing string"), "{e}");
    }

    #[test]
    fn columns_are_consumed_in_order() {
        let ops = decode(
            &[9, 6, 2, 7 | TEXT_DATA],
            vec!["/a", "/b", "/c", "/d", "/e", "text"],
            vec![&[7u8][..]],
            &[5.0, 6.0],
        )
        .unwrap();
        assert!(matches!(&ops[0], Op::Rename(a, b) if *a == "/a" && *b == "/b"));
        assert!(matches!(&ops[1], Op::Write(a, d) if *a == "/c" && d.as_ref() == [7u8]));
        assert!(matches!(&ops[2], Op::ReadRange(a, o, l) if *a == "/d" && *o == 5.0 && *l == 6.0));
        assert!(matches!(&ops[3], Op::Append(a, d) if *a == "/e" && d.as_ref() == b"text"));
    }

    #[test]
    fn pieces_split_by_utf16_lengths() {
        // "ü" is 1 UTF-16 unit (2 bytes), "😀" 2 units (4 bytes), "\u{FFFD}" (a lone surrogate
        // after N-API's conversion) 1 unit (3 bytes).
        let joined = "/a/ü😀\u{FFFD}/x";
        let pieces: Vec<&str> = Pieces::new(joined, &[2, 4, 1, 2]).collect();
        assert_eq!(pieces, ["/a", "/ü😀", "\u{FFFD}", "/x"]);
        // Lengths past the text end the iteration (and so fail decoding), never panic.
        assert_eq!(Pieces::new("/a", &[5]).count(), 0);
        assert_eq!(Pieces::new("😀", &[1]).count(), 0);
    }
}
