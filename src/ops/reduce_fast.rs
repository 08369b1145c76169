//! Fast paths of the reductions along dims (softmax, max/min with indices, amax/amin,
//! multi-dim sums and products, var/std, logsumexp, cumsum/cumprod): the tensor's values
//! read once in memory order in their own type through `kernels::dim_lanes`, in place of
//! the generic paths that gather each lane as float64. Each returns `None` where it does
//! not apply (other dtypes), and the caller keeps its general path.

use crate::error::Result;
use crate::kernels::dim_lanes::{self, Ordered, Real, Split};
use crate::kernels::reduce::{fold_blocks, PAR_MIN_REDUCE_ELEMS};
use crate::kernels::sum_lanes;
use crate::parallel;
use crate::tensor::{DType, Element, Tensor};

/// Runs `f` on the row-major values of `t` as `T`: its own storage when it is contiguous
/// and of type `T`, else a row-major copy.
pub(crate) fn with_values<T: Element, R>(t: &Tensor, f: impl FnOnce(&[T]) -> R) -> R {
    if t.numel() == 0 {
        return f(&[]); // an empty view's offset may lie past its (empty) storage
    }
    if t.is_contiguous() && t.dtype() == T::DTYPE {
        let g = t.storage().read();
        let off = t.storage_offset();
        return f(&g.as_slice::<T>()[off..off + t.numel()]);
    }
    f(&t.to_vec::<T>())
}

/// How many whole blocks of `block` values each task takes so that a task has at least
/// `PAR_MIN_REDUCE_ELEMS` values (all of them on one thread below that).
fn blocks_per_task(blocks: usize, block: usize) -> usize {
    let tasks = parallel::task_count(blocks * block, PAR_MIN_REDUCE_ELEMS).min(blocks.max(1));
    blocks.div_ceil(tasks.max(1)).max(1)
}

/// `out` (`outer` blocks of `block` values) filled block by block by `f(block_index,
/// dst)`, the blocks spread over the intra-op threads above the threshold.
fn fill_blocks<U: Send + Default + Clone>(
    outer: usize,
    block: usize,
    f: impl Fn(usize, &mut [U]) + Sync + Send,
) -> Vec<U> {
    let mut out = vec![U::default(); outer * block];
    if block == 0 {
        return out;
    }
    let per = blocks_per_task(outer, block);
    parallel::for_each_chunk_mut(&mut out, per * block, |start, chunk| {
        for (b, dst) in chunk.chunks_mut(block).enumerate() {
            f(start / block + b, dst);
        }
    });
    out
}

/// Softmax / log-softmax of a float32 or float64 tensor along `dim`.
pub(crate) fn softmax(x: &Tensor, dim: usize, log: bool) -> Result<Option<Tensor>> {
    fn run<T: Real + Element>(x: &Tensor, dim: usize, log: bool) -> Result<Tensor> {
        let s = Split::new(x.shape(), dim);
        let out = with_values::<T, _>(x, |v| {
            fill_blocks(s.outer, s.block(), |b, dst| {
                let src = &v[b * s.block()..(b + 1) * s.block()];
                let mut scratch = vec![T::default(); if s.inner == 1 { s.n } else { 2 * s.inner }];
                dim_lanes::softmax_block(src, dst, s.inner, &mut scratch, log);
            })
        });
        Tensor::from_vec(out, x.shape())
    }
    Ok(match x.dtype() {
        DType::F32 if x.numel() > 0 => Some(run::<f32>(x, dim, log)?),
        DType::F64 if x.numel() > 0 => Some(run::<f64>(x, dim, log)?),
        _ => None,
    })
}

/// The softmax / log-softmax backward of float32 or float64 `g` and `y` of one dtype.
pub(crate) fn softmax_backward(
    g: &Tensor,
    y: &Tensor,
    dim: usize,
    log: bool,
) -> Result<Option<Tensor>> {
    fn run<T: Real + Element>(g: &Tensor, y: &Tensor, dim: usize, log: bool) -> Result<Tensor> {
        let s = Split::new(y.shape(), dim);
        let out = with_values::<T, _>(g, |gv| {
            with_values::<T, _>(y, |yv| {
                fill_blocks(s.outer, s.block(), |b, dst| {
                    let r = b * s.block()..(b + 1) * s.block();
                    dim_lanes::softmax_backward_block(&gv[r.clone()], &yv[r], dst, s.inner, log);
                })
            })
        });
        Tensor::from_vec(out, y.shape())
    }
    if g.shape() != y.shape() || g.dtype() != y.dtype() || y.numel() == 0 {
        return Ok(None);
    }
    Ok(match y.dtype() {
        DType::F32 => Some(run::<f32>(g, y, dim, log)?),
        DType::F64 => Some(run::<f64>(g, y, dim, log)?),
        _ => None,
    })
}

