//! A threaded product in one parallel region. Every block of B contributes tasks to one
//! shared counter: first the packing of its panels (a few panels each), then the
//! rectangles of C it serves. So the threads meet once per product instead of once per
//! block, the packing is shared out instead of done by the caller alone while the others
//! wait, and a thread done with one block's rectangles packs the next block while the
//! others finish theirs. Blocks alternate between two packed buffers.
//!
//! Tasks are handed out in order, and a task only waits for tasks handed out before it:
//! a rectangle for its block's packing and for the same rectangle of the previous
//! k-block (which its tiles add to), a packing for the rectangles of the block that last
//! used its buffer. Each of those was taken by a thread that is running it, and the
//! earliest unfinished task never waits, so the region always finishes, also when a pool
//! thread starts late or never and the caller runs every task itself.
//!
//! The tiles and their k-blocks are those of the one-thread loop, so are the bits.

use super::driver::{
    aligned, direct_columns, join_of, sweep, Block, Buffers, Operand, Output, Sizes, MC, NC,
};
use super::k_block;
use super::micro::{Join, MR, NR};
use super::pack::panels;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

thread_local! {
    /// Packed A rows of the rectangles a pool thread (or the caller) runs.
    static ITEM_A: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// B panels packed per task.
const PANELS_PER_PACK: usize = 4;

/// Rectangles per thread a block is cut into.
const TASKS_PER_THREAD: usize = 4;

/// A block's C cut into rectangles for `threads` threads: rows in multiples of `MR`, and
/// columns in multiples of `NR` when there are too few row bands to go round. Several per
/// thread, so a thread whose core is busy elsewhere leaves its share to the others
/// instead of holding up the whole product.
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
                .next_multiple_of(NR)
                .max(4 * NR)
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
    fn item(&self, t: usize) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let per_row = self.nc.div_ceil(self.col_step);
        let (r, q) = (t / per_row * self.row_step, t % per_row * self.col_step);
        (
            r..(r + self.row_step).min(self.m),
            q..(q + self.col_step).min(self.nc),
        )
    }
}

/// One `kc×nc` block of B and its tasks.
struct Step {
    jc: usize,
    nc: usize,
    pc: usize,
    kc: usize,
    /// The first k-block of its columns: its tiles overwrite (or scale) C; the others
    /// add to what the previous k-block left.
    first_k: bool,
    join: Join,
    direct: usize,
    grid: Grid,
    /// Packing tasks, then `grid.items()` rectangles, from task `start` on.
    packs: usize,
    start: usize,
    /// Where its rectangles' "done" flags start.
    flags: usize,
    /// Packing tasks finished, rectangles finished.
    packed: AtomicUsize,
    done: AtomicUsize,
}

impl Step {
    fn panels(&self) -> usize {
        (self.nc - self.direct).div_ceil(NR)
    }
}

/// Spins (then yields) until `ready()`.
fn wait_until(ready: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !ready() {
        if spins < 1 << 12 {
            spins += 1;
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// The blocks of the product in the one-thread loop's order, and the task count.
fn plan(s: Sizes, b: Operand, beta: f32, threads: usize) -> (Vec<Step>, usize, usize) {
    let Sizes { m, k, n } = s;
    let kb = k_block(k);
    let (mut steps, mut tasks, mut flags) = (Vec::new(), 0, 0);
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        let direct = direct_columns(s, b, nc);
        let grid = Grid::new(m, nc, threads);
        for (nr, pc) in (0..k).step_by(kb).enumerate() {
            let mut step = Step {
                jc,
                nc,
                pc,
                kc: kb.min(k - pc),
                first_k: nr == 0,
                join: join_of(nr, beta),
                direct,
                grid,
                packs: 0,
                start: tasks,
                flags,
                packed: AtomicUsize::new(0),
                done: AtomicUsize::new(0),
            };
            step.packs = step.panels().div_ceil(PANELS_PER_PACK);
            tasks += step.packs + grid.items();
            flags += grid.items();
            steps.push(step);
        }
    }
    (steps, tasks, flags)
}

/// The packed buffers' base, shared by the tasks.
#[derive(Clone, Copy)]
struct Packed(*mut f32);

// SAFETY: the tasks write disjoint panels of the buffers, and read a block's panels only
// after its packing tasks have finished (the `packed` count, Release/Acquire).
unsafe impl Sync for Packed {}
// SAFETY: as above.
unsafe impl Send for Packed {}

impl Packed {
    /// The buffer of block `i`: half `i % 2` of the `2·per_buffer` floats.
    ///
    /// # Safety
    /// The base points to `2·per_buffer` floats.
    unsafe fn of_block(&self, i: usize, per_buffer: usize) -> *mut f32 {
        // SAFETY: `i % 2 · per_buffer` floats in, inside the allocation.
        unsafe { self.0.add(i % 2 * per_buffer) }
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
    let (steps, tasks, flags) = plan(s, b, beta, threads);
    let per_buffer = steps
        .iter()
        .map(|st| st.panels() * NR * st.kc)
        .max()
        .unwrap_or(0)
        .next_multiple_of(16);
    let packed = Packed(aligned(&mut bufs.b, 2 * per_buffer).as_mut_ptr());
    let rect_done: Vec<AtomicBool> = (0..flags).map(|_| AtomicBool::new(false)).collect();
    let run = |t: usize| {
        let i = steps.partition_point(|st| st.start <= t) - 1;
        let st = &steps[i];
        // SAFETY: `packed` holds the two buffers.
        let buffer = unsafe { packed.of_block(i, per_buffer) };
        let local = t - st.start;
        if local < st.packs {
            if i >= 2 {
                let last = &steps[i - 2];
                wait_until(|| last.done.load(Ordering::Acquire) == last.grid.items());
            }
            let first = local * PANELS_PER_PACK;
            let count = PANELS_PER_PACK.min(st.panels() - first);
            let col = st.direct + first * NR;
            let cols = (count * NR).min(st.nc - col);
            // SAFETY: panels first..first + count of this block's buffer, which no other
            // task writes, and nobody reads until every packing task of the block is done;
            // the block of B they read lies inside B.
            unsafe {
                let dst = std::slice::from_raw_parts_mut(
                    buffer.add(first * NR * st.kc),
                    count * NR * st.kc,
                );
                panels::<NR>(cols, st.kc, b.at(st.pc, st.jc + col), b.cs, b.rs, dst);
            }
            st.packed.fetch_add(1, Ordering::Release);
            return;
        }
        let rect = local - st.packs;
        wait_until(|| st.packed.load(Ordering::Acquire) == st.packs);
        if !st.first_k {
            let before = &rect_done[steps[i - 1].flags + rect];
            wait_until(|| before.load(Ordering::Acquire));
        }
        let (rows, cols) = st.grid.item(rect);
        let block = Block {
            kc: st.kc,
            pc: st.pc,
            jc: st.jc,
            direct: st.direct,
            packed_b: buffer,
            join: st.join,
        };
        ITEM_A.with(|abuf| {
            // SAFETY: the rectangles of a block are disjoint parts of its C, joined in
            // k-block order (the wait above); the block's packed panels are complete.
            unsafe { sweep(&block, alpha, a, b, c, rows, cols, &mut abuf.borrow_mut()) };
        });
        rect_done[st.flags + rect].store(true, Ordering::Release);
        st.done.fetch_add(1, Ordering::Release);
    };
    crate::parallel::for_each_task(tasks, run);
}
