//! A threaded product in which a task never waits for a task a slower thread holds while
//! another is ready. The tasks are the rectangles of C of each `kc×nc` block of B, in the
//! one-thread loop's order (block by block, so a block stays in the cores' caches while
//! they share it); a rectangle is ready once the same rectangle of the previous k-block
//! (which its tiles add to) is done. Each thread claims the first ready task it finds,
//! skipping those that wait, so a thread whose core is busy elsewhere (another process,
//! or OpenBLAS's worker spinning after NumPy's threaded call) holds up only the k-blocks
//! after the rectangle it holds, never the rest of the product.
//!
//! The packed blocks of B are shared: each block has its own slot (up to `SHARED_B_MAX`
//! floats in all, then slots are reused), packed a group of panels at a time by whichever
//! task first claims the group. A task that finds a group claimed but not yet packed, or
//! its slot still in use by an earlier block, packs its own copy of that group instead of
//! waiting.
//!
//! The earliest unclaimed task is always ready or waits only for running tasks, so the
//! region finishes, also when a pool thread starts late or never and the caller runs every
//! task itself. The tiles and their k-blocks are those of the one-thread loop, so are the
//! bits.

use super::driver::{
    aligned, direct_columns, join_of, sweep, Block, Buffers, Operand, Output, Sizes, GROUPS,
    GROUP_PANELS, MC, NC,
};
use super::k_block;
use super::micro::{MR, NR};
use super::pack::panels;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

/// A task's packed A rows and its own copies of B's groups.
#[derive(Default)]
struct Scratch {
    a: Vec<f32>,
    b: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Rectangles per thread a block is cut into.
const TASKS_PER_THREAD: usize = 4;

/// The most floats of packed B a product keeps for sharing (16 MB): past it, blocks reuse
/// the slots of earlier blocks whose rectangles are all done. Far fewer in the unit tests,
/// whose products then also reuse slots and pack their own copies.
const SHARED_B_MAX: usize = if cfg!(test) { 1 << 18 } else { 1 << 22 };

/// A group's state in its block's slot.
const UNPACKED: u8 = 0;
const PACKING: u8 = 1;
const PACKED: u8 = 2;

/// A block's C cut into rectangles for `threads` threads: rows in multiples of `MR`, and
/// columns in whole groups of panels when there are too few row bands to go round.
#[derive(Clone, Copy)]
struct Grid {
    m: usize,
    nc: usize,
    row_step: usize,
    col_step: usize,
}

impl Grid {
    fn new(m: usize, nc: usize, threads: usize) -> Grid {
        let want = threads * TASKS_PER_THREAD;
        let row_step = m.div_ceil(want).next_multiple_of(MR).clamp(4 * MR, MC);
        let row_bands = m.div_ceil(row_step);
        let col_step = if row_bands >= want {
            nc
        } else {
            nc.div_ceil(want.div_ceil(row_bands))
                .next_multiple_of(GROUP_PANELS * NR)
        };
        Grid {
            m,
            nc,
            row_step,
            col_step,
        }
    }

    fn items(&self) -> usize {
        self.m.div_ceil(self.row_step) * self.nc.div_ceil(self.col_step)
    }

    /// Rectangle `t`'s rows of C and columns of the block.
    fn item(&self, t: usize) -> (Range<usize>, Range<usize>) {
        let per_row = self.nc.div_ceil(self.col_step);
        let (r, q) = (t / per_row * self.row_step, t % per_row * self.col_step);
        (
            r..(r + self.row_step).min(self.m),
            q..(q + self.col_step).min(self.nc),
        )
    }
}

/// One `kc×nc` block of B and its rectangles of C.
struct Step {
    jc: usize,
    nc: usize,
    pc: usize,
    kc: usize,
    /// The first k-block of its columns: its tiles overwrite (or scale) C; the others
    /// add to what the previous k-block left.
    first_k: bool,
    direct: usize,
    grid: Grid,
    /// Its first task.
    start: usize,
    /// Its rectangles finished.
    done: AtomicUsize,
}

impl Step {
    /// Packed panels in the block.
    fn panels(&self) -> usize {
        (self.nc - self.direct).div_ceil(NR)
    }

    fn finished(&self) -> bool {
        self.done.load(Ordering::Acquire) == self.grid.items()
    }

