//! Reductions over a set of dims of a strided layout.

use crate::parallel;
use crate::tensor::layout::Layout;
use crate::tensor::Element;

/// Splits `layout` into the kept dims (outer) and the reduced dims (inner).
/// Returns the outer layout (kept dims only) and the inner layout (reduced dims, offset 0).
pub fn split_reduced(layout: &Layout, reduced: &[usize]) -> (Layout, Layout) {
    let kept: Vec<usize> = (0..layout.ndim())
        .filter(|d| !reduced.contains(d))
        .collect();
    let outer = Layout {
        shape: kept.iter().map(|&d| layout.shape[d]).collect(),
        strides: kept.iter().map(|&d| layout.strides[d]).collect(),
        offset: layout.offset,
    };
    let inner = Layout {
        shape: reduced.iter().map(|&d| layout.shape[d]).collect(),
        strides: reduced.iter().map(|&d| layout.strides[d]).collect(),
        offset: 0,
    };
    (outer, inner)
}

/// Reductions below this many input elements stay on the calling thread (measured, see
/// benches/README.md).
pub const PAR_MIN_REDUCE_ELEMS: usize = 1 << 17;

/// A full reduction folds blocks of this many elements, each from `init`, and combines
/// the block results in order: the same blocks whatever the thread count, so the same bits.
pub const REDUCE_BLOCK: usize = 1 << 13;

/// Folds the reduced dims for every position of the kept dims. The output is row-major
/// over the kept dims. `finish` receives the accumulator and the count of folded elements.
/// Outputs are spread over the intra-op threads when the work is large; each output is
/// folded whole by one thread, in the same order, so results do not depend on the count.
pub fn reduce<T: Element, A: Copy + Send + Sync, U: Element>(
    src: &[T],
    layout: &Layout,
    reduced: &[usize],
    init: A,
    fold: impl Fn(A, T) -> A + Sync + Send,
    finish: impl Fn(A, usize) -> U + Sync + Send,
) -> Vec<U> {
    let (outer, inner) = split_reduced(layout, reduced);
    let count = inner.numel();
    let outputs = outer.numel();
    // Full reduction of a contiguous tensor: one pass over the slice.
    if outer.ndim() == 0 && layout.is_contiguous() && count > 0 {
        let s = &src[layout.storage_run(count)];
        let acc = s.iter().fold(init, |a, &x| fold(a, x));
        return vec![finish(acc, count)];
    }
    let one = |base: usize| {
        let mut inner = inner.clone();
        inner.offset = base;
        let mut acc = init;
        inner.for_each_offset(|o| acc = fold(acc, src[o]));
        finish(acc, count)
    };
    let tasks = parallel::task_count(outputs.saturating_mul(count.max(1)), PAR_MIN_REDUCE_ELEMS)
        .min(outputs);
    if tasks > 1 {
        let chunk = outputs.div_ceil(tasks);
        return parallel::collect_with_chunk(outputs, chunk, |first, out| {
            let mut k = 0;
            for_each_offset_in(&outer, first, out.len(), |base| {
                out[k].write(one(base));
                k += 1;
            });
            k
        });
    }
    let mut out = Vec::with_capacity(outputs);
    outer.for_each_offset(|base| out.push(one(base)));
    out
}

/// Storage offsets of the elements `first..first + count` (row-major) of `layout`.
pub fn for_each_offset_in(layout: &Layout, first: usize, count: usize, mut f: impl FnMut(usize)) {
    let nd = layout.ndim();
    if count == 0 {
        return;
    }
    if nd == 0 {
        f(layout.offset);
        return;
    }
    let mut index = vec![0usize; nd];
    let mut base = layout.offset as isize;
    let mut rest = first;
    for d in (0..nd).rev() {
        index[d] = rest % layout.shape[d];
        rest /= layout.shape[d];
        base += index[d] as isize * layout.strides[d];
    }
    for _ in 0..count {
        f(base as usize);
        let mut d = nd;
        while d > 0 {
            d -= 1;
            index[d] += 1;
            base += layout.strides[d];
            if index[d] < layout.shape[d] {
                break;
            }
            base -= layout.strides[d] * layout.shape[d] as isize;
            index[d] = 0;
        }
    }
}

/// Folds a contiguous slice in blocks of `REDUCE_BLOCK` elements (each from `init`), then
/// combines the block results left to right; the blocks are spread over the intra-op
/// threads. `None` for an empty slice.
pub fn reduce_blocks<T: Element, A: Copy + Send + Sync>(
    s: &[T],
    init: A,
    fold: impl Fn(A, T) -> A + Sync + Send,
    combine: impl Fn(A, A) -> A,
) -> Option<A> {
    fold_blocks(s, |b| b.iter().fold(init, |a, &x| fold(a, x)), combine)
}

