//! In-place ops: compute the result, write it into the tensor's storage, bump the
//! version counter, and make the op's node the tensor's new history.

use super::cast::copy_raw;
use crate::autograd::arena::NodeRef;
use crate::autograd::node::{EdgeSlots, NodeKind, OutputMeta, SavedList};
use crate::autograd::record::{gradient_edge, record_node, set_history};
use crate::autograd::{is_grad_enabled, needs_grad, record};
use crate::autograd::{BackwardCtx, Node};
use crate::error::{Error, Result};
use crate::tensor::Layout;
use crate::tensor::Tensor;
use std::sync::Arc;

/// PyTorch's refusal to modify a leaf that requires grad while recording.
pub fn check_inplace(t: &Tensor) -> Result<()> {
    if !is_grad_enabled() {
        return Ok(());
    }
    if t.requires_grad() || t.view_base().is_some_and(Tensor::requires_grad) {
        crate::tensor::view_creation::check_rebase(t)?;
    }
    // PyTorch looks at the view's base first
    if let Some(base) = t.view_base() {
        if base.is_leaf() && base.requires_grad() {
            return Err(Error::runtime(
                "a view of a leaf Variable that requires grad is being used in an in-place operation.",
            ));
        }
    }
    if t.is_leaf() && t.requires_grad() {
        return Err(Error::runtime(
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    Ok(())
}

/// After an in-place op gave the view `t` a new history, makes the base's history
/// `CopySlices` (old base outside the view, `t`'s new values inside) and re-derives
/// `t` as a view of the new base (`AsStridedBackward0`).
pub fn rebase_view(t: &Tensor) -> Result<()> {
    rebase_view_after(t, None)
}

/// `rebase_view` after an in-place op whose node replaced `old_history` (the view's
/// history before the op, when known): then `CopySlices` wraps the op's node as
/// PyTorch's does, taking the base's old history and the op's other inputs as its
/// inputs, and runs the op's formula on the slice of the gradient.
fn rebase_view_after(t: &Tensor, old_history: Option<&Option<(NodeRef, u32)>>) -> Result<()> {
    let Some(base) = t.view_base() else {
        return Ok(());
    };
    if !is_grad_enabled() || !(base.requires_grad() || t.requires_grad()) {
        return Ok(());
    }
    // the op made a view that does not allow rebasing require grad (a no_grad view of a
    // plain tensor written with one that requires grad): PyTorch refuses it here
    if !base.requires_grad() {
        crate::tensor::view_creation::check_rebase_without_history(t)?;
    }
    // `t`'s history is the in-place op's node now, not a stale one to regenerate.
    t.mark_view_history_current();
    let base_history = history_of(base);
    let old_base = base.detached_with_history();
    let view_now = t.detached_with_history();
    let pairs = super::view_history::is_pairs_view(base, t);
    let space = super::view_history::index_space(base, t);
    let (lb, lv) = (space.layout().clone(), t.layout().clone());
    let storage_len = base.storage().len();
    let (bshape, bdtype) = (base.shape().to_vec(), base.dtype());
    let (vshape, vdtype) = (t.shape().to_vec(), t.dtype());
    let metas = vec![OutputMeta {
        shape: bshape.as_slice().into(),
        dtype: bdtype,
    }];
    let positions = super::view_history::view_positions(base, t)?;
    // the wrapped op's formula would see the view's stored values, not its lazy ones
    let wrapped = old_history.filter(|_| t.lazy_bits() == 0);
    if let Some(op) = wrapped.and_then(|old| wrapped_op(t, old)) {
        let masks = (lb.clone(), lv.clone(), storage_len);
        let node = wrapping_copy_slices(
            &old_base,
            op,
            metas,
            masks,
            positions.clone(),
            (&vshape, pairs),
        );
        set_history(base.meta(), &node, 0);
        follow_new_history(base, base_history);
        let view_node = super::view_history::as_strided_node(base, t, positions);
        set_history(t.meta(), &view_node, 0);
        t.mark_view_history_current();
        return Ok(());
    }
    let (lb1, lv1, p1) = (lb.clone(), lv.clone(), positions.clone());
    let bits = t.lazy_bits();
    let node = record_node(
        "CopySlices",
        &[&old_base, &view_now],
        metas,
        vec![],
        move |ctx| {
            let g = &if pairs {
                super::view_history::to_pairs(ctx.grad())?
            } else {
                ctx.grad().clone()
            };
            let outside = if ctx.needs(0) {
                let ones =
                    Tensor::full_scalar(g.shape(), crate::tensor::Scalar::Int(1), g.dtype())?;
                let mask = through_storage(&ones, &lb1, &lb1, Some(&lv1), storage_len)?;
                let kept = super::binary::mul(g, &mask)?;
                Some(if pairs {
                    super::view_history::from_pairs(&kept)?
                } else {
                    kept
                })
            } else {
                None
            };
            let inside = if ctx.needs(1) {
                let r = super::lazy_views::through_bits(&super::index::take(g, &p1)?, bits)?;
                Some(super::reduce_grad(&r, &vshape, vdtype)?)
            } else {
                None
            };
            Ok(vec![outside, inside])
        },
    );
    set_history(base.meta(), &node, 0);
    follow_new_history(base, base_history);
    let view_node = super::view_history::as_strided_node(base, t, positions);
    set_history(t.meta(), &view_node, 0);
    t.mark_view_history_current();
    Ok(())
}

/// The in-place op's node now heading the view `t`, when its first input is the view's
/// history before the op (`old`), so that `CopySlices` can stand in for that input.
fn wrapped_op(t: &Tensor, old: &Option<(NodeRef, u32)>) -> Option<NodeRef> {
    let node = t.meta_if_any()?.state.lock().grad_fn.clone()?;
    let n = node.node();
    if !matches!(n.kind, NodeKind::Function(_)) || n.outputs.len() != 1 {
        return None;
    }
    let same = match (n.next_edges.first()?, old) {
        (None, None) => true,
        (Some(e), Some((o, nr))) => e.node.ptr_eq(o) && e.input_nr == *nr,
        _ => false,
    };
    same.then_some(node)
}

/// PyTorch's `CopySlices` around the in-place op node `op`: inputs are the base's old
/// history and `op`'s inputs after the first; the base's gradient is the incoming one
/// outside the view and `op`'s gradient for its first input inside it.
fn wrapping_copy_slices(
    old_base: &Tensor,
    op: NodeRef,
    metas: Vec<OutputMeta>,
    (lb, lv, storage_len): (Layout, Layout, usize),
    positions: Tensor,
    (vshape, pairs): (&[usize], bool),
) -> NodeRef {
    let mut edges: EdgeSlots = smallvec::smallvec![gradient_edge(old_base)];
    edges.extend(op.node().next_edges.iter().skip(1).cloned());
    let mut bshape = metas[0].shape.to_vec();
    if pairs {
        bshape.push(2);
    }
    let vshape = vshape.to_vec();
    let backward = move |ctx: &mut BackwardCtx| -> Result<Vec<Option<Tensor>>> {
        let g = if pairs {
            super::view_history::to_pairs(ctx.grad())?
        } else {
            ctx.grad().clone()
        };
        let NodeKind::Function(formula) = &op.node().kind else {
            return Err(Error::runtime(
                "CopySlices: the wrapped node has no formula",
            ));
        };
        let slice = super::view::reshape_to(&super::index::take(&g, &positions)?, &vshape)?;
        let mut inner = BackwardCtx {
            grads: smallvec::smallvec![slice],
            defined: smallvec::smallvec![true],
            saved: op.node().unpack_saved(&op)?,
            needs_input_grad: ctx.needs_input_grad.clone(),
        };
        let mut grads = formula(&mut inner)?;
        grads.resize(ctx.needs_input_grad.len(), None);
        grads[0] = if ctx.needs(0) {
            let ones = Tensor::full_scalar(g.shape(), crate::tensor::Scalar::Int(1), g.dtype())?;
            let outside = super::binary::mul(
                &g,
                &through_storage(&ones, &lb, &lb, Some(&lv), storage_len)?,
            )?;
            let whole = match grads[0].take() {
                Some(inside) => {
                    let inside = super::index::index_add_flat(&bshape, &positions, &inside)?;
                    super::binary::add(&outside, &inside)?
                }
                None => outside,
            };
            Some(if pairs {
                super::view_history::from_pairs(&whole)?
            } else {
                whole
            })
        } else {
            None
        };
        Ok(grads)
    };
    NodeRef::new(Node::new(
        "CopySlices",
        edges,
        NodeKind::Function(Box::new(backward)),
        SavedList::new(),
        metas,
    ))
}

/// Writes `values` into a scratch copy of the storage through `write`, optionally
/// zeroes `blank`, and reads back through `read`: moves gradients between a base's
/// and a view's index spaces for any strides.
/// Row-major positions in a contiguous base of the view's elements, read off the two
/// layouts (no pass over the whole base); None when the base is not contiguous or the
/// view reaches outside it.
pub(crate) fn view_positions_in_contiguous(
    base: &Layout,
    view: &Layout,
    numel: usize,
) -> Option<Vec<i64>> {
    if !base.is_contiguous() {
        return None;
    }
    view.offsets()
        .into_iter()
        .map(|o| {
            let p = o.checked_sub(base.offset)?;
            (p < numel).then_some(p as i64)
        })
        .collect()
}

pub(crate) fn through_storage(
    values: &Tensor,
    write: &Layout,
    read: &Layout,
    blank: Option<&Layout>,
    len: usize,
) -> Result<Tensor> {
    let scratch = Tensor::zeros(&[len], values.dtype())?;
    copy_raw(&scratch.view_with_layout(write.clone()), values)?;
    if let Some(b) = blank {
        copy_raw(
            &scratch.view_with_layout(b.clone()),
            &Tensor::zeros(&[], values.dtype())?,
        )?;
    }
    super::cast::clone_detached(&scratch.view_with_layout(read.clone()))
}

/// Runs `op` on (a stand-in for) `t` and writes the result back into `t`.
/// `op_saves_self` says whether the op's backward needs `t`'s old values; then it gets
/// a private copy, since `t`'s storage is about to change.
pub fn apply_inplace(
    t: &Tensor,
    name: &str,
    op_saves_self: bool,
    op: impl FnOnce(&Tensor) -> Result<Tensor>,
) -> Result<()> {
    check_inplace(t)?;
    check_no_internal_overlap(t, name)?;
    let old_history = history_of(t);
    let input = if t.lazy_bits() != 0 {
        // the op reads the view's values: a resolved copy carrying its history
        t.copy_with_history()
    } else if !is_grad_enabled() {
        t.clone()
    } else if op_saves_self {
        t.copy_with_history()
    } else {
        t.detached_with_history()
    };
    let result = op(&input)?;
    // PyTorch compares shapes before dtypes
    if result.shape() != t.shape() {
        return Err(Error::output_shape_mismatch(t.shape(), result.shape()));
    }
    if result.dtype().category() > t.dtype().category() {
        return Err(Error::output_cast(result.dtype(), t.dtype()));
    }
    copy_raw(t, &result)?;
    t.note_inplace_write(name);
    if let Some(node) = result.grad_fn() {
        let nr = result.meta().state.lock().output_nr;
        for saved in node.node().saved.lock().tensors.iter_mut() {
            saved.rebind_output(&result, t);
        }
        set_history(t.meta(), &node, nr);
    }
    rebase_view_after(t, Some(&old_history))?;
    follow_new_history(t, old_history);
    Ok(())
}

/// PyTorch's refusal to write elementwise into a tensor whose elements share memory (a
/// dim of stride 0, as an `expand`ed one); fills write one value and are let through.
fn check_no_internal_overlap(t: &Tensor, name: &str) -> Result<()> {
    const FILLS: [&str; 4] = ["fill_", "zero_", "masked_fill_", "index_fill_"];
    // an empty tensor has no element to write twice
    let overlaps = t.numel() > 0
        && t.shape()
            .iter()
            .zip(t.strides())
            .any(|(&n, &s)| s == 0 && n > 1);
    if overlaps && !FILLS.contains(&name) {
        return Err(Error::runtime(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
        ));
    }
    Ok(())
}

/// `t`'s grad_fn and output number, when grad mode records in-place ops.
pub(crate) fn history_of(t: &Tensor) -> Option<(NodeRef, u32)> {
    if !is_grad_enabled() {
        return None;
    }
    let meta = t.meta_if_any()?;
    let s = meta.state.lock();
    s.grad_fn.clone().map(|node| (node, s.output_nr))
}

/// PyTorch's bookkeeping when an in-place op gives `t` a new grad_fn: `retain_grad`
/// moves to the new node (`.grad` is the gradient of the new values); the hooks
/// registered on a view stay on its old node, which PyTorch's `CopySlices` never runs.
/// Ours runs that node within the base's gradient, so those hooks are dropped here.
/// Makes `node`'s output `nr` the history of `t`, which an op just wrote in place
/// without recording (a node composed in Python), as `apply_inplace` does for its op.
pub fn take_over_history(t: &Tensor, node: &NodeRef, nr: u32) -> Result<()> {
    let old_history = history_of(t);
    set_history(t.meta(), node, nr);
    rebase_view_after(t, Some(&old_history))?;
    follow_new_history(t, old_history);
    Ok(())
}

pub(crate) fn follow_new_history(t: &Tensor, old_history: Option<(NodeRef, u32)>) {
    let (Some((old, old_nr)), Some(meta)) = (old_history, t.meta_if_any()) else {
        return;
    };
    let (new, new_nr, retains) = {
        let s = meta.state.lock();
        (s.grad_fn.clone(), s.output_nr, s.retains_grad)
    };
    let Some(new) = new.filter(|n| !n.ptr_eq(&old)) else {
        return;
    };
    if let Some(extras) = old.node().extras_if_any() {
        let mut hooks = extras.hooks.lock();
        if retains {
            hooks.retained.retain(|(nr, weak)| {
                *nr != old_nr || !weak.upgrade().is_some_and(|m| Arc::ptr_eq(&m, meta))
            });
        }
        if t.view_base().is_some() {
            hooks.tensor_pre_hooks.retain(|(_, nr, _)| *nr != old_nr);
        }
    }
    if retains {
        new.node()
            .extras()
            .hooks
            .lock()
            .retained
            .push((new_nr, Arc::downgrade(meta)));
    }
}

/// Zeros shaped like `t`, recorded as `ZeroBackward0` (the old values get no gradient).
pub fn zero_result(t: &Tensor) -> Result<Tensor> {
    let out = Tensor::zeros(t.shape(), t.dtype())?;
    if needs_grad(&[t]) {
        record("ZeroBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(super::creation::zeros_like(ctx.grad())?)])
        });
    }
    Ok(out)
}

/// `value` broadcast over `t`: `FillBackward2` for a number, `FillBackward3` for a
/// 0-dim tensor (which receives the summed gradient).
/// PyTorch's overflow check of a Python number filling a tensor: one-element float16
/// and bfloat16 tensors skip it (their fill takes another path in PyTorch).
pub fn check_fill_value(
    value: crate::tensor::Scalar,
    dtype: crate::tensor::DType,
    numel: usize,
) -> Result<()> {
    use crate::tensor::DType;
    if numel == 1 && matches!(dtype, DType::F16 | DType::BF16) {
        return Ok(());
    }
    if dtype == DType::C32 && numel != 1 {
        // PyTorch fills complex32 through complex<float>: only that range overflows
        // (a one-element fill converts to complex<Half> itself)
        return value.check_fits(DType::C64);
    }
    value.check_fits(dtype)
}

pub fn fill_result(t: &Tensor, value: &Tensor) -> Result<Tensor> {
    let v = if value.dtype() == t.dtype() {
        value.clone()
    } else {
        super::cast::cast_raw(value, t.dtype())
    };
    let complex = t.dtype().is_complex() || value.dtype().is_complex();
    if value.is_wrapped_number() && !value.dtype().is_complex() {
        check_fill_value(value.item()?, t.dtype(), t.numel())?;
    }
    let out = if complex {
        let sizes: Vec<i64> = t.shape().iter().map(|&s| s as i64).collect();
        super::cast::clone_detached(&super::view::expand(&v.detached(), &sizes)?)?
    } else {
        Tensor::full_scalar(t.shape(), v.item()?, t.dtype())?
    };
    if value.is_wrapped_number() {
        if needs_grad(&[t]) {
            record("FillBackward2", &[t], &[&out], vec![], |ctx| {
                Ok(vec![Some(super::creation::zeros_like(ctx.grad())?)])
            });
        }
    } else if needs_grad(&[t, value]) {
        let vdtype = value.dtype();
        record("FillBackward3", &[t, value], &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let gv = if ctx.needs(1) {
                Some(super::to_dtype(&super::sum(g, None, false, None)?, vdtype)?)
            } else {
                None
            };
            Ok(vec![Some(super::creation::zeros_like(g)?), gv])
        });
    }
    Ok(out)
}

/// `src` broadcast and cast to `t`'s shape and dtype, recorded as `CopyBackwards`.
pub fn copy_result(t: &Tensor, src: &Tensor) -> Result<Tensor> {
    let out = Tensor::zeros(t.shape(), t.dtype())?;
    copy_raw(&out, src)?;
    // an integer or bool destination cannot carry a gradient (PyTorch records nothing)
    let differentiable = t.dtype().is_floating() || t.dtype().is_complex();
    if differentiable && needs_grad(&[t, src]) {
        let (shape, dtype) = (src.shape().to_vec(), src.dtype());
        record("CopyBackwards", &[t, src], &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let gs = if ctx.needs(1) {
                Some(super::reduce_grad(g, &shape, dtype)?)
            } else {
                None
            };
            Ok(vec![Some(super::creation::zeros_like(g)?), gs])
        });
    }
    Ok(out)
}
