//! Int arguments as PyTorch's argument parser takes them: a Python int, a NumPy integer
//! or a 0-dim integer tensor, never a bool (`unsqueeze(True)` is a TypeError,
//! though `bool` is a subclass of `int`). Used with `#[pyo3(from_py_with = ...)]`.

use super::tensor::PyTensor;
use crate::tensor::DType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PySequence};

/// PyTorch's parser on a Python int past int64.
pub const OVERFLOW: &str = "Overflow when unpacking long long";

/// An `int` parameter (pyo3 prefixes the message with the argument's name).
pub fn int_arg(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    // PyTorch's parser takes a tensor for an int only with no dims (`x.flatten(t)` with a
    // one-element 1-d `t` is its TypeError, though `int(t)` works)
    let refused_tensor = obj.cast::<PyTensor>().is_ok_and(|t| {
        let t = &t.borrow().t();
        t.dtype() == DType::Bool || t.ndim() != 0
    });
    if obj.is_instance_of::<PyBool>() || refused_tensor {
        return Err(PyTypeError::new_err(format!(
            "must be int, not {}",
            obj.get_type().name()?
        )));
    }
    obj.extract::<i64>().map_err(|e| {
        if obj.is_instance_of::<pyo3::types::PyInt>() {
            // PyTorch's parser on an int past int64
            PyValueError::new_err(OVERFLOW)
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

/// An `int[]` parameter that the facade has already normalised to a sequence of ints.
/// An element past int64 is PyTorch's TypeError (its positions count from 1 there);
/// pyo3 prefixes the message with the argument's name.
pub fn int_list_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<i64>> {
    let seq = obj.cast::<PySequence>().map_err(|_| {
        PyTypeError::new_err(format!(
            "must be tuple of ints, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let mut out = Vec::with_capacity(seq.len()?);
    for (pos, item) in seq.try_iter()?.enumerate() {
        let item = item?;
        match item.extract::<i64>() {
            Ok(v) => out.push(v),
            Err(_) if item.is_instance_of::<PyInt>() => {
                return Err(PyTypeError::new_err(element_overflow(pos)))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// An `int[]?` parameter: None, or a list as `int_list_arg` takes it.
pub fn opt_int_list_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<i64>>> {
    if obj.is_none() {
        return Ok(None);
    }
    int_list_arg(obj).map(Some)
}

/// PyTorch's TypeError text for an element of an int list past int64 (`pos` counts
/// from 0).
pub fn element_overflow(pos: usize) -> String {
    format!(
        "failed to unpack the object at pos {} with error \"{OVERFLOW}\"",
        pos + 1
    )
}
