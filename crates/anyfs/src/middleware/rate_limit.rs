//! `RateLimit<B>`: at most `max_ops` calls per window, with bursts; beyond, `EAGAIN` at once.
//!
//! ```
//! use std::path::Path;
//! use anyfs::middleware::rate_limit::{RateLimit, RateLimitLayer};
//! use anyfs::{FsRead, FsWrite, LayerExt, MemoryBackend};
//!
//! // Three operations per minute, all of them available at once.
//! let fs = MemoryBackend::new().layer(RateLimitLayer::builder().max_ops(3).per_minute().build());
//! fs.write(Path::new("/a"), b"1")?;
//! fs.read(Path::new("/a"))?;
//! fs.exists(Path::new("/a"))?;
//! let err = fs.read(Path::new("/a")).unwrap_err();
//! assert_eq!((err.code(), err.kind()), ("EAGAIN", "RateLimitExceeded"));
//!
//! // The seeds' style: 100 operations per second on average, bursts of at most 10.
//! let fs = RateLimit::new(MemoryBackend::new())
//!     .with_max_ops(100)
//!     .with_window(std::time::Duration::from_secs(1))
//!     .with_max_burst(10);
//! # let _ = fs;
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it intercepts
//!
//! Every call of every trait counts as one operation, reads included (a runaway loop of
//! `metadata` calls is as much a runaway as a loop of writes), before it reaches the inner
//! backend: `open_read` and `open_write` count once, not per chunk read from or written to the
//! stream; `read_at` and `write_at` on handles count once each; `close`, `sync`, locks and the
//! canonicalization family count too. A refused call does not reach the inner backend.
//!
//! # The limit
//!
//! The limiter is [`governor`]'s GCRA (generic cell rate algorithm), a token bucket without a
//! refill thread: the bucket holds `max_burst` operations (default: `max_ops`, so a whole
//! window's worth may arrive at once) and regains one every `window / max_ops`. So the
//! sustained rate is `max_ops` per `window`, and after a pause at most `max_burst` calls pass
//! back to back. Over the limit the call fails at once with [`FsError::RateLimitExceeded`]
//! (`limit` = `max_ops`, `window_secs` = the window rounded up to whole seconds); it never
//! sleeps, so a caller decides whether to back off or give up.
//!
//! A configuration that allows nothing (`max_ops` 0, `max_burst` 0 or a zero window) refuses
//! every call: the middleware fails closed rather than guessing what was meant.
//!
//! # Thread safety and cost
//!
//! One limiter per `RateLimit`, shared by every thread that calls it: the decision is one
//! lock-free compare-and-swap on an atomic plus a read of the TSC-based clock (`quanta`), O(1),
//! no allocation, no lock. Under heavy contention from many threads the compare-and-swap may
//! retry, never block.
//!
//! The fast forms a middleware above may ask for (`write_replacing`, `remove_file_reporting`,
//! `resolve_path`) are forwarded and charged like the call they stand for; when the inner
//! backend does not offer one (it answers `None`, having done nothing), the token is given
//! back and spent by the next call, so the calls the caller makes instead are what is counted.
//! `symlink_free`, a question that cannot fail, is forwarded uncharged.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyfs_backend::{Fs, FsError, Layer};
use governor::{DefaultDirectRateLimiter, Quota as Gcra, RateLimiter};

use super::forward::{forward, Access};

/// The limit of a [`RateLimit`]: `max_ops` per `window`, bursts of at most `max_burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimitConfig {
    /// Operations allowed per window on average.
    pub max_ops: u32,
    /// The window.
    pub window: Duration,
    /// Most operations that may pass back to back after a pause; `None` means `max_ops`.
    pub max_burst: Option<u32>,
}

impl Default for RateLimitConfig {
    /// 1000 operations per second, bursts of 1000.
    fn default() -> Self {
        RateLimitConfig {
            max_ops: 1000,
            window: Duration::from_secs(1),
            max_burst: None,
        }
    }
}

impl RateLimitConfig {
    /// The GCRA quota, or `None` when the configuration allows nothing.
    fn gcra(&self) -> Option<Gcra> {
        let max_ops = NonZeroU32::new(self.max_ops)?;
        let burst = NonZeroU32::new(self.max_burst.unwrap_or(self.max_ops))?;
        if self.window.is_zero() {
            return None;
        }
        // One operation regained every window / max_ops; at least 1 ns, governor's resolution
        // (a rate above 1e9/s is unlimited in practice).
        let period = (self.window / max_ops.get()).max(Duration::from_nanos(1));
        Some(Gcra::with_period(period)?.allow_burst(burst))
    }

