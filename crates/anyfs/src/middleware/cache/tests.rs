//! Tests of Cache: hits really skip the inner backend, and every aliasing hazard (symlinks,
//! directory symlinks, hard links, renamed and removed subtrees, re-pointed links, streams,
//! handles) is invalidated; bounds, TTL and the behind-the-back contract; a concurrent
//! reader never goes back in time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyfs_backend::{
    FsDir, FsError, FsHandles, FsInode, FsLink, FsPermissions, FsRead, FsWrite, FsXattr, LayerExt,
    OpenFlags, Permissions,
};
use parking_lot::Mutex;

use super::{Cache, CacheLayer};
use crate::middleware::forward::{forward, Access};
use crate::MemoryBackend;

/// MemoryBackend that counts the calls reaching it, by method name.
#[derive(Clone, Default)]
struct Counting<B> {
    inner: B,
    calls: Arc<Mutex<HashMap<&'static str, usize>>>,
}

impl<B> Counting<B> {
    fn count(&self, op: &'static str, _: Access) -> Result<(), FsError> {
        *self.calls.lock().entry(op).or_default() += 1;
        Ok(())
    }
    fn calls(&self, op: &str) -> usize {
        self.calls.lock().get(op).copied().unwrap_or(0)
    }
}

forward!(Counting.inner => FsRead, FsWrite, FsDir, FsLink, FsPermissions, FsSync, FsStats,
    FsInode, FsHandles, FsLock, FsXattr; guard count);

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn counted() -> (Cache<Counting<MemoryBackend>>, Counting<MemoryBackend>) {
    let inner = Counting::<MemoryBackend>::default();
    (Cache::new(inner.clone()), inner)
}

fn fresh() -> Cache<MemoryBackend> {
    Cache::new(MemoryBackend::new())
}

#[test]
fn hits_do_not_reach_the_inner_backend() {
    let (fs, inner) = counted();
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/a"), b"hello").unwrap();
    assert_eq!(fs.read(p("/d/a")).unwrap(), b"hello");
    let reads = inner.calls("read");
    let metas = inner.calls("metadata");
    for _ in 0..5 {
        assert_eq!(fs.read(p("/d/a")).unwrap(), b"hello");
        assert_eq!(fs.metadata(p("/d/a")).unwrap().size, 5);
        assert_eq!(fs.read_to_string(p("/d/a")).unwrap(), "hello");
        assert_eq!(fs.read_range(p("/d/a"), 1, 3).unwrap(), b"ell");
        assert!(fs.exists(p("/d/a")).unwrap());
    }
    let mut s = String::new();
    std::io::Read::read_to_string(&mut fs.open_read(p("/d/a")).unwrap(), &mut s).unwrap();
    assert_eq!(s, "hello");
    assert_eq!(
        inner.calls("read"),
        reads,
        "cached reads reached the backend"
    );
    assert_eq!(inner.calls("metadata"), metas);
    assert_eq!(inner.calls("read_range") + inner.calls("open_read"), 0);
    assert_eq!(inner.calls("exists"), 0);

    let listing = fs.read_dir(p("/d")).unwrap();
    assert_eq!(fs.read_dir(p("/d")).unwrap(), listing);
    assert_eq!(inner.calls("read_dir"), 1);
    let stats = fs.stats();
    assert!(stats.hits >= 20, "{stats:?}");
    assert!(stats.entries > 0 && stats.bytes > 0, "{stats:?}");
}

