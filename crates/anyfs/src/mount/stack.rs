//! [`MountStack`]: the type-erased stack a mount serves, with or without the POSIX extras.

use std::fmt;
use std::sync::Arc;

use anyfs_backend::{FsFuse, FsPosix};

/// The stack behind a mount: an `FsPosix` stack (handles, locks, xattrs: the fast and complete
/// path) or an `FsFuse` one (path-based I/O; see the module docs for what it lacks).
///
/// ```
/// use std::sync::Arc;
/// use anyfs::{MemoryBackend, MountStack};
///
/// let posix = MountStack::posix(MemoryBackend::new());
/// assert!(posix.has_handles());
/// let fuse_only = MountStack::fuse(MemoryBackend::new());
/// assert!(!fuse_only.has_handles());
/// ```
#[derive(Clone)]
pub struct MountStack {
    inner: Inner,
    scope: Option<Arc<dyn RequestScope>>,
}

/// Runs each kernel request's work inside a caller-provided scope, given the id of the thread
/// that made the request (FUSE's `pid`: a thread id on Linux). The Node binding uses it to
/// fail fast with `EDEADLK` when a request made by a JS thread would need that same, blocked,
/// thread (a JS layer in the stack).
///
/// `scope` must call `serve` exactly once; if it does not, the request answers `EIO`.
///
/// ```
/// use anyfs::{MemoryBackend, MountStack};
/// let stack = MountStack::posix(MemoryBackend::new())
///     .with_request_scope(|pid: u32, serve: &mut dyn FnMut()| {
///         let _ = pid; // e.g. remember who asks, in a thread-local
///         serve()
///     });
/// # let _ = stack;
/// ```
pub trait RequestScope: Send + Sync + 'static {
    /// Calls `serve` (once), on behalf of thread `pid`.
    fn scope(&self, pid: u32, serve: &mut dyn FnMut());
}

impl<F: Fn(u32, &mut dyn FnMut()) + Send + Sync + 'static> RequestScope for F {
    fn scope(&self, pid: u32, serve: &mut dyn FnMut()) {
        self(pid, serve)
    }
}

#[derive(Clone)]
enum Inner {
    Posix(Arc<dyn FsPosix>),
    Fuse(Arc<dyn FsFuse>),
}

impl MountStack {
    /// An `FsPosix` stack: I/O through handles, `flock` forwarding, xattrs.
    pub fn posix(backend: impl FsPosix + 'static) -> Self {
        Self::from_posix(Arc::new(backend))
    }

    /// An `FsFuse` stack: I/O through paths (`read_range`, `append`, `write`).
    pub fn fuse(backend: impl FsFuse + 'static) -> Self {
        Self::from_fuse(Arc::new(backend))
    }

    /// An already shared `FsPosix` stack (no extra indirection).
    pub fn from_posix(backend: Arc<dyn FsPosix>) -> Self {
        MountStack {
            inner: Inner::Posix(backend),
            scope: None,
        }
    }

    /// An already shared `FsFuse` stack.
    pub fn from_fuse(backend: Arc<dyn FsFuse>) -> Self {
        MountStack {
            inner: Inner::Fuse(backend),
            scope: None,
        }
    }

    /// Runs every request's work inside `scope` (see [`RequestScope`]).
    pub fn with_request_scope(mut self, scope: impl RequestScope) -> Self {
        self.scope = Some(Arc::new(scope));
        self
    }

    /// The request scope, if one was set.
    pub(crate) fn request_scope(&self) -> Option<&dyn RequestScope> {
        self.scope.as_deref()
    }

    /// Whether the stack has handles, locks and xattrs.
    pub fn has_handles(&self) -> bool {
        matches!(self.inner, Inner::Posix(_))
    }

    /// The stack as `FsFuse` (every stack has that much).
    pub(crate) fn fs(&self) -> &dyn FsFuse {
        match &self.inner {
            Inner::Posix(b) => b.as_ref(),
            Inner::Fuse(b) => b.as_ref(),
        }
    }

    /// The stack as `FsPosix`, when it is one.
    pub(crate) fn posix_ref(&self) -> Option<&dyn FsPosix> {
        match &self.inner {
            Inner::Posix(b) => Some(b.as_ref()),
            Inner::Fuse(_) => None,
        }
    }
}

impl From<Arc<dyn FsPosix>> for MountStack {
    fn from(backend: Arc<dyn FsPosix>) -> Self {
        MountStack::from_posix(backend)
    }
}

impl From<Arc<dyn FsFuse>> for MountStack {
    fn from(backend: Arc<dyn FsFuse>) -> Self {
        MountStack::from_fuse(backend)
    }
}

impl fmt::Debug for MountStack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.has_handles() {
            "FsPosix"
        } else {
            "FsFuse"
        };
        f.debug_struct("MountStack")
            .field("kind", &kind)
            .field("request_scope", &self.scope.is_some())
            .finish()
    }
}
