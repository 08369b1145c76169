//! The backward of `softmax` / `log_softmax` given the incoming gradient `g` and the
//! saved output `y` (PyTorch's `_softmax_backward_data`). While a backward is being
//! recorded (`create_graph=True`) it is one node, `SoftmaxBackwardDataBackward0` or
//! `LogSoftmaxBackwardDataBackward0` over `(g, y)`, as in PyTorch.

use super::binary::{mul, sub};
use super::reduce::sum;
use super::unary::{exp, neg};
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::Result;
use crate::tensor::Tensor;

/// softmax: `y (g - Σ g y)`; log_softmax: `g - exp(y) Σ g` (sums along `dim`).
pub fn softmax_backward_data(g: &Tensor, y: &Tensor, dim: i64, log: bool) -> Result<Tensor> {
    if !needs_grad(&[g, y]) || g.dtype() != y.dtype() {
        return formula(g, y, dim, log);
    }
    let value = {
        let _no = GradModeGuard::new(false);
        formula(g, y, dim, log)?
    };
    let name = if log {
        "LogSoftmaxBackwardDataBackward0"
    } else {
        "SoftmaxBackwardDataBackward0"
    };
    let saved = vec![SavedTensor::input(g), SavedTensor::input(y)];
    record(name, &[g, y], &[&value], saved, move |ctx| {
        let (gg, g, y) = (
            ctx.grad().clone(),
            ctx.saved(0).clone(),
            ctx.saved(1).clone(),
        );
        let dims = [dim];
        let total = |t: &Tensor| sum(t, Some(&dims), true, None);
        // linear in g; softmax's backward is its own adjoint, log_softmax's adjoint is
        // gg - Σ gg exp(y)
        let d_g = if !ctx.needs(0) {
            None
        } else if log {
            Some(sub(&gg, &total(&mul(&gg, &exp(&y)?)?)?)?)
        } else {
            Some(softmax_backward_data(&gg, &y, dim, log)?)
        };
        let d_y = if !ctx.needs(1) {
            None
        } else if log {
            // d/dy of g - exp(y) Σ g: -gg exp(y) Σ g
            Some(neg(&mul(&mul(&gg, &exp(&y)?)?, &total(&g)?)?)?)
        } else {
            // d/dy_k of y (g - Σ g y): gg_k (g_k - Σ g y) - g_k Σ gg y
            let first = mul(&gg, &sub(&g, &total(&mul(&g, &y)?)?)?)?;
            Some(sub(&first, &mul(&g, &total(&mul(&gg, &y)?)?)?)?)
        };
        Ok(vec![d_g, d_y])
    });
    Ok(value)
}

fn formula(g: &Tensor, y: &Tensor, dim: i64, log: bool) -> Result<Tensor> {
    if !needs_grad(&[g, y]) {
        let d = crate::tensor::layout::wrap_dim(dim, y.ndim())?;
        if let Some(out) = super::reduce_fast::softmax_backward(g, y, d, log)? {
            return Ok(out);
        }
    }
    let dims = [dim];
    if log {
        let s = sum(g, Some(&dims), true, None)?;
        sub(g, &mul(&exp(y)?, &s)?)
    } else {
        let s = sum(&mul(g, y)?, Some(&dims), true, None)?;
        mul(y, &sub(g, &s)?)
    }
}
