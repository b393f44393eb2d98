//! [`BackendStack`]: a fluent builder that wraps a backend in middleware, one call per layer,
//! and hands the result to [`FileStorage`].
//!
//! ```
//! use anyfs::{BackendStack, MemoryBackend};
//!
//! let fs = BackendStack::new(MemoryBackend::new())
//!     .limited(|q| q.max_total_size(10 * 1024 * 1024).max_file_size(1024 * 1024))
//!     .restricted(|r| r.deny_hard_links().deny_permissions())
//!     .filtered(|f| f.allow("/ws/**").deny("**/.env"))
//!     .rate_limited(|r| r.max_ops(10_000).per_second())
//!     .traced()
//!     .cached(|c| c.max_entries(1_000))
//!     .into_container();
//!
//! fs.create_dir_all("/ws/src")?;
//! fs.write("/ws/src/a.txt", b"hello")?;
//! assert_eq!(fs.read("/ws/src/a.txt")?, b"hello");
//! assert_eq!(fs.write("/etc/passwd", b"x").unwrap_err().code(), "EACCES");
//! assert_eq!(fs.hard_link("/ws/src/a.txt", "/ws/b").unwrap_err().code(), "EPERM");
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # Order
//!
//! **Each layer wraps everything added before it: the last one added is the outermost and sees
//! a call first.** `BackendStack::new(b).read_only().dry_run()` is `DryRun<ReadOnly<B>>`: the
//! dry run records a write before the read-only layer could refuse it. Written the other way
//! round, `.dry_run().read_only()`, the write is refused with `EROFS` and never recorded. The
//! same holds for [`LayerExt::layer`](anyfs_backend::LayerExt::layer) chains, which this
//! builder mirrors (the [`layer`](BackendStack::layer) method accepts any [`Layer`]).
//!
//! Each sugar method exists when its middleware's cargo feature is enabled, and takes a closure
//! that configures that layer's builder (`QuotaLayerBuilder`, `PathFilterLayerBuilder`, ...).
//!
//! # Cost
//!
//! Nothing at run time: the builder only nests types, exactly as calling each middleware's
//! `new` by hand would.

use anyfs_backend::{Fs, FsLink, Layer};

use crate::FileStorage;

/// A backend being wrapped in middleware, layer by layer; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct BackendStack<B> {
    backend: B,
}

impl<B> BackendStack<B> {
    /// Starts a stack on `backend` (the innermost layer).
    pub fn new(backend: B) -> Self {
        BackendStack { backend }
    }

    /// The stack built so far.
    pub fn get_ref(&self) -> &B {
        &self.backend
    }

    /// The stack built so far, as a backend.
    pub fn into_inner(self) -> B {
        self.backend
    }
}

impl<B: Fs> BackendStack<B> {
    /// Wraps the stack in any [`Layer`]; it becomes the outermost layer.
    pub fn layer<L: Layer<B>>(self, layer: L) -> BackendStack<L::Backend> {
        BackendStack {
            backend: layer.layer(self.backend),
        }
    }
}

impl<B: Fs + FsLink> BackendStack<B> {
    /// The finished stack in a [`FileStorage`] (with the default path resolver).
    pub fn into_container(self) -> FileStorage<B> {
        FileStorage::new(self.backend)
    }
}

#[cfg(feature = "quota")]
impl<B: Fs + FsLink> BackendStack<B> {
    /// Adds [`Quota`](crate::middleware::quota::Quota), configured by `configure`:
    /// `.limited(|q| q.max_total_size(1 << 20))`.
    pub fn limited(
        self,
        configure: impl FnOnce(
            crate::middleware::quota::QuotaLayerBuilder,
        ) -> crate::middleware::quota::QuotaLayerBuilder,
    ) -> BackendStack<crate::middleware::quota::Quota<B>> {
        self.layer(configure(crate::middleware::quota::QuotaLayer::builder()).build())
    }
}

#[cfg(feature = "path_filter")]
impl<B: Fs + FsLink> BackendStack<B> {
    /// Adds [`PathFilter`](crate::middleware::path_filter::PathFilter), configured by
    /// `configure`: `.filtered(|f| f.allow("/ws/**").deny("**/.env"))`.
    pub fn filtered(
        self,
        configure: impl FnOnce(
            crate::middleware::path_filter::PathFilterLayerBuilder,
        ) -> crate::middleware::path_filter::PathFilterLayerBuilder,
    ) -> BackendStack<crate::middleware::path_filter::PathFilter<B>> {
        self.layer(configure(crate::middleware::path_filter::PathFilterLayer::builder()).build())
    }
}