    /// The groups holding the packed panels of the block's columns `cols`.
    fn groups_of(&self, cols: &Range<usize>) -> Range<usize> {
        let first = cols.start.saturating_sub(self.direct) / NR;
        let end = cols.end.saturating_sub(self.direct).div_ceil(NR);
        first / GROUP_PANELS..end.div_ceil(GROUP_PANELS).max(first / GROUP_PANELS)
    }
}

/// The blocks of the product in the one-thread loop's order, and the task count.
fn plan(s: Sizes, b: Operand, threads: usize) -> (Vec<Step>, usize) {
    let kb = k_block(s.k);
    let (mut steps, mut tasks) = (Vec::new(), 0);
    for jc in (0..s.n).step_by(NC) {
        let nc = NC.min(s.n - jc);
        let grid = Grid::new(s.m, nc, threads);
        let direct = direct_columns(s, b, nc);
        for pc in (0..s.k).step_by(kb) {
            steps.push(Step {
                jc,
                nc,
                pc,
                kc: kb.min(s.k - pc),
                first_k: pc == 0,
                direct,
                grid,
                start: tasks,
                done: AtomicUsize::new(0),
            });
            tasks += grid.items();
        }
    }
    (steps, tasks)
}

/// The shared slots' base, shared by the tasks.
#[derive(Clone, Copy)]
struct Slots {
    base: *mut f32,
    per_slot: usize,
    count: usize,
}

// SAFETY: a group of a slot is written by the one task that claimed it (PACKING), and read
// only after it is PACKED (Release/Acquire); a slot is reused only once every task that
// could read it has finished (the blocks' `done` counts, Release/Acquire).
unsafe impl Sync for Slots {}
// SAFETY: as above.
unsafe impl Send for Slots {}

/// How the tasks of one product find and pack B's blocks.
struct Shared<'a> {
    steps: &'a [Step],
    slots: Slots,
    /// Per block, per group: `UNPACKED`, `PACKING` or `PACKED`.
    states: Vec<AtomicU8>,
    b: Operand,
}

impl Shared<'_> {
    /// Whether block `i`'s slot may be written: every earlier block that used it is done.
    fn slot_free(&self, i: usize) -> bool {
        let count = self.slots.count;
        (i % count..i)
            .step_by(count)
            .all(|j| self.steps[j].finished())
    }

    /// Packs group `g` of block `i` into `base`, laid out as a whole packed block.
    ///
    /// # Safety
    /// `base` holds a packed block of this size, and nobody else reads or writes that
    /// group of it meanwhile.
    unsafe fn pack_group(&self, i: usize, g: usize, base: *mut f32) {
        let st = &self.steps[i];
        let first = g * GROUP_PANELS;
        let count = GROUP_PANELS.min(st.panels() - first);
        let at = st.direct + first * NR;
        let cols = (count * NR).min(st.nc - at);
        // SAFETY: panels first..first + count of the block, inside `base` (the caller's
        // promise); the part of B they read lies inside B.
        unsafe {
            let dst =
                std::slice::from_raw_parts_mut(base.add(first * NR * st.kc), count * NR * st.kc);
            panels::<NR>(
                cols,
                st.kc,
                self.b.at(st.pc, st.jc + at),
                self.b.cs,
                self.b.rs,
                dst,
            );
        }
    }

    /// Where each of `groups` of block `i` is packed: in the shared slot when it is (or
    /// this call packs it there), else in `own`, packed here.
    ///
    /// # Safety
    /// `own` holds a packed block of this size that nothing else uses meanwhile.
    unsafe fn packed_groups(
        &self,
        i: usize,
        groups: Range<usize>,
        own: *mut f32,
    ) -> [*const f32; GROUPS] {
        // SAFETY: slot `i % count` is one of the `count` slots.
        let slot = unsafe {
            self.slots
                .base
                .add(i % self.slots.count * self.slots.per_slot)
        };
        let free = self.slot_free(i);
        let mut bases = [std::ptr::null::<f32>(); GROUPS];
        let mut pending = [false; GROUPS];
        for g in groups.clone() {
            let state = &self.states[i * GROUPS + g];
            if state.load(Ordering::Acquire) == PACKED {
                bases[g] = slot;
            } else if free
                && state
                    .compare_exchange(UNPACKED, PACKING, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                // SAFETY: this task claimed the group; the slot is free (no reader left).
                unsafe { self.pack_group(i, g, slot) };
                state.store(PACKED, Ordering::Release);
                bases[g] = slot;
            } else {
                pending[g] = true;
            }
        }
        for g in groups.filter(|&g| pending[g]) {
            if self.states[i * GROUPS + g].load(Ordering::Acquire) == PACKED {
                bases[g] = slot;
            } else {
                // SAFETY: `own` is this task's (the caller's promise).
                unsafe { self.pack_group(i, g, own) };
                bases[g] = own;
            }
        }
        bases
    }
}

