//! The native middleware, reachable from JS: one `wrap*` method per middleware on
//! [`NativeFs`], each returning a new handle whose stack is the middleware over this one.
//!
//! Glue only: every method converts its configuration, builds the engine's middleware
//! (`anyfs::middleware::*`) over this handle's type-erased stack and wraps the result in a bare
//! [`NativeFs`]. The new handle inherits the inner one's capability set, blocking flag and
//! self-resolving flag, because every middleware implements exactly the traits of what it wraps
//! and forwards `SelfResolving` (the one exception, [`overlay`], reports its own set).
//!
//! Middleware with state a caller asks about (Quota's usage, DryRun's log, Cache's counters,
//! Overlay's changes, Tracing's events) come with a small control class holding an `Arc` of the
//! typed middleware; the stack handle shares that same `Arc` as `Arc<dyn FsPosix>`, so the
//! control object and the stack are one middleware, not two.
//!
//! Order: `handle.wrapX()` puts X *outside* `handle`, so in a chain of wraps the last one is
//! the outermost and sees a call first (the engine's rule, stated in `anyfs::stack`).
//!
//! Thread safety: every middleware is `Send + Sync`; control methods may run while the stack
//! is used from the blocking pool. Cost: a wrap is one allocation plus the middleware's own
//! construction (Quota measures the existing tree once: O(nodes)).

mod cache;
mod dry_run;
mod overlay;
mod policy;
mod quota;
mod tracing;

use std::sync::Arc;

use anyfs::{FsError, FsPosix};

use crate::ops::Backend;
use crate::stack::{NativeFs, CAPABILITIES};

pub use policy::path_filter_pattern_error;

/// The capability bit of trait `name` (0 for an unknown name, so a typo can only remove a
/// capability, never add one).
pub(crate) fn capability_bit(name: &str) -> u32 {
    CAPABILITIES
        .iter()
        .position(|c| *c == name)
        .map_or(0, |i| 1 << i)
}

/// An engine method name as JS names it: `read_to_string` -> `readToString` (trace events and
/// recorded operations carry the names of the JS methods).
pub(crate) fn js_name(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl NativeFs {
    /// The stack a middleware may wrap: this handle's, unless it is a `FileStorage` (whose path
    /// resolution a middleware below it would silently bypass, so it is refused).
    pub(crate) fn layer_source(&self, operation: &'static str) -> Result<Backend, FsError> {
        if self.is_storage() {
            return Err(FsError::InvalidInput {
                operation,
                reason: "a FileStorage cannot be wrapped in middleware: wrap its backend, then \
                         make a FileStorage over the result"
                    .to_owned(),
            });
        }
        Ok(Arc::clone(&self.backend))
    }

    /// Whether the stack implements trait `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.caps & capability_bit(name) != 0
    }

    /// A handle over `wrapped`, a middleware around this handle's stack, with this handle's
    /// capabilities and flags.
    pub(crate) fn wrapped(&self, wrapped: Arc<dyn FsPosix>) -> NativeFs {
        NativeFs::bare(wrapped, self.caps, self.blocking, self.self_resolving)
    }

    /// Another bare handle on the same stack, with the same capabilities and flags (control
    /// objects keep one and hand out copies).
    pub(crate) fn share(&self) -> NativeFs {
        NativeFs::bare(
            Arc::clone(&self.backend),
            self.caps,
            self.blocking,
            self.self_resolving,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_bits_follow_the_shared_table() {
        assert_eq!(capability_bit("FsRead"), 1);
        assert_eq!(capability_bit("FsLink"), 1 << 3);
        assert_eq!(capability_bit("FsXattr"), 1 << 10);
        assert_eq!(capability_bit("NoSuchTrait"), 0);
    }

    #[test]
    fn engine_names_become_js_method_names() {
        assert_eq!(js_name("read"), "read");
        assert_eq!(js_name("read_to_string"), "readToString");
        assert_eq!(js_name("write_at"), "writeAt");
        assert_eq!(js_name("create_dir_all"), "createDirAll");
    }
}
