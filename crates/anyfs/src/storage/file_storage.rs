//! [`FileStorage`]: the struct, its constructors, and the layer-1 (`Fs`) operations.

use std::io::{Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::path::is_plain;
use anyfs_backend::{DirEntry, Fs, FsError, FsFull, FsLink, FsPosix, Metadata, SelfResolving};

use super::iterative::IterativeResolver;
use super::noop::NoOpResolver;
use super::resolver::{PathResolver, ResolveContext, ResolveOptions};
use super::vouch::Vouched;

/// How resolution reaches the backend's links, chosen at construction (where the trait bounds
/// are known) so that resolving needs no bound on `B`.
type LinkView<B> = for<'a> fn(&'a B) -> Option<&'a dyn FsLink>;

fn links_of<B: FsLink>(backend: &B) -> Option<&dyn FsLink> {
    Some(backend)
}

fn no_links<B>(_: &B) -> Option<&dyn FsLink> {
    None
}

/// A `std::fs`-shaped filesystem over any backend `B`, tagged with a marker type `M`.
///
/// Every method takes `impl AsRef<Path>`, resolves the path with its [`PathResolver`] (symlinks,
/// `..`, validation) and hands the canonical path to the backend. Generic over `B`, so there is
/// no dynamic dispatch on the backend (the resolver is boxed; see [`boxed`](FileStorage::boxed)
/// for type erasure). `M` is a zero-sized tag that keeps storages for different purposes apart
/// at compile time; it does not affect `Send`/`Sync`.
///
/// `FileStorage` itself implements every contract trait its backend implements ([`FsRead`],
/// [`FsWrite`], [`FsDir`], [`FsLink`], ... up to [`FsPosix`]), so it can be used wherever an
/// [`Fs`] is expected, including under middleware and in the conformance kit.
///
/// [`FsRead`]: anyfs_backend::FsRead
/// [`FsWrite`]: anyfs_backend::FsWrite
/// [`FsDir`]: anyfs_backend::FsDir
pub struct FileStorage<B, M = ()> {
    pub(super) backend: B,
    pub(super) resolver: Box<dyn PathResolver>,
    links: LinkView<B>,
    /// Boxed storage: the erased backend is a `FileStorage` that does all path work.
    delegated: bool,
    marker: PhantomData<fn() -> M>,
}

impl<B: std::fmt::Debug, M> std::fmt::Debug for FileStorage<B, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStorage")
            .field("backend", &self.backend)
            .field("links", &(self.links)(&self.backend).is_some())
            .finish_non_exhaustive()
    }
}

// Constructors build `FileStorage<B, ()>` so that `let fs = FileStorage::new(backend);` infers
// its marker (Rust applies a type parameter's default only in type position, never while
// inferring an expression); tag with `.with_marker::<M>()`.

impl<B: Fs + FsLink> FileStorage<B> {
    /// Wraps a backend that has symlinks, with the default [`IterativeResolver`].
    ///
    /// For a backend without [`FsLink`] use [`without_links`](FileStorage::without_links); for a
    /// marker type, [`with_marker`](FileStorage::with_marker).
    pub fn new(backend: B) -> Self {
        Self::with_resolver(backend, IterativeResolver::new())
    }

    /// Wraps a backend that has symlinks, resolving paths with `resolver` (for example a
    /// [`CachingResolver`](super::CachingResolver)).
    pub fn with_resolver(backend: B, resolver: impl PathResolver + 'static) -> Self {
        FileStorage {
            backend,
            resolver: Box::new(resolver),
            links: links_of::<B>,
            delegated: false,
            marker: PhantomData,
        }
    }
}

impl<B: Fs + SelfResolving> FileStorage<B> {
    /// Wraps a backend that resolves paths itself (a host-disk backend whose OS follows
    /// symlinks): only validation and lexical normalization happen here ([`NoOpResolver`]).
    pub fn self_resolving(backend: B) -> Self {
        FileStorage {
            backend,
            resolver: Box::new(NoOpResolver),
            links: no_links::<B>,
            delegated: false,
            marker: PhantomData,
        }
    }
}

impl<B: Fs> FileStorage<B> {
    /// Wraps a backend without [`FsLink`]. It cannot hold symlinks, so `..` is resolved
    /// lexically and paths without `..` reach the backend after validation alone.
    pub fn without_links(backend: B) -> Self {
        FileStorage {
            backend,
            resolver: Box::new(IterativeResolver::new()),
            links: no_links::<B>,
            delegated: false,
            marker: PhantomData,
        }
    }
}