#[test]
fn errors_are_the_inner_backends_and_not_cached() {
    let fs = fresh();
    assert_eq!(fs.read(p("/missing")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read(p("relative")).unwrap_err().code(), "EINVAL");
    fs.create_dir(p("/d")).unwrap();
    assert_eq!(fs.read(p("/d")).unwrap_err().code(), "EISDIR");
    assert_eq!(fs.read_dir(p("/missing")).unwrap_err().code(), "ENOENT");
    fs.write(p("/f"), b"x").unwrap();
    assert_eq!(fs.read_dir(p("/f")).unwrap_err().code(), "ENOTDIR");
    assert_eq!(fs.metadata(p("/missing")).unwrap_err().code(), "ENOENT");
    assert!(!fs.exists(p("/missing")).unwrap());
    fs.write(p("/missing"), b"now").unwrap();
    assert!(fs.exists(p("/missing")).unwrap());
    assert_eq!(fs.read(p("/missing")).unwrap(), b"now");
    fs.write(p("/bin"), &[0xff, 0xfe]).unwrap();
    assert_eq!(fs.read_to_string(p("/bin")).unwrap_err().code(), "EINVAL");
}

#[test]
fn write_through_a_symlink_changes_the_targets_cached_content() {
    let fs = fresh();
    fs.write(p("/target"), b"v1").unwrap();
    fs.symlink(p("/target"), p("/link")).unwrap();
    assert_eq!(fs.read(p("/target")).unwrap(), b"v1");
    assert_eq!(fs.read(p("/link")).unwrap(), b"v1");
    fs.write(p("/link"), b"v2-longer").unwrap();
    assert_eq!(fs.read(p("/target")).unwrap(), b"v2-longer");
    assert_eq!(fs.metadata(p("/target")).unwrap().size, 9);
    fs.write(p("/target"), b"v3").unwrap();
    assert_eq!(fs.read(p("/link")).unwrap(), b"v3");
    assert_eq!(fs.metadata(p("/link")).unwrap().size, 2);
    fs.append(p("/link"), b"+").unwrap();
    assert_eq!(fs.read(p("/target")).unwrap(), b"v3+");
    fs.truncate(p("/link"), 1).unwrap();
    assert_eq!(fs.read(p("/target")).unwrap(), b"v");
}

#[test]
fn writes_below_a_directory_symlink_are_seen_through_both_paths() {
    let fs = fresh();
    fs.create_dir(p("/real")).unwrap();
    fs.write(p("/real/f"), b"one").unwrap();
    fs.symlink(p("/real"), p("/alias")).unwrap();
    assert_eq!(fs.read(p("/alias/f")).unwrap(), b"one");
    assert_eq!(fs.read(p("/real/f")).unwrap(), b"one");
    fs.write(p("/real/f"), b"two").unwrap();
    assert_eq!(fs.read(p("/alias/f")).unwrap(), b"two");
    fs.write(p("/alias/f"), b"three").unwrap();
    assert_eq!(fs.read(p("/real/f")).unwrap(), b"three");
    // A new entry through one path shows in the listing of the other.
    let before = fs.read_dir(p("/real")).unwrap().len();
    fs.write(p("/alias/g"), b"").unwrap();
    assert_eq!(fs.read_dir(p("/real")).unwrap().len(), before + 1);
}

#[test]
fn a_write_to_one_hard_link_changes_the_other() {
    let fs = fresh();
    fs.write(p("/a"), b"first").unwrap();
    fs.hard_link(p("/a"), p("/b")).unwrap();
    assert_eq!(fs.read(p("/b")).unwrap(), b"first");
    assert_eq!(fs.metadata(p("/b")).unwrap().nlink, 2);
    fs.write(p("/a"), b"second").unwrap();
    assert_eq!(fs.read(p("/b")).unwrap(), b"second");
    assert_eq!(fs.metadata(p("/b")).unwrap().size, 6);
    fs.copy(p("/a"), p("/b")).unwrap();
    fs.write(p("/c"), b"copied").unwrap();
    fs.read(p("/a")).unwrap();
    fs.copy(p("/c"), p("/b")).unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"copied");
    fs.set_permissions(p("/b"), Permissions::from_mode(0o600))
        .unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().permissions.mode(), 0o600);
    fs.remove_file(p("/b")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 1);
    assert_eq!(fs.read(p("/b")).unwrap_err().code(), "ENOENT");
}

#[test]
fn link_counts_follow_new_links() {
    let fs = fresh();
    fs.write(p("/a"), b"x").unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 1);
    fs.hard_link(p("/a"), p("/b")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 2);
    fs.create_dir(p("/d")).unwrap();
    let root = fs.metadata(p("/")).unwrap().nlink;
    fs.create_dir(p("/e")).unwrap();
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, root + 1);
}

#[test]
fn a_repointed_symlink_reads_its_new_target() {
    let fs = fresh();
    fs.write(p("/x"), b"x").unwrap();
    fs.write(p("/y"), b"y").unwrap();
    fs.symlink(p("/x"), p("/l")).unwrap();
    assert_eq!(fs.read(p("/l")).unwrap(), b"x");
    fs.remove_file(p("/l")).unwrap();
    fs.symlink(p("/y"), p("/l")).unwrap();
    assert_eq!(fs.read(p("/l")).unwrap(), b"y");
    fs.rename(p("/x"), p("/y")).unwrap();
    assert_eq!(fs.read(p("/l")).unwrap(), b"x");
}

