//! The buffer protocol: `memoryview(t)` and `np.asarray(memoryview(t))` see the tensor's
//! own memory, strided views included, and keep the tensor alive.
//!
//! Writes through an exported buffer bypass the storage lock, as writes through any
//! buffer exporter do; they are visible to the tensor, as in PyTorch's `numpy()`.

use super::tensor::PyTensor;
use crate::tensor::DType;
use pyo3::exceptions::PyBufferError;
use pyo3::ffi;
use pyo3::prelude::*;
use std::ffi::c_int;

fn format_of(dtype: DType) -> &'static std::ffi::CStr {
    match dtype {
        DType::Bool => c"?",
        DType::U8 => c"B",
        DType::I8 => c"b",
        DType::I16 => c"h",
        DType::I32 => c"i",
        DType::I64 => c"q",
        DType::F16 => c"e",
        // no struct code exists: exported as raw 16-bit words (the Python layer refuses
        // bfloat16 NumPy conversion as PyTorch does)
        DType::BF16 => c"H",
        DType::F32 => c"f",
        DType::F64 => c"d",
        DType::C64 => c"Zf",
        DType::C128 => c"Zd",
        // no struct code for half-precision complex: exported as (re, im) float16 words;
        // the Python layer refuses NumPy conversion as PyTorch does
        DType::C32 => c"2e",
        DType::U16 => c"H",
        DType::U32 => c"I",
        DType::U64 => c"Q",
        // raw bytes: NumPy has no 8-bit float (the Python layer refuses conversion)
        _ => c"B",
    }
}

/// Fills `view` for `slf`.
///
/// # Safety
/// `view` must be the valid `Py_buffer` that CPython passes to `bf_getbuffer`.
pub unsafe fn fill(
    slf: Bound<'_, PyTensor>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
) -> PyResult<()> {
    if view.is_null() {
        return Err(PyBufferError::new_err("View is null"));
    }
    let (ptr, dtype, shape, strides, contiguous) = {
        let me = slf.borrow();
        let t = &me.raw;
        if t.lazy_bits() != 0 {
            // its memory holds the values before conjugation/negation; NumPy then falls
            // back to __array__, which raises PyTorch's RuntimeError
            return Err(PyBufferError::new_err(
                "Can't export the buffer of a Tensor with the conjugate or negative bit set.",
            ));
        }
        if t.requires_grad() {
            // NumPy then falls back to __array__, which raises PyTorch's RuntimeError.
            return Err(PyBufferError::new_err(
                "Can't export the buffer of a Tensor that requires grad. Use tensor.detach() first.",
            ));
        }
        let item = t.dtype().size_in_bytes();
        let base = t.storage().data_ptr();
        // SAFETY: a non-empty view's offset lies within its storage; an empty view may
        // carry an offset past the end, so it exports the storage's own pointer.
        let ptr = if t.numel() == 0 {
            base
        } else {
            unsafe { base.add(t.storage_offset() * item) }
        };
        let shape: Vec<isize> = t.shape().iter().map(|&d| d as isize).collect();
        let strides: Vec<isize> = t.strides().iter().map(|&s| s * item as isize).collect();
        (ptr, t.dtype(), shape, strides, t.is_contiguous())
    };
    if (flags & ffi::PyBUF_STRIDES) != ffi::PyBUF_STRIDES && !contiguous {
        return Err(PyBufferError::new_err(
            "tensor is not contiguous: request a strided buffer",
        ));
    }
    let item = dtype.size_in_bytes() as isize;
    let ndim = shape.len();
    let len: isize = shape.iter().product::<isize>() * item;
    // shape and strides live in one boxed slice, freed in `release`.
    let mut dims: Box<[isize]> = shape.into_iter().chain(strides).collect();
    let dims_ptr = dims.as_mut_ptr();
    std::mem::forget(dims);
    // SAFETY: `view` is valid (checked non-null above; CPython owns it); every pointer
    // stored in it outlives the view: the data through the owner reference in `obj`,
    // `format` is static, and shape/strides are freed in `release`.
    unsafe {
        (*view).obj = slf.into_any().into_ptr();
        (*view).buf = ptr as *mut std::ffi::c_void;
        (*view).len = len;
        (*view).readonly = 0;
        (*view).itemsize = item;
        (*view).format = if (flags & ffi::PyBUF_FORMAT) == ffi::PyBUF_FORMAT {
            format_of(dtype).as_ptr() as *mut _
        } else {
            std::ptr::null_mut()
        };
        (*view).ndim = ndim as c_int;
        (*view).shape = dims_ptr;
        (*view).strides = dims_ptr.add(ndim);
        (*view).suboffsets = std::ptr::null_mut();
        (*view).internal = dims_ptr as *mut std::ffi::c_void;
    }
    Ok(())
}

/// Frees what `fill` allocated.
///
/// # Safety
/// `view` must be a view filled by `fill`.
pub unsafe fn release(view: *mut ffi::Py_buffer) {
    // SAFETY: `internal` holds the shape/strides slice leaked in `fill`, of 2 * ndim items.
    unsafe {
        let ndim = (*view).ndim as usize;
        let ptr = (*view).internal as *mut isize;
        if !ptr.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                ptr,
                2 * ndim,
            )));
        }
    }
}
