//! One backward node for an op whose forward and backward formulas are written in Python
//! (`nn.functional` losses and norms): PyTorch's node name, one edge per input, the
//! tensors PyTorch's node saves (packed by saved-tensor hooks as PyTorch's are), and a
//! backward that calls a Python function with the incoming gradients and the unpacked
//! saved tensors. That function is composed of differentiable ops, so a backward run
//! with `create_graph=True` records its own graph (double backward).

use super::errors::{guarded, stash};
use super::function_fns::gradient_item;
use super::py_refs::PyCallable;
use super::tensor::{wrap, PyTensor};
use crate::autograd::node::{next_hook_id, BackwardCtx, Node, NodeKind, OutputMeta};
use crate::autograd::record::{gradient_edge, set_history};
use crate::autograd::saved::SavedTensor;
use crate::autograd::{needs_grad, NodeRef};
use crate::error::{Error, Result};
use crate::ops::intern_node_name;
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Calls `backward(grads, saved, needs_input_grad)` and reads one gradient (or None)
/// per input.
fn run_backward(
    backward: &PyCallable,
    inputs: usize,
    b: &BackwardCtx,
) -> Result<Vec<Option<Tensor>>> {
    Python::attach(|py| {
        let Some(f) = backward.get(py) else {
            return Err(Error::runtime(
                "the backward formula of this node was freed",
            ));
        };
        let grads = b
            .grads
            .iter()
            .map(|g| wrap(py, g.clone()))
            .collect::<PyResult<Vec<_>>>()
            .map_err(stash)?;
        let saved = b
            .saved
            .iter()
            .map(|t| wrap(py, t.clone()))
            .collect::<PyResult<Vec<_>>>()
            .map_err(stash)?;
        let needs: Vec<bool> = b.needs_input_grad.iter().copied().collect();
        let args = (
            PyTuple::new(py, grads).map_err(stash)?,
            PyTuple::new(py, saved).map_err(stash)?,
            PyTuple::new(py, needs).map_err(stash)?,
        );
        let result = f.bind(py).call1(args).map_err(stash)?;
        let mut out = Vec::with_capacity(inputs);
        for i in 0..inputs {
            out.push(gradient_item(&result, i)?);
        }
        Ok(out)
    })
}

/// Records the node `name` for `outputs` (computed without history): edges to `inputs`
/// (None, or a tensor that does not require grad, is an edge-less slot), `saved` kept
/// for backward (an output among them is saved as that output), and `backward` called
/// as `backward(grads, saved, needs_input_grad) -> one gradient or None per input`.
/// Records nothing when grad mode is off or no input requires grad. `in_place`: the
/// outputs are tensors an op just wrote in place (without recording), whose history the
/// node takes over (a view's base then gets PyTorch's `CopySlices`); the caller refused
/// a leaf that requires grad before writing.
#[pyfunction]
#[pyo3(signature = (name, inputs, outputs, saved, backward, in_place = false))]
fn _composite_node(
    name: &str,
    inputs: Vec<Option<PyRef<'_, PyTensor>>>,
    outputs: Vec<PyRef<'_, PyTensor>>,
    saved: Vec<PyRef<'_, PyTensor>>,
    backward: Py<PyAny>,
    in_place: bool,
) -> PyResult<bool> {
    let inputs: Vec<Option<Tensor>> = inputs
        .iter()
        .map(|t| t.as_ref().map(|t| t.t().clone()))
        .collect();
    let present: Vec<&Tensor> = inputs.iter().flatten().collect();
    if !needs_grad(&present) {
        return Ok(false);
    }
    let outputs: Vec<Tensor> = outputs.iter().map(|t| t.t().clone()).collect();
    guarded(name, || {
        if let Some(o) = outputs.iter().find(|o| !in_place && o.grad_fn().is_some()) {
            return Err(Error::runtime(format!(
                "_composite_node: an output of shape {:?} already has a grad_fn",
                o.shape()
            )));
        }
        Ok(())
    })?;
    let edges: crate::autograd::node::EdgeSlots = inputs
        .iter()
        .map(|t| t.as_ref().and_then(gradient_edge))
        .collect();
    let metas: crate::autograd::node::OutputSlots = outputs
        .iter()
        .map(|t| OutputMeta {
            shape: t.shape().into(),
            dtype: t.dtype(),
        })
        .collect();
    let kept: Vec<SavedTensor> = saved
        .iter()
        .map(
            |s| match outputs.iter().position(|o| o.same_tensor(&s.t())) {
                Some(nr) => SavedTensor::output_nr(&s.t(), nr as u32),
                None => SavedTensor::input(&s.t()),
            },
        )
        .collect();
    let formula = PyCallable::new(next_hook_id(), backward);
    let count = inputs.len();
    let node = NodeRef::new(Node::new(
        intern_node_name(name),
        edges,
        NodeKind::Function(Box::new(move |b: &mut BackwardCtx| {
            run_backward(&formula, count, b)
        })),
        kept,
        metas,
    ));
    if crate::autograd::mode::is_anomaly_enabled() {
        *node.node().extras().creation_trace.lock() = crate::autograd::mode::creation_trace();
    }
    for (i, out) in outputs.iter().enumerate() {
        if in_place {
            guarded(name, || crate::ops::take_over_history(out, &node, i as u32))?;
        } else {
            set_history(out.meta(), &node, i as u32);
        }
    }
    Ok(true)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_composite_node, m)?)?;
    Ok(())
}