#[test]
fn rename_invalidates_the_whole_subtree() {
    let fs = fresh();
    fs.create_dir_all(p("/d/sub")).unwrap();
    fs.write(p("/d/sub/f"), b"old").unwrap();
    assert_eq!(fs.read(p("/d/sub/f")).unwrap(), b"old");
    assert_eq!(fs.read_dir(p("/d/sub")).unwrap().len(), 1);
    fs.rename(p("/d"), p("/e")).unwrap();
    assert_eq!(fs.read(p("/d/sub/f")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read_dir(p("/d/sub")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read(p("/e/sub/f")).unwrap(), b"old");
    fs.create_dir_all(p("/d/sub")).unwrap();
    fs.write(p("/d/sub/f"), b"new").unwrap();
    assert_eq!(fs.read(p("/d/sub/f")).unwrap(), b"new");
    assert_eq!(fs.read(p("/e/sub/f")).unwrap(), b"old");
    // A file renamed over a cached one.
    fs.write(p("/a"), b"a").unwrap();
    fs.write(p("/b"), b"b").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"a");
    fs.rename(p("/b"), p("/a")).unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"b");
}

#[test]
fn remove_dir_all_invalidates_the_whole_subtree() {
    let fs = fresh();
    fs.create_dir_all(p("/d/sub")).unwrap();
    fs.write(p("/d/sub/f"), b"old").unwrap();
    fs.symlink(p("/d/sub/f"), p("/ln")).unwrap();
    assert_eq!(fs.read(p("/d/sub/f")).unwrap(), b"old");
    assert_eq!(fs.read(p("/ln")).unwrap(), b"old");
    assert!(fs.exists(p("/d/sub")).unwrap());
    fs.remove_dir_all(p("/d")).unwrap();
    assert_eq!(fs.read(p("/d/sub/f")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read(p("/ln")).unwrap_err().code(), "ENOENT");
    assert!(!fs.exists(p("/d/sub")).unwrap());
    fs.create_dir_all(p("/d/sub")).unwrap();
    fs.write(p("/d/sub/f"), b"new").unwrap();
    assert_eq!(fs.read(p("/ln")).unwrap(), b"new");
}

#[test]
fn listings_follow_creates_removes_and_renames() {
    let fs = fresh();
    fs.create_dir(p("/d")).unwrap();
    let names = |fs: &Cache<MemoryBackend>| -> Vec<String> {
        fs.read_dir(p("/d"))
            .unwrap()
            .into_iter()
            .map(|e| e.name.to_string_lossy().into_owned())
            .collect()
    };
    assert!(names(&fs).is_empty());
    fs.write(p("/d/a"), b"").unwrap();
    assert_eq!(names(&fs), vec!["a"]);
    fs.rename(p("/d/a"), p("/d/b")).unwrap();
    assert_eq!(names(&fs), vec!["b"]);
    fs.create_dir(p("/d/c")).unwrap();
    fs.symlink(p("/d/b"), p("/d/s")).unwrap();
    assert_eq!(names(&fs), vec!["b", "c", "s"]);
    fs.remove_dir(p("/d/c")).unwrap();
    fs.remove_file(p("/d/s")).unwrap();
    assert_eq!(names(&fs), vec!["b"]);
    let h = fs
        .open(p("/d/h"), OpenFlags::WRITE | OpenFlags::CREATE)
        .unwrap();
    fs.close(h).unwrap();
    assert_eq!(names(&fs), vec!["b", "h"]);
}

#[test]
fn stream_writes_invalidate_as_they_land() {
    let fs = fresh();
    fs.write(p("/a"), b"original").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"original");
    let mut w = fs.open_write(p("/a")).unwrap();
    w.write_all(b"part1").unwrap();
    w.flush().unwrap();
    let mid = fs.read(p("/a")).unwrap();
    assert!(mid == b"part1" || mid.is_empty(), "{mid:?}");
    w.write_all(b"+part2").unwrap();
    drop(w);
    assert_eq!(fs.read(p("/a")).unwrap(), b"part1+part2");
    assert_eq!(fs.metadata(p("/a")).unwrap().size, 11);
}

