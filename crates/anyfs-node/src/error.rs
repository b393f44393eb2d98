//! Errors across the boundary: every [`FsError`] (and every panic) becomes a JS `Error` whose
//! message carries the structured fields, which `js/errors.ts` turns into an `FsError`.
//!
//! Why a message and not properties: napi sets a custom `code` only on synchronous throws, and a
//! rejected promise built off the JS thread cannot carry extra properties. One encoding that
//! survives every path keeps sync and async errors identical.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use anyfs::FsError;
use napi::Status;

/// Marks an encoded error; the fields follow, separated by [`SEP`].
pub(crate) const MAGIC: &str = "\u{1}anyfs";
/// Field separator (a control character no path or message field uses; see [`clean`]).
pub(crate) const SEP: char = '\u{1}';

/// The JS-side context of a failed call: the operation's public (camelCase) name and the
/// caller's arguments that name nodes, as node:fs reports them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx<'a> {
    /// `read`, `readDir`, `hardLink`, ...
    pub op: &'static str,
    /// The caller's path argument, if the operation has one.
    pub path: Option<&'a str>,
    /// The caller's second path (rename, copy, links), if any.
    pub dest: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// An operation without path arguments (handles, inodes, statfs).
    pub const fn bare(op: &'static str) -> Self {
        Ctx {
            op,
            path: None,
            dest: None,
        }
    }

    /// An operation on one path.
    pub const fn path(op: &'static str, path: &'a str) -> Self {
        Ctx {
            op,
            path: Some(path),
            dest: None,
        }
    }

    /// An operation from one path to another.
    pub const fn two(op: &'static str, path: &'a str, dest: &'a str) -> Self {
        Ctx {
            op,
            path: Some(path),
            dest: Some(dest),
        }
    }
}

/// Runs `f`, turning a panic into `FsError::Backend` (`EIO`) so it never unwinds into Node.
pub(crate) fn no_panic<T>(
    op: &'static str,
    f: impl FnOnce() -> Result<T, FsError>,
) -> Result<T, FsError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(FsError::backend(
            op,
            format!("panic: {}", panic_message(&*payload)),
        )),
    }
}

/// Runs `f` without letting a panic escape and encodes its error for JS.
#[inline]
pub(crate) fn guard<T>(ctx: Ctx<'_>, f: impl FnOnce() -> Result<T, FsError>) -> napi::Result<T> {
    no_panic(ctx.op, f).map_err(|e| to_napi(&e, ctx))
}

/// Encodes an [`FsError`] as a napi error (see the module docs for why).
///
/// Fields: code, errno (negative, as node reports it), kind, syscall, path, dest, detail.
/// For operations on paths, `path`/`dest` are the caller's arguments (node:fs does the same);
/// otherwise the error's own path, if it has one.
pub(crate) fn to_napi(err: &FsError, ctx: Ctx<'_>) -> napi::Error {
    napi::Error::new(Status::GenericFailure, encode(err, ctx))
}

/// The encoded message (see [`to_napi`]).
pub(crate) fn encode(err: &FsError, ctx: Ctx<'_>) -> String {
    let own_path = err.path();
    let path = ctx.path.map(str::to_owned).or(own_path).unwrap_or_default();
    let dest = ctx
        .dest
        .map(str::to_owned)
        .or_else(|| err.dest())
        .unwrap_or_default();
    let detail = err.to_string();
    // An error a JS layer raised carries the token of the JS object it came from (8th field).
    let token = crate::js_backend::token_for(&detail);
    let fields = [
        err.code().to_owned(),
        (-err.errno()).to_string(),
        err.kind().to_owned(),
        ctx.op.to_owned(),
        clean(&path),
        clean(&dest),
        clean(&detail),
    ];
    let mut out = String::from(MAGIC);
    for field in fields {
        out.push(SEP);
        out.push_str(&field);
    }
    if let Some(token) = token {
        out.push(SEP);
        out.push_str(&token.to_string());
    }
    out
}

/// Replaces the separator inside a field, so a hostile path cannot forge fields.
fn clean(field: &str) -> String {
    if field.contains(SEP) {
        field.replace(SEP, "\u{FFFD}")
    } else {
        field.to_owned()
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> Vec<&str> {
        s.strip_prefix(MAGIC).unwrap().split(SEP).skip(1).collect()
    }

    #[test]
    fn encodes_every_field_with_the_callers_path() {
        let err = FsError::NotFound {
            path: "/resolved/a".into(),
            operation: "read",
        };
        let s = encode(&err, Ctx::path("readToString", "/link/a"));
        assert_eq!(
            fields(&s),
            [
                "ENOENT",
                "-2",
                "NotFound",
                "readToString",
                "/link/a",
                "",
                "read: not found: /resolved/a"
            ]
        );
    }

    #[test]
    fn falls_back_to_the_errors_own_path_and_dest() {
        let err = FsError::CrossDevice {
            from: "/a".into(),
            to: "/b".into(),
            operation: "rename",
        };
        let s = encode(&err, Ctx::bare("rename"));
        let f = fields(&s);
        assert_eq!(f[0], "EXDEV");
        assert_eq!(f[4], "/a");
        assert_eq!(f[5], "/b");
    }

    #[test]
    fn a_separator_in_a_path_cannot_forge_fields() {
        let err = FsError::NotFound {
            path: "/x".into(),
            operation: "read",
        };
        let s = encode(&err, Ctx::path("read", "/a\u{1}EPERM"));
        let f = fields(&s);
        assert_eq!(f.len(), 7);
        assert_eq!(f[4], "/a\u{FFFD}EPERM");
    }

    #[test]
    fn a_panic_becomes_an_eio_backend_error() {
        let r: Result<(), FsError> = no_panic("read", || panic!("boom"));
        let e = r.unwrap_err();
        assert_eq!(e.code(), "EIO");
        assert_eq!(e.kind(), "Backend");
        assert!(e.to_string().contains("panic: boom"), "{e}");
    }
}
