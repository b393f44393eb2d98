//! # anyfs
//!
//! Backends, middleware and the `FileStorage` ergonomics over the `anyfs-backend` contract.

pub use anyfs_backend::*;
