//! Elementwise maps over strided (and broadcast) layouts, with a contiguous fast path.

use crate::parallel;
use crate::tensor::layout::Layout;
use crate::tensor::Element;
use std::mem::MaybeUninit;

/// Below this many elements a map stays on the calling thread: handing chunks to the pool
/// costs more than the second core saves (measured, see benches/README.md).
pub const PAR_MIN_ELEMS: usize = 1 << 17;

/// Applies `f` to every element of `src` viewed through `layout`, row-major.
pub fn map_unary<T: Element, U: Element>(
    src: &[T],
    layout: &Layout,
    f: impl Fn(T) -> U + Sync + Send,
) -> Vec<U> {
    let n = layout.numel();
    if n == 0 {
        // an empty view may carry an offset past the end of its storage
        return Vec::new();
    }
    // One path for one task and for many (`collect_chunks` runs a single chunk in
    // place): a serial copy of each loop would double the code of every op and dtype.
    let tasks = parallel::task_count(n, PAR_MIN_ELEMS);
    if layout.is_contiguous() {
        let s = &src[layout.storage_run(n)];
        return collect_chunks(n, tasks, |start, out| {
            fill(out, s[start..].iter().map(|&x| f(x)))
        });
    }
    // walk the innermost runs: broadcast (stride 0) and unit-stride runs get tight loops
    let (rows, inner) = rows_of(layout);
    collect_rows(rows, inner, tasks, |r0, out| {
        let mut w = Writer::new(out);
        for_each_inner_run_in(layout, layout, r0, w.rows(inner), |o, _, len, stride, _| {
            unary_run(&mut w, src, o, len, stride, &f)
        });
        w.finish()
    })
}

#[inline(always)]
fn unary_run<T: Element, U: Element>(
    w: &mut Writer<'_, U>,
    src: &[T],
    o: usize,
    len: usize,
    stride: isize,
    f: &impl Fn(T) -> U,
) {
    match stride {
        0 => w.extend(std::iter::repeat_n(f(src[o]), len)),
        1 => w.extend(src[o..o + len].iter().map(|&x| f(x))),
        _ => w.extend((0..len as isize).map(|k| f(src[(o as isize + k * stride) as usize]))),
    }
}

/// Applies `f` pairwise; both layouts must already have the output's shape
/// (broadcast dims carry stride 0).
pub fn map_binary<A: Element, B: Element, U: Element>(
    a: &[A],
    la: &Layout,
    b: &[B],
    lb: &Layout,
    f: impl Fn(A, B) -> U + Sync + Send,
) -> Vec<U> {
    debug_assert_eq!(la.shape, lb.shape);
    let n = la.numel();
    if n == 0 {
        return Vec::new();
    }
    // one path for one task and for many, as in `map_unary`
    let tasks = parallel::task_count(n, PAR_MIN_ELEMS);
    let a_contig = la.is_contiguous();
    let b_contig = lb.is_contiguous();
    if a_contig && b_contig {
        let sa = &a[la.storage_run(n)];
        let sb = &b[lb.storage_run(n)];
        return collect_chunks(n, tasks, |start, out| {
            let m = out.len();
            let (ca, cb) = (&sa[start..start + m], &sb[start..start + m]);
            fill(out, ca.iter().zip(cb).map(|(&x, &y)| f(x, y)))
        });
    }
    if a_contig && lb.strides.iter().all(|&s| s == 0) {
        let y = b[lb.offset];
        let sa = &a[la.storage_run(n)];
        return collect_chunks(n, tasks, |start, out| {
            fill(out, sa[start..].iter().map(|&x| f(x, y)))
        });
    }
    let all_zero = |l: &Layout| l.strides.iter().all(|&s| s == 0);
    if all_zero(la) && all_zero(lb) {
        // two broadcast scalars (gradients of a full `sum()` meeting): one value
        let mut out = crate::tensor::memory_limit::vec_with_capacity(n);
        out.resize(n, f(a[la.offset], b[lb.offset]));
        return out;
    }
    if let Some(out) = transposed_pair(a, la, b, lb, &f) {
        return out;
    }
    if b_contig && la.strides.iter().all(|&s| s == 0) {
        let x = a[la.offset];
        let sb = &b[lb.storage_run(n)];
        return collect_chunks(n, tasks, |start, out| {
            fill(out, sb[start..].iter().map(|&y| f(x, y)))
        });
    }
    // the common broadcast shapes get slice loops the compiler vectorizes (`binary_run`)
    let (rows, inner) = rows_of(la);
    collect_rows(rows, inner, tasks, |r0, out| {
        let mut w = Writer::new(out);
        for_each_inner_run_in(la, lb, r0, w.rows(inner), |oa, ob, len, sa, sb| {
            binary_run(&mut w, a, b, (oa, ob), len, (sa, sb), &f)
        });
        w.finish()
    })
}

