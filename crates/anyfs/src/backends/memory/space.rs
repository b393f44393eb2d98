//! Capacity accounting: the bytes of file content in use, checked against the optional
//! capacity before a file grows.

use anyfs_backend::FsError;

use super::tree::{Tree, NOMINAL_TOTAL_BYTES};

impl Tree {
    /// Fails with `QuotaExceeded` if a file growing from `old` to `new` bytes would pass the
    /// capacity.
    pub fn check_space(&self, old: u64, new: u64) -> Result<(), FsError> {
        let Some(limit) = self.capacity else {
            return Ok(());
        };
        let after = self.used_bytes.saturating_sub(old).saturating_add(new);
        if new > old && after > limit {
            return Err(FsError::QuotaExceeded {
                limit,
                requested: new - old,
                usage: self.used_bytes,
            });
        }
        Ok(())
    }

    /// Records that a file went from `old` to `new` bytes.
    pub fn account(&mut self, old: u64, new: u64) {
        self.used_bytes = self.used_bytes.saturating_sub(old).saturating_add(new);
    }

    /// The `ENOSPC` returned when the allocator refuses to grow a file.
    pub fn out_of_memory(&self, requested: u64) -> FsError {
        FsError::QuotaExceeded {
            limit: self.capacity.unwrap_or(NOMINAL_TOTAL_BYTES),
            requested,
            usage: self.used_bytes,
        }
    }
}
