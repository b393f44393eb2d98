//! [`FsPath`]: the canonicalize family, walked straight over the database in one read
//! transaction (the trait's defaults would run one `symlink_metadata`, so one transaction, per
//! component). Same algorithm ([`walk`]), same options as the defaults, so the results are
//! identical.

use std::path::{Path, PathBuf};

use anyfs_backend::path::{walk, FsPath, WalkOptions};
use anyfs_backend::{FsError, SelfResolving};

use super::db::Db;
use super::{err, SqliteBackend};

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

/// One read transaction and one indexed query per component (including those of followed
/// symlink targets).
impl FsPath for SqliteBackend {
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        const OP: &str = "canonicalize";
        let options = WalkOptions {
            follow_final: true,
            ..WalkOptions::default()
        };
        match self.walk_path(path, &options, OP)? {
            (canonical, true) => Ok(canonical),
            (_, false) => Err(err::not_found(path, OP)),
        }
    }

    fn soft_canonicalize(&self, path: &Path) -> Result<PathBuf, FsError> {
        let options = WalkOptions {
            follow_final: true,
            soft: true,
            ..WalkOptions::default()
        };
        self.walk_path(path, &options, "soft_canonicalize")
            .map(|(p, _)| p)
    }

    fn anchored_canonicalize(&self, path: &Path, anchor: &Path) -> Result<PathBuf, FsError> {
        let options = WalkOptions {
            follow_final: true,
            soft: true,
            anchor: Some(anchor),
            ..WalkOptions::default()
        };
        self.walk_path(path, &options, "anchored_canonicalize")
            .map(|(p, _)| p)
    }
}

/// Every operation resolves its path itself, with the same [`walk`] `FileStorage`'s resolvers
/// use, inside the operation's own transaction (so the walk and the change see one snapshot).
/// `FileStorage::self_resolving` may skip its own walk: one walk per call instead of two.
impl SelfResolving for SqliteBackend {}
