//! [`PathFilterLayer`] and its builder.

use anyfs_backend::{Fs, FsError, FsLink, Layer};

use super::rules::{Rule, Rules};
use super::PathFilter;

/// The [`Layer`] that wraps a backend in [`PathFilter`].
///
/// ```
/// use std::path::Path;
/// use anyfs::middleware::path_filter::PathFilterLayer;
/// use anyfs::{FsRead, LayerExt, MemoryBackend};
///
/// let layer = PathFilterLayer::builder()
///     .allow("/workspace/**")
///     .deny("**/.env")
///     .deny("**/secrets/**")
///     .deny("**/*.key")
///     .build();
/// let fs = MemoryBackend::new().layer(layer);
/// assert_eq!(fs.read(Path::new("/etc/passwd")).unwrap_err().code(), "EACCES");
/// ```
///
/// It needs [`FsLink`] on the backend (to resolve symlinks); for a backend without it use
/// [`PathFilter::without_links`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFilterLayer {
    rules: Vec<Rule>,
}

impl PathFilterLayer {
    /// A layer with no rules: it denies everything.
    pub fn new() -> Self {
        PathFilterLayer::default()
    }

    /// A layer with `rules`.
    pub fn with_rules(rules: Vec<Rule>) -> Self {
        PathFilterLayer { rules }
    }

    /// A builder: `PathFilterLayer::builder().allow("/workspace/**").deny("**/.env").build()`.
    pub fn builder() -> PathFilterLayerBuilder {
        PathFilterLayerBuilder::default()
    }

    /// The rules, in the order they were given.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

/// Builder of [`PathFilterLayer`]; starts with no rules (everything denied).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFilterLayerBuilder {
    rules: Vec<Rule>,
}

impl PathFilterLayerBuilder {
    /// Allow paths matching `pattern` (unless a deny rule matches them).
    pub fn allow(mut self, pattern: impl Into<String>) -> Self {
        self.rules.push(Rule::Allow(pattern.into()));
        self
    }

    /// Deny paths matching `pattern` and everything below them.
    pub fn deny(mut self, pattern: impl Into<String>) -> Self {
        self.rules.push(Rule::Deny(pattern.into()));
        self
    }

    /// The layer. A pattern that does not compile makes the filter deny every call; use
    /// [`try_build`](Self::try_build) to get the error instead.
    pub fn build(self) -> PathFilterLayer {
        PathFilterLayer { rules: self.rules }
    }

    /// The layer, or `InvalidInput` (`EINVAL`) naming the first pattern that does not compile.
    pub fn try_build(self) -> Result<PathFilterLayer, FsError> {
        if let Some(reason) = Rules::compile(self.rules.clone()).error() {
            return Err(FsError::InvalidInput {
                operation: "PathFilterLayer::try_build",
                reason: reason.to_owned(),
            });
        }
        Ok(self.build())
    }
}

impl<B: Fs + FsLink> Layer<B> for PathFilterLayer {
    type Backend = PathFilter<B>;

    fn layer(self, backend: B) -> PathFilter<B> {
        PathFilter::with_rules(backend, self.rules)
    }
}
