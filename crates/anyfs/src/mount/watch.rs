//! [`Watched`]: a stack whose changes keep a mount's kernel caches current, so programs see
//! in-process changes at once however long the entry and attribute TTLs are.
//!
//! The kernel trusts a mount's names and attributes for their TTLs and keeps file data in its
//! page cache across opens; it learns of changes made *through* the mount, but not of changes
//! made to the stack in-process. [`MountHandle::watch`](super::MountHandle::watch) wraps a
//! stack (the mounted one, or another handle on the same data) in a [`Watched`]: every change
//! that succeeds through it tells the kernel what it touched — FUSE's `NOTIFY_INVAL_INODE`
//! for changed data or attributes, `NOTIFY_INVAL_ENTRY` for a name that appeared, vanished or
//! moved (and the directory holding it) — before the call returns.
//!
//! What is *not* seen: changes made behind the wrapper's back (through another handle on the
//! same data, another process writing the same SQLite file, a JS layer's own state); those
//! need [`MountHandle::invalidate`](super::MountHandle::invalidate) or wait for the TTLs.
//!
//! # Why a separate thread
//!
//! A notification can block in the kernel until a request in flight on the same inode or
//! directory is answered, and answering it may need the very thread that made the change (a
//! JS layer served on the JS thread that is now waiting). So notifications are written by one
//! invalidator thread per mount, and the changing thread waits for them at most
//! [`NOTIFY_WAIT`]: normally microseconds; should that wait ever be a cycle, it ends there and
//! the caches catch up within their TTLs instead. The inode numbers are resolved on the
//! changing thread, through the mount's stack, for the same reason.
//!
//! # Cost and thread safety
//!
//! Reads and every other call are forwarded untouched. A change costs one `path_to_inode` per
//! path it names (O(depth) on `MemoryBackend`), a hand-off to the invalidator thread and one
//! or two notification writes (a few µs each). Writable handles are remembered (a mutex-guarded
//! map, handle → inode) so `write_at` invalidates the written range only. `Watched` is
//! `Send + Sync` when its stack is.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyfs_backend::{
    DirEntry, FsDir, FsError, FsHandles, FsLink, FsPermissions, FsWrite, Handle, OpenFlags,
    Permissions,
};
use parking_lot::Mutex;
use rustc_hash::FxHashMap;

use super::MountStack;

/// The longest a change waits for its notifications (see the module docs).
pub const NOTIFY_WAIT: Duration = Duration::from_secs(1);

/// The kernel side of a mount's caches (FUSE's notifier on Linux).
pub(crate) trait KernelCache: Send + Sync + 'static {
    /// Drops the attributes of `ino` and, for `offset >= 0`, its cached data from `offset` on
    /// (`len` bytes, or to the end for `len <= 0`).
    fn inval_inode(&self, ino: u64, offset: i64, len: i64);
    /// Drops the name `name` in directory `parent`.
    fn inval_entry(&self, parent: u64, name: &OsStr);
}

#[cfg(target_os = "linux")]
impl KernelCache for fuser::Notifier {
    fn inval_inode(&self, ino: u64, offset: i64, len: i64) {
        // ENOENT only means the kernel had nothing cached; a dead session has nothing either.
        let _ = fuser::Notifier::inval_inode(self, fuser::INodeNo(ino), offset, len);
    }

    fn inval_entry(&self, parent: u64, name: &OsStr) {
        let _ = fuser::Notifier::inval_entry(self, fuser::INodeNo(parent), name);
    }
}

/// One thing the kernel must forget.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Note {
    /// Attributes, plus data from `offset` when `offset >= 0` (see [`KernelCache`]).
    Inode { ino: u64, offset: i64, len: i64 },
    /// A name in a directory.
    Entry { parent: u64, name: OsString },
}

/// A batch of notes and who waits for it.
type Job = (Vec<Note>, SyncSender<()>);