/// Max (min) along `dim` of a tensor whose `dim` is not empty: the values (row-major over
/// the other dims) and the index of each one's first occurrence, NaN winning.
pub(crate) fn extreme_dim<T: Element + Ordered>(
    t: &Tensor,
    dim: usize,
    is_max: bool,
) -> (Vec<T>, Vec<i64>) {
    if t.numel() == 0 {
        // the reduced dim is not empty, so another is: no outputs
        return (vec![], vec![]);
    }
    let s = Split::new(t.shape(), dim);
    with_values::<T, _>(t, |v| {
        if s.inner == 1 {
            let per = blocks_per_task(s.outer, s.n);
            let pairs = parallel::collect_with_chunk(s.outer, per, |first, out| {
                for (k, slot) in out.iter_mut().enumerate() {
                    let o = first + k;
                    let (m, i) = dim_lanes::run_extreme(&v[o * s.n..(o + 1) * s.n], is_max);
                    slot.write((m, i as i64));
                }
                out.len()
            });
            return pairs.into_iter().unzip();
        }
        let mut vals = vec![T::default(); s.outer * s.inner];
        let mut idx = vec![0i64; s.outer * s.inner];
        for o in 0..s.outer {
            let r = o * s.inner..(o + 1) * s.inner;
            dim_lanes::rows_extreme(
                &v[o * s.block()..(o + 1) * s.block()],
                s.n,
                &mut vals[r.clone()],
                &mut idx[r],
                is_max,
            );
        }
        (vals, idx)
    })
}

/// Row-major input positions of the chosen elements given their indices along `dim`.
pub(crate) fn chosen_positions(shape: &[usize], dim: usize, idx: &[i64]) -> Vec<i64> {
    let s = Split::new(shape, dim);
    let mut pos = Vec::with_capacity(idx.len());
    for o in 0..s.outer {
        for j in 0..s.inner {
            let i = idx[o * s.inner + j] as usize;
            pos.push((o * s.block() + i * s.inner + j) as i64);
        }
    }
    pos
}

/// The max (min) over the dims `rdims` (sorted, none empty) of a tensor, NaN winning:
/// one dim at a time from the last (max and min are exact, so the order cannot change a
/// value). Row-major over the kept dims.
pub(crate) fn extreme_dims<T: Element + Ordered>(
    t: &Tensor,
    rdims: &[usize],
    is_max: bool,
) -> Vec<T> {
    if t.numel() == 0 {
        return vec![];
    }
    with_values::<T, _>(t, |v| {
        if rdims.len() == t.ndim() {
            let m = fold_blocks(
                v,
                |b| dim_lanes::run_extreme_value(b, is_max),
                |a, b| dim_lanes::run_extreme_value(&[a, b], is_max),
            );
            return m.into_iter().collect();
        }
        let mut shape = t.shape().to_vec();
        let mut cur: Option<Vec<T>> = None;
        for &d in rdims.iter().rev() {
            let src: &[T] = cur.as_deref().unwrap_or(v);
            let s = Split::new(&shape, d);
            let next = if s.inner == 1 {
                (0..s.outer)
                    .map(|o| dim_lanes::run_extreme_value(&src[o * s.n..(o + 1) * s.n], is_max))
                    .collect()
            } else {
                let mut out = vec![T::default(); s.outer * s.inner];
                for (o, dst) in out.chunks_mut(s.inner).enumerate() {
                    dim_lanes::rows_extreme_value(
                        &src[o * s.block()..(o + 1) * s.block()],
                        s.n,
                        dst,
                        is_max,
                    );
                }
                out
            };
            shape.remove(d);
            cur = Some(next);
        }
        cur.unwrap_or_else(|| v.to_vec())
    })
}

/// What `fold_dims_f64` folds: sums, products, sums of squares or of absolute values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    Sum,
    Prod,
    Squares,
    Abs,
}

