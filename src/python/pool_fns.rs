//! Module functions for pooling, padding and resampling (`ops::pool`, `ops::pad`,
//! `ops::resample`). The Python layer (`nn/_pooling.py`) normalises the arguments
//! (ints to per-dim lists, defaults, sizes from scale factors) and calls these.

use super::convert::scalar_of;
use super::errors::{guarded_nogil, RELEASE_GIL_FROM};
use super::int_args::{int_arg, int_list_arg, opt_int_arg};
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops;
use crate::tensor::Scalar;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

type Pair = (Py<PyAny>, Py<PyAny>);

fn big(t: &PyTensor) -> bool {
    t.t().numel() >= RELEASE_GIL_FROM
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _max_pool(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] kernel: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] padding: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] dilation: Vec<i64>,
    ceil_mode: bool,
) -> PyResult<Pair> {
    let args = ops::PoolArgs {
        kernel: &kernel,
        stride: &stride,
        padding: &padding,
        dilation: &dilation,
        ceil_mode,
    };
    let t: &PyTensor = &t;
    let (out, idx) = guarded_nogil(py, big(t), "max_pool", || ops::max_pool(&t.t(), &args))?;
    Ok((wrap(py, out)?, wrap(py, idx)?))
}

#[pyfunction]
#[pyo3(signature = (t, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override))]
#[allow(clippy::too_many_arguments)]
fn _avg_pool(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] kernel: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] padding: Vec<i64>,
    ceil_mode: bool,
    count_include_pad: bool,
    #[pyo3(from_py_with = opt_int_arg)] divisor_override: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let dilation = vec![1; kernel.len()];
    let args = ops::PoolArgs {
        kernel: &kernel,
        stride: &stride,
        padding: &padding,
        dilation: &dilation,
        ceil_mode,
    };
    let t: &PyTensor = &t;
    let out = guarded_nogil(py, big(t), "avg_pool", || {
        ops::avg_pool(&t.t(), &args, count_include_pad, divisor_override)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _adaptive_pool(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    is_max: bool,
) -> PyResult<Pair> {
    let t: &PyTensor = &t;
    let (out, idx) = guarded_nogil(py, big(t), "adaptive_pool", || {
        ops::adaptive_pool(&t.t(), &size, is_max)
    })?;
    let idx = match idx {
        Some(i) => wrap(py, i)?,
        None => py.None(),
    };
    Ok((wrap(py, out)?, idx))
}

#[pyfunction]
fn _max_unpool(
    py: Python<'_>,
    t: Strided<'_>,
    indices: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
) -> PyResult<Py<PyAny>> {
    let (t, indices): (&PyTensor, &PyTensor) = (&t, &indices);
    let out = guarded_nogil(py, big(t), "max_unpool", || {
        ops::max_unpool(&t.t(), &indices.t(), &size)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _fractional_max_pool_take(
    py: Python<'_>,
    t: Strided<'_>,
    indices: Strided<'_>,
    k: usize,
) -> PyResult<Py<PyAny>> {
    let (t, indices): (&PyTensor, &PyTensor) = (&t, &indices);
    let out = guarded_nogil(py, big(t), "fractional_max_pool", || {
        ops::fractional_max_pool_take(&t.t(), &indices.t(), k)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _constant_pad(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] pad: Vec<i64>,
    value: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let value = if value.is_none() {
        Scalar::Int(0)
    } else {
        scalar_of(value)?
            .ok_or_else(|| PyTypeError::new_err("pad(): argument 'value' must be a number"))?
    };
    let t: &PyTensor = &t;
    let out = guarded_nogil(py, big(t), "constant_pad_nd", || {
        ops::constant_pad_nd(&t.t(), &pad, value)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _pad_indexed(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] pad: Vec<i64>,
    reflect: bool,
) -> PyResult<Py<PyAny>> {
    let t: &PyTensor = &t;
    let out = guarded_nogil(py, big(t), "pad", || {
        ops::pad_indexed(&t.t(), &pad, reflect)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _upsample(
    py: Python<'_>,
    t: Strided<'_>,
    mode: &str,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    scales: Vec<Option<f64>>,
    align_corners: bool,
) -> PyResult<Py<PyAny>> {
    let t: &PyTensor = &t;
    let out = guarded_nogil(py, big(t), "interpolate", || {
        ops::upsample(&t.t(), mode, &size, &scales, align_corners)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _pixel_shuffle(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] factor: i64,
    inverse: bool,
) -> PyResult<Py<PyAny>> {
    let t: &PyTensor = &t;
    let out = guarded_nogil(py, big(t), "pixel_shuffle", || {
        ops::pixel_shuffle(&t.t(), factor, inverse)
    })?;
    wrap(py, out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_max_pool, m)?)?;
    m.add_function(wrap_pyfunction!(_avg_pool, m)?)?;
    m.add_function(wrap_pyfunction!(_adaptive_pool, m)?)?;
    m.add_function(wrap_pyfunction!(_max_unpool, m)?)?;
    m.add_function(wrap_pyfunction!(_fractional_max_pool_take, m)?)?;
    m.add_function(wrap_pyfunction!(_constant_pad, m)?)?;
    m.add_function(wrap_pyfunction!(_pad_indexed, m)?)?;
    m.add_function(wrap_pyfunction!(_upsample, m)?)?;
    m.add_function(wrap_pyfunction!(_pixel_shuffle, m)?)?;
    Ok(())
}