/// A mount's invalidator: resolves paths on the calling thread, notifies on its own thread.
pub(crate) struct Invalidator {
    stack: MountStack,
    jobs: Mutex<Sender<Job>>,
}

impl std::fmt::Debug for Invalidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invalidator").finish_non_exhaustive()
    }
}

impl Invalidator {
    /// Starts the invalidator thread of a mount of `stack`; it ends when the last
    /// [`Watched`] of the mount is dropped.
    pub(crate) fn start(stack: MountStack, cache: Arc<dyn KernelCache>) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("anyfs-invalidate".into())
            .spawn(move || serve(&rx, cache.as_ref()))?;
        Ok(Invalidator {
            stack,
            jobs: Mutex::new(tx),
        })
    }

    fn ino(&self, path: &Path) -> Option<u64> {
        self.stack.fs().path_to_inode(path).ok()
    }

    /// Notes for changed content (and attributes) of `path`.
    fn content(&self, path: &Path, notes: &mut Vec<Note>) {
        if let Some(ino) = self.ino(path) {
            notes.push(Note::Inode {
                ino,
                offset: 0,
                len: 0,
            });
        }
    }

    /// Notes for changed attributes of `path` (its data stays cached).
    fn attrs(&self, path: &Path, notes: &mut Vec<Note>) {
        if let Some(ino) = self.ino(path) {
            notes.push(Note::Inode {
                ino,
                offset: -1,
                len: 0,
            });
        }
    }

    /// Notes for the name `path` (created, removed or moved) and its directory's listing.
    fn name(&self, path: &Path, notes: &mut Vec<Note>) {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return;
        };
        if let Some(parent) = self.ino(parent) {
            notes.push(Note::Entry {
                parent,
                name: name.to_os_string(),
            });
            notes.push(Note::Inode {
                ino: parent,
                offset: 0,
                len: 0,
            });
        }
    }

    /// Drops everything the kernel caches about `path`: its name, listing entry and data.
    pub(crate) fn path(&self, path: &Path) {
        let mut notes = Vec::new();
        self.name(path, &mut notes);
        self.content(path, &mut notes);
        self.send(notes);
    }

    /// Hands `notes` to the invalidator thread and waits (at most [`NOTIFY_WAIT`]) until the
    /// kernel has them.
    fn send(&self, notes: Vec<Note>) {
        if notes.is_empty() {
            return;
        }
        let (done, wait) = mpsc::sync_channel(1);
        if self.jobs.lock().send((notes, done)).is_ok() {
            let _ = wait.recv_timeout(NOTIFY_WAIT);
        }
    }
}

/// The invalidator thread: writes each batch, then releases its waiter.
fn serve(jobs: &Receiver<Job>, cache: &dyn KernelCache) {
    for (notes, done) in jobs {
        for note in notes {
            match note {
                Note::Inode { ino, offset, len } => cache.inval_inode(ino, offset, len),
                Note::Entry { parent, name } => cache.inval_entry(parent, &name),
            }
        }
        let _ = done.send(());
    }
}

/// A stack whose successful changes invalidate a mount's kernel caches (see the
/// [module docs](self)). Made by [`MountHandle::watch`](super::MountHandle::watch); it has
/// every trait its stack has.
///
/// ```no_run
/// use anyfs::{FsWrite, MemoryBackend, MountHandle};
/// use std::path::Path;
///
/// let backend = MemoryBackend::new();
/// let mount = MountHandle::builder(backend.clone())
///     .mount_point("/mnt/ws")
///     .ttl(std::time::Duration::from_secs(60))
///     .mount()?;
/// let fs = mount.watch(backend);
/// fs.write(Path::new("/config.json"), b"{}")?; // `cat /mnt/ws/config.json` sees it now
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Watched<B> {
    inner: B,
    cache: Option<Arc<Invalidator>>,
    /// Writable handles and their inodes, so `write_at` can name what it changed.
    writable: Arc<Mutex<FxHashMap<u64, u64>>>,
}

