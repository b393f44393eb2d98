//! # anyfs-backend: the AnyFS contract
//!
//! The traits every AnyFS backend and middleware implements, the value types they exchange and
//! [`FsError`]. It has no backends; those live in the `anyfs` crate. Its only required
//! dependency is `thiserror` (`serde` is optional, for [`FsExt`]'s JSON helpers).
//!
//! ## The layers
//!
//! | layer | traits | supertrait |
//! |---|---|---|
//! | 1 | [`FsRead`], [`FsWrite`], [`FsDir`] | [`Fs`] |
//! | 2 | [`FsLink`], [`FsPermissions`], [`FsSync`], [`FsStats`] | [`FsFull`] |
//! | 3 | [`FsInode`] | [`FsFuse`] |
//! | 4 | [`FsHandles`], [`FsLock`], [`FsXattr`] | [`FsPosix`] |
//!
//! Every method takes `&self` and `&Path`; every trait is object-safe and `Send + Sync`, so a
//! backend can be shared as `Arc<dyn FsPosix>` across threads. `&T`, `Box<T>` and `Arc<T>`
//! implement every trait their `T` implements.
//!
//! ## Writing a backend
//!
//! Implement [`FsRead`], [`FsWrite`] and [`FsDir`] and your type is an [`Fs`]; add the traits of
//! higher layers as your storage allows. Rules every backend follows (the `anyfs` crate's
//! conformance kit checks them):
//!
//! - paths are absolute and `/`-separated; reject bad ones with [`FsError::InvalidPath`], never
//!   panic;
//! - return the [`FsError`] variant whose [`code`](FsError::code) POSIX would give
//!   (`NotFound` → `ENOENT`, `NotAFile` → `EISDIR`, ...);
//! - be safe to call from many threads at once (interior mutability, no lock poisoning panics).
//!
//! ```
//! use std::collections::BTreeMap;
//! use std::io::{Cursor, Read, Write};
//! use std::path::{Path, PathBuf};
//! use std::sync::RwLock;
//! use anyfs_backend::*;
//!
//! /// A flat map of files: enough to be an `Fs`.
//! #[derive(Default)]
//! struct MapFs(RwLock<BTreeMap<PathBuf, Vec<u8>>>);
//!
//! impl MapFs {
//!     fn files(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<PathBuf, Vec<u8>>> {
//!         self.0.read().unwrap_or_else(|e| e.into_inner())
//!     }
//!     fn files_mut(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<PathBuf, Vec<u8>>> {
//!         self.0.write().unwrap_or_else(|e| e.into_inner())
//!     }
//! }
//!
//! fn missing(path: &Path, operation: &'static str) -> FsError {
//!     FsError::NotFound { path: path.into(), operation }
//! }
//!
//! impl FsRead for MapFs {
//!     fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
//!         self.files().get(path).cloned().ok_or_else(|| missing(path, "read"))
//!     }
//!     fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
//!         let data = self.read(path)?;
//!         let start = usize::try_from(offset).unwrap_or(usize::MAX).min(data.len());
//!         Ok(data.get(start..).unwrap_or_default().iter().take(len).copied().collect())
//!     }
//!     fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
//!         if path == Path::new("/") { return Ok(Metadata::new(FileType::Directory)); }
//!         let size = self.read(path)?.len() as u64;
//!         Ok(Metadata { size, ..Metadata::new(FileType::File) })
//!     }
//!     fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
//!         Ok(Box::new(Cursor::new(self.read(path)?)))
//!     }
//! }
//!
//! impl FsWrite for MapFs {
//!     fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
//!         self.files_mut().insert(path.into(), data.to_vec());
//!         Ok(())
//!     }
//!     fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
//!         self.files_mut().entry(path.into()).or_default().extend_from_slice(data);
//!         Ok(())
//!     }
//!     fn remove_file(&self, path: &Path) -> Result<(), FsError> {
//!         self.files_mut().remove(path).map(|_| ()).ok_or_else(|| missing(path, "remove_file"))
//!     }
//!     fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
//!         let mut files = self.files_mut();
//!         let data = files.remove(from).ok_or_else(|| missing(from, "rename"))?;
//!         files.insert(to.into(), data);
//!         Ok(())
//!     }
//!     fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
//!         let data = self.read(from)?;
//!         self.write(to, &data)
//!     }
//!     fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
//!         let mut files = self.files_mut();
//!         let data = files.get_mut(path).ok_or_else(|| missing(path, "truncate"))?;
//!         data.resize(usize::try_from(size).unwrap_or(usize::MAX), 0);
//!         Ok(())
//!     }
//!     fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
//!         Err(FsError::NotSupported { operation: "open_write" })
//!     }
//! }
//!
//! impl FsDir for MapFs {
//!     fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
//!         Ok(self.files().keys().filter(|p| p.parent() == Some(path)).map(|p| DirEntry {
//!             name: p.file_name().unwrap_or_default().to_owned(),
//!             inode: 0,
//!             file_type: FileType::File,
//!         }).collect())
//!     }
//!     fn create_dir(&self, _: &Path) -> Result<(), FsError> { Err(FsError::NotSupported { operation: "create_dir" }) }
//!     fn create_dir_all(&self, _: &Path) -> Result<(), FsError> { Err(FsError::NotSupported { operation: "create_dir_all" }) }
//!     fn remove_dir(&self, _: &Path) -> Result<(), FsError> { Err(FsError::NotSupported { operation: "remove_dir" }) }
//!     fn remove_dir_all(&self, _: &Path) -> Result<(), FsError> { Err(FsError::NotSupported { operation: "remove_dir_all" }) }
//! }
//!
//! // MapFs is now an `Fs`, usable as `Box<dyn Fs>`:
//! let fs: Box<dyn Fs> = Box::new(MapFs::default());
//! fs.write(Path::new("/a.txt"), b"hi").unwrap();
//! assert_eq!(fs.read_to_string(Path::new("/a.txt")).unwrap(), "hi");
//! assert!(fs.exists(Path::new("/a.txt")).unwrap());
//! ```
//!
//! Then prove it with `anyfs::conformance` (one line per backend).

mod error;
mod ext;
mod layer;
pub mod path;
mod shared_content;
mod traits;
mod types;

pub use error::{errno, errno_description, errno_name, FsError};
pub use ext::FsExt;
pub use layer::{Layer, LayerExt};
pub use path::{normalize, FsPath};
pub use shared_content::SharedContent;
pub use traits::*;
pub use types::{
    DirEntry, FileType, Handle, LockType, Metadata, OpenFlags, Permissions, StatFs, ROOT_INODE,
};
