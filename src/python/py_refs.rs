//! Python objects held by the Rust graph (hook callables, custom Function contexts),
//! kept where the garbage collector can find them.
//!
//! A hook is a Rust closure inside a node or a tensor's metadata; Python cannot see
//! what it captures. So the closure captures only a `PyCallable` (a hook id), and the
//! callable itself lives in a registry under that id. A tensor or node object whose
//! Rust state is held by nothing else visits those entries in `__traverse__` and drops
//! the hooks in `__clear__`, which is how cycles such as
//! `t.register_hook(lambda g: t)` are collected.

use crate::autograd::meta::AutogradMeta;
use crate::autograd::NodeRef;
use parking_lot::Mutex;
use pyo3::prelude::*;
use pyo3::types::PyWeakrefReference;
use pyo3::{PyTraverseError, PyVisit};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

static REGISTRY: Mutex<Option<HashMap<u64, Py<PyAny>>>> = Mutex::new(None);

/// The Python callable of one hook, owned by the registry while the hook exists.
pub struct PyCallable {
    id: u64,
}

impl PyCallable {
    pub fn new(id: u64, obj: Py<PyAny>) -> PyCallable {
        REGISTRY
            .lock()
            .get_or_insert_with(HashMap::new)
            .insert(id, obj);
        PyCallable { id }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn get(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        let reg = REGISTRY.lock();
        reg.as_ref()?.get(&self.id).map(|o| o.clone_ref(py))
    }
}

impl Drop for PyCallable {
    fn drop(&mut self) {
        let removed = REGISTRY.lock().as_mut().and_then(|r| r.remove(&self.id));
        // Dropped after the lock is released: the decref may run Python code.
        drop(removed);
    }
}

fn visit_hook(visit: &PyVisit<'_>, id: u64) -> Result<(), PyTraverseError> {
    // The GC may run while another thread holds the lock: then visit nothing, which
    // only keeps the objects alive until a later collection.
    let Some(reg) = REGISTRY.try_lock() else {
        return Ok(());
    };
    if let Some(obj) = reg.as_ref().and_then(|r| r.get(&id)) {
        visit.call(obj)?;
    }
    Ok(())
}

/// How a custom `Function` node refers to its context object.
pub enum CtxRef {
    /// The node owns the context (the usual case).
    Strong(Py<PyAny>),
    /// The context owns the node: only Python's references to the context keep both
    /// alive, so that dropping them frees the pair by reference counting alone.
    Weak(Py<PyWeakrefReference>),
}

impl CtxRef {
    pub fn get<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        match self {
            CtxRef::Strong(obj) => Some(obj.bind(py).clone()),
            CtxRef::Weak(weak) => weak.bind(py).upgrade(),
        }
    }
    pub fn strong(&self) -> Option<&Py<PyAny>> {
        match self {
            CtxRef::Strong(obj) => Some(obj),
            CtxRef::Weak(_) => None,
        }
    }
}

/// The context object of a custom `Function` node.
#[derive(Default)]
pub struct CtxSlot(pub Mutex<Option<CtxRef>>, pub AtomicBool);

impl CtxSlot {
    pub fn new(ctx: Py<PyAny>) -> CtxSlot {
        CtxSlot(
            Mutex::new(Some(CtxRef::Strong(ctx))),
            AtomicBool::new(false),
        )
    }
    /// Whether the context holds its node (once handed to Python as a `grad_fn`).
    pub fn holds_node(&self) -> bool {
        self.1.load(Ordering::Acquire)
    }
    pub fn set_holds_node(&self, holds: bool) {
        self.1.store(holds, Ordering::Release);
    }
    /// The context object, if it is still alive.
    pub fn get<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.0.lock().as_ref().and_then(|c| c.get(py))
    }
}

/// The handle on `n` its own custom Function context holds (0 or 1): that context
/// is reached through the node, so it does not count as another owner.
fn own_ctx_hold(n: &crate::autograd::Node) -> u32 {
    n.extras_if_any()
        .and_then(|e| e.py_object.try_lock())
        .and_then(|slot| {
            slot.as_ref()
                .and_then(|b| b.downcast_ref::<StrongCtx>())
                .map(|c| c.0.holds_node() as u32)
        })
        .unwrap_or(0)
}