impl<B: Fs> BackendStack<B> {
    /// Adds [`Restrictions`](crate::middleware::restrictions::Restrictions), configured by
    /// `configure`: `.restricted(|r| r.deny_hard_links())`.
    #[cfg(feature = "restrictions")]
    pub fn restricted(
        self,
        configure: impl FnOnce(
            crate::middleware::restrictions::RestrictionsLayerBuilder,
        ) -> crate::middleware::restrictions::RestrictionsLayerBuilder,
    ) -> BackendStack<crate::middleware::restrictions::Restrictions<B>> {
        self.layer(configure(crate::middleware::restrictions::RestrictionsLayer::builder()).build())
    }

    /// Adds [`ReadOnly`](crate::middleware::read_only::ReadOnly).
    #[cfg(feature = "read_only")]
    pub fn read_only(self) -> BackendStack<crate::middleware::read_only::ReadOnly<B>> {
        self.layer(crate::middleware::read_only::ReadOnlyLayer::new())
    }

    /// Adds [`RateLimit`](crate::middleware::rate_limit::RateLimit), configured by
    /// `configure`: `.rate_limited(|r| r.max_ops(1000).per_second())`.
    #[cfg(feature = "rate_limit")]
    pub fn rate_limited(
        self,
        configure: impl FnOnce(
            crate::middleware::rate_limit::RateLimitLayerBuilder,
        ) -> crate::middleware::rate_limit::RateLimitLayerBuilder,
    ) -> BackendStack<crate::middleware::rate_limit::RateLimit<B>> {
        self.layer(configure(crate::middleware::rate_limit::RateLimitLayer::builder()).build())
    }

    /// Adds [`Tracing`](crate::middleware::tracing::Tracing) with its defaults (target
    /// `"anyfs"`, `DEBUG`); use `.layer(TracingLayer::builder()...build())` for a target, a
    /// level or an event sink.
    #[cfg(feature = "tracing")]
    pub fn traced(self) -> BackendStack<crate::middleware::tracing::Tracing<B>> {
        self.layer(crate::middleware::tracing::TracingLayer::new())
    }

    /// Adds [`DryRun`](crate::middleware::dry_run::DryRun) with an unbounded log; read it
    /// through the stack's `DryRun` (or build a `DryRunLayer`, keep its `recording()`, and add
    /// it with [`layer`](BackendStack::layer)).
    #[cfg(feature = "dry_run")]
    pub fn dry_run(self) -> BackendStack<crate::middleware::dry_run::DryRun<B>> {
        self.layer(crate::middleware::dry_run::DryRunLayer::new())
    }

    /// Adds [`Cache`](crate::middleware::cache::Cache), configured by `configure`:
    /// `.cached(|c| c.max_entries(10_000).max_size(64 << 20))`.
    #[cfg(feature = "cache")]
    pub fn cached(
        self,
        configure: impl FnOnce(
            crate::middleware::cache::CacheLayerBuilder,
        ) -> crate::middleware::cache::CacheLayerBuilder,
    ) -> BackendStack<crate::middleware::cache::Cache<B>> {
        self.layer(configure(crate::middleware::cache::CacheLayer::builder()).build())
    }
}

#[cfg(feature = "overlay")]
impl<B: anyfs_backend::FsFull> BackendStack<B> {
    /// Lays the writable `upper` over the stack built so far, which becomes the read-only base
    /// of an [`Overlay`](crate::middleware::overlay::Overlay).
    pub fn overlay<U: anyfs_backend::FsFull>(
        self,
        upper: U,
    ) -> BackendStack<crate::middleware::overlay::Overlay<B, U>> {
        self.layer(crate::middleware::overlay::OverlayLayer::new(upper))
    }
}

