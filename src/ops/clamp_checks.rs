//! PyTorch's checks of `clamp` with tensor bounds, in its order: a bound given, a
//! complex input, shapes that broadcast (and, written in place, that fit the input),
//! the common dtype and its cast back to a written input, then the kernel for that
//! dtype (empty tensors included: the kernel is picked before the loop runs).

use crate::error::{Error, Result};
use crate::tensor::dtype::shell_kernel_missing;
use crate::tensor::layout::{broadcast_shapes, Dims};
use crate::tensor::{DType, Tensor};

/// The kernel PyTorch's clamp runs: `maximum`/`minimum` for one bound.
fn kernel(has_min: bool, has_max: bool) -> &'static str {
    match (has_min, has_max) {
        (true, false) => "maximum_cpu",
        (false, true) => "minimum_cpu",
        _ => "clamp_cpu",
    }
}

/// The dtype `clamp(t, min, max)` computes in, after PyTorch's checks; `written` for
/// `t.clamp_(min, max)`.
pub fn clamp_dtype(
    t: &Tensor,
    min: Option<&Tensor>,
    max: Option<&Tensor>,
    written: bool,
) -> Result<DType> {
    if min.is_none() && max.is_none() {
        return Err(Error::runtime(
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ));
    }
    super::complex_refusals::refuse("clamp", t)?;
    let bounds: Vec<&Tensor> = [min, max].into_iter().flatten().collect();
    bounds_dtype(t, &bounds, kernel(min.is_some(), max.is_some()), written)
}

/// The common dtype of `t` and its tensor `bounds` once their shapes broadcast and
/// `kernel` (PyTorch's maximum, minimum or clamp) has a case for it.
pub fn bounds_dtype(t: &Tensor, bounds: &[&Tensor], kernel: &str, written: bool) -> Result<DType> {
    let mut shape = Dims::from_slice(t.shape());
    for b in bounds {
        if b.shape() != shape.as_slice() {
            shape = broadcast_shapes(&shape, b.shape())?;
        }
    }
    if written && shape.as_slice() != t.shape() {
        return Err(Error::output_shape_mismatch(t.shape(), &shape));
    }
    let operands: Vec<&Tensor> = std::iter::once(t).chain(bounds.iter().copied()).collect();
    let dtype = super::result_type(&operands)?;
    if written && dtype.category() > t.dtype().category() {
        return Err(Error::output_cast(dtype, t.dtype()));
    }
    let lacks = dtype.is_complex()
        || dtype.is_shell_unsigned()
        || dtype.is_float8()
        || (dtype == DType::Bool && kernel == "clamp_cpu");
    if lacks {
        return Err(shell_kernel_missing(kernel, dtype));
    }
    Ok(dtype)
}
