//! `mse_loss`'s forward and backward in one pass each over float32/float64 operands of
//! one shape (PyTorch's `mse_loss` and `mse_loss_backward` kernels). Other dtypes or
//! shapes give None: the caller composes ops instead.

use super::float::Float;
use super::sepmap::with_elements;
use crate::error::Result;
use crate::kernels::sum_lanes::LaneSums;
use crate::tensor::{DType, Tensor};

/// ATen's reduction numbers.
const NONE: u8 = 0;
const MEAN: u8 = 1;

fn takes(a: &Tensor, b: &Tensor) -> bool {
    matches!(a.dtype(), DType::F32 | DType::F64) && a.dtype() == b.dtype() && a.shape() == b.shape()
}

/// `(x - t)²` per element (`reduction` 0), or its mean (1) or sum (2) as a 0-d tensor.
pub fn mse_forward(x: &Tensor, t: &Tensor, reduction: u8) -> Result<Option<Tensor>> {
    if !takes(x, t) {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), forward(x, t, reduction)).map(Some)
}

fn forward<T: Float + LaneSums>(x: &Tensor, t: &Tensor, reduction: u8) -> Result<Tensor> {
    with_elements::<T, _>(x, |xs| {
        with_elements::<T, _>(t, |ts| {
            let squares = xs.iter().zip(ts).map(|(&a, &b)| {
                let d = a - b;
                d * d
            });
            if reduction == NONE {
                return Tensor::from_vec(squares.collect::<Vec<T>>(), x.shape());
            }
            // sixteen partial sums (one running sum waits on each addition)
            let sum = T::sum_squared_differences(xs, ts);
            let value = if reduction == MEAN {
                sum / xs.len() as f64
            } else {
                sum
            };
            Tensor::from_vec(vec![T::from_f64(value)], &[])
        })
    })
}

/// The gradient for `x`, `(x - t) * norm * grad` with `norm` 2/numel for 'mean' and 2
/// otherwise (the target's is its negation).
pub fn mse_backward(
    grad: &Tensor,
    x: &Tensor,
    t: &Tensor,
    reduction: u8,
) -> Result<Option<Tensor>> {
    let grad_fits = grad.dtype() == x.dtype() && (grad.ndim() == 0 || grad.shape() == x.shape());
    if !takes(x, t) || !grad_fits {
        return Ok(None);
    }
    by_float_dtype!(x.dtype(), backward(grad, x, t, reduction)).map(Some)
}

fn backward<T: Float>(grad: &Tensor, x: &Tensor, t: &Tensor, reduction: u8) -> Result<Tensor> {
    let norm = T::from_f64(if reduction == MEAN {
        2.0 / x.numel() as f64
    } else {
        2.0
    });
    let out = with_elements::<T, _>(x, |xs| {
        with_elements::<T, _>(t, |ts| {
            if grad.ndim() == 0 {
                let g = grad.to_vec::<T>()[0];
                return xs
                    .iter()
                    .zip(ts)
                    .map(|(&a, &b)| (a - b) * norm * g)
                    .collect::<Vec<T>>();
            }
            with_elements::<T, _>(grad, |gs| {
                xs.iter()
                    .zip(ts)
                    .zip(gs)
                    .map(|((&a, &b), &g)| (a - b) * norm * g)
                    .collect::<Vec<T>>()
            })
        })
    });
    Tensor::from_vec(out, x.shape())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t64(v: &[f64]) -> Tensor {
        Tensor::from_vec(v.to_vec(), &[v.len()]).unwrap()
    }

    #[test]
    fn forward_reduces_the_squared_differences() {
        let (x, t) = (t64(&[1.0, 2.0, 4.0]), t64(&[0.0, 2.0, 1.0]));
        let none = mse_forward(&x, &t, 0).unwrap().unwrap();
        assert_eq!(none.to_vec::<f64>(), vec![1.0, 0.0, 9.0]);
        let mean = mse_forward(&x, &t, 1).unwrap().unwrap();
        assert_eq!(mean.to_vec::<f64>(), vec![10.0 / 3.0]);
        assert_eq!(
            mse_forward(&x, &t, 2).unwrap().unwrap().to_vec::<f64>(),
            vec![10.0]
        );
    }

    #[test]
    fn backward_scales_the_differences() {
        let (x, t) = (t64(&[1.0, 2.0, 4.0]), t64(&[0.0, 2.0, 1.0]));
        let g = Tensor::from_vec(vec![3.0f64], &[]).unwrap();
        let got = mse_backward(&g, &x, &t, 2).unwrap().unwrap();
        assert_eq!(got.to_vec::<f64>(), vec![6.0, 0.0, 18.0]);
    }

    #[test]
    fn mismatched_shapes_are_left_to_the_composed_ops() {
        let (x, t) = (t64(&[1.0, 2.0]), t64(&[1.0]));
        assert!(mse_forward(&x, &t, 1).unwrap().is_none());
    }
}
