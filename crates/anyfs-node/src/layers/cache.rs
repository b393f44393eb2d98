//! `Cache`: bounded caching of contents, metadata and listings; [`NativeCache`] reads its
//! counters and empties it.

use std::sync::Arc;
use std::time::Duration;

use anyfs::middleware::cache::CacheConfig;
use anyfs::{Cache, FsError};
use napi_derive::napi;

use crate::convert::to_u64;
use crate::error::{guard, Ctx};
use crate::ops::Backend;
use crate::stack::NativeFs;

/// Cache bounds as JS passes them; an absent bound keeps the engine's default.
#[napi(object)]
pub struct NativeCacheConfig {
    /// Most entries per index (default 10 000).
    pub max_entries: Option<f64>,
    /// Most bytes of cached contents and listings (default 64 MiB).
    pub max_size: Option<f64>,
    /// Largest file or listing that is cached (default 4 MiB).
    pub max_entry_size: Option<f64>,
    /// Time to live of an entry, in milliseconds (default 60 000).
    pub ttl_ms: Option<f64>,
}

/// A Cache's counters.
#[napi(object)]
pub struct NativeCacheStats {
    /// Lookups answered from the cache.
    pub hits: f64,
    /// Lookups that went to the wrapped stack.
    pub misses: f64,
    /// Entries held now.
    pub entries: f64,
    /// Bytes of contents and listings held now.
    pub bytes: f64,
}

const OP: &str = "CacheLayer";
/// The longest time to live moka accepts (it panics beyond: checked here instead).
const MAX_TTL: Duration = Duration::from_secs(1000 * 365 * 24 * 3600);

fn config(js: &NativeCacheConfig) -> Result<CacheConfig, FsError> {
    let mut c = CacheConfig::default();
    if let Some(v) = js.max_entries {
        c.max_entries = to_u64(v, "maxEntries", OP)?;
    }
    if let Some(v) = js.max_size {
        c.max_bytes = to_u64(v, "maxSize", OP)?;
    }
    if let Some(v) = js.max_entry_size {
        c.max_entry_size = to_u64(v, "maxEntrySize", OP)?;
    }
    if let Some(v) = js.ttl_ms {
        c.ttl = Duration::from_millis(to_u64(v, "ttl", OP)?);
        if c.ttl > MAX_TTL {
            return Err(FsError::InvalidInput {
                operation: OP,
                reason: format!("ttl must be at most 1000 years, got {v} ms"),
            });
        }
    }
    Ok(c)
}

/// A Cache over a stack: its stack handle and its counters.
#[napi]
pub struct NativeCache {
    cache: Arc<Cache<Backend>>,
    stack: NativeFs,
}

#[napi]
impl NativeFs {
    /// This stack behind `Cache` with `config`'s bounds.
    #[napi]
    pub fn wrap_cache(&self, config_in: NativeCacheConfig) -> napi::Result<NativeCache> {
        guard(Ctx::bare(OP), || {
            let inner = self.layer_source(OP)?;
            let cache = Arc::new(Cache::with_config(inner, config(&config_in)?));
            Ok(NativeCache {
                stack: self.wrapped(cache.clone()),
                cache,
            })
        })
    }
}

#[napi]
impl NativeCache {
    /// The stack handle (the Cache over the wrapped stack).
    #[napi]
    pub fn stack(&self) -> NativeFs {
        self.stack.share()
    }

    /// Hit and miss counts and current sizes.
    #[napi]
    pub fn stats(&self) -> NativeCacheStats {
        let s = self.cache.stats();
        NativeCacheStats {
            hits: s.hits as f64,
            misses: s.misses as f64,
            entries: s.entries as f64,
            bytes: s.bytes as f64,
        }
    }

    /// Drops every entry (after the wrapped stack was changed behind the cache's back).
    #[napi]
    pub fn invalidate_all(&self) {
        self.cache.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_bounds_keep_the_defaults() {
        let js = NativeCacheConfig {
            max_entries: Some(10.0),
            max_size: None,
            max_entry_size: None,
            ttl_ms: Some(1500.0),
        };
        let c = config(&js).unwrap();
        let d = CacheConfig::default();
        assert_eq!(c.max_entries, 10);
        assert_eq!(c.max_bytes, d.max_bytes);
        assert_eq!(c.ttl, Duration::from_millis(1500));
        let bad = NativeCacheConfig {
            ttl_ms: Some(-1.0),
            ..js
        };
        assert_eq!(config(&bad).unwrap_err().code(), "EINVAL");
        let forever = NativeCacheConfig {
            ttl_ms: Some(9e15),
            ..bad
        };
        assert_eq!(config(&forever).unwrap_err().code(), "EINVAL");
    }
}
