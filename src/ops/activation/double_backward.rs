//! An activation's backward while it is itself recorded (`create_graph=True`), as
//! PyTorch records it: one node over `(grad, saved)` named after the backward function
//! (`LeakyReluBackwardBackward0`, `GeluBackwardBackward0`, ...). The node has an edge to
//! the saved input even where the derivative is piecewise constant (its gradient there is
//! zero), so the result requires grad as PyTorch's does. Its own backward is composed of
//! ops (and of this node again for the `grad` side), so higher orders work too.

use super::kind::Activation;
use crate::autograd::{record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::binary::{add, mul, sub};
use crate::ops::compare::{gt, logical_and, lt};
use crate::ops::creation::zeros_like;
use crate::ops::index::where_;
use crate::ops::{exp, scalar, sigmoid, tanh};
use crate::tensor::{Scalar, Tensor};

fn num(v: f64) -> Tensor {
    scalar(Scalar::Float(v))
}

/// PyTorch's name for the node of `act`'s recorded backward; None where PyTorch composes
/// the backward of ops (silu, mish), which the caller then does too.
pub fn node_name(act: Activation) -> Option<&'static str> {
    Some(match act {
        Activation::Gelu | Activation::GeluTanh => "GeluBackwardBackward0",
        Activation::Elu { .. } | Activation::Celu { .. } => "EluBackwardBackward0",
        Activation::Softplus { .. } => "SoftplusBackwardBackward0",
        Activation::Hardswish => "HardswishBackwardBackward0",
        Activation::Hardsigmoid => NOT_IMPLEMENTED,
        Activation::Hardtanh { .. } => "HardtanhBackwardBackward0",
        Activation::LeakyRelu { .. } => "LeakyReluBackwardBackward0",
        Activation::LogSigmoid => "LogSigmoidBackwardBackward0",
        Activation::Softshrink { .. } => "SoftshrinkBackwardBackward0",
        Activation::Hardshrink { .. } => "HardshrinkBackwardBackward0",
        Activation::Threshold { .. } => "ThresholdBackwardBackward0",
        Activation::Silu | Activation::Mish => return None,
    })
}

/// PyTorch's node for a backward that has no derivative formula (hardsigmoid's).
pub const NOT_IMPLEMENTED: &str = "torch::autograd::NotImplemented";

/// Records `value` (the backward `grad * act'(saved)`, already computed) as the output of
/// `act`'s double-backward node.
pub fn record_double(
    act: Activation,
    name: &'static str,
    grad: &Tensor,
    saved: &Tensor,
    from_result: bool,
    value: &Tensor,
) {
    if name == NOT_IMPLEMENTED {
        // PyTorch's NotImplemented node has edges only to the inputs that need a gradient
        let inputs: Vec<&Tensor> = [grad, saved]
            .into_iter()
            .filter(|t| t.requires_grad())
            .collect();
        record(name, &inputs, &[value], vec![], |_| {
            Err(Error::runtime(
                "derivative for aten::hardsigmoid_backward is not implemented",
            ))
        });
        return;
    }
    let kept = vec![SavedTensor::input(grad), SavedTensor::input(saved)];
    record(name, &[grad, saved], &[value], kept, move |ctx| {
        let (gg, g, x) = (
            ctx.grad().clone(),
            ctx.saved(0).clone(),
            ctx.saved(1).clone(),
        );
        let dtype = x.dtype();
        // linear in grad: its gradient is the same backward applied to gg
        let d_grad = if ctx.needs(0) {
            Some(crate::ops::to_dtype(
                &super::backward(act, &gg, &x, from_result)?,
                g.dtype(),
            )?)
        } else {
            None
        };
        let d_saved = if ctx.needs(1) {
            let d = match second_derivative(act, &x, from_result)? {
                Some(f2) => mul(&mul(&gg, &g)?, &f2)?,
                None => zeros_like(&x)?,
            };
            Some(crate::ops::to_dtype(&d, dtype)?)
        } else {
            None
        };
        Ok(vec![d_grad, d_saved])
    });
}

/// The backward's value computed without recording.
pub fn value_without_history(
    act: Activation,
    grad: &Tensor,
    saved: &Tensor,
    from_result: bool,
) -> Result<Tensor> {
    let _no = GradModeGuard::new(false);
    super::backward(act, grad, saved, from_result)
}

