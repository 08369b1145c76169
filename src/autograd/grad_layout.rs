//! The strides of a leaf's `.grad` (PyTorch's AccumulateGrad layout contract): a
//! gradient is stored as it is when it "obeys" the leaf's layout, else copied into the
//! leaf's strides (a dense leaf) or row-major (any other leaf).

use crate::error::Result;
use crate::ops::cast::{cast_into_strides, cast_raw, record_clone};
use crate::tensor::layout::Layout;
use crate::tensor::memory_format::is_non_overlapping_and_dense;
use crate::tensor::Tensor;

/// PyTorch's `obeys_layout_contract(grad, variable)`.
fn obeys_layout(grad: &Layout, leaf: &Layout) -> bool {
    if !is_non_overlapping_and_dense(&leaf.shape, &leaf.strides) {
        return grad.is_contiguous();
    }
    (0..grad.ndim()).all(|d| {
        if grad.shape[d] != 1 {
            grad.strides[d] == leaf.strides[d]
        } else {
            grad.strides[d] != 0
        }
    })
}

/// The gradient to store as a leaf's first `.grad`: a fresh copy without history, or
/// with `keep_history` the gradient itself (a recorded copy where it must change layout).
/// As PyTorch's AccumulateGrad, a gradient that nothing else references is stored
/// itself rather than copied.
pub fn first_grad(g: Tensor, leaf: Option<&Layout>, keep_history: bool) -> Result<Tensor> {
    let obeys = leaf.is_none_or(|l| obeys_layout(g.layout(), l));
    match (obeys, keep_history) {
        (true, true) => Ok(g),
        (true, false) if g.is_exclusive() && !g.requires_grad() && g.view_base().is_none() => Ok(g),
        (true, false) => Ok(cast_raw(&g, g.dtype())),
        (false, _) => {
            let leaf = leaf.expect("checked above");
            let strides = is_non_overlapping_and_dense(&leaf.shape, &leaf.strides)
                .then(|| leaf.strides.clone());
            let copy = cast_into_strides(&g, g.dtype(), strides);
            if keep_history {
                record_clone(&g, copy)
            } else {
                Ok(copy)
            }
        }
    }
}
