//! The built-in backends.

#[cfg(feature = "memory")]
pub mod memory;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "stdfs")]
pub mod stdfs;
#[cfg(feature = "vrootfs")]
pub mod vrootfs;

#[cfg(feature = "memory")]
pub use memory::MemoryBackend;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteBackend;
#[cfg(feature = "stdfs")]
pub use stdfs::StdFsBackend;
#[cfg(feature = "vrootfs")]
pub use vrootfs::VRootFsBackend;
