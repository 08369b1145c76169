//! Storage-level access for serialization and zero-copy import: a tensor's whole storage
//! as bytes and an identity for it, a 1-D tensor from raw bytes, views with given sizes,
//! strides and offset over an existing storage, and tensors borrowing foreign memory
//! (the buffer protocol here, DLPack in `dlpack_fns`).

use super::convert::opt_dtype;
use super::errors::guarded;
use super::int_args::{int_arg, int_list_arg};
use super::tensor::{wrap, PyTensor};
use crate::tensor::storage::ForeignOwner;
use crate::tensor::{layout, Buffer, DType, Layout, Storage, Tensor, VersionSlot};
use crate::{with_buffer, with_dtype};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::Arc;

/// `(key, length)` of the tensor's storage: the key is the same for tensors sharing it.
#[pyfunction]
fn _storage_info(t: &PyTensor) -> (usize, usize) {
    (Arc::as_ptr(t.raw.storage()) as usize, t.raw.storage().len())
}

/// Every element of the tensor's storage as bytes (native, little-endian, order).
#[pyfunction]
fn _storage_bytes<'py>(py: Python<'py>, t: &PyTensor) -> Bound<'py, PyBytes> {
    let guard = t.raw.storage().read();
    with_buffer!(&*guard, v, T => {
        let n = std::mem::size_of_val(v.as_slice());
        // SAFETY: a slice of plain elements (numbers, or bools stored as 0/1 bytes)
        // viewed as its bytes, read while the read lock is held.
        let bytes = unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), n) };
        PyBytes::new(py, bytes)
    })
}

/// A new 1-D tensor of `dtype` holding a copy of `data` (a storage record of a file).
#[pyfunction]
fn _tensor_from_bytes(
    py: Python<'_>,
    data: &[u8],
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let dtype = opt_dtype(Some(dtype))?.unwrap_or(DType::F32);
    let item = dtype.size_in_bytes();
    if !data.len().is_multiple_of(item) {
        return Err(PyRuntimeError::new_err(format!(
            "storage of {} bytes is not a whole number of {dtype} elements ({item} bytes each)",
            data.len()
        )));
    }
    let n = data.len() / item;
    // Bools must be 0 or 1 to be valid: normalise any other byte to 1, as NumPy does.
    let normalised: Vec<u8>;
    let src = if dtype == DType::Bool {
        normalised = data.iter().map(|&b| (b != 0) as u8).collect();
        normalised.as_slice()
    } else {
        data
    };
    let t = guarded("load", || {
        let mut buffer = Buffer::zeros(dtype, n)?;
        with_buffer!(&mut buffer, v, T => {
            // SAFETY: `v` holds exactly `src.len()` bytes of plain elements, every bit
            // pattern of which is valid (bools were normalised to 0/1 above).
            unsafe {
                std::ptr::copy_nonoverlapping(src.as_ptr(), v.as_mut_ptr().cast::<u8>(), src.len())
            }
        });
        Tensor::from_buffer(buffer, &[n])
    })?;
    wrap(py, t)
}

/// A view of `base`'s storage with the given sizes, strides and offset (in elements),
/// refused with PyTorch's error when it reaches past the storage.
#[pyfunction]
fn _view_storage(
    py: Python<'_>,
    base: &PyTensor,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = int_arg)] offset: i64,
) -> PyResult<Py<PyAny>> {
    let t = &base.raw;
    if size.len() != stride.len() {
        return Err(PyRuntimeError::new_err(format!(
            "mismatch in length of strides and shape: {} vs {}",
            stride.len(),
            size.len()
        )));
    }
    if size.iter().any(|&s| s < 0) || stride.iter().any(|&s| s < 0) || offset < 0 {
        return Err(PyRuntimeError::new_err(format!(
            "sizes {size:?}, strides {stride:?} and storage offset {offset} must not be negative"
        )));
    }
    let shape: Vec<usize> = size.iter().map(|&s| s as usize).collect();
    let strides: Vec<isize> = stride.iter().map(|&s| s as isize).collect();
    let needed = required_len(&shape, &strides, offset as usize);
    let have = t.storage().len();
    if needed.is_none_or(|n| n > have) {
        let item = t.dtype().size_in_bytes();
        return Err(PyRuntimeError::new_err(format!(
            "setStorage: sizes {size:?}, strides {stride:?}, storage offset {offset}, and itemsize {item} requiring a storage size of {} are out of bounds for storage of size {}",
            needed.map_or("more than 2^64".to_string(), |n| (n as u128 * item as u128).to_string()),
            have * item
        )));
    }
    let view = t.view_with_layout(Layout {
        shape: shape.into_iter().collect(),
        strides: strides.into_iter().collect(),
        offset: offset as usize,
    });
    wrap(py, view)
}

