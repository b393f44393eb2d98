//! # anyfs
//!
//! Backends, middleware and the [`FileStorage`] ergonomics over the `anyfs-backend` contract,
//! which this crate re-exports whole.
//!
//! - [`MemoryBackend`] (feature `memory`, default): an in-memory [`FsPosix`] filesystem.
//! - [`FileStorage`]: the `std::fs`-shaped wrapper with a pluggable [`PathResolver`].
//! - `conformance` (feature `conformance`): the reusable test kit every backend runs.

pub use anyfs_backend::*;

pub mod backends;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod middleware;
pub mod storage;

#[cfg(feature = "memory")]
pub use backends::MemoryBackend;
pub use storage::*;
