//! Same-dtype copies between strided layouts: the kernel behind flip, roll, repeat, cat,
//! tril/triu and every same-dtype clone. Dims are walked in the destination's memory
//! order and merged wherever both sides step evenly, so contiguous runs move with one
//! memcpy, reversed runs with one reversing loop and broadcast runs with one fill; a
//! source read across its rows (a transpose) is copied in tiles that stay in cache.
//! Generic over the element type only through `Copy`: it moves bytes.

use crate::tensor::layout::Layout;

/// One dim of a copy: its size and the step of each side, in elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dim {
    n: usize,
    d: isize,
    s: isize,
}

/// Side length of the square tiles of a transposing copy (32x32 elements of 8 bytes
/// are 8 KiB for each side: both fit in L1).
const TILE: usize = 32;

/// The dims of a same-shape pair of layouts with size-1 dims dropped, outermost first by
/// destination stride, adjacent dims merged where both sides step evenly across them.
fn merged_dims(dst: &Layout, src: &Layout) -> Vec<Dim> {
    let mut dims: Vec<Dim> = dst
        .shape
        .iter()
        .zip(dst.strides.iter().zip(src.strides.iter()))
        .filter(|(&n, _)| n != 1)
        .map(|(&n, (&d, &s))| Dim { n, d, s })
        .collect();
    dims.sort_by(|a, b| {
        b.d.unsigned_abs()
            .cmp(&a.d.unsigned_abs())
            .then(b.s.unsigned_abs().cmp(&a.s.unsigned_abs()))
    });
    let mut out: Vec<Dim> = Vec::with_capacity(dims.len());
    for dim in dims {
        if let Some(last) = out.last_mut() {
            let n = dim.n as isize;
            if last.d == dim.d * n && last.s == dim.s * n {
                *last = Dim {
                    n: last.n * dim.n,
                    d: dim.d,
                    s: dim.s,
                };
                continue;
            }
        }
        out.push(dim);
    }
    out
}