impl<B: Fs, M> FileStorage<B, M> {
    /// Replaces the resolver, keeping everything else (including whether links are resolved).
    pub fn replace_resolver(mut self, resolver: impl PathResolver + 'static) -> Self {
        self.resolver = Box::new(resolver);
        self
    }

    /// The backend.
    ///
    /// Mutating it directly (it is `&self`-mutable) bypasses a
    /// [`CachingResolver`](super::CachingResolver); see its invalidation rules.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The resolver.
    pub fn resolver(&self) -> &dyn PathResolver {
        &*self.resolver
    }

    /// Unwraps the backend.
    pub fn into_inner(self) -> B {
        self.backend
    }

    /// The same storage under another marker type:
    /// `let s: FileStorage<_, Sandbox> = FileStorage::new(backend).with_marker();`
    pub fn with_marker<N>(self) -> FileStorage<B, N> {
        FileStorage {
            backend: self.backend,
            resolver: self.resolver,
            links: self.links,
            delegated: self.delegated,
            marker: PhantomData,
        }
    }

    /// True if resolution sees the backend's symlinks.
    pub fn resolves_links(&self) -> bool {
        (self.links)(&self.backend).is_some()
    }

    /// Type-erases the backend (opt-in boxing) for uniform collections.
    ///
    /// The erased backend is this storage itself, resolver included, so symlink resolution
    /// survives erasure; the outer storage only forwards. The layer-2+ methods are gone from
    /// the type (as with any `Box<dyn Fs>`); use [`boxed_full`](FileStorage::boxed_full) or
    /// [`boxed_posix`](FileStorage::boxed_posix) to keep them.
    pub fn boxed(self) -> FileStorage<Box<dyn Fs>, M>
    where
        B: 'static,
    {
        FileStorage {
            backend: Box::new(self.with_marker::<()>()),
            resolver: Box::new(Forward),
            links: no_links::<Box<dyn Fs>>,
            delegated: true,
            marker: PhantomData,
        }
    }

