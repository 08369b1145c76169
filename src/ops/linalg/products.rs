//! `linalg.cross` (`LinalgCrossBackward0`) and `dist` (`DistBackward0`).

use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{
    abs, cat, compare, div, masked_fill, mul, narrow, neg, pow, reduce_grad, scalar, sign, sub,
    sum, to_dtype, vector_norm, zeros_like,
};
use crate::tensor::{layout::wrap_dim, Scalar, Tensor};

/// The cross product of 3-vectors along `dim` (broadcasting the other dims).
pub fn cross(a: &Tensor, b: &Tensor, dim: i64) -> Result<Tensor> {
    crate::ops::shell_refusals::refuse_either("cross", a, b)?;
    if a.ndim() != b.ndim() {
        return Err(Error::runtime(
            "linalg.cross: inputs must have the same number of dimensions.",
        ));
    }
    if a.ndim() == 0 {
        return Err(Error::index(format!(
            "Dimension specified as {dim} but tensor has no dimensions"
        )));
    }
    let d = wrap_dim(dim, a.ndim())?;
    if a.shape()[d] != 3 || b.shape()[d] != 3 {
        return Err(Error::runtime(format!(
            "linalg.cross: inputs dimension {dim} must have length 3. Got {} and {}",
            a.shape()[d],
            b.shape()[d]
        )));
    }
    let out = {
        let _no = crate::autograd::GradModeGuard::new(false);
        cross_raw(a, b, d as i64)?.detached()
    };
    if needs_grad(&[a, b]) {
        let (a_shape, b_shape) = (a.shape().to_vec(), b.shape().to_vec());
        let (ad, bd) = (a.dtype(), b.dtype());
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record(
            "LinalgCrossBackward0",
            &[a, b],
            &[&out],
            saved,
            move |ctx| {
                // complex inputs differentiate with the conjugated factors
                let conj = |t: &Tensor| {
                    crate::ops::complex_math::conj_physical(t, "ConjPhysicalBackward0")
                };
                let (a, b, g) = (&conj(ctx.saved(0))?, &conj(ctx.saved(1))?, ctx.grad());
                let ga = if ctx.needs(0) {
                    Some(reduce_grad(&cross(b, g, d as i64)?, &a_shape, ad)?)
                } else {
                    None
                };
                let gb = if ctx.needs(1) {
                    Some(reduce_grad(&cross(g, a, d as i64)?, &b_shape, bd)?)
                } else {
                    None
                };
                Ok(vec![ga, gb])
            },
        );
    }
    Ok(out)
}

fn cross_raw(a: &Tensor, b: &Tensor, d: i64) -> Result<Tensor> {
    let c = |t: &Tensor, i: i64| narrow(t, d, i, 1);
    let part = |i: i64, j: i64| -> Result<Tensor> {
        sub(&mul(&c(a, i)?, &c(b, j)?)?, &mul(&c(a, j)?, &c(b, i)?)?)
    };
    cat(&[part(1, 2)?, part(2, 0)?, part(0, 1)?], d)
}

/// `dist(a, b, p)`: the p-norm of `a - b` over all elements.
pub fn dist(a: &Tensor, b: &Tensor, p: f64) -> Result<Tensor> {
    let out = {
        let _no = crate::autograd::GradModeGuard::new(false);
        vector_norm(&sub(a, b)?, p, None, false)?.detached()
    };
    if needs_grad(&[a, b]) {
        let (a_shape, b_shape) = (a.shape().to_vec(), b.shape().to_vec());
        let (ad, bd) = (a.dtype(), b.dtype());
        let saved = vec![
            SavedTensor::input(a),
            SavedTensor::input(b),
            SavedTensor::output(&out),
        ];
        record("DistBackward0", &[a, b], &[&out], saved, move |ctx| {
            if p == 0.0 {
                // PyTorch's norm backward leaves p = 0 undefined: `a` gets no gradient
                // (not zeros), and negating that undefined gradient for `b` fails.
                if ctx.needs(1) {
                    return Err(crate::error::Error::runtime(
                        "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 'self'",
                    ));
                }
                return Ok(vec![None, None]);
            }
            let x = sub(ctx.saved(0), ctx.saved(1))?;
            let g = mul(ctx.grad(), &norm_derivative(&x, ctx.saved(2), p)?)?;
            let ga = if ctx.needs(0) {
                Some(reduce_grad(&g, &a_shape, ad)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(reduce_grad(&neg(&g)?, &b_shape, bd)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// d‖x‖_p / dx given the norm `n` (a 0-dim tensor), 0 where the norm is 0.
fn norm_derivative(x: &Tensor, n: &Tensor, p: f64) -> Result<Tensor> {
    let zero = scalar(Scalar::Int(0));
    let masked = |q: Tensor| masked_fill(&q, &compare::eq(n, &zero)?, Scalar::Float(0.0));
    if p == 0.0 {
        zeros_like(x)
    } else if p == 1.0 {
        sign(x)
    } else if p == 2.0 {
        masked(div(x, n)?)
    } else if p.is_infinite() {
        let mask = to_dtype(&compare::eq(&abs(x)?, n)?, x.dtype())?;
        let count = sum(&mask, None, false, None)?;
        div(&mul(&sign(x)?, &mask)?, &count)
    } else {
        // x |x|^(p-2) / ‖x‖^(p-1)
        let num = mul(x, &pow(&abs(x)?, &scalar(Scalar::Float(p - 2.0)))?)?;
        masked(div(&num, &pow(n, &scalar(Scalar::Float(p - 1.0)))?)?)
    }
}