impl<B> std::fmt::Debug for Watched<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watched")
            .field("live", &self.cache.is_some())
            .finish_non_exhaustive()
    }
}

impl<B> Watched<B> {
    /// `inner`, invalidating through `cache` (`None`: no live mount, plain pass-through).
    pub(crate) fn new(inner: B, cache: Option<Arc<Invalidator>>) -> Self {
        Watched {
            inner,
            cache,
            writable: Arc::default(),
        }
    }

    /// The wrapped stack.
    pub fn inner(&self) -> &B {
        &self.inner
    }

    /// After `result` succeeded, tells the kernel what `touch` names.
    fn after<T>(
        &self,
        result: Result<T, FsError>,
        touch: impl FnOnce(&Invalidator, &mut Vec<Note>),
    ) -> Result<T, FsError> {
        if let (Ok(_), Some(cache)) = (&result, &self.cache) {
            let mut notes = Vec::new();
            touch(cache, &mut notes);
            cache.send(notes);
        }
        result
    }
}

crate::middleware::forward::forward!(Watched.inner =>
    FsRead, FsSync, FsStats, FsInode, FsLock, FsXattr, FsPath, SelfResolving);

impl<B: FsWrite> FsWrite for Watched<B> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.after(self.inner.write(path, data), |c, n| {
            c.name(path, n);
            c.content(path, n);
        })
    }

    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.after(self.inner.append(path, data), |c, n| {
            c.name(path, n);
            c.content(path, n);
        })
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.after(self.inner.remove_file(path), |c, n| c.name(path, n))
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.after(self.inner.rename(from, to), |c, n| {
            c.name(from, n);
            c.name(to, n);
            c.attrs(to, n);
        })
    }

    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.after(self.inner.copy(from, to), |c, n| {
            c.name(to, n);
            c.content(to, n);
        })
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        self.after(self.inner.truncate(path, size), |c, n| c.content(path, n))
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let writer = self.after(self.inner.open_write(path), |c, n| {
            c.name(path, n);
            c.content(path, n);
        })?;
        Ok(match &self.cache {
            Some(cache) => Box::new(WatchedWriter {
                inner: writer,
                cache: Arc::clone(cache),
                path: path.to_path_buf(),
            }),
            None => writer,
        })
    }

    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        self.after(self.inner.set_times(path, accessed, modified), |c, n| {
            c.attrs(path, n)
        })
    }
}

/// A stream writer that invalidates the file's cached data when flushed and when dropped
/// (the bytes in between reach programs then, not chunk by chunk).
struct WatchedWriter {
    inner: Box<dyn Write + Send>,
    cache: Arc<Invalidator>,
    path: std::path::PathBuf,
}

impl WatchedWriter {
    fn notify(&self) {
        let mut notes = Vec::new();
        self.cache.content(&self.path, &mut notes);
        self.cache.send(notes);
    }
}

impl Write for WatchedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.notify();
        r
    }
}

impl Drop for WatchedWriter {
    fn drop(&mut self) {
        // The inner writer finishes when dropped: drop it first, then tell the kernel.
        self.inner = Box::new(std::io::sink());
        self.notify();
    }
}

impl<B: FsDir> FsDir for Watched<B> {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        self.inner.read_dir(path)
    }

    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.after(self.inner.create_dir(path), |c, n| c.name(path, n))
    }

    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        // Any ancestor may be new: each one's name and listing.
        self.after(self.inner.create_dir_all(path), |c, n| {
            for dir in path.ancestors() {
                c.name(dir, n);
            }
        })
    }

    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        self.after(self.inner.remove_dir(path), |c, n| c.name(path, n))
    }

    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        // Dropping the name drops the kernel's whole subtree under it.
        self.after(self.inner.remove_dir_all(path), |c, n| c.name(path, n))
    }
}

