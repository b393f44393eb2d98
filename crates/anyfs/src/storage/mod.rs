//! [`FileStorage`]: the `std::fs`-shaped API over any backend, with pluggable path resolution.
//!
//! ```
//! use anyfs::{FileStorage, FsError, MemoryBackend};
//!
//! # fn main() -> Result<(), FsError> {
//! let fs = FileStorage::new(MemoryBackend::new());
//! fs.create_dir_all("/docs/2024")?;
//! fs.write("/docs/2024/notes.txt", b"hello")?;
//! fs.symlink("/docs/2024", "/docs/latest")?;
//! assert_eq!(fs.read_to_string("/docs/latest/notes.txt")?, "hello");
//! // `..` after a symlink leaves its target (/docs/2024/..), not the link's directory.
//! assert!(fs.exists("/docs/latest/../2024/notes.txt")?);
//! assert_eq!(fs.canonicalize("/docs/latest/notes.txt")?, std::path::Path::new("/docs/2024/notes.txt"));
//! assert_eq!(fs.read("/docs/missing").unwrap_err().code(), "ENOENT");
//! # Ok(()) }
//! ```
//!
//! # Marker types
//!
//! The second type parameter tags a storage so that storages for different purposes cannot be
//! mixed up; it costs nothing at run time. Constructors return the untagged
//! `FileStorage<B, ()>` (so `let fs = FileStorage::new(backend);` needs no annotation);
//! [`FileStorage::with_marker`] tags it.
//!
//! ```
//! use anyfs::{FileStorage, Fs, MemoryBackend};
//!
//! struct Sandbox;
//! struct UserData;
//!
//! fn run_agent(fs: &FileStorage<impl Fs, Sandbox>) -> bool {
//!     fs.exists("/").unwrap_or(false)
//! }
//!
//! let sandbox: FileStorage<_, Sandbox> = FileStorage::new(MemoryBackend::new()).with_marker();
//! let _user = FileStorage::new(MemoryBackend::new()).with_marker::<UserData>();
//! assert!(run_agent(&sandbox));
//! // run_agent(&_user); // does not compile: FileStorage<_, UserData> is not a Sandbox storage
//! ```
//!
//! # Resolution
//!
//! Each operation first resolves its path with the storage's [`PathResolver`], then calls the
//! backend once with the canonical path:
//!
//! - [`IterativeResolver`] (default of [`FileStorage::new`]): the one shared
//!   [`walk`](anyfs_backend::path::walk), one `symlink_metadata` per component and one
//!   `read_link` per symlink followed: O(components + symlink expansions) backend lookups,
//!   bounded by 40 expansions (`ELOOP` beyond). `..` is resolved through symlinks the way POSIX
//!   does it.
//! - [`CachingResolver`]: remembers resolutions (a hit is one hash lookup, no backend call) and
//!   drops exactly those a mutation made through this storage affects. Mutations made directly
//!   on the backend are not seen.
//! - [`NoOpResolver`] ([`FileStorage::self_resolving`]): validation and lexical normalization
//!   only, for backends whose own storage resolves paths (a host disk). The usual path
//!   ([`is_plain`](anyfs_backend::path::is_plain): absolute, normal, ASCII, no `..`) is
//!   settled in one pass over its bytes, eight at a time.
//!
//! The path handed to the backend is vouched for, on the calling thread and for the length of
//! the call, as the usual path when it is one; a layer that would check it again (PathFilter)
//! recognizes those very bytes and skips its own scan. Nothing outside this crate can vouch.
//!
//! Which operations follow a final symlink is POSIX's answer: `symlink_metadata`, `read_link`,
//! `remove_file`, `rename` (both ends), `create_dir`, `remove_dir`, `remove_dir_all`,
//! `path_to_inode` and the link path of `symlink`/`hard_link` (and `hard_link`'s original, as on
//! Linux) do not; every other operation does. A trailing `/` always follows and requires a
//! directory. `create_dir_all` resolves softly: existing symlinks on the way are followed and the
//! missing rest is created under their targets. Operations that create a file (`write`,
//! `append`, `copy`'s destination, `open_write`, `open` with `CREATE`, link paths) reject a
//! trailing `/` with `EISDIR`.
//!
//! The canonicalization family (`canonicalize`, `soft_canonicalize`, `anchored_canonicalize`)
//! always walks the backend, bypassing any cache, so it reports the current state.
//!
//! # Type erasure
//!
//! [`FileStorage::boxed`] gives a `FileStorage<Box<dyn Fs>, M>` for uniform collections;
//! [`FileStorage::boxed_full`] and [`FileStorage::boxed_posix`] keep the higher layers. The
//! erased backend is the storage itself, resolver included, so boxed storage still follows
//! symlinks and keeps its cache (one more virtual call per operation).
//!
//! ```
//! use anyfs::{FileStorage, Fs, FsFull, MemoryBackend};
//!
//! let all: Vec<FileStorage<Box<dyn Fs>>> = vec![
//!     FileStorage::new(MemoryBackend::new()).boxed(),
//!     FileStorage::new(MemoryBackend::new()).boxed(),
//! ];
//! let full: FileStorage<Box<dyn FsFull>> = FileStorage::new(MemoryBackend::new()).boxed_full();
//! full.create_dir("/real").unwrap();
//! full.symlink("/real", "/link").unwrap();
//! full.write("/link/../real/f", b"x").unwrap();
//! assert_eq!(full.read("/real/f").unwrap(), b"x");
//! # let _ = all;
//! ```
//!
//! # Thread safety
//!
//! `FileStorage<B, M>` is `Send + Sync` whenever `B` is (every backend is); all methods take
//! `&self`. A resolution and the backend call that follows are two steps: a concurrent rename
//! between them can make the call see the new state, exactly as with path-based system calls.

mod caching;
mod contract;
mod extended;
mod file_storage;
mod iterative;
mod noop;
mod resolver;
pub(crate) mod vouch;

#[cfg(test)]
mod tests;

pub use caching::CachingResolver;
pub use file_storage::FileStorage;
pub use iterative::IterativeResolver;
pub use noop::NoOpResolver;
pub use resolver::{PathResolver, Resolution, ResolveContext, ResolveOptions};