/// Whether the only handle on `node` is the one its own context holds.
pub fn held_by_its_ctx_only(node: &NodeRef) -> bool {
    node.try_node()
        .is_some_and(|n| own_ctx_hold(n) == 1 && n.strong.load(Ordering::Acquire) == 1)
}

/// What a node's `py_object` holds for a custom Function: a strong reference.
pub struct StrongCtx(pub Arc<CtxSlot>);

/// Visits the Python objects a node owns (hooks, a Function's context).
pub fn visit_node(visit: &PyVisit<'_>, node: &NodeRef) -> Result<(), PyTraverseError> {
    let Some(n) = node.node().extras_if_any() else {
        return Ok(());
    };
    if let Some(h) = n.hooks.try_lock() {
        for (id, _, _) in &h.tensor_pre_hooks {
            visit_hook(visit, *id)?;
        }
        for (id, _) in &h.pre_hooks {
            visit_hook(visit, *id)?;
        }
        for (id, _) in &h.hooks {
            visit_hook(visit, *id)?;
        }
    }
    if let Some(slot) = n.py_metadata.try_lock() {
        if let Some(dict) = slot.as_ref().and_then(|b| b.downcast_ref::<PyCallable>()) {
            visit_hook(visit, dict.id())?;
        }
    }
    if let Some(slot) = n.py_object.try_lock() {
        if let Some(ctx) = slot.as_ref().and_then(|b| b.downcast_ref::<StrongCtx>()) {
            if let Some(obj) = ctx.0 .0.try_lock() {
                if let Some(obj) = obj.as_ref().and_then(CtxRef::strong) {
                    visit.call(obj)?;
                }
            }
        }
    }
    Ok(())
}

/// Drops the Python objects a node owns (the node is garbage with its owner).
pub fn clear_node(node: &NodeRef) {
    let Some(n) = node.node().extras_if_any() else {
        return;
    };
    let hooks = {
        let mut h = n.hooks.lock();
        (
            std::mem::take(&mut h.tensor_pre_hooks),
            std::mem::take(&mut h.pre_hooks),
            std::mem::take(&mut h.hooks),
        )
    };
    let ctx = n
        .py_object
        .lock()
        .as_ref()
        .and_then(|b| b.downcast_ref::<StrongCtx>())
        .and_then(|c| c.0 .0.lock().take());
    let metadata = n.py_metadata.lock().take();
    drop(hooks);
    drop(ctx);
    drop(metadata);
}

/// Whether `node` is held by one handle only (its owner's), so that nothing else can
/// reach the Python objects it holds.
pub fn uniquely_held(node: &NodeRef) -> bool {
    node.try_node().is_some_and(|n| {
        let handles = 1 + own_ctx_hold(n);
        // A leaf's accumulator is also held by the leaf's cache, which never visits it:
        // `x.register_post_accumulate_grad_hook(lambda t: ...)` refers back to `x`.
        n.strong.load(Ordering::Acquire) == handles || n.held_only_by_its_leaf(handles)
    })
}

/// Visits a tensor's hooks and, when its grad_fn is its own alone, the grad_fn's.
pub fn visit_meta(visit: &PyVisit<'_>, meta: &Arc<AutogradMeta>) -> Result<(), PyTraverseError> {
    let Some(s) = meta.state.try_lock() else {
        return Ok(());
    };
    if Arc::strong_count(meta) != 1 + AutogradMeta::self_references(&s) {
        return Ok(());
    }
    for (id, _) in &s.hooks {
        visit_hook(visit, *id)?;
    }
    if let Some(node) = &s.grad_fn {
        if uniquely_held(node) {
            visit_node(visit, node)?;
        }
    }
    Ok(())
}

/// Drops what `visit_meta` visits.
pub fn clear_meta(meta: &Arc<AutogradMeta>) {
    let (hooks, node) = {
        let mut s = meta.state.lock();
        if Arc::strong_count(meta) != 1 + AutogradMeta::self_references(&s) {
            return;
        }
        (std::mem::take(&mut s.hooks), s.grad_fn.clone())
    };
    drop(hooks);
    if let Some(node) = node {
        // Our clone adds one: the node is ours alone when two handles remain.
        let n = node.node();
        if n.strong.load(Ordering::Acquire) == 2 + own_ctx_hold(n) {
            clear_node(&node);
        }
    }
}
