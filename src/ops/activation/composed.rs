//! The gradient of each activation composed of differentiable ops, for backward passes
//! that are themselves recorded (`create_graph=True`): the result can be differentiated
//! again (PyTorch's double backward). Piecewise-linear activations have a derivative
//! that is constant between their kinks, so only `grad` carries history there.

use super::formulas::ONE_SIXTH_F32;
use super::kind::Activation;
use crate::error::Result;
use crate::ops::binary::{add, div, mul, sub};
use crate::ops::compare::{ge, gt, le, logical_and, logical_or, lt};
use crate::ops::index::where_;
use crate::ops::{erf, exp, neg, scalar, sigmoid, tanh};
use crate::tensor::{Scalar, Tensor};

fn num(v: f64) -> Tensor {
    scalar(Scalar::Float(v))
}

/// A 0-d constant of `like`'s dtype, for `where` between two constants.
fn constant(like: &Tensor, v: f64) -> Result<Tensor> {
    Tensor::full_scalar(&[], Scalar::Float(v), like.dtype())
}

/// `grad * d(saved)`, with `d` the activation's derivative built from ops.
pub fn backward(
    act: Activation,
    grad: &Tensor,
    saved: &Tensor,
    from_result: bool,
) -> Result<Tensor> {
    let p = act.params();
    let x = saved;
    let derivative = match act {
        Activation::Gelu => {
            let cdf = mul(
                &add(
                    &erf(&mul(x, &num(std::f64::consts::FRAC_1_SQRT_2))?)?,
                    &num(1.0),
                )?,
                &num(0.5),
            )?;
            let pdf = mul(
                &exp(&mul(&mul(x, x)?, &num(-0.5))?)?,
                &num(std::f64::consts::FRAC_2_SQRT_PI * std::f64::consts::FRAC_1_SQRT_2 * 0.5),
            )?;
            add(&cdf, &mul(x, &pdf)?)?
        }
        Activation::GeluTanh => {
            let beta = std::f64::consts::SQRT_2 * std::f64::consts::FRAC_2_SQRT_PI * 0.5;
            let kappa = 0.044715;
            let x_sq = mul(x, x)?;
            let inner = mul(&add(x, &mul(&mul(&x_sq, x)?, &num(kappa))?)?, &num(beta))?;
            let t = tanh(&inner)?;
            let left_derivative = mul(&add(&t, &num(1.0))?, &num(0.5))?;
            let inner_derivative = mul(
                &add(&mul(&x_sq, &num(3.0 * kappa))?, &num(1.0))?,
                &num(beta),
            )?;
            let one_minus_t_sq = sub(&num(1.0), &mul(&t, &t)?)?;
            let right_derivative = mul(
                &mul(&mul(x, &num(0.5))?, &one_minus_t_sq)?,
                &inner_derivative,
            )?;
            add(&left_derivative, &right_derivative)?
        }
        Activation::Silu => {
            let s = sigmoid(x)?;
            mul(&s, &add(&mul(x, &sub(&num(1.0), &s)?)?, &num(1.0))?)?
        }
        Activation::Elu { .. } | Activation::Celu { .. } => {
            let (neg_coef, pos, input_scale) = (p.a * p.b, p.b, p.c);
            let below = if from_result {
                mul(&add(x, &num(neg_coef))?, &num(input_scale))?
            } else {
                mul(
                    &exp(&mul(x, &num(input_scale))?)?,
                    &num(input_scale * neg_coef),
                )?
            };
            where_(&le(x, &num(0.0))?, &below, &constant(x, pos)?)?
        }
        Activation::Softplus { .. } => {
            let bx = mul(x, &num(p.a))?;
            where_(&gt(&bx, &num(p.b))?, &constant(x, 1.0)?, &sigmoid(&bx)?)?
        }
        Activation::Mish => {
            let softplus = super::activation(
                x,
                Activation::Softplus {
                    beta: Scalar::Int(1),
                    threshold: Scalar::Int(20),
                },
            )?;
            let t = tanh(&softplus)?;
            let slope = mul(&mul(x, &sigmoid(x)?)?, &sub(&num(1.0), &mul(&t, &t)?)?)?;
            add(&t, &slope)?
        }
        Activation::Hardswish => {
            let mid = add(&div(x, &num(3.0))?, &num(0.5))?;
            let upper = where_(&lt(x, &num(3.0))?, &mid, &constant(x, 1.0)?)?;
            where_(&le(x, &num(-3.0))?, &constant(x, 0.0)?, &upper)?
        }
        Activation::Hardsigmoid => inside(x, -3.0, 3.0, ONE_SIXTH_F32)?,
        Activation::Hardtanh { .. } => {
            let outside = logical_or(&le(x, &num(p.a))?, &ge(x, &num(p.b))?)?;
            where_(&outside, &constant(x, 0.0)?, &constant(x, 1.0)?)?
        }
        Activation::LeakyRelu { .. } => {
            where_(&gt(x, &num(0.0))?, &constant(x, 1.0)?, &constant(x, p.a)?)?
        }
        Activation::LogSigmoid => sigmoid(&neg(x)?)?,
        Activation::Softshrink { .. } | Activation::Hardshrink { .. } => {
            let band = logical_and(&ge(x, &num(-p.a))?, &le(x, &num(p.a))?)?;
            where_(&band, &constant(x, 0.0)?, &constant(x, 1.0)?)?
        }
        Activation::Threshold { .. } => {
            where_(&le(x, &num(p.a))?, &constant(x, 0.0)?, &constant(x, 1.0)?)?
        }
    };
    mul(grad, &derivative)
}

/// `slope` strictly between `lo` and `hi`, 0 elsewhere (and for NaN).
fn inside(x: &Tensor, lo: f64, hi: f64, slope: f64) -> Result<Tensor> {
    let mask = logical_and(&gt(x, &num(lo))?, &lt(x, &num(hi))?)?;
    where_(&mask, &constant(x, slope)?, &constant(x, 0.0)?)
}
