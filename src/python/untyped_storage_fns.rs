//! What `Tensor.untyped_storage()`, `Tensor.storage()` and `Tensor._base` stand on: the
//! storage's bytes as a shared uint8 tensor, an identity for the storage, and the
//! tensor a view was made from.

use super::tensor::{wrap, PyTensor};
use crate::ops::view_dtype::{storage_bytes, storage_key};
use pyo3::prelude::*;

/// Every byte of the tensor's storage as a 1-D uint8 tensor sharing its memory.
#[pyfunction]
fn _untyped_bytes(py: Python<'_>, t: &PyTensor) -> PyResult<Py<PyAny>> {
    wrap(py, storage_bytes(&t.raw))
}

/// The same number for every tensor viewing the same memory (any dtype).
#[pyfunction]
fn _storage_key(t: &PyTensor) -> usize {
    storage_key(&t.raw)
}

/// The address of the tensor's storage; 0 for a storage of no bytes, as PyTorch's.
#[pyfunction]
fn _storage_data_ptr(t: &PyTensor) -> usize {
    let storage = t.raw.storage();
    if storage.nbytes() == 0 {
        return 0;
    }
    storage.data_ptr() as usize
}

/// The tensor whose storage a view made by a view op reads (`Tensor._base`), or None.
#[pyfunction]
fn _view_base(py: Python<'_>, t: &PyTensor) -> PyResult<Option<Py<PyAny>>> {
    t.raw.view_base().map(|b| wrap(py, b.clone())).transpose()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_untyped_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_storage_key, m)?)?;
    m.add_function(wrap_pyfunction!(_storage_data_ptr, m)?)?;
    m.add_function(wrap_pyfunction!(_view_base, m)?)?;
    Ok(())
}
