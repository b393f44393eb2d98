//! [`QuotaLayer`] and its builder.

use anyfs_backend::{Fs, FsLink, Layer};

use super::limits::QuotaLimits;
use super::Quota;

/// The [`Layer`] that wraps a backend in [`Quota`] (measuring its existing content).
///
/// ```
/// use anyfs::middleware::quota::QuotaLayer;
/// use anyfs::{LayerExt, MemoryBackend};
///
/// let fs = MemoryBackend::new().layer(
///     QuotaLayer::builder()
///         .max_total_size(100 * 1024 * 1024)
///         .max_file_size(10 * 1024 * 1024)
///         .max_node_count(10_000)
///         .max_dir_entries(1_000)
///         .max_path_depth(64)
///         .build(),
/// );
/// assert_eq!(fs.limits().max_node_count, Some(10_000));
/// ```
///
/// It needs [`FsLink`] on the backend (to tell a symlink from its target); for a backend
/// without it use [`Quota::without_links`] and [`Quota::with_limits`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuotaLayer {
    limits: QuotaLimits,
}

impl QuotaLayer {
    /// A layer without limits (it still counts usage).
    pub fn new() -> Self {
        QuotaLayer::default()
    }

    /// A layer with `limits`.
    pub fn with_limits(limits: QuotaLimits) -> Self {
        QuotaLayer { limits }
    }

    /// A builder: `QuotaLayer::builder().max_total_size(1 << 20).build()`.
    pub fn builder() -> QuotaLayerBuilder {
        QuotaLayerBuilder::default()
    }

    /// The limits.
    pub fn limits(&self) -> QuotaLimits {
        self.limits
    }
}

/// Builder of [`QuotaLayer`]; every limit starts unset (unlimited).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuotaLayerBuilder {
    limits: QuotaLimits,
}

impl QuotaLayerBuilder {
    /// Bytes of file content in total.
    pub fn max_total_size(mut self, bytes: u64) -> Self {
        self.limits.max_total_size = Some(bytes);
        self
    }

    /// Bytes of one file.
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.limits.max_file_size = Some(bytes);
        self
    }

    /// Files, directories and symlinks.
    pub fn max_node_count(mut self, nodes: u64) -> Self {
        self.limits.max_node_count = Some(nodes);
        self
    }

    /// Entries of one directory.
    pub fn max_dir_entries(mut self, entries: u64) -> Self {
        self.limits.max_dir_entries = Some(entries);
        self
    }

    /// Components of a node's path.
    pub fn max_path_depth(mut self, depth: u64) -> Self {
        self.limits.max_path_depth = Some(depth);
        self
    }

    /// The layer.
    pub fn build(self) -> QuotaLayer {
        QuotaLayer {
            limits: self.limits,
        }
    }
}

impl<B: Fs + FsLink> Layer<B> for QuotaLayer {
    type Backend = Quota<B>;

    fn layer(self, backend: B) -> Quota<B> {
        Quota::new(backend).with_limits(self.limits)
    }
}
