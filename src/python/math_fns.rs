//! Bindings of the elementwise math functions (`ops::math`). Each takes the function's
//! PyTorch name; `python/ferrograd/_math.py` builds the public functions and Tensor
//! methods on top, with PyTorch's argument rules.

use super::convert::{
    fill_operand_against, operand_required, operand_required_against, uint64_int,
};
use super::errors::guarded;
use super::int_args::int_arg;
use super::layout_tag::{foreign_call, method_of_foreign};
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops;
use crate::tensor::{DType, Scalar, Tensor};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn unknown(op: &str) -> PyErr {
    PyValueError::new_err(format!("unknown elementwise function '{op}'"))
}

fn unary_fn(op: &str) -> PyResult<ops::math::UnaryFn> {
    ops::math::unary_by_name(op).ok_or_else(|| unknown(op))
}

fn binary_fn(op: &str) -> PyResult<ops::math::BinaryFn> {
    ops::math::binary_by_name(op).ok_or_else(|| unknown(op))
}

/// Runs `f` in place on `input` (history, version counter, views) and returns `input`;
/// `op` is the in-place name (`erf_`).
fn in_place(
    op: &str,
    input: &Bound<'_, PyTensor>,
    f: impl FnOnce(&Tensor) -> crate::error::Result<Tensor>,
) -> PyResult<Py<PyAny>> {
    let t = input.borrow().raw.clone();
    guarded(op, || ops::apply_inplace(&t, op, true, f))?;
    Ok(input.clone().into_any().unbind())
}

/// The second operand of the two-operand function `op` on `a`: a uint64-range Python int
/// wraps to int64 in `fmod` (an integer kernel), is a bound for the clamps, and takes
/// part with its value in the functions computing in floating point.
fn other_operand(op: &str, a: &Tensor, other: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    let Some(u) = uint64_int(other) else {
        return operand_required(other, op);
    };
    match op {
        "clamp_min" | "clamp_max" => fill_operand_against(a, other, op),
        _ if op == "fmod" || a.dtype() == DType::Bool => operand_required_against(a, other, op),
        _ => Ok(Tensor::wrapped_scalar(Scalar::Float(u as f64))),
    }
}

/// `op(input)` for a one-tensor function named `op`.
#[pyfunction]
fn _math_unary(py: Python<'_>, op: &str, input: &Bound<'_, PyTensor>) -> PyResult<Py<PyAny>> {
    let f = unary_fn(op)?;
    if let Some(out) = method_of_foreign(input.as_any(), op, ())? {
        return Ok(out);
    }
    let t = input.borrow().t().clone();
    wrap(
        py,
        guarded(op, || ops::complex_functions::unary_or(op, &t, f))?,
    )
}

/// `input.op_()`: the in-place form.
#[pyfunction]
fn _math_unary_(op: &str, input: &Bound<'_, PyTensor>) -> PyResult<Py<PyAny>> {
    let f = unary_fn(op)?;
    if let Some(out) = method_of_foreign(input.as_any(), &format!("{op}_"), ())? {
        return Ok(out);
    }
    in_place(&format!("{op}_"), input, |t| {
        ops::complex_functions::unary_or(op, t, f)
    })
}

/// `op(input, other)` for a two-operand function; either may be a Python number.
#[pyfunction]
fn _math_binary(
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
    // a uint64-range number first (`xlogy(2**63, x)`) reads as it would second
    let a = match (uint64_int(input), other.cast::<PyTensor>()) {
        (Some(_), Ok(t)) => other_operand(op, &t.borrow().t(), input)?,
        _ => operand_required(input, op)?,
    };
    let b = other_operand(op, &a, other)?;
    wrap(
        py,
        guarded(op, || {
            ops::complex_functions::binary_or(op, &a, &b, f)
                .map_err(|e| ops::refusal_order::elementwise_refusal(e, &a, &b))
        })?,
    )
}

/// `input.op_(other)`: the in-place form.
#[pyfunction]
fn _math_binary_(
    op: &str,
    input: &Bound<'_, PyTensor>,
    other: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let f = binary_fn(op)?;
    let operands = [input.as_any().clone(), other.clone()];
    if let Some(out) = foreign_call(
        input.py(),
        &operands,
        "binary",
        (format!("{op}_"), input, other),
    )? {
        return Ok(out);
    }
    let b = other_operand(op, &input.borrow().t(), other)?;
    if op == "float_power" {
        let t = input.borrow().t().clone();
        guarded("float_power_", || {
            ops::math::check_float_power_inplace(&t, b.dtype().is_complex())
        })?;
    }
    let t = input.borrow().t().clone();
    guarded(op, || ops::mem_overlap::check_no_partial_overlap(&t, &b))?;
    if !t.dtype().is_complex() && b.dtype().is_complex() {
        // PyTorch checks the result type can be written back before any kernel runs
        let result = ops::result_type(&[&t, &b]).map_err(super::errors::to_py)?;
        return Err(super::errors::to_py(crate::Error::output_cast(
            result,
            t.dtype(),
        )));
    }
    in_place(&format!("{op}_"), input, |t| {
        ops::complex_functions::binary_or(op, t, &b, f)
            .map_err(|e| ops::refusal_order::in_place_refusal(e, t, &b, true))
    })
}

