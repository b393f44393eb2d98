//! Value conversion between the engine's types and the compact forms that cross the boundary.
//!
//! Why compact forms: every napi property set costs tens of nanoseconds, so structured results
//! travel as numbers in a caller-provided `Float64Array` (metadata, statfs) or as one joined
//! string (directory names), and `js/` builds the objects. The slot layouts here are mirrored in
//! `js/native.ts`.

use std::ffi::c_void;
use std::ptr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyfs::{DirEntry, FileType, FsError, Handle, LockType, Metadata, OpenFlags, StatFs};
use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{sys, ValueType};

/// Results up to this size are copied into a fresh Buffer; larger ones are handed over without
/// a copy (the `Vec` becomes the Buffer's memory, freed by its finalizer) while the zero-copy
/// budget (`external.rs`) allows, and copied beyond it.
///
/// Why not always zero-copy: measured on Node 20, an external Buffer costs a weak finalizer and
/// its memory is invisible to V8's GC heuristics, so in a loop of reads it is slower than a
/// copy at every size up to 8 MiB (4 KiB: 3.6 µs vs 2.0 µs; 1 MiB: 0.50 ms vs 0.26 ms). For a
/// single large read the copy dominates instead (64 MiB: 37 ms zero-copy vs 69 ms copied), and
/// zero-copy also avoids holding the data twice.
pub(crate) const COPY_LIMIT: usize = 8 * 1024 * 1024;

/// Bytes returned to JS as a `Buffer`: copied when small, zero-copy when large.
pub struct Bytes(pub Vec<u8>);

impl TypeName for Bytes {
    fn type_name() -> &'static str {
        "Buffer"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Bytes {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let mut data = val.0;
        if data.len() > COPY_LIMIT && crate::external::take(data.len()) {
            // SAFETY: forwarded with the caller's valid env.
            match unsafe { hand_over(env, data) } {
                Ok(value) => return Ok(value),
                Err(back) => {
                    crate::external::give_back(back.len());
                    data = back;
                }
            }
        }
        // SAFETY: forwarded with the caller's valid env.
        unsafe { buffer_copy(env, &data) }
    }
}

/// A new `Buffer` holding a copy of `bytes`.
///
/// # Safety
///
/// `env` must be the calling JS thread's valid env.
pub(crate) unsafe fn buffer_copy(
    env: sys::napi_env,
    bytes: &[u8],
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    let mut copy = ptr::null_mut();
    // SAFETY: `bytes` outlives the call, which copies `len` bytes out of it; `env` is the
    // caller's valid env.
    let status = unsafe {
        sys::napi_create_buffer_copy(
            env,
            bytes.len(),
            bytes.as_ptr().cast::<c_void>(),
            &mut copy,
            &mut out,
        )
    };
    if status == sys::Status::napi_ok {
        Ok(out)
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            "failed to create a Buffer",
        ))
    }
}

/// A `Buffer` whose memory is `data` itself (freed by its finalizer, which gives its size back
/// to the zero-copy budget the caller took); `data` back if V8 refuses (the caller then gives
/// its size back).
///
/// # Safety
///
/// `env` must be the calling JS thread's valid env.
unsafe fn hand_over(env: sys::napi_env, mut data: Vec<u8>) -> Result<sys::napi_value, Vec<u8>> {
    let (ptr, len) = (data.as_mut_ptr(), data.len());
    // SAFETY: `ptr` is `len` bytes of the vector's heap buffer, which moving the vector into
    // the owner box does not move, valid until the owner is dropped.
    unsafe { crate::external::buffer(env, ptr.cast(), len, data) }
}

/// Numbers returned to JS as a `Float64Array` whose memory V8 allocates (a copy): measured,
/// this is far cheaper than an external array buffer with a finalizer for the small arrays
/// the binding returns.
pub struct F64s(pub Vec<f64>);

impl TypeName for F64s {
    fn type_name() -> &'static str {
        "Float64Array"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for F64s {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let nums = val.0;
        let bytes = std::mem::size_of_val(nums.as_slice());
        let mut data = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut array = ptr::null_mut();
        // SAFETY: `env` is the caller's valid env; V8 hands back `bytes` writable bytes at
        // `data` (8-byte aligned, as array buffers are), which we fill before exposing them.
        let ok = unsafe {
            sys::napi_create_arraybuffer(env, bytes, &mut data, &mut buffer) == sys::Status::napi_ok
                && (bytes == 0 || !data.is_null())
                && {
                    if bytes > 0 {
                        ptr::copy_nonoverlapping(nums.as_ptr(), data.cast::<f64>(), nums.len());
                    }
                    sys::napi_create_typedarray(
                        env,
                        sys::TypedarrayType::float64_array,
                        nums.len(),
                        buffer,
                        0,
                        &mut array,
                    ) == sys::Status::napi_ok
                }
        };
        if ok {
            Ok(array)
        } else {
            Err(napi::Error::new(
                napi::Status::GenericFailure,
                "failed to create a Float64Array",
            ))
        }
    }
}

