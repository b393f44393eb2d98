//! The whole conformance kit against VRootFsBackend, each case in a fresh temporary directory,
//! directly and through `FileStorage::self_resolving`.
//!
//! One case, `statfs_counts_new_nodes`, runs in a retry loop: it compares two snapshots of
//! the whole host filesystem, which others change meanwhile (see `host_conformance!`).
//!
//! Run with `cargo test -p anyfs --test vrootfs_conformance -- --nocapture` to see every case.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod host_common;

use anyfs::{FileStorage, VRootFsBackend};
use host_common::InTempDir;

host_conformance!(vrootfs_backend, || InTempDir::new(|dir| {
    VRootFsBackend::new(dir)
}));
host_conformance!(file_storage, || FileStorage::self_resolving(
    InTempDir::new(|dir| VRootFsBackend::new(dir))
));
