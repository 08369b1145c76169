//! `layer_norm`'s forward and backward formulas in one pass per row over float32/float64
//! data (statistics accumulated in float64): the output with the mean and 1/std that
//! PyTorch's `NativeLayerNormBackward0` keeps, and the three gradients from them. Other
//! dtypes (and weights of another dtype) give None: the caller composes ops instead.

use super::float::Float;
use super::sepmap::with_elements;
use crate::error::Result;
use crate::kernels::dim_lanes::dispatched;
use crate::kernels::sum_lanes::LaneSums;
use crate::tensor::{DType, Element, Tensor};

/// Shape of the kept statistics: the batch dims, then a 1 per normalized dim.
fn stats_shape(x: &Tensor, n_dims: usize) -> Vec<usize> {
    let nd = x.ndim();
    let mut shape = x.shape()[..nd - n_dims].to_vec();
    shape.resize(nd, 1);
    shape
}

fn row_len(x: &Tensor, n_dims: usize) -> usize {
    x.shape()[x.ndim() - n_dims..].iter().product()
}

fn same_float(x: &Tensor, others: &[Option<&Tensor>]) -> bool {
    matches!(x.dtype(), DType::F32 | DType::F64)
        && others.iter().flatten().all(|t| t.dtype() == x.dtype())
}

fn values<T: Element>(t: Option<&Tensor>) -> Option<Vec<T>> {
    t.map(|t| t.to_vec::<T>())
}

/// (out, mean, rstd) of `x` normalized over its last `n_dims` dims, or None for dtypes
/// this kernel does not take.
pub fn layer_norm_forward(
    x: &Tensor,
    n_dims: usize,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> Result<Option<(Tensor, Tensor, Tensor)>> {
    if !same_float(x, &[weight, bias]) {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), forward(x, n_dims, weight, bias, eps)).map(Some)
}

fn forward<T: Float + LaneSums>(
    x: &Tensor,
    n_dims: usize,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> Result<(Tensor, Tensor, Tensor)> {
    let m = row_len(x, n_dims);
    let rows = x.numel().checked_div(m).unwrap_or(0);
    // no weight is a scale of 1, no bias a shift of 0: one branch-free loop
    let gamma: Vec<T> = values::<T>(weight).unwrap_or_else(|| vec![T::one(); m]);
    let beta: Vec<T> = values::<T>(bias).unwrap_or_else(|| vec![T::zero(); m]);
    let mut out = vec![T::zero(); x.numel()];
    let rows_per_task = rows
        .div_ceil(crate::parallel::task_count(x.numel(), 1 << 15))
        .max(1);
    let stats: Vec<(f64, f64)> = with_elements::<T, _>(x, |xs| {
        let tasks = rows.div_ceil(rows_per_task);
        let stats: Vec<(f64, f64)> = crate::parallel::map_tasks(tasks, |i| {
            let rows = i * rows_per_task..((i + 1) * rows_per_task).min(rows);
            rows.map(|r| {
                let row = &xs[r * m..(r + 1) * m];
                let mean = T::sum(row) / m as f64;
                let var = T::sum_squared_deviations(row, mean) / m as f64;
                (mean, 1.0 / (var + eps).sqrt())
            })
            .collect::<Vec<_>>()
        })
        .concat();
        crate::parallel::for_each_chunk_mut(&mut out, rows_per_task * m.max(1), |start, chunk| {
            for (k, orow) in chunk.chunks_mut(m.max(1)).enumerate() {
                let r = start / m.max(1) + k;
                let (mean, rstd) = stats[r];
                let row = &xs[r * m..(r + 1) * m];
                // PyTorch's formula in the input's type: (x * rstd - rstd * mean) * w + b, the
                // shift rounded from the rounded statistics (0 exactly for a row of one)
                let scale = T::from_f64(rstd);
                let shift = -(scale * T::from_f64(mean));
                for (((o, &v), &w), &b) in orow.iter_mut().zip(row).zip(&gamma).zip(&beta) {
                    *o = (v * scale + shift) * w + b;
                }
            }
        });
        stats
    });
    let stats_dims = stats_shape(x, n_dims);
    let means = stats.iter().map(|s| T::from_f64(s.0)).collect::<Vec<T>>();
    let rstds = stats.iter().map(|s| T::from_f64(s.1)).collect::<Vec<T>>();
    Ok((
        Tensor::from_vec(out, x.shape())?,
        Tensor::from_vec(means, &stats_dims)?,
        Tensor::from_vec(rstds, &stats_dims)?,
    ))
}

/// The gradients (input, weight, bias) for the incoming `grad`, from the kept statistics,
/// or None for dtypes this kernel does not take.
pub fn layer_norm_backward(
    grad: &Tensor,
    x: &Tensor,
    mean: &Tensor,
    rstd: &Tensor,
    weight: Option<&Tensor>,
    n_dims: usize,
) -> Result<Option<(Tensor, Tensor, Tensor)>> {
    if !same_float(x, &[Some(grad), Some(mean), Some(rstd), weight]) {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), backward(grad, x, mean, rstd, weight, n_dims)).map(Some)
}

