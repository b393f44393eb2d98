//! Errors of JS layers on their way through native layers.
//!
//! The dispatcher answers a failed call with an `Error` whose message is a descriptor:
//! `"\u{1}anyfsjs\u{1}<token>\u{1}<code>\u{1}<kind>\u{1}<message>"`. It becomes the [`FsError`]
//! variant POSIX code `<code>` calls for, so native layers above react as they would to their
//! own errors (`ENOENT` is `NotFound`, which `exists` and path resolution treat as absence).
//!
//! The JS error object itself stays in JS, filed under `<token>` (0: not filed, because it can
//! be rebuilt from its fields). The token rides along on the Rust side, keyed by the error's
//! text, on the thread that receives the error (the caller's: the JS thread for a sync call, the
//! pool thread for an async one) — the same thread whose native layers then return it and whose
//! encoder (`crate::error::encode`) asks [`token_for`]; JS then answers with the very object
//! the layer threw, code, message and class intact. Keeping tokens per thread means errors of
//! concurrent calls never crowd each other out; a native layer that replaces the error (or
//! swallows it) leaves its token unused until newer ones push it out of the thread's short list.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::PathBuf;

use anyfs::{errno_name, FsError};
use napi::bindgen_prelude::FromNapiValue;
use napi::sys;

use super::op::Op;
use super::value::Args;

/// The prefix of a JS error descriptor.
const MAGIC: &str = "\u{1}anyfsjs\u{1}";
/// Tokens kept per thread at most; older ones are forgotten (their errors are rebuilt from
/// their fields).
const KEEP: usize = 32;

thread_local! {
    /// `(error text, token)` of JS errors this thread received and has not yet returned to JS.
    static TOKENS: RefCell<VecDeque<(String, u32)>> = const { RefCell::new(VecDeque::new()) };
}

/// A JS layer's failure on its way to the thread that called it.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The error native layers see.
    pub err: FsError,
    /// The token of the JS error object, if it was filed.
    pub token: Option<u32>,
}

impl From<FsError> for Failure {
    fn from(err: FsError) -> Self {
        Failure { err, token: None }
    }
}

impl Failure {
    /// The error, with its token noted on the calling thread (call it on the thread that
    /// returns the error through native layers).
    pub(crate) fn land(self) -> FsError {
        if let Some(token) = self.token {
            TOKENS.with(|t| {
                if let Ok(mut tokens) = t.try_borrow_mut() {
                    tokens.push_back((self.err.to_string(), token));
                    while tokens.len() > KEEP {
                        tokens.pop_front();
                    }
                }
            });
        }
        self.err
    }
}

/// The token of the JS error an error with text `detail` came from, if this thread received
/// one (taken: each token is handed out once). A thread-local lookup in a short list.
pub(crate) fn token_for(detail: &str) -> Option<u32> {
    TOKENS.with(|t| {
        let mut tokens = t.try_borrow_mut().ok()?;
        if tokens.is_empty() {
            return None;
        }
        let at = tokens.iter().rposition(|(text, _)| text == detail)?;
        tokens.remove(at).map(|(_, token)| token)
    })
}

/// The error a JS descriptor stands for (see the module docs); anything else thrown is an
/// `EIO` error carrying its message.
///
/// # Safety
/// `env` must be the calling thread's live environment and `value` one of its values.
pub(crate) unsafe fn from_descriptor(
    env: sys::napi_env,
    value: sys::napi_value,
    op: Op,
    args: &Args<'_>,
) -> Failure {
    // SAFETY: per the caller's contract.
    let message = unsafe { message_of(env, value) }.unwrap_or_default();
    let Some(fields) = message.strip_prefix(MAGIC) else {
        return FsError::backend(op.engine_name(), format!("the JS layer failed: {message}"))
            .into();
    };
    let mut parts = fields.splitn(4, '\u{1}');
    let (token, code, kind, text) = (parts.next(), parts.next(), parts.next(), parts.next());
    Failure {
        err: from_code(
            op,
            args,
            code.unwrap_or("EIO"),
            kind.unwrap_or(""),
            text.unwrap_or(""),
        ),
        token: token.and_then(|t| t.parse().ok()).filter(|&t| t != 0),
    }
}

/// The `message` of a JS error value (read as a data property, no coercion).
///
/// # Safety
/// As [`from_descriptor`].
pub(crate) unsafe fn message_of(env: sys::napi_env, value: sys::napi_value) -> Option<String> {
    let mut message = std::ptr::null_mut();
    // SAFETY: per the caller's contract; the key is a NUL-terminated literal.
    unsafe {
        if sys::napi_get_named_property(env, value, c"message".as_ptr(), &mut message)
            != sys::Status::napi_ok
        {
            return None;
        }
        String::from_napi_value(env, message).ok()
    }
}

/// The errno of a code name known to the engine's table (`EPERM` -> 1).
fn errno_of(code: &str) -> Option<i32> {
    (1..=200).find(|&n| errno_name(n) == code && (code != "EIO" || n == anyfs::errno::EIO))
}

