//! PyTorch's errors for ops that have no complex kernel: the exception type and wording
//! PyTorch gives for the same call (some ops refuse with RuntimeError, most with
//! NotImplementedError naming the kernel).

use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// Ok for a real tensor; PyTorch's error for `op` on a complex one.
pub fn refuse(op: &str, t: &Tensor) -> Result<()> {
    if !t.dtype().is_complex() {
        return Ok(());
    }
    Err(refusal(op, t.dtype().kernel_name()))
}

/// PyTorch's error for `op` on a complex tensor of kernel dtype `kernel`.
pub fn refusal(op: &str, kernel: &str) -> Error {
    match op {
        "sort" => Error::runtime(" Sort does not support complex dtypes on CPU"),
        "topk" => Error::runtime(" topk does not support complex dtypes on CPU"),
        "argmax" | "argmin" | "max" | "min" => {
            Error::runtime(format!("{op}(): does not support complex input"))
        }
        "maximum" | "minimum" | "fmax" | "fmin" => {
            Error::runtime(format!("{op} not implemented for complex tensors."))
        }
        "heaviside" => Error::runtime("heaviside is not yet implemented for complex tensors."),
        "deg2rad" | "rad2deg" => {
            Error::runtime(format!("{op} is not supported for complex tensors."))
        }
        "isposinf" | "isneginf" => Error::runtime(format!("{op} does not support complex inputs.")),
        "clamp" => Error::not_implemented("clamp is not supported for complex types"),
        "signbit" => Error::not_implemented("signbit is not implemented for complex tensors."),
        "floor" | "ceil" | "trunc" => {
            Error::not_implemented(format!("{op} is not supported for complex inputs"))
        }
        "sign" => Error::not_implemented(
            "Unlike NumPy, ferrograd.sign is not intended to support complex numbers. Please use ferrograd.sgn instead.",
        ),
        _ => Error::not_implemented(format!("\"{op}\" not implemented for '{kernel}'")),
    }
}