/// Float64 folds of a float32/float64 tensor over `rdims` (sorted), one dim at a time
/// from the last, each through contiguous runs or whole rows (the element map of
/// `Squares`/`Abs` applies on the first). Row-major over the kept dims; `None` for other
/// dtypes.
pub(crate) fn fold_dims_f64(t: &Tensor, rdims: &[usize], fold: Fold) -> Option<Vec<f64>> {
    if t.numel() == 0 {
        return None;
    }
    fn run<T: Element + sum_lanes::LaneSums>(t: &Tensor, rdims: &[usize], fold: Fold) -> Vec<f64> {
        with_values::<T, _>(t, |v| {
            let mut shape = t.shape().to_vec();
            let mut cur: Option<Vec<f64>> = None;
            let is_prod = fold == Fold::Prod;
            for &d in rdims.iter().rev() {
                let s = Split::new(&shape, d);
                let next = match (&cur, fold) {
                    (None, Fold::Squares) => fold_step(
                        v,
                        s,
                        false,
                        |r| T::sum_squared_deviations(r, 0.0),
                        |x| {
                            let x = x.to_f64();
                            x * x
                        },
                    ),
                    (None, Fold::Abs) => {
                        fold_step(v, s, false, |r| abs_sum(r), |x| x.to_f64().abs())
                    }
                    (None, _) => fold_step(v, s, is_prod, T::sum, T::to_f64),
                    (Some(c), _) => fold_step(c, s, is_prod, sum_lanes::sum_f64, |x| x),
                };
                shape.remove(d);
                cur = Some(next);
            }
            cur.unwrap_or_else(|| {
                v.iter()
                    .map(|x| match fold {
                        Fold::Squares => x.to_f64() * x.to_f64(),
                        Fold::Abs => x.to_f64().abs(),
                        _ => x.to_f64(),
                    })
                    .collect()
            })
        })
    }
    match t.dtype() {
        DType::F32 => Some(run::<f32>(t, rdims, fold)),
        DType::F64 => Some(run::<f64>(t, rdims, fold)),
        _ => None,
    }
}

/// The float64 sum of absolute values over sixteen running sums.
fn abs_sum<T: Element>(s: &[T]) -> f64 {
    let mut acc = [0.0f64; 16];
    let chunks = s.chunks_exact(16);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..16 {
            acc[k] += c[k].to_f64().abs();
        }
    }
    acc.iter().sum::<f64>() + rest.iter().map(|x| x.to_f64().abs()).sum::<f64>()
}

/// One dim of `fold_dims_f64`: each lane folded by `lane_fold`, or whole rows added
/// (multiplied) after `to_f64`.
fn fold_step<T: Copy + Sync>(
    src: &[T],
    s: Split,
    is_prod: bool,
    lane_fold: impl Fn(&[T]) -> f64 + Sync,
    to_f64: impl Fn(T) -> f64 + Sync + Copy,
) -> Vec<f64> {
    if s.inner == 1 {
        let per = blocks_per_task(s.outer, s.n);
        return parallel::collect_with_chunk(s.outer, per, |first, out| {
            for (k, slot) in out.iter_mut().enumerate() {
                let lane = &src[(first + k) * s.n..(first + k + 1) * s.n];
                slot.write(if is_prod {
                    lane_product(lane, to_f64)
                } else {
                    lane_fold(lane)
                });
            }
            out.len()
        });
    }
    fill_blocks(s.outer, s.inner, |o, dst: &mut [f64]| {
        let block = &src[o * s.block()..(o + 1) * s.block()];
        dst.iter_mut()
            .for_each(|d| *d = if is_prod { 1.0 } else { 0.0 });
        for row in block.chunks_exact(s.inner) {
            for (d, &x) in dst.iter_mut().zip(row) {
                if is_prod {
                    *d *= to_f64(x);
                } else {
                    *d += to_f64(x);
                }
            }
        }
    })
}

/// A float64 product over sixteen running products.
fn lane_product<T: Copy>(s: &[T], to_f64: impl Fn(T) -> f64) -> f64 {
    let mut acc = [1.0f64; 16];
    let chunks = s.chunks_exact(16);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..16 {
            acc[k] *= to_f64(c[k]);
        }
    }
    acc.iter().product::<f64>() * rest.iter().map(|&x| to_f64(x)).product::<f64>()
}

