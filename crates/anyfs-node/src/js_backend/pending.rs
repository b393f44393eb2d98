//! Calls from non-JS threads waiting for their JS answer: each one is a [`Slot`] registered
//! under an id until it is answered or given up.
//!
//! The id travels to JS and back (`jsSettle(id, value)` answers a handler's promise), so a
//! late answer for a call that already timed out finds no slot and is dropped, and a call that
//! timed out before JS started it is skipped rather than run.
//!
//! Thread safety: the registry is one mutex-guarded map, touched twice per call (insert,
//! remove); a slot's result is handed over under its own mutex and condvar.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use anyfs::FsError;
use parking_lot::{Condvar, Mutex};

use super::call::Core;
use super::error::Failure;
use super::op::Op;
use super::value::{OwnedArgs, Reply};

/// One call waiting for JS.
pub(crate) struct Slot {
    /// The layer being called.
    pub core: Arc<Core>,
    /// The operation.
    pub op: Op,
    /// Its arguments (owned: the caller's borrow cannot travel to the JS thread).
    pub args: OwnedArgs,
    result: Mutex<Option<Result<Reply, Failure>>>,
    ready: Condvar,
}

/// Calls in flight, by id.
static PENDING: LazyLock<Mutex<HashMap<u64, Arc<Slot>>>> = LazyLock::new(Default::default);
/// The next id (0 means "synchronous" to the JS dispatcher, so ids start at 1).
static NEXT: AtomicU64 = AtomicU64::new(1);

impl Slot {
    /// Registers a new call and returns its id and slot.
    pub(crate) fn register(core: Arc<Core>, op: Op, args: OwnedArgs) -> (u64, Arc<Slot>) {
        let slot = Arc::new(Slot {
            core,
            op,
            args,
            result: Mutex::new(None),
            ready: Condvar::new(),
        });
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        PENDING.lock().insert(id, Arc::clone(&slot));
        (id, slot)
    }

    /// Waits for the answer of call `id` for at most `timeout` (forever if `None`). On timeout
    /// the call is withdrawn, so a late answer is dropped and an unstarted call never runs. A
    /// failure lands on the calling thread (see [`Failure::land`]).
    pub(crate) fn wait(&self, id: u64, timeout: Option<Duration>) -> Result<Reply, FsError> {
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let mut result = self.result.lock();
        loop {
            if let Some(r) = result.take() {
                return r.map_err(Failure::land);
            }
            match deadline {
                None => self.ready.wait(&mut result),
                Some(at) => {
                    if self.ready.wait_until(&mut result, at).timed_out() && result.is_none() {
                        // Withdrawn by us: nobody can answer any more. Otherwise the answer
                        // is being handed over right now: wait for it.
                        if withdraw(id).is_some() {
                            return Err(FsError::Timeout {
                                operation: self.op.engine_name(),
                                millis: timeout
                                    .map_or(0, |t| t.as_millis().try_into().unwrap_or(u64::MAX)),
                            });
                        }
                        self.ready.wait(&mut result);
                    }
                }
            }
        }
    }

    fn fill(&self, r: Result<Reply, Failure>) {
        *self.result.lock() = Some(r);
        self.ready.notify_one();
    }
}

/// The slot of call `id`, if it is still waiting.
pub(crate) fn get(id: u64) -> Option<Arc<Slot>> {
    PENDING.lock().get(&id).cloned()
}

/// Withdraws call `id` (it will get no answer through the registry).
pub(crate) fn withdraw(id: u64) -> Option<Arc<Slot>> {
    PENDING.lock().remove(&id)
}

/// Answers call `id`; a call that is no longer waiting ignores the answer.
pub(crate) fn answer(id: u64, r: Result<Reply, Failure>) {
    if let Some(slot) = withdraw(id) {
        slot.fill(r);
    }
}
