//! Reductions over a set of dims of a strided layout.

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

/// Folds the reduced dims for every position of the kept dims. The output is row-major
/// over the kept dims. `finish` receives the accumulator and the count of folded elements.
pub fn reduce<T: Element, A: Copy, U: Element>(
    src: &[T],
    layout: &Layout,
    reduced: &[usize],
    init: A,
    fold: impl Fn(A, T) -> A,
    finish: impl Fn(A, usize) -> U,
) -> Vec<U> {
    let (outer, mut inner) = split_reduced(layout, reduced);
    let count = inner.numel();
    let mut out = Vec::with_capacity(outer.numel());
    // Full reduction of a contiguous tensor: one pass over the slice.
    if outer.ndim() == 0 && layout.is_contiguous() && count > 0 {
        let s = &src[layout.offset..layout.offset + count];
        let acc = s.iter().fold(init, |a, &x| fold(a, x));
        out.push(finish(acc, count));
        return out;
    }
    outer.for_each_offset(|base| {
        inner.offset = base;
        let mut acc = init;
        inner.for_each_offset(|o| acc = fold(acc, src[o]));
        out.push(finish(acc, count));
    });
    out
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
    fn pairwise_sum_matches_naive_on_small_input() {
        let v: Vec<f64> = (0..1000).map(|x| x as f64).collect();
        assert_eq!(sum_contiguous_f64(&v), 499500.0);
    }
}
