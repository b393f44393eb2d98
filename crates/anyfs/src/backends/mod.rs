//! The built-in backends.

#[cfg(feature = "memory")]
pub mod memory;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(all(target_os = "linux", feature = "stdfs"))]
pub mod stdfs;
#[cfg(all(target_os = "linux", feature = "vrootfs"))]
pub mod vrootfs;

/// POSIX path rules for the backends that walk their own node graph.
#[cfg(any(feature = "memory", feature = "sqlite"))]
mod resolved;

/// The advisory lock table MemoryBackend and SqliteBackend share.
#[cfg(any(feature = "memory", feature = "sqlite"))]
mod lock_table;

/// The host-directory core StdFsBackend and VRootFsBackend share (Linux only for now).
#[cfg(all(target_os = "linux", any(feature = "stdfs", feature = "vrootfs")))]
mod host;

#[cfg(feature = "memory")]
pub use memory::MemoryBackend;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteBackend;
#[cfg(all(target_os = "linux", feature = "stdfs"))]
pub use stdfs::StdFsBackend;
#[cfg(all(target_os = "linux", feature = "vrootfs"))]
pub use vrootfs::VRootFsBackend;