/// Elements a layout needs its storage to hold (0 when it has none), None on overflow.
fn required_len(shape: &[usize], strides: &[isize], offset: usize) -> Option<usize> {
    if shape.contains(&0) {
        return Some(0);
    }
    let mut last = offset;
    for (&d, &s) in shape.iter().zip(strides) {
        last = last.checked_add((d - 1).checked_mul(s as usize)?)?;
    }
    last.checked_add(1)
}

/// A tensor over `len` elements at `ptr` that `owner` keeps alive, with the given
/// layout (strides in elements, all non-negative). Bools are checked to be 0 or 1.
///
/// # Safety
/// `ptr` must be valid for reads and writes of the elements the layout reaches, for as
/// long as `owner` lives, and `len` must cover them.
pub(super) unsafe fn borrowed_tensor(
    ptr: *mut u8,
    dtype: DType,
    shape: Vec<usize>,
    strides: Vec<isize>,
    owner: ForeignOwner,
) -> PyResult<Tensor> {
    let lay = Layout {
        shape: shape.iter().copied().collect(),
        strides: strides.into_iter().collect(),
        offset: 0,
    };
    let len = lay.storage_extent();
    if len == 0 {
        // Nothing to share; `owner` is dropped here, releasing the foreign memory.
        return guarded("from_dlpack", || Tensor::zeros(&shape, dtype));
    }
    with_dtype!(dtype, T => {
        if !(ptr as usize).is_multiple_of(std::mem::align_of::<T>()) {
            return Err(PyValueError::new_err(format!(
                "the memory at {ptr:p} is not aligned for {dtype} elements; copy the array first"
            )));
        }
    });
    if dtype == DType::Bool {
        let mut bad = false;
        // SAFETY: every offset the layout visits is below `len`, inside the memory the
        // caller vouches for; reading them as bytes is valid for any contents.
        lay.for_each_offset(|o| bad |= unsafe { *ptr.add(o) } > 1);
        if bad {
            return Err(PyValueError::new_err(
                "a bool array holds bytes other than 0 and 1; convert it with astype(bool) first",
            ));
        }
    }
    let storage = with_dtype!(dtype, T => {
        // SAFETY: aligned (checked above), valid for `len` elements while `owner` lives
        // (the caller's contract), and bool bytes are 0 or 1 (checked above).
        unsafe { Storage::borrowed(ptr as *mut T, len, owner) }
    });
    Ok(Tensor::from_parts(
        Arc::new(storage),
        lay,
        dtype,
        VersionSlot::fresh(),
    ))
}

/// A buffer view held for a borrowing tensor; released (with the GIL) when the tensor's
/// storage goes, which also drops the reference to the exporting object.
struct HeldBuffer(Box<ffi::Py_buffer>);

// SAFETY: the view's pointers are only used under the GIL: read once when the tensor is
// made and handed back to CPython in `Drop`, which attaches to the interpreter.
unsafe impl Send for HeldBuffer {}
// SAFETY: as above; no method reads the view through a shared reference.
unsafe impl Sync for HeldBuffer {}

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        release_attached(|| {
            // SAFETY: the view was filled by a successful PyObject_GetBuffer and is
            // released exactly once, here, with the GIL held.
            unsafe { ffi::PyBuffer_Release(&mut *self.0) }
        });
    }
}

/// Runs `release` (handing borrowed memory back to its Python owner) attached to the
/// interpreter. A storage freed while the interpreter shuts down (a NumPy array made by
/// `np.from_dlpack` collected at exit) may find it no longer attachable: attaching then
/// panics inside a C destructor, which aborts the process, so the release is skipped
/// and the memory goes with the ending process.
pub(super) fn release_attached(release: impl FnOnce()) {
    let _ = Python::try_attach(|_| release());
}

