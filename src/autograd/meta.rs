//! Autograd metadata of one tensor: whether it requires grad, its grad_fn (for
//! non-leaves), its accumulated `.grad`, hooks, and its grad accumulator (for leaves).

use super::arena::{NodeRef, WeakNodeRef};
use crate::error::Result;
use crate::tensor::Tensor;
use parking_lot::{Mutex, MutexGuard};
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// A strong hold on that accumulator while a tensor with this metadata lives, so that
    /// each op on a leaf does not make (and free) a new one. The accumulator holds this
    /// metadata, so the tensor's drop lets go of it (`TensorImpl`'s `Drop`).
    pub cached_accumulator: Option<NodeRef>,
    /// The leaf tensor this metadata belongs to (for `AccumulateGrad.variable`).
    pub owner: Option<std::sync::Weak<crate::tensor::TensorImpl>>,
    /// The tensor whose `.grad` this tensor was when Python last read or assigned it, so
    /// that `t.grad.data = x` can change what `t.grad` holds.
    pub grad_of: Option<std::sync::Weak<AutogradMeta>>,
}

/// `MetaState` behind its mutex, with `requires_grad || grad_fn.is_some()` and
/// `cached_accumulator.is_some()` kept beside it in atomics: every op asks whether its
/// inputs require grad, and every tensor's drop whether it holds an accumulator; neither
/// question should cost a lock. Every change goes through the guard, which stores the
/// flags again before it unlocks.
#[derive(Default)]
pub struct MetaLock {
    state: Mutex<MetaState>,
    flags: MetaFlags,
}

#[derive(Default)]
struct MetaFlags {
    requires_grad: AtomicBool,
    caches_accumulator: AtomicBool,
}

impl MetaFlags {
    fn of(s: &MetaState) -> MetaFlags {
        let flags = MetaFlags::default();
        flags.store(s);
        flags
    }

    fn store(&self, s: &MetaState) {
        self.requires_grad
            .store(s.requires_grad || s.grad_fn.is_some(), Ordering::Release);
        self.caches_accumulator
            .store(s.cached_accumulator.is_some(), Ordering::Release);
    }
}

/// The locked state; updates the flags when it goes.
pub struct MetaGuard<'a> {
    guard: MutexGuard<'a, MetaState>,
    flags: &'a MetaFlags,
}

impl MetaLock {
    /// A lock over `state`, its flags set from it.
    fn new(state: MetaState) -> MetaLock {
        MetaLock {
            flags: MetaFlags::of(&state),
            state: Mutex::new(state),
        }
    }

    pub fn lock(&self) -> MetaGuard<'_> {
        MetaGuard {
            guard: self.state.lock(),
            flags: &self.flags,
        }
    }

    pub fn try_lock(&self) -> Option<MetaGuard<'_>> {
        self.state.try_lock().map(|guard| MetaGuard {
            guard,
            flags: &self.flags,
        })
    }

    /// `requires_grad || grad_fn.is_some()` as of the last unlock.
    pub fn requires_grad(&self) -> bool {
        self.flags.requires_grad.load(Ordering::Acquire)
    }

    /// `cached_accumulator.is_some()` as of the last unlock.
    fn caches_accumulator(&self) -> bool {
        self.flags.caches_accumulator.load(Ordering::Acquire)
    }
}

impl std::ops::Deref for MetaGuard<'_> {
    type Target = MetaState;
    fn deref(&self) -> &MetaState {
        &self.guard
    }
}

impl std::ops::DerefMut for MetaGuard<'_> {
    fn deref_mut(&mut self) -> &mut MetaState {
        &mut self.guard
    }
}

impl Drop for MetaGuard<'_> {
    fn drop(&mut self) {
        // before the mutex unlocks (the guard field drops after this)
        self.flags.store(&self.guard);
    }
}

#[derive(Default)]
pub struct AutogradMeta {
    pub state: MetaLock,
    /// Held across a leaf's read-add-write of `.grad`, so that backward passes running
    /// in several threads into one leaf lose no gradient.
    pub accumulating: Mutex<()>,
}

impl AutogradMeta {
    /// The metadata of an op's fresh output: `grad_fn` is output `output_nr` of `node`
    /// (made with its history in place, without taking the lock).
    pub fn with_history(node: NodeRef, output_nr: u32) -> AutogradMeta {
        AutogradMeta {
            state: MetaLock::new(MetaState {
                grad_fn: Some(node),
                output_nr,
                ..MetaState::default()
            }),
            accumulating: Mutex::new(()),
        }
    }

    pub fn requires_grad(&self) -> bool {
        self.state.requires_grad()
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

    /// Lets go of the cached accumulator (the tensor holding this metadata is going).
    pub fn release_cached_accumulator(&self) {
        if !self.state.caches_accumulator() {
            return;
        }
        let cached = self.state.lock().cached_accumulator.take();
        drop(cached);
    }

    /// How many references to this metadata a tensor's own cached accumulator accounts
    /// for: 1 while only the cache holds that accumulator, else 0.
    pub fn self_references(s: &MetaState) -> usize {
        s.cached_accumulator
            .as_ref()
            .is_some_and(|a| a.strong_count() == 1) as usize
    }

    /// Whether `node` is this metadata's cached accumulator.
    pub(crate) fn caches(&self, node: &super::node::Node) -> bool {
        self.state.try_lock().is_some_and(|s| {
            s.cached_accumulator
                .as_ref()
                .and_then(NodeRef::try_node)
                .is_some_and(|c| std::ptr::eq(c, node))
        })
    }

    /// Marks `grad`, just read from or assigned to `owner.grad`, as that slot's tensor.
    pub fn note_grad_of(grad: &Tensor, owner: &Arc<AutogradMeta>) {
        grad.meta().state.lock().grad_of = Some(Arc::downgrade(owner));
    }

    /// `old` got new contents `new` (`.data =`): the `.grad` slot holding `old` now holds
    /// `new`, as PyTorch changes the tensor in place.
    pub fn follow_new_contents(old: &Tensor, new: &Tensor) {
        let Some(meta) = old.meta_if_any() else {
            return;
        };
        let Some(owner) = meta.state.lock().grad_of.as_ref().and_then(|w| w.upgrade()) else {
            return;
        };
        let mut state = owner.state.lock();
        if state
            .grad
            .as_ref()
            .is_some_and(|g| Arc::ptr_eq(&g.0, &old.0))
        {
            state.grad = Some(new.clone());
            drop(state);
            Self::note_grad_of(new, &owner);
        }
    }

    pub fn set_grad(&self, grad: Option<Tensor>) {
        let old = std::mem::replace(&mut self.state.lock().grad, grad);
        drop(old);
    }
}
