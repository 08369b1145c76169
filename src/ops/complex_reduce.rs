//! `var`/`std` (and `var_mean`/`std_mean`) of complex tensors: the variance of `z` is
//! the mean of `|z - mean(z)|^2`, that is the variance of the real parts plus that of
//! the imaginary parts, both computed on the real view (so autograd follows).

use super::complex::view_as_real;
use super::named_node::named_passthrough;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::Result;
use crate::tensor::Tensor;

/// The reduced dims of `t` (all of them for `None`), and `t` itself (a 0-dim tensor as
/// one of length 1, so that its real view keeps the (re, im) dim apart).
fn reduced(t: &Tensor, dims: Option<&[i64]>) -> Result<(Tensor, Vec<i64>)> {
    if t.ndim() == 0 {
        super::reduced_dims(t, dims)?;
        return Ok((super::reshape(t, &[1])?, vec![0]));
    }
    let rdims = super::reduced_dims(t, dims)?;
    Ok((t.clone(), rdims.into_iter().map(|d| d as i64).collect()))
}

/// The variance (a real tensor), not yet named.
fn variance(t: &Tensor, dims: Option<&[i64]>, correction: f64, keepdim: bool) -> Result<Tensor> {
    let (src, rdims) = reduced(t, dims)?;
    let keep = keepdim && t.ndim() > 0;
    let pairs = view_as_real(&src)?;
    let parts = super::reduce_more::var_std(&pairs, Some(&rdims), correction, keep, false)?;
    super::sum(&parts, Some(&[-1]), false, None)
}

/// `sqrt(var)` recorded as `name`, with PyTorch's zero gradient where the result is 0.
fn std_from(var: &Tensor, name: &'static str) -> Result<Tensor> {
    let out = {
        let _no = GradModeGuard::new(false);
        super::sqrt(var)?
    }
    .detached();
    if needs_grad(&[var]) {
        let saved = smallvec::smallvec![SavedTensor::output(&out)];
        record(name, &[var], &[&out], saved, |ctx| {
            Ok(vec![Some(super::reduce_more::std_scale(
                ctx.grad(),
                ctx.saved(0),
            )?)])
        });
    }
    Ok(out)
}

/// `var` / `std` of complex `t` (`VarBackward0` / `StdBackward0`).
pub fn var_std(
    t: &Tensor,
    dims: Option<&[i64]>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
) -> Result<Tensor> {
    let var = variance(t, dims, correction, keepdim)?;
    if is_std {
        std_from(&var, "StdBackward0")
    } else {
        named_passthrough(&var, "VarBackward0")
    }
}

/// `var_mean` / `std_mean` of complex `t` (`VarMeanBackward0` / `StdMeanBackward0`).
pub fn var_std_mean(
    t: &Tensor,
    dims: Option<&[i64]>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
) -> Result<(Tensor, Tensor)> {
    let name = if is_std {
        "StdMeanBackward0"
    } else {
        "VarMeanBackward0"
    };
    let var = variance(t, dims, correction, keepdim)?;
    let spread = if is_std {
        std_from(&var, name)?
    } else {
        named_passthrough(&var, name)?
    };
    let (src, rdims) = reduced(t, dims)?;
    let keep = keepdim && t.ndim() > 0;
    let mean = if t.dtype() == crate::tensor::DType::C32 {
        // PyTorch's var_mean has a complex32 mean (computed wider), unlike its `mean`
        let wide = super::to_dtype(&src, crate::tensor::DType::C64)?;
        let mean = super::complex::mean_of_parts(&wide, Some(&rdims), keep, wide.dtype())?;
        super::to_dtype(&mean, t.dtype())?
    } else {
        super::complex::mean_of_parts(&src, Some(&rdims), keep, src.dtype())?
    };
    Ok((spread, named_passthrough(&mean, name)?))
}
