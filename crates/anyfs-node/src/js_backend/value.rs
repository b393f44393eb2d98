//! Values across the adapter: the arguments of a call (built as JS values on the JS thread)
//! and the answers (read back from the JS values the dispatcher returns).
//!
//! Every call passes the same eight arguments, `(op, id, s0, s1, bytes, n0, n1, n2)`, with
//! `undefined` in the unused ones, so the dispatcher is one monomorphic function. Answers come
//! in the boundary's compact forms (see [`Want`]): metadata and statfs are written by JS into
//! the thread's scratch slots, directory listings are one joined string plus a `Float64Array`.
//! Bytes are copied both ways: a JS layer may keep what it is given, and Rust must own what it
//! gets back.

use std::borrow::Cow;
use std::ffi::{c_void, OsString};
use std::ptr;
use std::slice;

use anyfs::{DirEntry, FileType, FsError, Metadata, Permissions, StatFs};
use napi::bindgen_prelude::FromNapiValue;
use napi::{sys, Env};

use super::error::Failure;
use super::op::{Op, Want};
use crate::arg::with_scratch;
use crate::convert::{ms_time, to_u64, METADATA_SLOTS, STATFS_SLOTS};

/// The arguments of one call, borrowed from the caller.
#[derive(Clone, Debug, Default)]
pub(crate) struct Args<'a> {
    /// First string: the path (or a lookup's name).
    pub s0: Option<Cow<'a, str>>,
    /// Second string: a second path, or an xattr name.
    pub s1: Option<Cow<'a, str>>,
    /// Data to write.
    pub bytes: Option<&'a [u8]>,
    /// Numbers (offsets, sizes, inodes, handles, modes, times); `NaN` where unused.
    pub n: [f64; 3],
}

/// [`Args`] owned, to travel to the JS thread.
#[derive(Debug)]
pub(crate) struct OwnedArgs {
    s0: Option<String>,
    s1: Option<String>,
    bytes: Option<Vec<u8>>,
    n: [f64; 3],
}

impl<'a> Args<'a> {
    /// No arguments.
    pub(crate) fn none() -> Self {
        Args {
            n: [f64::NAN; 3],
            ..Args::default()
        }
    }

    /// One path (or name).
    pub(crate) fn path(path: &'a std::path::Path) -> Self {
        Args {
            s0: Some(path.to_string_lossy()),
            ..Args::none()
        }
    }

    /// Two paths, or a path and an xattr name.
    pub(crate) fn two(path: &'a std::path::Path, second: Cow<'a, str>) -> Self {
        Args {
            s1: Some(second),
            ..Args::path(path)
        }
    }

    /// Adds data.
    pub(crate) fn with_bytes(mut self, bytes: &'a [u8]) -> Self {
        self.bytes = Some(bytes);
        self
    }

    /// Adds numbers.
    pub(crate) fn with_nums(mut self, n: [f64; 3]) -> Self {
        self.n = n;
        self
    }

    /// An owned copy.
    pub(crate) fn to_owned(&self) -> OwnedArgs {
        OwnedArgs {
            s0: self.s0.as_deref().map(str::to_owned),
            s1: self.s1.as_deref().map(str::to_owned),
            bytes: self.bytes.map(<[u8]>::to_vec),
            n: self.n,
        }
    }
}

impl OwnedArgs {
    /// A borrowed view.
    pub(crate) fn borrow(&self) -> Args<'_> {
        Args {
            s0: self.s0.as_deref().map(Cow::Borrowed),
            s1: self.s1.as_deref().map(Cow::Borrowed),
            bytes: self.bytes.as_deref(),
            n: self.n,
        }
    }
}

/// A JS layer's answer, in Rust form.
#[derive(Debug)]
pub(crate) enum Reply {
    Unit,
    Bool(bool),
    Num(u64),
    Str(String),
    Bytes(Vec<u8>),
    Meta(Metadata),
    Dir(Vec<DirEntry>),
    StatFs(StatFs),
    Strs(Vec<String>),
}

/// A failed N-API call (only when the environment is unusable, e.g. shutting down).
fn napi_failed(op: Op, what: &str) -> FsError {
    FsError::backend(op.engine_name(), format!("JS layer call failed: {what}"))
}

fn check(status: sys::napi_status, op: Op, what: &str) -> Result<(), FsError> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi_failed(op, what))
    }
}

