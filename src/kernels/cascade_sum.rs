//! The float32 sum of a dense run with PyTorch's rounding: its CPU `cascade_sum` as it
//! runs on x86-64 (the AVX2 kernel, also on AVX-512 machines, whose kernel this one is not
//! registered for: 8-lane float32 vectors, four interleaved vector accumulators,
//! each summed through four cascade levels; then the scalar tail and the lanes), and its
//! two-pass split across the intra-op threads from 32768 elements. Every addition is
//! float32 and the order is fixed by these rules alone, so the bits do not depend on the
//! instructions this build runs. ferrograd's own float64 lane sums are more accurate, but
//! printed sums of random data then differ from PyTorch's in the last digit.

/// Elements per vector (`Vectorized<float>::size()` with AVX2).
pub(super) const LANES: usize = 8;
/// Vector accumulators interleaved in a row (`ilp_factor`).
pub(super) const ILP: usize = 4;
/// Cascade levels of each accumulator (`num_levels`).
pub(super) const LEVELS: usize = 4;

use super::reduce_walk::GRAIN;

type Lanes = [f32; LANES];

/// `sum(values)` as PyTorch computes it with `threads` intra-op threads.
pub fn sum_f32(values: &[f32], threads: usize) -> f32 {
    let n = values.len();
    if n < GRAIN || threads <= 1 {
        return 0.0 + run_sum(values);
    }
    // each thread sums its slice into its own slot, then the slots are summed
    let tasks = threads.min(n.div_ceil(GRAIN));
    let chunk = n.div_ceil(tasks);
    let mut slots = vec![0.0f32; threads];
    let partials = crate::parallel::collect_with_chunk(tasks, 1, |first, out| {
        for (k, slot) in out.iter_mut().enumerate() {
            let begin = ((first + k) * chunk).min(n);
            slot.write(run_sum(&values[begin..(begin + chunk).min(n)]));
        }
        out.len()
    });
    for (slot, p) in slots.iter_mut().zip(partials) {
        *slot += p;
    }
    0.0 + run_sum(&slots)
}

/// The sum of one output's contiguous run in a reduction over trailing dims: PyTorch
/// gives each output's run to one thread, so the thread count plays no part.
pub fn sum_run_f32(values: &[f32]) -> f32 {
    0.0 + run_sum(values)
}

/// One contiguous run: vectors of 8 when there are that many, else scalars.
pub(super) fn run_sum(x: &[f32]) -> f32 {
    let n = x.len();
    if n < LANES {
        return row_sum(n, |i| x[i], 0.0, |a, b| a + b);
    }
    let vectors = n / LANES;
    let lanes = row_sum(vectors, |i| load(x, i), [0.0; LANES], add);
    let mut total = 0.0f32;
    for &v in &x[vectors * LANES..] {
        total += v;
    }
    for v in lanes {
        total += v;
    }
    total
}

fn load(x: &[f32], vector: usize) -> Lanes {
    x[vector * LANES..(vector + 1) * LANES]
        .try_into()
        .expect("a whole vector")
}

fn add(mut a: Lanes, b: Lanes) -> Lanes {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

/// `row_sum`: `size` items read as rows of `ILP` interleaved accumulators, the items
/// left over added to the first, then the accumulators folded into it.
pub(super) fn row_sum<T: Copy>(
    size: usize,
    item: impl Fn(usize) -> T,
    zero: T,
    plus: impl Fn(T, T) -> T,
) -> T {
    let rows = size / ILP;
    let mut partial = multi_row_sum(rows, |r, k| item(r * ILP + k), zero, &plus);
    for i in rows * ILP..size {
        partial[0] = plus(partial[0], item(i));
    }
    for k in 1..ILP {
        partial[0] = plus(partial[0], partial[k]);
    }
    partial[0]
}

/// `multi_row_sum`: `ILP` sums at once over `size` rows, each through `LEVELS` levels:
/// level 0 takes `2^p` rows, then carries into level 1, which carries into level 2
/// every `2^p` carries, and so on, so that only sums of similar size meet.
pub(super) fn multi_row_sum<T: Copy>(
    size: usize,
    item: impl Fn(usize, usize) -> T,
    zero: T,
    plus: &impl Fn(T, T) -> T,
) -> [T; ILP] {
    let level_power = 4.max(ceil_log2(size) / LEVELS as u32);
    let level_step = 1usize << level_power;
    let level_mask = level_step - 1;
    let mut acc = [[zero; ILP]; LEVELS];
    let mut i = 0;
    while i + level_step <= size {
        for _ in 0..level_step {
            for (k, a) in acc[0].iter_mut().enumerate() {
                *a = plus(*a, item(i, k));
            }
            i += 1;
        }
        for j in 1..LEVELS {
            let (lower, upper) = acc.split_at_mut(j);
            for (hi, lo) in upper[0].iter_mut().zip(lower[j - 1].iter_mut()) {
                *hi = plus(*hi, *lo);
                *lo = zero;
            }
            if i & (level_mask << (j as u32 * level_power)) != 0 {
                break;
            }
        }
    }
    while i < size {
        for (k, a) in acc[0].iter_mut().enumerate() {
            *a = plus(*a, item(i, k));
        }
        i += 1;
    }
    let (first, higher) = acc.split_at_mut(1);
    for level in higher.iter() {
        for (a, &b) in first[0].iter_mut().zip(level) {
            *a = plus(*a, b);
        }
    }
    first[0]
}

/// c10's `CeilLog2`: 1 up to 2, else the bit length of `x - 1`.
pub(super) fn ceil_log2(x: usize) -> u32 {
    if x <= 2 {
        1
    } else {
        usize::BITS - (x - 1).leading_zeros()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_runs_add_four_interleaved_partials() {
        // ((x0 + x4) + x8) ... per accumulator, then the rest, then the accumulators
        let x: Vec<f32> = (0..11).map(|i| 0.1 * i as f32 + 0.01).collect();
        let mut acc = [0.0f32; 4];
        for (i, v) in x[..8].iter().enumerate() {
            acc[i % 4] += v;
        }
        for v in &x[8..] {
            acc[0] += v;
        }
        let want = ((acc[0] + acc[1]) + acc[2]) + acc[3];
        assert_eq!(sum_f32(&x, 1).to_bits(), want.to_bits());
    }

    #[test]
    fn ten_tenths_round_as_pytorch() {
        // torch.full((10,), 0.1).sum() and (10**6,) on one thread, PyTorch 2.13
        assert_eq!(f64::from(sum_f32(&[0.1; 10], 1)), 1.000_000_119_209_289_6);
        assert_eq!(
            f64::from(sum_f32(&vec![0.1; 1_000_000], 1)),
            100_000.007_812_5
        );
    }

    #[test]
    fn thread_split_only_from_the_grain() {
        let x: Vec<f32> = (0..GRAIN - 1).map(|i| (i % 97) as f32 * 0.37).collect();
        assert_eq!(sum_f32(&x, 1).to_bits(), sum_f32(&x, 4).to_bits());
        assert_eq!(sum_f32(&[], 2), 0.0);
        assert_eq!(ceil_log2(0), 1);
        assert_eq!(ceil_log2(3), 2);
        assert_eq!(ceil_log2(4), 2);
        assert_eq!(ceil_log2(5), 3);
    }
}