impl<B: FsLink> FsLink for Watched<B> {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        self.after(self.inner.symlink(original, link), |c, n| c.name(link, n))
    }

    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        self.after(self.inner.hard_link(original, link), |c, n| {
            c.name(link, n);
            c.attrs(original, n);
        })
    }

    fn read_link(&self, path: &Path) -> Result<std::path::PathBuf, FsError> {
        self.inner.read_link(path)
    }

    fn symlink_metadata(&self, path: &Path) -> Result<anyfs_backend::Metadata, FsError> {
        self.inner.symlink_metadata(path)
    }
}

impl<B: FsPermissions> FsPermissions for Watched<B> {
    fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
        self.after(self.inner.set_permissions(path, perm), |c, n| {
            c.attrs(path, n)
        })
    }

    fn set_owner(&self, path: &Path, uid: Option<u32>, gid: Option<u32>) -> Result<(), FsError> {
        self.after(self.inner.set_owner(path, uid, gid), |c, n| {
            c.attrs(path, n)
        })
    }
}

/// Whether an open may change the file (as the middleware's `Access::of_open` decides).
fn changes(flags: OpenFlags) -> bool {
    flags.writable() || flags.contains(OpenFlags::CREATE) || flags.contains(OpenFlags::TRUNCATE)
}

