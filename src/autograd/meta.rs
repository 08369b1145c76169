//! Autograd metadata of one tensor: whether it requires grad, its grad_fn (for
//! non-leaves), its accumulated `.grad`, hooks, and its grad accumulator (for leaves).

use super::arena::{NodeRef, WeakNodeRef};
use crate::error::Result;
use crate::tensor::Tensor;
use parking_lot::Mutex;
use std::sync::Arc;

/// A hook on a tensor's gradient: may return a replacement gradient.
pub type TensorHook = Arc<dyn Fn(&Tensor) -> Result<Option<Tensor>> + Send + Sync>;

#[derive(Default)]
pub struct MetaState {
    /// For leaves: whether gradients accumulate into `.grad`.
    pub requires_grad: bool,
    pub grad_fn: Option<NodeRef>,
    pub output_nr: u32,
    pub grad: Option<Tensor>,
    pub retains_grad: bool,
    /// Hooks of a leaf (a non-leaf's hooks live on its grad_fn node).
    pub hooks: Vec<(u64, TensorHook)>,
    pub grad_accumulator: Option<WeakNodeRef>,
    /// The leaf tensor this metadata belongs to (for `AccumulateGrad.variable`).
    pub owner: Option<std::sync::Weak<crate::tensor::TensorImpl>>,
}

#[derive(Default)]
pub struct AutogradMeta {
    pub state: Mutex<MetaState>,
    /// Held across a leaf's read-add-write of `.grad`, so that backward passes running
    /// in several threads into one leaf lose no gradient.
    pub accumulating: Mutex<()>,
}

impl AutogradMeta {
    pub fn requires_grad(&self) -> bool {
        let s = self.state.lock();
        s.requires_grad || s.grad_fn.is_some()
    }

    pub fn grad_fn(&self) -> Option<NodeRef> {
        self.state.lock().grad_fn.clone()
    }

    pub fn is_leaf(&self) -> bool {
        self.state.lock().grad_fn.is_none()
    }

    pub fn grad(&self) -> Option<Tensor> {
        self.state.lock().grad.clone()
    }

    pub fn set_grad(&self, grad: Option<Tensor>) {
        let old = std::mem::replace(&mut self.state.lock().grad, grad);
        drop(old);
    }
}
