//! `Tensor.shape` as a `ferrograd.Size` (the Python tuple subclass in `_size.py`), made
//! here without running Python code: `x.shape` is read in nearly every composed op and
//! in users' loops.

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyTuple, PyType};

static SIZE_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Records the `Size` class (a tuple subclass without instance fields).
#[pyfunction]
fn _set_size_class(py: Python<'_>, cls: Bound<'_, PyType>) -> PyResult<()> {
    let tuple = py.get_type::<PyTuple>();
    let no_fields = cls.getattr("__basicsize__")?.extract::<isize>()?
        == tuple.getattr("__basicsize__")?.extract::<isize>()?;
    if !cls.is_subclass(&tuple)? || !no_fields {
        return Err(PyTypeError::new_err(
            "_set_size_class expects a tuple subclass with __slots__ = ()",
        ));
    }
    let _ = SIZE_CLASS.set(py, cls.unbind());
    Ok(())
}

/// A `Size` holding `dims` (a plain tuple before `_set_size_class` ran).
pub fn size_object<'py>(py: Python<'py>, dims: &[usize]) -> PyResult<Bound<'py, PyAny>> {
    let Some(cls) = SIZE_CLASS.get(py) else {
        return Ok(PyTuple::new(py, dims)?.into_any());
    };
    let n = dims.len() as ffi::Py_ssize_t;
    // SAFETY: `cls` is a tuple subclass whose instances have the tuple layout (checked
    // in `_set_size_class`), so the generic allocator makes a tuple of `n` empty slots;
    // each slot is set once while this function holds the only reference, and
    // `PyTuple_SetItem` takes over the new int's reference (also when it fails).
    unsafe {
        let obj = ffi::PyType_GenericAlloc(cls.as_ptr().cast::<ffi::PyTypeObject>(), n);
        if obj.is_null() {
            return Err(PyErr::fetch(py));
        }
        let size = Bound::from_owned_ptr(py, obj);
        for (i, &d) in dims.iter().enumerate() {
            let item = ffi::PyLong_FromSize_t(d);
            if item.is_null() || ffi::PyTuple_SetItem(obj, i as ffi::Py_ssize_t, item) != 0 {
                return Err(PyErr::fetch(py));
            }
        }
        Ok(size)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_set_size_class, m)?)
}
