//! Read-only inspection of backward nodes for graph pictures (`ferrograd.viz`).

use super::errors::guarded;
use super::grad_fn::PyGradFn;
use super::py_refs::PyCallable;
use super::tensor::{wrap, PyTensor};
use crate::autograd::node::next_hook_id;
use crate::autograd::node::SavedArg;
use crate::tensor::Scalar;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyTuple};
use pyo3::IntoPyObjectExt;
use std::sync::Arc;

/// The tensors a node saved for its backward formula (the same objects as the inputs
/// it saved, as PyTorch's `_saved_self`); empty once freed.
#[pyfunction]
fn _node_saved_tensors(py: Python<'_>, node: &PyGradFn) -> PyResult<Vec<Py<PyAny>>> {
    let saved = node.node.node().saved.lock();
    if saved.released {
        return Ok(Vec::new());
    }
    saved.tensors.iter().map(|s| wrap(py, s.tensor())).collect()
}

/// The tensors a node saved, unpacked as its backward would see them (`grad_fn._saved_*`):
/// a saved output comes back with this node as its grad_fn; PyTorch's errors once
/// freed or modified in place.
/// With `index`, only that one (its unpack hook runs once, as PyTorch's `_saved_<name>`).
#[pyfunction]
#[pyo3(signature = (node, index=None))]
fn _node_unpack_saved(
    py: Python<'_>,
    node: &PyGradFn,
    index: Option<usize>,
) -> PyResult<Vec<Py<PyAny>>> {
    let saved = guarded("_saved", || match index {
        None => node.node.node().unpack_saved(&node.node),
        Some(i) => node.node.node().unpack_saved_one(&node.node, i),
    })?;
    saved.into_iter().map(|t| wrap(py, t)).collect()
}

fn saved_arg_object(py: Python<'_>, arg: &SavedArg) -> PyResult<Py<PyAny>> {
    // PyTorch converts int64_t arguments through their unsigned bits: -1 shows as 2**64-1
    let int = |i: i64| -> PyResult<Py<PyAny>> {
        if i < 0 {
            (i as u64).into_py_any(py)
        } else {
            i.into_py_any(py)
        }
    };
    let scalar = |s: Scalar| match s {
        Scalar::Bool(b) => b.into_py_any(py),
        Scalar::Int(i) => i.into_py_any(py),
        Scalar::Float(f) => f.into_py_any(py),
    };
    match arg {
        SavedArg::Int(i) => int(*i),
        SavedArg::Ints(v) => {
            let items = v.iter().map(|&i| int(i)).collect::<PyResult<Vec<_>>>()?;
            Ok(PyTuple::new(py, items)?.into_any().unbind())
        }
        SavedArg::Scalar(s) => scalar(*s),
        SavedArg::OptScalar(s) => s.map_or_else(|| Ok(py.None()), scalar),
        SavedArg::Float(f) => f.into_py_any(py),
        SavedArg::Bool(b) => b.into_py_any(py),
        SavedArg::Str(s) => s.into_py_any(py),
        SavedArg::Opaque(_) => Ok(py.None()),
    }
}

/// The non-tensor arguments a node kept (`grad_fn._saved_dim`, ...), by name: only what
/// was stored (the Python side fills in the defaults an op does not store).
#[pyfunction]
fn _node_saved_args<'py>(py: Python<'py>, node: &PyGradFn) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let args = node
        .node
        .node()
        .extras_if_any()
        .map(|e| e.saved_args.lock().clone())
        .unwrap_or_default();
    for (name, arg) in &args {
        if let SavedArg::Opaque(held) = arg {
            if let Some(dict) = held.downcast_ref::<PyCallable>().and_then(|c| c.get(py)) {
                out.update(dict.bind(py).cast::<PyMapping>()?)?;
            }
            continue;
        }
        out.set_item(*name, saved_arg_object(py, arg)?)?;
    }
    Ok(out)
}

/// Keeps `args` (a dict of `_saved_*` values) on `t`'s node, for ops composed in Python.
#[pyfunction]
fn _set_saved_args(t: &PyTensor, args: Bound<'_, PyDict>) {
    let holds_tensor = |v: &Bound<'_, PyAny>| {
        v.is_instance_of::<PyTensor>()
            || v.cast::<PyTuple>()
                .is_ok_and(|items| items.iter().any(|x| x.is_instance_of::<PyTensor>()))
    };
    let holds_tensors = args.values().iter().any(|v| holds_tensor(&v));
    let held = PyCallable::new(next_hook_id(), args.into_any().unbind());
    crate::autograd::record::save_args(&t.t(), vec![("", SavedArg::Opaque(Arc::new(held)))]);
    if holds_tensors {
        crate::autograd::record::mark_args_hold_tensors(&t.t());
    }
}

/// Shape and dtype of each gradient `node` receives (PyTorch's `_input_metadata`).
#[pyfunction]
fn _node_input_metadata(py: Python<'_>, node: &PyGradFn) -> Vec<(Vec<usize>, Py<PyAny>)> {
    node.node
        .node()
        .outputs
        .iter()
        .map(|m| {
            let dtype = super::convert::dtype_object(py, m.dtype).into_any();
            (m.shape.iter().copied().collect(), dtype)
        })
        .collect()
}

/// Raises PyTorch's error when backward already freed what `node` saved.
#[pyfunction]
fn _check_saved_not_freed(node: &PyGradFn) -> PyResult<()> {
    guarded("_saved", || node.node.node().check_not_freed())
}

/// An alias of `t` whose `grad_fn` is a pass-through node called `name`: composite ops
/// written in Python report PyTorch's node name (`MseLossBackward0`).
#[pyfunction]
#[pyo3(signature = (t, name, view=false))]
fn _named_node(py: Python<'_>, t: &PyTensor, name: &str, view: bool) -> PyResult<Py<PyAny>> {
    let out = guarded("_named_node", || {
        if view {
            crate::ops::named_node::named_view_passthrough(&t.t(), name)
        } else {
            crate::ops::named_passthrough(&t.t(), name)
        }
    })?;
    wrap(py, out)
}

/// A view of all of `t` (`AliasBackward0` when it requires grad).
#[pyfunction]
fn _alias(py: Python<'_>, t: &PyTensor) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("alias", || crate::ops::view::alias(&t.t()))?)
}

/// `autograd.graph.increment_version(t)`: bumps the version counter as an in-place
/// op would, without touching the data.
#[pyfunction]
fn _increment_version(t: &PyTensor) {
    t.raw.bump_version();
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_increment_version, m)?)?;
    m.add_function(wrap_pyfunction!(_alias, m)?)?;
    m.add_function(wrap_pyfunction!(_node_saved_tensors, m)?)?;
    m.add_function(wrap_pyfunction!(_node_unpack_saved, m)?)?;
    m.add_function(wrap_pyfunction!(_node_saved_args, m)?)?;
    m.add_function(wrap_pyfunction!(_set_saved_args, m)?)?;
    m.add_function(wrap_pyfunction!(_check_saved_not_freed, m)?)?;
    m.add_function(wrap_pyfunction!(_node_input_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(_named_node, m)?)?;
    Ok(())
}
