//! Bindings of the scatter family (`ops::scatter`). `python/ferrograd/_scatter.py` checks
//! PyTorch's argument rules and works out the element positions; these take an op name
//! that picks the node name PyTorch records.

use super::convert::{operand_or_array_required, scalar_param_for, uint64_int};
use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops::{self, ScatterReduce};
use crate::tensor::Tensor;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn node_name(op: &str) -> PyResult<&'static str> {
    Ok(match op {
        "scatter" => "ScatterBackward0",
        "scatter_value" => "ScatterBackward1",
        "scatter_legacy" => "NotImplemented",
        "scatter_add" => "ScatterAddBackward0",
        "scatter_reduce" => "ScatterReduceBackward0",
        "index_add" => "IndexAddBackward0",
        "index_copy" => "IndexCopyBackward0",
        "index_fill" => "IndexFillBackward0",
        "index_fill_tensor" => "IndexFillBackward1",
        "index_reduce" => "IndexReduceBackward0",
        "put" => "PutBackward0",
        "masked_scatter" => "MaskedScatterBackward0",
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown scatter op '{other}'"
            )))
        }
    })
}

fn reduction(reduce: &str) -> PyResult<ScatterReduce> {
    ScatterReduce::from_name(reduce)
        .ok_or_else(|| PyValueError::new_err(format!("unknown scatter reduction '{reduce}'")))
}

/// The values scattered into `t`: a uint64-range Python int is a Scalar value there
/// (see `scalar_param_for`), anything else a tensor, number or NumPy array.
fn scatter_values(t: &Tensor, values: &Bound<'_, PyAny>, op: &str) -> PyResult<Tensor> {
    if uint64_int(values).is_some() {
        if let Some(s) = scalar_param_for(t.dtype(), values)? {
            return Ok(Tensor::wrapped_scalar(s));
        }
    }
    operand_or_array_required(values, op)
}

/// `op` out of place: `t` with `values` (a tensor or number) combined in at `positions`.
#[pyfunction]
#[pyo3(signature = (op, t, positions, values, reduce="replace", include_self=true))]
fn _scatter(
    py: Python<'_>,
    op: &str,
    t: Strided<'_>,
    positions: Strided<'_>,
    values: &Bound<'_, PyAny>,
    reduce: &str,
    include_self: bool,
) -> PyResult<Py<PyAny>> {
    let (node, reduce) = (node_name(op)?, reduction(reduce)?);
    let v = scatter_values(&t.t(), values, op)?;
    wrap(
        py,
        guarded(op, || {
            ops::scatter_positions(&t.t(), &positions.t(), &v, reduce, include_self, node)
        })?,
    )
}

/// `op` in place (`x.scatter_(...)`); returns `t`.
#[pyfunction]
#[pyo3(signature = (op, t, positions, values, reduce="replace", include_self=true))]
fn _scatter_(
    op: &str,
    t: &Bound<'_, PyTensor>,
    positions: Strided<'_>,
    values: &Bound<'_, PyAny>,
    reduce: &str,
    include_self: bool,
) -> PyResult<Py<PyAny>> {
    let (node, reduce) = (node_name(op)?, reduction(reduce)?);
    let target = t.borrow().raw.clone();
    let v = scatter_values(&target, values, op)?;
    let inplace_name = format!(
        "{}_",
        op.trim_end_matches("_value")
            .trim_end_matches("_tensor")
            .trim_end_matches("_legacy")
    );
    let saves_self = matches!(
        reduce,
        ScatterReduce::Prod | ScatterReduce::Amax | ScatterReduce::Amin
    );
    guarded(&inplace_name, || {
        ops::apply_inplace(&target, &inplace_name, saves_self, |input| {
            ops::scatter_positions(input, &positions.t(), &v, reduce, include_self, node)
        })
    })?;
    Ok(t.clone().into_any().unbind())
}

/// `take`: elements at flat positions (`TakeBackward0`).
#[pyfunction]
fn _take_flat(py: Python<'_>, t: Strided<'_>, positions: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("take", || {
            ops::take_positions(&t.t(), &positions.t(), "TakeBackward0")
        })?,
    )
}

/// `embedding`'s dense gradient without a graph of its own: a `(rows, d)` table with row
/// `k` of `grad` added at row `index[k]`; None for dtypes the kernel does not take.
#[pyfunction]
fn _embedding_dense_backward(
    py: Python<'_>,
    grad: Strided<'_>,
    index: Strided<'_>,
    rows: usize,
) -> PyResult<Option<Py<PyAny>>> {
    let out = guarded("embedding_backward", || {
        ops::embedding_backward::embedding_dense_backward(&grad.t(), &index.t(), rows)
    })?;
    out.map(|t| wrap(py, t)).transpose()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_scatter, m)?)?;
    m.add_function(wrap_pyfunction!(_scatter_, m)?)?;
    m.add_function(wrap_pyfunction!(_take_flat, m)?)?;
    m.add_function(wrap_pyfunction!(_embedding_dense_backward, m)?)?;
    Ok(())
}
