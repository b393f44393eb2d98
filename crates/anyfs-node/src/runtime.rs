//! The threads behind the blocking pool ([`crate::pool`]): an elastic set of OS threads, each
//! job handed straight to an idle thread, a new thread started when none is idle.
//!
//! # Why elastic
//!
//! A pool thread serving an async call on a stack with a JS layer blocks until the JS thread
//! answers, and the JS layer's own async calls into native stacks below it need pool threads
//! of their own. So each call in flight can hold one pool thread per native segment above a JS
//! layer; a fixed-size pool (libuv's 4 threads) or a low cap would deadlock once every thread
//! waits for work that can never be scheduled. So there is no cap below the OS's own limit: a
//! job that finds no idle thread starts one, and a thread that stays idle for [`KEEP_ALIVE`]
//! exits, so the pool shrinks back after a burst. If the OS refuses a new thread, the call
//! fails with `EAGAIN` rather than waiting behind calls that may never finish.
//!
//! # Why not tokio's `spawn_blocking`
//!
//! Measured on the disk benchmark's sequential small calls (`stat`, `unlink` on StdFsBackend),
//! interleaved in one process, this pool ran awaited `metadata` calls 1.1-4x faster than
//! tokio's blocking pool did: tokio's spawner signals its condvar while holding the pool mutex,
//! so the woken thread spins on that mutex (`Mutex::lock_contended` was ~6% of all CPU samples),
//! and every job is a reference-counted task with a join handle nobody awaits. Here the spawner
//! takes the most recently idled thread off a stack under the lock, then hands the job to that
//! thread's own slot and unparks it after releasing the lock: the woken thread finds its job
//! without touching shared state, and the hottest thread (warm caches) is reused first.
//!
//! # Thread safety and cost
//!
//! All state is behind `parking_lot` mutexes held for a push or a pop. Handing a job over is
//! O(1); a thread retiring after its keep-alive scans the idle list (O(idle threads)), which
//! happens at most once per thread.
//!
//! A thread that finished a job watches its mailbox for [`SPIN`] (50 µs) before it parks: that
//! costs up to 50 µs of CPU per job when no next job comes, and it is what made one-at-a-time
//! awaited calls fast on an idle machine. Measured in `npm run bench disk` (release build, idle
//! 2-core VM), StdFsBackend's async stat went from 14-15k to 38-45k calls/s (node's
//! `fs.promises.stat`: 19-23k), async read from 13.5k to 36-38k, async unlink from 15k to 29-37k.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// How long an idle thread waits for work before it exits (tokio's default, which this pool
/// replaced).
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// How long a thread that finished a job looks for the next one before it parks.
const SPIN: Duration = Duration::from_micros(50);

/// A unit of work for the pool.
pub(crate) trait Task: Send {
    /// Runs on a pool thread; must not unwind (the pool's callers catch panics inside it).
    fn run(self: Box<Self>);
    /// Called on the submitting thread instead of [`run`](Task::run) when no thread is idle and
    /// the OS refuses to start one.
    fn refuse(self: Box<Self>);
}

type Job = Box<dyn Task>;

/// One pool thread's mailbox: where a spawner leaves its next job.
struct Worker {
    job: Mutex<Option<Job>>,
    /// Set once `job` holds a job: what a spinning thread watches, without taking the lock.
    ready: AtomicBool,
    thread: Thread,
}

/// Threads waiting for work, most recently idled last.
static IDLE: Mutex<Vec<Arc<Worker>>> = Mutex::new(Vec::new());

/// Runs `job` on an idle pool thread, or on a new one if none is idle; if the OS refuses a new
/// thread, [`Task::refuse`]s it on the calling thread.
pub(crate) fn submit(job: Job) {
    // Bind first so the lock is released before the handoff and the unpark.
    let idle = IDLE.lock().pop();
    match idle {
        Some(worker) => {
            *worker.job.lock() = Some(job);
            worker.ready.store(true, Ordering::Release);
            worker.thread.unpark();
        }
        None => {
            if let Err(job) = start(job) {
                job.refuse();
            }
        }
    }
}

