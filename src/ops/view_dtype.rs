//! `t.view(dtype)`: the same bytes read as another dtype, with PyTorch's shape rules
//! (a wider dtype folds the last dim, a narrower one unfolds it).
//!
//! Storages are typed here, so the result is a reinterpreting copy: its values are
//! PyTorch's, but writes to it do not reach `t`.

use crate::error::{Error, Result};
use crate::tensor::{Buffer, DType, Tensor};

fn check(t: &Tensor, dtype: DType) -> Result<()> {
    let (from, to) = (t.dtype().size_in_bytes(), dtype.size_in_bytes());
    let what = format!(
        "to view {} as {} (different element sizes)",
        t.dtype().kernel_name(),
        dtype.kernel_name()
    );
    if t.ndim() == 0 {
        return Err(Error::runtime(format!("self.dim() cannot be 0 {what}")));
    }
    let last = t.ndim() - 1;
    if t.strides()[last] != 1 && t.shape()[last] != 1 {
        return Err(Error::runtime(format!(
            "self.stride(-1) must be 1 {what}, but got {}",
            t.strides()[last]
        )));
    }
    if to > from {
        let ratio = to / from;
        if t.shape()[last] % ratio != 0 {
            return Err(Error::runtime(format!(
                "self.size(-1) must be divisible by {ratio} {what}, but got {}",
                t.shape()[last]
            )));
        }
        if t.storage_offset() % ratio != 0 {
            return Err(Error::runtime(format!(
                "self.storage_offset() must be divisible by {ratio} {what}, but got {}",
                t.storage_offset()
            )));
        }
        for (d, &s) in t.strides()[..last].iter().enumerate() {
            if s as usize % ratio != 0 {
                return Err(Error::runtime(format!(
                    "self.stride({d}) must be divisible by {ratio} {what}, but got {s}"
                )));
            }
        }
    }
    Ok(())
}

/// `t.view(dtype)` (no history: PyTorch's result does not require grad either).
pub fn view_dtype(t: &Tensor, dtype: DType) -> Result<Tensor> {
    if dtype == t.dtype() {
        return Ok(t.clone());
    }
    let (from, to) = (t.dtype().size_in_bytes(), dtype.size_in_bytes());
    let mut shape = t.shape().to_vec();
    if from != to {
        check(t, dtype)?;
        let last = shape.len() - 1;
        shape[last] = shape[last] * from / to;
    }
    let bytes = t.to_buffer().to_ne_bytes();
    Tensor::from_buffer(Buffer::from_ne_bytes(dtype, &bytes), &shape)
}
