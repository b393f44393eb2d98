//! `Quota`: limits on bytes, file size, nodes, entries and depth, with its usage readable from
//! JS through [`NativeQuota`].

use std::sync::Arc;

use anyfs::{FsError, Quota, QuotaLimits, QuotaRemaining, QuotaUsage};
use napi_derive::napi;

use crate::convert::to_u64;
use crate::error::{guard, Ctx};
use crate::ops::Backend;
use crate::stack::NativeFs;

/// Quota limits as JS passes them; an absent limit is unlimited.
#[napi(object)]
pub struct NativeQuotaLimits {
    /// Bytes of file content in total.
    pub max_total_size: Option<f64>,
    /// Bytes of one file.
    pub max_file_size: Option<f64>,
    /// Files, directories and symlinks.
    pub max_node_count: Option<f64>,
    /// Entries of one directory.
    pub max_dir_entries: Option<f64>,
    /// Components of a node's path.
    pub max_path_depth: Option<f64>,
}

/// What a Quota counts as used.
#[napi(object)]
pub struct NativeQuotaUsage {
    /// Bytes of file content (each file once, however many hard links name it).
    pub total_size: f64,
    /// Files, directories and symlinks, the root not included.
    pub node_count: f64,
}

/// What is left of a Quota's totals; absent where unlimited.
#[napi(object)]
pub struct NativeQuotaRemaining {
    /// Bytes that may still be added.
    pub total_size: Option<f64>,
    /// Nodes that may still be created.
    pub node_count: Option<f64>,
}

const OP: &str = "QuotaLayer";

fn limit(value: Option<f64>, what: &str) -> Result<Option<u64>, FsError> {
    value.map(|v| to_u64(v, what, OP)).transpose()
}

fn limits(js: &NativeQuotaLimits) -> Result<QuotaLimits, FsError> {
    Ok(QuotaLimits {
        max_total_size: limit(js.max_total_size, "maxTotalSize")?,
        max_file_size: limit(js.max_file_size, "maxFileSize")?,
        max_node_count: limit(js.max_node_count, "maxNodeCount")?,
        max_dir_entries: limit(js.max_dir_entries, "maxDirEntries")?,
        max_path_depth: limit(js.max_path_depth, "maxPathDepth")?,
    })
}

fn usage(u: QuotaUsage) -> NativeQuotaUsage {
    NativeQuotaUsage {
        total_size: u.total_size as f64,
        node_count: u.node_count as f64,
    }
}

fn remaining(r: QuotaRemaining) -> NativeQuotaRemaining {
    NativeQuotaRemaining {
        total_size: r.total_size.map(|v| v as f64),
        node_count: r.node_count.map(|v| v as f64),
    }
}

/// A Quota over a stack: its stack handle and its usage.
#[napi]
pub struct NativeQuota {
    quota: Arc<Quota<Backend>>,
    stack: NativeFs,
}

#[napi]
impl NativeFs {
    /// This stack behind `Quota` with `limits`, measuring its existing content first (one walk
    /// of the tree); a failed measurement fails the wrap. Over a stack without `FsLink` the
    /// quota measures without telling symlinks apart (there are none).
    #[napi]
    pub fn wrap_quota(&self, limits_in: NativeQuotaLimits) -> napi::Result<NativeQuota> {
        guard(Ctx::bare(OP), || {
            let inner = self.layer_source(OP)?;
            let limits = limits(&limits_in)?;
            let quota = if self.has("FsLink") {
                Quota::try_new(inner)?
            } else {
                Quota::without_links(inner)
            };
            let quota = Arc::new(quota.with_limits(limits));
            Ok(NativeQuota {
                stack: self.wrapped(quota.clone()),
                quota,
            })
        })
    }
}

#[napi]
impl NativeQuota {
    /// The stack handle (the Quota over the wrapped stack).
    #[napi]
    pub fn stack(&self) -> NativeFs {
        self.stack.share()
    }

    /// What is used now.
    #[napi]
    pub fn usage(&self) -> NativeQuotaUsage {
        usage(self.quota.usage())
    }

    /// What is left of the total size and node count.
    #[napi]
    pub fn remaining(&self) -> NativeQuotaRemaining {
        remaining(self.quota.remaining())
    }

    /// Measures the wrapped stack again (after changes made to it directly) and returns the
    /// new usage.
    #[napi]
    pub fn rescan(&self) -> napi::Result<NativeQuotaUsage> {
        guard(Ctx::bare("rescan"), || self.quota.rescan().map(usage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_convert_and_reject_fractions() {
        let js = NativeQuotaLimits {
            max_total_size: Some(1024.0),
            max_file_size: None,
            max_node_count: Some(3.0),
            max_dir_entries: None,
            max_path_depth: None,
        };
        let l = limits(&js).unwrap();
        assert_eq!(l.max_total_size, Some(1024));
        assert_eq!(l.max_file_size, None);
        assert_eq!(l.max_node_count, Some(3));
        let bad = NativeQuotaLimits {
            max_file_size: Some(1.5),
            ..js
        };
        let err = limits(&bad).unwrap_err();
        assert_eq!(err.code(), "EINVAL");
        assert!(err.to_string().contains("maxFileSize"), "{err}");
    }
}
