//! A budget for `Buffer`s whose memory V8 does not own (zero-copy results).
//!
//! Why: Node runs an external `Buffer`'s finalizer on a later turn of the event loop, never
//! during the synchronous code that dropped it. A synchronous loop of large zero-copy reads
//! would keep every result's memory until the loop yields (measured: 60 reads of 64 MiB held
//! 3.8 GiB), where copied `Buffer`s are freed by the collector as the loop runs. So zero-copy
//! results take their size from this budget, give it back in their finalizer, and a read that
//! finds the budget spent copies instead: what a synchronous loop can hold on to is bounded.
//!
//! Thread safety and cost: one atomic add (and, over budget, one subtract) per large result.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of zero-copy results that may be alive at once (per process).
const BUDGET: usize = 512 << 20;

static IN_USE: AtomicUsize = AtomicUsize::new(0);

/// Takes `len` bytes from the budget; `false` (nothing taken) when they do not fit.
pub(crate) fn take(len: usize) -> bool {
    let before = IN_USE.fetch_add(len, Ordering::Relaxed);
    if before.saturating_add(len) <= BUDGET {
        return true;
    }
    IN_USE.fetch_sub(len, Ordering::Relaxed);
    false
}

/// Gives back what [`take`] took, once the result's memory is released.
pub(crate) fn give_back(len: usize) {
    IN_USE.fetch_sub(len, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_what_does_not_fit_and_takes_back_what_is_given() {
        assert!(take(BUDGET / 2));
        assert!(!take(BUDGET), "over budget");
        assert!(take(BUDGET / 2));
        assert!(!take(1));
        give_back(BUDGET / 2);
        assert!(take(1));
        give_back(1);
        give_back(BUDGET / 2);
        assert_eq!(IN_USE.load(Ordering::Relaxed), 0);
    }
}
