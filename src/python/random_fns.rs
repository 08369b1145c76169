//! Module functions for the distributions of `ops::random_dist`, drawn from the default
//! generator (the Python layer swaps a `Generator`'s state in when one is given).

use super::convert::opt_dtype;
use super::errors::{guarded, IntoPyResult};
use super::int_args::int_list_arg;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops;
use crate::ops::random::with_default_generator;
use crate::tensor::{default_dtype, DType};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

fn shape_of(sizes: &[i64]) -> PyResult<Vec<usize>> {
    ops::sizes_from_i64(sizes).py()
}

fn dtype_or_default(dtype: &Bound<'_, PyAny>) -> PyResult<DType> {
    Ok(opt_dtype(Some(dtype))?.unwrap_or(default_dtype()))
}

#[pyfunction]
fn _exponential(
    py: Python<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    lambd: f64,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let shape = shape_of(&size)?;
    let d = dtype_or_default(dtype)?;
    let t = guarded("exponential_", || {
        with_default_generator(|g| ops::random_dist::exponential(g, &shape, lambd, d))
    })?;
    wrap(py, t)
}

#[pyfunction]
fn _bernoulli_scalar(
    py: Python<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    p: f64,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let shape = shape_of(&size)?;
    let d = dtype_or_default(dtype)?;
    let t = guarded("bernoulli_", || {
        with_default_generator(|g| ops::random_dist::bernoulli_scalar(g, &shape, p, d))
    })?;
    wrap(py, t)
}

#[pyfunction]
fn _bernoulli_tensor(
    py: Python<'_>,
    p: Strided<'_>,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let d = dtype_or_default(dtype)?;
    let p = p.t().clone();
    let t = guarded("bernoulli", || {
        with_default_generator(|g| ops::random_dist::bernoulli_tensor(g, &p, d))
    })?;
    wrap(py, t)
}

#[pyfunction]
fn _randperm(py: Python<'_>, n: usize, dtype: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let d = opt_dtype(Some(dtype))?.unwrap_or(DType::I64);
    let t = guarded("randperm", || {
        with_default_generator(|g| ops::random_dist::randperm(g, n, d))
    })?;
    wrap(py, t)
}

#[pyfunction]
fn _multinomial(
    py: Python<'_>,
    probs: Strided<'_>,
    n_sample: usize,
    replacement: bool,
) -> PyResult<Py<PyAny>> {
    let p = probs.t().clone();
    let t = guarded("multinomial", || {
        with_default_generator(|g| ops::random_dist::multinomial(g, &p, n_sample, replacement))
    })?;
    wrap(py, t)
}

/// `n` raw 32-bit draws (little-endian bytes), as PyTorch's `generator->random()`.
#[pyfunction]
fn _random_u32<'py>(py: Python<'py>, n: usize) -> PyResult<Bound<'py, PyBytes>> {
    let bytes: Vec<u8> = guarded("random", || {
        crate::tensor::memory_limit::check(n, 4)?;
        Ok(with_default_generator(|g| {
            (0..n).flat_map(|_| g.next_u32().to_le_bytes()).collect()
        }))
    })?;
    Ok(PyBytes::new(py, &bytes))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_exponential, m)?)?;
    m.add_function(wrap_pyfunction!(_bernoulli_scalar, m)?)?;
    m.add_function(wrap_pyfunction!(_bernoulli_tensor, m)?)?;
    m.add_function(wrap_pyfunction!(_randperm, m)?)?;
    m.add_function(wrap_pyfunction!(_multinomial, m)?)?;
    m.add_function(wrap_pyfunction!(_random_u32, m)?)?;
    Ok(())
}
