//! Int arguments as PyTorch's argument parser takes them: a Python int, a NumPy integer
//! or a one-element integer tensor, never a bool (`unsqueeze(True)` is a TypeError,
//! though `bool` is a subclass of `int`). Used with `#[pyo3(from_py_with = ...)]`.

use super::tensor::PyTensor;
use crate::tensor::DType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBool;

/// An `int` parameter (pyo3 prefixes the message with the argument's name).
pub fn int_arg(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    let bool_tensor = obj
        .cast::<PyTensor>()
        .is_ok_and(|t| t.borrow().t.dtype() == DType::Bool);
    if obj.is_instance_of::<PyBool>() || bool_tensor {
        return Err(PyTypeError::new_err(format!(
            "must be int, not {}",
            obj.get_type().name()?
        )));
    }
    obj.extract::<i64>().map_err(|e| {
        if obj.is_instance_of::<pyo3::types::PyInt>() {
            // PyTorch's parser on an int past int64
            PyValueError::new_err("Overflow when unpacking long long")
        } else {
            e
        }
    })
}

/// An `int?` parameter: None, or an int as `int_arg` takes it.
pub fn opt_int_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    if obj.is_none() {
        return Ok(None);
    }
    int_arg(obj).map(Some)
}
