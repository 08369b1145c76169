//! `glu(x, dim) = a sigmoid(b)`, with a and b the halves of x along `dim`, as one node
//! (`GluBackward0`, which saves `self` and `dim`).

use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args_for;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::Result;
use crate::ops::binary::{mul, rsub_scalar};
use crate::ops::shape::cat;
use crate::ops::view::narrow;
use crate::ops::{sigmoid, to_dtype};
use crate::tensor::{Scalar, Tensor};

/// `glu` along `dim` (already checked: in range, of even size); `dim` as the caller gave
/// it is what the node shows as `_saved_dim`.
pub fn glu(t: &Tensor, dim: i64) -> Result<Tensor> {
    let out = {
        let _no_grad = GradModeGuard::new(false);
        let (a, b) = halves(t, dim)?;
        mul(&a, &sigmoid(&b)?)?
    };
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        record(
            "GluBackward0",
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::input(t)],
            move |ctx| {
                let g = glu_backward(ctx.grad(), ctx.saved(0), dim)?;
                Ok(vec![Some(to_dtype(&g, dtype)?)])
            },
        );
        save_args_for(&out, "GluBackward0", || vec![("dim", SavedArg::Int(dim))]);
    }
    Ok(out)
}

fn halves(t: &Tensor, dim: i64) -> Result<(Tensor, Tensor)> {
    let d = if dim < 0 { dim + t.ndim() as i64 } else { dim };
    let n = (t.shape()[d as usize] / 2) as i64;
    Ok((narrow(t, d, 0, n)?, narrow(t, d, n, n)?))
}

/// The gradient of both halves, put back side by side: `grad sigmoid(b)` for a and
/// `grad a sigmoid(b) (1 - sigmoid(b))` for b (composed of ops, so differentiable).
fn glu_backward(grad: &Tensor, x: &Tensor, dim: i64) -> Result<Tensor> {
    let (a, b) = halves(x, dim)?;
    let s = sigmoid(&b)?;
    let grad_a = mul(grad, &s)?;
    let grad_b = mul(&mul(&grad_a, &a)?, &rsub_scalar(&s, Scalar::Int(1))?)?;
    cat(&[grad_a, grad_b], dim)
}
