//! [`FsPath`](anyfs_backend::path::FsPath): the canonicalize family, walked straight over the database in one read
//! transaction (the trait's defaults would run one `symlink_metadata`, so one transaction, per
//! component). Same algorithm ([`walk`]), same options as the defaults, so the results are
//! identical.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{walk, WalkOptions};
use anyfs_backend::{FsError, SelfResolving};

use super::db::Db;
use super::SqliteBackend;

impl SqliteBackend {
    fn walk_path(
        &self,
        path: &Path,
        options: &WalkOptions<'_>,
        operation: &'static str,
    ) -> Result<(PathBuf, bool), FsError> {
        self.inner.conns.read(operation, |conn| {
            let walked = walk(&Db::new(conn, &self.inner), path, options, operation)?;
            Ok((walked.path, walked.node.is_some()))
        })
    }
}

// FsPath: one read transaction and one indexed query per component (including those of followed
// symlink targets).
crate::backends::resolved::fs_path_by_walk!(SqliteBackend);

/// Every operation resolves its path itself, with the same [`walk`] `FileStorage`'s resolvers
/// use, inside the operation's own transaction (so the walk and the change see one snapshot).
/// `FileStorage::self_resolving` may skip its own walk: one walk per call instead of two.
impl SelfResolving for SqliteBackend {}
