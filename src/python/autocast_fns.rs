//! The autocast state of the calling thread, for `ferrograd.autocast`.

use super::convert::{dtype_object, opt_dtype, PyDType};
use crate::autograd::autocast;
use pyo3::prelude::*;

/// Turns CPU autocast on with `dtype`, or off with None; returns the previous dtype.
#[pyfunction]
#[pyo3(signature = (dtype))]
fn _set_autocast_cpu(
    py: Python<'_>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Py<PyDType>>> {
    let d = opt_dtype(dtype)?;
    Ok(autocast::set_cpu_dtype(d).map(|p| dtype_object(py, p)))
}

/// The CPU autocast dtype of this thread, or None while autocast is off.
#[pyfunction]
fn _autocast_cpu_dtype(py: Python<'_>) -> Option<Py<PyDType>> {
    autocast::cpu_dtype().map(|d| dtype_object(py, d))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_set_autocast_cpu, m)?)?;
    m.add_function(wrap_pyfunction!(_autocast_cpu_dtype, m)?)
}
