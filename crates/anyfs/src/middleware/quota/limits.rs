//! The configuration ([`QuotaLimits`]), the reports ([`QuotaUsage`], [`QuotaRemaining`]) and
//! the checks that turn a planned change into `QuotaExceeded` / `FileSizeExceeded`.

use std::path::Path;

use anyfs_backend::FsError;

/// The limits of a [`Quota`](super::Quota); `None` means unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct QuotaLimits {
    /// Bytes of file content in total (each file counted once, however many hard links it has).
    pub max_total_size: Option<u64>,
    /// Bytes of one file.
    pub max_file_size: Option<u64>,
    /// Files, directories and symlinks in total (the root not included; hard links of one file
    /// are one node).
    pub max_node_count: Option<u64>,
    /// Entries in one directory.
    pub max_dir_entries: Option<u64>,
    /// Components of a node's path: `/a` has depth 1, `/a/b` depth 2.
    pub max_path_depth: Option<u64>,
}

/// What a [`Quota`](super::Quota) counts as used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct QuotaUsage {
    /// Bytes of file content (each file once).
    pub total_size: u64,
    /// Files, directories and symlinks, the root not included.
    pub node_count: u64,
}

/// What is left before a [`Quota`](super::Quota)'s totals are reached; `None` where there is
/// no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct QuotaRemaining {
    /// Bytes that may still be added.
    pub total_size: Option<u64>,
    /// Nodes that may still be created.
    pub node_count: Option<u64>,
}

impl QuotaLimits {
    /// What is left of the totals given `usage` (0 when usage already exceeds a limit, as it
    /// may when existing content was larger than the limits).
    pub fn remaining(&self, usage: QuotaUsage) -> QuotaRemaining {
        QuotaRemaining {
            total_size: self
                .max_total_size
                .map(|limit| limit.saturating_sub(usage.total_size)),
            node_count: self
                .max_node_count
                .map(|limit| limit.saturating_sub(usage.node_count)),
        }
    }

    /// A file would have `size` bytes.
    pub(super) fn check_file_size(&self, path: &Path, size: u64) -> Result<(), FsError> {
        match self.max_file_size {
            Some(limit) if size > limit => Err(FsError::FileSizeExceeded {
                path: path.to_path_buf(),
                size,
                limit,
            }),
            _ => Ok(()),
        }
    }

    /// The total would grow by `added` bytes from `used`.
    pub(super) fn check_bytes(&self, used: u64, added: u64) -> Result<(), FsError> {
        exceeds(self.max_total_size, used, added)
    }

    /// `added` nodes would be created on top of `used`.
    pub(super) fn check_nodes(&self, used: u64, added: u64) -> Result<(), FsError> {
        exceeds(self.max_node_count, used, added)
    }

    /// A directory holding `entries` would get one more.
    pub(super) fn check_entries(&self, entries: u64) -> Result<(), FsError> {
        exceeds(self.max_dir_entries, entries, 1)
    }

    /// A node would sit at `depth` below a parent at `parent_depth`.
    pub(super) fn check_depth(&self, parent_depth: u64, depth: u64) -> Result<(), FsError> {
        match self.max_path_depth {
            Some(limit) if depth > limit => Err(FsError::QuotaExceeded {
                limit,
                requested: depth,
                usage: parent_depth,
            }),
            _ => Ok(()),
        }
    }

    /// True when writing a file of `size` bytes passes every check whatever the path holds now
    /// (a larger or smaller file, or nothing): the file-size limit, room for all `size` bytes
    /// on top of `usage`, room for one more node, and no placement limit to look at. Stricter
    /// than the exact checks, never looser.
    pub(super) fn fits_any_replacement(&self, usage: QuotaUsage, size: u64) -> bool {
        let within = |limit: Option<u64>, value: Option<u64>| match (limit, value) {
            (None, _) => true,
            (Some(limit), Some(value)) => value <= limit,
            (Some(_), None) => false,
        };
        !self.needs_placement()
            && within(self.max_file_size, Some(size))
            && within(self.max_total_size, usage.total_size.checked_add(size))
            && within(self.max_node_count, usage.node_count.checked_add(1))
    }

    /// True when a node-creating operation must look at where the node goes.
    pub(super) fn needs_placement(&self) -> bool {
        self.max_dir_entries.is_some() || self.max_path_depth.is_some()
    }
}

fn exceeds(limit: Option<u64>, usage: u64, requested: u64) -> Result<(), FsError> {
    match limit {
        Some(limit) if requested > 0 && usage.saturating_add(requested) > limit => {
            Err(FsError::QuotaExceeded {
                limit,
                requested,
                usage,
            })
        }
        _ => Ok(()),
    }
}