    pub(super) fn context(&self) -> ResolveContext<'_> {
        ResolveContext {
            fs: &self.backend,
            links: (self.links)(&self.backend),
        }
    }

    /// Resolves `path` for one backend call; the result is vouched for (see [`Vouched`]) while
    /// the caller holds it, so layers below need not validate it again.
    pub(super) fn resolve(
        &self,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Vouched, FsError> {
        if self.resolver.resolves_plain_paths_to_themselves() && is_plain(path) {
            return Ok(Vouched::plain(path.to_path_buf()));
        }
        self.resolver
            .resolve(self.context(), path, options, operation)
            .map(Vouched::new)
    }

    /// Resolves for an operation that creates a non-directory: a trailing `/` names a
    /// directory, so it is `EISDIR` once the path itself resolved (as `open(O_CREAT)` does).
    pub(super) fn resolve_for_file(
        &self,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Vouched, FsError> {
        let resolved = self.resolve(path, options, operation)?;
        let bytes = path.as_os_str().as_encoded_bytes();
        if !self.delegated && bytes.len() > 1 && bytes.last() == Some(&b'/') {
            return Err(FsError::NotAFile {
                path: path.to_path_buf(),
                operation,
            });
        }
        Ok(resolved)
    }

    // ---- layer 1: FsRead ----

    /// Reads a whole file (follows symlinks).
    pub fn read(&self, path: impl AsRef<Path>) -> Result<Vec<u8>, FsError> {
        self.read_at_path(path.as_ref())
    }

    fn read_at_path(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let resolved = self.resolve(path, ResolveOptions::FOLLOW, "read")?;
        self.backend.read(&resolved)
    }

    /// Reads a whole file (follows symlinks) and lends its content to `visit`, borrowed from
    /// the backend when it offers [`FsRead::read_with`] (with a
    /// [`SharedContent`](anyfs_backend::SharedContent) when the backend keeps the file in a
    /// descriptor), else read into a vector first. `visit` runs once, on success only, and must
    /// not call back into this storage (the backend may hold a lock).
    ///
    /// ```
    /// use anyfs::{FileStorage, MemoryBackend};
    /// let fs = FileStorage::new(MemoryBackend::new());
    /// fs.write("/a.txt", b"hello")?;
    /// let mut len = 0;
    /// fs.read_with("/a.txt", |bytes, _shared| len = bytes.len())?;
    /// assert_eq!(len, 5);
    /// # Ok::<(), anyfs::FsError>(())
    /// ```
    pub fn read_with(
        &self,
        path: impl AsRef<Path>,
        mut visit: impl FnMut(&[u8], Option<&anyfs_backend::SharedContent>),
    ) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "read")?;
        anyfs_backend::lend_or_read(&self.backend, &resolved, &mut visit)
    }

    /// The backend's own [`FsRead::read_with`] at the resolved path: `None` if it does not
    /// offer it (then nothing was read).
    pub(crate) fn lend(
        &self,
        path: &Path,
        visit: &mut dyn FnMut(&[u8], Option<&anyfs_backend::SharedContent>),
    ) -> Option<Result<(), FsError>> {
        match self.resolve(path, ResolveOptions::FOLLOW, "read") {
            Ok(resolved) => self.backend.read_with(&resolved, visit),
            Err(e) => Some(Err(e)),
        }
    }

    /// Reads a whole file as UTF-8 (`InvalidData` if it is not).
    pub fn read_to_string(&self, path: impl AsRef<Path>) -> Result<String, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "read_to_string")?;
        self.backend.read_to_string(&resolved)
    }

    /// Reads up to `len` bytes from `offset`.
    pub fn read_range(
        &self,
        path: impl AsRef<Path>,
        offset: u64,
        len: usize,
    ) -> Result<Vec<u8>, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "read_range")?;
        self.backend.read_range(&resolved, offset, len)
    }

    /// True if the path exists (following symlinks: a dangling symlink does not "exist").
    /// `Ok(false)` for a missing component, a non-directory component or a symlink loop; bad
    /// paths are still errors.
    pub fn exists(&self, path: impl AsRef<Path>) -> Result<bool, FsError> {
        match self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "exists") {
            Ok(resolved) => self.backend.exists(&resolved),
            Err(
                FsError::NotFound { .. }
                | FsError::NotADirectory { .. }
                | FsError::SymlinkLoop { .. },
            ) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Metadata, following symlinks.
    pub fn metadata(&self, path: impl AsRef<Path>) -> Result<Metadata, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "metadata")?;
        self.backend.metadata(&resolved)
    }

    /// Opens a file for streaming reads.
    pub fn open_read(&self, path: impl AsRef<Path>) -> Result<Box<dyn Read + Send>, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "open_read")?;
        self.backend.open_read(&resolved)
    }

    // ---- layer 1: FsWrite ----

    /// Creates or replaces a file (through a final symlink, as `std::fs::write`).
    pub fn write(&self, path: impl AsRef<Path>, data: impl AsRef<[u8]>) -> Result<(), FsError> {
        self.write_at_path(path.as_ref(), data.as_ref())
    }

    fn write_at_path(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let resolved = self.resolve_for_file(path, ResolveOptions::FOLLOW, "write")?;
        let result = self.backend.write(&resolved, data);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Appends to a file, creating it if missing.
    pub fn append(&self, path: impl AsRef<Path>, data: impl AsRef<[u8]>) -> Result<(), FsError> {
        let resolved = self.resolve_for_file(path.as_ref(), ResolveOptions::FOLLOW, "append")?;
        let result = self.backend.append(&resolved, data.as_ref());
        self.resolver.invalidate(&resolved);
        result
    }

    /// Removes a file or symlink (a final symlink is removed, not followed).
    pub fn remove_file(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "remove_file")?;
        let result = self.backend.remove_file(&resolved);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Renames a node, replacing `to` where POSIX allows (neither end's final symlink is
    /// followed).
    pub fn rename(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), FsError> {
        let from = self.resolve(from.as_ref(), ResolveOptions::NO_FOLLOW, "rename")?;
        let to = self.resolve(to.as_ref(), ResolveOptions::NO_FOLLOW, "rename")?;
        let result = self.backend.rename(&from, &to);
        self.resolver.invalidate(&from);
        self.resolver.invalidate(&to);
        result
    }

    /// Copies a file's contents (both ends follow symlinks, as `std::fs::copy`).
    pub fn copy(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), FsError> {
        let from = self.resolve(from.as_ref(), ResolveOptions::FOLLOW, "copy")?;
        let to = self.resolve_for_file(to.as_ref(), ResolveOptions::FOLLOW, "copy")?;
        let result = self.backend.copy(&from, &to);
        self.resolver.invalidate(&to);
        result
    }

    /// Sets a file's length, zero-extending or cutting it.
    pub fn truncate(&self, path: impl AsRef<Path>, size: u64) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "truncate")?;
        self.backend.truncate(&resolved, size)
    }

    /// Opens a file for streaming writes (created or truncated).
    pub fn open_write(&self, path: impl AsRef<Path>) -> Result<Box<dyn Write + Send>, FsError> {
        let resolved =
            self.resolve_for_file(path.as_ref(), ResolveOptions::FOLLOW, "open_write")?;
        let result = self.backend.open_write(&resolved);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Sets access and/or modification times (`None` leaves one unchanged).
    pub fn set_times(
        &self,
        path: impl AsRef<Path>,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "set_times")?;
        self.backend.set_times(&resolved, accessed, modified)
    }

    // ---- layer 1: FsDir ----

    /// Lists a directory (following symlinks).
    pub fn read_dir(&self, path: impl AsRef<Path>) -> Result<Vec<DirEntry>, FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::FOLLOW, "read_dir")?;
        self.backend.read_dir(&resolved)
    }

    /// Creates one directory; its parent must exist (a final symlink is not followed: it
    /// already exists).
    pub fn create_dir(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "create_dir")?;
        let result = self.backend.create_dir(&resolved);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Creates a directory and its missing parents. Existing symlinks on the way are followed;
    /// the missing part is created under their targets.
    pub fn create_dir_all(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::SOFT, "create_dir_all")?;
        let result = self.backend.create_dir_all(&resolved);
        for created in resolved.ancestors() {
            if created.as_os_str().len() > 1 {
                self.resolver.invalidate(created);
            }
        }
        result
    }

    /// Removes an empty directory (a final symlink is not followed: `ENOTDIR`).
    pub fn remove_dir(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "remove_dir")?;
        let result = self.backend.remove_dir(&resolved);
        self.resolver.invalidate(&resolved);
        result
    }

    /// Removes a directory and everything below it (a final symlink is not followed).
    pub fn remove_dir_all(&self, path: impl AsRef<Path>) -> Result<(), FsError> {
        let resolved = self.resolve(path.as_ref(), ResolveOptions::NO_FOLLOW, "remove_dir_all")?;
        let result = self.backend.remove_dir_all(&resolved);
        self.resolver.invalidate(&resolved);
        result
    }
}

