//! `MemoryBackend`: a complete in-memory POSIX filesystem ([`FsPosix`](anyfs_backend::FsPosix)).
//!
//! An inode table with stable inode numbers (the root is [`ROOT_INODE`], numbers are never
//! reused while the process lives), directories as ordered maps from name to inode, files as
//! byte vectors, symlinks stored as data (their size is the target's length), permission bits
//! (`0o644` files, `0o755` directories, `0o777` symlinks), owners, four timestamps, hard links
//! with POSIX link counts, open handles, advisory locks and extended attributes.
//!
//! ```
//! use std::path::Path;
//! use anyfs::{FsDir, FsHandles, FsLink, FsRead, FsWrite, MemoryBackend, OpenFlags};
//!
//! let fs = MemoryBackend::new();
//! fs.create_dir_all(Path::new("/docs/notes"))?;
//! fs.write(Path::new("/docs/notes/a.txt"), b"hello")?;
//! fs.symlink(Path::new("/docs/notes/a.txt"), Path::new("/latest"))?;
//! assert_eq!(fs.read(Path::new("/latest"))?, b"hello");
//!
//! // POSIX unlink-while-open: the data lives until the last handle closes.
//! let h = fs.open(Path::new("/docs/notes/a.txt"), OpenFlags::READ)?;
//! fs.remove_file(Path::new("/docs/notes/a.txt"))?;
//! let mut buf = [0u8; 5];
//! assert_eq!(fs.read_at(h, &mut buf, 0)?, 5);
//! fs.close(h)?;
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # Semantics
//!
//! - **Paths** are validated with [`anyfs_backend::path::validate`] and resolved by the shared
//!   [`anyfs_backend::path::walk`]: intermediate symlinks are always followed, a final one as
//!   POSIX says (`metadata`, `read`, `write`, `open`, `set_permissions`, xattrs follow;
//!   `symlink_metadata`, `read_link`, `remove_file`, `rename`, `symlink`, `hard_link`,
//!   `create_dir`, `path_to_inode` do not). So the backend is correct used directly and when
//!   `FileStorage` hands it already-resolved paths.
//! - **Timestamps**: creating a node sets all four; changing a file's content (write, append,
//!   truncate, `write_at`) sets mtime and ctime; adding or removing a directory entry sets the
//!   directory's mtime and ctime; chmod, chown, link-count changes, rename and xattr changes
//!   set ctime; [`set_times`](anyfs_backend::FsWrite::set_times) sets atime/mtime (and ctime
//!   to now). **Reads never update atime** (noatime semantics): that keeps reads on the shared
//!   read lock, so they run in parallel.
//! - **Link counts**: a file's `nlink` is its number of names; a directory's is 2 plus its
//!   subdirectories. A file whose last name is removed while a handle (or an `open_read` /
//!   `open_write` stream) holds it stays readable and writable through that handle and is
//!   freed at the last close.
//! - **Errors** follow POSIX: see [`FsError::code`](anyfs_backend::FsError::code). Removing
//!   or renaming the root is `Busy` (`EBUSY`), as Linux answers; moving a directory into its
//!   own subtree is `InvalidInput` (`EINVAL`); `hard_link` of a directory is `NotAFile`.
//! - **`copy`** follows a source symlink (like `std::fs::copy`), copies content and
//!   permission bits; copying a file onto itself leaves it unchanged.
//! - **Capacity**: [`MemoryBackend::with_capacity`] sets the total bytes of file content;
//!   growing past it fails with `QuotaExceeded` (`ENOSPC`). Without it `statfs` reports a
//!   nominal 1 TiB and only memory limits growth (allocation failure is `ENOSPC`, not an
//!   abort). Files are not sparse: a `write_at` far past the end or a large `truncate`
//!   allocates the zero-filled gap, so give untrusted callers a capacity (or `Quota`).
//!   Only file content counts; names, symlink targets and xattrs do not.
//! - **Locks** are advisory and `flock(2)`-style per handle; see [`FsLock`](anyfs_backend::FsLock)'s
//!   impl below for the self-deadlock rule.
//! - **Xattrs**: per inode, any non-empty name up to 255 bytes (the Linux `user.`/`trusted.`
//!   namespace rule is not enforced), values up to [`MAX_XATTR_VALUE`]; see the
//!   [`FsXattr`](anyfs_backend::FsXattr) impl.
//!
//! # Thread safety
//!
//! `MemoryBackend` is `Send + Sync` and cheap to [`Clone`]: clones share **the same**
//! filesystem (an `Arc`), as two handles on one mount would; use
//! [`snapshot`](MemoryBackend::snapshot) for an independent copy. All state sits behind one
//! `parking_lot::RwLock` (no poisoning, so a panic elsewhere never turns into one here):
//! reads share it, each mutation takes it once, so every operation is atomic. Advisory locks
//! use a separate mutex and condition variable; a thread waiting for a file lock never holds
//! the table.
//!
//! # Performance
//!
//! `n` = entries in one directory, `d` = path components, `N` = nodes in the filesystem,
//! `b` = bytes read or written. Inode lookups go through an `FxHashMap`, entries through a
//! `BTreeMap`. A call allocates only what its result needs (plus the walk's canonical path).
//!
//! | operation | cost |
//! |---|---|
//! | `metadata`, `symlink_metadata`, `exists`, `path_to_inode`, `read_link`, `fsync` | O(d log n) |
//! | `read`, `read_range` | O(d log n + b), one copy of the bytes |
//! | `read_with` | O(d log n): the bytes are lent, not copied; a file in a memfd also lends its descriptor |
//! | `write`, `append`, `truncate`, `copy` | O(d log n + b) |
//! | `create_dir`, `remove_file`, `remove_dir`, `symlink`, `hard_link`, `set_*`, xattrs | O(d log n) |
//! | `rename` | O(d log n), plus O(depth) for the subtree check when moving a directory |
//! | `create_dir_all` | O(d log n) per missing ancestor |
//! | `read_dir` | O(n) |
//! | `remove_dir_all` | O(size of the subtree) |
//! | `lookup` | O(log n) |
//! | `metadata_by_inode`, `statfs`, `read_at`, `write_at`, `close`, `lock`, `try_lock`, `unlock`, `symlink_free` | O(1) (+ b) |
//! | `inode_to_path` | O(depth) |
//! | `open`, `open_read`, `open_write` | O(d log n) |
//! | `snapshot` | O(N + bytes of files below 256 KiB): larger files are shared until changed |
//!
//! # Large files (Linux)
//!
//! A file of 256 KiB or more keeps its bytes in a memfd instead of a vector, shared
//! copy-on-write: [`read_with`](anyfs_backend::FsRead::read_with) lends the descriptor as a
//! [`SharedContent`](anyfs_backend::SharedContent), which a reader may map privately rather than
//! copy (the Node binding's whole-file reads do), and `snapshot` and `copy` share it. A change
//! is made in place while nobody else holds the memfd; otherwise the file first moves to a new
//! one (one O(b) copy), so a lent content never changes. Growing an unshared memfd is in place
//! (no copy). A process holds at most a quarter of its open-file limit in memfds (at most
//! 16 384), so large files never take the descriptors the rest of the program needs; past that,
//! and wherever the system refuses memfds, files stay in vectors.

