//! `set_num_threads`/`get_num_threads` and the inter-op pair, with PyTorch's argument
//! rules: an `int` (not a bool), in C `int` range, positive.

use crate::parallel;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat};

/// A positive thread count from a Python object, or PyTorch's error for `name`.
fn thread_count(name: &str, n: &Bound<'_, PyAny>) -> PyResult<usize> {
    let is_int = !n.is_instance_of::<PyBool>()
        && !n.is_instance_of::<PyFloat>()
        && n.hasattr("__index__")?;
    if !is_int {
        let ty = n.get_type().name()?;
        return Err(PyRuntimeError::new_err(format!(
            "{name} expects an int, but got {ty}"
        )));
    }
    let v: i64 = n
        .call_method0("__index__")?
        .extract()
        .map_err(|_| PyValueError::new_err("Overflow when unpacking long long"))?;
    let v = i32::try_from(v).map_err(|_| PyValueError::new_err("Overflow when unpacking long"))?;
    if v <= 0 {
        return Err(PyRuntimeError::new_err(format!(
            "{name} expects a positive integer"
        )));
    }
    Ok(v as usize)
}

/// Sets how many threads large kernels split their work across.
///
/// Args:
///     n: the number of threads, a positive int.
#[pyfunction]
fn set_num_threads(n: &Bound<'_, PyAny>) -> PyResult<()> {
    parallel::set_num_threads(thread_count("set_num_threads", n)?);
    Ok(())
}

/// The number of threads large kernels split their work across.
#[pyfunction]
fn get_num_threads() -> usize {
    parallel::num_threads()
}

/// Sets the inter-op thread count, once, before any parallel work, as PyTorch.
///
/// Args:
///     n: the number of threads, a positive int.
#[pyfunction]
fn set_num_interop_threads(n: &Bound<'_, PyAny>) -> PyResult<()> {
    let n = thread_count("set_num_interop_threads", n)?;
    parallel::set_num_interop_threads(n).map_err(super::errors::to_py)
}

/// The inter-op thread count (ops run one after another; kept for PyTorch's API).
#[pyfunction]
fn get_num_interop_threads() -> usize {
    parallel::num_interop_threads()
}

/// Flushes subnormal floats to zero in the calling thread (true where the CPU can).
///
/// Args:
///     on: whether to flush.
#[pyfunction]
fn _set_flush_denormal(on: bool) -> bool {
    crate::flush_denormal::set_flush_denormal(on)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_set_flush_denormal, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_interop_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_interop_threads, m)?)?;
    Ok(())
}
