//! `batch_norm`'s forward and backward over float32/float64 data of shape (N, C, *), in
//! passes that walk memory in order (per-channel sums in float64): the output and the
//! batch mean, 1/std and biased variance (training; PyTorch's `NativeBatchNormBackward0`
//! keeps the first two), or the output from running statistics (evaluation), and the three
//! gradients. Other dtypes, and statistics or parameters of another dtype, give None: the
//! caller composes ops instead.

use super::float::Float;
use super::sepmap::with_elements;
use crate::error::Result;
use crate::kernels::sum_lanes::LaneSums;
use crate::tensor::{DType, Tensor};

/// (batch, channels, elements per channel and sample) of an (N, C, *) input.
fn extents(x: &Tensor) -> (usize, usize, usize) {
    let s = x.shape();
    let spatial = s[2..].iter().product();
    (s[0], s[1], spatial)
}

fn takes(x: &Tensor, others: &[Option<&Tensor>]) -> bool {
    matches!(x.dtype(), DType::F32 | DType::F64)
        && x.ndim() >= 2
        && others.iter().flatten().all(|t| t.dtype() == x.dtype())
}

/// `f(c, run)` for every channel run of `xs` (N·C runs of `spatial` elements), in memory
/// order.
fn for_each_run<T>(
    xs: &[T],
    (n, c, spatial): (usize, usize, usize),
    mut f: impl FnMut(usize, &[T]),
) {
    for b in 0..n {
        for ch in 0..c {
            let at = (b * c + ch) * spatial;
            f(ch, &xs[at..at + spatial]);
        }
    }
}

