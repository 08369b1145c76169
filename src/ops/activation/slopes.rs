//! Leaky ReLUs whose negative slope is learned (`prelu`, `PreluKernelBackward0`, edges to
//! the input and to the weight) or random (`rrelu`, `RreluWithNoiseBackward0/1`, which
//! keep the drawn slopes as `_saved_noise`), each one node as PyTorch's.

use super::Activation;
use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args_for;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::Result;
use crate::ops::binary::mul;
use crate::ops::compare::gt;
use crate::ops::index::where_;
use crate::ops::reduce::sum_to;
use crate::ops::view::reshape_to;
use crate::ops::{scalar, to_dtype};
use crate::tensor::{Scalar, Tensor};

fn zero() -> Tensor {
    scalar(Scalar::Int(0))
}

/// `weight` shaped to broadcast against `x`: one slope, or one per channel (dim 1).
fn slopes_for(x: &Tensor, weight: &Tensor) -> Result<Tensor> {
    let shape: Vec<usize> = if weight.numel() == 1 {
        if x.ndim() == 0 {
            vec![]
        } else {
            vec![1]
        }
    } else if x.ndim() >= 2 {
        let mut s = vec![weight.numel()];
        s.resize(x.ndim() - 1, 1);
        s
    } else {
        vec![weight.numel()]
    };
    reshape_to(weight, &shape)
}

/// `prelu(x, weight)`: x where x > 0, else weight x (shapes checked by the caller).
pub fn prelu(x: &Tensor, weight: &Tensor) -> Result<Tensor> {
    let out = {
        let _no_grad = GradModeGuard::new(false);
        let w = slopes_for(x, weight)?;
        where_(&gt(x, &zero())?, x, &mul(x, &w)?)?
    };
    if needs_grad(&[x, weight]) {
        let (x_dtype, w_dtype) = (x.dtype(), weight.dtype());
        let saved = smallvec::smallvec![SavedTensor::input(x), SavedTensor::input(weight)];
        record(
            "PreluKernelBackward0",
            &[x, weight],
            &[&out],
            saved,
            move |ctx| {
                let (x, weight, g) = (ctx.saved(0), ctx.saved(1), ctx.grad());
                let w = slopes_for(x, weight)?;
                let to_weight = |per_element: &Tensor| {
                    let summed = sum_to(per_element, w.shape())?;
                    to_dtype(&reshape_to(&summed, weight.shape())?, w_dtype)
                };
                if needs_grad(&[g, x, weight]) {
                    let (grad_x, per_element) = prelu_grads_recorded(g, x, weight)?;
                    let grad_x = ctx.needs(0).then(|| to_dtype(&grad_x, x_dtype));
                    let grad_w = ctx.needs(1).then(|| to_weight(&per_element));
                    return Ok(vec![grad_x.transpose()?, grad_w.transpose()?]);
                }
                let positive = gt(x, &zero())?;
                let grad_x = if ctx.needs(0) {
                    Some(to_dtype(&where_(&positive, g, &mul(g, &w)?)?, x_dtype)?)
                } else {
                    None
                };
                let grad_w = if ctx.needs(1) {
                    let zeros = crate::ops::creation::zeros_like(g)?;
                    Some(to_weight(&where_(&positive, &zeros, &mul(g, x)?)?)?)
                } else {
                    None
                };
                Ok(vec![grad_x, grad_w])
            },
        );
    }
    Ok(out)
}

/// prelu's gradients for the input and, per element before the sum to the weight's
/// shape, for the weight.
fn prelu_grads(g: &Tensor, x: &Tensor, weight: &Tensor) -> Result<(Tensor, Tensor)> {
    let w = slopes_for(x, weight)?;
    let positive = gt(x, &zero())?;
    let zeros = crate::ops::creation::zeros_like(g)?;
    Ok((
        where_(&positive, g, &mul(g, &w)?)?,
        where_(&positive, &zeros, &mul(g, x)?)?,
    ))
}

/// `prelu_grads` while the backward is itself recorded: PyTorch's
/// `PreluKernelBackwardBackward0` over (grad, input, weight) with both results as outputs.
fn prelu_grads_recorded(g: &Tensor, x: &Tensor, weight: &Tensor) -> Result<(Tensor, Tensor)> {
    let (grad_x, per_element) = {
        let _no_grad = GradModeGuard::new(false);
        prelu_grads(g, x, weight)?
    };
    let saved = vec![
        SavedTensor::input(g),
        SavedTensor::input(x),
        SavedTensor::input(weight),
    ];
    record(
        "PreluKernelBackwardBackward0",
        &[g, x, weight],
        &[&grad_x, &per_element],
        saved,
        |ctx| {
            let (gg_x, gg_w) = (&ctx.grads[0], &ctx.grads[1]);
            let (g, x, weight) = (ctx.saved(0), ctx.saved(1), ctx.saved(2));
            let w = slopes_for(x, weight)?;
            let positive = gt(x, &zero())?;
            let zeros = crate::ops::creation::zeros_like(x)?;
            // grad_x = g (x > 0) or g w; per_element = 0 (x > 0) or g x
            let d_g = if ctx.needs(0) {
                let from_x = where_(&positive, gg_x, &mul(gg_x, &w)?)?;
                let from_w = where_(&positive, &zeros, &mul(gg_w, x)?)?;
                Some(crate::ops::binary::add(&from_x, &from_w)?)
            } else {
                None
            };
            let d_x = if ctx.needs(1) {
                Some(where_(&positive, &zeros, &mul(g, gg_w)?)?)
            } else {
                None
            };
            let d_w = if ctx.needs(2) {
                let per = where_(&positive, &zeros, &mul(g, gg_x)?)?;
                Some(reshape_to(&sum_to(&per, w.shape())?, weight.shape())?)
            } else {
                None
            };
            Ok(vec![d_g, d_x, d_w])
        },
    );
    Ok((grad_x, per_element))
}