#[pyfunction]
fn _math_round(
    py: Python<'_>,
    input: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] decimals: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("round", || ops::math::round_decimals(&input.t(), decimals))?,
    )
}

#[pyfunction]
fn _math_round_(
    input: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] decimals: i64,
) -> PyResult<Py<PyAny>> {
    in_place("round_", input, |t| ops::math::round_decimals(t, decimals))
}

#[pyfunction]
fn _math_lerp(
    py: Python<'_>,
    input: Strided<'_>,
    end: Strided<'_>,
    weight: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let w = operand_required(weight, "lerp")?;
    wrap(
        py,
        guarded("lerp", || ops::math::lerp(&input.t(), &end.t(), &w))?,
    )
}

/// `a * b + c` rounded once, without autograd (the forward of `addcmul`).
#[pyfunction]
fn _fused_multiply_add(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    c: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("fused_multiply_add", || {
            ops::fused_multiply_add::fused_multiply_add(&a.t(), &b.t(), &c.t())
        })?,
    )
}

/// `isclose` of two float32/float64 tensors of one shape in one pass; None where the
/// Python composite must handle it (other dtypes, broadcasting, no elements).
#[pyfunction]
fn _isclose(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    rtol: f64,
    atol: f64,
    equal_nan: bool,
) -> PyResult<Option<Py<PyAny>>> {
    match ops::isclose::isclose(&a.t(), &b.t(), rtol, atol, equal_nan) {
        Some(t) => Ok(Some(wrap(py, t)?)),
        None => Ok(None),
    }
}

#[pyfunction]
fn _math_lerp_(
    input: &Bound<'_, PyTensor>,
    end: Strided<'_>,
    weight: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let w = operand_required(weight, "lerp_")?;
    let e = end.t().clone();
    let t = input.borrow().t().clone();
    guarded("lerp_", || {
        ops::mem_overlap::check_no_partial_overlap(&t, &e)?;
        ops::mem_overlap::check_no_partial_overlap(&t, &w)
    })?;
    in_place("lerp_", input, |t| ops::math::lerp(t, &e, &w))
}

#[pyfunction]
#[pyo3(signature = (input, nan=None, posinf=None, neginf=None))]
fn _math_nan_to_num(
    py: Python<'_>,
    input: &Bound<'_, PyTensor>,
    nan: Option<f64>,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> PyResult<Py<PyAny>> {
    if let Some(out) = method_of_foreign(input.as_any(), "nan_to_num", (nan, posinf, neginf))? {
        return Ok(out);
    }
    let input = input.borrow();
    wrap(
        py,
        guarded("nan_to_num", || {
            ops::math::nan_to_num(&input.t(), nan, posinf, neginf)
        })?,
    )
}

#[pyfunction]
#[pyo3(signature = (input, nan=None, posinf=None, neginf=None))]
fn _math_nan_to_num_(
    input: &Bound<'_, PyTensor>,
    nan: Option<f64>,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> PyResult<Py<PyAny>> {
    in_place("nan_to_num_", input, |t| {
        ops::math::nan_to_num(t, nan, posinf, neginf)
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_math_unary, m)?)?;
    m.add_function(wrap_pyfunction!(_fused_multiply_add, m)?)?;
    m.add_function(wrap_pyfunction!(_isclose, m)?)?;
    m.add_function(wrap_pyfunction!(_math_unary_, m)?)?;
    m.add_function(wrap_pyfunction!(_math_binary, m)?)?;
    m.add_function(wrap_pyfunction!(_math_binary_, m)?)?;
    m.add_function(wrap_pyfunction!(_math_round, m)?)?;
    m.add_function(wrap_pyfunction!(_math_round_, m)?)?;
    m.add_function(wrap_pyfunction!(_math_lerp, m)?)?;
    m.add_function(wrap_pyfunction!(_math_lerp_, m)?)?;
    m.add_function(wrap_pyfunction!(_math_nan_to_num, m)?)?;
    m.add_function(wrap_pyfunction!(_math_nan_to_num_, m)?)?;
    Ok(())
}