#[inline(always)]
fn binary_run<A: Element, B: Element, U: Element>(
    w: &mut Writer<'_, U>,
    a: &[A],
    b: &[B],
    (oa, ob): (usize, usize),
    len: usize,
    (sa, sb): (isize, isize),
    f: &impl Fn(A, B) -> U,
) {
    match (sa, sb) {
        (1, 1) => w.extend(
            a[oa..oa + len]
                .iter()
                .zip(&b[ob..ob + len])
                .map(|(&x, &y)| f(x, y)),
        ),
        (1, 0) => {
            let y = b[ob];
            w.extend(a[oa..oa + len].iter().map(|&x| f(x, y)))
        }
        (0, 1) => {
            let x = a[oa];
            w.extend(b[ob..ob + len].iter().map(|&y| f(x, y)))
        }
        (0, 0) => w.extend(std::iter::repeat_n(f(a[oa], b[ob]), len)),
        _ => w.extend((0..len as isize).map(|k| {
            f(
                a[(oa as isize + k * sa) as usize],
                b[(ob as isize + k * sb) as usize],
            )
        })),
    }
}

/// Side of the square tiles `transposed_pair` walks: two 32 x 32 tiles of 8-byte values
/// stay in L1 while one is read across its rows and the other down its columns.
const TILE: usize = 32;

/// `f(a, b)` of two 2-D operands where one is row-major and the other column-major (as in
/// `x.t() + x`): square tiles, so that both are read from cache lines already loaded
/// instead of one element per line down the columns. None for every other pair of layouts.
fn transposed_pair<A: Element, B: Element, U: Element>(
    a: &[A],
    la: &Layout,
    b: &[B],
    lb: &Layout,
    f: &(impl Fn(A, B) -> U + Sync + Send),
) -> Option<Vec<U>> {
    if la.ndim() != 2 || la.numel() < TILE * TILE {
        return None;
    }
    let (rows, cols) = (la.shape[0], la.shape[1]);
    // rows (columns) that are contiguous runs apart from each other, as in a slice
    let row_major = |l: &Layout| l.strides[1] == 1 && l.strides[0] >= cols as isize;
    let col_major = |l: &Layout| l.strides[0] == 1 && l.strides[1] >= rows as isize;
    if !(row_major(la) && col_major(lb) || col_major(la) && row_major(lb)) {
        return None;
    }
    let (sa, sb) = (&la.strides, &lb.strides);
    let mut out = vec![U::default(); rows * cols];
    let per = rows
        .div_ceil(parallel::task_count(rows * cols, PAR_MIN_ELEMS))
        .next_multiple_of(TILE);
    parallel::for_each_chunk_mut(&mut out, per * cols, |start, chunk| {
        let first = start / cols;
        let band = chunk.len() / cols;
        for i0 in (0..band).step_by(TILE) {
            for j0 in (0..cols).step_by(TILE) {
                for i in i0..(i0 + TILE).min(band) {
                    let r = (first + i) as isize;
                    let (ra, rb) = (
                        la.offset as isize + r * sa[0],
                        lb.offset as isize + r * sb[0],
                    );
                    let dst = &mut chunk[i * cols..(i + 1) * cols];
                    for (j, d) in dst
                        .iter_mut()
                        .enumerate()
                        .take((j0 + TILE).min(cols))
                        .skip(j0)
                    {
                        let j = j as isize;
                        *d = f(a[(ra + j * sa[1]) as usize], b[(rb + j * sb[1]) as usize]);
                    }
                }
            }
        }
    });
    Some(out)
}

/// Writes `values` into the front of `out`; returns how many slots it filled.
#[inline(always)]
fn fill<U>(out: &mut [MaybeUninit<U>], values: impl Iterator<Item = U>) -> usize {
    let mut k = 0;
    for (slot, v) in out.iter_mut().zip(values) {
        slot.write(v);
        k += 1;
    }
    k
}

/// A cursor that fills an uninitialized output chunk from the front.
struct Writer<'a, U> {
    out: &'a mut [MaybeUninit<U>],
    at: usize,
}

impl<'a, U> Writer<'a, U> {
    fn new(out: &'a mut [MaybeUninit<U>]) -> Self {
        Writer { out, at: 0 }
    }
    /// How many whole rows of `inner` elements this chunk holds.
    fn rows(&self, inner: usize) -> usize {
        self.out.len() / inner.max(1)
    }
    #[inline(always)]
    fn extend(&mut self, values: impl Iterator<Item = U>) {
        self.at += fill(&mut self.out[self.at..], values);
    }
    fn finish(self) -> usize {
        self.at
    }
}