/// The values of `t` with the dims `rdims` (sorted) moved last, row-major, passed to `f`
/// (the tensor's own storage when that order is already its memory order).
fn with_grouped<T: Element, R>(t: &Tensor, rdims: &[usize], f: impl FnOnce(&[T]) -> R) -> R {
    let kept = (0..t.ndim()).filter(|d| !rdims.contains(d));
    let perm: Vec<usize> = kept.chain(rdims.iter().copied()).collect();
    let view = t.view_with_layout(t.layout().permuted(&perm));
    with_values::<T, _>(&view, f)
}

/// Per group of the dims `rdims`: the float64 mean and sum of squared deviations of a
/// float32/float64 tensor, and the group size. `None` for other dtypes.
pub(crate) fn moments(t: &Tensor, rdims: &[usize]) -> Option<(Vec<f64>, Vec<f64>, usize)> {
    if t.numel() == 0 {
        return None;
    }
    fn run<T: Element + sum_lanes::LaneSums>(
        t: &Tensor,
        rdims: &[usize],
    ) -> (Vec<f64>, Vec<f64>, usize) {
        let m: usize = rdims.iter().map(|&d| t.shape()[d]).product();
        let groups: usize = (0..t.ndim())
            .filter(|d| !rdims.contains(d))
            .map(|d| t.shape()[d])
            .product();
        if let [d] = *rdims {
            let s = Split::new(t.shape(), d);
            if s.inner > 1 {
                // whole rows: column means, then column sums of squared deviations
                return with_values::<T, _>(t, |v| {
                    let mut means = vec![0.0f64; groups];
                    let mut sq = vec![0.0f64; groups];
                    for o in 0..s.outer {
                        let block = &v[o * s.block()..(o + 1) * s.block()];
                        let mean = &mut means[o * s.inner..(o + 1) * s.inner];
                        for row in block.chunks_exact(s.inner) {
                            for (a, &x) in mean.iter_mut().zip(row) {
                                *a += x.to_f64();
                            }
                        }
                        mean.iter_mut().for_each(|a| *a /= s.n as f64);
                        let ss = &mut sq[o * s.inner..(o + 1) * s.inner];
                        for row in block.chunks_exact(s.inner) {
                            for ((a, &x), &mu) in ss.iter_mut().zip(row).zip(mean.iter()) {
                                let dv = x.to_f64() - mu;
                                *a += dv * dv;
                            }
                        }
                    }
                    (sq, means, m)
                });
            }
        }
        with_grouped::<T, _>(t, rdims, |v| {
            let add = |a: f64, b: f64| a + b;
            let mut means = Vec::with_capacity(groups);
            let mut sq = Vec::with_capacity(groups);
            for gi in 0..groups {
                let lane = &v[gi * m..(gi + 1) * m];
                let mean = fold_blocks(lane, T::sum, add).unwrap_or(0.0) / m as f64;
                let ss = fold_blocks(lane, |b| T::sum_squared_deviations(b, mean), add);
                means.push(mean);
                sq.push(ss.unwrap_or(0.0));
            }
            (sq, means, m)
        })
    }
    match t.dtype() {
        DType::F32 => Some(run::<f32>(t, rdims)),
        DType::F64 => Some(run::<f64>(t, rdims)),
        _ => None,
    }
}

/// `logsumexp` over `rdims` (sorted) of a float32/float64 tensor, float64 row-major over
/// the kept dims; `None` for other dtypes or an empty group.
pub(crate) fn logsumexp(t: &Tensor, rdims: &[usize]) -> Option<Vec<f64>> {
    fn run<T: Element + Real>(v: &[T], s: Split) -> Vec<f64> {
        fill_blocks(s.outer, s.inner, |o, out: &mut [f64]| {
            let len = if s.inner == 1 {
                1 + 2 * s.n
            } else {
                3 * s.inner
            };
            let mut scratch = vec![T::default(); len];
            let block = &v[o * s.block()..(o + 1) * s.block()];
            dim_lanes::logsumexp_block(block, s.inner, &mut scratch, out);
        })
    }
    let m: usize = rdims.iter().map(|&d| t.shape()[d]).product();
    if m == 0 || t.numel() == 0 {
        return None;
    }
    let s = match *rdims {
        [d] => Split::new(t.shape(), d),
        _ => Split {
            outer: t.numel() / m,
            n: m,
            inner: 1,
        },
    };
    let single = rdims.len() == 1;
    match t.dtype() {
        DType::F32 if single => Some(with_values::<f32, _>(t, |v| run(v, s))),
        DType::F64 if single => Some(with_values::<f64, _>(t, |v| run(v, s))),
        DType::F32 => Some(with_grouped::<f32, _>(t, rdims, |v| run(v, s))),
        DType::F64 => Some(with_grouped::<f64, _>(t, rdims, |v| run(v, s))),
        _ => None,
    }
}