/// Which tasks are claimed and done, and the first that may still be unclaimed.
struct Board {
    claimed: Vec<AtomicBool>,
    done: Vec<AtomicBool>,
    first_open: AtomicUsize,
}

impl Board {
    fn new(tasks: usize) -> Board {
        Board {
            claimed: (0..tasks).map(|_| AtomicBool::new(false)).collect(),
            done: (0..tasks).map(|_| AtomicBool::new(false)).collect(),
            first_open: AtomicUsize::new(0),
        }
    }

    /// Claims the first unclaimed task that `ready` accepts; `None` once every task is
    /// claimed. Waits (spinning, then yielding) only while every unclaimed task waits.
    fn claim(&self, ready: impl Fn(usize) -> bool) -> Option<usize> {
        let mut backoff = crate::parallel::Backoff::default();
        loop {
            let mut open = false;
            let mut t = self.first_open.load(Ordering::Relaxed);
            while t < self.claimed.len() {
                if self.claimed[t].load(Ordering::Relaxed) {
                    if !open {
                        self.first_open.fetch_max(t + 1, Ordering::Relaxed);
                    }
                } else {
                    open = true;
                    if ready(t) && !self.claimed[t].swap(true, Ordering::Acquire) {
                        return Some(t);
                    }
                }
                t += 1;
            }
            if !open {
                return None;
            }
            backoff.wait();
        }
    }
}

/// `super::driver::blocked` on `threads` threads of the pool.
///
/// # Safety
/// The CPU has AVX-512F; m, n, k > 0 and the operands are as `gemm`'s caller promised.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn blocked(
    s: Sizes,
    alpha: f32,
    a: Operand,
    b: Operand,
    beta: f32,
    c: Output,
    bufs: &mut Buffers,
    threads: usize,
) {
    let (steps, tasks) = plan(s, b, threads);
    let per_slot = steps
        .iter()
        .map(|st| st.panels() * NR * st.kc)
        .max()
        .unwrap_or(0)
        .next_multiple_of(16)
        .max(16);
    let count = (SHARED_B_MAX / per_slot).clamp(1, steps.len());
    let shared = Shared {
        steps: &steps,
        slots: Slots {
            base: aligned(&mut bufs.b, count * per_slot).as_mut_ptr(),
            per_slot,
            count,
        },
        states: (0..steps.len() * GROUPS)
            .map(|_| AtomicU8::new(UNPACKED))
            .collect(),
        b,
    };
    let board = Board::new(tasks);
    let block_of = |t: usize| steps.partition_point(|st| st.start <= t) - 1;
    // the same rectangle of the previous k-block, which this one adds to
    let before = |t: usize| {
        let i = block_of(t);
        (!steps[i].first_k).then(|| steps[i - 1].start + (t - steps[i].start))
    };
    let ready = |t: usize| before(t).is_none_or(|p| board.done[p].load(Ordering::Acquire));
    let run = |t: usize, scratch: &mut Scratch, own: *mut f32| {
        let i = block_of(t);
        let st = &steps[i];
        let (rows, cols) = st.grid.item(t - st.start);
        // SAFETY: `own` is this thread's scratch, a whole packed block long.
        let packed_b = unsafe { shared.packed_groups(i, st.groups_of(&cols), own) };
        let block = Block {
            kc: st.kc,
            pc: st.pc,
            jc: st.jc,
            direct: st.direct,
            packed_b,
            join: join_of(usize::from(!st.first_k), beta),
        };
        // SAFETY: the rectangles of a block are disjoint parts of C, joined in k-block
        // order (`ready`); the groups its columns need are packed.
        unsafe { sweep(&block, alpha, a, b, c, rows, cols, &mut scratch.a) };
        board.done[t].store(true, Ordering::Release);
        st.done.fetch_add(1, Ordering::Release);
    };
    crate::parallel::for_each_task(threads, |_| {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            let own = aligned(&mut scratch.b, per_slot).as_mut_ptr();
            while let Some(t) = board.claim(ready) {
                run(t, scratch, own);
            }
        });
    });
}
