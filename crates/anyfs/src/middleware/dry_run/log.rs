//! [`Recording`]: the shared, optionally bounded log of a `DryRun`'s operations.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use parking_lot::Mutex;

use super::Operation;

/// A handle on the operations a [`DryRun`](super::DryRun) recorded.
///
/// Cheap to clone; clones (and the `DryRun` it came from, and that `DryRun`'s clones) share one
/// log, so a caller can keep a `Recording` after burying the `DryRun` inside a stack. When a
/// capacity is set, the oldest operations are dropped first and counted in
/// [`dropped`](Recording::dropped).
#[derive(Clone, Default)]
pub struct Recording {
    log: Arc<Mutex<Log>>,
}

#[derive(Default)]
struct Log {
    /// `(sequence number, operation)`, oldest first.
    ops: VecDeque<(u64, Operation)>,
    next_seq: u64,
    dropped: u64,
    capacity: Option<usize>,
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let log = self.log.lock();
        f.debug_struct("Recording")
            .field("operations", &log.ops.len())
            .field("dropped", &log.dropped)
            .field("capacity", &log.capacity)
            .finish()
    }
}

impl Recording {
    /// An empty, unbounded log.
    pub fn new() -> Self {
        Recording::default()
    }

    /// An empty log that keeps at most `capacity` operations (the newest).
    pub fn with_capacity(capacity: usize) -> Self {
        let recording = Recording::default();
        recording.log.lock().capacity = Some(capacity);
        recording
    }

    /// The recorded operations, oldest first.
    pub fn operations(&self) -> Vec<Operation> {
        self.log
            .lock()
            .ops
            .iter()
            .map(|(_, op)| op.clone())
            .collect()
    }

    /// Removes and returns the recorded operations, oldest first.
    pub fn take(&self) -> Vec<Operation> {
        let mut log = self.log.lock();
        log.ops.drain(..).map(|(_, op)| op).collect()
    }

    /// Forgets every recorded operation (and the dropped count).
    pub fn clear(&self) {
        let mut log = self.log.lock();
        log.ops.clear();
        log.dropped = 0;
    }

    /// How many operations are recorded now.
    pub fn len(&self) -> usize {
        self.log.lock().ops.len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many operations were discarded because the log was full.
    pub fn dropped(&self) -> u64 {
        self.log.lock().dropped
    }

    /// Appends `op`; returns its sequence number (for [`update`](Recording::update)).
    pub(super) fn push(&self, op: Operation) -> u64 {
        let mut log = self.log.lock();
        let seq = log.next_seq;
        log.next_seq = log.next_seq.wrapping_add(1);
        if log.capacity == Some(0) {
            log.dropped = log.dropped.saturating_add(1);
            return seq;
        }
        if let Some(capacity) = log.capacity {
            while log.ops.len() >= capacity {
                log.ops.pop_front();
                log.dropped = log.dropped.saturating_add(1);
            }
        }
        log.ops.push_back((seq, op));
        seq
    }

    /// Changes the operation recorded as `seq`, if it is still in the log (it may have been
    /// dropped, taken or cleared since).
    pub(super) fn update(&self, seq: u64, change: impl FnOnce(&mut Operation)) {
        let mut log = self.log.lock();
        if let Some((_, op)) = log.ops.iter_mut().rev().find(|(s, _)| *s == seq) {
            change(op);
        }
    }
}
