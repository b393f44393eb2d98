//! [`FsHandles`] through the quota: every handle opened through it is tracked (its file's
//! inode and size), so `write_at` is checked in O(1) and an unknown handle is refused.

use std::path::Path;

use anyfs_backend::{FsError, FsHandles, Handle, OpenFlags};

use super::ledger::HandleInfo;
use super::Quota;

impl<B: FsHandles> FsHandles for Quota<B> {
    fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
        let mut ledger = self.ledger("open")?;
        let view = self.view();
        let create = flags.contains(OpenFlags::CREATE);
        let existing = if !create && !flags.contains(OpenFlags::TRUNCATE) {
            // Neither creates nor frees anything: only the handle is tracked.
            None
        } else if create && flags.contains(OpenFlags::EXCLUSIVE) {
            // O_EXCL does not follow a final symlink: any existing name fails.
            view.lstat(path)?
        } else {
            view.stat(path)?
        };
        let truncated = existing
            .as_ref()
            .filter(|m| m.is_file() && flags.contains(OpenFlags::TRUNCATE));
        let created = existing.is_none() && create;
        if created {
            self.check_new_nodes(&ledger, path, 1, 0)?;
        }
        let handle = self.inner.open(path, flags)?;
        if let Some(m) = truncated {
            ledger.resize(m.inode, m.size, 0);
        }
        if created {
            ledger.add_nodes(1);
        }
        // Track the handle by its file, so every handle and name of it shares one size.
        let opened = match view.stat(path) {
            Ok(Some(m)) => m,
            Ok(None) => {
                let _ = self.inner.close(handle);
                return Err(FsError::NotFound {
                    path: path.to_path_buf(),
                    operation: "open",
                });
            }
            Err(e) => {
                let _ = self.inner.close(handle);
                return Err(e);
            }
        };
        let file = ledger.key(opened.inode);
        ledger.open_file(file, opened.size);
        ledger.handles.insert(
            handle,
            HandleInfo {
                file,
                writable: flags.writable(),
                append: flags.contains(OpenFlags::APPEND),
                path: path.to_path_buf(),
            },
        );
        Ok(handle)
    }

    fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
        self.inner.read_at(handle, buf, offset)
    }

    fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
        let mut ledger = self.ledger("write_at")?;
        // A handle this Quota did not open cannot be accounted for: refused (fail closed).
        let Some(info) = ledger.handles.get(&handle) else {
            return Err(FsError::InvalidHandle {
                handle: handle.0,
                operation: "write_at",
            });
        };
        if !info.writable {
            // The inner backend reports the missing access.
            return self.inner.write_at(handle, data, offset);
        }
        let (file, append) = (info.file, info.append);
        let size = ledger.open_size(file);
        let start = if append { size } else { offset };
        let wanted = size.max(start.saturating_add(data.len() as u64));
        self.check_resize(&ledger, &info.path, size, wanted)?;
        let n = self.inner.write_at(handle, data, offset)?;
        let written = size.max(start.saturating_add(n as u64));
        ledger.resize(file, size, written);
        Ok(n)
    }

    fn close(&self, handle: Handle) -> Result<(), FsError> {
        let mut ledger = self.ledger.lock();
        let result = self.inner.close(handle);
        // Either way the handle is no longer open below.
        if let Some(info) = ledger.handles.remove(&handle) {
            ledger.close_file(info.file);
        }
        result
    }
}
