//! In-place ops: compute the result, write it into the tensor's storage, bump the
//! version counter, and make the op's node the tensor's new history.

use super::cast::copy_raw;
use crate::autograd::is_grad_enabled;
use crate::autograd::record::set_history;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// PyTorch's refusal to modify a leaf that requires grad while recording.
pub fn check_inplace(t: &Tensor) -> Result<()> {
    if is_grad_enabled() && t.is_leaf() && t.requires_grad() {
        return Err(Error::runtime(
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    Ok(())
}

/// Runs `op` on (a stand-in for) `t` and writes the result back into `t`.
/// `op_saves_self` says whether the op's backward needs `t`'s old values; then it gets
/// a private copy, since `t`'s storage is about to change.
pub fn apply_inplace(
    t: &Tensor,
    op_saves_self: bool,
    op: impl FnOnce(&Tensor) -> Result<Tensor>,
) -> Result<()> {
    check_inplace(t)?;
    let input = if !is_grad_enabled() {
        t.clone()
    } else if op_saves_self {
        super::cast::clone(t)?
    } else {
        t.detached_with_history()
    };
    let result = op(&input)?;
    if result.dtype().category() > t.dtype().category() {
        return Err(Error::runtime(format!(
            "result type {} can't be cast to the desired output type {}",
            result.dtype().kernel_name(),
            t.dtype().kernel_name()
        )));
    }
    if result.shape() != t.shape() {
        return Err(Error::runtime(format!(
            "output with shape {} doesn't match the broadcast shape {}",
            crate::tensor::layout::format_shape(t.shape()),
            crate::tensor::layout::format_shape(result.shape())
        )));
    }
    copy_raw(t, &result)?;
    t.bump_version();
    if let Some(node) = result.grad_fn() {
        let nr = result.meta().state.lock().output_nr;
        set_history(t.meta(), &node, nr);
    }
    Ok(())
}