/// The random leaky ReLU's bounds and mode.
#[derive(Clone, Copy, Debug)]
pub struct Rrelu {
    pub lower: Scalar,
    pub upper: Scalar,
    pub training: bool,
}

impl Rrelu {
    /// Training with a non-degenerate range multiplies by the drawn slopes; otherwise
    /// the slope is the range's middle, as PyTorch's `rrelu_with_noise`.
    fn uses_noise(&self) -> bool {
        self.training && self.upper.to_f64() - self.lower.to_f64() > 1e-6
    }

    fn mean_slope(&self) -> Activation {
        Activation::LeakyRelu {
            slope: Scalar::Float((self.lower.to_f64() + self.upper.to_f64()) / 2.0),
        }
    }

    fn saved_args(&self) -> Vec<(&'static str, SavedArg)> {
        vec![
            ("lower", SavedArg::Scalar(self.lower)),
            ("training", SavedArg::Bool(self.training)),
            ("upper", SavedArg::Scalar(self.upper)),
        ]
    }

    fn values(&self, x: &Tensor, noise: &Tensor) -> Result<Tensor> {
        let _no_grad = GradModeGuard::new(false);
        if self.uses_noise() {
            to_dtype(&mul(x, noise)?, x.dtype())
        } else {
            super::activation(x, self.mean_slope())
        }
    }

    /// The gradient from the saved input (or result: same sign for these slopes).
    fn gradient(&self, grad: &Tensor, x: &Tensor, noise: &Tensor) -> Result<Tensor> {
        let g = if self.uses_noise() {
            mul(grad, noise)?
        } else {
            let slope = self.mean_slope().params().a;
            let slopes = where_(
                &gt(x, &zero())?,
                &Tensor::full_scalar(&[], Scalar::Int(1), x.dtype())?,
                &Tensor::full_scalar(&[], Scalar::Float(slope), x.dtype())?,
            )?;
            mul(grad, &slopes)?
        };
        to_dtype(&g, x.dtype())
    }
}

/// The rrelu gradient, recorded while the backward is itself recorded as PyTorch's
/// `RreluWithNoiseBackwardBackward0` over (grad, saved input or result): linear in grad,
/// with a zero gradient for the saved tensor (the slopes do not depend on it).
fn rrelu_backward(params: Rrelu, grad: &Tensor, x: &Tensor, noise: &Tensor) -> Result<Tensor> {
    if !needs_grad(&[grad, x]) {
        return params.gradient(grad, x, noise);
    }
    let value = {
        let _no_grad = GradModeGuard::new(false);
        params.gradient(grad, x, noise)?
    };
    let saved = vec![SavedTensor::input(x), SavedTensor::input(noise)];
    record(
        "RreluWithNoiseBackwardBackward0",
        &[grad, x],
        &[&value],
        saved,
        move |ctx| {
            let (gg, x, noise) = (ctx.grad(), ctx.saved(0), ctx.saved(1));
            let d_grad = if ctx.needs(0) {
                Some(rrelu_backward(params, gg, x, noise)?)
            } else {
                None
            };
            let d_x = if ctx.needs(1) {
                Some(crate::ops::creation::zeros_like(x)?)
            } else {
                None
            };
            Ok(vec![d_grad, d_x])
        },
    );
    Ok(value)
}

/// `rrelu_with_noise(x, noise, ...)` (`RreluWithNoiseBackward0`): `noise` holds the
/// drawn slopes (1 where x > 0) when training.
pub fn rrelu_with_noise(x: &Tensor, noise: &Tensor, params: Rrelu) -> Result<Tensor> {
    let out = params.values(x, noise)?;
    if needs_grad(&[x]) {
        let saved = smallvec::smallvec![SavedTensor::input(x), SavedTensor::input(noise)];
        record(
            "RreluWithNoiseBackward0",
            &[x],
            &[&out],
            saved,
            move |ctx| {
                Ok(vec![Some(rrelu_backward(
                    params,
                    ctx.grad(),
                    ctx.saved(0),
                    ctx.saved(1),
                )?)])
            },
        );
        save_args_for(&out, "RreluWithNoiseBackward0", || params.saved_args());
    }
    Ok(out)
}

/// In-place `rrelu_with_noise_` (`RreluWithNoiseBackward1`, which keeps the result).
pub fn rrelu_with_noise_(x: &Tensor, noise: &Tensor, params: Rrelu) -> Result<()> {
    crate::ops::apply_inplace(x, "rrelu_with_noise_", false, |input| {
        let out = params.values(input, noise)?;
        if needs_grad(&[input]) {
            let saved = smallvec::smallvec![SavedTensor::input(noise), SavedTensor::output(&out)];
            record(
                "RreluWithNoiseBackward1",
                &[input],
                &[&out],
                saved,
                move |ctx| {
                    Ok(vec![Some(rrelu_backward(
                        params,
                        ctx.grad(),
                        ctx.saved(1),
                        ctx.saved(0),
                    )?)])
                },
            );
            save_args_for(&out, "RreluWithNoiseBackward1", || params.saved_args());
        }
        Ok(out)
    })
}
