//! Path resolution for the inode table: the shared [`NodeGraph`] rules (the walk, a trailing
//! `/`, a final `.` or `..`, rename's judgement) over [`Tree`], which supplies the two
//! structural queries.

use anyfs_backend::FsError;

use super::node::Kind;
use super::tree::Tree;

pub(super) use crate::backends::resolved::{check_entry_name, NodeGraph};

impl NodeGraph for Tree {
    /// O(1).
    fn has_any_entry(&self, dir: u64, operation: &'static str) -> Result<bool, FsError> {
        Ok(match &self.node(dir, operation)?.kind {
            Kind::Dir(d) => !d.entries.is_empty(),
            _ => false,
        })
    }

    /// O(depth).
    fn contains_dir(
        &self,
        ancestor: u64,
        dir: u64,
        operation: &'static str,
    ) -> Result<bool, FsError> {
        self.is_within(dir, ancestor, operation)
    }
}
