//! PyTorch's errors for ops whose CPU kernels have no case for the shell dtypes
//! (uint16, uint32, uint64 and the 8-bit floats): NotImplementedError naming the kernel.

use crate::error::Result;
use crate::tensor::dtype::shell_kernel_missing;
use crate::tensor::{DType, Tensor};

/// Ok unless `t` is uint16/32/64 or an 8-bit float without `kernel`; then PyTorch's
/// error for `kernel`.
pub fn refuse(kernel: &str, t: &Tensor) -> Result<()> {
    let dtype = t.dtype();
    if dtype.is_shell_unsigned() || (dtype.is_float8() && !float8_has_kernel(kernel, dtype)) {
        return Err(shell_kernel_missing(kernel, dtype));
    }
    Ok(())
}

/// The few kernels (of those the shell unsigned dtypes lack) that PyTorch's CPU build
/// has for the 8-bit floats: matrix products and abs except for the unsigned e8m0.
fn float8_has_kernel(kernel: &str, dtype: DType) -> bool {
    match kernel {
        "index_select" | "take_put_cpu" => true,
        "addmm_impl_cpu_" | "abs_cpu" => dtype != DType::F8E8M0FNU,
        _ => false,
    }
}

/// PyTorch's NotImplementedError for `kernel` when `t` is an 8-bit float.
pub fn refuse_float8(kernel: &str, t: &Tensor) -> Result<()> {
    if t.dtype().is_float8() {
        return Err(shell_kernel_missing(kernel, t.dtype()));
    }
    Ok(())
}

/// Stops a float kernel reached with an 8-bit float tensor (PyTorch has none for
/// them): the binding turns this panic into NotImplementedError naming the op (see
/// `python::errors`).
pub(crate) fn refuse_float8_kernel(t: &Tensor) {
    if t.dtype().is_float8() {
        panic!("not implemented for '{}'", t.dtype().kernel_name());
    }
}

/// The common dtype of `a` and `b` for `kernel`, which runs in it (as the logical
/// ops do): their shapes broadcast, their dtypes promote, and a uint16/32/64 or 8-bit
/// float common dtype is refused even for empty operands.
pub fn refuse_common(kernel: &str, a: &Tensor, b: &Tensor) -> Result<DType> {
    let dtype = super::operands_dtype(a, b)?;
    if dtype.is_shell_unsigned() || dtype.is_float8() {
        return Err(shell_kernel_missing(kernel, dtype));
    }
    Ok(dtype)
}

/// `refuse` for a two-operand kernel: either operand being uint16/32/64 refuses it.
pub fn refuse_either(kernel: &str, a: &Tensor, b: &Tensor) -> Result<()> {
    refuse(kernel, a)?;
    refuse(kernel, b)
}

/// Whether PyTorch's flip of `t` along the (wrapped) `dims` runs without its typed
/// kernel, which the shell dtypes lack: nothing to reverse (a plain copy), or only dims
/// outside the innermost one, which it must then read contiguously (rows copied whole).
pub fn flip_is_row_copy(t: &Tensor, dims: &[usize]) -> bool {
    let (shape, strides) = (t.shape(), t.strides());
    let moves = |d: usize| shape[d] > 1 && strides[d] != 0;
    if t.numel() <= 1 || !dims.iter().any(|&d| moves(d)) {
        return true;
    }
    let innermost = (0..shape.len())
        .filter(|&d| moves(d))
        .min_by_key(|&d| strides[d].unsigned_abs());
    match innermost {
        Some(d) => strides[d] == 1 && !dims.contains(&d),
        None => true,
    }
}