impl<B: FsFull + 'static, M> FileStorage<B, M> {
    /// Type-erases the backend, keeping the layer-2 methods (links, permissions, sync, stats).
    /// Resolution survives erasure as with [`boxed`](FileStorage::boxed).
    pub fn boxed_full(self) -> FileStorage<Box<dyn FsFull>, M> {
        FileStorage {
            backend: Box::new(self.with_marker::<()>()),
            resolver: Box::new(Forward),
            links: links_of::<Box<dyn FsFull>>,
            delegated: true,
            marker: PhantomData,
        }
    }
}

impl<B: FsPosix + 'static, M> FileStorage<B, M> {
    /// Type-erases the backend, keeping every method up to layer 4 (inodes, handles, locks,
    /// xattrs). Resolution survives erasure as with [`boxed`](FileStorage::boxed).
    pub fn boxed_posix(self) -> FileStorage<Box<dyn FsPosix>, M> {
        FileStorage {
            backend: Box::new(self.with_marker::<()>()),
            resolver: Box::new(Forward),
            links: links_of::<Box<dyn FsPosix>>,
            delegated: true,
            marker: PhantomData,
        }
    }
}

/// The resolver of boxed storage: the erased backend is a `FileStorage` that resolves, so the
/// outer one hands paths over untouched (validating them once here would only repeat it).
#[derive(Debug, Clone, Copy)]
struct Forward;

impl PathResolver for Forward {
    fn resolve(
        &self,
        _context: ResolveContext<'_>,
        path: &Path,
        _options: ResolveOptions,
        _operation: &'static str,
    ) -> Result<PathBuf, FsError> {
        Ok(path.to_path_buf())
    }

    fn resolves_plain_paths_to_themselves(&self) -> bool {
        true
    }
}
