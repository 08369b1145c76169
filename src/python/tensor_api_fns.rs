//! Bindings of the tensor-API completions (`ops::tensor_api`): strided views, view ops
//! in place, the `*_scatter` family, and a generic in-place runner that the Python
//! layer (`python/ferrograd/_tensor_api.py`) uses for the `op_` forms of existing ops.

use super::convert::{operand_required_against, scalar_of};
use super::errors::{guarded, stash};
use super::int_args::{int_arg, int_list_arg, opt_int_arg, opt_int_list_arg};
use super::operand::viewing;
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::autograd::node::SavedArg;
use crate::autograd::record::{save_args_for, sizes_arg};
use crate::ops;
use crate::tensor::{Scalar, Tensor};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// Puts `new` (the same tensor with another layout) in `slf`'s place.
fn replace(slf: &Bound<'_, PyTensor>, new: Tensor) -> Py<PyAny> {
    super::tensor::replace_contents(slf, new);
    slf.clone().into_any().unbind()
}

/// `t.<op>_(...)` where the out-of-place op is the Python callable `f`: `f` runs on a
/// stand-in for `t` (a private copy carrying `t`'s history when `saves_self`) and its
/// result is written into `t` with the in-place bookkeeping (leaf check, version
/// counter, history, views).
#[pyfunction]
fn _inplace_call(
    py: Python<'_>,
    op: &str,
    t: &Bound<'_, PyTensor>,
    saves_self: bool,
    f: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let target = t.borrow().raw.clone();
    guarded(op, || {
        ops::apply_inplace(&target, op, saves_self, |input| {
            let obj = wrap(py, input.clone()).map_err(stash)?;
            let r = f.call1((obj,)).map_err(stash)?;
            let r = r
                .cast::<PyTensor>()
                .map_err(|_| stash(PyTypeError::new_err(format!("{op} expected a Tensor"))))?;
            let out = r.borrow().t().clone();
            Ok(out)
        })
    })?;
    Ok(t.clone().into_any().unbind())
}

fn compare_node(op: &str, number: bool) -> PyResult<&'static str> {
    Ok(match (op, number) {
        ("eq", true) => "EqBackward0",
        ("eq", false) => "EqBackward1",
        ("ne", true) => "NeBackward0",
        ("ne", false) => "NeBackward1",
        ("lt", true) => "LtBackward0",
        ("lt", false) => "LtBackward1",
        ("le", true) => "LeBackward0",
        ("le", false) => "LeBackward1",
        ("gt", true) => "GtBackward0",
        ("gt", false) => "GtBackward1",
        ("ge", true) => "GeBackward0",
        ("ge", false) => "GeBackward1",
        _ => return Err(PyValueError::new_err(format!("unknown comparison '{op}'"))),
    })
}

/// `t.eq_(other)` and the other comparisons in place: 1/0 in `t`'s dtype.
#[pyfunction]
fn _compare_(op: &str, t: &Bound<'_, PyTensor>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let name = format!("{op}_");
    let o = operand_required_against(&t.borrow().t(), other, &name)?;
    let node = compare_node(op, o.is_wrapped_number())?;
    let target = t.borrow().raw.clone();
    guarded(&name, || {
        ops::apply_inplace(&target, &name, false, |input| {
            ops::compare_as_self(input, &o, op, node)
                .map_err(|e| ops::refusal_order::in_place_refusal(e, input, &o, false))
        })
    })?;
    Ok(t.clone().into_any().unbind())
}

/// `t_()`, `transpose_(d0, d1)`, `swapaxes_`, `swapdims_`.
#[pyfunction]
fn _transpose_(
    op: &str,
    t: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] dim0: i64,
    #[pyo3(from_py_with = int_arg)] dim1: i64,
) -> PyResult<Py<PyAny>> {
    let cur = t.borrow().raw.clone();
    let new = if op == "t_" {
        if cur.ndim() > 2 {
            return Err(PyRuntimeError::new_err(format!(
                "t_() expects a tensor with <= 2 dimensions, but self is {}D",
                cur.ndim()
            )));
        }
        let (a, b) = if cur.ndim() < 2 { (0, 0) } else { (0, 1) };
        guarded(op, || ops::transpose_inplace(&cur, a, b, op, "TBackward1"))?
    } else {
        let new = guarded(op, || {
            ops::transpose_inplace(&cur, dim0, dim1, op, "TransposeBackward1")
        })?;
        save_args_for(&new, "TransposeBackward1", || {
            vec![("dim0", SavedArg::Int(dim0)), ("dim1", SavedArg::Int(dim1))]
        });
        new
    };
    Ok(replace(t, new))
}

