//! The fused `layer_norm` kernels (`ops::layer_norm`) for the Python node that records
//! `NativeLayerNormBackward0`.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::layer_norm;
use pyo3::prelude::*;

type Three = (Py<PyAny>, Py<PyAny>, Py<PyAny>);

fn wrap_three(
    py: Python<'_>,
    t: Option<(
        crate::tensor::Tensor,
        crate::tensor::Tensor,
        crate::tensor::Tensor,
    )>,
) -> PyResult<Option<Three>> {
    t.map(|(a, b, c)| Ok((wrap(py, a)?, wrap(py, b)?, wrap(py, c)?)))
        .transpose()
}

/// (out, mean, rstd), or None where the composed ops must run (other dtypes).
#[pyfunction]
#[pyo3(signature = (x, n_dims, weight, bias, eps))]
fn _layer_norm_forward(
    py: Python<'_>,
    x: Strided<'_>,
    n_dims: usize,
    weight: Option<Strided<'_>>,
    bias: Option<Strided<'_>>,
    eps: f64,
) -> PyResult<Option<Three>> {
    let (w, b) = (weight.as_ref().map(|t| t.t()), bias.as_ref().map(|t| t.t()));
    let out = guarded("layer_norm", || {
        layer_norm::layer_norm_forward(&x.t(), n_dims, w.as_deref(), b.as_deref(), eps)
    })?;
    wrap_three(py, out)
}

/// (grad_input, grad_weight, grad_bias), or None where the composed ops must run.
#[pyfunction]
#[pyo3(signature = (grad, x, mean, rstd, weight, n_dims))]
fn _layer_norm_backward(
    py: Python<'_>,
    grad: Strided<'_>,
    x: Strided<'_>,
    mean: Strided<'_>,
    rstd: Strided<'_>,
    weight: Option<Strided<'_>>,
    n_dims: usize,
) -> PyResult<Option<Three>> {
    let w = weight.as_ref().map(|t| t.t());
    let out = guarded("layer_norm_backward", || {
        layer_norm::layer_norm_backward(
            &grad.t(),
            &x.t(),
            &mean.t(),
            &rstd.t(),
            w.as_deref(),
            n_dims,
        )
    })?;
    wrap_three(py, out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_layer_norm_forward, m)?)?;
    m.add_function(wrap_pyfunction!(_layer_norm_backward, m)?)?;
    Ok(())
}
