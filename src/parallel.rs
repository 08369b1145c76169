//! Intra-op parallelism: the thread counts (`set_num_threads` and friends, with PyTorch's
//! defaults and rules) and the few primitives the kernels split their work with.
//!
//! The workers are a rayon `ThreadPool`, rebuilt lazily when the count changes. Why rayon
//! and not `std::thread::scope`: a scope spawns and joins OS threads on every call
//! (~20-40 µs per thread on this VM), which would put the split-even threshold of a
//! memory-bound add near a million elements; handing work to parked pool threads costs a
//! few µs, and its work stealing evens out a core that is busy with another process.
//!
//! Kernels never depend on the thread count for their values: elementwise maps compute
//! each element alone, and reductions fold fixed-size blocks whose partial results are
//! combined in block order, so 1 and N threads give the same bits.

mod region;

use parking_lot::{Mutex, RwLock};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The most worker threads a pool gets, whatever count is asked for (PyTorch accepts any
/// positive `int`; a pool of two billion threads cannot be built).
const MAX_POOL_THREADS: usize = 256;

/// 0 until first read or set: the default is computed then (environment, cores).
static INTRA_THREADS: AtomicUsize = AtomicUsize::new(0);
static INTEROP_THREADS: AtomicUsize = AtomicUsize::new(0);
static INTEROP_SET: AtomicBool = AtomicBool::new(false);
/// The pool and the id of the process that built it: a child made by `fork` inherits the
/// pool but not its threads, so it must build its own (as PyTorch resets its pool).
static POOL: RwLock<Option<(u32, Arc<rayon::ThreadPool>)>> = RwLock::new(None);

/// Logical CPUs this process may run on (affinity and cgroup quotas included). PyTorch
/// counts physical cores; finding those portably needs platform code, and the machines
/// this runs on have one thread per core.
pub fn available_cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A positive integer from an environment variable, if it holds one.
fn env_threads(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()?
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
}

/// PyTorch's start-up default: `MKL_NUM_THREADS`, else `OMP_NUM_THREADS`, else the core
/// count; an environment value above the core count is capped to it (PyTorch 2.13 with
/// `OMP_NUM_THREADS=64` on 2 cores reports 2), while `set_num_threads` takes any count.
fn default_intra_threads() -> usize {
    let cores = available_cores();
    env_threads("MKL_NUM_THREADS")
        .or_else(|| env_threads("OMP_NUM_THREADS"))
        .map_or(cores, |n| n.min(cores))
}

/// The intra-op thread count (`torch.get_num_threads()`).
pub fn num_threads() -> usize {
    match INTRA_THREADS.load(Ordering::Relaxed) {
        0 => {
            let d = default_intra_threads();
            // another thread may have set a count meanwhile: keep that one
            let _ = INTRA_THREADS.compare_exchange(0, d, Ordering::Relaxed, Ordering::Relaxed);
            INTRA_THREADS.load(Ordering::Relaxed)
        }
        n => n,
    }
}

/// Sets the intra-op thread count (`n >= 1`; the Python binding checks it). The pool is
/// rebuilt by the next kernel that splits its work.
pub fn set_num_threads(n: usize) {
    INTRA_THREADS.store(n.max(1), Ordering::Relaxed);
}

/// The inter-op thread count (`torch.get_num_interop_threads()`). ferrograd runs no
/// inter-op work (no `fork`), so this is a setting only.
pub fn num_interop_threads() -> usize {
    match INTEROP_THREADS.load(Ordering::Relaxed) {
        0 => available_cores(),
        n => n,
    }
}

/// Sets the inter-op thread count, once per process as in PyTorch; later calls fail.
pub fn set_num_interop_threads(n: usize) -> crate::Result<()> {
    if INTEROP_SET.swap(true, Ordering::Relaxed) {
        return Err(crate::Error::runtime(
            "Error: cannot set number of interop threads after parallel work has started or set_num_interop_threads called",
        ));
    }
    INTEROP_THREADS.store(n.max(1), Ordering::Relaxed);
    Ok(())
}

/// The pool for the current count, or `None` when work should stay on the calling
/// thread (one thread, or a pool that could not be built). It holds one thread fewer than
/// the count: the calling thread is the first of the region's threads (as OpenMP's and
/// OpenBLAS's). A spare pool thread would cost more than its memory: rayon wakes every
/// sleeping worker when one finds work, so with `n` pool threads each region of `n`
/// threads woke a thread with nothing to do, which then competed for a core with the two
/// that had work, yielding 32 times before it slept again.
fn pool() -> Option<Arc<rayon::ThreadPool>> {
    let want = pool_threads_for(num_threads());
    if want == 0 {
        return None;
    }
    let pid = std::process::id();
    let usable = |slot: &Option<(u32, Arc<rayon::ThreadPool>)>| {
        slot.as_ref()
            .filter(|(owner, p)| *owner == pid && p.current_num_threads() == want)
            .map(|(_, p)| p.clone())
    };
    if let Some(p) = usable(&POOL.read()) {
        return Some(p);
    }
    let mut slot = POOL.write();
    if let Some(p) = usable(&slot) {
        return Some(p);
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(want)
        .thread_name(|i| format!("ferrograd-intraop-{i}"))
        .build()
        .ok()
        .map(Arc::new);
    let old = std::mem::replace(&mut *slot, built.clone().map(|p| (pid, p)));
    if let Some((owner, p)) = old {
        if owner != pid {
            // inherited through fork: its threads do not exist here, so never signal them
            std::mem::forget(p);
        }
        // else the old pool's threads exit once the last kernel using it lets go of it
    }
    built
}

/// The pool threads a count of `threads` intra-op threads needs (the caller is one).
fn pool_threads_for(threads: usize) -> usize {
    threads.min(MAX_POOL_THREADS + 1).saturating_sub(1)
}

/// How many tasks to cut `work` units into, when each task should carry at least
/// `min_per_task` units: 1 (stay serial) below that or with one thread; otherwise a few
/// tasks per thread, so that stealing evens out a core that another process is using.
pub fn task_count(work: usize, min_per_task: usize) -> usize {
    let threads = num_threads();
    if threads <= 1 || work < 2 * min_per_task.max(1) {
        return 1;
    }
    (work / min_per_task.max(1)).min(threads * 4).max(1)
}

/// Runs `f(i)` for every `i` in `0..tasks`, across the pool when there is more than one
/// task and more than one thread, else in order on this thread.
pub fn for_each_task(tasks: usize, f: impl Fn(usize) + Sync + Send) {
    match pool() {
        Some(p) if tasks > 1 => share_tasks(&p, tasks, &f),
        _ => (0..tasks).for_each(f),
    }
}

/// `f(i)` for every `i` in `0..tasks`, collected in task order (parallel as above).
pub fn map_tasks<R: Send>(tasks: usize, f: impl Fn(usize) -> R + Sync + Send) -> Vec<R> {
    match pool() {
        Some(p) if tasks > 1 => {
            let slots: Vec<Mutex<Option<R>>> = (0..tasks).map(|_| Mutex::new(None)).collect();
            share_tasks(&p, tasks, &|i| *slots[i].lock() = Some(f(i)));
            slots
                .into_iter()
                .map(|slot| slot.into_inner().expect("every task ran"))
                .collect()
        }
        _ => (0..tasks).map(f).collect(),
    }
}

/// Cuts `dst` into consecutive chunks of `chunk` elements (the last may be shorter) and
/// runs `f(start, chunk)` on each, in parallel as above.
pub fn for_each_chunk_mut<T: Send>(
    dst: &mut [T],
    chunk: usize,
    f: impl Fn(usize, &mut [T]) + Sync + Send,
) {
    chunks_through(dst, chunk, &f)
}

/// `for_each_chunk_mut` behind a trait object and kept out of line: the body of `f` (an
/// elementwise loop, inlined into it) is then compiled once per closure, where calling it
/// from the serial and the pooled paths directly compiled it twice, for every op, dtype
/// and instruction set (a third of the extension's code). One indirect call per chunk.
#[inline(never)]
fn chunks_through<T: Send>(dst: &mut [T], chunk: usize, f: &(dyn Fn(usize, &mut [T]) + Sync)) {
    let chunk = chunk.max(1);
    if dst.len() <= chunk {
        // one chunk (every small op): no pool to look up
        return f(0, dst);
    }
    match pool() {
        Some(p) => {
            let chunks: Vec<Mutex<&mut [T]>> = dst.chunks_mut(chunk).map(Mutex::new).collect();
            share_tasks(&p, chunks.len(), &|i| f(i * chunk, &mut chunks[i].lock()));
        }
        None => dst
            .chunks_mut(chunk)
            .enumerate()
            .for_each(|(i, c)| f(i * chunk, c)),
    }
}

/// Runs `f(i)` for `i` in `0..tasks` on this thread and on up to `threads - 1` of the
/// pool's, each taking the next task from a shared counter until none is left. This
/// thread works from the start, so a worker the OS wakes late (an idle vCPU of a VM can
/// take milliseconds) only leaves its tasks to the others (`region`).
fn share_tasks(p: &rayon::ThreadPool, tasks: usize, f: &(dyn Fn(usize) + Sync)) {
    let helpers = p.current_num_threads().min(tasks - 1);
    region::share_tasks(p, helpers, tasks, f)
}

/// Waiting for another thread's progress: spin hints at first, then the core yielded to
/// whatever else may run on it each time.
#[derive(Default)]
pub(crate) struct Backoff(u32);

impl Backoff {
    pub(crate) fn wait(&mut self) {
        if self.0 < 1 << 12 {
            self.0 += 1;
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// A fresh `Vec` of `n` values filled chunk by chunk (`chunk` elements each, the last may
/// be shorter), in parallel as `for_each_chunk_mut`: `fill(start, slots)` writes the values
/// `start..start + slots.len()` front to back and returns how many it wrote.
pub fn collect_with_chunk<U: Send>(
    n: usize,
    chunk: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<U>]) -> usize + Sync + Send,
) -> Vec<U> {
    let mut out: Vec<U> = crate::tensor::memory_limit::vec_with_capacity(n);
    for_each_chunk_mut(&mut out.spare_capacity_mut()[..n], chunk, |start, c| {
        let written = fill(start, c);
        assert_eq!(
            written,
            c.len(),
            "a parallel map left part of its chunk unwritten"
        );
    });
    // SAFETY: every chunk of the first n slots was written front to back by `fill`, and
    // the assertion above checked each chunk was written whole (a failed one panics before
    // this line, so the Vec is dropped with length 0).
    unsafe { out.set_len(n) };
    out
}

/// The chunk length that cuts `n` elements into `tasks` pieces, rounded up to a multiple
/// of 64 elements so that chunk edges fall on cache lines of the output.
pub fn chunk_len(n: usize, tasks: usize) -> usize {
    n.div_ceil(tasks.max(1)).next_multiple_of(64)
}

/// Serializes the tests (here and in the kernels) that change the global thread count.
#[cfg(test)]
pub(crate) static TEST_LOCK: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// Runs `f` with the thread count set to `n`, restoring the previous count after.
#[cfg(test)]
pub(crate) fn with_threads<R>(n: usize, f: impl FnOnce() -> R) -> R {
    let prev = num_threads();
    set_num_threads(n);
    let r = f();
    set_num_threads(prev);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_rebuilds_the_pool_and_tasks_all_run() {
        let _g = TEST_LOCK.lock();
        for n in [1, 2, 3, 1, 4] {
            with_threads(n, || {
                assert_eq!(num_threads(), n);
                let v = map_tasks(10, |i| i * i);
                assert_eq!(v, (0..10).map(|i| i * i).collect::<Vec<_>>());
                let mut d = vec![0usize; 1000];
                for_each_chunk_mut(&mut d, 64, |s, c| {
                    for (k, x) in c.iter_mut().enumerate() {
                        *x = s + k;
                    }
                });
                assert_eq!(d, (0..1000).collect::<Vec<_>>());
                let hits = AtomicUsize::new(0);
                for_each_task(7, |_| {
                    hits.fetch_add(1, Ordering::Relaxed);
                });
                assert_eq!(hits.load(Ordering::Relaxed), 7);
            });
        }
    }

    #[test]
    fn a_region_of_n_threads_runs_on_the_caller_and_n_minus_1_pool_threads() {
        let _g = TEST_LOCK.lock();
        for n in [2, 3] {
            with_threads(n, || {
                let p = pool().expect("a pool");
                assert_eq!(p.current_num_threads(), n - 1);
                let seen = Mutex::new(std::collections::HashSet::new());
                for_each_task(64, |_| {
                    seen.lock().insert(std::thread::current().id());
                    std::thread::sleep(std::time::Duration::from_micros(200));
                });
                let seen = seen.into_inner();
                assert!(seen.len() <= n && seen.contains(&std::thread::current().id()));
            });
        }
        assert_eq!(pool_threads_for(1), 0);
        assert_eq!(pool_threads_for(usize::MAX), MAX_POOL_THREADS);
    }

    #[test]
    fn task_counts_stay_serial_below_the_minimum() {
        let _g = TEST_LOCK.lock();
        with_threads(2, || {
            assert_eq!(task_count(100, 64), 1);
            assert!(task_count(1 << 20, 1 << 10) > 1);
            assert!(task_count(1 << 20, 1 << 10) <= 8);
        });
        with_threads(1, || assert_eq!(task_count(1 << 20, 1), 1));
        assert_eq!(chunk_len(1000, 2), 512);
        assert_eq!(chunk_len(1, 4), 64);
    }

    #[test]
    fn a_region_returns_without_waiting_for_busy_pool_threads() {
        let _g = TEST_LOCK.lock();
        with_threads(2, || {
            let p = pool().expect("a pool of two threads");
            // every pool thread blocked until the region has returned
            let (release, blocked) = std::sync::mpsc::channel::<()>();
            let blocked = Arc::new(Mutex::new(blocked));
            for _ in 0..p.current_num_threads() {
                let blocked = blocked.clone();
                p.spawn(move || {
                    let _ = blocked
                        .lock()
                        .recv_timeout(std::time::Duration::from_secs(30));
                });
            }
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let hits = AtomicUsize::new(0);
                for_each_task(16, |_| {
                    hits.fetch_add(1, Ordering::Relaxed);
                });
                let _ = done.send(hits.load(Ordering::Relaxed));
            });
            let ran = finished.recv_timeout(std::time::Duration::from_secs(10));
            for _ in 0..p.current_num_threads() {
                let _ = release.send(());
            }
            assert_eq!(
                ran,
                Ok(16),
                "the caller waited for a pool thread that never came"
            );
        });
    }

    #[test]
    fn a_panic_on_a_pool_thread_reaches_the_caller() {
        let _g = TEST_LOCK.lock();
        with_threads(2, || {
            let helped = AtomicBool::new(false);
            let r = std::panic::catch_unwind(|| {
                for_each_task(8, |_| {
                    if rayon::current_thread_index().is_some() {
                        helped.store(true, Ordering::Relaxed);
                        panic!("boom on a pool thread");
                    }
                    // the caller holds its task until a pool thread has taken one
                    let t = std::time::Instant::now();
                    while !helped.load(Ordering::Relaxed) && t.elapsed().as_secs() < 10 {
                        std::hint::spin_loop();
                    }
                })
            });
            assert!(helped.load(Ordering::Relaxed));
            assert!(r.is_err());
        });
    }

    #[test]
    fn panics_in_tasks_reach_the_caller() {
        let _g = TEST_LOCK.lock();
        with_threads(2, || {
            let r = std::panic::catch_unwind(|| for_each_task(4, |i| assert!(i != 3, "boom")));
            assert!(r.is_err());
        });
    }
}