/// Whether every offset `offset + sum(i_k * stride_k)` of the walk lies in `0..len`.
fn stays_within(offset: usize, dims: &[Dim], stride: impl Fn(&Dim) -> isize, len: usize) -> bool {
    let (mut lo, mut hi) = (offset as i128, offset as i128);
    for dim in dims {
        let span = (dim.n as i128 - 1) * stride(dim) as i128;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    lo >= 0 && hi < len as i128
}

/// The merged dims of a copy, after checking that both walks stay inside their slices.
fn checked_dims(
    dst_layout: &Layout,
    dst_len: usize,
    src_layout: &Layout,
    src_len: usize,
) -> Vec<Dim> {
    assert_eq!(dst_layout.shape, src_layout.shape, "copy of unequal shapes");
    let dims = merged_dims(dst_layout, src_layout);
    assert!(
        stays_within(dst_layout.offset, &dims, |d| d.d, dst_len)
            && stays_within(src_layout.offset, &dims, |d| d.s, src_len),
        "strided copy outside its storage"
    );
    dims
}

/// Copies the elements `src_layout` reads from `src` to the places `dst_layout` names in
/// `dst`. The layouts must have one shape; a layout reaching outside its slice panics.
pub fn copy_strided<T: Copy>(dst: &mut [T], dst_layout: &Layout, src: &[T], src_layout: &Layout) {
    if dst_layout.numel() == 0 {
        return;
    }
    let dims = checked_dims(dst_layout, dst.len(), src_layout, src.len());
    // SAFETY: every offset the walk visits lies between the extremes checked above, and
    // `dst` and `src` are distinct borrows, so they do not overlap.
    unsafe {
        copy_dims(
            dst.as_mut_ptr().add(dst_layout.offset),
            src.as_ptr().add(src_layout.offset),
            &dims,
        )
    }
}

/// The elements `src_layout` reads from `src`, in a fresh vector laid out with the dense
/// `strides` over the same shape (row-major when None).
pub fn gather_dense<T: Copy>(src: &[T], src_layout: &Layout, strides: Option<&[isize]>) -> Vec<T> {
    let n = src_layout.numel();
    let dst_layout = match strides {
        Some(s) => Layout {
            shape: src_layout.shape.clone(),
            strides: s.into(),
            offset: 0,
        },
        None => Layout::contiguous(&src_layout.shape),
    };
    let mut out: Vec<T> = crate::tensor::memory_limit::vec_with_capacity(n);
    if n == 0 {
        return out;
    }
    assert!(is_dense(&dst_layout), "gather_dense needs dense strides");
    let dims = checked_dims(&dst_layout, n, src_layout, src.len());
    // SAFETY: the walk stays inside the `n` reserved slots and inside `src` (checked
    // above); the fresh allocation cannot overlap `src`. A dense layout names each slot
    // exactly once, so all `n` are written before `set_len`.
    unsafe {
        copy_dims(out.as_mut_ptr(), src.as_ptr().add(src_layout.offset), &dims);
        out.set_len(n);
    }
    out
}

/// Whether `layout` names each of `0..numel` exactly once (a permutation of row-major).
fn is_dense(layout: &Layout) -> bool {
    let mut dims: Vec<(usize, isize)> = layout
        .shape
        .iter()
        .zip(layout.strides.iter())
        .filter(|(&n, _)| n != 1)
        .map(|(&n, &s)| (n, s))
        .collect();
    dims.sort_by_key(|&(_, s)| s);
    let mut expected: isize = 1;
    for (n, s) in dims {
        if s != expected {
            return false;
        }
        expected *= n as isize;
    }
    layout.offset == 0
}

/// Calls `f` with the two base pointers of every run of `outer` (an odometer walk).
///
/// # Safety
/// Every pointer handed to `f` must lie inside its allocation when `f` dereferences it.
unsafe fn for_each_outer<T>(
    dst: *mut T,
    src: *const T,
    outer: &[Dim],
    mut f: impl FnMut(*mut T, *const T),
) {
    let mut idx = vec![0usize; outer.len()];
    let (mut d, mut s) = (dst, src);
    loop {
        f(d, s);
        let mut k = outer.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            idx[k] += 1;
            d = d.wrapping_offset(outer[k].d);
            s = s.wrapping_offset(outer[k].s);
            if idx[k] < outer[k].n {
                break;
            }
            let n = outer[k].n as isize;
            d = d.wrapping_offset(-outer[k].d * n);
            s = s.wrapping_offset(-outer[k].s * n);
            idx[k] = 0;
        }
    }
}

/// # Safety
/// The walk of `dims` from `dst` and `src` must stay inside both allocations.
unsafe fn copy_dims<T: Copy>(dst: *mut T, src: *const T, dims: &[Dim]) {
    let Some((&inner, outer)) = dims.split_last() else {
        *dst = *src;
        return;
    };
    if let Some(k) = unit_source_dim(inner, outer) {
        let (row, rest) = (outer[k], [&outer[..k], &outer[k + 1..]].concat());
        for_each_outer(dst, src, &rest, |d, s| copy_tile_pair(d, s, row, inner));
        return;
    }
    for_each_outer(dst, src, outer, |d, s| copy_run(d, s, inner));
}

/// The outer dim a transposing copy should tile with the inner one: the source's unit
/// step when the inner run reads across the source's rows.
fn unit_source_dim(inner: Dim, outer: &[Dim]) -> Option<usize> {
    if inner.d != 1 || inner.s.unsigned_abs() <= 1 || inner.n < 4 {
        return None;
    }
    outer
        .iter()
        .position(|o| o.s.unsigned_abs() == 1 && o.n >= 4)
}

/// Copies the `row x inner` block in square tiles, so that both the strided reads and
/// the contiguous writes of a tile stay in cache.
///
/// # Safety
/// As `copy_dims`.
unsafe fn copy_tile_pair<T: Copy>(dst: *mut T, src: *const T, row: Dim, inner: Dim) {
    for i0 in (0..row.n).step_by(TILE) {
        let i1 = (i0 + TILE).min(row.n);
        for j0 in (0..inner.n).step_by(TILE) {
            let j1 = (j0 + TILE).min(inner.n);
            for j in j0..j1 {
                let (dj, sj) = (j as isize * inner.d, j as isize * inner.s);
                for i in i0..i1 {
                    let i = i as isize;
                    *dst.offset(i * row.d + dj) = *src.offset(i * row.s + sj);
                }
            }
        }
    }
}

