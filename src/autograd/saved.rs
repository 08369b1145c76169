//! Tensors a node keeps for its backward formula, with the version they had.
//!
//! A node that saves its own output must not hold that output's `grad_fn` (itself):
//! the output is saved without history and re-attached to the node when unpacked.
//!
//! A tensor handed to saved-tensor hooks is not kept (the hooks own what they packed,
//! as in PyTorch, so that e.g. checkpointing frees activations): the node keeps a
//! data-less stand-in of its shape and dtype, and the edge the tensor's gradient took,
//! so that what `unpack` returns is re-attached to that history (double backward
//! through hooked tensors reaches the same leaves).

use super::arena::NodeRef;
use super::node::{Edge, NodeKind};
use super::record::gradient_edge;
use super::saved_hooks::{self, PackedTensor};
use crate::error::{Error, Result};
use crate::tensor::detached_parts::DetachedParts;
use crate::tensor::layout::{format_shape, Layout};
use crate::tensor::{Storage, Tensor};
use std::sync::Arc;

pub struct SavedTensor {
    held: Held,
    version: u64,
    is_output: bool,
    /// Which output of the node it is (re-attached with this number).
    output_nr: u32,
}

impl SavedTensor {
    /// Saves an input of the op (it keeps its own history).
    pub fn input(t: &Tensor) -> SavedTensor {
        SavedTensor {
            held: Held::Tensor(t.clone()),
            version: t.version(),
            is_output: false,
            output_nr: 0,
        }
    }

    /// Saves the op's own (first) output without its grad_fn.
    pub fn output(t: &Tensor) -> SavedTensor {
        SavedTensor::output_nr(t, 0)
    }

    /// Saves output number `nr` of a multi-output op without its grad_fn.
    pub fn output_nr(t: &Tensor, nr: u32) -> SavedTensor {
        SavedTensor {
            held: Held::output(t),
            version: t.version(),
            is_output: true,
            output_nr: nr,
        }
    }

    /// Hands the tensor to the active saved-tensor hooks, if any (a node being made).
    pub(crate) fn pack_with_active_hooks(&mut self) {
        if self.is_packed() {
            return;
        }
        let tensor = self.tensor();
        // a Python number is a scalar to PyTorch's nodes, never a saved tensor
        if !tensor.is_wrapped_number() {
            if let Some(packed) = saved_hooks::pack(&tensor) {
                self.set_packed(packed);
            }
        }
    }

    /// An in-place op computed `result` out of place and wrote it into `target`: a saved
    /// output that is `result` now stands for `target` at its current version, so that
    /// writing into `target` again makes backward fail, as PyTorch's in-place node does.
    pub fn rebind_output(&mut self, result: &Tensor, target: &Tensor) {
        if self.is_output && self.held.shares_storage(result) {
            self.held = Held::output(target);
            self.version = target.version();
        }
    }

    /// Whether hooks packed this tensor (the active pair when saved, or `register_hooks`).
    pub fn is_packed(&self) -> bool {
        matches!(self.held, Held::Packed { .. })
    }

    /// Keeps what a `pack` hook made of this tensor, and lets go of the tensor itself;
    /// `unpack` gives it back from now on.
    pub fn set_packed(&mut self, packed: Arc<dyn PackedTensor>) {
        let tensor = self.tensor();
        let requires_grad = tensor.meta_if_any().is_some_and(|m| m.requires_grad());
        let history = match !self.is_output && requires_grad {
            true => gradient_edge(&tensor),
            false => None,
        };
        self.held = Held::Packed {
            packed,
            stand_in: stand_in(&tensor),
            history,
        };
    }

    /// Whether `tensor()` is what `unpack` would give back: no hooks packed it and it
    /// was not written since it was saved.
    pub(crate) fn is_current(&self) -> bool {
        !self.is_packed() && self.held.version() == self.version
    }

    /// The saved tensor as stored (for inspection: graph pictures); a saved output
    /// comes as a fresh detached tensor each time.
    pub fn tensor(&self) -> Tensor {
        self.held.tensor()
    }

    /// Whether the saved tensor was made in inference mode.
    pub fn is_inference(&self) -> bool {
        match &self.held {
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => t.is_inference(),
            Held::Output(parts) => parts.is_inference(),
        }
    }

    /// The storage and offset of the saved tensor's first element, with its rank and
    /// dtype (the scalar engine reads 0-dim saved values without making a tensor).
    pub(crate) fn scalar_data(&self) -> (&Arc<Storage>, usize, usize, crate::tensor::DType) {
        match &self.held {
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => {
                (t.storage(), t.layout().offset, t.ndim(), t.dtype())
            }
            Held::Output(parts) => (parts.storage(), parts.offset(), parts.ndim(), parts.dtype()),
        }
    }

    /// The bytes this node holds for the tensor (none once hooks packed it).
    pub fn nbytes(&self) -> usize {
        match &self.held {
            Held::Tensor(t) => t.numel() * t.dtype().size_in_bytes(),
            Held::Output(parts) => parts.numel() * parts.dtype().size_in_bytes(),
            Held::Packed { .. } => 0,
        }
    }