/// Cumulative sums (`is_prod`: products) along `dim` of a float32/float64/int64 tensor:
/// floats accumulate in float64 and store each running value in their type (PyTorch's
/// CPU scan), int64 wraps. A float sum starts from +0.0. `None` for other dtypes.
pub(crate) fn scan(t: &Tensor, dim: usize, is_prod: bool) -> Result<Option<Tensor>> {
    fn run<T: Element, A: Copy + Send + Sync>(
        t: &Tensor,
        dim: usize,
        start: A,
        step: impl Fn(A, T) -> A + Sync + Send + Copy,
        store: impl Fn(A) -> T + Sync + Send + Copy,
    ) -> Result<Tensor> {
        let s = Split::new(t.shape(), dim);
        if s.inner == 1 {
            let out = with_values::<T, _>(t, |v| scan_rows(v, s.n, start, step, store));
            return Tensor::from_vec(out, t.shape());
        }
        let out = with_values::<T, _>(t, |v| {
            fill_blocks(s.outer, s.block(), |o, dst: &mut [T]| {
                let block = &v[o * s.block()..(o + 1) * s.block()];
                let mut acc = vec![start; s.inner];
                for (row, out) in block
                    .chunks_exact(s.inner)
                    .zip(dst.chunks_exact_mut(s.inner))
                {
                    for ((a, &x), d) in acc.iter_mut().zip(row).zip(out.iter_mut()) {
                        *a = step(*a, x);
                        *d = store(*a);
                    }
                }
            })
        });
        Tensor::from_vec(out, t.shape())
    }
    if t.ndim() == 0 || t.numel() == 0 {
        return Ok(None);
    }
    let out = match (t.dtype(), is_prod) {
        (DType::F32, false) => run::<f32, f64>(t, dim, 0.0, |a, x| a + x as f64, |a| a as f32)?,
        (DType::F32, true) => run::<f32, f64>(t, dim, 1.0, |a, x| a * x as f64, |a| a as f32)?,
        (DType::F64, false) => run::<f64, f64>(t, dim, 0.0, |a, x| a + x, |a| a)?,
        (DType::F64, true) => run::<f64, f64>(t, dim, 1.0, |a, x| a * x, |a| a)?,
        (DType::I64, false) => run::<i64, i64>(t, dim, 0, |a, x| a.wrapping_add(x), |a| a)?,
        (DType::I64, true) => run::<i64, i64>(t, dim, 1, |a, x| a.wrapping_mul(x), |a| a)?,
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// How many contiguous rows `scan_rows` walks side by side: independent running values
/// hide the latency of each float64 add (multiply) behind the others.
const SCAN_ROWS: usize = 8;

/// The scan of each contiguous row of `n` values of `v`, `SCAN_ROWS` rows at a time, the
/// row groups spread over the intra-op threads above the threshold.
fn scan_rows<T: Element, A: Copy + Send + Sync>(
    v: &[T],
    n: usize,
    start: A,
    step: impl Fn(A, T) -> A + Sync + Send + Copy,
    store: impl Fn(A) -> T + Sync + Send + Copy,
) -> Vec<T> {
    let mut out = vec![T::default(); v.len()];
    if n == 0 {
        return out;
    }
    let rows = v.len() / n;
    let per = blocks_per_task(rows, n).next_multiple_of(SCAN_ROWS);
    parallel::for_each_chunk_mut(&mut out, per * n, |first, chunk| {
        let src = &v[first..first + chunk.len()];
        let mut groups = src.chunks_exact(SCAN_ROWS * n);
        let mut dsts = chunk.chunks_exact_mut(SCAN_ROWS * n);
        for (g, d) in (&mut groups).zip(&mut dsts) {
            let mut acc = [start; SCAN_ROWS];
            for j in 0..n {
                for (r, a) in acc.iter_mut().enumerate() {
                    *a = step(*a, g[r * n + j]);
                    d[r * n + j] = store(*a);
                }
            }
        }
        for (row, d) in groups
            .remainder()
            .chunks_exact(n)
            .zip(dsts.into_remainder().chunks_exact_mut(n))
        {
            let mut a = start;
            for (o, &x) in d.iter_mut().zip(row) {
                a = step(a, x);
                *o = store(a);
            }
        }
    });
    out
}