    fn exceeded(&self) -> FsError {
        let window_secs = self.window.as_secs() + u64::from(self.window.subsec_nanos() > 0);
        FsError::RateLimitExceeded {
            limit: self.max_ops,
            window_secs,
        }
    }
}

/// The decision maker: the real clock, or nothing allowed at all.
enum Limiter {
    Clocked(DefaultDirectRateLimiter),
    #[cfg(test)]
    Fake(
        RateLimiter<
            governor::state::NotKeyed,
            governor::state::InMemoryState,
            governor::clock::FakeRelativeClock,
            governor::middleware::NoOpMiddleware<governor::nanos::Nanos>,
        >,
    ),
    DenyAll,
}

impl Limiter {
    fn new(config: &RateLimitConfig) -> Limiter {
        match config.gcra() {
            Some(gcra) => Limiter::Clocked(RateLimiter::direct(gcra)),
            None => Limiter::DenyAll,
        }
    }

    fn allows(&self) -> bool {
        match self {
            Limiter::Clocked(limiter) => limiter.check().is_ok(),
            #[cfg(test)]
            Limiter::Fake(limiter) => limiter.check().is_ok(),
            Limiter::DenyAll => false,
        }
    }
}

/// A backend whose calls are rate limited; see the [module docs](self).
pub struct RateLimit<B> {
    inner: B,
    config: RateLimitConfig,
    limiter: Limiter,
    /// Tokens given back by fast forms the inner backend did not offer (`write_replacing`
    /// answering `None`: nothing done); the next calls spend them before the limiter's.
    credits: AtomicU32,
}

impl<B: fmt::Debug> fmt::Debug for RateLimit<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimit")
            .field("inner", &self.inner)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<B> RateLimit<B> {
    /// Wraps `inner` with the default limit: 1000 operations per second.
    pub fn new(inner: B) -> Self {
        RateLimit::with_config(inner, RateLimitConfig::default())
    }

    /// Wraps `inner` with `config`.
    pub fn with_config(inner: B, config: RateLimitConfig) -> Self {
        RateLimit {
            limiter: Limiter::new(&config),
            inner,
            config,
            credits: AtomicU32::new(0),
        }
    }

    /// Sets the operations allowed per window (and restarts the limiter with a full bucket).
    pub fn with_max_ops(self, max_ops: u32) -> Self {
        let config = RateLimitConfig {
            max_ops,
            ..self.config
        };
        RateLimit::with_config(self.inner, config)
    }

    /// Sets the window (and restarts the limiter with a full bucket).
    pub fn with_window(self, window: Duration) -> Self {
        let config = RateLimitConfig {
            window,
            ..self.config
        };
        RateLimit::with_config(self.inner, config)
    }

    /// Sets the largest burst (and restarts the limiter with a full bucket).
    pub fn with_max_burst(self, max_burst: u32) -> Self {
        let config = RateLimitConfig {
            max_burst: Some(max_burst),
            ..self.config
        };
        RateLimit::with_config(self.inner, config)
    }

    /// The limit.
    pub fn config(&self) -> RateLimitConfig {
        self.config
    }

    /// The inner backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the inner backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Called first by every forwarded method: takes one operation from the bucket (or a
    /// token given back by [`refund`](Self::refund)).
    fn guard(&self, _: &'static str, _: Access) -> Result<(), FsError> {
        if self.take_credit() || self.limiter.allows() {
            Ok(())
        } else {
            Err(self.config.exceeded())
        }
    }

    /// Spends a given-back token, if there is one.
    fn take_credit(&self) -> bool {
        // One load in the usual case (nothing given back).
        self.credits.load(Ordering::Relaxed) > 0
            && self
                .credits
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| c.checked_sub(1))
                .is_ok()
    }

    /// A fast form (`write_replacing`, `remove_file_reporting`, `resolve_path`) was not
    /// offered by the inner backend and did nothing: its token goes back, so the calls the
    /// caller makes instead are what is counted, as if the fast form had not been tried.
    fn refund(&self, _: &'static str) {
        // Saturating: more than u32::MAX outstanding refunds cannot happen in practice.
        let _ = self
            .credits
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| c.checked_add(1));
    }
}