/// Starts a thread that runs `job`, then serves further jobs until it has idled too long; hands
/// `job` back if the thread cannot start.
fn start(job: Job) -> Result<(), Job> {
    // The job travels through a slot so it can be handed back if the thread never starts.
    let first = Arc::new(Mutex::new(Some(job)));
    let mine = Arc::clone(&first);
    let started = thread::Builder::new()
        .name("anyfs-pool".to_owned())
        .spawn(move || {
            let job = mine.lock().take();
            if let Some(job) = job {
                serve(job);
            }
        });
    match started {
        Ok(_) => Ok(()),
        Err(_) => match first.lock().take() {
            Some(job) => Err(job),
            // The thread did start and took the job: nothing was lost.
            None => Ok(()),
        },
    }
}

/// A pool thread's life: run a job, go idle, wait for the next one or retire.
fn serve(first: Job) {
    let me = Arc::new(Worker {
        job: Mutex::new(None),
        ready: AtomicBool::new(false),
        thread: thread::current(),
    });
    let mut job = first;
    loop {
        job.run();
        IDLE.lock().push(Arc::clone(&me));
        match wait(&me) {
            Some(next) => job = next,
            None => return,
        }
    }
}

/// Waits for a job handed to `me`; `None` once `me` has idled for [`KEEP_ALIVE`] and left the
/// idle list.
fn wait(me: &Arc<Worker>) -> Option<Job> {
    // Awaited calls come one after another: the next job usually arrives a few microseconds
    // after this one settled. Watching the flag briefly saves the park/unpark round trip, which
    // on an idle virtual CPU costs tens of microseconds (waking a halted vCPU).
    let spin_until = Instant::now() + SPIN;
    while Instant::now() < spin_until {
        if me.ready.load(Ordering::Acquire) {
            break;
        }
        std::hint::spin_loop();
    }
    let mut deadline = Some(Instant::now() + KEEP_ALIVE);
    loop {
        if let Some(job) = me.job.lock().take() {
            me.ready.store(false, Ordering::Relaxed);
            return Some(job);
        }
        match deadline {
            None => thread::park(),
            Some(at) => {
                let now = Instant::now();
                if now < at {
                    thread::park_timeout(at - now);
                    continue;
                }
                let mut idle = IDLE.lock();
                if let Some(i) = idle.iter().position(|w| Arc::ptr_eq(w, me)) {
                    idle.swap_remove(i);
                    return None;
                }
                // A spawner took `me` off the list and is about to hand over a job: wait for it.
                deadline = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A closure as a task; a refused one is dropped (the tests start few threads).
    struct Run<F>(F);

    impl<F: FnOnce() + Send> Task for Run<F> {
        fn run(self: Box<Self>) {
            (self.0)()
        }
        fn refuse(self: Box<Self>) {}
    }

    fn submit_fn(f: impl FnOnce() + Send + 'static) {
        submit(Box::new(Run(f)));
    }

    #[test]
    fn every_job_runs_once() {
        let (tx, rx) = mpsc::channel();
        for round in 0..3 {
            for i in 0..50 {
                let tx = tx.clone();
                submit_fn(move || tx.send((round, i)).unwrap());
            }
            let mut got: Vec<_> = (0..50).map(|_| rx.recv().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, (0..50).map(|i| (round, i)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn blocked_jobs_do_not_hold_up_new_ones() {
        // Job i waits for job i-1's signal, and all are queued before the first signal: only a
        // pool that starts a thread per blocked job gets through the chain.
        let n = 64;
        let (txs, rxs): (Vec<_>, Vec<_>) = (0..=n).map(|_| mpsc::channel::<()>()).unzip();
        let (done_tx, done_rx) = mpsc::channel();
        for (i, rx) in rxs.into_iter().take(n).enumerate() {
            let next = txs[i + 1].clone();
            let done = done_tx.clone();
            submit_fn(move || {
                rx.recv().unwrap();
                // The last job's receiver is gone; nothing waits for its signal.
                let _ = next.send(());
                done.send(i).unwrap();
            });
        }
        txs[0].send(()).unwrap();
        let mut finished: Vec<usize> = (0..n).map(|_| done_rx.recv().unwrap()).collect();
        finished.sort_unstable();
        assert_eq!(finished, (0..n).collect::<Vec<_>>());
    }
}