/// The eight JS arguments of a call (see the module docs).
///
/// # Safety
/// `env` must be the calling thread's live environment, inside a handle scope.
pub(crate) unsafe fn build(
    env: sys::napi_env,
    op: Op,
    id: u64,
    args: &Args<'_>,
) -> Result<[sys::napi_value; 8], FsError> {
    let mut undefined = ptr::null_mut();
    // SAFETY (all calls below): plain N-API value constructors with out-pointers to locals,
    // on the env's own thread per the caller's contract; slices outlive the calls that copy them.
    unsafe {
        check(
            sys::napi_get_undefined(env, &mut undefined),
            op,
            "undefined",
        )?;
        let mut out = [undefined; 8];
        let [o_op, o_id, o_s0, o_s1, o_bytes, o_n0, o_n1, o_n2] = &mut out;
        check(sys::napi_create_uint32(env, op.code(), o_op), op, "op")?;
        check(sys::napi_create_double(env, id as f64, o_id), op, "id")?;
        for (s, slot) in [(&args.s0, o_s0), (&args.s1, o_s1)] {
            if let Some(s) = s {
                check(
                    sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, slot),
                    op,
                    "string",
                )?;
            }
        }
        if let Some(b) = args.bytes {
            let mut data = ptr::null_mut();
            check(
                sys::napi_create_buffer_copy(
                    env,
                    b.len(),
                    b.as_ptr().cast::<c_void>(),
                    &mut data,
                    o_bytes,
                ),
                op,
                "buffer",
            )?;
        }
        for (n, slot) in args.n.iter().zip([o_n0, o_n1, o_n2]) {
            if !n.is_nan() {
                check(sys::napi_create_double(env, *n, slot), op, "number")?;
            }
        }
        Ok(out)
    }
}

/// What the dispatcher answered.
pub(crate) enum Answer {
    /// A value or an error, decoded.
    Done(Result<Reply, Failure>),
    /// `null`: the handler returned a promise; `jsSettle(id, ...)` will answer.
    Pending,
}

fn type_of(env: sys::napi_env, value: sys::napi_value) -> sys::napi_valuetype {
    let mut t = sys::ValueType::napi_undefined;
    // SAFETY: valid env and value of this thread (callers' contract); out-pointer to a local.
    unsafe { sys::napi_typeof(env, value, &mut t) };
    t
}

/// Decodes the dispatcher's answer to `op` (see [`Want`]); errors are JS error descriptors
/// ([`super::error::from_descriptor`]).
///
/// # Safety
/// `env` must be the calling thread's live environment and `value` one of its values.
pub(crate) unsafe fn decode(
    env: sys::napi_env,
    value: sys::napi_value,
    op: Op,
    args: &Args<'_>,
) -> Answer {
    let mut is_error = false;
    // SAFETY: per the caller's contract.
    unsafe { sys::napi_is_error(env, value, &mut is_error) };
    if is_error {
        // SAFETY: per the caller's contract.
        return Answer::Done(Err(unsafe {
            super::error::from_descriptor(env, value, op, args)
        }));
    }
    if type_of(env, value) == sys::ValueType::napi_null {
        return Answer::Pending;
    }
    // SAFETY: per the caller's contract.
    Answer::Done(unsafe { reply(env, value, op) }.map_err(Failure::from))
}

/// An answer that is not what `op` wants: a dispatcher bug, never a user's (the dispatcher
/// checks what handlers return).
fn unexpected(op: Op) -> FsError {
    FsError::backend(
        op.engine_name(),
        format!(
            "JS layer answered {:?} with a value of the wrong kind",
            op.want()
        ),
    )
}

/// # Safety
/// As [`decode`].
unsafe fn reply(env: sys::napi_env, value: sys::napi_value, op: Op) -> Result<Reply, FsError> {
    let bad = |_| unexpected(op);
    // SAFETY (the conversions): napi-rs conversions of a value of this env, which check types.
    unsafe {
        Ok(match op.want() {
            Want::Unit => Reply::Unit,
            Want::Bool => Reply::Bool(bool::from_napi_value(env, value).map_err(bad)?),
            Want::Num => {
                let n = f64::from_napi_value(env, value).map_err(bad)?;
                Reply::Num(to_u64(n, "the JS layer's answer", op.engine_name())?)
            }
            Want::Str => Reply::Str(String::from_napi_value(env, value).map_err(bad)?),
            Want::Strs => Reply::Strs(Vec::<String>::from_napi_value(env, value).map_err(bad)?),
            Want::Bytes => Reply::Bytes(bytes(env, value).ok_or_else(|| unexpected(op))?.to_vec()),
            Want::Meta => Reply::Meta(from_scratch(env, op, metadata)?),
            Want::StatFs => Reply::StatFs(from_scratch(env, op, statfs)?),
            Want::Dir => Reply::Dir(listing(env, value).ok_or_else(|| unexpected(op))?),
        })
    }
}

