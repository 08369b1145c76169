//! The memory order of complex results. Complex ops are built from real ops on the
//! parts and then stacked into fresh row-major pairs; PyTorch's TensorIterator instead
//! lays an elementwise result out in its operands' memory order (a transposed input
//! gives a transposed result). `in_order_of` restores that order.

use crate::autograd::{needs_grad, record};
use crate::error::Result;
use crate::tensor::layout::{Layout, Strides};
use crate::tensor::memory_format::elementwise_strides;
use crate::tensor::Tensor;

/// `out` (computed elementwise from `inputs`) in the memory order PyTorch gives such a
/// result; a copy in that order whose node keeps `out`'s node name when it differs.
pub fn in_order_of(out: Tensor, inputs: &[&Tensor]) -> Result<Tensor> {
    let layouts: Vec<&Layout> = inputs.iter().map(|t| t.layout()).collect();
    let strides = elementwise_strides(out.shape(), &layouts);
    let fits = match &strides {
        None => out.is_contiguous(),
        Some(s) => out.strides() == s.as_slice(),
    };
    if fits {
        return Ok(out);
    }
    let moved = relaid(&out, strides);
    if needs_grad(&[&out]) {
        let name = out
            .grad_fn()
            .map(|f| super::named_node::intern(f.node().name()))
            .unwrap_or("CloneBackward0");
        // the values are `out`'s: the gradient passes straight through
        record(name, &[&out], &[&moved], vec![], |ctx| {
            Ok(vec![Some(ctx.grad().clone())])
        });
    }
    Ok(moved)
}

/// A copy of `t` with `strides` (None: row-major), without autograd.
fn relaid(t: &Tensor, strides: Option<Strides>) -> Tensor {
    super::cast::cast_into_strides(t, t.dtype(), strides)
}
