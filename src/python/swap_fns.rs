//! `torch.utils.swap_tensors`' core: exchanging what two tensor objects hold.

use super::tensor::{swap_contents, PyTensor};
use pyo3::prelude::*;
use std::sync::Arc;

/// Swaps the tensors two objects stand for; each object keeps its identity.
#[pyfunction]
fn _swap_tensor_impl(a: &Bound<'_, PyTensor>, b: &Bound<'_, PyTensor>) -> PyResult<()> {
    swap_contents(a, b)
}

/// How many handles share the tensor's implementation, counting a leaf's gradient
/// accumulator while a graph holds it (PyTorch's `_use_count`: its accumulator holds the
/// leaf, ours its metadata, and the tensor's own cache of it is not a use).
#[pyfunction]
fn _use_count(t: &Bound<'_, PyTensor>) -> usize {
    let me = t.borrow();
    let handles = Arc::strong_count(&me.raw.0);
    let Some(meta) = me.raw.meta_if_any() else {
        return handles;
    };
    let (weak, cached) = {
        let s = meta.state.lock();
        (s.grad_accumulator, s.cached_accumulator.is_some() as u32)
    };
    // the upgraded handle is one more hold
    let graph_holds = weak
        .and_then(|weak| weak.upgrade())
        .is_some_and(|node| node.strong_count() > 1 + cached);
    handles + graph_holds as usize
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_swap_tensor_impl, m)?)?;
    m.add_function(wrap_pyfunction!(_use_count, m)?)?;
    Ok(())
}
