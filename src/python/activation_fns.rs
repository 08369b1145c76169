//! `nn.functional` activations as single nodes (`_core._activation`).

use super::convert::{scalar_of, scalar_param_for};
use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops::activation::{
    activation, activation_, glu, prelu, rrelu_with_noise, rrelu_with_noise_, Activation, Rrelu,
};
use crate::tensor::DType;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyComplex;

/// The C++ type PyTorch converts an activation's Scalar parameters to: double for the
/// ops whose kernels take doubles, else the input's accumulate type.
fn parameter_type(kind: &str, dtype: DType) -> &'static str {
    match kind {
        "softshrink" | "celu" => "double",
        _ if dtype == DType::F64 => "double",
        _ if dtype.is_floating() => "float",
        _ => "int64_t",
    }
}

/// `kind(t, *args)` as one node; with `inplace_op` (e.g. "elu_"), written into `t`
/// with PyTorch's in-place node, and `t` returned.
#[pyfunction]
#[pyo3(signature = (t, kind, args, inplace_op=None))]
fn _activation(
    py: Python<'_>,
    t: &Bound<'_, PyTensor>,
    kind: &str,
    args: Vec<Bound<'_, PyAny>>,
    inplace_op: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let dtype = t.borrow().t().dtype();
    if args.iter().any(|a| a.is_instance_of::<PyComplex>()) {
        return Err(PyRuntimeError::new_err(format!(
            "value cannot be converted to type {} without overflow",
            parameter_type(kind, dtype)
        )));
    }
    let scalars = args
        .iter()
        .map(|a| {
            scalar_param_for(dtype, a)?
                .ok_or_else(|| PyTypeError::new_err(format!("{kind}: arguments must be numbers")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let act = guarded(kind, || Activation::parse(kind, &scalars))?;
    let input = t.borrow().t().clone();
    match inplace_op {
        Some(op) => {
            guarded(op, || activation_(&input, act, op))?;
            Ok(t.clone().into_any().unbind())
        }
        None => wrap(py, guarded(kind, || activation(&input, act))?),
    }
}

/// `glu(t, dim)` as one node (dim checked by the caller).
#[pyfunction]
fn _glu(py: Python<'_>, t: Strided<'_>, dim: i64) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("glu", || glu(&t.t(), dim))?)
}

/// `prelu(t, weight)` as one node (shapes and dtypes checked by the caller).
#[pyfunction]
fn _prelu(py: Python<'_>, t: Strided<'_>, weight: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("prelu", || prelu(&t.t(), &weight.t()))?)
}

/// `rrelu_with_noise(t, noise, lower, upper, training)`, in place when `inplace`.
#[pyfunction]
fn _rrelu_with_noise(
    py: Python<'_>,
    t: &Bound<'_, PyTensor>,
    noise: Strided<'_>,
    lower: &Bound<'_, PyAny>,
    upper: &Bound<'_, PyAny>,
    training: bool,
    inplace: bool,
) -> PyResult<Py<PyAny>> {
    let number = |v: &Bound<'_, PyAny>| {
        scalar_of(v)?.ok_or_else(|| PyTypeError::new_err("rrelu: bounds must be numbers"))
    };
    let params = Rrelu {
        lower: number(lower)?,
        upper: number(upper)?,
        training,
    };
    let input = t.borrow().t().clone();
    if inplace {
        guarded("rrelu_", || rrelu_with_noise_(&input, &noise.t(), params))?;
        return Ok(t.clone().into_any().unbind());
    }
    wrap(
        py,
        guarded("rrelu", || rrelu_with_noise(&input, &noise.t(), params))?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_activation, m)?)?;
    m.add_function(wrap_pyfunction!(_glu, m)?)?;
    m.add_function(wrap_pyfunction!(_prelu, m)?)?;
    m.add_function(wrap_pyfunction!(_rrelu_with_noise, m)?)?;
    Ok(())
}