/// The normalized output, by PyTorch's transform per channel:
/// `x * (invstd * w) + (b - mean * invstd * w)`.
#[allow(clippy::too_many_arguments)]
fn normalized<T: Float>(
    xs: &[T],
    ext: (usize, usize, usize),
    mean: &[f64],
    var: &[f64],
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> Vec<T> {
    let c = ext.1;
    let (w, b) = (
        per_channel::<T>(weight, c, 1.0),
        per_channel::<T>(bias, c, 0.0),
    );
    let scale: Vec<T> = (0..c)
        .map(|k| T::from_f64(w[k] / (var[k] + eps).sqrt()))
        .collect();
    let shift: Vec<T> = (0..c)
        .map(|k| T::from_f64(b[k] - mean[k] * w[k] / (var[k] + eps).sqrt()))
        .collect();
    let mut out = Vec::with_capacity(xs.len());
    for_each_run(xs, ext, |c, run| {
        let (a, b) = (scale[c], shift[c]);
        out.extend(run.iter().map(|&v| v * a + b));
    });
    out
}

fn per_channel<T: Float>(t: Option<&Tensor>, c: usize, default: f64) -> Vec<f64> {
    t.map_or_else(
        || vec![default; c],
        |t| t.to_vec::<T>().iter().map(|v| v.to_f64()).collect(),
    )
}

fn channel_tensor<T: Float>(v: &[f64]) -> Result<Tensor> {
    Tensor::from_vec(
        v.iter().map(|&x| T::from_f64(x)).collect::<Vec<T>>(),
        &[v.len()],
    )
}

/// Training: (out, mean, invstd, biased variance), each statistic of shape (C,).
pub fn batch_norm_train_forward(
    x: &Tensor,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> Result<Option<(Tensor, Tensor, Tensor, Tensor)>> {
    if !takes(x, &[weight, bias]) {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), train_forward(x, weight, bias, eps)).map(Some)
}

fn train_forward<T: Float + LaneSums>(
    x: &Tensor,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> Result<(Tensor, Tensor, Tensor, Tensor)> {
    let ext @ (n, c, spatial) = extents(x);
    let count = (n * spatial) as f64;
    let (out, mean, var) = with_elements::<T, _>(x, |xs| {
        let mut sums = vec![0.0f64; c];
        for_each_run(xs, ext, |ch, run| sums[ch] += T::sum(run));
        let mean: Vec<f64> = sums.iter().map(|s| s / count).collect();
        let mut squares = vec![0.0f64; c];
        for_each_run(xs, ext, |ch, run| {
            squares[ch] += T::sum_squared_deviations(run, mean[ch])
        });
        let var: Vec<f64> = squares.iter().map(|s| s / count).collect();
        let out = normalized::<T>(xs, ext, &mean, &var, weight, bias, eps);
        (out, mean, var)
    });
    let invstd: Vec<f64> = var.iter().map(|v| 1.0 / (v + eps).sqrt()).collect();
    Ok((
        Tensor::from_vec(out, x.shape())?,
        channel_tensor::<T>(&mean)?,
        channel_tensor::<T>(&invstd)?,
        channel_tensor::<T>(&var)?,
    ))
}

/// Evaluation: the output normalized by the running statistics.
pub fn batch_norm_eval_forward(
    x: &Tensor,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    running_mean: &Tensor,
    running_var: &Tensor,
    eps: f64,
) -> Result<Option<Tensor>> {
    if !takes(x, &[weight, bias, Some(running_mean), Some(running_var)]) {
        return Ok(None);
    }
    by_float_dtype!(
        x.dtype(),
        eval_forward(x, weight, bias, running_mean, running_var, eps)
    )
    .map(Some)
}

fn eval_forward<T: Float>(
    x: &Tensor,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    running_mean: &Tensor,
    running_var: &Tensor,
    eps: f64,
) -> Result<Tensor> {
    let ext @ (_, c, _) = extents(x);
    let (mean, var) = (
        per_channel::<T>(Some(running_mean), c, 0.0),
        per_channel::<T>(Some(running_var), c, 1.0),
    );
    let out = with_elements::<T, _>(x, |xs| {
        normalized::<T>(xs, ext, &mean, &var, weight, bias, eps)
    });
    Tensor::from_vec(out, x.shape())
}

/// (grad_input, grad_weight, grad_bias) from the statistics the forward used: the batch's
/// (`training`) or the running ones (`invstd` = 1/sqrt(running_var + eps)).
pub fn batch_norm_backward(
    grad: &Tensor,
    x: &Tensor,
    mean: &Tensor,
    invstd: &Tensor,
    weight: Option<&Tensor>,
    training: bool,
) -> Result<Option<(Tensor, Tensor, Tensor)>> {
    let same_shape = grad.shape() == x.shape();
    if !same_shape || !takes(x, &[Some(grad), Some(mean), Some(invstd), weight]) {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), backward(grad, x, mean, invstd, weight, training)).map(Some)
}

fn backward<T: Float + LaneSums>(
    grad: &Tensor,
    x: &Tensor,
    mean: &Tensor,
    invstd: &Tensor,
    weight: Option<&Tensor>,
    training: bool,
) -> Result<(Tensor, Tensor, Tensor)> {
    let (n, c, spatial) = extents(x);
    let count = (n * spatial) as f64;
    let w = per_channel::<T>(weight, c, 1.0);
    let (mean, invstd) = (
        per_channel::<T>(Some(mean), c, 0.0),
        per_channel::<T>(Some(invstd), c, 1.0),
    );
    let (gx, sum_g, sum_gx) = with_elements::<T, _>(grad, |gs| {
        with_elements::<T, _>(x, |xs| {
            let (mut sum_g, mut sum_gx) = (vec![0.0f64; c], vec![0.0f64; c]);
            for b in 0..n {
                for ch in 0..c {
                    let at = (b * c + ch) * spatial;
                    let (g, v) = (&gs[at..at + spatial], &xs[at..at + spatial]);
                    sum_g[ch] += T::sum(g);
                    sum_gx[ch] += T::sum_products_of_deviations(g, v, mean[ch]);
                }
            }
            // PyTorch's formula: ((x - mean) * -proj + g - grad_mean) * invstd * w in
            // training, g * invstd * w in evaluation
            let (proj, grad_mean): (Vec<T>, Vec<T>) = if training {
                (0..c)
                    .map(|k| {
                        let p = sum_gx[k] * invstd[k] * invstd[k] / count;
                        (T::from_f64(p), T::from_f64(sum_g[k] / count))
                    })
                    .unzip()
            } else {
                (vec![T::zero(); c], vec![T::zero(); c])
            };
            let scale: Vec<T> = (0..c).map(|k| T::from_f64(invstd[k] * w[k])).collect();
            let means: Vec<T> = mean.iter().map(|&m| T::from_f64(m)).collect();
            let mut gx = Vec::with_capacity(xs.len());
            for b in 0..n {
                for ch in 0..c {
                    let at = (b * c + ch) * spatial;
                    let (g, v) = (&gs[at..at + spatial], &xs[at..at + spatial]);
                    let (p, gm, k, m) = (proj[ch], grad_mean[ch], scale[ch], means[ch]);
                    if training {
                        gx.extend(g.iter().zip(v).map(|(&g, &v)| ((v - m) * -p + g - gm) * k));
                    } else {
                        gx.extend(g.iter().map(|&g| g * k));
                    }
                }
            }
            (gx, sum_g, sum_gx)
        })
    });
    let gw: Vec<f64> = (0..c).map(|k| sum_gx[k] * invstd[k]).collect();
    Ok((
        Tensor::from_vec(gx, x.shape())?,
        channel_tensor::<T>(&gw)?,
        channel_tensor::<T>(&sum_g)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: Vec<f64>, shape: &[usize]) -> Tensor {
        Tensor::from_vec(v, shape).unwrap()
    }

    #[test]
    fn training_normalizes_each_channel_over_batch_and_space() {
        // (N=2, C=2, S=2): channel 0 holds 1, 2, 5, 6; channel 1 holds 3, 4, 7, 8
        let x = t(vec![1., 2., 3., 4., 5., 6., 7., 8.], &[2, 2, 2]);
        let (out, mean, invstd, var) = batch_norm_train_forward(&x, None, None, 0.0)
            .unwrap()
            .unwrap();
        assert_eq!(mean.to_vec::<f64>(), vec![3.5, 5.5]);
        assert_eq!(var.to_vec::<f64>(), vec![4.25, 4.25]);
        let r = 1.0 / 4.25f64.sqrt();
        assert!((invstd.to_vec::<f64>()[0] - r).abs() < 1e-15);
        let got = out.to_vec::<f64>();
        let want = [
            -2.5 * r,
            -1.5 * r,
            -2.5 * r,
            -1.5 * r,
            1.5 * r,
            2.5 * r,
            1.5 * r,
            2.5 * r,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-14, "{got:?}");
        }
    }

    #[test]
    fn evaluation_uses_the_running_statistics_and_the_affine_parameters() {
        let x = t(vec![1., 2., 3., 4.], &[2, 2]);
        let (rm, rv) = (t(vec![1., 2.], &[2]), t(vec![4., 1.], &[2]));
        let (w, b) = (t(vec![2., 1.], &[2]), t(vec![0., 10.], &[2]));
        let out = batch_norm_eval_forward(&x, Some(&w), Some(&b), &rm, &rv, 0.0)
            .unwrap()
            .unwrap();
        assert_eq!(out.to_vec::<f64>(), vec![0.0, 10.0, 2.0, 12.0]);
    }

    #[test]
    fn training_gradient_of_a_constant_upstream_gradient_is_zero() {
        let x = t(vec![1., 2., 4., 0., 3., 9.], &[3, 2]);
        let (_, mean, invstd, _) = batch_norm_train_forward(&x, None, None, 1e-5)
            .unwrap()
            .unwrap();
        let g = t(vec![1.0; 6], &[3, 2]);
        let (gx, gw, gb) = batch_norm_backward(&g, &x, &mean, &invstd, None, true)
            .unwrap()
            .unwrap();
        assert!(gx.to_vec::<f64>().iter().all(|v| v.abs() < 1e-12));
        assert!(gw.to_vec::<f64>().iter().all(|v| v.abs() < 1e-12));
        assert_eq!(gb.to_vec::<f64>(), vec![3.0, 3.0]);
    }

    #[test]
    fn other_dtypes_are_left_to_the_composed_ops() {
        let x = Tensor::from_vec(vec![1i64, 2, 3, 4], &[2, 2]).unwrap();
        assert!(batch_norm_train_forward(&x, None, None, 1e-5)
            .unwrap()
            .is_none());
    }
}
