//! [`FsRead`]: reads take the inode table's read lock only, so they run in parallel. They do
//! not update atime (noatime semantics), which is what lets them stay read-only.

use std::io::Read;
use std::path::Path;

use anyfs_backend::{FsError, FsRead, Metadata, SharedContent};

use super::content::Content;
use super::node::Kind;
use super::resolve::NodeGraph;
use super::streams::ReadStream;
use super::tree::Tree;
use super::{err, MemoryBackend};

/// The content of the file `path` leads to (following symlinks).
fn file_bytes<'t>(
    tree: &'t Tree,
    path: &Path,
    operation: &'static str,
) -> Result<&'t Content, FsError> {
    let (ino, _) = tree.existing(path, true, operation)?;
    match &tree.node(ino, operation)?.kind {
        Kind::File(data) => Ok(data),
        Kind::Dir(_) => Err(err::is_dir(path, operation)),
        Kind::Symlink(_) => Err(err::corrupt(operation)),
    }
}

impl FsRead for MemoryBackend {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let tree = self.inner.tree.read();
        file_bytes(&tree, path, "read").map(|c| c.to_vec())
    }

    /// Lends the content under the table's read lock; a file in a memfd (Linux, 256 KiB and
    /// more) comes with its [`SharedContent`] too (O(1): a reference count).
    fn read_with(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&SharedContent>),
    ) -> Option<Result<(), FsError>> {
        let tree = self.inner.tree.read();
        Some(file_bytes(&tree, path, "read").map(|content| {
            let shared = content.shared();
            visit(content, shared.as_ref());
        }))
    }

    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let tree = self.inner.tree.read();
        let data = file_bytes(&tree, path, "read_range")?;
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let rest = data.get(start..).unwrap_or_default();
        Ok(rest.get(..len).unwrap_or(rest).to_vec())
    }

    fn exists(&self, path: &Path) -> Result<bool, FsError> {
        let tree = self.inner.tree.read();
        match tree.resolve(path, true, "exists") {
            Ok(found) => Ok(found.node.is_some()),
            Err(FsError::NotFound { .. })
            | Err(FsError::NotADirectory { .. })
            | Err(FsError::SymlinkLoop { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let tree = self.inner.tree.read();
        let (ino, _) = tree.existing(path, true, "metadata")?;
        Ok(tree.node(ino, "metadata")?.metadata(ino))
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        Ok(Box::new(ReadStream::open(self.inner.clone(), path)?))
    }
}
