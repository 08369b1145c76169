//! Recording a node for an op's outputs.

use super::arena::NodeRef;
use super::meta::AutogradMeta;
use super::mode::records_history;
use super::node::{
    BackwardCtx, Edge, EdgeSlots, Node, NodeKind, OutputMeta, OutputSlots, SavedArg, SavedArgs,
    SavedList, ScalarRule,
};
use crate::error::Result;
use crate::tensor::Tensor;
use std::sync::Arc;

/// Whether an op on these inputs must record a node.
pub fn needs_grad(inputs: &[&Tensor]) -> bool {
    // the flags first: reading the mode is a thread-local lookup, a no-grad op skips it
    inputs.iter().any(|t| t.requires_grad()) && records_history()
}

/// The edge a gradient for `t` flows along: its grad_fn, or its leaf accumulator.
pub fn gradient_edge(t: &Tensor) -> Option<Edge> {
    t.sync_view_history();
    let meta = t.meta();
    let mut s = meta.state.lock();
    if let Some(f) = &s.grad_fn {
        return Some(Edge {
            node: f.clone(),
            input_nr: s.output_nr,
        });
    }
    if !s.requires_grad {
        return None;
    }
    let owned = s
        .owner
        .as_ref()
        .is_some_and(|w| std::ptr::eq(w.as_ptr(), std::sync::Arc::as_ptr(&t.0)));
    if !owned {
        s.owner = Some(std::sync::Arc::downgrade(&t.0));
    }
    if let Some(acc) = &s.cached_accumulator {
        return Some(Edge {
            node: acc.clone(),
            input_nr: 0,
        });
    }
    let node = match s.grad_accumulator.and_then(|w| w.upgrade()) {
        Some(acc) => acc,
        None => {
            let node = NodeRef::new(Node::new(
                "AccumulateGrad",
                EdgeSlots::new(),
                NodeKind::AccumulateGrad(meta.clone()),
                SavedList::new(),
                smallvec::smallvec![OutputMeta {
                    shape: crate::tensor::layout::Dims::from_slice(t.shape()),
                    dtype: t.dtype(),
                }] as OutputSlots,
            ));
            s.grad_accumulator = Some(node.downgrade());
            node
        }
    };
    s.cached_accumulator = Some(node.clone());
    Some(Edge { node, input_nr: 0 })
}

/// Keeps the non-tensor arguments of the node that made `out` (its `_saved_*`).
pub fn save_args(out: &Tensor, args: SavedArgs) {
    if let Some(node) = out.meta_if_any().and_then(|m| m.grad_fn()) {
        *node.node().extras().saved_args.lock() = args;
    }
}

/// `save_args` when `out` was just made by a node named `name` (ops whose result may be
/// an input returned as it is).
pub fn save_args_for(out: &Tensor, name: &str, args: impl FnOnce() -> SavedArgs) {
    if let Some(node) = out.meta_if_any().and_then(|m| m.grad_fn()) {
        if node.node().name() == name {
            *node.node().extras().saved_args.lock() = args();
        }
    }
}

/// `t`'s sizes as a `_saved_self_sym_sizes` argument.
pub fn sizes_arg(t: &Tensor) -> SavedArg {
    SavedArg::Ints(t.shape().iter().map(|&d| d as i64).collect())
}

/// `t`'s strides as a `_saved_self_sym_strides` argument.
pub fn strides_arg(t: &Tensor) -> SavedArg {
    SavedArg::Ints(t.strides().iter().map(|&d| d as i64).collect())
}

/// Marks the node that made `out` as keeping tensors in its `saved_args`.
pub fn mark_args_hold_tensors(out: &Tensor) {
    if let Some(node) = out.meta_if_any().and_then(|m| m.grad_fn()) {
        node.node().saved.lock().args_hold_tensors = true;
    }
}

/// Records one node whose backward is `backward`, and makes it the grad_fn of `outputs`.
pub fn record<F>(
    name: &'static str,
    inputs: &[&Tensor],
    outputs: &[&Tensor],
    saved: impl Into<SavedList>,
    backward: F,
) where
    F: Fn(&mut BackwardCtx) -> Result<Vec<Option<Tensor>>> + Send + Sync + 'static,
{
    record_with_rule(name, inputs, outputs, saved, ScalarRule::None, backward)
}

/// `record` for a node whose closure computes `rule` when its operands and output are
/// 0-dim float tensors of one dtype (the backward engine may then run `rule` instead).
pub fn record_with_rule<F>(
    name: &'static str,
    inputs: &[&Tensor],
    outputs: &[&Tensor],
    saved: impl Into<SavedList>,
    rule: ScalarRule,
    backward: F,
) where
    F: Fn(&mut BackwardCtx) -> Result<Vec<Option<Tensor>>> + Send + Sync + 'static,
{
    let metas: OutputSlots = match outputs {
        // the usual single output, without `collect`'s generic reserve-and-extend
        [out] => OutputSlots::from_buf([output_meta(out)]),
        _ => outputs.iter().map(|t| output_meta(t)).collect(),
    };
    let node = record_node_with_rule(name, inputs, metas, saved, rule, backward);
    // the last output takes the handle itself: a clone and a drop fewer per op
    if let Some((last, others)) = outputs.split_last() {
        for (i, out) in others.iter().enumerate() {
            set_history(out.meta(), &node, i as u32);
        }
        attach_history(last, node, others.len() as u32);
    }
}

