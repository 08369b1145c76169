//! Float32 sums over any dims of a strided tensor with PyTorch's rounding: the walk of
//! `reduce_walk`, and per block the body of PyTorch's CPU `cascade_sum` (SumKernel.cpp),
//! which picks one of four loops by the block's strides. A column of a block is summed
//! either as one cascade down its rows ("plain": the 32-column vector groups and the
//! 4-column scalar groups) or as `row_sum`'s four interleaved cascades ("interleaved":
//! the remaining columns, and blocks whose reduced dim is the inner one).
//!
//! PyTorch walks the rows of a 32-column group before moving to the next group; here the
//! rows are read in memory order through bands of columns, each column keeping its own
//! cascade levels, so every column sees the same additions in the same order.

use super::cascade_sum::{ceil_log2, multi_row_sum, row_sum, run_sum, ILP, LANES, LEVELS};
use super::reduce_walk::{self, Block, Strided};
use super::vmath::{level, Level};

/// Columns summed plainly per vector group (`nrows * Vectorized<float>::size()`).
const VECTOR_GROUP: usize = ILP * LANES;
/// Columns whose cascade levels are kept at once by the row-ordered walk.
const BAND: usize = 4096;

type Input<'a> = Strided<'a, f32>;

/// The sums of `data` (a tensor of `shape` and `strides` in elements, from `offset`) over
/// the dims marked in `reduced`, contiguous over the kept dims, as PyTorch computes them
/// with `threads` intra-op threads.
pub fn sum_dims_f32(
    data: &[f32],
    offset: usize,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    threads: usize,
) -> Vec<f32> {
    let x = Strided {
        data,
        offset: offset as isize,
    };
    reduce_walk::reduce(&x, shape, strides, reduced, threads, 0.0, &sum_block)
}

/// One block: outputs (`output + j * out_stride`) receive `+=` the sums of their rows.
fn sum_block(x: &Input, b: &Block, out: &mut [f32]) {
    let [mut size0, mut size1] = b.sizes;
    let [mut in0, mut in1] = b.input_strides;
    let [mut out0, mut out1] = b.output_strides;
    // the reduced dim first
    if out0 != 0 && out1 == 0 {
        std::mem::swap(&mut size0, &mut size1);
        std::mem::swap(&mut in0, &mut in1);
        std::mem::swap(&mut out0, &mut out1);
    }
    let slot = |j: usize| (b.output + j as isize * out1) as usize;
    let column = |j: usize| b.input + j as isize * in1;
    if out0 != 0 && out1 != 0 {
        // nothing reduced here: each output adds its one element
        for j in 0..size1 {
            for i in 0..size0 {
                let o = (b.output + j as isize * out1 + i as isize * out0) as usize;
                out[o] += x.at(column(j) + i as isize * in0);
            }
        }
        return;
    }
    let add = |a: f32, v: f32| a + v;
    if in0 == 1 && size0 >= LANES {
        for j in 0..size1 {
            out[slot(j)] += run_sum(x.run(column(j), size0));
        }
    } else if in1 == 1 && size1 >= LANES {
        let plain = size1 / VECTOR_GROUP * VECTOR_GROUP;
        let mut store = |j: usize, v: f32| out[slot(j)] += v;
        let rows = Rows {
            x,
            first: b.input,
            stride: in0,
            count: size0,
        };
        rows.cascade_columns(0, plain, Interleave::Plain, &mut store);
        rows.cascade_columns(plain, size1, Interleave::Four, &mut store);
    } else if in0 < in1 {
        for j in 0..size1 {
            let c = column(j);
            out[slot(j)] += row_sum(size0, |i| x.at(c + i as isize * in0), 0.0, add);
        }
    } else {
        let mut j = 0;
        while j + ILP <= size1 {
            let sums = multi_row_sum(
                size0,
                |i, k| x.at(column(j + k) + i as isize * in0),
                0.0,
                &add,
            );
            for (k, s) in sums.into_iter().enumerate() {
                out[slot(j + k)] += s;
            }
            j += ILP;
        }
        for j in j..size1 {
            let c = column(j);
            out[slot(j)] += row_sum(size0, |i| x.at(c + i as isize * in0), 0.0, add);
        }
    }
}

/// Whether a column is one cascade down its rows or `row_sum`'s four interleaved ones.
#[derive(Clone, Copy, PartialEq)]
enum Interleave {
    Plain,
    Four,
}

/// The rows of a block whose columns are contiguous.
struct Rows<'a> {
    x: &'a Input<'a>,
    first: isize,
    stride: isize,
    count: usize,
}