/// d/d(saved) of `act'(saved)`, composed of ops; None where it is zero (piecewise-linear
/// activations: their derivative is constant between the kinks).
fn second_derivative(act: Activation, x: &Tensor, from_result: bool) -> Result<Option<Tensor>> {
    let p = act.params();
    Ok(Some(match act {
        Activation::Gelu => {
            // φ(x) (2 - x²), φ the standard normal density
            let density = mul(
                &exp(&mul(&mul(x, x)?, &num(-0.5))?)?,
                &num(std::f64::consts::FRAC_2_SQRT_PI * std::f64::consts::FRAC_1_SQRT_2 * 0.5),
            )?;
            mul(&density, &sub(&num(2.0), &mul(x, x)?)?)?
        }
        Activation::GeluTanh => {
            // f = x (1 + t) / 2 with t = tanh(u), u = β (x + κ x³):
            // f'' = (1 - t²) (u' - x t u'² + x u'' / 2)
            let beta = std::f64::consts::SQRT_2 * std::f64::consts::FRAC_2_SQRT_PI * 0.5;
            let kappa = 0.044715;
            let x_sq = mul(x, x)?;
            let u = mul(&add(x, &mul(&mul(&x_sq, x)?, &num(kappa))?)?, &num(beta))?;
            let t = tanh(&u)?;
            let du = mul(
                &add(&mul(&x_sq, &num(3.0 * kappa))?, &num(1.0))?,
                &num(beta),
            )?;
            let ddu = mul(x, &num(6.0 * beta * kappa))?;
            let sech_sq = sub(&num(1.0), &mul(&t, &t)?)?;
            let inner = add(
                &sub(&du, &mul(&mul(x, &t)?, &mul(&du, &du)?)?)?,
                &mul(&mul(x, &ddu)?, &num(0.5))?,
            )?;
            mul(&sech_sq, &inner)?
        }
        Activation::Elu { .. } | Activation::Celu { .. } => {
            // below 0: input_scale² neg_coef exp(input_scale x), or from the result
            // input_scale (PyTorch's elu_double_backward masks with `< 0`)
            let (neg_coef, input_scale) = (p.a * p.b, p.c);
            let below = if from_result {
                Tensor::full_scalar(&[], Scalar::Float(input_scale), x.dtype())?
            } else {
                mul(
                    &exp(&mul(x, &num(input_scale))?)?,
                    &num(input_scale * input_scale * neg_coef),
                )?
            };
            let zero = Tensor::full_scalar(&[], Scalar::Int(0), x.dtype())?;
            where_(&lt(x, &num(0.0))?, &below, &zero)?
        }
        Activation::Softplus { .. } => {
            // β s (1 - s) with s = sigmoid(β x), 0 past the threshold
            let bx = mul(x, &num(p.a))?;
            let s = sigmoid(&bx)?;
            let curve = mul(&mul(&s, &sub(&num(1.0), &s)?)?, &num(p.a))?;
            let zero = Tensor::full_scalar(&[], Scalar::Int(0), x.dtype())?;
            where_(&gt(&bx, &num(p.b))?, &zero, &curve)?
        }
        Activation::LogSigmoid => {
            // d/dx sigmoid(-x) = -s (1 - s)
            let s = sigmoid(x)?;
            mul(&s, &sub(&s, &num(1.0))?)?
        }
        Activation::Hardswish => {
            let inside = logical_and(&gt(x, &num(-3.0))?, &lt(x, &num(3.0))?)?;
            let third = Tensor::full_scalar(&[], Scalar::Float(1.0 / 3.0), x.dtype())?;
            let zero = Tensor::full_scalar(&[], Scalar::Int(0), x.dtype())?;
            where_(&inside, &third, &zero)?
        }
        Activation::Hardsigmoid
        | Activation::Hardtanh { .. }
        | Activation::LeakyRelu { .. }
        | Activation::Softshrink { .. }
        | Activation::Hardshrink { .. }
        | Activation::Threshold { .. }
        | Activation::Silu
        | Activation::Mish => return Ok(None),
    }))
}
