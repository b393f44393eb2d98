//! [`FsRead`]: each call is one read transaction on a pooled reader connection, so reads run
//! in parallel with each other and with the writer, and each sees one consistent snapshot.
//! Reads do not update atime (noatime semantics), which keeps them read-only.

use std::io::Read;
use std::path::Path;

use anyfs_backend::{FileType, FsError, FsRead, Metadata};

use super::db::Db;
use super::resolve::NodeGraph;
use super::streams::ReadStream;
use super::{err, SqliteBackend};

/// The inode and size of the file `path` leads to (following symlinks).
fn file_at(db: &Db<'_>, path: &Path, operation: &'static str) -> Result<(u64, u64), FsError> {
    let (ino, ty) = db.existing(path, true, operation)?;
    match ty {
        FileType::File => Ok((ino, db.node(ino, operation)?.size)),
        FileType::Directory => Err(err::is_dir(path, operation)),
        FileType::Symlink => Err(err::corrupt(operation, "a walk ended on a symlink")),
    }
}

impl FsRead for SqliteBackend {
    /// The whole file, assembled from its chunks in one range query.
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        const OP: &str = "read";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, size) = file_at(&db, path, OP)?;
            db.read_range(ino, size, 0, usize::MAX, path, OP)
        })
    }

    /// Reads only the chunks `[offset, offset + len)` covers.
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        const OP: &str = "read_range";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, size) = file_at(&db, path, OP)?;
            db.read_range(ino, size, offset, len, path, OP)
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        const OP: &str = "exists";
        self.inner.conns.read(OP, |conn| {
            match Db::new(conn, &self.inner).resolve(path, true, OP) {
                Ok(found) => Ok(found.node.is_some()),
                Err(FsError::NotFound { .. })
                | Err(FsError::NotADirectory { .. })
                | Err(FsError::SymlinkLoop { .. }) => Ok(false),
                Err(e) => Err(e),
            }
        })
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        const OP: &str = "metadata";
        self.inner.conns.read(OP, |conn| {
            let db = Db::new(conn, &self.inner);
            let (ino, _) = db.existing(path, true, OP)?;
            Ok(db.node(ino, OP)?.metadata(ino))
        })
    }

    /// A reader that fetches one chunk per refill through a handle, so the file is never
    /// loaded whole and stays readable if it is unlinked meanwhile.
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        Ok(Box::new(ReadStream::open(self.inner.clone(), path)?))
    }
}