/// Copies one run of `r.n` elements.
///
/// # Safety
/// As `copy_dims`.
#[inline]
unsafe fn copy_run<T: Copy>(dst: *mut T, src: *const T, r: Dim) {
    let n = r.n;
    match (r.d, r.s) {
        (1, 1) => std::ptr::copy_nonoverlapping(src, dst, n),
        (1, 0) => std::slice::from_raw_parts_mut(dst, n).fill(*src),
        (1, -1) => {
            let from = std::slice::from_raw_parts(src.offset(1 - n as isize), n);
            let to = std::slice::from_raw_parts_mut(dst, n);
            for (x, y) in to.iter_mut().zip(from.iter().rev()) {
                *x = *y;
            }
        }
        (1, s) => {
            let to = std::slice::from_raw_parts_mut(dst, n);
            for (i, x) in to.iter_mut().enumerate() {
                *x = *src.offset(i as isize * s);
            }
        }
        (d, s) => {
            for i in 0..n as isize {
                *dst.offset(i * d) = *src.offset(i * s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smallvec::SmallVec;

    fn layout(shape: &[usize], strides: &[isize], offset: usize) -> Layout {
        Layout {
            shape: SmallVec::from_slice(shape),
            strides: SmallVec::from_slice(strides),
            offset,
        }
    }

    /// The reference: every element through its own offsets.
    fn naive(src: &[u32], l: &Layout) -> Vec<u32> {
        let mut out = Vec::new();
        l.for_each_offset(|o| out.push(src[o]));
        out
    }

    #[test]
    fn contiguous_reversed_broadcast_and_transposed_reads_match_the_naive_walk() {
        let src: Vec<u32> = (0..10_000).collect();
        let cases = [
            layout(&[70, 90], &[90, 1], 0),
            layout(&[70, 90], &[90, -1], 89),
            layout(&[70, 90], &[-90, 1], 69 * 90),
            layout(&[90, 70], &[1, 90], 0),
            layout(&[33, 37], &[1, 40], 5),
            layout(&[3, 40, 50], &[0, 50, 1], 0),
            layout(&[40, 50, 3], &[50, 1, 0], 0),
            layout(&[5, 7, 9], &[1, 45, 5], 0),
            layout(&[4, 1, 6], &[6, 100, 1], 3),
            layout(&[50, 45], &[2, 200], 1),
            layout(&[0, 5], &[5, 1], 0),
            layout(&[], &[], 17),
        ];
        for l in cases {
            let got = gather_dense(&src, &l, None);
            assert_eq!(got, naive(&src, &l), "{l:?}");
        }
    }

    #[test]
    fn writes_land_where_a_strided_destination_names() {
        let src: Vec<u16> = (0..60).collect();
        let mut dst = vec![0u16; 200];
        let d = layout(&[6, 10], &[1, 20], 3);
        copy_strided(&mut dst, &d, &src, &Layout::contiguous(&[6, 10]));
        for i in 0..6 {
            for j in 0..10 {
                assert_eq!(dst[3 + i + 20 * j], (i * 10 + j) as u16);
            }
        }
        assert_eq!(dst.iter().filter(|&&x| x != 0).count(), 59);
    }

    #[test]
    fn a_permuted_dense_destination_is_filled_completely() {
        let src: Vec<f64> = (0..24).map(|x| x as f64).collect();
        let l = Layout::contiguous(&[2, 3, 4]);
        let got = gather_dense(&src, &l, Some(&[1, 8, 2]));
        for (i, j, k) in
            (0..2).flat_map(|i| (0..3).flat_map(move |j| (0..4).map(move |k| (i, j, k))))
        {
            assert_eq!(got[i + 8 * j + 2 * k], (i * 12 + j * 4 + k) as f64);
        }
    }

    #[test]
    #[should_panic(expected = "outside its storage")]
    fn a_layout_past_its_slice_is_refused() {
        let src = vec![1u8; 10];
        gather_dense(&src, &layout(&[3, 4], &[4, 1], 0), None);
    }
}
