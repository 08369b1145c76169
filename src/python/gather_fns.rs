//! Bindings of `ops::gather`: gather, index_select and take_along_dim. The Python layer
//! (`python/ferrograd/_gather.py`) checks the argument types as PyTorch's parser does.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops;
use pyo3::prelude::*;

/// `gather(input, dim, index)`: the values along `dim` at `index` (`GatherBackward0`).
#[pyfunction]
#[pyo3(signature = (input, dim, index, sparse_grad=false))]
fn _gather(
    py: Python<'_>,
    input: Strided<'_>,
    dim: i64,
    index: Strided<'_>,
    sparse_grad: bool,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("gather", || {
            ops::gather(&input.t(), dim, &index.t(), sparse_grad)
        })?,
    )
}

/// `index_select(input, dim, index)`: the slices along `dim` at `index`.
#[pyfunction]
fn _index_select(
    py: Python<'_>,
    input: Strided<'_>,
    dim: i64,
    index: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("index_select", || {
            ops::index_select(&input.t(), dim, &index.t())
        })?,
    )
}

/// `take_along_dim(input, indices, dim=None)`.
#[pyfunction]
#[pyo3(signature = (input, indices, dim=None))]
fn _take_along_dim(
    py: Python<'_>,
    input: Strided<'_>,
    indices: Strided<'_>,
    dim: Option<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("take_along_dim", || {
            ops::take_along_dim(&input.t(), &indices.t(), dim)
        })?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_gather, m)?)?;
    m.add_function(wrap_pyfunction!(_index_select, m)?)?;
    m.add_function(wrap_pyfunction!(_take_along_dim, m)?)?;
    Ok(())
}
