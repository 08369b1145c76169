//! The strides of a leaf's `.grad` (PyTorch's AccumulateGrad layout contract): a
//! gradient is stored as it is when it "obeys" the leaf's layout, else copied into the
//! leaf's strides (a dense leaf) or row-major (any other leaf).

use super::mode::GradModeGuard;
use super::record::{needs_grad, record};
use crate::error::Result;
use crate::ops::cast::{cast_into_strides, cast_raw, record_clone};
use crate::tensor::layout::{Layout, Strides};
use crate::tensor::memory_format::is_non_overlapping_and_dense;
use crate::tensor::Tensor;

/// PyTorch's `obeys_layout_contract(grad, variable)`.
fn obeys_layout(grad: &Layout, leaf: &Layout) -> bool {
    if !is_non_overlapping_and_dense(&leaf.shape, &leaf.strides) {
        return grad.is_contiguous();
    }
    (0..grad.ndim()).all(|d| {
        if grad.shape[d] != 1 {
            grad.strides[d] == leaf.strides[d]
        } else {
            grad.strides[d] != 0
        }
    })
}

/// Gives a warning's text to the user (the Python layer warns).
pub type LayoutWarner = fn(&str) -> Result<()>;
static LAYOUT_WARNER: parking_lot::RwLock<Option<LayoutWarner>> = parking_lot::RwLock::new(None);
static LAYOUT_WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn set_layout_warner(f: LayoutWarner) {
    *LAYOUT_WARNER.write() = Some(f);
}

/// PyTorch's warning (once per process) when a gradient summed into a leaf's existing
/// `.grad` does not obey the leaf's layout (a `.grad` the user set with other strides).
pub fn warn_unless_obeys(grad: &Tensor, leaf: &Layout) -> Result<()> {
    use std::sync::atomic::Ordering;
    if obeys_layout(grad.layout(), leaf) || LAYOUT_WARNED.swap(true, Ordering::Relaxed) {
        return Ok(());
    }
    let Some(warn) = *LAYOUT_WARNER.read() else {
        return Ok(());
    };
    let list = |v: Vec<String>| format!("[{}]", v.join(", "));
    let sizes = |t: &[usize]| list(t.iter().map(|d| d.to_string()).collect());
    let strides = |t: &[isize]| list(t.iter().map(|d| d.to_string()).collect());
    warn(&format!(
        "grad and param do not obey the gradient layout contract. This is not an error, but may impair performance.\ngrad.sizes() = {}, strides() = {}\nparam.sizes() = {}, strides() = {}",
        sizes(grad.shape()),
        strides(grad.strides()),
        sizes(&leaf.shape),
        strides(&leaf.strides)
    ))
}

/// The gradient to store as a leaf's first `.grad`: a fresh copy without history, or
/// with `keep_history` (create_graph) a recorded copy, as PyTorch's `clone_obey_contract`:
/// into the leaf's strides (`CopyBackwards`) for a dense leaf, else row-major
/// (`CloneBackward0`). Without history, as PyTorch's AccumulateGrad, a gradient that
/// nothing else references and that obeys the layout is stored itself, not copied.
pub fn first_grad(g: Tensor, leaf: Option<&Layout>, keep_history: bool) -> Result<Tensor> {
    let g = &g;
    let obeys = leaf.is_none_or(|l| obeys_layout(g.layout(), l));
    if !keep_history {
        if obeys && g.is_exclusive() && !g.requires_grad() && g.view_base().is_none() {
            return Ok(g.clone());
        }
        if obeys {
            return Ok(cast_raw(g, g.dtype()));
        }
        let leaf = leaf.expect("checked above");
        return Ok(cast_into_strides(g, g.dtype(), dense_strides(leaf)));
    }
    let _mode = GradModeGuard::new(true);
    match leaf.map(dense_strides) {
        Some(Some(strides)) => {
            let copy = cast_into_strides(g, g.dtype(), Some(strides));
            record_copy(g, copy)
        }
        _ => record_clone(g, cast_into_strides(g, g.dtype(), None)),
    }
}

fn dense_strides(leaf: &Layout) -> Option<Strides> {
    is_non_overlapping_and_dense(&leaf.shape, &leaf.strides).then(|| leaf.strides.clone())
}

/// `empty_strided(..).copy_(g)` as autograd sees it: `CopyBackwards` whose first input
/// (the fresh empty tensor) has no edge.
fn record_copy(g: &Tensor, copy: Tensor) -> Result<Tensor> {
    if needs_grad(&[g]) {
        let blank = Tensor::zeros(&[0], g.dtype())?;
        record("CopyBackwards", &[&blank, g], &[&copy], vec![], |ctx| {
            Ok(vec![None, Some(ctx.grad().clone())])
        });
    }
    Ok(copy)
}
