//! Path resolution for the inode table: every operation turns its path into a node (and the
//! entry naming it) here, through the shared [`anyfs_backend::path::walk`], and applies POSIX's rules for a
//! trailing `/` and a final `.` or `..`.

use std::path::Path;

use crate::backends::resolved;
use anyfs_backend::{FileType, FsError};

use super::err;
use super::node::Kind;
use super::tree::{check_entry_name, Tree};

pub(super) use crate::backends::resolved::Resolved;

impl Tree {
    /// Walks `path` (see [`resolved::resolve`]).
    pub fn resolve(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Resolved, FsError> {
        resolved::resolve(self, path, follow, operation)
    }

    /// Walks `path` for an operation on the directory entry itself (see
    /// [`resolved::resolve_entry`]).
    pub fn resolve_entry(&self, path: &Path, operation: &'static str) -> Result<Resolved, FsError> {
        resolved::resolve_entry(self, path, operation)
    }

    /// The existing node `path` leads to, or `NotFound`.
    pub fn existing(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<(u64, FileType), FsError> {
        self.resolve(path, follow, operation)?
            .node
            .ok_or_else(|| err::not_found(path, operation))
    }

    /// Checks that the entry `name` of `dir` (a walk's `parent`) is the walked node `ino`, before
    /// an operation removes or moves that entry. A path ending in `.` or `..` names no entry of
    /// its own: `InvalidInput`, as `rmdir("a/.")` is `EINVAL`.
    pub fn check_entry(
        &self,
        dir: u64,
        name: &str,
        ino: u64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        check_entry_name(name, operation)?;
        let names_it = match &self.node(dir, operation)?.kind {
            Kind::Dir(d) => d.entries.get(name).is_some_and(|e| e.ino == ino),
            _ => false,
        };
        if names_it {
            Ok(())
        } else {
            Err(err::invalid(
                operation,
                "the path does not name a directory entry",
            ))
        }
    }
}