#[cfg(all(test, feature = "full"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::path::Path;
    use std::sync::{Arc, Mutex};

    use anyfs_backend::{FsDir, FsRead, FsWrite, LayerExt};

    use super::BackendStack;
    use crate::middleware::dry_run::{DryRunLayer, Operation};
    use crate::middleware::read_only::ReadOnlyLayer;
    use crate::middleware::tracing::{TraceEvent, TracingLayer};
    use crate::MemoryBackend;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    #[test]
    fn the_last_layer_added_sees_the_call_first() {
        // DryRun outside ReadOnly: the write is recorded and never refused.
        let recorded = BackendStack::new(MemoryBackend::new())
            .read_only()
            .dry_run()
            .into_inner();
        recorded.write(p("/a"), b"1").unwrap();
        assert_eq!(recorded.operations().len(), 1);
        // ReadOnly outside DryRun: the write is refused and never recorded.
        let refused = BackendStack::new(MemoryBackend::new())
            .dry_run()
            .read_only()
            .into_inner();
        assert_eq!(refused.write(p("/a"), b"1").unwrap_err().code(), "EROFS");
        assert!(refused.get_ref().operations().is_empty());
    }

    #[test]
    fn an_outer_tracer_sees_what_an_inner_policy_refuses() {
        let seen = Arc::new(Mutex::new(Vec::<TraceEvent>::new()));
        let sink = seen.clone();
        let tracer = || {
            let sink = sink.clone();
            TracingLayer::builder()
                .sink(Arc::new(move |e: &TraceEvent| {
                    sink.lock().unwrap().push(e.clone())
                }))
                .build()
        };
        let outer = BackendStack::new(MemoryBackend::new())
            .read_only()
            .layer(tracer())
            .into_container();
        assert_eq!(outer.write("/a", b"1").unwrap_err().code(), "EROFS");
        let events = seen.lock().unwrap().clone();
        assert!(events
            .iter()
            .any(|e| e.operation == "write" && e.code == Some("EROFS")));
        seen.lock().unwrap().clear();
        let inner = BackendStack::new(MemoryBackend::new())
            .layer(tracer())
            .read_only()
            .into_container();
        assert_eq!(inner.write("/a", b"1").unwrap_err().code(), "EROFS");
        assert!(seen.lock().unwrap().iter().all(|e| e.operation != "write"));
    }

    #[test]
    fn stack_equals_layer_ext_chain() {
        let layer = DryRunLayer::new();
        let log = layer.recording();
        let by_stack = BackendStack::new(MemoryBackend::new())
            .layer(ReadOnlyLayer::new())
            .layer(layer)
            .into_inner();
        let by_ext = MemoryBackend::new()
            .layer(ReadOnlyLayer::new())
            .layer(DryRunLayer::new());
        by_stack.create_dir(p("/d")).unwrap();
        by_ext.create_dir(p("/d")).unwrap();
        assert_eq!(log.operations(), by_ext.operations());
        assert_eq!(
            log.operations(),
            vec![Operation::CreateDir { path: "/d".into() }]
        );
    }

    #[test]
    fn every_sugar_method_adds_its_layer() {
        let fs = BackendStack::new(MemoryBackend::new())
            .limited(|q| q.max_total_size(8))
            .restricted(|r| r.deny_hard_links())
            .filtered(|f| f.allow("/ws/**"))
            .rate_limited(|r| r.max_ops(1_000_000).per_second())
            .traced()
            .cached(|c| c.max_entries(10))
            .into_container();
        fs.create_dir("/ws").unwrap();
        fs.write("/ws/a", b"12345678").unwrap();
        assert_eq!(fs.read("/ws/a").unwrap(), b"12345678");
        assert_eq!(fs.write("/ws/b", b"9").unwrap_err().code(), "ENOSPC");
        assert_eq!(fs.write("/out", b"").unwrap_err().code(), "EACCES");
        assert_eq!(fs.hard_link("/ws/a", "/ws/h").unwrap_err().code(), "EPERM");
        // The layers nest in the order they were added, the cache outermost.
        let cache = fs.backend();
        assert_eq!(cache.config().max_entries, 10);
        let tracing = cache.get_ref();
        assert_eq!(tracing.target(), "anyfs");

        let base = MemoryBackend::new();
        base.write(p("/t"), b"template").unwrap();
        let over = BackendStack::new(base.clone())
            .overlay(MemoryBackend::new())
            .into_container();
        over.write("/t", b"mine").unwrap();
        assert_eq!(over.read("/t").unwrap(), b"mine");
        assert_eq!(base.read(p("/t")).unwrap(), b"template");
        let stack = BackendStack::new(MemoryBackend::new()).dry_run();
        assert!(stack.get_ref().operations().is_empty());
    }
}
