//! Module functions for the shape ops (`ferrograd._core._cat`, ...); the Python layer
//! (`python/ferrograd/_shape.py`) parses PyTorch's argument forms and calls these.

use super::errors::guarded;
use super::int_args::{int_arg, int_list_arg};
use super::layout_tag::{foreign_call, method_of_foreign};
use super::operand::viewing;
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops;
use crate::tensor::Tensor;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// The tensors of a Python sequence, with PyTorch's TypeError for anything else.
fn tensor_list(seq: &Bound<'_, PyAny>) -> PyResult<Vec<Tensor>> {
    let mut out = Vec::new();
    for (i, item) in seq.try_iter()?.enumerate() {
        let item = item?;
        item.cast::<PyTensor>().map_err(|_| {
            PyTypeError::new_err(format!(
                "expected Tensor as element {i} in argument 0, but got {}",
                item.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        // a sparse element gets PyTorch's error, not its empty stand-in's values
        out.push(item.extract::<Strided<'_>>()?.t().clone());
    }
    Ok(out)
}

fn tuple_of(py: Python<'_>, ts: Vec<Tensor>) -> PyResult<Py<PyAny>> {
    let items = ts
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, items)?.into_any().unbind())
}

/// `cat` or `stack` (`op`) of the tensors of a sequence; a sequence holding a tensor of
/// a layout written in Python goes to `ferrograd._layouts.<op>`.
fn joined(
    py: Python<'_>,
    op: &str,
    tensors: &Bound<'_, PyAny>,
    dim: i64,
    f: fn(&[Tensor], i64) -> crate::error::Result<Tensor>,
) -> PyResult<Py<PyAny>> {
    if tensors.is_instance_of::<PyList>() || tensors.is_instance_of::<PyTuple>() {
        let items = tensors.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        if let Some(out) = foreign_call(py, &items, op, (tensors, dim))? {
            return Ok(out);
        }
    }
    let ts = tensor_list(tensors)?;
    wrap(py, guarded(op, || f(&ts, dim))?)
}

#[pyfunction]
fn _cat(
    py: Python<'_>,
    tensors: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    joined(py, "cat", tensors, dim, ops::cat)
}

#[pyfunction]
fn _stack(
    py: Python<'_>,
    tensors: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    joined(py, "stack", tensors, dim, ops::stack)
}

#[pyfunction]
fn _split(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] split_size: i64,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    tuple_of(
        py,
        guarded("split", || {
            viewing(&t.raw, |t| ops::split(t, split_size, dim))
        })?,
    )
}

#[pyfunction]
fn _split_with_sizes(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] sizes: Vec<i64>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    tuple_of(
        py,
        guarded("split_with_sizes", || {
            viewing(&t.raw, |t| ops::split_with_sizes(t, &sizes, dim))
        })?,
    )
}

#[pyfunction]
fn _chunk(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] chunks: i64,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    tuple_of(
        py,
        guarded("chunk", || viewing(&t.raw, |t| ops::chunk(t, chunks, dim)))?,
    )
}

#[pyfunction]
fn _unbind(
    py: Python<'_>,
    t: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    if let Some(out) = method_of_foreign(t.as_any(), "unbind", (dim,))? {
        return Ok(out);
    }
    let t = t.borrow();
    tuple_of(
        py,
        guarded("unbind", || viewing(&t.raw, |t| ops::unbind(t, dim)))?,
    )
}

#[pyfunction]
fn _flip(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] dims: Vec<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("flip", || ops::flip(&t.t(), &dims))?)
}

#[pyfunction]
fn _roll(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] shifts: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] dims: Vec<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("roll", || ops::roll(&t.t(), &shifts, &dims))?)
}

#[pyfunction]
fn _repeat(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] repeats: Vec<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("repeat", || ops::repeat(&t.t(), &repeats))?)
}

#[pyfunction]
fn _tri(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] diagonal: i64,
    upper: bool,
) -> PyResult<Py<PyAny>> {
    let name = if upper { "triu" } else { "tril" };
    wrap(py, guarded(name, || ops::tri(&t.t(), diagonal, upper))?)
}

#[pyfunction]
fn _diagonal(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] offset: i64,
    #[pyo3(from_py_with = int_arg)] dim1: i64,
    #[pyo3(from_py_with = int_arg)] dim2: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("diagonal", || {
            viewing(&t.raw, |t| ops::diagonal(t, offset, dim1, dim2))
        })?,
    )
}

#[pyfunction]
fn _diag(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] diagonal: i64,
) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("diag", || ops::diag(&t.t(), diagonal))?)
}

#[pyfunction]
fn _trace(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("trace", || ops::trace(&t.t()))?)
}

#[pyfunction]
fn _narrow_copy(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    #[pyo3(from_py_with = int_arg)] start: i64,
    #[pyo3(from_py_with = int_arg)] length: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("narrow_copy", || {
            ops::narrow_copy(&t.t(), dim, start, length)
        })?,
    )
}

#[pyfunction]
fn _diag_embed(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] offset: i64,
    #[pyo3(from_py_with = int_arg)] dim1: i64,
    #[pyo3(from_py_with = int_arg)] dim2: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("diag_embed", || ops::diag_embed(&t.t(), offset, dim1, dim2))?,
    )
}

#[pyfunction]
fn _rot90(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] k: i64,
    #[pyo3(from_py_with = int_list_arg)] dims: Vec<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("rot90", || ops::rot90(&t.t(), k, &dims))?)
}

#[pyfunction]
fn _block_diag(py: Python<'_>, tensors: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let ts = tensor_list(tensors)?;
    wrap(py, guarded("block_diag", || ops::block_diag(&ts))?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_cat, m)?)?;
    m.add_function(wrap_pyfunction!(_stack, m)?)?;
    m.add_function(wrap_pyfunction!(_split, m)?)?;
    m.add_function(wrap_pyfunction!(_split_with_sizes, m)?)?;
    m.add_function(wrap_pyfunction!(_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(_unbind, m)?)?;
    m.add_function(wrap_pyfunction!(_flip, m)?)?;
    m.add_function(wrap_pyfunction!(_roll, m)?)?;
    m.add_function(wrap_pyfunction!(_repeat, m)?)?;
    m.add_function(wrap_pyfunction!(_tri, m)?)?;
    m.add_function(wrap_pyfunction!(_diagonal, m)?)?;
    m.add_function(wrap_pyfunction!(_diag, m)?)?;
    m.add_function(wrap_pyfunction!(_trace, m)?)?;
    m.add_function(wrap_pyfunction!(_narrow_copy, m)?)?;
    m.add_function(wrap_pyfunction!(_diag_embed, m)?)?;
    m.add_function(wrap_pyfunction!(_rot90, m)?)?;
    m.add_function(wrap_pyfunction!(_block_diag, m)?)?;
    Ok(())
}
