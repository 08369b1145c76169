//! PyTorch's order of refusals for elementwise two-operand ops: operands whose shapes
//! do not broadcast, then (in place) a result the written tensor cannot hold, are
//! reported before a missing kernel for the dtype. Only called once an op has failed,
//! so the success path pays nothing.

use crate::error::{Error, ErrorKind};
use crate::tensor::layout::{broadcast_shapes, format_shape};
use crate::tensor::Tensor;

/// The error PyTorch raises first for `a op b`, given that the op failed with `err`.
pub fn elementwise_refusal(err: Error, a: &Tensor, b: &Tensor) -> Error {
    if err.kind != ErrorKind::NotImplemented {
        return err;
    }
    match broadcast_shapes(a.shape(), b.shape()) {
        Ok(_) => err,
        Err(e) => e,
    }
}

/// The error PyTorch raises first for `t.op_(b)`, given that it failed with `err`;
/// `promotes` says whether the result has the promoted dtype of `t` and `b` (not so for
/// comparisons, whose result PyTorch casts to `t`'s dtype whatever it is).
pub fn in_place_refusal(err: Error, t: &Tensor, b: &Tensor, promotes: bool) -> Error {
    if err.kind != ErrorKind::NotImplemented {
        return err;
    }
    let shape = match broadcast_shapes(t.shape(), b.shape()) {
        Ok(s) => s,
        Err(e) => return e,
    };
    if shape.as_slice() != t.shape() {
        return Error::runtime(format!(
            "output with shape {} doesn't match the broadcast shape {}",
            format_shape(t.shape()),
            format_shape(&shape)
        ));
    }
    match super::result_type(&[t, b]) {
        Ok(result) if promotes && result.category() > t.dtype().category() => {
            Error::runtime(format!(
                "result type {} can't be cast to the desired output type {}",
                result.kernel_name(),
                t.dtype().kernel_name()
            ))
        }
        _ => err,
    }
}