impl<B: FsHandles> FsHandles for Watched<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        let h = self.inner.open(path, flags)?;
        if let (true, Some(cache)) = (changes(flags), &self.cache) {
            if let Some(ino) = cache.ino(path) {
                self.writable.lock().insert(h.0, ino);
            }
            let mut notes = Vec::new();
            cache.name(path, &mut notes);
            cache.content(path, &mut notes);
            cache.send(notes);
        }
        Ok(h)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle, buf, offset)
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        let written = self.inner.write_at(handle, data, offset)?;
        let ino = self.writable.lock().get(&handle.0).copied();
        if let (Some(ino), Some(cache)) = (ino, &self.cache) {
            cache.send(vec![Note::Inode {
                ino,
                offset: i64::try_from(offset).unwrap_or(i64::MAX),
                len: i64::try_from(written).unwrap_or(0),
            }]);
        }
        Ok(written)
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        self.writable.lock().remove(&handle.0);
        self.inner.close(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryBackend;
    use anyfs_backend::{FsInode, FsRead};
    use std::path::PathBuf;

    /// Records notifications instead of writing them to a kernel.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<Note>>);

    impl KernelCache for Arc<Recorder> {
        fn inval_inode(&self, ino: u64, offset: i64, len: i64) {
            self.0.lock().push(Note::Inode { ino, offset, len });
        }
        fn inval_entry(&self, parent: u64, name: &OsStr) {
            self.0.lock().push(Note::Entry {
                parent,
                name: name.to_os_string(),
            });
        }
    }

    fn watched() -> (Watched<MemoryBackend>, MemoryBackend, Arc<Recorder>) {
        let backend = MemoryBackend::new();
        let rec = Arc::new(Recorder::default());
        let inv =
            Invalidator::start(MountStack::posix(backend.clone()), Arc::new(rec.clone())).unwrap();
        (
            Watched::new(backend.clone(), Some(Arc::new(inv))),
            backend,
            rec,
        )
    }

    fn take(rec: &Recorder) -> Vec<Note> {
        std::mem::take(&mut *rec.0.lock())
    }

    fn entry(parent: u64, name: &str) -> Note {
        Note::Entry {
            parent,
            name: name.into(),
        }
    }

    fn whole(ino: u64) -> Note {
        Note::Inode {
            ino,
            offset: 0,
            len: 0,
        }
    }

    #[test]
    fn changes_name_what_they_touched_before_returning() {
        let (fs, backend, rec) = watched();
        let root = backend.path_to_inode(Path::new("/")).unwrap();
        fs.create_dir(Path::new("/d")).unwrap();
        let d = backend.path_to_inode(Path::new("/d")).unwrap();
        assert_eq!(take(&rec), vec![entry(root, "d"), whole(root)]);

        fs.write(Path::new("/d/f"), b"one").unwrap();
        let f = backend.path_to_inode(Path::new("/d/f")).unwrap();
        assert_eq!(take(&rec), vec![entry(d, "f"), whole(d), whole(f)]);

        fs.set_permissions(Path::new("/d/f"), Permissions::from_mode(0o600))
            .unwrap();
        let attrs_only = Note::Inode {
            ino: f,
            offset: -1,
            len: 0,
        };
        assert_eq!(take(&rec), vec![attrs_only.clone()]);

        fs.rename(Path::new("/d/f"), Path::new("/g")).unwrap();
        assert_eq!(
            take(&rec),
            vec![
                entry(d, "f"),
                whole(d),
                entry(root, "g"),
                whole(root),
                attrs_only
            ]
        );

        fs.remove_file(Path::new("/g")).unwrap();
        assert_eq!(take(&rec), vec![entry(root, "g"), whole(root)]);
    }

    #[test]
    fn failed_changes_and_reads_notify_nothing() {
        let (fs, _backend, rec) = watched();
        assert_eq!(
            fs.remove_file(Path::new("/missing")).unwrap_err().code(),
            "ENOENT"
        );
        assert_eq!(
            fs.write(Path::new("/no/dir/f"), b"x").unwrap_err().code(),
            "ENOENT"
        );
        let _ = fs.read(Path::new("/missing"));
        let _ = fs.read_dir(Path::new("/"));
        assert!(take(&rec).is_empty());
    }

    #[test]
    fn handle_writes_invalidate_the_written_range() {
        let (fs, backend, rec) = watched();
        let h = fs
            .open(Path::new("/f"), OpenFlags::READ_WRITE | OpenFlags::CREATE)
            .unwrap();
        let f = backend.path_to_inode(Path::new("/f")).unwrap();
        take(&rec);
        assert_eq!(fs.write_at(h, b"abc", 4096).unwrap(), 3);
        assert_eq!(
            take(&rec),
            vec![Note::Inode {
                ino: f,
                offset: 4096,
                len: 3
            }]
        );
        let r = fs.open(Path::new("/f"), OpenFlags::READ).unwrap();
        let mut buf = [0u8; 3];
        fs.read_at(r, &mut buf, 4096).unwrap();
        fs.close(r).unwrap();
        fs.close(h).unwrap();
        assert!(take(&rec).is_empty(), "reads and closes notify nothing");
        assert!(fs.writable.lock().is_empty());
    }

    #[test]
    fn streams_invalidate_when_done() {
        let (fs, backend, rec) = watched();
        let mut w = fs.open_write(Path::new("/s")).unwrap();
        take(&rec);
        w.write_all(b"streamed").unwrap();
        drop(w);
        let s = backend.path_to_inode(Path::new("/s")).unwrap();
        assert_eq!(take(&rec), vec![whole(s)]);
        assert_eq!(backend.read(Path::new("/s")).unwrap(), b"streamed");
    }

    #[test]
    fn create_dir_all_names_every_new_ancestor() {
        let (fs, backend, rec) = watched();
        fs.create_dir_all(Path::new("/a/b")).unwrap();
        let root = backend.path_to_inode(Path::new("/")).unwrap();
        let a = backend.path_to_inode(Path::new("/a")).unwrap();
        let notes = take(&rec);
        assert!(notes.contains(&entry(a, "b")), "{notes:?}");
        assert!(notes.contains(&entry(root, "a")), "{notes:?}");
    }

    #[test]
    fn without_a_mount_it_only_forwards() {
        let backend = MemoryBackend::new();
        let fs = Watched::new(backend.clone(), None);
        fs.write(Path::new("/x"), b"1").unwrap();
        assert_eq!(backend.read(Path::new("/x")).unwrap(), b"1");
        assert_eq!(fs.inner().read(&PathBuf::from("/x")).unwrap(), b"1");
    }
}