/// Number of `f64` slots [`fill_metadata`] writes.
pub(crate) const METADATA_SLOTS: usize = 11;
/// Number of `f64` slots [`fill_statfs`] writes.
pub(crate) const STATFS_SLOTS: usize = 8;

/// The numeric code of a file type: 0 file, 1 directory, 2 symlink.
pub(crate) fn file_type_code(t: FileType) -> f64 {
    match t {
        FileType::File => 0.0,
        FileType::Directory => 1.0,
        FileType::Symlink => 2.0,
    }
}

/// Milliseconds since the Unix epoch (fractional, negative before it), `NaN` for `None`.
pub(crate) fn time_ms(t: Option<SystemTime>) -> f64 {
    match t {
        None => f64::NAN,
        Some(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs_f64() * 1000.0,
            Err(before) => -(before.duration().as_secs_f64() * 1000.0),
        },
    }
}

/// The inverse of [`time_ms`]: `NaN` is `None`; an unrepresentable time is `InvalidInput`.
pub(crate) fn ms_time(ms: f64, op: &'static str) -> Result<Option<SystemTime>, FsError> {
    if ms.is_nan() {
        return Ok(None);
    }
    let bad = || FsError::InvalidInput {
        operation: op,
        reason: format!("time {ms} ms is out of range"),
    };
    let secs = Duration::try_from_secs_f64(ms.abs() / 1000.0).map_err(|_| bad())?;
    let t = if ms >= 0.0 {
        UNIX_EPOCH.checked_add(secs)
    } else {
        UNIX_EPOCH.checked_sub(secs)
    };
    t.map(Some).ok_or_else(bad)
}

/// Writes metadata into `out` in the slot layout of `js/native.ts`:
/// type, size, permission bits, inode, nlink, uid, gid, created, modified, accessed, changed.
pub(crate) fn fill_metadata(m: &Metadata, out: &mut [f64]) {
    let slots = [
        file_type_code(m.file_type),
        m.size as f64,
        f64::from(m.permissions.mode()),
        m.inode as f64,
        m.nlink as f64,
        f64::from(m.uid),
        f64::from(m.gid),
        time_ms(m.created),
        time_ms(m.modified),
        time_ms(m.accessed),
        time_ms(m.changed),
    ];
    for (o, v) in out.iter_mut().zip(slots) {
        *o = v;
    }
}

/// Appends the metadata slots to `out` (batch results share one numbers array).
pub(crate) fn push_metadata(m: &Metadata, out: &mut Vec<f64>) {
    let start = out.len();
    out.resize(start + METADATA_SLOTS, 0.0);
    if let Some(slots) = out.get_mut(start..) {
        fill_metadata(m, slots);
    }
}

/// Writes statfs into `out`: total, used, available bytes; total, used, available inodes; block
/// size; maximum name length.
pub(crate) fn fill_statfs(s: &StatFs, out: &mut [f64]) {
    let slots = [
        s.total_bytes as f64,
        s.used_bytes as f64,
        s.available_bytes as f64,
        s.total_inodes as f64,
        s.used_inodes as f64,
        s.available_inodes as f64,
        s.block_size as f64,
        s.max_name_length as f64,
    ];
    for (o, v) in out.iter_mut().zip(slots) {
        *o = v;
    }
}

/// Appends the statfs slots to `out`.
pub(crate) fn push_statfs(s: &StatFs, out: &mut Vec<f64>) {
    let start = out.len();
    out.resize(start + STATFS_SLOTS, 0.0);
    if let Some(slots) = out.get_mut(start..) {
        fill_statfs(s, slots);
    }
}

/// A directory listing as names joined by `/` (which cannot occur in a name, so the join is
/// unambiguous and JS splits it in one call), with `[inode, type]` pairs appended to `meta`.
pub(crate) fn dir_listing(entries: &[DirEntry], meta: &mut Vec<f64>) -> String {
    let mut names = String::with_capacity(entries.len() * 16);
    meta.reserve(entries.len() * 2);
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            names.push('/');
        }
        names.push_str(&e.name.to_string_lossy());
        meta.push(e.inode as f64);
        meta.push(file_type_code(e.file_type));
    }
    names
}

/// A JS number that must be a non-negative integer (JS validated it; this is the backstop).
pub(crate) fn to_u64(n: f64, what: &str, op: &'static str) -> Result<u64, FsError> {
    // 2^53: larger doubles are not exact integers.
    const MAX_SAFE: f64 = 9_007_199_254_740_992.0;
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE {
        Ok(n as u64)
    } else {
        Err(FsError::InvalidInput {
            operation: op,
            reason: format!("{what} must be a non-negative integer, got {n}"),
        })
    }
}

/// A byte count that must fit in memory.
pub(crate) fn to_usize(n: f64, what: &str, op: &'static str) -> Result<usize, FsError> {
    let v = to_u64(n, what, op)?;
    usize::try_from(v).map_err(|_| FsError::InvalidInput {
        operation: op,
        reason: format!("{what} is too large: {v}"),
    })
}

