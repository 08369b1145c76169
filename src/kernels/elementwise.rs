//! Elementwise maps over strided (and broadcast) layouts, with a contiguous fast path.

use crate::tensor::layout::Layout;
use crate::tensor::Element;

/// Applies `f` to every element of `src` viewed through `layout`, row-major.
pub fn map_unary<T: Element, U: Element>(src: &[T], layout: &Layout, f: impl Fn(T) -> U) -> Vec<U> {
    let n = layout.numel();
    if n == 0 {
        // an empty view may carry an offset past the end of its storage
        return Vec::new();
    }
    if layout.is_contiguous() {
        let s = &src[layout.offset..layout.offset + n];
        return s.iter().map(|&x| f(x)).collect();
    }
    let mut out = Vec::with_capacity(n);
    // walk the innermost runs: broadcast (stride 0) and unit-stride runs get tight loops
    for_each_inner_run(layout, layout, |o, _, len, stride, _| match stride {
        0 => {
            let y = f(src[o]);
            out.extend(std::iter::repeat_n(y, len))
        }
        1 => out.extend(src[o..o + len].iter().map(|&x| f(x))),
        _ => {
            for k in 0..len as isize {
                out.push(f(src[(o as isize + k * stride) as usize]));
            }
        }
    });
    out
}

/// Applies `f` pairwise; both layouts must already have the output's shape
/// (broadcast dims carry stride 0).
pub fn map_binary<A: Element, B: Element, U: Element>(
    a: &[A],
    la: &Layout,
    b: &[B],
    lb: &Layout,
    f: impl Fn(A, B) -> U,
) -> Vec<U> {
    debug_assert_eq!(la.shape, lb.shape);
    let n = la.numel();
    if n == 0 {
        return Vec::new();
    }
    let a_contig = la.is_contiguous();
    let b_contig = lb.is_contiguous();
    if a_contig && b_contig {
        let sa = &a[la.offset..la.offset + n];
        let sb = &b[lb.offset..lb.offset + n];
        return sa.iter().zip(sb).map(|(&x, &y)| f(x, y)).collect();
    }
    if a_contig && lb.strides.iter().all(|&s| s == 0) && n > 0 {
        let y = b[lb.offset];
        return a[la.offset..la.offset + n]
            .iter()
            .map(|&x| f(x, y))
            .collect();
    }
    if b_contig && la.strides.iter().all(|&s| s == 0) && n > 0 {
        let x = a[la.offset];
        return b[lb.offset..lb.offset + n]
            .iter()
            .map(|&y| f(x, y))
            .collect();
    }
    let mut out = Vec::with_capacity(n);
    for_each_inner_run(la, lb, |oa, ob, len, sa, sb| match (sa, sb) {
        // the common broadcast shapes get slice loops the compiler vectorizes
        (1, 1) => out.extend(
            a[oa..oa + len]
                .iter()
                .zip(&b[ob..ob + len])
                .map(|(&x, &y)| f(x, y)),
        ),
        (1, 0) => {
            let y = b[ob];
            out.extend(a[oa..oa + len].iter().map(|&x| f(x, y)))
        }
        (0, 1) => {
            let x = a[oa];
            out.extend(b[ob..ob + len].iter().map(|&y| f(x, y)))
        }
        _ => {
            for k in 0..len as isize {
                out.push(f(
                    a[(oa as isize + k * sa) as usize],
                    b[(ob as isize + k * sb) as usize],
                ));
            }
        }
    });
    out
}

/// Visits the innermost-dim runs of two same-shaped layouts: `(offset_a, offset_b,
/// length, stride_a, stride_b)` per run, in row-major order.
pub fn for_each_inner_run(
    la: &Layout,
    lb: &Layout,
    mut f: impl FnMut(usize, usize, usize, isize, isize),
) {
    if la.numel() == 0 {
        return;
    }
    let nd = la.ndim();
    if nd == 0 {
        f(la.offset, lb.offset, 1, 1, 1);
        return;
    }
    let inner = la.shape[nd - 1];
    let (sa_in, sb_in) = (la.strides[nd - 1], lb.strides[nd - 1]);
    let mut index = vec![0usize; nd];
    let (mut base_a, mut base_b) = (la.offset as isize, lb.offset as isize);
    loop {
        f(base_a as usize, base_b as usize, inner, sa_in, sb_in);
        let mut d = nd - 1;
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            index[d] += 1;
            base_a += la.strides[d];
            base_b += lb.strides[d];
            if index[d] < la.shape[d] {
                break;
            }
            base_a -= la.strides[d] * la.shape[d] as isize;
            base_b -= lb.strides[d] * lb.shape[d] as isize;
            index[d] = 0;
        }
    }
}