fn backward<T: Float>(
    grad: &Tensor,
    x: &Tensor,
    mean: &Tensor,
    rstd: &Tensor,
    weight: Option<&Tensor>,
    n_dims: usize,
) -> Result<(Tensor, Tensor, Tensor)> {
    let m = row_len(x, n_dims);
    let rows = x.numel().checked_div(m).unwrap_or(0);
    let w = values::<T>(weight);
    let (means, rstds) = (mean.to_vec::<T>(), rstd.to_vec::<T>());
    let g = grad.to_vec::<T>();
    let mut gx = vec![T::zero(); x.numel()];
    let (mut gw, mut gb) = (vec![0.0f64; m], vec![0.0f64; m]);
    let w64: Vec<f64> = w.map_or(vec![1.0; m], |w| w.iter().map(|v| v.to_f64()).collect());
    with_elements::<T, _>(x, |xs| {
        for r in 0..rows {
            let span = r * m..(r + 1) * m;
            let (mu, a) = (means[r].to_f64(), rstds[r].to_f64());
            let sums = (&mut gw[..], &mut gb[..]);
            backward_row(
                &xs[span.clone()],
                &g[span.clone()],
                &w64,
                (mu, a),
                sums,
                &mut gx[span],
            );
        }
    });
    let param_shape = &x.shape()[x.ndim() - n_dims..];
    let narrow = |v: Vec<f64>| v.into_iter().map(T::from_f64).collect::<Vec<T>>();
    Ok((
        Tensor::from_vec(gx, x.shape())?,
        Tensor::from_vec(narrow(gw), param_shape)?,
        Tensor::from_vec(narrow(gb), param_shape)?,
    ))
}

/// Partial sums per row in `backward_row`: one running sum would wait on every addition.
const PARTIALS: usize = 8;

/// One row of the backward: adds the row's terms to the weight and bias gradients
/// (`sums`) and writes its input gradient into `gx`, all in float64.
#[inline(always)]
fn backward_row_impl<T: Float>(
    row: &[T],
    grow: &[T],
    w64: &[f64],
    (mu, a): (f64, f64),
    (gw, gb): (&mut [f64], &mut [f64]),
    gx: &mut [T],
) {
    let m = row.len();
    // sums of g*w*x and g*w over the row; element j goes to partial j % PARTIALS
    // (separate simple loops: each compiles to whole-vector arithmetic)
    let (mut ds, mut db) = ([0.0f64; PARTIALS], [0.0f64; PARTIALS]);
    let whole = m / PARTIALS * PARTIALS;
    let chunks = row[..whole]
        .chunks_exact(PARTIALS)
        .zip(grow[..whole].chunks_exact(PARTIALS))
        .zip(w64[..whole].chunks_exact(PARTIALS));
    for ((xc, gc), wc) in chunks {
        for k in 0..PARTIALS {
            let gwj = gc[k].to_f64() * wc[k];
            ds[k] += gwj * xc[k].to_f64();
            db[k] += gwj;
        }
    }
    for j in whole..m {
        let gwj = grow[j].to_f64() * w64[j];
        ds[j - whole] += gwj * row[j].to_f64();
        db[j - whole] += gwj;
    }
    let params = gw.iter_mut().zip(gb.iter_mut()).zip(row).zip(grow);
    for (((gwj, gbj), &x), &g) in params {
        let g = g.to_f64();
        *gwj += g * (x.to_f64() - mu) * a;
        *gbj += g;
    }
    let (ds, db) = (ds.iter().sum::<f64>(), db.iter().sum::<f64>());
    let b = (db * mu - ds) * a * a * a / m as f64;
    let c = -b * mu - db * a / m as f64;
    for (((o, &x), &g), &w) in gx.iter_mut().zip(row).zip(grow).zip(w64) {
        *o = T::from_f64(a * g.to_f64() * w + b * x.to_f64() + c);
    }
}

dispatched!(
    /// `backward_row_impl` compiled for the best instruction set of this CPU.
    backward_row<T: Float>(
        row: &[T],
        grow: &[T],
        w64: &[f64],
        stats: (f64, f64),
        sums: (&mut [f64], &mut [f64]),
        gx: &mut [T]
    ) = backward_row_impl
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_normalizes_each_row_and_keeps_its_statistics() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0, 3.0, -1.0, 0.0, 4.0], &[2, 3]).unwrap();
        let (out, mean, rstd) = layer_norm_forward(&x, 1, None, None, 0.0).unwrap().unwrap();
        assert_eq!(mean.shape(), &[2, 1]);
        assert_eq!(mean.to_vec::<f64>(), vec![2.0, 1.0]);
        let r0 = 1.0 / (2.0f64 / 3.0).sqrt();
        assert!((rstd.to_vec::<f64>()[0] - r0).abs() < 1e-15);
        let got = out.to_vec::<f64>();
        assert!((got[0] + r0).abs() < 1e-15 && got[1].abs() < 1e-15);
    }

    #[test]
    fn backward_of_a_constant_upstream_gradient_sums_to_zero_per_row() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0, 4.0], &[1, 3]).unwrap();
        let (_, mean, rstd) = layer_norm_forward(&x, 1, None, None, 1e-5)
            .unwrap()
            .unwrap();
        let g = Tensor::from_vec(vec![1.0f64, 1.0, 1.0], &[1, 3]).unwrap();
        let (gx, _, gb) = layer_norm_backward(&g, &x, &mean, &rstd, None, 1)
            .unwrap()
            .unwrap();
        assert!(gx.to_vec::<f64>().iter().all(|v| v.abs() < 1e-12));
        assert_eq!(gb.to_vec::<f64>(), vec![1.0, 1.0, 1.0]);
    }

    #[test]
    fn other_dtypes_are_left_to_the_composed_ops() {
        let x = Tensor::from_vec(vec![1i64, 2], &[2]).unwrap();
        assert!(layer_norm_forward(&x, 1, None, None, 1e-5)
            .unwrap()
            .is_none());
    }
}