/// `squeeze_()`, `squeeze_(dim)`, `squeeze_(dims)`.
#[pyfunction]
#[pyo3(signature = (t, dims=None, dims_is_tuple=false))]
fn _squeeze_(
    t: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = opt_int_list_arg)] dims: Option<Vec<i64>>,
    dims_is_tuple: bool,
) -> PyResult<Py<PyAny>> {
    let cur = t.borrow().raw.clone();
    let node = match (&dims, dims_is_tuple) {
        (None, _) => "SqueezeBackward3",
        (Some(_), false) => "SqueezeBackward4",
        (Some(_), true) => "SqueezeBackward5",
    };
    let new = guarded("squeeze_", || {
        let view = ops::squeeze(&cur.detached(), dims.as_deref(), dims_is_tuple)?;
        ops::reshaping_inplace(&cur, &view, "squeeze_", node)
    })?;
    save_args_for(&new, node, || {
        let mut args = vec![("self_sym_sizes", sizes_arg(&cur))];
        match (dims, dims_is_tuple) {
            (Some(d), true) => args.push(("dim", SavedArg::Ints(d))),
            (Some(d), false) => args.push(("dim", SavedArg::Int(d[0]))),
            (None, _) => {}
        }
        args
    });
    Ok(replace(t, new))
}

/// `unsqueeze_(dim)` (`UnsqueezeBackward1`).
#[pyfunction]
fn _unsqueeze_(
    t: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    let cur = t.borrow().raw.clone();
    let new = guarded("unsqueeze_", || {
        let view = ops::unsqueeze(&cur.detached(), dim)?;
        ops::reshaping_inplace(&cur, &view, "unsqueeze_", "UnsqueezeBackward1")
    })?;
    save_args_for(&new, "UnsqueezeBackward1", || {
        vec![("dim", SavedArg::Int(dim))]
    });
    Ok(replace(t, new))
}

/// `as_strided_(size, stride, storage_offset)` (`AsStridedBackward1`).
#[pyfunction]
#[pyo3(signature = (t, size, stride, storage_offset=None))]
fn _as_strided_(
    t: &Bound<'_, PyTensor>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = opt_int_arg)] storage_offset: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let cur = t.borrow().raw.clone();
    let new = guarded("as_strided_", || {
        ops::as_strided_inplace(&cur, &size, &stride, storage_offset)
    })?;
    save_args_for(&new, "AsStridedBackward1", || {
        let mut args = vec![
            ("size", SavedArg::Ints(size)),
            ("stride", SavedArg::Ints(stride)),
        ];
        if let Some(offset) = storage_offset {
            args.push(("storage_offset", SavedArg::Int(offset)));
        }
        args
    });
    Ok(replace(t, new))
}

/// `as_strided(size, stride, storage_offset)` (`AsStridedBackward0`).
#[pyfunction]
#[pyo3(signature = (t, size, stride, storage_offset=None))]
fn _as_strided(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = opt_int_arg)] storage_offset: Option<i64>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("as_strided", || {
            viewing(&t.raw, |t| {
                ops::as_strided(t, &size, &stride, storage_offset)
            })
        })?,
    )
}

/// `unfold(dimension, size, step)` (`UnfoldBackward0`).
#[pyfunction]
fn _unfold(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dimension: i64,
    #[pyo3(from_py_with = int_arg)] size: i64,
    #[pyo3(from_py_with = int_arg)] step: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("unfold", || {
            viewing(&t.raw, |t| ops::unfold(t, dimension, size, step))
        })?,
    )
}