/// Visits matching storage offsets of two same-shaped layouts in row-major order.
pub fn for_each_offset_pair(la: &Layout, lb: &Layout, mut f: impl FnMut(usize, usize)) {
    for_each_inner_run(la, lb, |oa, ob, len, sa, sb| {
        for k in 0..len as isize {
            f(
                (oa as isize + k * sa) as usize,
                (ob as isize + k * sb) as usize,
            );
        }
    });
}

/// Writes `values` (row-major) into `dst` through `layout`.
pub fn write_strided<T: Element>(dst: &mut [T], layout: &Layout, values: &[T]) {
    if values.is_empty() {
        return;
    }
    if layout.is_contiguous() {
        dst[layout.offset..layout.offset + values.len()].copy_from_slice(values);
        return;
    }
    let mut i = 0;
    layout.for_each_offset(|o| {
        dst[o] = values[i];
        i += 1;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strided_and_contiguous_paths_agree_for_every_length() {
        for n in 0..67usize {
            let src: Vec<f32> = (0..2 * n).map(|i| i as f32 * 0.5 - 3.0).collect();
            let contiguous = Layout::contiguous(&[n]);
            let strided = Layout {
                shape: smallvec::smallvec![n],
                strides: smallvec::smallvec![2],
                offset: 0,
            };
            let a = map_unary(&src, &contiguous, |x| x * 2.0);
            let b = map_unary(&src, &strided, |x| x * 2.0);
            assert_eq!(a, src[..n].iter().map(|x| x * 2.0).collect::<Vec<_>>());
            assert_eq!(b, (0..n).map(|i| src[2 * i] * 2.0).collect::<Vec<_>>());
        }
    }

    #[test]
    fn empty_views_with_offsets_past_the_end_are_fine() {
        let src: Vec<f32> = vec![];
        let l = Layout {
            shape: smallvec::smallvec![0, 3],
            strides: smallvec::smallvec![3, 1],
            offset: 3,
        };
        assert!(map_unary(&src, &l, |x| x).is_empty());
        assert!(map_binary(&src, &l, &src, &l, |x, y| x + y).is_empty());
        let mut dst: Vec<f32> = vec![];
        write_strided(&mut dst, &l, &[]);
    }

    #[test]
    fn inner_runs_agree_with_the_elementwise_walk() {
        let a: Vec<f64> = (0..24).map(|x| x as f64).collect();
        let b: Vec<f64> = (0..24).map(|x| (x * 7 % 5) as f64).collect();
        let shapes: [(&[usize], &[usize]); 3] = [
            (&[2, 3, 4], &[3, 1]),
            (&[4, 3], &[4, 1]),
            (&[2, 3, 4], &[4]),
        ];
        for (sa, sb) in shapes {
            let full = crate::tensor::layout::broadcast_shapes(sa, sb).unwrap();
            let la = Layout::contiguous(sa).broadcast_to(&full).unwrap();
            let lb = Layout::contiguous(sb).broadcast_to(&full).unwrap();
            let fast = map_binary(&a, &la, &b, &lb, |x, y| x * 10.0 + y);
            let mut slow = Vec::new();
            for_each_offset_pair(&la, &lb, |oa, ob| slow.push(a[oa] * 10.0 + b[ob]));
            assert_eq!(fast, slow);
            // and through a transposed operand
            let lt =
                Layout::contiguous(&[full[full.len() - 1], full[full.len() - 2]]).permuted(&[1, 0]);
            if full.len() == 2 {
                let fast = map_binary(&a, &lt, &b, &lb, |x, y| x - y);
                let mut slow = Vec::new();
                for_each_offset_pair(&lt, &lb, |oa, ob| slow.push(a[oa] - b[ob]));
                assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn broadcast_binary_map() {
        let a = vec![1.0f64, 2.0, 3.0];
        let b = vec![10.0f64, 20.0];
        let la = Layout::contiguous(&[1, 3]).broadcast_to(&[2, 3]).unwrap();
        let lb = Layout::contiguous(&[2, 1]).broadcast_to(&[2, 3]).unwrap();
        let out = map_binary(&a, &la, &b, &lb, |x, y| x + y);
        assert_eq!(out, vec![11.0, 12.0, 13.0, 21.0, 22.0, 23.0]);
    }

    #[test]
    fn write_through_a_transposed_layout() {
        let mut dst = vec![0i64; 6];
        let l = Layout::contiguous(&[2, 3]).permuted(&[1, 0]);
        write_strided(&mut dst, &l, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(dst, vec![1, 3, 5, 2, 4, 6]);
    }
}