#[test]
fn handle_writes_invalidate_every_name() {
    let fs = fresh();
    fs.write(p("/a"), b"aaaa").unwrap();
    fs.hard_link(p("/a"), p("/b")).unwrap();
    let h = fs.open(p("/a"), OpenFlags::READ_WRITE).unwrap();
    assert_eq!(fs.read(p("/b")).unwrap(), b"aaaa");
    fs.write_at(h, b"ZZ", 1).unwrap();
    assert_eq!(fs.read(p("/b")).unwrap(), b"aZZa");
    fs.write_at(h, b"!", 10).unwrap();
    assert_eq!(fs.metadata(p("/b")).unwrap().size, 11);
    fs.close(h).unwrap();
    // A read-only handle cannot write, and the cache stays as it was.
    let r = fs.open(p("/a"), OpenFlags::READ).unwrap();
    assert_eq!(fs.write_at(r, b"x", 0).unwrap_err().code(), "EBADF");
    fs.close(r).unwrap();
    assert_eq!(fs.read(p("/a")).unwrap().len(), 11);
}

#[test]
fn metadata_changes_are_seen() {
    let fs = fresh();
    fs.write(p("/f"), b"x").unwrap();
    fs.symlink(p("/f"), p("/l")).unwrap();
    assert_eq!(fs.metadata(p("/l")).unwrap().permissions.mode(), 0o644);
    fs.set_permissions(p("/f"), Permissions::from_mode(0o400))
        .unwrap();
    assert_eq!(fs.metadata(p("/l")).unwrap().permissions.mode(), 0o400);
    fs.set_owner(p("/l"), Some(7), Some(8)).unwrap();
    assert_eq!(fs.metadata(p("/f")).unwrap().uid, 7);
    let t = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000);
    fs.set_times(p("/l"), None, Some(t)).unwrap();
    assert_eq!(fs.metadata(p("/f")).unwrap().modified, Some(t));
    let ino = fs.path_to_inode(p("/f")).unwrap();
    let changed = fs.metadata_by_inode(ino).unwrap().changed;
    fs.set_xattr(p("/f"), "user.a", b"1").unwrap();
    let after = fs.metadata_by_inode(ino).unwrap().changed;
    assert!(after >= changed);
    assert_eq!(fs.get_xattr(p("/l"), "user.a").unwrap(), b"1");
    fs.remove_xattr(p("/f"), "user.a").unwrap();
    assert_eq!(
        fs.get_xattr(p("/f"), "user.a").unwrap_err().code(),
        "ENODATA"
    );
}

#[test]
fn changes_behind_the_back_wait_for_invalidate_all_or_the_ttl() {
    let inner = MemoryBackend::new();
    let fs = Cache::new(inner.clone());
    fs.write(p("/a"), b"v1").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"v1");
    inner.write(p("/a"), b"v2").unwrap();
    // Documented staleness: the cache has not seen the direct write.
    assert_eq!(fs.read(p("/a")).unwrap(), b"v1");
    fs.invalidate_all();
    assert_eq!(fs.read(p("/a")).unwrap(), b"v2");

    let short = Cache::new(inner.clone()).with_ttl(Duration::from_millis(20));
    assert_eq!(short.read(p("/a")).unwrap(), b"v2");
    inner.write(p("/a"), b"v3").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(short.read(p("/a")).unwrap(), b"v3");
}

#[test]
fn bounded_by_entries_and_bytes() {
    let (fs, inner) = counted();
    let fs = Cache::new(fs.into_inner())
        .with_max_entries(4)
        .with_max_size(1 << 20);
    for i in 0..40 {
        let path = format!("/f{i}");
        fs.write(p(&path), b"data").unwrap();
        fs.read(p(&path)).unwrap();
    }
    let (paths, meta, blobs) = fs.state.counts();
    assert!(
        paths <= 4 && meta <= 4 && blobs <= 4,
        "{paths} {meta} {blobs}"
    );

    let fs = Cache::new(inner.clone())
        .with_max_entries(1000)
        .with_max_size(1000);
    for i in 0..10 {
        let path = format!("/g{i}");
        fs.write(p(&path), &[7u8; 300]).unwrap();
        fs.read(p(&path)).unwrap();
    }
    assert!(fs.stats().bytes <= 1000, "{:?}", fs.stats());

    let fs = Cache::new(inner.clone()).with_max_entry_size(10);
    fs.write(p("/big"), &[1u8; 11]).unwrap();
    let before = inner.calls("read");
    fs.read(p("/big")).unwrap();
    fs.read(p("/big")).unwrap();
    assert_eq!(inner.calls("read"), before + 2, "a too-big file was cached");
    fs.write(p("/small"), &[1u8; 10]).unwrap();
    let before = inner.calls("read");
    fs.read(p("/small")).unwrap();
    fs.read(p("/small")).unwrap();
    assert_eq!(inner.calls("read"), before + 1);
}