/// The bytes of a `Uint8Array` (a `Buffer` is one), borrowed for the duration of the call.
///
/// # Safety
/// As [`decode`]; the slice must not outlive the JS value's handle scope.
unsafe fn bytes<'v>(env: sys::napi_env, value: sys::napi_value) -> Option<&'v [u8]> {
    typed(env, value, sys::TypedarrayType::uint8_array)
}

/// The elements of a typed array of `kind` as bytes (`u8`) or `f64`s, by the caller's `T`.
///
/// # Safety
/// As [`bytes`]; `T` must be the element type of `kind`.
unsafe fn typed<'v, T>(
    env: sys::napi_env,
    value: sys::napi_value,
    kind: sys::napi_typedarray_type,
) -> Option<&'v [T]> {
    let mut is_typed = false;
    let mut t = 0;
    let mut len = 0;
    let mut data = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut offset = 0;
    // SAFETY: per the caller's contract, with out-pointers to locals.
    unsafe {
        if sys::napi_is_typedarray(env, value, &mut is_typed) != sys::Status::napi_ok || !is_typed {
            return None;
        }
        if sys::napi_get_typedarray_info(
            env,
            value,
            &mut t,
            &mut len,
            &mut data,
            &mut buffer,
            &mut offset,
        ) != sys::Status::napi_ok
            || t != kind
        {
            return None;
        }
        if len == 0 {
            return Some(&[]);
        }
        if data.is_null() {
            return None;
        }
        // SAFETY: V8 reports `len` elements of this kind at `data`, alive while the value is.
        Some(slice::from_raw_parts(data.cast::<T>(), len))
    }
}

/// A listing: `[names joined by "/", Float64Array of (inode, type) pairs]`.
///
/// # Safety
/// As [`decode`].
unsafe fn listing(env: sys::napi_env, value: sys::napi_value) -> Option<Vec<DirEntry>> {
    let mut names = ptr::null_mut();
    let mut meta = ptr::null_mut();
    // SAFETY: per the caller's contract; `napi_get_element` fails on non-objects.
    let (joined, pairs) = unsafe {
        if sys::napi_get_element(env, value, 0, &mut names) != sys::Status::napi_ok
            || sys::napi_get_element(env, value, 1, &mut meta) != sys::Status::napi_ok
        {
            return None;
        }
        (
            String::from_napi_value(env, names).ok()?,
            typed::<f64>(env, meta, sys::TypedarrayType::float64_array)?,
        )
    };
    let entries: Vec<&str> = if joined.is_empty() {
        Vec::new()
    } else {
        joined.split('/').collect()
    };
    if pairs.len() != entries.len() * 2 {
        return None;
    }
    entries
        .iter()
        .zip(pairs.chunks_exact(2))
        .map(|(name, pair)| match *pair {
            [inode, kind] => Some(DirEntry {
                name: OsString::from(*name),
                inode: to_u64(inode, "inode", "read_dir").ok()?,
                file_type: file_type(kind)?,
            }),
            _ => None,
        })
        .collect()
}

/// A file type from its code (0 file, 1 directory, 2 symlink).
fn file_type(code: f64) -> Option<FileType> {
    if code == 0.0 {
        Some(FileType::File)
    } else if code == 1.0 {
        Some(FileType::Directory)
    } else if code == 2.0 {
        Some(FileType::Symlink)
    } else {
        None
    }
}