/// `reduce_blocks` with the fold of a whole block given (a vectorized kernel).
pub fn fold_blocks<T: Element, A: Copy + Send + Sync>(
    s: &[T],
    fold_block: impl Fn(&[T]) -> A + Sync + Send,
    combine: impl Fn(A, A) -> A,
) -> Option<A> {
    let blocks = s.len().div_ceil(REDUCE_BLOCK);
    let tasks = parallel::task_count(s.len(), PAR_MIN_REDUCE_ELEMS).min(blocks.max(1));
    let per_task = blocks.div_ceil(tasks.max(1)).max(1);
    let partials = parallel::map_tasks(tasks, |t| {
        let lo = (t * per_task * REDUCE_BLOCK).min(s.len());
        let hi = ((t + 1) * per_task * REDUCE_BLOCK).min(s.len());
        s[lo..hi]
            .chunks(REDUCE_BLOCK)
            .map(&fold_block)
            .collect::<Vec<A>>()
    });
    partials.into_iter().flatten().reduce(combine)
}

/// Sum with pairwise blocks of 8 partial accumulators for a contiguous run, so float32
/// sums of millions of elements keep their accuracy.
pub fn sum_contiguous_f64(s: &[f64]) -> f64 {
    if s.len() <= 64 {
        return s.iter().sum();
    }
    let mid = s.len() / 2;
    sum_contiguous_f64(&s[..mid]) + sum_contiguous_f64(&s[mid..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_over_inner_and_outer_dims() {
        let src: Vec<f64> = (0..6).map(|x| x as f64).collect(); // [[0,1,2],[3,4,5]]
        let l = Layout::contiguous(&[2, 3]);
        let rows = reduce(&src, &l, &[1], 0.0, |a, x| a + x, |a, _| a);
        assert_eq!(rows, vec![3.0, 12.0]);
        let cols = reduce(&src, &l, &[0], 0.0, |a, x| a + x, |a, _| a);
        assert_eq!(cols, vec![3.0, 5.0, 7.0]);
        let all = reduce(&src, &l, &[0, 1], 0.0, |a, x| a + x, |a, n| a / n as f64);
        assert_eq!(all, vec![2.5]);
    }

    #[test]
    fn threaded_reductions_give_the_same_bits_as_one_thread() {
        use crate::parallel::{with_threads, TEST_LOCK};
        let _g = TEST_LOCK.lock();
        let sizes = [
            1,
            REDUCE_BLOCK - 1,
            REDUCE_BLOCK + 1,
            PAR_MIN_REDUCE_ELEMS * 2 - 1,
            PAR_MIN_REDUCE_ELEMS * 2 + 3,
            300_007,
        ];
        for n in sizes {
            let src: Vec<f32> = (0..n + 5)
                .map(|i| ((i * 7919) % 1013) as f32 * 0.013 - 6.0)
                .collect();
            let s = &src[5..];
            let run = |threads| {
                with_threads(threads, || {
                    reduce_blocks(s, 0.0f64, |a, x| a + x as f64, |a, b| a + b).unwrap()
                })
            };
            let one = run(1);
            assert_eq!(one.to_bits(), run(2).to_bits());
            assert_eq!(one.to_bits(), run(3).to_bits());
            let exact: f64 = s.iter().map(|&x| x as f64).sum();
            assert!((one - exact).abs() <= 1e-9 * exact.abs().max(1.0));
        }
        // per-dim: rows, columns and a strided (offset, transposed) layout
        for (r, c) in [(3, 5), (257, 129), (1031, 67), (65, 2049)] {
            let src: Vec<f64> = (0..r * c + 2).map(|i| (i as f64 * 0.61).sin()).collect();
            let l = Layout {
                offset: 2,
                ..Layout::contiguous(&[r, c])
            };
            let t = Layout {
                offset: 2,
                ..Layout::contiguous(&[c, r])
            }
            .permuted(&[1, 0]);
            for layout in [&l, &t] {
                for dims in [&[0usize][..], &[1], &[0, 1]] {
                    let run = |threads| {
                        with_threads(threads, || {
                            reduce(
                                &src,
                                layout,
                                dims,
                                0.0,
                                |a, x| a + x * x,
                                |a, n| a / n as f64,
                            )
                        })
                    };
                    let one: Vec<u64> = run(1).iter().map(|x| x.to_bits()).collect();
                    assert_eq!(one, run(2).iter().map(|x| x.to_bits()).collect::<Vec<_>>());
                    assert_eq!(one, run(3).iter().map(|x| x.to_bits()).collect::<Vec<_>>());
                }
            }
        }
    }

    #[test]
    fn ranged_offsets_agree_with_the_full_walk() {
        let l = Layout::contiguous(&[3, 4, 5]).permuted(&[2, 0, 1]);
        let all = l.offsets();
        for first in [0, 1, 7, 33, 59] {
            let mut got = Vec::new();
            for_each_offset_in(&l, first, 60 - first, |o| got.push(o));
            assert_eq!(got, all[first..]);
        }
    }

    #[test]
    fn pairwise_sum_matches_naive_on_small_input() {
        let v: Vec<f64> = (0..1000).map(|x| x as f64).collect();
        assert_eq!(sum_contiguous_f64(&v), 499500.0);
    }
}