/// `slice_scatter(input, src, dim, start, end, step)` (`SliceScatterBackward0`).
#[pyfunction]
#[pyo3(signature = (input, src, dim=0, start=None, end=None, step=1))]
fn _slice_scatter(
    py: Python<'_>,
    input: Strided<'_>,
    src: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    #[pyo3(from_py_with = opt_int_arg)] start: Option<i64>,
    #[pyo3(from_py_with = opt_int_arg)] end: Option<i64>,
    #[pyo3(from_py_with = int_arg)] step: i64,
) -> PyResult<Py<PyAny>> {
    let pick = move |x: &Tensor| ops::slice(x, dim, start, end, step);
    wrap(
        py,
        guarded("slice_scatter", || {
            ops::view_scatter(&input.t(), &src.t(), "SliceScatterBackward0", pick)
        })?,
    )
}

/// `select_scatter(input, src, dim, index)` (`SelectScatterBackward0`).
#[pyfunction]
fn _select_scatter(
    py: Python<'_>,
    input: Strided<'_>,
    src: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    #[pyo3(from_py_with = int_arg)] index: i64,
) -> PyResult<Py<PyAny>> {
    let pick = move |x: &Tensor| ops::select(x, dim, index);
    wrap(
        py,
        guarded("select_scatter", || {
            ops::view_scatter(&input.t(), &src.t(), "SelectScatterBackward0", pick)
        })?,
    )
}

/// `diagonal_scatter(input, src, offset, dim1, dim2)` (`DiagonalScatterBackward0`).
#[pyfunction]
#[pyo3(signature = (input, src, offset=0, dim1=0, dim2=1))]
fn _diagonal_scatter(
    py: Python<'_>,
    input: Strided<'_>,
    src: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] offset: i64,
    #[pyo3(from_py_with = int_arg)] dim1: i64,
    #[pyo3(from_py_with = int_arg)] dim2: i64,
) -> PyResult<Py<PyAny>> {
    let pick = move |x: &Tensor| ops::diagonal(x, offset, dim1, dim2);
    wrap(
        py,
        guarded("diagonal_scatter", || {
            ops::view_scatter(&input.t(), &src.t(), "DiagonalScatterBackward0", pick)
        })?,
    )
}

/// `as_strided_scatter(input, src, size, stride, storage_offset)`
/// (`AsStridedScatterBackward0`); the offset counts from `input`'s own.
#[pyfunction]
#[pyo3(signature = (input, src, size, stride, storage_offset=None))]
fn _as_strided_scatter(
    py: Python<'_>,
    input: Strided<'_>,
    src: Strided<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = opt_int_arg)] storage_offset: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let rel = storage_offset.unwrap_or(input.t().storage_offset() as i64)
        - input.t().storage_offset() as i64;
    let pick = move |x: &Tensor| {
        let x = ops::contiguous(x)?;
        ops::as_strided(&x, &size, &stride, Some(x.storage_offset() as i64 + rel))
    };
    wrap(
        py,
        guarded("as_strided_scatter", || {
            ops::view_scatter(&input.t(), &src.t(), "AsStridedScatterBackward0", pick)
        })?,
    )
}

/// `rsub(input, other, alpha=1)`: `other - alpha * input`.
#[pyfunction]
#[pyo3(signature = (input, other, alpha=None))]
fn _rsub(
    py: Python<'_>,
    input: Strided<'_>,
    other: &Bound<'_, PyAny>,
    alpha: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let o = operand_required_against(&input.t(), other, "rsub")?;
    let a = match alpha {
        None => Scalar::Int(1),
        Some(v) => scalar_of(v)?
            .ok_or_else(|| PyTypeError::new_err("rsub(): argument 'alpha' must be Number"))?,
    };
    wrap(py, guarded("rsub", || ops::rsub(&input.t(), &o, a))?)
}

/// `torch.fill(input, value)`: a new tensor.
#[pyfunction]
fn _fill(py: Python<'_>, input: Strided<'_>, value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let v = match super::convert::uint64_int(value) {
        Some(_) => match super::convert::fill_scalar_for(input.t().dtype(), value)? {
            Some(s) => Tensor::wrapped_scalar(s),
            None => operand_required_against(&input.t(), value, "fill")?,
        },
        None => operand_required_against(&input.t(), value, "fill")?,
    };
    wrap(py, guarded("fill", || ops::fill(&input.t(), &v))?)
}