#[test]
fn a_concurrent_reader_never_goes_back_in_time() {
    let fs = Arc::new(fresh());
    fs.write(p("/n"), b"0").unwrap();
    fs.write(p("/m"), b"0").unwrap();
    fs.hard_link(p("/m"), p("/m2")).unwrap();
    std::thread::scope(|s| {
        let writer = fs.clone();
        s.spawn(move || {
            for i in 1..=2000u32 {
                writer.write(p("/n"), i.to_string().as_bytes()).unwrap();
                writer.write(p("/m2"), i.to_string().as_bytes()).unwrap();
            }
        });
        for _ in 0..2 {
            let reader = fs.clone();
            s.spawn(move || {
                let (mut last_n, mut last_m) = (0u32, 0u32);
                for _ in 0..4000 {
                    let n: u32 = String::from_utf8(reader.read(p("/n")).unwrap())
                        .unwrap()
                        .parse()
                        .unwrap();
                    let m: u32 = String::from_utf8(reader.read(p("/m")).unwrap())
                        .unwrap()
                        .parse()
                        .unwrap();
                    assert!(n >= last_n, "read /n went back from {last_n} to {n}");
                    assert!(m >= last_m, "read /m went back from {last_m} to {m}");
                    (last_n, last_m) = (n, m);
                }
            });
        }
    });
    assert_eq!(fs.read(p("/n")).unwrap(), b"2000");
    assert_eq!(fs.read(p("/m")).unwrap(), b"2000");
}

/// A pause point: the first thread to pass it signals `reached` and waits for `resume`; later
/// ones (and every one when no channels were given) pass straight through.
#[derive(Default)]
struct Gate {
    reached: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    resume: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

impl Gate {
    /// A gate and the test's ends of it: wait on the first, release with the second.
    fn new() -> (
        Gate,
        std::sync::mpsc::Receiver<()>,
        std::sync::mpsc::Sender<()>,
    ) {
        let (reached_tx, reached_rx) = std::sync::mpsc::channel();
        let (resume_tx, resume_rx) = std::sync::mpsc::channel();
        let gate = Gate {
            reached: Mutex::new(Some(reached_tx)),
            resume: Mutex::new(Some(resume_rx)),
        };
        (gate, reached_rx, resume_tx)
    }

    fn pass(&self) {
        let reached = self.reached.lock().take();
        if let Some(reached) = reached {
            reached.send(()).unwrap();
            let resume = self.resume.lock().take().unwrap();
            resume.recv().unwrap();
        }
    }
}

/// A backend whose first `read` stops after reading (holding the old bytes) and whose first
/// `write` stops after writing (before the cache above it can invalidate), each until released,
/// so a test can interleave the steps a race needs.
struct Pausing<B> {
    inner: B,
    after_read: Gate,
    after_write: Gate,
}

impl<B: FsRead> FsRead for Pausing<B> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let data = self.inner.read(path)?;
        self.after_read.pass();
        Ok(data)
    }
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        self.inner.read_range(path, offset, len)
    }
    fn metadata(&self, path: &Path) -> Result<anyfs_backend::Metadata, FsError> {
        self.inner.metadata(path)
    }
    fn open_read(&self, path: &Path) -> Result<Box<dyn std::io::Read + Send>, FsError> {
        self.inner.open_read(path)
    }
}

impl<B: FsWrite> FsWrite for Pausing<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let result = self.inner.write(path, data);
        self.after_write.pass();
        result
    }
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.inner.append(path, data)
    }
    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.inner.remove_file(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.inner.rename(from, to)
    }
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.inner.copy(from, to)
    }
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        self.inner.truncate(path, size)
    }
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        self.inner.open_write(path)
    }
    fn set_times(
        &self,
        path: &Path,
        accessed: Option<std::time::SystemTime>,
        modified: Option<std::time::SystemTime>,
    ) -> Result<(), FsError> {
        self.inner.set_times(path, accessed, modified)
    }
}

forward!(Pausing.inner => FsDir);