/// The struct-module format characters of a dtype's elements.
fn format_fits(dtype: DType, format: &str, itemsize: usize) -> bool {
    let code = match format.strip_prefix(['@', '=', '<']) {
        Some(rest) => rest,
        None if format.starts_with(['>', '!']) => return false,
        None => format,
    };
    let name = match code {
        "?" => "bool".to_string(),
        "e" => "float16".to_string(),
        "f" => "float32".to_string(),
        "d" => "float64".to_string(),
        "B" => "uint8".to_string(),
        "H" | "I" | "L" | "Q" => format!("uint{}", itemsize * 8),
        "b" | "h" | "i" | "l" | "q" => format!("int{}", itemsize * 8),
        _ => return false,
    };
    name == dtype.name() && itemsize == dtype.size_in_bytes()
}

/// A tensor sharing the memory of `obj`'s buffer (a NumPy array): writes show both
/// ways, and the tensor keeps the exporter alive. `dtype` must match the buffer's
/// format; strides must be non-negative multiples of the element size.
#[pyfunction]
fn _from_buffer(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let dtype = opt_dtype(Some(dtype))?.unwrap_or(DType::F32);
    let mut view = Box::new(ffi::Py_buffer::new());
    // SAFETY: `obj` is a live object and `view` a writable Py_buffer; on success the
    // view is owned by `HeldBuffer`, which releases it.
    let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_RECORDS_RO) };
    if rc != 0 {
        return Err(PyErr::fetch(py));
    }
    let held = HeldBuffer(view);
    let v = &*held.0;
    let itemsize = v.itemsize as usize;
    let format = if v.format.is_null() {
        "B".to_string()
    } else {
        // SAFETY: a non-null format is a NUL-terminated string owned by the view.
        unsafe { std::ffi::CStr::from_ptr(v.format) }
            .to_string_lossy()
            .into_owned()
    };
    if !format_fits(dtype, &format, itemsize) {
        return Err(PyValueError::new_err(format!(
            "buffer of format '{format}' (itemsize {itemsize}) does not hold {dtype} elements"
        )));
    }
    let ndim = v.ndim as usize;
    let dims = |p: *mut ffi::Py_ssize_t| -> Vec<isize> {
        if p.is_null() {
            return Vec::new();
        }
        // SAFETY: shape and strides, when present, hold `ndim` entries owned by the view.
        unsafe { std::slice::from_raw_parts(p, ndim) }.to_vec()
    };
    let shape: Vec<usize> = if ndim > 0 && v.shape.is_null() {
        vec![v.len as usize / itemsize]
    } else {
        dims(v.shape).into_iter().map(|d| d as usize).collect()
    };
    let byte_strides = dims(v.strides);
    let strides: Vec<isize> = if byte_strides.is_empty() {
        layout::contiguous_strides(&shape).to_vec()
    } else {
        if byte_strides
            .iter()
            .any(|&s| s < 0 || !(s as usize).is_multiple_of(itemsize))
        {
            return Err(PyValueError::new_err(
                "strides must be non-negative multiples of the element size; copy the array first",
            ));
        }
        byte_strides
            .iter()
            .map(|&s| s / itemsize as isize)
            .collect()
    };
    let ptr = v.buf as *mut u8;
    // SAFETY: the exporter guarantees the memory its view describes stays valid until
    // the view is released, which `held` does when the tensor's storage goes.
    let t = unsafe { borrowed_tensor(ptr, dtype, shape, strides, Box::new(held))? };
    wrap(py, t)
}

/// PyTorch's out-of-memory RuntimeError when `count` items of `item_bytes` each could
/// never be allocated here (for work done in Python that would otherwise loop for hours
/// before failing).
#[pyfunction]
fn _check_allocation(count: u64, item_bytes: u64) -> PyResult<()> {
    guarded("allocation", || {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let item_bytes = usize::try_from(item_bytes).unwrap_or(usize::MAX);
        crate::tensor::memory_limit::check(count, item_bytes)
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_check_allocation, m)?)?;
    m.add_function(wrap_pyfunction!(_storage_info, m)?)?;
    m.add_function(wrap_pyfunction!(_storage_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_tensor_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_view_storage, m)?)?;
    m.add_function(wrap_pyfunction!(_from_buffer, m)?)?;
    Ok(())
}
