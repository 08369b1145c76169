//! A threaded product in which no task waits for another. Each task is a rectangle of C
//! over all of k (its k-blocks in order, as the one-thread loop adds them), taken from one
//! counter; so the only time a thread waits is at the region's end, for the last task a
//! slower thread still holds. A thread whose core is busy elsewhere (another process, or
//! OpenBLAS's worker spinning after NumPy's threaded call) costs the product at most the
//! tasks it took, never the others' progress.
//!
//! The packed blocks of B are shared: each block has its own slot (up to
//! `SHARED_B_MAX` floats in all, then slots are reused), packed a group of panels at a
//! time by whichever task first claims the group. A task that finds a group claimed but
//! not yet packed, or its slot still in use by an earlier block, packs its own copy of
//! that group instead of waiting.
//!
//! The tiles and their k-blocks are those of the one-thread loop, so are the bits.

use super::driver::{
    aligned, direct_columns, join_of, sweep, Block, Buffers, Operand, Output, Sizes, GROUPS,
    GROUP_PANELS, MC, NC,
};
use super::k_block;
use super::micro::{MR, NR};
use super::pack::panels;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// A task's packed A rows and its own copies of B's groups.
#[derive(Default)]
struct Scratch {
    a: Vec<f32>,
    b: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Rectangles per thread C's columns of one block are cut into.
const TASKS_PER_THREAD: usize = 8;

/// The most floats of packed B a product keeps for sharing (16 MB): past it, blocks reuse
/// the slots of blocks whose columns are done. Far fewer in the unit tests, whose products
/// then also reuse slots and pack their own copies.
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

/// `NC` columns of C and B (the last may be narrower) and their tasks.
struct Column {
    jc: usize,
    nc: usize,
    direct: usize,
    grid: Grid,
    /// Its first task.
    start: usize,
    /// Its tasks finished.
    done: AtomicUsize,
}

impl Column {
    /// Packed panels per block.
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

/// The product's columns in the one-thread loop's order, and the task count.
fn plan(s: Sizes, b: Operand, threads: usize) -> (Vec<Column>, usize) {
    let (mut columns, mut tasks) = (Vec::new(), 0);
    for jc in (0..s.n).step_by(NC) {
        let nc = NC.min(s.n - jc);
        let grid = Grid::new(s.m, nc, threads);
        columns.push(Column {
            jc,
            nc,
            direct: direct_columns(s, b, nc),
            grid,
            start: tasks,
            done: AtomicUsize::new(0),
        });
        tasks += grid.items();
    }
    (columns, tasks)
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
// could read it has finished (the columns' `done` counts, Release/Acquire).
unsafe impl Sync for Slots {}
// SAFETY: as above.
unsafe impl Send for Slots {}

/// How the tasks of one product find and pack B's blocks.
struct Shared<'a> {
    columns: &'a [Column],
    k: usize,
    kb: usize,
    steps: usize,
    slots: Slots,
    /// Per block, per group: `UNPACKED`, `PACKING` or `PACKED`.
    states: Vec<AtomicU8>,
    b: Operand,
}

impl Shared<'_> {
    /// Whether block `i`'s slot may be written: no earlier block that used it can still
    /// be read (their columns are all done).
    fn slot_free(&self, i: usize) -> bool {
        i < self.slots.count
            || self.columns[..=(i - self.slots.count) / self.steps]
                .iter()
                .all(Column::finished)
    }

    /// Packs group `g` of block (`col`, step `step`) into `base`, laid out as a whole
    /// packed block.
    ///
    /// # Safety
    /// `base` holds a packed block of this size, and nobody else reads or writes that
    /// group of it meanwhile.
    unsafe fn pack_group(&self, col: &Column, step: usize, g: usize, base: *mut f32) {
        let (pc, kc) = self.k_range(step);
        let first = g * GROUP_PANELS;
        let count = GROUP_PANELS.min(col.panels() - first);
        let at = col.direct + first * NR;
        let cols = (count * NR).min(col.nc - at);
        // SAFETY: panels first..first + count of the block, inside `base` (the caller's
        // promise); the part of B they read lies inside B.
        unsafe {
            let dst = std::slice::from_raw_parts_mut(base.add(first * NR * kc), count * NR * kc);
            panels::<NR>(
                cols,
                kc,
                self.b.at(pc, col.jc + at),
                self.b.cs,
                self.b.rs,
                dst,
            );
        }
    }

    /// The first row of B and the length of k-block `step`.
    fn k_range(&self, step: usize) -> (usize, usize) {
        let pc = step * self.kb;
        (pc, self.kb.min(self.k - pc))
    }

    /// Where each of `groups` of block (`ci`, `step`) is packed: in the shared slot when
    /// it is (or this call packs it there), else in `own`, packed here.
    ///
    /// # Safety
    /// `own` holds a packed block of this size that nothing else uses meanwhile.
    unsafe fn packed_groups(
        &self,
        ci: usize,
        step: usize,
        groups: Range<usize>,
        own: *mut f32,
    ) -> [*const f32; GROUPS] {
        let col = &self.columns[ci];
        let i = ci * self.steps + step;
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
                unsafe { self.pack_group(col, step, g, slot) };
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
                unsafe { self.pack_group(col, step, g, own) };
                bases[g] = own;
            }
        }
        bases
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
    let (columns, tasks) = plan(s, b, threads);
    let kb = k_block(s.k);
    let steps = s.k.div_ceil(kb);
    let per_slot = columns
        .iter()
        .map(|col| col.panels() * NR * kb)
        .max()
        .unwrap_or(0)
        .next_multiple_of(16)
        .max(16);
    let blocks = columns.len() * steps;
    let count = (SHARED_B_MAX / per_slot).clamp(1, blocks);
    let shared = Shared {
        columns: &columns,
        k: s.k,
        kb,
        steps,
        slots: Slots {
            base: aligned(&mut bufs.b, count * per_slot).as_mut_ptr(),
            per_slot,
            count,
        },
        states: (0..blocks * GROUPS)
            .map(|_| AtomicU8::new(UNPACKED))
            .collect(),
        b,
    };
    let run = |t: usize| {
        let ci = columns.partition_point(|col| col.start <= t) - 1;
        let col = &columns[ci];
        let (rows, cols) = col.grid.item(t - col.start);
        let groups = col.groups_of(&cols);
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            let own = aligned(&mut scratch.b, per_slot).as_mut_ptr();
            for step in 0..steps {
                let (pc, kc) = shared.k_range(step);
                // SAFETY: `own` is this thread's scratch, a whole packed block long.
                let packed_b = unsafe { shared.packed_groups(ci, step, groups.clone(), own) };
                let block = Block {
                    kc,
                    pc,
                    jc: col.jc,
                    direct: col.direct,
                    packed_b,
                    join: join_of(step, beta),
                };
                // SAFETY: the rectangles are disjoint parts of C, each joined by one task
                // in k-block order; the groups its columns need are packed.
                unsafe {
                    sweep(
                        &block,
                        alpha,
                        a,
                        b,
                        c,
                        rows.clone(),
                        cols.clone(),
                        &mut scratch.a,
                    )
                };
            }
        });
        col.done.fetch_add(1, Ordering::Release);
    };
    crate::parallel::for_each_task(tasks, run);
}
