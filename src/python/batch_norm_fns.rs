//! The fused `batch_norm` kernels (`ops::batch_norm`) for the Python node that records
//! `NativeBatchNormBackward0`.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::batch_norm;
use pyo3::prelude::*;

type Three = (Py<PyAny>, Py<PyAny>, Py<PyAny>);
type Four = (Py<PyAny>, Py<PyAny>, Py<PyAny>, Py<PyAny>);

/// Training: (out, mean, invstd, biased variance), or None where the composed ops must run.
#[pyfunction]
#[pyo3(signature = (x, weight, bias, eps))]
fn _batch_norm_train_forward(
    py: Python<'_>,
    x: Strided<'_>,
    weight: Option<Strided<'_>>,
    bias: Option<Strided<'_>>,
    eps: f64,
) -> PyResult<Option<Four>> {
    let (w, b) = (weight.as_ref().map(|t| t.t()), bias.as_ref().map(|t| t.t()));
    let out = guarded("batch_norm", || {
        batch_norm::batch_norm_train_forward(&x.t(), w.as_deref(), b.as_deref(), eps)
    })?;
    out.map(|(o, m, s, v)| Ok((wrap(py, o)?, wrap(py, m)?, wrap(py, s)?, wrap(py, v)?)))
        .transpose()
}

/// Evaluation: the output from the running statistics, or None as above.
#[pyfunction]
#[pyo3(signature = (x, weight, bias, running_mean, running_var, eps))]
fn _batch_norm_eval_forward(
    py: Python<'_>,
    x: Strided<'_>,
    weight: Option<Strided<'_>>,
    bias: Option<Strided<'_>>,
    running_mean: Strided<'_>,
    running_var: Strided<'_>,
    eps: f64,
) -> PyResult<Option<Py<PyAny>>> {
    let (w, b) = (weight.as_ref().map(|t| t.t()), bias.as_ref().map(|t| t.t()));
    let out = guarded("batch_norm", || {
        batch_norm::batch_norm_eval_forward(
            &x.t(),
            w.as_deref(),
            b.as_deref(),
            &running_mean.t(),
            &running_var.t(),
            eps,
        )
    })?;
    out.map(|o| wrap(py, o)).transpose()
}

/// (grad_input, grad_weight, grad_bias), or None as above.
#[pyfunction]
#[pyo3(signature = (grad, x, mean, invstd, weight, training))]
fn _batch_norm_backward(
    py: Python<'_>,
    grad: Strided<'_>,
    x: Strided<'_>,
    mean: Strided<'_>,
    invstd: Strided<'_>,
    weight: Option<Strided<'_>>,
    training: bool,
) -> PyResult<Option<Three>> {
    let w = weight.as_ref().map(|t| t.t());
    let out = guarded("batch_norm_backward", || {
        batch_norm::batch_norm_backward(
            &grad.t(),
            &x.t(),
            &mean.t(),
            &invstd.t(),
            w.as_deref(),
            training,
        )
    })?;
    out.map(|(a, b, c)| Ok((wrap(py, a)?, wrap(py, b)?, wrap(py, c)?)))
        .transpose()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_batch_norm_train_forward, m)?)?;
    m.add_function(wrap_pyfunction!(_batch_norm_eval_forward, m)?)?;
    m.add_function(wrap_pyfunction!(_batch_norm_backward, m)?)?;
    Ok(())
}