impl Rows<'_> {
    /// The sums of columns `begin..end`, band by band, handed to `store(column, sum)`.
    fn cascade_columns(
        &self,
        begin: usize,
        end: usize,
        interleave: Interleave,
        store: &mut impl FnMut(usize, f32),
    ) {
        let mut c0 = begin;
        while c0 < end {
            let width = (end - c0).min(BAND);
            let sums = self.band(c0, width, interleave);
            for (k, s) in sums.into_iter().enumerate() {
                store(c0 + k, s);
            }
            c0 += width;
        }
    }

    #[inline(always)]
    fn row(&self, r: usize, c0: usize, width: usize) -> &[f32] {
        self.x
            .run(self.first + r as isize * self.stride + c0 as isize, width)
    }

    /// One band: `ways` cascades per column (row `r` feeds cascade `r % ways`) over the
    /// first `ways * (count / ways)` rows, then the rows left over added to the first
    /// cascade, then the others added to it in order.
    fn band(&self, c0: usize, width: usize, interleave: Interleave) -> Vec<f32> {
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
            fn avx512(rows: &Rows, c0: usize, width: usize, interleave: Interleave) -> Vec<f32> {
                rows.band_body(c0, width, interleave)
            }
            #[target_feature(enable = "avx2,fma")]
            fn avx2(rows: &Rows, c0: usize, width: usize, interleave: Interleave) -> Vec<f32> {
                rows.band_body(c0, width, interleave)
            }
            match level() {
                // SAFETY: a level other than Portable comes from `vmath::detect`, which
                // found every feature these functions enable.
                Level::Avx512 => return unsafe { avx512(self, c0, width, interleave) },
                // SAFETY: as above.
                Level::Avx2Fma => return unsafe { avx2(self, c0, width, interleave) },
                Level::Portable => {}
            }
        }
        self.band_body(c0, width, interleave)
    }

    #[inline(always)]
    fn band_body(&self, c0: usize, width: usize, interleave: Interleave) -> Vec<f32> {
        let ways = match interleave {
            Interleave::Plain => 1,
            Interleave::Four => ILP,
        };
        let steps = self.count / ways;
        let mut cascades: Vec<Cascade> = (0..ways).map(|_| Cascade::new(steps, width)).collect();
        for s in 0..steps {
            for (k, cascade) in cascades.iter_mut().enumerate() {
                cascade.add_row(self.row(s * ways + k, c0, width));
            }
            for cascade in &mut cascades {
                cascade.after_step(s + 1);
            }
        }
        let mut first = cascades.remove(0).total();
        for r in steps * ways..self.count {
            add_into(&mut first, self.row(r, c0, width));
        }
        for other in cascades {
            add_into(&mut first, &other.total());
        }
        first
    }
}

/// `multi_row_sum`'s levels for a band of columns: level 0 takes `2^p` steps, then is
/// added into level 1, which is added into level 2 every `2^p` such carries, and so on.
struct Cascade {
    levels: [Vec<f32>; LEVELS],
    power: u32,
}

impl Cascade {
    fn new(steps: usize, width: usize) -> Self {
        Cascade {
            levels: std::array::from_fn(|_| vec![0.0; width]),
            power: 4.max(ceil_log2(steps) / LEVELS as u32),
        }
    }

    #[inline(always)]
    fn add_row(&mut self, row: &[f32]) {
        add_into(&mut self.levels[0], row);
    }

    /// After step `done` (counted from 1): carry up the levels whose block just filled.
    #[inline(always)]
    fn after_step(&mut self, done: usize) {
        let mask = (1usize << self.power) - 1;
        if done & mask != 0 {
            return;
        }
        for j in 1..LEVELS {
            let (lower, upper) = self.levels.split_at_mut(j);
            add_into(&mut upper[0], &lower[j - 1]);
            lower[j - 1].fill(0.0);
            if done & (mask << (j as u32 * self.power)) != 0 {
                break;
            }
        }
    }

    #[inline(always)]
    fn total(self) -> Vec<f32> {
        let [mut first, rest @ ..] = self.levels;
        for level in &rest {
            add_into(&mut first, level);
        }
        first
    }
}

#[inline(always)]
fn add_into(acc: &mut [f32], row: &[f32]) {
    for (a, &v) in acc.iter_mut().zip(row) {
        *a += v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PyTorch's vectorized outer sum as written: each 32-column group walks all rows.
    fn outer_sum_by_groups(x: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        let add = |a: f32, v: f32| a + v;
        let mut out = vec![0.0f32; cols];
        let plain = cols / VECTOR_GROUP * VECTOR_GROUP;
        for c in 0..plain {
            // multi_row_sum per lane: four vectors of the group are four columns at a time
            let sums = multi_row_sum(rows, |i, _| x[i * cols + c], 0.0, &add);
            out[c] += sums[0];
        }
        for c in plain..cols {
            out[c] += row_sum(rows, |i| x[i * cols + c], 0.0, add);
        }
        out
    }

    fn data(n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 7919) % 1013) as f32 * 0.013 - 3.1 + 1.0 / (1 + i % 7) as f32)
            .collect()
    }

    #[test]
    fn row_order_walk_matches_the_group_walk() {
        for (rows, cols) in [(1, 8), (5, 9), (17, 40), (300, 70), (1000, 33), (64, 1100)] {
            let x = data(rows * cols);
            let got = sum_dims_f32(&x, 0, &[rows, cols], &[cols as isize, 1], &[true, false], 1);
            let want = outer_sum_by_groups(&x, rows, cols);
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "{rows}x{cols}");
        }
    }

    #[test]
    fn short_inner_rows_interleave_four_partials() {
        // (2, 5) summed over dim 1 (5 < 8 elements): ((x0 + x4) + x1) + x2) + x3
        let x = [1e8f32, 1.0, 1.0, 1.0, -1e8, 2e8, 3.0, 3.0, 3.0, -2e8];
        let got = sum_dims_f32(&x, 0, &[2, 5], &[5, 1], &[false, true], 1);
        assert_eq!(got, vec![3.0, 9.0]);
    }

    #[test]
    fn thread_count_does_not_change_column_sums() {
        let (rows, cols) = (700, 100);
        let x = data(rows * cols);
        let one = sum_dims_f32(&x, 0, &[rows, cols], &[cols as isize, 1], &[true, false], 1);
        let two = sum_dims_f32(&x, 0, &[rows, cols], &[cols as isize, 1], &[true, false], 2);
        assert_eq!(one, two);
    }
}
