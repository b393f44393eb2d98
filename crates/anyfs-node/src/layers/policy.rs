//! The stateless policy middleware: `ReadOnly`, `Restrictions`, `PathFilter` and `RateLimit`.
//! Each wrap returns a plain [`NativeFs`]; there is nothing to ask them afterwards.

use std::sync::Arc;
use std::time::Duration;

use anyfs::middleware::path_filter::{PathFilter, PathFilterLayer, Rule};
use anyfs::middleware::rate_limit::{RateLimit, RateLimitConfig};
use anyfs::middleware::restrictions::{DeniedFeatures, Restrictions};
use anyfs::{FsError, ReadOnly};
use napi_derive::napi;

use crate::error::{guard, Ctx};
use crate::stack::NativeFs;

/// One PathFilter rule as JS passes it.
#[napi(object)]
pub struct NativePathRule {
    /// `true` for an allow rule, `false` for a deny rule.
    pub allow: bool,
    /// The glob pattern.
    pub pattern: String,
}

/// A RateLimit configuration as JS passes it (JS has checked the ranges).
#[napi(object)]
pub struct NativeRateLimit {
    /// Operations allowed per window on average.
    pub max_ops: u32,
    /// The window, in milliseconds.
    pub window_ms: f64,
    /// Most operations that may pass back to back; absent means `max_ops`.
    pub max_burst: Option<u32>,
}

/// Why `pattern` is not a valid PathFilter glob, or `None` if it is: lets the JS builder
/// refuse a bad pattern where it is written instead of when the stack is built.
#[napi]
pub fn path_filter_pattern_error(pattern: String) -> Option<String> {
    match PathFilterLayer::builder().allow(pattern).try_build() {
        Ok(_) => None,
        Err(FsError::InvalidInput { reason, .. }) => Some(reason),
        Err(other) => Some(other.to_string()),
    }
}

fn rules(rules: Vec<NativePathRule>) -> Vec<Rule> {
    rules
        .into_iter()
        .map(|r| {
            if r.allow {
                Rule::Allow(r.pattern)
            } else {
                Rule::Deny(r.pattern)
            }
        })
        .collect()
}

#[napi]
impl NativeFs {
    /// This stack behind `ReadOnly`: every mutation fails with `EROFS`.
    #[napi]
    pub fn wrap_read_only(&self) -> napi::Result<NativeFs> {
        guard(Ctx::bare("ReadOnlyLayer"), || {
            let inner = self.layer_source("ReadOnlyLayer")?;
            Ok(self.wrapped(Arc::new(ReadOnly::new(inner))))
        })
    }

    /// This stack behind `Restrictions` denying the chosen operation groups (`EPERM`).
    #[napi]
    pub fn wrap_restrictions(
        &self,
        permissions: bool,
        symlinks: bool,
        hard_links: bool,
    ) -> napi::Result<NativeFs> {
        guard(Ctx::bare("RestrictionsLayer"), || {
            let inner = self.layer_source("RestrictionsLayer")?;
            let denied = DeniedFeatures {
                permissions,
                symlinks,
                hard_links,
            };
            Ok(self.wrapped(Arc::new(Restrictions::with_denied(inner, denied))))
        })
    }

    /// This stack behind `PathFilter` with `rules` (`EACCES` for denied paths). A pattern that
    /// does not compile fails the wrap with `EINVAL` naming it (JS checks patterns earlier).
    /// Over a stack without `FsLink` the filter resolves `..` but has no symlinks to follow.
    #[napi]
    pub fn wrap_path_filter(&self, rules_in: Vec<NativePathRule>) -> napi::Result<NativeFs> {
        guard(Ctx::bare("PathFilterLayer"), || {
            let inner = self.layer_source("PathFilterLayer")?;
            // `try_build` validates every pattern; the filter itself would fail closed instead.
            let given = rules(rules_in);
            given
                .iter()
                .fold(PathFilterLayer::builder(), |b, rule| match rule {
                    Rule::Allow(p) => b.allow(p.clone()),
                    Rule::Deny(p) => b.deny(p.clone()),
                })
                .try_build()?;
            let filter = if self.has("FsLink") {
                PathFilter::with_rules(inner, given)
            } else {
                PathFilter::without_links(inner, given)
            };
            Ok(self.wrapped(Arc::new(filter)))
        })
    }

    /// This stack behind `RateLimit` (`EAGAIN`, kind `RateLimitExceeded`, beyond the limit).
    #[napi]
    pub fn wrap_rate_limit(&self, config: NativeRateLimit) -> napi::Result<NativeFs> {
        guard(Ctx::bare("RateLimitLayer"), || {
            let inner = self.layer_source("RateLimitLayer")?;
            let window = Duration::try_from_secs_f64(config.window_ms / 1000.0).map_err(|_| {
                FsError::InvalidInput {
                    operation: "RateLimitLayer",
                    reason: format!(
                        "window must be a positive number of milliseconds, got {}",
                        config.window_ms
                    ),
                }
            })?;
            let engine = RateLimitConfig {
                max_ops: config.max_ops,
                window,
                max_burst: config.max_burst,
            };
            Ok(self.wrapped(Arc::new(RateLimit::with_config(inner, engine))))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_pattern_is_reported_with_its_text() {
        assert_eq!(path_filter_pattern_error("/workspace/**".into()), None);
        let reason = path_filter_pattern_error("/a/[b".into()).unwrap();
        assert!(reason.contains("/a/[b"), "{reason}");
    }

    #[test]
    fn rules_keep_their_kind_and_order() {
        let r = rules(vec![
            NativePathRule {
                allow: true,
                pattern: "/a/**".into(),
            },
            NativePathRule {
                allow: false,
                pattern: "**/.env".into(),
            },
        ]);
        assert_eq!(
            r,
            [Rule::Allow("/a/**".into()), Rule::Deny("**/.env".into())]
        );
    }
}