/// `unsafe_split(split_size, dim)` or `unsafe_split_with_sizes(sizes, dim)`.
#[pyfunction]
#[pyo3(signature = (t, split_size=None, sizes=None, dim=0))]
fn _split_untracked<'py>(
    py: Python<'py>,
    t: Strided<'_>,
    #[pyo3(from_py_with = opt_int_arg)] split_size: Option<i64>,
    #[pyo3(from_py_with = opt_int_list_arg)] sizes: Option<Vec<i64>>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Bound<'py, PyList>> {
    let (sizes, name) = match &sizes {
        Some(s) => (s.clone(), "UnsafeSplitWithSizesBackward0"),
        None => (vec![], "UnsafeSplitBackward0"),
    };
    let parts = guarded("unsafe_split", || {
        ops::unsafe_split(&t.t(), split_size, &sizes, dim, name)
    })?;
    let objs = parts
        .into_iter()
        .map(|p| wrap(py, p))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objs)
}

/// The node names of the `*_copy` ops.
const COPY_NODES: [&str; 15] = [
    "TBackward0_copy",
    "ViewBackward0_copy",
    "TransposeBackward0_copy",
    "UnsqueezeBackward0_copy",
    "SqueezeBackward0_copy",
    "SqueezeBackward1_copy",
    "SqueezeBackward2_copy",
    "AliasBackward0_copy",
    "PermuteBackward0_copy",
    "ExpandBackward0_copy",
    "SelectBackward0_copy",
    "DiagonalBackward0_copy",
    "SliceBackward0_copy",
    "UnfoldBackward0_copy",
    "AsStridedBackward0_copy",
];

/// A contiguous copy of `view` (a view of `t`'s storage made by a view op on a
/// detached `t`) whose gradient reaches `t` through node `node`.
#[pyfunction]
fn _view_copy(
    py: Python<'_>,
    node: &str,
    t: Strided<'_>,
    view: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    let name = COPY_NODES
        .iter()
        .find(|n| **n == node)
        .copied()
        .ok_or_else(|| PyValueError::new_err(format!("unknown copy node '{node}'")))?;
    if !std::sync::Arc::ptr_eq(t.raw.storage(), view.raw.storage()) {
        return Err(PyValueError::new_err(
            "_view_copy: the view must share the tensor's storage",
        ));
    }
    let layout = view.t().layout().clone();
    wrap(py, guarded(node, || ops::view_copy(&t.t(), layout, name))?)
}

/// Which output of its `grad_fn` the tensor is.
#[pyfunction]
fn _output_nr(t: &PyTensor) -> u32 {
    t.raw.meta().state.lock().output_nr
}

/// PyTorch's memory-overlap refusal for an op writing `written` while reading `read`:
/// any shared element when `any_shared`, else only a partial overlap.
#[pyfunction]
fn _check_mem_overlap(written: &PyTensor, read: &PyTensor, any_shared: bool) -> PyResult<()> {
    guarded("mem_overlap", || {
        if any_shared {
            ops::mem_overlap::check_no_overlap(&written.raw, &read.raw)
        } else {
            ops::mem_overlap::check_no_partial_overlap(&written.raw, &read.raw)
        }
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_check_mem_overlap, m)?)?;
    m.add_function(wrap_pyfunction!(_output_nr, m)?)?;
    m.add_function(wrap_pyfunction!(_view_copy, m)?)?;
    m.add_function(wrap_pyfunction!(_inplace_call, m)?)?;
    m.add_function(wrap_pyfunction!(_compare_, m)?)?;
    m.add_function(wrap_pyfunction!(_transpose_, m)?)?;
    m.add_function(wrap_pyfunction!(_squeeze_, m)?)?;
    m.add_function(wrap_pyfunction!(_unsqueeze_, m)?)?;
    m.add_function(wrap_pyfunction!(_as_strided_, m)?)?;
    m.add_function(wrap_pyfunction!(_as_strided, m)?)?;
    m.add_function(wrap_pyfunction!(_unfold, m)?)?;
    m.add_function(wrap_pyfunction!(_slice_scatter, m)?)?;
    m.add_function(wrap_pyfunction!(_select_scatter, m)?)?;
    m.add_function(wrap_pyfunction!(_diagonal_scatter, m)?)?;
    m.add_function(wrap_pyfunction!(_as_strided_scatter, m)?)?;
    m.add_function(wrap_pyfunction!(_rsub, m)?)?;
    m.add_function(wrap_pyfunction!(_fill, m)?)?;
    m.add_function(wrap_pyfunction!(_split_untracked, m)?)?;
    Ok(())
}