/// The [`FsError`] for POSIX `code` (and AnyFS `kind`) raised by a JS layer during `op`.
pub(crate) fn from_code(op: Op, args: &Args<'_>, code: &str, kind: &str, message: &str) -> FsError {
    let operation = op.engine_name();
    let path = || PathBuf::from(args.s0.as_deref().unwrap_or_default());
    let second = || args.s1.as_deref().unwrap_or_default().to_owned();
    let reason = || message.to_owned();
    match code {
        "ENOENT" => FsError::NotFound {
            path: path(),
            operation,
        },
        "EEXIST" => FsError::AlreadyExists {
            path: path(),
            operation,
        },
        "EISDIR" => FsError::NotAFile {
            path: path(),
            operation,
        },
        "ENOTDIR" => FsError::NotADirectory {
            path: path(),
            operation,
        },
        "ENOTEMPTY" => FsError::DirectoryNotEmpty {
            path: path(),
            operation,
        },
        "EACCES" if kind == "PermissionDenied" => FsError::PermissionDenied {
            path: path(),
            operation,
        },
        "EACCES" => FsError::AccessDenied {
            path: path(),
            reason: reason(),
        },
        "EROFS" => FsError::ReadOnly { operation },
        "ENOSYS" => FsError::NotSupported { operation },
        "EINVAL" => FsError::InvalidInput {
            operation,
            reason: reason(),
        },
        "ENAMETOOLONG" => FsError::NameTooLong {
            path: path().to_string_lossy().into_owned(),
            operation,
        },
        "ELOOP" => FsError::SymlinkLoop {
            path: path(),
            operation,
        },
        "EBADF" => FsError::InvalidHandle {
            handle: args
                .n
                .first()
                .and_then(|h| crate::convert::to_u64(*h, "handle", operation).ok())
                .unwrap_or(0),
            operation,
        },
        "EAGAIN" => FsError::WouldBlock {
            path: path(),
            operation,
        },
        "EDEADLK" => FsError::Deadlock {
            operation,
            reason: reason(),
        },
        "EBUSY" => FsError::Busy {
            operation,
            reason: reason(),
        },
        "EXDEV" => FsError::CrossDevice {
            from: path(),
            to: PathBuf::from(second()),
            operation,
        },
        "ENODATA" => FsError::XattrNotFound {
            path: path(),
            name: second(),
            operation,
        },
        "EIO" => FsError::backend(operation, message),
        other => match errno_of(other) {
            Some(errno) => FsError::io(operation, path(), std::io::Error::from_raw_os_error(errno)),
            None => FsError::backend(operation, format!("{other}: {message}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn args() -> Args<'static> {
        Args {
            s0: Some(Cow::Borrowed("/a")),
            s1: Some(Cow::Borrowed("/b")),
            ..Args::none()
        }
    }

    #[test]
    fn codes_become_the_variants_posix_calls_for() {
        for code in [
            "ENOENT",
            "EEXIST",
            "EISDIR",
            "ENOTDIR",
            "ENOTEMPTY",
            "EACCES",
            "EROFS",
            "ENOSYS",
            "EINVAL",
            "ENAMETOOLONG",
            "ELOOP",
            "EBADF",
            "EAGAIN",
            "EDEADLK",
            "EBUSY",
            "EXDEV",
            "ENODATA",
            "EIO",
            "EPERM",
            "ENOSPC",
            "EFBIG",
            "ETIMEDOUT",
        ] {
            let err = from_code(Op::Write, &args(), code, "", "why");
            assert_eq!(err.code(), code, "{err}");
        }
        assert!(matches!(
            from_code(Op::Read, &args(), "ENOENT", "", ""),
            FsError::NotFound { .. }
        ));
        assert_eq!(
            from_code(Op::Read, &args(), "EACCES", "PermissionDenied", "").kind(),
            "PermissionDenied"
        );
        let odd = from_code(Op::Read, &args(), "ERR_CUSTOM", "", "boom");
        assert_eq!(odd.code(), "EIO");
        assert!(odd.to_string().contains("ERR_CUSTOM: boom"), "{odd}");
        assert!(from_code(Op::Read, &args(), "EINVAL", "", "bad size")
            .to_string()
            .contains("bad size"));
    }

    fn land(err: FsError, token: u32) -> FsError {
        Failure {
            err,
            token: Some(token),
        }
        .land()
    }

    #[test]
    fn tokens_are_handed_out_once_and_bounded() {
        let err = land(from_code(Op::Read, &args(), "EPERM", "", "x"), 41);
        assert_eq!(token_for(&err.to_string()), Some(41));
        assert_eq!(token_for(&err.to_string()), None);
        for t in 0..(KEEP as u32 + 10) {
            land(FsError::backend("read", format!("e{t}")), t);
        }
        assert_eq!(token_for("read: backend error: e0"), None);
        assert_eq!(
            token_for(&FsError::backend("read", format!("e{}", KEEP + 9)).to_string()),
            Some(KEEP as u32 + 9)
        );
        // Unfiled errors carry no token.
        let plain: Failure = FsError::backend("read", "p").into();
        let text = plain.land().to_string();
        assert_eq!(token_for(&text), None);
    }

    #[test]
    fn tokens_belong_to_the_thread_that_received_the_error() {
        let err = land(FsError::backend("read", "mine"), 7);
        let other = std::thread::spawn(move || token_for("read: backend error: mine"))
            .join()
            .unwrap();
        assert_eq!(other, None);
        assert_eq!(token_for(&err.to_string()), Some(7));
    }
}
