//! The one-pass `mse_loss` kernels (`ops::mse`) for the Python node that records
//! `MseLossBackward0`.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::mse;
use pyo3::prelude::*;

/// The loss, or None where the composed ops must run (other dtypes, shapes).
#[pyfunction]
fn _mse_forward(
    py: Python<'_>,
    x: Strided<'_>,
    target: Strided<'_>,
    reduction: u8,
) -> PyResult<Option<Py<PyAny>>> {
    let out = guarded("mse_loss", || {
        mse::mse_forward(&x.t(), &target.t(), reduction)
    })?;
    out.map(|t| wrap(py, t)).transpose()
}

/// The gradient for the input, or None where the composed ops must run.
#[pyfunction]
fn _mse_backward(
    py: Python<'_>,
    grad: Strided<'_>,
    x: Strided<'_>,
    target: Strided<'_>,
    reduction: u8,
) -> PyResult<Option<Py<PyAny>>> {
    let out = guarded("mse_loss_backward", || {
        mse::mse_backward(&grad.t(), &x.t(), &target.t(), reduction)
    })?;
    out.map(|t| wrap(py, t)).transpose()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_mse_forward, m)?)?;
    m.add_function(wrap_pyfunction!(_mse_backward, m)?)?;
    Ok(())
}