    pub fn unpack(&self, node: &NodeRef, node_name: &str) -> Result<Tensor> {
        if let Held::Packed {
            packed, history, ..
        } = &self.held
        {
            // what the hooks kept is theirs: PyTorch checks no version then
            let data = packed.unpack()?;
            return Ok(if self.is_output {
                self.reattached_output(data.detached(), node)
            } else {
                on_history(&data, history.as_ref())
            });
        }
        let now = self.held.version();
        if now != self.version {
            let tensor = &self.tensor();
            let what = format!(
                "[{} {}]",
                tensor.dtype().type_string(),
                format_shape(tensor.shape())
            );
            let origin = if self.is_output {
                format!(
                    ", which is output {} of {},",
                    self.output_nr,
                    op_name(node_name)
                )
            } else {
                match tensor.meta().grad_fn() {
                    Some(f) => format!(", which is output 0 of {},", op_name(f.node().name())),
                    None => String::new(),
                }
            };
            let culprit = match tensor.last_inplace_write() {
                Some(w) => format!(" It was last modified in place by {w}."),
                None => String::new(),
            };
            let hint = if crate::autograd::mode::is_anomaly_enabled() {
                "Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"
            } else {
                "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with ferrograd.autograd.set_detect_anomaly(True, check_nan=False)."
            };
            return Err(Error::runtime(format!(
                "one of the variables needed for gradient computation has been modified by an inplace operation: {what}{origin} is at version {now}; expected version {} instead.{culprit} {hint}",
                self.version
            )));
        }
        match &self.held {
            Held::Output(parts) => Ok(self.reattached_output(parts.tensor(), node)),
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => Ok(t.clone()),
        }
    }

    /// `t` (a fresh tensor without history) standing for this saved output: with `node`
    /// as its grad_fn when the backward formula records a graph (create_graph).
    fn reattached_output(&self, t: Tensor, node: &NodeRef) -> Tensor {
        if crate::autograd::is_grad_enabled() {
            let mut state = t.meta().state.lock();
            state.grad_fn = Some(node.clone());
            state.output_nr = self.output_nr;
        }
        t
    }
}

/// What a node holds of a saved tensor.
enum Held {
    /// An input (it keeps its own history).
    Tensor(Tensor),
    /// The node's own output as the parts of its detached copy: a `TensorImpl` is made
    /// only when `unpack` or an inspection asks for the tensor.
    Output(DetachedParts),
    /// What the active (or a registered) `pack` hook made of the tensor, which is let
    /// go: `stand_in` shows its shape and dtype; for a packed input that required grad,
    /// `history` is where its gradient went.
    Packed {
        packed: Arc<dyn PackedTensor>,
        stand_in: Tensor,
        history: Option<Edge>,
    },
}

impl Held {
    fn output(t: &Tensor) -> Held {
        Held::Output(t.detached_parts())
    }

    fn tensor(&self) -> Tensor {
        match self {
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => t.clone(),
            Held::Output(parts) => parts.tensor(),
        }
    }

    fn version(&self) -> u64 {
        match self {
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => t.version(),
            Held::Output(parts) => parts.version(),
        }
    }

    fn shares_storage(&self, other: &Tensor) -> bool {
        match self {
            Held::Tensor(t) | Held::Packed { stand_in: t, .. } => t.shares_storage(other),
            Held::Output(parts) => parts.storage().same_memory(other.storage()),
        }
    }
}

/// `data` without its own history, taking `history` (a non-leaf's grad_fn, or a leaf's
/// grad accumulator) when given: PyTorch's unpacked saved variable.
fn on_history(data: &Tensor, history: Option<&Edge>) -> Tensor {
    let t = data.detached();
    if let Some(edge) = history {
        let mut state = t.meta().state.lock();
        if matches!(edge.node.node().kind, NodeKind::AccumulateGrad(_)) {
            state.requires_grad = true;
            state.grad_accumulator = Some(edge.node.downgrade());
            state.cached_accumulator = Some(edge.node.clone());
        } else {
            state.grad_fn = Some(edge.node.clone());
            state.output_nr = edge.input_nr;
        }
    }
    t
}

/// A tensor of `t`'s shape and dtype over one zero element (what a node shows of a
/// saved tensor that hooks packed).
fn stand_in(t: &Tensor) -> Tensor {
    let strides = smallvec::smallvec![0; t.ndim()];
    let layout = Layout {
        shape: t.shape().into(),
        strides,
        offset: 0,
    };
    match Tensor::zeros(&[1], t.dtype()) {
        Ok(one) => one.view_with_layout(layout),
        Err(_) => t.clone(),
    }
}

/// A node's name as PyTorch's saved-tensor error names it: `ExpBackward0` is `Exp`.
fn op_name(node_name: &str) -> &str {
    let trimmed = node_name.trim_end_matches(|c: char| c.is_ascii_digit());
    trimmed.strip_suffix("Backward").unwrap_or(node_name)
}
