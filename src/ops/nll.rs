//! `nll_loss`'s forward and backward in one pass each (PyTorch's `nll_loss` and
//! `nll_loss2d` kernels) over a float32/float64 input of shape (C,), (N, C) or
//! (N, C, H, W) and int64 class indices. Other dtypes give None: the caller composes
//! ops instead.

use super::float::Float;
use super::sepmap::with_elements;
use crate::error::{Error, Result};
use crate::tensor::{DType, Tensor};

const NONE: u8 = 0;
const MEAN: u8 = 1;

/// (samples, classes, positions per sample) of the input.
fn layout(x: &Tensor) -> (usize, usize, usize) {
    match x.ndim() {
        1 => (1, x.shape()[0], 1),
        _ => (x.shape()[0], x.shape()[1], x.shape()[2..].iter().product()),
    }
}

fn takes(x: &Tensor, target: &Tensor, weight: Option<&Tensor>) -> bool {
    matches!(x.dtype(), DType::F32 | DType::F64)
        && matches!(x.ndim(), 1 | 2 | 4)
        && target.dtype() == DType::I64
        && weight.is_none_or(|w| w.dtype() == x.dtype())
}

/// The kept targets' classes and weights, in sample-major, position-minor order (None
/// for an ignored target); PyTorch's IndexError for a class out of range.
fn picks(
    target: &Tensor,
    weight: &Option<Vec<f64>>,
    classes: usize,
    ignore: i64,
) -> Result<Vec<Option<(usize, f64)>>> {
    target
        .to_vec::<i64>()
        .into_iter()
        .map(|t| {
            if t == ignore {
                return Ok(None);
            }
            if t < 0 || t as usize >= classes {
                return Err(Error::index(format!("Target {t} is out of bounds.")));
            }
            let w = weight.as_ref().map_or(1.0, |w| w[t as usize]);
            Ok(Some((t as usize, w)))
        })
        .collect()
}

/// (loss, total weight of the kept targets): the loss per target (`reduction` 0, 0 for
/// an ignored one, with a total weight of 0), or their weighted mean (1) or sum (2).
pub fn nll_forward(
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    ignore_index: i64,
    reduction: u8,
) -> Result<Option<(Tensor, Tensor)>> {
    if !takes(x, target, weight) {
        return Ok(None);
    }
    by_float_dtype!(
        x.dtype(),
        forward(x, target, weight, ignore_index, reduction)
    )
    .map(Some)
}

fn forward<T: Float>(
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    ignore_index: i64,
    reduction: u8,
) -> Result<(Tensor, Tensor)> {
    let (_, classes, positions) = layout(x);
    let weights = weight.map(|w| w.to_vec::<T>().iter().map(|v| v.to_f64()).collect());
    let kept = picks(target, &weights, classes, ignore_index)?;
    let losses: Vec<f64> = with_elements::<T, _>(x, |xs| {
        kept.iter()
            .enumerate()
            .map(|(i, k)| {
                k.map_or(0.0, |(c, w)| {
                    let (n, s) = (i / positions, i % positions);
                    -w * xs[(n * classes + c) * positions + s].to_f64()
                })
            })
            .collect()
    });
    let total = kept.iter().flatten().fold(0.0, |a, k| a + k.1);
    if reduction == NONE {
        let out = losses.into_iter().map(T::from_f64).collect::<Vec<T>>();
        let shape = if x.ndim() == 1 {
            &[][..]
        } else {
            target.shape()
        };
        return Ok((
            Tensor::from_vec(out, shape)?,
            Tensor::from_vec(vec![T::zero()], &[])?,
        ));
    }
    let sum = losses.iter().fold(0.0, |a, b| a + b);
    let value = if reduction == MEAN { sum / total } else { sum };
    Ok((
        Tensor::from_vec(vec![T::from_f64(value)], &[])?,
        Tensor::from_vec(vec![T::from_f64(total)], &[])?,
    ))
}

/// The input's gradient: `-w[t] g` at each kept target's class (divided by the total
/// weight for 'mean'), 0 elsewhere.
pub fn nll_backward(
    grad: &Tensor,
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    total_weight: &Tensor,
    ignore_index: i64,
    reduction: u8,
) -> Result<Option<Tensor>> {
    if !takes(x, target, weight) || grad.dtype() != x.dtype() {
        return Ok(None);
    }
    by_float_dtype!(
        x.dtype(),
        backward(
            grad,
            x,
            target,
            weight,
            total_weight,
            ignore_index,
            reduction
        )
    )
    .map(Some)
}

fn backward<T: Float>(
    grad: &Tensor,
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    total_weight: &Tensor,
    ignore_index: i64,
    reduction: u8,
) -> Result<Tensor> {
    let (_, classes, positions) = layout(x);
    let weights = weight.map(|w| w.to_vec::<T>().iter().map(|v| v.to_f64()).collect());
    let kept = picks(target, &weights, classes, ignore_index)?;
    let g = grad.to_vec::<T>();
    let scale = if reduction == MEAN {
        1.0 / total_weight.to_vec::<T>()[0].to_f64()
    } else {
        1.0
    };
    let mut out = vec![T::zero(); x.numel()];
    for (i, k) in kept.iter().enumerate() {
        if let Some((c, w)) = k {
            let gi = if reduction == NONE { g[i] } else { g[0] }.to_f64();
            let (n, s) = (i / positions, i % positions);
            out[(n * classes + c) * positions + s] = T::from_f64(-w * gi * scale);
        }
    }
    Tensor::from_vec(out, x.shape())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_picks_the_target_classes_and_skips_ignored_ones() {
        let x = Tensor::from_vec(vec![-1.0f64, -2.0, -3.0, -4.0], &[2, 2]).unwrap();
        let t = Tensor::from_vec(vec![1i64, -100], &[2]).unwrap();
        let (mean, total) = nll_forward(&x, &t, None, -100, 1).unwrap().unwrap();
        assert_eq!(
            (mean.to_vec::<f64>(), total.to_vec::<f64>()),
            (vec![2.0], vec![1.0])
        );
        let (none, _) = nll_forward(&x, &t, None, -100, 0).unwrap().unwrap();
        assert_eq!(none.to_vec::<f64>(), vec![2.0, 0.0]);
        let g = Tensor::from_vec(vec![1.0f64], &[]).unwrap();
        let grad = nll_backward(&g, &x, &t, None, &total, -100, 1)
            .unwrap()
            .unwrap();
        assert_eq!(grad.to_vec::<f64>(), vec![0.0, -1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_class_out_of_range_is_an_index_error() {
        let x = Tensor::from_vec(vec![0.0f64; 4], &[2, 2]).unwrap();
        let t = Tensor::from_vec(vec![0i64, 2], &[2]).unwrap();
        let err = nll_forward(&x, &t, None, -100, 1).unwrap_err();
        assert_eq!(err.message, "Target 2 is out of bounds.");
    }
}
