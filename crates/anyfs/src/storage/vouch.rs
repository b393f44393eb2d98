//! [`Vouched`]: a resolved path that [`FileStorage`](super::FileStorage) hands its backend,
//! together with the one fact layers below would otherwise work out again: that its bytes are
//! the usual path ([`is_plain`]: absolute, normal, no `..`, valid).
//!
//! # Why
//!
//! A layer that judges paths ([`PathFilter`](crate::middleware::path_filter)) may not trust its
//! caller, so it validates each path it is given. Under a `FileStorage` that has just validated
//! the same bytes, that is the same scan twice on every call. The thread's *vouch* records the
//! byte range of the path `FileStorage` is passing down; a layer given a path with exactly that
//! address and length knows it is those bytes ([`vouched`]).
//!
//! # Why it cannot vouch for other bytes
//!
//! - The vouch names the heap buffer of a `PathBuf` that the [`Vouched`] owns and never lends
//!   mutably: while it is recorded, nothing can change or free those bytes, so nothing else
//!   can sit at that address.
//! - Dropping the `Vouched` clears the record when it is still its own (a later one replaces
//!   an earlier one and is cleared in turn), so a record never outlives its buffer. A
//!   `Vouched` that is leaked leaks its buffer too.
//! - The record is per thread and `Vouched` is neither `Send` nor `Sync`, so it is cleared on
//!   the thread that made it.
//! - It is crate-private: no code outside this crate can make one.
//!
//! # Cost
//!
//! Recording, checking and clearing are a thread-local read or write and a comparison: a few
//! instructions, no allocation. Deciding whether to vouch is one [`is_plain`] pass.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use anyfs_backend::path::is_plain;

thread_local! {
    /// The address and length of the path the innermost live [`Vouched`] of this thread
    /// vouches for; `(0, 0)` for none.
    static VOUCHED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// The address and length that identify `path`'s bytes.
fn key(path: &Path) -> (usize, usize) {
    let bytes = path.as_os_str().as_encoded_bytes();
    (bytes.as_ptr() as usize, bytes.len())
}

/// Whether `path` is the very path (same bytes, at the same address) that a live [`Vouched`]
/// of this thread vouches for: then [`is_plain`] holds for it, and checking it again can be
/// skipped.
#[inline]
pub(crate) fn vouched(path: &Path) -> bool {
    let (at, len) = key(path);
    len != 0 && VOUCHED.with(|v| v.get() == (at, len))
}

/// A resolved path, vouched for on this thread while it lives when it is the usual path (see
/// the module docs). Dereferences to the path.
#[derive(Debug)]
pub(crate) struct Vouched {
    path: PathBuf,
    /// Whether the thread's record is (or was) this path's.
    recorded: bool,
    /// Not `Send` or `Sync`: the record it clears is this thread's.
    _thread: PhantomData<*const ()>,
}

impl Vouched {
    /// `path`, vouched for when [`is_plain`] holds for it.
    #[inline]
    pub(crate) fn new(path: PathBuf) -> Self {
        let plain = is_plain(&path);
        Self::record(path, plain)
    }

    /// `path`, which the caller has found [`is_plain`], vouched for without a second pass.
    #[inline]
    pub(crate) fn plain(path: PathBuf) -> Self {
        debug_assert!(is_plain(&path));
        Self::record(path, true)
    }

    fn record(path: PathBuf, plain: bool) -> Self {
        if plain {
            VOUCHED.with(|v| v.set(key(&path)));
        }
        Vouched {
            path,
            recorded: plain,
            _thread: PhantomData,
        }
    }

    fn clear(&self) {
        if self.recorded {
            let mine = key(&self.path);
            VOUCHED.with(|v| {
                if v.get() == mine {
                    v.set((0, 0));
                }
            });
        }
    }
}

impl Deref for Vouched {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Vouched {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for Vouched {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_vouched_for_while_it_lives() {
        let v = Vouched::new(PathBuf::from("/workspace/f1"));
        assert!(vouched(&v));
        // The same text elsewhere is other bytes: not vouched for.
        assert!(!vouched(Path::new("/workspace/f1")));
        // Nor is a part of it (same address, shorter).
        assert!(!vouched(v.parent().unwrap_or(Path::new("/"))));
        let copy = v.to_path_buf();
        drop(v);
        assert!(!vouched(&copy));
    }

    #[test]
    fn other_paths_are_not_vouched_for() {
        for text in [
            "/a",
            "/workspace//f1",
            "/workspace/../f1",
            "/workspace/.env",
            "rel/ative/x",
        ] {
            let v = Vouched::new(PathBuf::from(text));
            assert!(!vouched(&v), "{text}");
        }
    }

    #[test]
    fn the_latest_vouch_wins_and_an_earlier_drop_leaves_it() {
        let first = Vouched::new(PathBuf::from("/workspace/first"));
        let second = Vouched::new(PathBuf::from("/workspace/second"));
        assert!(!vouched(&first));
        assert!(vouched(&second));
        drop(first);
        assert!(vouched(&second));
        drop(second);
        assert_eq!(VOUCHED.with(Cell::get), (0, 0));
    }

    #[test]
    fn the_vouch_is_per_thread() {
        let v = Vouched::new(PathBuf::from("/workspace/f1"));
        let (at, len) = key(&v);
        let seen = std::thread::spawn(move || VOUCHED.with(|c| c.get() == (at, len)))
            .join()
            .unwrap_or(true);
        assert!(!seen);
        assert!(vouched(&v));
    }
}