forward!(RateLimit.inner => FsRead, FsWrite, FsDir, FsLink, FsPermissions, FsSync, FsStats,
    FsInode, FsHandles, FsLock, FsXattr, FsPath, SelfResolving; guard guard, undo refund);

/// The [`Layer`] that wraps a backend in [`RateLimit`]; each layered backend gets its own
/// limiter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimitLayer {
    config: RateLimitConfig,
}

impl RateLimitLayer {
    /// A layer with the default limit: 1000 operations per second.
    pub fn new() -> Self {
        RateLimitLayer::default()
    }

    /// A layer with `config`.
    pub fn with_config(config: RateLimitConfig) -> Self {
        RateLimitLayer { config }
    }

    /// A builder: `RateLimitLayer::builder().max_ops(1000).per_second().build()`.
    pub fn builder() -> RateLimitLayerBuilder {
        RateLimitLayerBuilder::default()
    }

    /// The limit.
    pub fn config(&self) -> RateLimitConfig {
        self.config
    }
}

/// Builder of [`RateLimitLayer`]; starts from 1000 operations per second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimitLayerBuilder {
    config: RateLimitConfig,
}

impl RateLimitLayerBuilder {
    /// Operations allowed per window.
    pub fn max_ops(mut self, max_ops: u32) -> Self {
        self.config.max_ops = max_ops;
        self
    }

    /// The window.
    pub fn window(mut self, window: Duration) -> Self {
        self.config.window = window;
        self
    }

    /// A one-second window.
    pub fn per_second(self) -> Self {
        self.window(Duration::from_secs(1))
    }

    /// A one-minute window.
    pub fn per_minute(self) -> Self {
        self.window(Duration::from_secs(60))
    }

    /// The largest burst (default: `max_ops`).
    pub fn max_burst(mut self, max_burst: u32) -> Self {
        self.config.max_burst = Some(max_burst);
        self
    }

    /// The layer.
    pub fn build(self) -> RateLimitLayer {
        RateLimitLayer {
            config: self.config,
        }
    }
}

impl<B: Fs> Layer<B> for RateLimitLayer {
    type Backend = RateLimit<B>;

