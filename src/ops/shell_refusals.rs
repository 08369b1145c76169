//! PyTorch's errors for ops whose CPU kernels have no case for the shell unsigned
//! dtypes (uint16, uint32, uint64): NotImplementedError naming the kernel.

use crate::error::Result;
use crate::tensor::dtype::shell_kernel_missing;
use crate::tensor::Tensor;

/// Ok unless `t` is uint16/32/64; then PyTorch's error for `kernel`.
pub fn refuse(kernel: &str, t: &Tensor) -> Result<()> {
    if t.dtype().is_shell_unsigned() {
        return Err(shell_kernel_missing(kernel, t.dtype()));
    }
    Ok(())
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
