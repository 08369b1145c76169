//! Property tests of the shape algebra: broadcasting, dim wrapping, element counts,
//! `-1` inference, views and the offset walk, each against a plain reference definition.

use super::layout::*;
use crate::ops::infer_size;
use proptest::prelude::*;

fn shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..4, 0..5)
}

/// A permutation of `0..n` drawn from `seed`.
fn permutation(n: usize, mut seed: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        p.swap(i, (seed % (i as u64 + 1)) as usize);
        seed /= i as u64 + 1;
    }
    p
}

/// Offsets of every element in row-major order, by enumerating multi-indices.
fn reference_offsets(l: &Layout) -> Vec<usize> {
    let n: usize = l.shape.iter().product();
    let mut out = Vec::with_capacity(n);
    for flat in 0..n {
        let mut rest = flat;
        let mut off = l.offset as isize;
        for d in (0..l.shape.len()).rev() {
            off += (rest % l.shape[d]) as isize * l.strides[d];
            rest /= l.shape[d];
        }
        out.push(off as usize);
    }
    out
}

fn padded(s: &[usize], n: usize) -> Vec<usize> {
    let mut v = vec![1; n - s.len()];
    v.extend_from_slice(s);
    v
}

proptest! {
    #[test]
    fn broadcasting_is_the_numpy_rule(a in shape(), b in shape()) {
        let n = a.len().max(b.len());
        let (pa, pb) = (padded(&a, n), padded(&b, n));
        let compatible = pa.iter().zip(&pb).all(|(x, y)| x == y || *x == 1 || *y == 1);
        let ab = broadcast_shapes(&a, &b);
        let ba = broadcast_shapes(&b, &a);
        prop_assert_eq!(ab.is_ok(), compatible);
        prop_assert_eq!(ba.is_ok(), compatible);
        if let (Ok(ab), Ok(ba)) = (ab, ba) {
            prop_assert_eq!(ab.as_slice(), ba.as_slice());
            for i in 0..n {
                prop_assert_eq!(ab[i], if pa[i] == 1 { pb[i] } else { pa[i] });
            }
            let stretched = Layout::contiguous(&a).broadcast_to(&ab).unwrap();
            prop_assert_eq!(stretched.shape.as_slice(), ab.as_slice());
            for i in 0..n {
                if pa[i] == 1 && ab[i] > 1 {
                    prop_assert_eq!(stretched.strides[i], 0);
                }
            }
        }
    }

    #[test]
    fn dims_wrap_into_range_or_fail(dim in -7i64..7, ndim in 0usize..6) {
        let n = ndim.max(1) as i64;
        match wrap_dim(dim, ndim) {
            Ok(w) => {
                prop_assert!(-n <= dim && dim < n);
                prop_assert_eq!(w as i64, dim.rem_euclid(n));
            }
            Err(_) => prop_assert!(dim < -n || dim >= n),
        }
    }

    #[test]
    fn element_counts_never_overflow_silently(dims in prop::collection::vec(0usize..(1 << 40), 0..5)) {
        let exact: Option<u128> = dims.iter().try_fold(1u128, |acc, &d| acc.checked_mul(d as u128));
        // within isize (in 8-byte elements) and at a byte an element within memory + swap
        let fits = exact.is_some_and(|n| {
            n <= (isize::MAX as u128) / 8 && n <= crate::tensor::memory_limit::limit_bytes()
        });
        match checked_numel(&dims) {
            Ok(n) => {
                prop_assert!(fits);
                prop_assert_eq!(n as u128, exact.unwrap());
            }
            Err(_) => prop_assert!(!fits),
        }
    }

    #[test]
    fn minus_one_is_inferred_from_the_element_count(s in shape(), at in 0usize..5) {
        prop_assume!(!s.is_empty());
        let numel: usize = s.iter().product();
        let mut sizes: Vec<i64> = s.iter().map(|&d| d as i64).collect();
        let at = at % sizes.len();
        sizes[at] = -1;
        let known: usize = s.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, d)| d).product();
        match infer_size(&sizes, numel) {
            Ok(out) => {
                prop_assert_eq!(out.iter().product::<usize>(), numel);
                prop_assert!(known != 0);
            }
            Err(_) => prop_assert_eq!(known, 0),
        }
    }

    #[test]
    fn the_offset_walk_visits_elements_in_row_major_order(
        s in shape(), strides in prop::collection::vec(0isize..5, 5), offset in 0usize..3,
    ) {
        let l = Layout {
            shape: s.iter().copied().collect(),
            strides: strides[..s.len()].iter().copied().collect(),
            offset,
        };
        let offsets = l.offsets();
        prop_assert_eq!(&offsets, &reference_offsets(&l));
        match offsets.iter().max() {
            Some(m) => prop_assert_eq!(l.storage_extent(), m + 1),
            None => prop_assert_eq!(l.storage_extent(), 0),
        }
    }

    #[test]
    fn a_view_reads_the_same_elements_in_the_same_order(
        s in shape(), seed in any::<u64>(), merge in 0usize..5, insert_one in any::<bool>(),
    ) {
        let l = Layout::contiguous(&s).permuted(&permutation(s.len(), seed));
        // new shapes that keep the element count: merge two neighbours, add a 1, flatten
        let mut merged: Vec<usize> = l.shape.to_vec();
        if merged.len() >= 2 {
            let i = merge % (merged.len() - 1);
            let m = merged[i] * merged[i + 1];
            merged.splice(i..i + 2, [m]);
        }
        if insert_one {
            merged.insert(merge.min(merged.len()), 1);
        }
        let flat = vec![l.numel()];
        for new_shape in [merged, flat] {
            let contiguous = Layout::contiguous(&l.shape);
            prop_assert_eq!(
                contiguous.view_strides(&new_shape).map(|s| s.to_vec()),
                Some(contiguous_strides(&new_shape).to_vec())
            );
            if let Some(strides) = l.view_strides(&new_shape) {
                let v = Layout { shape: new_shape.iter().copied().collect(), strides, offset: l.offset };
                prop_assert_eq!(v.offsets(), l.offsets());
            }
        }
    }
}