    fn layer(self, backend: B) -> RateLimit<B> {
        RateLimit::with_config(backend, self.config)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use anyfs_backend::*;
    use governor::clock::FakeRelativeClock;

    use super::*;
    use crate::MemoryBackend;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    /// A rate limit on a fake clock that only moves when the test advances it.
    fn fake(config: RateLimitConfig) -> (RateLimit<MemoryBackend>, FakeRelativeClock) {
        fake_over(MemoryBackend::new(), config)
    }

    /// [`fake`] over any backend.
    fn fake_over<B>(inner: B, config: RateLimitConfig) -> (RateLimit<B>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        let gcra = config.gcra().unwrap();
        let limiter = Limiter::Fake(RateLimiter::direct_with_clock(gcra, clock.clone()));
        let fs = RateLimit {
            inner,
            config,
            limiter,
            credits: AtomicU32::new(0),
        };
        (fs, clock)
    }

    fn config(max_ops: u32, window_ms: u64, max_burst: Option<u32>) -> RateLimitConfig {
        RateLimitConfig {
            max_ops,
            window: Duration::from_millis(window_ms),
            max_burst,
        }
    }

    fn limited<T: std::fmt::Debug>(result: Result<T, FsError>) {
        let err = result.unwrap_err();
        assert_eq!(err.code(), "EAGAIN");
        assert_eq!(err.kind(), "RateLimitExceeded");
        assert!(matches!(err, FsError::RateLimitExceeded { .. }), "{err:?}");
    }

    #[test]
    fn a_full_window_passes_then_the_next_call_fails_fast() {
        let (fs, clock) = fake(config(4, 1000, None));
        fs.write(p("/a"), b"1").unwrap();
        fs.read(p("/a")).unwrap();
        fs.metadata(p("/a")).unwrap();
        fs.read_dir(p("/")).unwrap();
        limited(fs.read(p("/a")));
        limited(fs.write(p("/b"), b"2"));
        // The refused write never reached the backend.
        assert!(!fs.get_ref().exists(p("/b")).unwrap());
        // A quarter window regains one operation, no more.
        clock.advance(Duration::from_millis(250));
        fs.read(p("/a")).unwrap();
        limited(fs.read(p("/a")));
        // A whole window of rest refills the bucket to its burst size.
        clock.advance(Duration::from_secs(10));
        for _ in 0..4 {
            fs.exists(p("/a")).unwrap();
        }
        limited(fs.exists(p("/a")));
    }

    #[test]
    fn burst_caps_back_to_back_calls_below_the_window_rate() {
        // 100 per second on average, at most 10 at once.
        let (fs, clock) = fake(config(100, 1000, Some(10)));
        for _ in 0..10 {
            fs.statfs().unwrap();
        }
        limited(fs.statfs());
        // 10 ms regain one operation (1 s / 100).
        clock.advance(Duration::from_millis(10));
        fs.statfs().unwrap();
        limited(fs.statfs());
    }

    #[test]
    fn every_trait_counts_including_provided_methods_and_handles() {
        let (fs, _clock) = fake(config(1, 1000, None));
        // The single operation goes to read_to_string (the backend answers it); everything
        // after it is refused, provided methods, handles and locks included.
        assert_eq!(fs.read_to_string(p("/")).unwrap_err().code(), "EISDIR");
        limited(fs.exists(p("/")));
        limited(fs.set_times(p("/"), None, None));
        limited(fs.set_owner(p("/"), None, None));
        limited(fs.symlink(p("/a"), p("/b")));
        limited(fs.sync());
        limited(fs.path_to_inode(p("/")));
        limited(fs.open(p("/"), OpenFlags::READ));
        limited(fs.read_at(Handle(1), &mut [0u8; 1], 0));
        limited(fs.unlock(Handle(1)));
        limited(fs.list_xattr(p("/")));
        limited(fs.canonicalize(p("/")));
        limited(fs.open_read(p("/")).map(drop));
    }

    #[test]
    fn streams_count_once_at_open() {
        use std::io::Write;
        let (fs, _clock) = fake(config(1, 1000, None));
        let mut w = fs.open_write(p("/big")).unwrap();
        for _ in 0..100 {
            w.write_all(b"chunk").unwrap();
        }
        drop(w);
        assert_eq!(fs.get_ref().metadata(p("/big")).unwrap().size, 500);
        limited(fs.metadata(p("/big")));
    }

    #[test]
    fn concurrent_callers_share_one_budget() {
        let (fs, _clock) = fake(config(50, 1000, None));
        let passed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        if fs.exists(p("/")).is_ok() {
                            passed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        // The fake clock never moved: exactly the burst passed, whatever the interleaving.
        assert_eq!(passed.load(Ordering::Relaxed), 50);
    }

    #[test]
    fn configurations_that_allow_nothing_deny_everything() {
        for config in [
            config(0, 1000, None),
            config(5, 0, None),
            config(5, 1000, Some(0)),
        ] {
            assert!(config.gcra().is_none(), "{config:?}");
            let fs = RateLimit::with_config(MemoryBackend::new(), config);
            limited(fs.exists(p("/")));
        }
    }

    #[test]
    fn error_reports_the_limit_and_window_in_whole_seconds() {
        let fs = RateLimit::with_config(MemoryBackend::new(), config(0, 1500, None));
        match fs.exists(p("/")).unwrap_err() {
            FsError::RateLimitExceeded { limit, window_secs } => {
                assert_eq!((limit, window_secs), (0, 2));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn builders_and_with_methods_agree() {
        let layer = RateLimitLayer::builder()
            .max_ops(100)
            .per_second()
            .max_burst(10)
            .build();
        let expected = config(100, 1000, Some(10));
        assert_eq!(layer.config(), expected);
        assert_eq!(RateLimitLayer::with_config(expected), layer);
        let fs = RateLimit::new(MemoryBackend::new())
            .with_max_ops(100)
            .with_window(Duration::from_secs(1))
            .with_max_burst(10);
        assert_eq!(fs.config(), expected);
        let layered = MemoryBackend::new().layer(layer);
        assert_eq!(layered.config(), expected);
        assert_eq!(
            RateLimitLayer::builder()
                .per_minute()
                .build()
                .config()
                .window,
            Duration::from_secs(60)
        );
        assert_eq!(RateLimitLayer::new().config(), RateLimitConfig::default());
        // A real clock with a generous limit lets calls through.
        layered.write(p("/a"), b"1").unwrap();
        assert_eq!(layered.into_inner().read(p("/a")).unwrap(), b"1");
    }
}