/// A layout as rows of its innermost dim: (row count, row length).
fn rows_of(layout: &Layout) -> (usize, usize) {
    let inner = layout.shape.last().copied().unwrap_or(1).max(1);
    (layout.numel() / inner, inner)
}

/// A fresh `Vec` of `n` values, its chunks filled in parallel: `fill(start, chunk)` writes
/// the values `start..start + chunk.len()` and returns how many it wrote.
fn collect_chunks<U: Element>(
    n: usize,
    tasks: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<U>]) -> usize + Sync + Send,
) -> Vec<U> {
    parallel::collect_with_chunk(n, parallel::chunk_len(n, tasks), |start, out| {
        fill(start, out)
    })
}

/// As `collect_chunks`, in chunks of whole rows: `fill(first_row, chunk)`.
fn collect_rows<U: Element>(
    rows: usize,
    inner: usize,
    tasks: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<U>]) -> usize + Sync + Send,
) -> Vec<U> {
    let chunk_rows = rows.div_ceil(tasks.max(1)).max(1);
    parallel::collect_with_chunk(rows * inner, chunk_rows * inner, |start, out| {
        fill(start / inner, out)
    })
}

/// Visits the innermost-dim runs of two same-shaped layouts: `(offset_a, offset_b,
/// length, stride_a, stride_b)` per run, in row-major order.
pub fn for_each_inner_run(
    la: &Layout,
    lb: &Layout,
    f: impl FnMut(usize, usize, usize, isize, isize),
) {
    if la.numel() == 0 {
        return;
    }
    let (rows, _) = rows_of(la);
    for_each_inner_run_in(la, lb, 0, rows, f)
}

/// `for_each_inner_run` over the rows `first..first + count` only (a row is one run of
/// the innermost dim; a 0-dim layout has one row of one element).
pub fn for_each_inner_run_in(
    la: &Layout,
    lb: &Layout,
    first: usize,
    count: usize,
    mut f: impl FnMut(usize, usize, usize, isize, isize),
) {
    if la.numel() == 0 || count == 0 {
        return;
    }
    let nd = la.ndim();
    if nd == 0 {
        f(la.offset, lb.offset, 1, 1, 1);
        return;
    }
    let inner = la.shape[nd - 1];
    let (sa_in, sb_in) = (la.strides[nd - 1], lb.strides[nd - 1]);
    // the row index `first` as an odometer over the leading dims
    let mut index = vec![0usize; nd];
    let (mut base_a, mut base_b) = (la.offset as isize, lb.offset as isize);
    let mut rest = first;
    for d in (0..nd - 1).rev() {
        index[d] = rest % la.shape[d];
        rest /= la.shape[d];
        base_a += index[d] as isize * la.strides[d];
        base_b += index[d] as isize * lb.strides[d];
    }
    for _ in 0..count {
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
        dst[layout.storage_run(values.len())].copy_from_slice(values);
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
    fn threaded_maps_match_one_thread_around_the_threshold() {
        use crate::parallel::{with_threads, TEST_LOCK};
        let _g = TEST_LOCK.lock();
        for n in [PAR_MIN_ELEMS * 2 - 1, PAR_MIN_ELEMS * 2 + 1, 200_003] {
            let a: Vec<f32> = (0..2 * n + 3).map(|i| (i as f32 * 0.37).sin()).collect();
            // offset 3: chunks start at unaligned addresses; stride 2 and a broadcast row
            let contiguous = Layout {
                offset: 3,
                ..Layout::contiguous(&[n])
            };
            let strided = Layout {
                shape: smallvec::smallvec![n],
                strides: smallvec::smallvec![2],
                offset: 1,
            };
            let rows = n / 101;
            let row = Layout::contiguous(&[101])
                .broadcast_to(&[rows, 101])
                .unwrap();
            let grid = Layout {
                offset: 2,
                ..Layout::contiguous(&[rows, 101])
            };
            let run = |threads| {
                with_threads(threads, || {
                    (
                        map_unary(&a, &contiguous, |x| x * 3.0 + 1.0),
                        map_unary(&a, &strided, |x| x - 0.5),
                        map_binary(&a, &contiguous, &a, &strided, |x, y| x * y),
                        map_binary(&a, &grid, &a, &row, |x, y| x + y),
                        map_binary(
                            &a,
                            &contiguous,
                            &[2.0f32],
                            &Layout::contiguous(&[1]).broadcast_to(&[n]).unwrap(),
                            |x, y| x / y,
                        ),
                    )
                })
            };
            let one = run(1);
            assert_eq!(one, run(2));
            assert_eq!(one, run(3));
            assert_eq!(
                one.1,
                (0..n).map(|i| a[1 + 2 * i] - 0.5).collect::<Vec<_>>()
            );
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
