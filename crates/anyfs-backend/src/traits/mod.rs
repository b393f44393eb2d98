//! The layered trait hierarchy, from the core [`Fs`] to full [`FsPosix`].
//!
//! ```text
//! FsRead + FsWrite + FsDir                      -> Fs       (layer 1)
//! Fs + FsLink + FsPermissions + FsSync + FsStats -> FsFull   (layer 2)
//! FsFull + FsInode                               -> FsFuse   (layer 3)
//! FsFuse + FsHandles + FsLock + FsXattr          -> FsPosix  (layer 4)
//! ```
//!
//! Every method takes `&self` (backends use interior mutability) and `&Path`, and every trait
//! is object-safe and `Send + Sync`, so `Arc<dyn FsPosix>` and `Box<dyn Fs>` work.

mod core;
mod extended;
mod forward;
mod inode;
mod posix;
mod supertraits;

pub use self::core::{lend_or_read, FsDir, FsRead, FsWrite};
pub use self::extended::{FsLink, FsPermissions, FsStats, FsSync};
pub use self::inode::FsInode;
pub use self::posix::{FsHandles, FsLock, FsXattr};
pub use self::supertraits::{Fs, FsFull, FsFuse, FsPosix, SelfResolving};
