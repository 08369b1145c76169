//! The one-pass `nll_loss` kernels (`ops::nll`) for the Python node that records
//! `NllLossBackward0` / `NllLoss2DBackward0`.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::nll;
use pyo3::prelude::*;

/// (loss, total_weight), or None where the composed ops must run (other dtypes).
#[pyfunction]
#[pyo3(signature = (x, target, weight, ignore_index, reduction))]
fn _nll_forward(
    py: Python<'_>,
    x: Strided<'_>,
    target: Strided<'_>,
    weight: Option<Strided<'_>>,
    ignore_index: i64,
    reduction: u8,
) -> PyResult<Option<(Py<PyAny>, Py<PyAny>)>> {
    let w = weight.as_ref().map(|t| t.t());
    let out = guarded("nll_loss", || {
        nll::nll_forward(&x.t(), &target.t(), w.as_deref(), ignore_index, reduction)
    })?;
    out.map(|(l, t)| Ok((wrap(py, l)?, wrap(py, t)?)))
        .transpose()
}

/// The input's gradient, or None where the composed ops must run.
#[pyfunction]
#[pyo3(signature = (grad, x, target, weight, total_weight, ignore_index, reduction))]
#[allow(clippy::too_many_arguments)]
fn _nll_backward(
    py: Python<'_>,
    grad: Strided<'_>,
    x: Strided<'_>,
    target: Strided<'_>,
    weight: Option<Strided<'_>>,
    total_weight: Strided<'_>,
    ignore_index: i64,
    reduction: u8,
) -> PyResult<Option<Py<PyAny>>> {
    let w = weight.as_ref().map(|t| t.t());
    let out = guarded("nll_loss_backward", || {
        nll::nll_backward(
            &grad.t(),
            &x.t(),
            &target.t(),
            w.as_deref(),
            &total_weight.t(),
            ignore_index,
            reduction,
        )
    })?;
    out.map(|t| wrap(py, t)).transpose()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_nll_forward, m)?)?;
    m.add_function(wrap_pyfunction!(_nll_backward, m)?)?;
    Ok(())
}
