//! The fast forms of the contract (`FsRead::read_with`, `FsWrite::write_replacing`,
//! `FsWrite::remove_file_reporting`, `FsLink::resolve_path`, `FsLink::symlink_free`) through the pass-through middleware
//! (RateLimit, ReadOnly, Restrictions, Tracing): each keeps its policy on them, and a Quota or
//! PathFilter above takes the fast path through them (a Tracing sink below is the witness:
//! the slow path shows lookups before the call).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfs_backend::{FsDir, FsLink, FsRead, FsWrite};

use super::forward::forward;
use super::path_filter::PathFilter;
use super::quota::Quota;
use super::rate_limit::{RateLimit, RateLimitConfig};
use super::read_only::ReadOnly;
use super::restrictions::Restrictions;
use super::tracing::{TraceEvent, Tracing};
use crate::MemoryBackend;

/// A backend that offers none of the write and link fast forms.
struct Plain<B>(B);
forward!(Plain.0 => FsRead, FsWritePlain, FsDir, FsLinkPlain);

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// One operation, then none for an hour.
fn one_op() -> RateLimitConfig {
    RateLimitConfig {
        max_ops: 1,
        window: Duration::from_secs(3600),
        max_burst: Some(1),
    }
}

fn many_ops() -> RateLimitConfig {
    RateLimitConfig {
        max_ops: u32::MAX,
        window: Duration::from_secs(1),
        max_burst: None,
    }
}

/// A Tracing over `inner` whose operations land in the returned list.
fn traced(inner: MemoryBackend) -> (Tracing<MemoryBackend>, Arc<Mutex<Vec<&'static str>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let fs = Tracing::new(inner).with_sink(Arc::new(move |e: &TraceEvent| {
        sink.lock().unwrap().push(e.operation)
    }));
    (fs, seen)
}

