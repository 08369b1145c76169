//! A parallel region whose caller never waits for a pool thread that has not started.
//!
//! The caller hands each helper a job on the pool and works through the tasks itself from
//! the start. When every task is claimed it closes the region and waits, spinning, only
//! for the helpers still inside it (each finishing the task it holds); a helper that starts
//! after that leaves without touching the tasks. `rayon`'s scopes instead wait for every
//! spawned job to run and then park the caller on a futex: on a VM whose idle vCPU halts
//! at once (the reference VM polls 0 ns, see `/sys/module/haltpoll/parameters`), each park
//! and each wake goes through the host, which after a quiet spell can take milliseconds.

use parking_lot::Mutex;
use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Set in `Region::state` once the caller has run out of tasks.
const CLOSED: usize = 1 << (usize::BITS - 1);

type Tasks = dyn Fn(usize) + Sync + 'static;

struct Region {
    /// The caller's task function. Only a thread counted in `state` before `CLOSED` was
    /// set calls it, and the caller keeps it alive until no such thread is left.
    f: *const Tasks,
    tasks: usize,
    next: AtomicUsize,
    /// Helpers inside the region (the low bits), and `CLOSED`.
    state: AtomicUsize,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    trace: Option<Trace>,
}

// SAFETY: `f` is a `Sync` closure called only under the protocol above; the rest of the
// fields are atomics and a lock.
unsafe impl Send for Region {}
// SAFETY: as above.
unsafe impl Sync for Region {}

impl Region {
    /// Runs the next unclaimed task until none is left.
    fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.tasks {
                break;
            }
            // SAFETY: the calling thread is the caller or a counted helper (`help`), so
            // the closure is alive.
            unsafe { (*self.f)(i) };
        }
    }

    /// A pool thread's part: the tasks left, unless the region has closed.
    fn help(&self) {
        let open = self.state.fetch_add(1, Ordering::Acquire) & CLOSED == 0;
        if let Some(t) = &self.trace {
            t.helper_entered(open);
        }
        if open {
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| self.work())) {
                self.panic.lock().get_or_insert(p);
                self.next.store(self.tasks, Ordering::Relaxed);
            }
        }
        self.state.fetch_sub(1, Ordering::Release);
    }

    /// Closes the region and waits for the helpers inside it. No task starts after this
    /// (when the caller's own task panicked, the rest are dropped).
    fn close(&self) {
        self.next.store(self.tasks, Ordering::Relaxed);
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        let mut backoff = super::Backoff::default();
        while self.state.load(Ordering::Acquire) & !CLOSED != 0 {
            backoff.wait();
        }
    }
}

/// Closes the region when the caller's part ends, also by a panic (the helpers must be
/// out before the closure they call goes away).
struct CloseOnDrop<'a>(&'a Region);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Runs `f(i)` for every `i` in `0..tasks` on this thread and on up to `helpers` threads
/// of `pool`, each taking the next task from a shared counter; returns once every task
/// has run. A panic in any task reaches the caller.
pub(super) fn share_tasks(
    pool: &rayon::ThreadPool,
    helpers: usize,
    tasks: usize,
    f: &(dyn Fn(usize) + Sync),
) {
    // SAFETY: only the lifetime changes. The closure is called by this thread and by
    // helpers counted in `state` before the region closes; `CloseOnDrop` waits for those
    // before this function returns or unwinds, and later helpers never call it.
    let f: *const Tasks = unsafe { std::mem::transmute(f as *const (dyn Fn(usize) + Sync)) };
    let region = Arc::new(Region {
        f,
        tasks,
        next: AtomicUsize::new(0),
        state: AtomicUsize::new(0),
        panic: Mutex::new(None),
        trace: tracing().then(Trace::new),
    });
    for _ in 0..helpers {
        let r = region.clone();
        pool.spawn(move || r.help());
    }
    {
        let _close = CloseOnDrop(&region);
        region.work();
        if let Some(t) = &region.trace {
            t.caller_done();
        }
    }
    if let Some(t) = &region.trace {
        t.report(tasks);
    }
    let panic = region.panic.lock().take();
    if let Some(p) = panic {
        resume_unwind(p);
    }
}

/// `FERROGRAD_TRACE_REGIONS=1`: each region prints when its first helper started, when the
/// caller ran out of tasks and when it returned (µs from its start) to stderr.
fn tracing() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FERROGRAD_TRACE_REGIONS").is_some_and(|v| v == "1"))
}

struct Trace {
    start: Instant,
    helper_ns: AtomicU64,
    caller_ns: AtomicU64,
}

impl Trace {
    fn new() -> Trace {
        Trace {
            start: Instant::now(),
            helper_ns: AtomicU64::new(u64::MAX),
            caller_ns: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    fn helper_entered(&self, open: bool) {
        if open {
            self.helper_ns.fetch_min(self.now(), Ordering::Relaxed);
        }
    }

    fn caller_done(&self) {
        self.caller_ns.store(self.now(), Ordering::Relaxed);
    }

    fn report(&self, tasks: usize) {
        let us = |ns: u64| ns as f64 / 1e3;
        let helper = match self.helper_ns.load(Ordering::Relaxed) {
            u64::MAX => "never".to_string(),
            ns => format!("{:.0}", us(ns)),
        };
        eprintln!(
            "ferrograd region: {tasks} tasks, helper in at {helper} us, caller done {:.0} us, returned {:.0} us",
            us(self.caller_ns.load(Ordering::Relaxed)),
            us(self.now()),
        );
    }
}
