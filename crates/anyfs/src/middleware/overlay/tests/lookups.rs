//! How many lookups the overlay makes: a file the upper layer holds at the very path is found
//! in one (no walk of the merged view), and only when that answer is the walk's.

use std::sync::{Arc, Mutex};

use anyfs_backend::{FsDir, FsLink, FsRead, FsWrite};

use super::{base, p};
use crate::middleware::overlay::Overlay;
use crate::middleware::tracing::{TraceEvent, Tracing};
use crate::MemoryBackend;

type Seen = Arc<Mutex<Vec<&'static str>>>;

/// An overlay over [`base`] whose upper layer records every call made on it.
fn watched() -> (
    Overlay<MemoryBackend, Tracing<MemoryBackend>>,
    MemoryBackend,
    Seen,
) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    let upper = MemoryBackend::new();
    let traced = Tracing::new(upper.clone()).with_sink(Arc::new(move |e: &TraceEvent| {
        sink.lock().unwrap().push(e.operation)
    }));
    (Overlay::new(base(), traced), upper, seen)
}

fn take(seen: &Seen) -> Vec<&'static str> {
    std::mem::take(&mut *seen.lock().unwrap())
}

#[test]
fn a_file_in_the_upper_layer_is_found_in_one_lookup() {
    let (fs, _, seen) = watched();
    fs.write(p("/etc/new"), b"new").unwrap();
    take(&seen);
    assert_eq!(fs.metadata(p("/etc/new")).unwrap().size, 3);
    assert_eq!(take(&seen), ["symlink_metadata"]);
    // A read is tried on the upper layer itself: one call.
    assert_eq!(fs.read(p("/etc/new")).unwrap(), b"new");
    assert_eq!(take(&seen), ["read"]);
    let mut lent = Vec::new();
    let done = fs.read_with(p("/etc/new"), &mut |bytes, _| lent = bytes.to_vec());
    assert!(matches!(done, Some(Ok(()))));
    assert_eq!(
        (lent.as_slice(), take(&seen).as_slice()),
        (&b"new"[..], &["read"][..])
    );
    // A base file is still found by the walk, whiteouts and all.
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"base hosts");
    assert!(take(&seen).len() > 2);
}

#[test]
fn what_one_lookup_cannot_vouch_for_takes_the_walk() {
    let (fs, upper, seen) = watched();
    fs.write(p("/etc/new"), b"new").unwrap();
    // A directory: whether it merges with the base's is the walk's to work out.
    take(&seen);
    assert!(fs.metadata(p("/etc")).unwrap().is_dir());
    assert!(take(&seen).len() > 1);
    // A reserved name the upper layer holds (written beneath the overlay) stays refused.
    upper.write(p("/etc/.wh.x"), b"").unwrap();
    assert_eq!(fs.read(p("/etc/.wh.x")).unwrap_err().code(), "EINVAL");
    assert_eq!(fs.metadata(p("/etc/.wh.x")).unwrap_err().code(), "EINVAL");
    // Not normal or with `..`: resolved by the walk, to the same file.
    for path in ["/etc//new", "/etc/./new", "/src/../etc/new"] {
        take(&seen);
        assert_eq!(fs.read(p(path)).unwrap(), b"new", "{path}");
        assert!(take(&seen).len() > 2, "{path}");
    }
    // With a symlink in the upper layer, every lookup walks.
    fs.symlink(p("/etc/new"), p("/l")).unwrap();
    take(&seen);
    assert_eq!(fs.read(p("/etc/new")).unwrap(), b"new");
    assert!(take(&seen).len() > 2);
    assert_eq!(fs.read(p("/l")).unwrap(), b"new");
}

#[test]
fn an_upper_file_shadows_whatever_the_base_holds_at_its_path() {
    let (fs, upper, _) = watched();
    // The upper file at /src/main.rs hides the base's; under /docs (a base directory) too.
    fs.write(p("/src/main.rs"), b"upper main").unwrap();
    fs.write(p("/docs/readme"), b"doc").unwrap();
    assert_eq!(fs.read(p("/src/main.rs")).unwrap(), b"upper main");
    assert_eq!(fs.read(p("/docs/readme")).unwrap(), b"doc");
    // Removed through the overlay: gone, though the base still has it.
    fs.remove_file(p("/src/main.rs")).unwrap();
    assert_eq!(fs.read(p("/src/main.rs")).unwrap_err().code(), "ENOENT");
    assert!(!upper.exists(p("/src/main.rs")).unwrap());
    assert!(fs
        .read_dir(p("/src"))
        .unwrap()
        .iter()
        .all(|e| e.name != "main.rs"));
}

#[test]
fn a_change_where_the_base_has_nothing_is_one_upper_call() {
    let (fs, upper, seen) = watched();
    // The first file under /etc copies the directory up (the walk's way).
    fs.write(p("/etc/a"), b"a").unwrap();
    assert!(upper.metadata(p("/etc")).unwrap().is_dir());
    take(&seen);
    fs.write(p("/etc/b"), b"b").unwrap();
    assert_eq!(take(&seen), ["write"]);
    fs.write(p("/etc/b"), b"b2").unwrap();
    assert_eq!(take(&seen), ["write"]);
    assert_eq!(fs.read(p("/etc/b")).unwrap(), b"b2");
    take(&seen);
    fs.remove_file(p("/etc/b")).unwrap();
    assert_eq!(take(&seen), ["remove_file"]);
    assert_eq!(fs.read(p("/etc/b")).unwrap_err().code(), "ENOENT");
    // Where the base has the name, the walk's way: a whiteout, then re-creation clears it.
    fs.remove_file(p("/etc/hosts")).unwrap();
    assert_eq!(fs.read(p("/etc/hosts")).unwrap_err().code(), "ENOENT");
    fs.write(p("/etc/hosts"), b"mine").unwrap();
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"mine");
    fs.remove_file(p("/etc/hosts")).unwrap();
    assert_eq!(fs.read(p("/etc/hosts")).unwrap_err().code(), "ENOENT");
    // Failures take the walk and report its errors.
    fs.create_dir(p("/etc/sub")).unwrap();
    assert_eq!(fs.write(p("/etc/sub"), b"x").unwrap_err().code(), "EISDIR");
    assert_eq!(fs.remove_file(p("/etc/sub")).unwrap_err().code(), "EISDIR");
    assert_eq!(fs.remove_file(p("/etc/none")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.write(p("/none/x"), b"x").unwrap_err().code(), "ENOENT");
}