/// Records a node for outputs described by `metas`, leaving the caller to attach it.
pub fn record_node<F>(
    name: &'static str,
    inputs: &[&Tensor],
    metas: impl Into<OutputSlots>,
    saved: impl Into<SavedList>,
    backward: F,
) -> NodeRef
where
    F: Fn(&mut BackwardCtx) -> Result<Vec<Option<Tensor>>> + Send + Sync + 'static,
{
    record_node_with_rule(name, inputs, metas, saved, ScalarRule::None, backward)
}

fn record_node_with_rule<F>(
    name: &'static str,
    inputs: &[&Tensor],
    metas: impl Into<OutputSlots>,
    saved: impl Into<SavedList>,
    rule: ScalarRule,
    backward: F,
) -> NodeRef
where
    F: Fn(&mut BackwardCtx) -> Result<Vec<Option<Tensor>>> + Send + Sync + 'static,
{
    let edges = input_edges(inputs);
    let node = NodeRef::new(Node::with_rule(
        name,
        edges,
        NodeKind::Function(Box::new(backward)),
        saved,
        metas,
        rule,
    ));
    if super::mode::is_anomaly_enabled() {
        *node.node().extras().creation_trace.lock() = super::mode::creation_trace();
    }
    node
}

fn output_meta(t: &Tensor) -> OutputMeta {
    OutputMeta {
        shape: crate::tensor::layout::Dims::from_slice(t.shape()),
        dtype: t.dtype(),
    }
}

/// The edges to `inputs`' histories; one or two inputs (most ops) fill the inline
/// buffer directly instead of through `collect`'s generic reserve-and-extend.
fn input_edges(inputs: &[&Tensor]) -> EdgeSlots {
    match inputs {
        [a] => EdgeSlots::from_buf_and_len([gradient_edge(a), None], 1),
        [a, b] => EdgeSlots::from_buf([gradient_edge(a), gradient_edge(b)]),
        _ => inputs.iter().map(|t| gradient_edge(t)).collect(),
    }
}

pub(crate) fn set_history(meta: &AutogradMeta, node: &NodeRef, output_nr: u32) {
    attach_history_locked(meta, node.clone(), output_nr);
}

/// Makes `node` the grad_fn of `out`. A fresh result has no metadata yet: it is made
/// with the history in place, without taking its lock.
fn attach_history(out: &Tensor, node: NodeRef, output_nr: u32) {
    if out.meta_if_any().is_none() {
        let made = Arc::new(AutogradMeta::with_history(node, output_nr));
        let Err(made) = out.0.meta.try_set(made) else {
            return;
        };
        // another thread gave `out` metadata meanwhile: move the node over to it
        let node = made.state.lock().grad_fn.take();
        if let Some(node) = node {
            attach_history_locked(out.meta(), node, output_nr);
        }
        return;
    }
    attach_history_locked(out.meta(), node, output_nr);
}

fn attach_history_locked(meta: &AutogradMeta, node: NodeRef, output_nr: u32) {
    let mut s = meta.state.lock();
    s.grad_fn = Some(node);
    s.output_nr = output_nr;
    s.requires_grad = false;
}

impl Tensor {
    /// As in PyTorch, a view of a base that requires grad requires grad too (even one
    /// made in no-grad mode, which has no grad_fn).
    pub fn requires_grad(&self) -> bool {
        self.meta_if_any().is_some_and(|m| m.requires_grad())
            || self.view_base().is_some_and(Tensor::requires_grad)
    }
    pub fn grad_fn(&self) -> Option<NodeRef> {
        self.sync_view_history();
        self.meta_if_any().and_then(|m| m.grad_fn())
    }
    pub fn is_leaf(&self) -> bool {
        self.sync_view_history();
        self.meta_if_any().is_none_or(|m| m.is_leaf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf() -> Tensor {
        let t = Tensor::from_vec(vec![1.0f32, 2.0], &[2]).unwrap();
        t.meta().state.lock().requires_grad = true;
        t
    }

    #[test]
    fn a_leaf_reuses_its_accumulator_after_the_graph_is_gone() {
        let x = leaf();
        let first = gradient_edge(&x).unwrap().node;
        let weak = first.downgrade();
        drop(first);
        let again = gradient_edge(&x).unwrap().node;
        assert!(weak.upgrade().is_some_and(|n| n.ptr_eq(&again)));
    }

    #[test]
    fn the_accumulator_goes_with_its_leaf() {
        let x = leaf();
        let weak = gradient_edge(&x).unwrap().node.downgrade();
        assert!(weak.upgrade().is_some());
        drop(x);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn a_graph_keeps_the_accumulator_of_a_dropped_leaf() {
        let x = leaf();
        let edge = gradient_edge(&x).unwrap();
        let weak = edge.node.downgrade();
        drop(x);
        assert!(weak.upgrade().is_some());
        drop(edge);
        assert!(weak.upgrade().is_none());
    }
}
