//! The convenience supertraits [`Fs`], [`FsFull`], [`FsFuse`], [`FsPosix`], each blanket
//! implemented for every type with the traits it names, and the [`SelfResolving`] marker.

use super::core::{FsDir, FsRead, FsWrite};
use super::extended::{FsLink, FsPermissions, FsStats, FsSync};
use super::inode::FsInode;
use super::posix::{FsHandles, FsLock, FsXattr};

/// The basic filesystem: read, write, directories. What most code needs.
pub trait Fs: FsRead + FsWrite + FsDir {}
impl<T: FsRead + FsWrite + FsDir + ?Sized> Fs for T {}

/// Everything `std::fs` offers: [`Fs`] plus links, permissions, sync and statfs.
pub trait FsFull: Fs + FsLink + FsPermissions + FsSync + FsStats {}
impl<T: Fs + FsLink + FsPermissions + FsSync + FsStats + ?Sized> FsFull for T {}

/// Mountable with FUSE: [`FsFull`] plus inode access.
pub trait FsFuse: FsFull + FsInode {}
impl<T: FsFull + FsInode + ?Sized> FsFuse for T {}

/// Full POSIX: [`FsFuse`] plus handles, locks and extended attributes.
pub trait FsPosix: FsFuse + FsHandles + FsLock + FsXattr {}
impl<T: FsFuse + FsHandles + FsLock + FsXattr + ?Sized> FsPosix for T {}

/// Marker for backends that resolve paths themselves (the host OS does it for `StdFsBackend`
/// and `VRootFsBackend`), so `FileStorage` must not walk symlinks for them.
pub trait SelfResolving {}
