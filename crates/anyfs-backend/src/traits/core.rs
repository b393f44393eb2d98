//! Layer 1, the core every backend implements: [`FsRead`], [`FsWrite`], [`FsDir`].

use std::io::{Read, Write};
use std::path::Path;
use std::time::SystemTime;

use crate::{DirEntry, FsError, Metadata, SharedContent};

/// Reading files and metadata.
///
/// Paths are absolute, `/`-separated and already resolved when they come through
/// `FileStorage`; a backend used directly must still reject bad paths with an error, never a
/// panic.
pub trait FsRead: Send + Sync {
    /// The whole content of a file. `NotFound` if it does not exist, `NotAFile` for a directory.
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError>;

    /// The whole content of a file as UTF-8; `InvalidData` if it is not valid UTF-8.
    fn read_to_string(&self, path: &Path) -> Result<String, FsError> {
        let bytes = self.read(path)?;
        String::from_utf8(bytes).map_err(|e| FsError::InvalidData {
            path: path.to_path_buf(),
            operation: "read_to_string",
            reason: e.to_string(),
        })
    }

    /// Up to `len` bytes starting at `offset`; shorter (possibly empty) at the end of the file.
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError>;

    /// Whether the path exists (following symlinks). Errors other than "does not exist" are
    /// returned, not hidden.
    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        match self.metadata(path) {
            Ok(_) => Ok(true),
            Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => Ok(false),
            Err(FsError::SymlinkLoop { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Metadata of the node, following symlinks.
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError>;

    /// A streaming reader over the file's content.
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError>;

    /// [`read`](FsRead::read) without copying the content out first: `visit` is called once
    /// with the whole content, borrowed from the backend for the duration of the call, and, when
    /// the backend keeps it in a file descriptor, with a [`SharedContent`] of it a caller may
    /// keep to map the bytes instead of copying them.
    ///
    /// `visit` runs while the backend may hold a lock: it must not call back into the backend.
    ///
    /// `None` (the default) means the backend does not offer it and **nothing was done**: call
    /// `read`. A middleware may forward it only where it would forward `read` unchanged.
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        let _ = (path, visit);
        None
    }
}

/// The file at `path` lent to `visit` by [`FsRead::read_with`] when `fs` offers it, else read
/// and handed over (with no [`SharedContent`]): one answer either way, and `visit` runs only
/// on success.
///
/// ```
/// use std::path::Path;
/// use anyfs_backend::{lend_or_read, FsRead};
/// # fn demo(fs: &dyn FsRead) -> Result<(), anyfs_backend::FsError> {
/// let mut len = 0;
/// lend_or_read(fs, Path::new("/a.txt"), &mut |bytes, _shared| len = bytes.len())?;
/// # Ok(()) }
/// ```
pub fn lend_or_read<F: FsRead + ?Sized>(
    fs: &F,
    path: &Path,
    visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
) -> Result<(), FsError> {
    match fs.read_with(path, visit) {
        Some(done) => done,
        None => {
            visit(&fs.read(path)?, None);
            Ok(())
        }
    }
}

/// Writing and removing files.
pub trait FsWrite: Send + Sync {
    /// Creates or replaces a file with `data`. The parent directory must exist.
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError>;

    /// Appends `data` to a file, creating it if it does not exist.
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError>;

    /// Removes a file or a symlink (never a directory: `NotAFile`).
    fn remove_file(&self, path: &Path) -> Result<(), FsError>;

    /// Renames a node, replacing the destination if POSIX `rename(2)` would: a file over a file,
    /// a directory over an empty directory. A directory cannot move into its own subtree
    /// (`InvalidInput`).
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError>;

    /// Copies a file's content (and permissions) to a new or existing file.
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError>;

    /// Shrinks or extends (with zero bytes) a file to `size` bytes.
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError>;

    /// A streaming writer that creates or truncates the file and writes from its start.
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError>;

    /// Sets the access and modification times (`None` leaves one unchanged), as `utimensat`.
    ///
    /// The default returns `NotSupported`; backends that store times override it.
    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let _ = (path, accessed, modified);
        Err(FsError::NotSupported {
            operation: "set_times",
        })
    }

    /// [`write`](FsWrite::write), reporting the metadata of the file it replaced (`None` when
    /// it created one), taken in the same step as the write: for middleware that accounts for
    /// what a write changes (Quota) without a lookup before it.
    ///
    /// `None` (the default) means the backend does not offer it and **nothing was done**: look
    /// the path up, then call `write`. A middleware may forward it only where it would forward
    /// `write` unchanged.
    fn write_replacing(
        &self,
        path: &Path,
        data: &[u8],
    ) -> Option<Result<Option<Metadata>, FsError>> {
        let _ = (path, data);
        None
    }

    /// [`remove_file`](FsWrite::remove_file), reporting the metadata the removed name had just
    /// before (its link count included), taken in the same step.
    ///
    /// `None` (the default) means the backend does not offer it and **nothing was done**.
    fn remove_file_reporting(&self, path: &Path) -> Option<Result<Metadata, FsError>> {
        let _ = path;
        None
    }
}

/// Directory operations.
pub trait FsDir: Send + Sync {
    /// The entries of a directory, without `.` and `..`, in the backend's stable order.
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError>;

    /// Creates one directory; its parent must exist; `AlreadyExists` if the path exists.
    fn create_dir(&self, path: &Path) -> Result<(), FsError>;

    /// Creates a directory and its missing parents; succeeds if it already is a directory. Safe
    /// to race with itself on the same path.
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError>;

    /// Removes an empty directory (`DirectoryNotEmpty` otherwise).
    fn remove_dir(&self, path: &Path) -> Result<(), FsError>;

    /// Removes a directory and everything below it (symlinks are removed, not followed).
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError>;
}
