//! PyTorch's order of refusals for elementwise two-operand ops: operands whose shapes
//! do not broadcast (in place: or broadcast beyond the written tensor's shape), then
//! dtypes that do not promote, then (in place) a result the written tensor cannot
//! hold, then a missing kernel for the dtype. Only called once an op has failed, so
//! the success path pays nothing.

use crate::error::{Error, ErrorKind};
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::Tensor;

/// The error PyTorch raises first for `a op b`, given that the op failed with `err`.
pub fn elementwise_refusal(err: Error, a: &Tensor, b: &Tensor) -> Error {
    if !reported_after_shapes(&err) {
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
    if !reported_after_shapes(&err) {
        return err;
    }
    let shape = match broadcast_shapes(t.shape(), b.shape()) {
        Ok(s) => s,
        Err(e) => return e,
    };
    if shape.as_slice() != t.shape() {
        return Error::output_shape_mismatch(t.shape(), &shape);
    }
    if err.kind != ErrorKind::NotImplemented {
        return err;
    }
    match super::result_type(&[t, b]) {
        Ok(result) if promotes && result.category() > t.dtype().category() => {
            Error::output_cast(result, t.dtype())
        }
        _ => err,
    }
}

/// Whether PyTorch checks the operands' shapes before it raises `err`: a missing
/// kernel, or a pair of dtypes it does not promote.
fn reported_after_shapes(err: &Error) -> bool {
    err.kind == ErrorKind::NotImplemented || err.message.starts_with("Promotion for ")
}