#[test]
fn a_fill_that_raced_with_a_write_is_dropped() {
    let (after_read, reached, resume) = Gate::new();
    let inner = MemoryBackend::new();
    inner.write(p("/n"), b"old").unwrap();
    let fs = Cache::new(Pausing {
        inner,
        after_read,
        after_write: Gate::default(),
    });
    std::thread::scope(|s| {
        let reader = s.spawn(|| fs.read(p("/n")).unwrap());
        reached.recv().unwrap();
        // The reader holds "old" and has not filled the cache yet.
        fs.write(p("/n"), b"new").unwrap();
        resume.send(()).unwrap();
        assert_eq!(reader.join().unwrap(), b"old");
    });
    assert_eq!(fs.read(p("/n")).unwrap(), b"new", "a stale fill was cached");
}

/// The interleaving behind a flaky failure of `a_concurrent_reader_never_goes_back_in_time`:
/// a slow reader holding the old bytes fills after a fast reader saw (and filled) the new ones,
/// while the write that changed them has landed but not yet invalidated.
#[test]
fn a_reader_that_saw_a_write_land_never_sees_the_old_bytes_again() {
    let (after_read, read_reached, read_resume) = Gate::new();
    let (after_write, write_reached, write_resume) = Gate::new();
    let inner = MemoryBackend::new();
    inner.write(p("/n"), b"old").unwrap();
    let fs = Cache::new(Pausing {
        inner,
        after_read,
        after_write,
    });
    std::thread::scope(|s| {
        let slow = s.spawn(|| fs.read(p("/n")).unwrap());
        read_reached.recv().unwrap();
        let writer = s.spawn(|| fs.write(p("/n"), b"new").unwrap());
        write_reached.recv().unwrap();
        // The write has landed below the cache; its invalidation has not run yet.
        let first = fs.read(p("/n")).unwrap();
        read_resume.send(()).unwrap();
        let slow = slow.join().unwrap();
        let second = fs.read(p("/n")).unwrap();
        // Released before asserting, so a failure cannot leave the writer blocked.
        write_resume.send(()).unwrap();
        writer.join().unwrap();
        assert_eq!(
            (first.as_slice(), slow.as_slice()),
            (&b"new"[..], &b"old"[..])
        );
        assert_eq!(
            second, b"new",
            "the slow reader's old bytes were served after the new ones"
        );
    });
    assert_eq!(fs.read(p("/n")).unwrap(), b"new");
}

#[test]
fn layer_and_accessors() {
    let fs = MemoryBackend::new().layer(
        CacheLayer::builder()
            .max_entries(5)
            .max_size(500)
            .max_entry_size(50)
            .ttl(Duration::from_secs(9))
            .build(),
    );
    let c = fs.config();
    assert_eq!(
        (c.max_entries, c.max_bytes, c.max_entry_size, c.ttl),
        (5, 500, 50, Duration::from_secs(9))
    );
    assert_eq!(CacheLayer::new().config(), super::CacheConfig::default());
    fs.write(p("/a"), b"1").unwrap();
    assert_eq!(fs.get_ref().read(p("/a")).unwrap(), b"1");
    assert!(fs.into_inner().exists(p("/a")).unwrap());
}

#[test]
fn an_endless_ttl_is_clamped_not_a_panic() {
    let cache = Cache::new(MemoryBackend::new()).with_ttl(std::time::Duration::MAX);
    cache.write(std::path::Path::new("/a"), b"x").unwrap();
    assert_eq!(cache.read(std::path::Path::new("/a")).unwrap(), b"x");
}

/// Paths are cached by their bytes, so two spellings of one file have two path entries; both
/// lead to the one inode's content, and a change through either is seen through the other.
#[test]
fn spellings_of_one_path_share_the_content_and_its_invalidation() {
    let (fs, inner) = counted();
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/f"), b"old").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"old");
    assert_eq!(fs.read(p("/d//f")).unwrap(), b"old");
    let reads = inner.calls("read");
    assert_eq!(fs.read(p("/d//f")).unwrap(), b"old");
    assert_eq!(
        inner.calls("read"),
        reads,
        "the second spelling is cached too"
    );
    fs.write(p("/d//f"), b"new").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"new");
    assert_eq!(fs.read(p("/d//f")).unwrap(), b"new");
    fs.remove_file(p("/d/f")).unwrap();
    assert_eq!(fs.read(p("/d//f")).unwrap_err().code(), "ENOENT");
}
