//! The ledger: what a Quota counts as used, and the files open through it.
//!
//! One mutex guards it, and every mutation holds it from its check to the end of the inner
//! call, so check-and-act is one step: two writers can never both see room for one file.

use std::collections::HashMap;

use anyfs_backend::{FsError, Handle};

use super::limits::QuotaUsage;

/// A file open for writing through the Quota (a handle or an `open_write` stream).
#[derive(Debug)]
pub(super) struct OpenFile {
    /// Its size as the ledger counts it.
    pub size: u64,
    /// Open handles and streams on it.
    pub refs: u64,
    /// Its last name was removed while it was open: its bytes and node are released when the
    /// last handle closes (POSIX unlink-while-open, as `MemoryBackend` keeps the data).
    pub orphan: bool,
}

/// A handle opened through the Quota.
#[derive(Debug, Clone)]
pub(super) struct HandleInfo {
    /// Key of its file in [`Ledger::open`].
    pub file: u64,
    /// Opened with `WRITE` or `APPEND`.
    pub writable: bool,
    /// Opened with `APPEND`: every write lands at the end.
    pub append: bool,
    /// The path it was opened with, for error messages.
    pub path: std::path::PathBuf,
}

#[derive(Debug, Default)]
pub(super) struct Ledger {
    pub usage: QuotaUsage,
    /// Files open through this Quota, by inode (or a private key when the backend reports no
    /// inode numbers).
    pub open: HashMap<u64, OpenFile>,
    pub handles: HashMap<Handle, HandleInfo>,
    /// Bytes of extended attributes set through this Quota, by inode: released with the node.
    pub xattrs: HashMap<u64, u64>,
    /// Keys for files of backends that report inode 0; counted down from `u64::MAX`, far from
    /// real inode numbers.
    next_private_key: u64,
    /// Why usage is unknown (the scan failed): every mutation is refused until a rescan works.
    pub broken: Option<String>,
}

impl Ledger {
    pub fn new(usage: QuotaUsage) -> Self {
        Ledger {
            usage,
            next_private_key: u64::MAX,
            ..Ledger::default()
        }
    }

    /// A ledger whose usage could not be measured: it refuses every mutation (fail closed).
    pub fn broken(reason: String) -> Self {
        Ledger {
            broken: Some(reason),
            next_private_key: u64::MAX,
            ..Ledger::default()
        }
    }

    /// Fails when usage is unknown.
    pub fn usable(&self, operation: &'static str) -> Result<(), FsError> {
        match &self.broken {
            Some(reason) => Err(FsError::Backend {
                operation,
                message: format!("quota usage unknown ({reason}); call rescan()"),
            }),
            None => Ok(()),
        }
    }

    /// The ledger's key for a file with inode `inode`.
    pub fn key(&mut self, inode: u64) -> u64 {
        if inode != 0 {
            return inode;
        }
        let key = self.next_private_key;
        self.next_private_key = self.next_private_key.saturating_sub(1);
        key
    }

    /// A file's content changed from `old` to `new` bytes.
    pub fn resize(&mut self, inode: u64, old: u64, new: u64) {
        self.usage.total_size = self
            .usage
            .total_size
            .saturating_sub(old)
            .saturating_add(new);
        if inode != 0 && !self.open.is_empty() {
            if let Some(open) = self.open.get_mut(&inode) {
                open.size = new;
            }
        }
    }

    /// `count` nodes were created.
    pub fn add_nodes(&mut self, count: u64) {
        self.usage.node_count = self.usage.node_count.saturating_add(count);
    }

    /// A node disappeared, with `bytes` of content (0 for directories and symlinks). A file
    /// still open through this Quota only becomes an orphan; it is released at its last close.
    pub fn release(&mut self, inode: u64, bytes: u64) {
        // Checking emptiness first spares hashing the key in the usual case (no file open).
        if inode != 0 && !self.open.is_empty() {
            if let Some(open) = self.open.get_mut(&inode) {
                open.orphan = true;
                return;
            }
        }
        self.free(inode, bytes);
    }

    /// The node `inode` is gone with `bytes` of content and the xattrs booked on it.
    fn free(&mut self, inode: u64, bytes: u64) {
        // Most nodes never had an xattr set through the Quota: then there is nothing to hash.
        let xattrs = if inode == 0 || self.xattrs.is_empty() {
            0
        } else {
            self.xattrs.remove(&inode).unwrap_or(0)
        };
        self.usage.total_size = self
            .usage
            .total_size
            .saturating_sub(bytes.saturating_add(xattrs));
        self.usage.node_count = self.usage.node_count.saturating_sub(1);
    }

    /// An extended attribute of `inode` changed from `old` to `new` bytes (name and value).
    pub fn resize_xattr(&mut self, inode: u64, old: u64, new: u64) {
        self.usage.total_size = self
            .usage
            .total_size
            .saturating_sub(old)
            .saturating_add(new);
        if inode != 0 {
            let booked = self.xattrs.entry(inode).or_insert(0);
            *booked = booked.saturating_sub(old).saturating_add(new);
        }
    }

    /// Registers a handle (or stream) on the file `key` of `size` bytes.
    pub fn open_file(&mut self, key: u64, size: u64) {
        let open = self.open.entry(key).or_insert(OpenFile {
            size,
            refs: 0,
            orphan: false,
        });
        open.refs += 1;
    }

    /// A handle or stream on `key` closed; an orphan's bytes and node go with its last one.
    pub fn close_file(&mut self, key: u64) {
        let Some(open) = self.open.get_mut(&key) else {
            return;
        };
        open.refs = open.refs.saturating_sub(1);
        if open.refs == 0 {
            if let Some(file) = self.open.remove(&key) {
                if file.orphan {
                    self.free(key, file.size);
                }
            }
        }
    }

    /// The size the ledger counts for an open file.
    pub fn open_size(&self, key: u64) -> u64 {
        self.open.get(&key).map_or(0, |f| f.size)
    }
}
