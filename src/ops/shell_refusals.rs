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
