//! `t.view(dtype)`: the same bytes read as another dtype, with PyTorch's shape rules
//! (a wider dtype folds the last dim, a narrower one unfolds it).
//!
//! The result shares `t`'s memory and version counter (writes through either show in
//! the other) and has no autograd history, as in PyTorch. Views to or from bool are
//! the exception: they read a copy (a bool must hold 0 or 1, which writes through a
//! shared byte view could break).

use crate::error::{Error, Result};
use crate::tensor::{Buffer, DType, Layout, Storage, Tensor};
use std::sync::Arc;

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
    // PyTorch checks the last size before the last stride
    if to > from && !t.shape()[last].is_multiple_of(to / from) {
        return Err(Error::runtime(format!(
            "self.size(-1) must be divisible by {} {what}, but got {}",
            to / from,
            t.shape()[last]
        )));
    }
    // then the storage offset, before the last stride
    if to > from && !t.storage_offset().is_multiple_of(to / from) {
        return Err(Error::runtime(format!(
            "self.storage_offset() must be divisible by {} {what}, but got {}",
            to / from,
            t.storage_offset()
        )));
    }
    if t.strides()[last] != 1 {
        return Err(Error::runtime(format!(
            "self.stride(-1) must be 1 {what}, but got {}",
            t.strides()[last]
        )));
    }
    if to > from {
        let ratio = to / from;
        for (d, &s) in t.strides()[..last].iter().enumerate() {
            if s.rem_euclid(ratio as isize) != 0 {
                return Err(Error::runtime(format!(
                    "self.stride({d}) must be divisible by {ratio} {what}, but got {s}"
                )));
            }
        }
    }
    Ok(())
}

/// `t`'s layout counted in elements of `to_size` bytes instead of `from_size` (the
/// checks above passed: the last dim is unit-stride and everything divides).
fn rescaled(layout: &Layout, from_size: usize, to_size: usize) -> Layout {
    let scale = |n: usize| n * from_size / to_size;
    let mut out = layout.clone();
    if from_size == to_size {
        return out;
    }
    let last = out.shape.len() - 1;
    out.shape[last] = scale(out.shape[last]);
    for s in out.strides[..last].iter_mut() {
        *s = *s * from_size as isize / to_size as isize;
    }
    out.offset = scale(out.offset);
    out
}

/// The storage of `t` read as `dtype`: shared when it can be, else a copy of its bytes.
fn storage_as(t: &Tensor, dtype: DType) -> Arc<Storage> {
    if let Some(shared) = t.storage().reinterpret(dtype) {
        return shared;
    }
    let root = t.storage().root();
    let bytes = root.read().to_ne_bytes();
    Arc::new(Storage::new(Buffer::from_ne_bytes(dtype, &bytes)))
}

/// `t.view(dtype)`.
pub fn view_dtype(t: &Tensor, dtype: DType) -> Result<Tensor> {
    // PyTorch refuses a lazily conjugated or negated tensor even for its own dtype
    let lazily = if t.is_conj() {
        Some("conjugate view tensors")
    } else if t.is_neg() {
        Some("tensors with negative bit set")
    } else {
        None
    };
    if let Some(what) = lazily {
        return Err(Error::runtime(format!(
            "ferrograd.Tensor.view is not supported for {what} when converting to a different dtype."
        )));
    }
    if dtype == t.dtype() {
        return Ok(t.detached());
    }
    let (from, to) = (t.dtype().size_in_bytes(), dtype.size_in_bytes());
    if from != to {
        check(t, dtype)?;
    }
    let layout = rescaled(t.layout(), from, to);
    Ok(Tensor::from_parts(
        storage_as(t, dtype),
        layout,
        dtype,
        t.0.version.share(),
    ))
}

/// Every byte of `t`'s storage (the whole allocation, whatever dtype views it) as a
/// 1-D uint8 tensor sharing its memory and version counter: what
/// `t.untyped_storage()` reads and writes. A copy for bool storages (see above).
pub fn storage_bytes(t: &Tensor) -> Tensor {
    let bytes = storage_as(t, DType::U8);
    let n = bytes.len();
    Tensor::from_parts(
        bytes,
        Layout::contiguous(&[n]),
        DType::U8,
        t.0.version.share(),
    )
}

/// An identity for the memory under `t`'s storage: equal for every tensor viewing it,
/// whatever its dtype, for as long as one of them lives.
pub fn storage_key(t: &Tensor) -> usize {
    Arc::as_ptr(&t.storage().root()) as usize
}