fn take(seen: &Mutex<Vec<&'static str>>) -> Vec<&'static str> {
    std::mem::take(&mut *seen.lock().unwrap())
}

#[test]
fn read_only_refuses_the_fast_write_forms_as_write_and_remove_file() {
    let inner = MemoryBackend::new();
    inner.write(p("/f"), b"data").unwrap();
    let fs = ReadOnly::new(inner.clone());
    let err = fs.write_replacing(p("/f"), b"x").unwrap().unwrap_err();
    let want = fs.write(p("/f"), b"x").unwrap_err();
    assert_eq!(
        (err.code(), format!("{err:?}")),
        ("EROFS", format!("{want:?}"))
    );
    let err = fs.remove_file_reporting(p("/f")).unwrap().unwrap_err();
    let want = fs.remove_file(p("/f")).unwrap_err();
    assert_eq!(
        (err.code(), format!("{err:?}")),
        ("EROFS", format!("{want:?}"))
    );
    // Refused before the inner backend: even one that does not offer them.
    let plain = ReadOnly::new(Plain(inner.clone()));
    assert_eq!(
        plain
            .write_replacing(p("/g"), b"x")
            .unwrap()
            .unwrap_err()
            .code(),
        "EROFS"
    );
    assert_eq!(inner.read(p("/f")).unwrap(), b"data");
    assert!(!inner.exists(p("/g")).unwrap());
    // Lookups pass.
    let resolved = fs.resolve_path(p("//f"), true, "op").unwrap().unwrap();
    assert_eq!(resolved.path, Path::new("/f"));
    assert!(resolved.metadata.is_some());
    assert!(fs.symlink_free());
    inner.symlink(p("/f"), p("/l")).unwrap();
    assert!(!fs.symlink_free());
}

#[test]
fn rate_limit_charges_a_fast_form_once_and_gives_back_what_did_nothing() {
    // Offered: one token, spent.
    let fs = RateLimit::with_config(MemoryBackend::new(), one_op());
    assert!(matches!(fs.write_replacing(p("/f"), b"x"), Some(Ok(None))));
    assert_eq!(fs.write(p("/g"), b"x").unwrap_err().code(), "EAGAIN");
    // Refused: answered without reaching the inner backend.
    assert_eq!(
        fs.remove_file_reporting(p("/f"))
            .unwrap()
            .unwrap_err()
            .code(),
        "EAGAIN"
    );
    assert!(fs.get_ref().exists(p("/f")).unwrap());
    // A question, not an operation: answered with no token left.
    assert!(fs.symlink_free());

    // Not offered: nothing done, and the token goes to the call made instead.
    let fs = RateLimit::with_config(Plain(MemoryBackend::new()), one_op());
    assert!(fs.write_replacing(p("/f"), b"x").is_none());
    assert!(fs.remove_file_reporting(p("/f")).is_none());
    assert!(fs.resolve_path(p("/f"), true, "op").is_none());
    fs.write(p("/f"), b"x").unwrap();
    assert_eq!(fs.write(p("/g"), b"x").unwrap_err().code(), "EAGAIN");
    assert!(!fs.get_ref().0.exists(p("/g")).unwrap());
}

#[test]
fn restrictions_pass_the_fast_forms_through() {
    let inner = MemoryBackend::new();
    let fs = Restrictions::new(inner.clone())
        .deny_symlinks()
        .deny_hard_links()
        .deny_permissions();
    assert!(matches!(fs.write_replacing(p("/f"), b"ab"), Some(Ok(None))));
    let replaced = fs.write_replacing(p("/f"), b"c").unwrap().unwrap().unwrap();
    assert_eq!(replaced.size, 2);
    assert_eq!(fs.remove_file_reporting(p("/f")).unwrap().unwrap().size, 1);
    assert!(!inner.exists(p("/f")).unwrap());
    assert!(fs
        .resolve_path(p("/f"), false, "op")
        .unwrap()
        .unwrap()
        .metadata
        .is_none());
    assert!(fs.symlink_free());
}

#[test]
fn tracing_reports_a_fast_form_as_the_call_it_stands_for() {
    let (fs, seen) = traced(MemoryBackend::new());
    fs.write_replacing(p("/f"), b"abc").unwrap().unwrap();
    fs.remove_file_reporting(p("/f")).unwrap().unwrap();
    fs.resolve_path(p("/f"), true, "op").unwrap().unwrap();
    fs.resolve_path(p("/f"), false, "op").unwrap().unwrap();
    assert!(fs.symlink_free());
    assert_eq!(
        take(&seen),
        ["write", "remove_file", "metadata", "symlink_metadata"]
    );

    // Not offered: nothing done, nothing reported.
    let seen = Arc::new(Mutex::new(Vec::<TraceEvent>::new()));
    let sink = seen.clone();
    let fs =
        Tracing::new(Plain(MemoryBackend::new())).with_sink(Arc::new(move |e: &TraceEvent| {
            sink.lock().unwrap().push(e.clone())
        }));
    assert!(fs.write_replacing(p("/f"), b"abc").is_none());
    assert!(fs.remove_file_reporting(p("/f")).is_none());
    assert!(fs.resolve_path(p("/f"), true, "op").is_none());
    assert!(seen.lock().unwrap().is_empty());
    fs.write(p("/f"), b"abc").unwrap();
    let events = seen.lock().unwrap();
    assert_eq!((events.len(), events[0].bytes), (1, Some(3)));
}

/// A Quota above the pass-through layers writes and removes in one inner call each (no
/// lookup before), and books the same usage.
#[test]
fn quota_takes_the_fast_path_through_the_pass_through_layers() {
    let (traced, seen) = traced(MemoryBackend::new());
    let quota = Quota::new(Restrictions::new(RateLimit::with_config(
        traced,
        many_ops(),
    )));
    take(&seen);
    quota.write(p("/f"), &[1; 10]).unwrap();
    quota.write(p("/f"), &[1; 4]).unwrap();
    quota.remove_file(p("/g")).unwrap_err();
    quota.write(p("/g"), &[1; 3]).unwrap();
    quota.remove_file(p("/f")).unwrap();
    assert_eq!(
        take(&seen),
        ["write", "write", "remove_file", "write", "remove_file"]
    );
    assert_eq!((quota.usage().total_size, quota.usage().node_count), (3, 1));
}

/// A PathFilter above the pass-through layers asks the backend's own resolver (one lookup
/// instead of one per component) and, while there is no symlink, asks nothing at all.
#[test]
fn path_filter_resolves_through_the_pass_through_layers() {
    let inner = MemoryBackend::new();
    inner.create_dir_all(p("/a/b")).unwrap();
    inner.write(p("/a/b/f"), b"x").unwrap();
    let (traced, seen) = traced(inner.clone());
    let fs = PathFilter::new(Restrictions::new(ReadOnly::new(RateLimit::with_config(
        traced,
        many_ops(),
    ))))
    .allow("/**");
    take(&seen);
    fs.read(p("/a/b/f")).unwrap();
    assert_eq!(take(&seen), ["read"]);
    inner.symlink(p("/a/b/f"), p("/l")).unwrap();
    fs.read(p("/a/b/f")).unwrap();
    assert_eq!(take(&seen), ["metadata", "read"]);
}

/// What `read_with` lent, or `None` when it was not offered.
fn lent(fs: &dyn FsRead, path: &str) -> Option<Result<Vec<u8>, anyfs_backend::FsError>> {
    let mut got = Vec::new();
    fs.read_with(p(path), &mut |bytes, _| got = bytes.to_vec())
        .map(|done| done.map(|()| got))
}

#[test]
fn read_with_passes_through_the_pass_through_layers_as_a_read() {
    let inner = MemoryBackend::new();
    inner.write(p("/f"), b"data").unwrap();
    let read_only = ReadOnly::new(inner.clone());
    let restricted = Restrictions::new(inner.clone()).deny_symlinks();
    let limited = RateLimit::with_config(inner.clone(), many_ops());
    for fs in [&read_only as &dyn FsRead, &restricted, &limited] {
        assert_eq!(lent(fs, "/f").unwrap().unwrap(), b"data");
        assert_eq!(lent(fs, "/missing").unwrap().unwrap_err().code(), "ENOENT");
    }
    let (traced, seen) = traced(inner);
    take(&seen);
    assert_eq!(lent(&traced, "/f").unwrap().unwrap(), b"data");
    assert_eq!(take(&seen), ["read"]);
}

#[test]
fn path_filter_lends_what_it_allows_and_refuses_what_it_denies() {
    let inner = MemoryBackend::new();
    inner.create_dir(p("/w")).unwrap();
    inner.write(p("/w/f"), &[3; 300 << 10]).unwrap();
    inner.write(p("/w/.env"), b"KEY=1").unwrap();
    inner.write(p("/top"), b"x").unwrap();
    let fs = PathFilter::new(inner).allow("/w/**").deny("**/.env");
    let mut shared = None;
    let done = fs.read_with(p("/w/f"), &mut |bytes, lent| {
        shared = lent.map(|c| (c.len(), bytes.len()));
    });
    assert!(done.unwrap().is_ok());
    if cfg!(target_os = "linux") {
        // A large file is lent as a descriptor through the filter, as without it.
        assert_eq!(shared, Some((300 << 10, 300 << 10)));
    }
    for denied in ["/w/.env", "/top"] {
        assert_eq!(lent(&fs, denied).unwrap().unwrap_err().code(), "EACCES");
    }
    assert_eq!(
        lent(&fs, "/w/missing").unwrap().unwrap_err().code(),
        "ENOENT"
    );
}

#[cfg(all(feature = "overlay", feature = "cache"))]
#[test]
fn overlay_lends_from_the_layer_holding_the_file_and_hides_what_it_removed() {
    use super::cache::Cache;
    use super::overlay::Overlay;
    let base = MemoryBackend::new();
    base.write(p("/b"), b"base").unwrap();
    base.write(p("/gone"), b"old").unwrap();
    let upper = MemoryBackend::new();
    upper.write(p("/u"), b"upper").unwrap();
    let fs = Overlay::new(base, upper);
    fs.write(p("/b2"), b"copied").unwrap();
    fs.remove_file(p("/gone")).unwrap();
    assert_eq!(lent(&fs, "/b").unwrap().unwrap(), b"base");
    assert_eq!(lent(&fs, "/u").unwrap().unwrap(), b"upper");
    assert_eq!(lent(&fs, "/b2").unwrap().unwrap(), b"copied");
    assert_eq!(lent(&fs, "/gone").unwrap().unwrap_err().code(), "ENOENT");
    fs.create_dir(p("/d")).unwrap();
    assert_eq!(lent(&fs, "/d").unwrap().unwrap_err().code(), "EISDIR");
    // A layer that does not lend (Cache keeps reads to itself) is read and handed over: still
    // one answer.
    let base = MemoryBackend::new();
    base.write(p("/f"), b"plain").unwrap();
    let fs = Overlay::new(Cache::new(base.clone()), MemoryBackend::new());
    assert!(lent(fs.base(), "/f").is_none());
    assert_eq!(lent(&fs, "/f").unwrap().unwrap(), b"plain");
    // So is a file in an upper layer that does not lend.
    let fs = Overlay::new(MemoryBackend::new(), Cache::new(MemoryBackend::new()));
    fs.write(p("/u"), b"upper").unwrap();
    assert!(lent(fs.upper(), "/u").is_none());
    assert_eq!(lent(&fs, "/u").unwrap().unwrap(), b"upper");
    assert_eq!(lent(&fs, "/none").unwrap().unwrap_err().code(), "ENOENT");
}

#[test]
fn rate_limit_charges_read_with_once_and_gives_back_what_was_not_offered() {
    let inner = MemoryBackend::new();
    inner.write(p("/f"), b"data").unwrap();
    let fs = RateLimit::with_config(inner, one_op());
    assert_eq!(lent(&fs, "/f").unwrap().unwrap(), b"data");
    assert_eq!(lent(&fs, "/f").unwrap().unwrap_err().code(), "EAGAIN");

    // Not offered: nothing read, and the token goes to the read made instead.
    let fs = RateLimit::with_config(Unlending(MemoryBackend::new()), one_op());
    fs.get_ref().0.write(p("/f"), b"x").unwrap();
    assert!(lent(&fs, "/f").is_none());
    assert_eq!(fs.read(p("/f")).unwrap(), b"x");
    assert_eq!(fs.read(p("/f")).unwrap_err().code(), "EAGAIN");
}

/// A backend whose reads do not lend (the trait's default `read_with`).
struct Unlending(MemoryBackend);

impl FsRead for Unlending {
    fn read(&self, path: &Path) -> Result<Vec<u8>, anyfs_backend::FsError> {
        self.0.read(path)
    }
    fn read_range(
        &self,
        path: &Path,
        offset: u64,
        len: usize,
    ) -> Result<Vec<u8>, anyfs_backend::FsError> {
        self.0.read_range(path, offset, len)
    }
    fn metadata(&self, path: &Path) -> Result<anyfs_backend::Metadata, anyfs_backend::FsError> {
        self.0.metadata(path)
    }
    fn open_read(
        &self,
        path: &Path,
    ) -> Result<Box<dyn std::io::Read + Send>, anyfs_backend::FsError> {
        self.0.open_read(path)
    }
}
