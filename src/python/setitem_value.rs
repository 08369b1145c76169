//! The value of `t[idx] = value`: which Python objects PyTorch's `__setitem__` takes and
//! how it reads them.

use crate::tensor::DType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt};

use super::tensor::PyTensor;

/// `value` as `t[idx] = value` takes it into a tensor of `dtype`: a tensor, a Python
/// number (subclasses such as `numpy.float64` included) or a NumPy integer. A complex
/// number is written into a bool tensor as its truth (`1j` is True), and refused by other
/// real dtypes when it has an imaginary part. Anything else, NumPy arrays and the other
/// NumPy scalars included, raises PyTorch's TypeError.
pub fn setitem_value<'py>(dtype: DType, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(c) = value.cast::<PyComplex>() {
        if dtype == DType::Bool {
            let truth = c.real() != 0.0 || c.imag() != 0.0;
            return Ok(PyBool::new(value.py(), truth).to_owned().into_any());
        }
        if c.imag() != 0.0 && !dtype.is_complex() {
            return Err(super::errors::to_py(crate::tensor::complex_into_real(
                dtype,
            )));
        }
        return Ok(value.clone());
    }
    if value.is_instance_of::<PyTensor>()
        || value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyFloat>()
        || is_numpy_integer(value)?
    {
        return Ok(value.clone());
    }
    Err(PyTypeError::new_err(format!(
        "can't assign a {} to a ferrograd.{}",
        qualified_type_name(value)?,
        dtype.legacy_name()
    )))
}

fn is_numpy_integer(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let module = value.get_type().module()?.to_string();
    if !module.starts_with("numpy") {
        return Ok(false);
    }
    value.is_instance(&value.py().import("numpy")?.getattr("integer")?)
}

/// `numpy.ndarray`, `list`: the type's module, unless builtins, and its qualified name.
pub(super) fn qualified_type_name(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let ty = value.get_type();
    let (module, name) = (ty.module()?.to_string(), ty.qualname()?);
    Ok(if module == "builtins" {
        name.to_string()
    } else {
        format!("{module}.{name}")
    })
}
