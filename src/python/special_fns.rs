//! Bindings of the special functions (`ops::special`). Each generic entry takes the
//! function's name; `python/ferrograd/_mathops.py` and `python/ferrograd/special.py`
//! build the public functions and Tensor methods, with PyTorch's argument rules.

use super::convert::operand_required;
use super::errors::guarded;
use super::int_args::int_arg;
use super::layout_tag::{foreign_call, method_of_foreign};
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops;
use crate::tensor::Tensor;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn unknown(op: &str) -> PyErr {
    PyValueError::new_err(format!("unknown special function '{op}'"))
}

fn unary_fn(op: &str) -> PyResult<ops::special::UnaryFn> {
    ops::special::special_unary_by_name(op).ok_or_else(|| unknown(op))
}

fn binary_fn(op: &str) -> PyResult<ops::special::BinaryFn> {
    ops::special::special_binary_by_name(op).ok_or_else(|| unknown(op))
}

/// Runs `f` in place on `input` and returns `input`; `op` is the in-place name.
fn in_place(
    op: &str,
    input: &Bound<'_, PyTensor>,
    f: impl FnOnce(&Tensor) -> crate::error::Result<Tensor>,
) -> PyResult<Py<PyAny>> {
    let t = input.borrow().raw.clone();
    guarded(op, || ops::apply_inplace(&t, op, true, f))?;
    Ok(input.clone().into_any().unbind())
}

#[pyfunction]
fn _special_unary(py: Python<'_>, op: &str, input: &Bound<'_, PyTensor>) -> PyResult<Py<PyAny>> {
    let f = unary_fn(op)?;
    if let Some(out) = method_of_foreign(input.as_any(), op, ())? {
        return Ok(out);
    }
    let t = input.borrow().t().clone();
    wrap(py, guarded(op, || f(&t))?)
}

#[pyfunction]
fn _special_unary_(op: &str, input: &Bound<'_, PyTensor>) -> PyResult<Py<PyAny>> {
    let f = unary_fn(op)?;
    if let Some(out) = method_of_foreign(input.as_any(), &format!("{op}_"), ())? {
        return Ok(out);
    }
    in_place(&format!("{op}_"), input, f)
}

/// `op(input, other)`; either may be a Python number.
#[pyfunction]
fn _special_binary(
    py: Python<'_>,
    op: &str,
    input: &Bound<'_, PyAny>,
    other: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let f = binary_fn(op)?;
    let operands = [input.clone(), other.clone()];
    if let Some(out) = foreign_call(py, &operands, "binary", (op, input, other))? {
        return Ok(out);
    }
    let a = operand_required(input, op)?;
    let b = operand_required(other, op)?;
    wrap(
        py,
        guarded(op, || {
            f(&a, &b).map_err(|e| ops::refusal_order::elementwise_refusal(e, &a, &b))
        })?,
    )
}

#[pyfunction]
fn _special_binary_(
    op: &str,
    input: &Bound<'_, PyTensor>,
    other: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let f = binary_fn(op)?;
    let b = operand_required(other, op)?;
    let t = input.borrow().t().clone();
    guarded(op, || ops::mem_overlap::check_no_partial_overlap(&t, &b))?;
    in_place(&format!("{op}_"), input, |t| {
        f(t, &b).map_err(|e| ops::refusal_order::in_place_refusal(e, t, &b, true))
    })
}

#[pyfunction]
fn _polygamma(
    py: Python<'_>,
    #[pyo3(from_py_with = int_arg)] n: i64,
    input: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("polygamma", || ops::special::polygamma(n, &input.t()))?,
    )
}

#[pyfunction]
fn _polygamma_(
    input: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] n: i64,
) -> PyResult<Py<PyAny>> {
    in_place("polygamma_", input, |t| {
        ops::special::polygamma_inplace_form(n, t)
    })
}

#[pyfunction]
fn _mvlgamma(
    py: Python<'_>,
    input: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] p: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("mvlgamma", || ops::special::mvlgamma(&input.t(), p))?,
    )
}

#[pyfunction]
fn _mvlgamma_(
    input: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] p: i64,
) -> PyResult<Py<PyAny>> {
    in_place("mvlgamma_", input, |t| ops::special::mvlgamma(t, p))
}

#[pyfunction]
#[pyo3(signature = (input, eps=None))]
fn _logit(py: Python<'_>, input: Strided<'_>, eps: Option<f64>) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("logit", || ops::special::logit(&input.t(), eps))?,
    )
}

#[pyfunction]
#[pyo3(signature = (input, eps=None))]
fn _logit_(input: &Bound<'_, PyTensor>, eps: Option<f64>) -> PyResult<Py<PyAny>> {
    in_place("logit_", input, |t| ops::special::logit(t, eps))
}

/// (mantissa, exponent) as a plain pair.
#[pyfunction]
fn _frexp(py: Python<'_>, input: Strided<'_>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let (m, e) = guarded("frexp", || ops::special::frexp(&input.t()))?;
    Ok((wrap(py, m)?, wrap(py, e)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_special_unary, m)?)?;
    m.add_function(wrap_pyfunction!(_special_unary_, m)?)?;
    m.add_function(wrap_pyfunction!(_special_binary, m)?)?;
    m.add_function(wrap_pyfunction!(_special_binary_, m)?)?;
    m.add_function(wrap_pyfunction!(_polygamma, m)?)?;
    m.add_function(wrap_pyfunction!(_polygamma_, m)?)?;
    m.add_function(wrap_pyfunction!(_mvlgamma, m)?)?;
    m.add_function(wrap_pyfunction!(_mvlgamma_, m)?)?;
    m.add_function(wrap_pyfunction!(_logit, m)?)?;
    m.add_function(wrap_pyfunction!(_logit_, m)?)?;
    m.add_function(wrap_pyfunction!(_frexp, m)?)?;
    Ok(())
}
