//! `grad_fn(*grads)`: one node's backward formula run outside a backward pass.

use super::errors::guarded;
use crate::autograd::engine::accumulate_leaf;
use crate::autograd::node::{BackwardCtx, NodeKind};
use crate::autograd::{is_grad_enabled, NodeRef};
use crate::tensor::Tensor;
use pyo3::exceptions::PyTypeError;
use pyo3::PyResult;

/// The input gradients of `node` for the output gradients `grads` (None for an
/// `AccumulateGrad`, which adds the gradient into its leaf's `.grad` instead).
pub fn call_node(
    node: &NodeRef,
    grads: Vec<Option<Tensor>>,
) -> PyResult<Option<Vec<Option<Tensor>>>> {
    let n = node.node();
    let expected = n.outputs.len();
    if grads.len() != expected {
        return Err(PyTypeError::new_err(format!(
            "expected {expected} arguments, got {} instead",
            grads.len()
        )));
    }
    match &n.kind {
        NodeKind::AccumulateGrad(meta) => {
            if let Some(g) = grads.into_iter().next().flatten() {
                guarded("AccumulateGrad", || {
                    accumulate_leaf(meta, g, is_grad_enabled())
                })?;
            }
            Ok(None)
        }
        NodeKind::Empty => Ok(Some(vec![None; n.next_edges.len()])),
        NodeKind::Function(f) => {
            if grads.iter().all(Option::is_none) {
                return Ok(Some(vec![None; n.next_edges.len()]));
            }
            guarded(n.name(), || {
                let saved = n.unpack_saved(node)?;
                let defined = grads.iter().map(Option::is_some).collect();
                let grads = grads
                    .into_iter()
                    .zip(&n.outputs)
                    .map(|(g, m)| match g {
                        Some(g) => Ok(g),
                        None => Tensor::zeros(&m.shape, m.dtype),
                    })
                    .collect::<crate::error::Result<_>>()?;
                let mut ctx = BackwardCtx {
                    grads,
                    defined,
                    saved,
                    needs_input_grad: n.next_edges.iter().map(Option::is_some).collect(),
                };
                let mut out = f(&mut ctx)?;
                // an input without an edge gets no gradient, as in PyTorch
                for (g, e) in out.iter_mut().zip(&n.next_edges) {
                    if e.is_none() {
                        *g = None;
                    }
                }
                Ok(Some(out))
            })
        }
    }
}