/// Reads a structured answer out of the thread's scratch slots.
fn from_scratch<T>(
    env: sys::napi_env,
    op: Op,
    read: impl FnOnce(&[f64], &'static str) -> Result<T, FsError>,
) -> Result<T, FsError> {
    let env = Env::from_raw(env);
    with_scratch(&env, |s| read(s, op.engine_name()))
        .unwrap_or_else(|| Err(napi_failed(op, "no scratch array on this thread")))
}

fn u64_at(s: &[f64], i: usize, what: &str, op: &'static str) -> Result<u64, FsError> {
    to_u64(s.get(i).copied().unwrap_or(f64::NAN), what, op)
}

fn u32_at(s: &[f64], i: usize, what: &str, op: &'static str) -> Result<u32, FsError> {
    let v = u64_at(s, i, what, op)?;
    u32::try_from(v).map_err(|_| FsError::InvalidInput {
        operation: op,
        reason: format!("{what} does not fit in 32 bits: {v}"),
    })
}

/// Metadata from the slot layout of `convert::fill_metadata` (the inverse).
pub(crate) fn metadata(s: &[f64], op: &'static str) -> Result<Metadata, FsError> {
    if s.len() < METADATA_SLOTS {
        return Err(FsError::backend(op, "scratch too small"));
    }
    let kind =
        file_type(s.first().copied().unwrap_or(f64::NAN)).ok_or_else(|| FsError::InvalidInput {
            operation: op,
            reason: "the JS layer's metadata has an unknown file type".to_owned(),
        })?;
    let time = |i: usize| ms_time(s.get(i).copied().unwrap_or(f64::NAN), op);
    Ok(Metadata {
        size: u64_at(s, 1, "size", op)?,
        permissions: Permissions::from_mode(u32_at(s, 2, "mode", op)? & 0o7777),
        inode: u64_at(s, 3, "inode", op)?,
        nlink: u64_at(s, 4, "nlink", op)?,
        uid: u32_at(s, 5, "uid", op)?,
        gid: u32_at(s, 6, "gid", op)?,
        created: time(7)?,
        modified: time(8)?,
        accessed: time(9)?,
        changed: time(10)?,
        ..Metadata::new(kind)
    })
}

/// Statfs from the slot layout of `convert::fill_statfs` (the inverse).
pub(crate) fn statfs(s: &[f64], op: &'static str) -> Result<StatFs, FsError> {
    if s.len() < STATFS_SLOTS {
        return Err(FsError::backend(op, "scratch too small"));
    }
    Ok(StatFs {
        total_bytes: u64_at(s, 0, "totalBytes", op)?,
        used_bytes: u64_at(s, 1, "usedBytes", op)?,
        available_bytes: u64_at(s, 2, "availableBytes", op)?,
        total_inodes: u64_at(s, 3, "totalInodes", op)?,
        used_inodes: u64_at(s, 4, "usedInodes", op)?,
        available_inodes: u64_at(s, 5, "availableInodes", op)?,
        block_size: u64_at(s, 6, "blockSize", op)?,
        max_name_length: u64_at(s, 7, "maxNameLength", op)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{fill_metadata, fill_statfs};
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn metadata_slots_round_trip() {
        let m = Metadata {
            inode: 9,
            nlink: 2,
            size: 1234,
            permissions: Permissions::from_mode(0o640),
            uid: 1000,
            gid: 100,
            modified: Some(UNIX_EPOCH + Duration::from_millis(1500)),
            ..Metadata::new(FileType::Symlink)
        };
        let mut s = [0.0; METADATA_SLOTS];
        fill_metadata(&m, &mut s);
        assert_eq!(metadata(&s, "metadata").unwrap(), m);
        s[0] = 7.0;
        assert_eq!(metadata(&s, "metadata").unwrap_err().code(), "EINVAL");
        s[0] = 0.0;
        s[1] = -1.0;
        assert_eq!(metadata(&s, "metadata").unwrap_err().code(), "EINVAL");
    }

    #[test]
    fn statfs_slots_round_trip() {
        let st = StatFs {
            total_bytes: 10,
            used_bytes: 4,
            available_bytes: 6,
            total_inodes: 100,
            used_inodes: 3,
            available_inodes: 97,
            block_size: 4096,
            max_name_length: 255,
        };
        let mut s = [0.0; STATFS_SLOTS];
        fill_statfs(&st, &mut s);
        assert_eq!(statfs(&s, "statfs").unwrap(), st);
        assert_eq!(statfs(&s[..3], "statfs").unwrap_err().code(), "EIO");
    }

    #[test]
    fn owned_args_borrow_back_equal() {
        let p = std::path::Path::new("/a");
        let a = Args::two(p, Cow::Borrowed("user.x"))
            .with_bytes(b"hi")
            .with_nums([1.0, f64::NAN, 3.0]);
        let owned = a.to_owned();
        let b = owned.borrow();
        assert_eq!(b.s0.as_deref(), Some("/a"));
        assert_eq!(b.s1.as_deref(), Some("user.x"));
        assert_eq!(b.bytes, Some(&b"hi"[..]));
        assert_eq!(b.n[0], 1.0);
        assert!(b.n[1].is_nan());
    }
}