use std::fmt;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

#[cfg(doc)]
use anyfs_backend::ROOT_INODE;
use parking_lot::RwLock;

mod attrs;
mod content;
mod data;
mod dir;
mod err;
mod handles;
mod inode;
mod links;
mod locks;
#[cfg(target_os = "linux")]
mod memfile;
mod node;
mod path;
mod prefault;
mod read;
mod resolve;
mod space;
mod streams;
mod tree;
mod write;
mod xattr;

#[cfg(test)]
mod tests;

pub use xattr::MAX_XATTR_VALUE;

use locks::LockTable;
use tree::Tree;

/// An in-memory filesystem implementing every AnyFS trait up to
/// [`FsPosix`](anyfs_backend::FsPosix). See the [module docs](self) for its semantics, thread
/// safety and costs.
///
/// Cloning shares the filesystem; [`snapshot`](Self::snapshot) copies it.
#[derive(Clone, Default)]
pub struct MemoryBackend {
    inner: Arc<Inner>,
}

/// What clones share: the inode table and the lock table.
#[derive(Debug)]
struct Inner {
    tree: RwLock<Tree>,
    locks: LockTable,
    /// The tree's symlink count, read without its lock (`FsLink::symlink_free`).
    symlinks: Arc<AtomicUsize>,
}

impl Default for Inner {
    fn default() -> Self {
        Inner::with_tree(Tree::new(None))
    }
}

impl Inner {
    fn with_tree(tree: Tree) -> Self {
        Inner {
            symlinks: tree.symlinks.shared(),
            tree: RwLock::new(tree),
            locks: LockTable::default(),
        }
    }
}

impl MemoryBackend {
    /// An empty filesystem holding only the root directory, limited only by memory.
    pub fn new() -> Self {
        MemoryBackend::default()
    }

    /// An empty filesystem whose file contents may total at most `bytes`; growing past that
    /// fails with `QuotaExceeded` (`ENOSPC`), and `statfs` reports `bytes` as the total.
    pub fn with_capacity(bytes: u64) -> Self {
        MemoryBackend {
            inner: Arc::new(Inner::with_tree(Tree::new(Some(bytes)))),
        }
    }

    /// Sets the owner of the root and of every node created from now on (default `0:0`).
    /// A FUSE mount would pass the mounting user's ids.
    pub fn with_owner(self, uid: u32, gid: u32) -> Self {
        {
            let mut tree = self.inner.tree.write();
            tree.owner = (uid, gid);
            if let Some(root) = tree.nodes.get_mut(&anyfs_backend::ROOT_INODE) {
                root.uid = uid;
                root.gid = gid;
            }
        }
        self
    }

    /// An independent copy of the filesystem as it is now (same inode numbers, contents,
    /// attributes and capacity; no open handles or locks, and files that were unlinked but
    /// still open are left out).
    pub fn snapshot(&self) -> Self {
        let tree = self.inner.tree.read().snapshot();
        MemoryBackend {
            inner: Arc::new(Inner::with_tree(tree)),
        }
    }
}

impl fmt::Debug for MemoryBackend {
    /// A summary (node count, bytes, capacity), not the whole tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tree = self.inner.tree.read();
        f.debug_struct("MemoryBackend")
            .field("nodes", &tree.nodes.len())
            .field("used_bytes", &tree.used_bytes)
            .field("capacity", &tree.capacity)
            .field("open_handles", &tree.handles.len())
            .finish()
    }
}
