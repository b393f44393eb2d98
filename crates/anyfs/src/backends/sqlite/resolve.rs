//! Path resolution over the database: the shared [`NodeGraph`] rules (the walk, a trailing
//! `/`, a final `.` or `..`, rename's judgement) over [`Db`], the same as `MemoryBackend`'s,
//! so both answer every path alike.

use anyfs_backend::FsError;

use super::db::Db;

pub(super) use crate::backends::resolved::{check_entry_name, NodeGraph};

impl NodeGraph for Db<'_> {
    /// One indexed query.
    fn has_any_entry(&self, dir: u64, operation: &'static str) -> Result<bool, FsError> {
        self.has_entries(dir, operation)
    }

    /// One recursive query, O(depth).
    fn contains_dir(
        &self,
        ancestor: u64,
        dir: u64,
        operation: &'static str,
    ) -> Result<bool, FsError> {
        self.is_within(dir, ancestor, operation)
    }
}