/// A handle number.
pub(crate) fn to_handle(n: f64, op: &'static str) -> Result<Handle, FsError> {
    to_u64(n, "handle", op).map(Handle)
}

/// An owner id where a negative number means "leave unchanged".
pub(crate) fn to_owner(n: f64, what: &str, op: &'static str) -> Result<Option<u32>, FsError> {
    if n < 0.0 {
        return Ok(None);
    }
    let v = to_u64(n, what, op)?;
    u32::try_from(v)
        .map(Some)
        .map_err(|_| FsError::InvalidInput {
            operation: op,
            reason: format!("{what} does not fit in 32 bits: {v}"),
        })
}

/// Lock kind: 0 shared, 1 exclusive.
pub(crate) fn to_lock(n: f64, op: &'static str) -> Result<LockType, FsError> {
    if n == 0.0 {
        Ok(LockType::Shared)
    } else if n == 1.0 {
        Ok(LockType::Exclusive)
    } else {
        Err(FsError::InvalidInput {
            operation: op,
            reason: format!("lock type must be 0 (shared) or 1 (exclusive), got {n}"),
        })
    }
}

/// Open flags from their bits (the same bits as `OpenFlags`; JS maps node-style strings).
pub(crate) fn to_flags(n: f64, op: &'static str) -> Result<OpenFlags, FsError> {
    let bits = to_u64(n, "flags", op)?;
    match u32::try_from(bits) {
        Ok(b) if OpenFlags::from_bits_truncate(b).bits() == b => {
            Ok(OpenFlags::from_bits_truncate(b))
        }
        _ => Err(FsError::InvalidInput {
            operation: op,
            reason: format!("unknown open flag bits {bits:#x}"),
        }),
    }
}

/// A path as UTF-8 text (virtual paths are always UTF-8; this only guards the conversion).
pub(crate) fn path_string(p: std::path::PathBuf) -> String {
    match p.into_os_string().into_string() {
        Ok(s) => s,
        Err(os) => os.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyfs::Permissions;

    #[test]
    fn metadata_slots_follow_the_documented_layout() {
        let m = Metadata {
            inode: 7,
            nlink: 2,
            size: 42,
            permissions: Permissions::from_mode(0o640),
            uid: 10,
            gid: 20,
            modified: Some(UNIX_EPOCH + Duration::from_millis(1500)),
            ..Metadata::new(FileType::Symlink)
        };
        let mut out = [0.0; METADATA_SLOTS];
        fill_metadata(&m, &mut out);
        assert_eq!(&out[..7], &[2.0, 42.0, 416.0, 7.0, 2.0, 10.0, 20.0]);
        assert!(out[7].is_nan());
        assert_eq!(out[8], 1500.0);
    }

    #[test]
    fn times_round_trip_and_nan_is_none() {
        for ms in [0.0, 1.5, 1_700_000_000_123.0, -86_400_000.0] {
            let t = ms_time(ms, "set_times").unwrap();
            assert_eq!(time_ms(t), ms);
        }
        assert_eq!(ms_time(f64::NAN, "set_times").unwrap(), None);
        assert_eq!(
            ms_time(f64::INFINITY, "set_times").unwrap_err().code(),
            "EINVAL"
        );
    }

    #[test]
    fn numbers_are_checked() {
        assert_eq!(to_u64(3.0, "n", "x").unwrap(), 3);
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e300] {
            assert_eq!(to_u64(bad, "n", "x").unwrap_err().code(), "EINVAL", "{bad}");
        }
        assert_eq!(to_owner(-1.0, "uid", "x").unwrap(), None);
        assert_eq!(to_owner(5.0, "uid", "x").unwrap(), Some(5));
        assert_eq!(
            to_owner(2f64.powi(33), "uid", "x").unwrap_err().code(),
            "EINVAL"
        );
        assert_eq!(to_lock(1.0, "x").unwrap(), LockType::Exclusive);
        assert_eq!(to_lock(2.0, "x").unwrap_err().code(), "EINVAL");
        assert_eq!(to_flags(3.0, "x").unwrap(), OpenFlags::READ_WRITE);
        assert_eq!(to_flags(64.0, "x").unwrap_err().code(), "EINVAL");
    }

    #[test]
    fn dir_listing_joins_names() {
        let e = |n: &str, i, t| DirEntry {
            name: n.into(),
            inode: i,
            file_type: t,
        };
        let mut meta = vec![9.0];
        let names = dir_listing(
            &[e("a b", 2, FileType::File), e("ü", 3, FileType::Directory)],
            &mut meta,
        );
        assert_eq!(names, "a b/ü");
        assert_eq!(meta, [9.0, 2.0, 0.0, 3.0, 1.0]);
        assert_eq!(dir_listing(&[], &mut meta), "");
    }
}
