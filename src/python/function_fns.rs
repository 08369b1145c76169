//! Custom autograd Functions (`ferrograd.autograd.Function`): the node whose backward
//! calls the Function's Python `backward` under the GIL, and the context object that
//! is the node's `grad_fn` (as in PyTorch, `y.grad_fn` is the `ctx` of the call).
//!
//! The node owns the context. Once the context is handed to Python as a `grad_fn` it
//! also holds the node; that cycle is undone by reference counting alone (as PyTorch's
//! graph is freed): when the node's last other holder goes, either nothing in Python
//! refers to the context and the pair is freed, or the context becomes the node's
//! owner and the node refers to it weakly (`CtxRef::Weak`).

use super::errors::{guarded, stash};
use super::grad_fn::{next_functions_of, register_node_hook, register_node_prehook, PyHookHandle};
use super::py_refs::{held_by_its_ctx_only, visit_node, CtxRef, CtxSlot, StrongCtx};
use super::tensor::{wrap, PyTensor};
use crate::autograd::node::{BackwardCtx, Node, NodeKind, OutputMeta};
use crate::autograd::record::{gradient_edge, record, set_history};
use crate::autograd::saved::SavedTensor;
use crate::autograd::{NodeRef, WeakNodeRef};
use crate::error::{Error, Result};
use crate::tensor::{DType, Tensor};
use parking_lot::Mutex;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyWeakrefReference};
use pyo3::{PyTraverseError, PyVisit};
use std::sync::Arc;

/// The base of every Function context class (`MyFnBackward`).
#[pyclass(
    name = "_FunctionBase",
    module = "ferrograd._C",
    subclass,
    weakref,
    dict
)]
pub struct PyFunctionBase {
    node: Mutex<Option<WeakNodeRef>>,
    /// The node, held once this context was handed to Python as a `grad_fn`, so that
    /// the graph behind it stays reachable (a cycle with the node, seen by the GC).
    held: Mutex<Option<NodeRef>>,
    /// For each argument of `save_for_backward`: whether it was `None`.
    saved_is_none: Mutex<Vec<bool>>,
}

impl PyFunctionBase {
    fn node(&self) -> Option<NodeRef> {
        self.node.lock().and_then(|w| w.upgrade())
    }
    fn recorded(&self) -> PyResult<NodeRef> {
        self.node().ok_or_else(|| {
            PyRuntimeError::new_err(
                "this Function context is not (or no longer) part of a backward graph",
            )
        })
    }
}

const FREED: &str = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

#[pymethods]
impl PyFunctionBase {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        PyFunctionBase {
            node: Mutex::new(None),
            held: Mutex::new(None),
            saved_is_none: Mutex::new(Vec::new()),
        }
    }

    /// The tensors given to `save_for_backward`, checked against in-place changes.
    #[getter]
    fn saved_tensors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let was_recorded = self.node.lock().is_some();
        let Some(node) = self.node() else {
            if was_recorded {
                return Err(PyRuntimeError::new_err(FREED));
            }
            return Ok(PyTuple::empty(py));
        };
        let saved = guarded("saved_tensors", || node.node().unpack_saved(&node))?;
        let mut saved = saved.into_iter();
        let mut items: Vec<Py<PyAny>> = Vec::new();
        for &is_none in self.saved_is_none.lock().iter() {
            // a None holds no place among the saved tensors
            match if is_none { None } else { saved.next() } {
                Some(t) => items.push(wrap(py, t)?),
                None => items.push(py.None()),
            }
        }
        PyTuple::new(py, items)
    }

    fn name(&self) -> PyResult<String> {
        Ok(self.recorded()?.node().name().to_string())
    }

    #[getter]
    fn next_functions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match self.node() {
            Some(node) => next_functions_of(py, &node),
            None => Ok(PyTuple::empty(py)),
        }
    }

    fn _sequence_nr(&self) -> PyResult<u64> {
        Ok(self.recorded()?.node().sequence_nr)
    }

    fn register_hook(&self, py: Python<'_>, hook: Py<PyAny>) -> PyResult<Py<PyHookHandle>> {
        register_node_hook(py, &self.recorded()?, hook)
    }

    /// The node's Python objects (this context among them), when this context is all
    /// that holds the node.
    fn __traverse__(&self, visit: PyVisit<'_>) -> std::result::Result<(), PyTraverseError> {
        if let Some(held) = self.held.try_lock() {
            if let Some(node) = held.as_ref().filter(|n| held_by_its_ctx_only(n)) {
                visit_node(&visit, node)?;
            }
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        if let Some(node) = self.held.get_mut().take() {
            set_ctx_holds(&node, false);
            drop(node);
        }
    }

    fn register_prehook(&self, py: Python<'_>, hook: Py<PyAny>) -> PyResult<Py<PyHookHandle>> {
        register_node_prehook(py, &self.recorded()?, hook)
    }

    /// Runs from the context's `__del__`: a context that owns its node while something
    /// else holds the node too (an output taken back from `saved_tensors`) hands
    /// ownership back to the node, which keeps the context alive.
    fn _ferro_finalize(slf: &Bound<'_, Self>) {
        let me = slf.borrow();
        let mut held = me.held.lock();
        let Some(node) = held.as_ref() else { return };
        if node.strong_count() < 2 {
            return;
        }
        let Some(slot) = ctx_slot_of(node.node()) else {
            return;
        };
        let old = {
            let mut guard = slot.0.lock();
            if !matches!(guard.as_ref(), Some(CtxRef::Weak(_))) {
                return;
            }
            guard.replace(CtxRef::Strong(slf.clone().into_any().unbind()))
        };
        slot.set_holds_node(false);
        let node = held.take();
        drop(held);
        drop(me);
        drop(old);
        drop(node);
    }
}

/// The context slot of a custom Function's node.
fn ctx_slot_of(n: &Node) -> Option<Arc<CtxSlot>> {
    let extras = n.extras_if_any()?;
    let slot = extras.py_object.try_lock()?;
    slot.as_ref()?
        .downcast_ref::<StrongCtx>()
        .map(|c| c.0.clone())
}

/// Called when a node goes down to one holder. If that holder is the node's own
/// context, the pair is garbage when nothing else refers to the context (then it is
/// freed now); otherwise Python's references to the context keep it, and the context
/// becomes the node's owner, so that dropping those references frees both.
fn on_one_holder_left(n: &Node) {
    let Some(slot) = ctx_slot_of(n) else { return };
    if !slot.holds_node() {
        return;
    }
    Python::try_attach(|py| {
        let mut guard = slot.0.lock();
        let Some(CtxRef::Strong(obj)) = guard.as_ref() else {
            return;
        };
        // SAFETY: `obj` is a live object and we are attached to the interpreter.
        let refcnt = unsafe { pyo3::ffi::Py_REFCNT(obj.as_ptr()) };
        if refcnt == 1 {
            let ctx = obj.bind(py).clone();
            drop(guard);
            let node = ctx
                .cast::<PyFunctionBase>()
                .ok()
                .and_then(|c| c.borrow().held.lock().take());
            slot.set_holds_node(false);
            drop(ctx);
            // The last handle on the node: freeing it drops the node's context.
            drop(node);
        } else if let Ok(weak) = PyWeakrefReference::new(obj.bind(py)) {
            let old = guard.replace(CtxRef::Weak(weak.unbind()));
            drop(guard);
            drop(old);
        }
    });
}

/// Item `i` of a Python backward's result: a gradient tensor, or None.
pub(super) fn gradient_item(result: &Bound<'_, PyAny>, i: usize) -> Result<Option<Tensor>> {
    let item = result.get_item(i).map_err(stash)?;
    if item.is_none() {
        return Ok(None);
    }
    let t = item.cast::<PyTensor>().map_err(|e| stash(e.into()))?;
    let t = t.borrow().t().clone();
    Ok(Some(t))
}

fn tensor_of(obj: &Bound<'_, PyAny>) -> Option<Tensor> {
    obj.cast::<PyTensor>().ok().map(|t| t.borrow().raw.clone())
}

fn contains(list: &[Tensor], t: &Tensor) -> bool {
    list.iter().any(|x| x.same_tensor(t))
}

/// Makes the context `ctx` (a custom Function's `grad_fn`, handed to Python) hold its
/// node, as PyTorch's does.
pub fn hold_node(ctx: &Bound<'_, PyAny>, slot: &CtxSlot, node: &NodeRef) {
    if let Ok(ctx) = ctx.cast::<PyFunctionBase>() {
        let me = ctx.borrow();
        let mut held = me.held.lock();
        if held.is_none() {
            // the caller holds the node's `py_object` lock: mark through `slot`
            slot.set_holds_node(true);
            *held = Some(node.clone());
        }
    }
}

fn set_ctx_holds(node: &NodeRef, holds: bool) {
    let extras = node.node().extras_if_any();
    if let Some(slot) = extras.and_then(|e| e.py_object.try_lock()) {
        if let Some(ctx) = slot.as_ref().and_then(|b| b.downcast_ref::<StrongCtx>()) {
            ctx.0.set_holds_node(holds);
        }
    }
}

/// What the backward closure needs to know about the forward call.
struct CallShape {
    /// Positions of the forward arguments that were tensors (one graph edge each).
    tensor_args: Vec<usize>,
    /// For each forward output: whether it was a tensor (others get `None` grads).
    tensor_outputs: Vec<bool>,
    materialize_grads: bool,
}

fn run_backward(slot: &CtxSlot, shape: &CallShape, b: &BackwardCtx) -> Result<Vec<Option<Tensor>>> {
    Python::attach(|py| {
        let Some(ctx) = slot.get(py) else {
            return Err(Error::runtime(
                "the context of this custom Function was freed",
            ));
        };
        let mut grads: Vec<Py<PyAny>> = Vec::with_capacity(shape.tensor_outputs.len());
        for (i, &is_tensor) in shape.tensor_outputs.iter().enumerate() {
            let defined = b.defined.get(i).copied().unwrap_or(true);
            if !is_tensor || (!shape.materialize_grads && !defined) {
                grads.push(py.None());
            } else {
                grads.push(wrap(py, b.grads[i].clone()).map_err(stash)?);
            }
        }
        let grads = PyTuple::new(py, grads).map_err(stash)?;
        let result = ctx
            .call_method1("_ferro_backward", (grads,))
            .map_err(stash)?;
        let mut out = Vec::with_capacity(shape.tensor_args.len());
        for &p in &shape.tensor_args {
            out.push(gradient_item(&result, p)?);
        }
        Ok(out)
    })
}

/// Records the node of one `Function.apply` call after its forward ran: links the
/// context, marks dirty and non-differentiable outputs, saves the tensors given to
/// `save_for_backward`, and returns the outputs to hand to the caller.
#[pyfunction]
#[pyo3(signature = (ctx, name, args, outputs, is_executable, dirty, non_differentiable, to_save, materialize_grads))]
#[allow(clippy::too_many_arguments)]
fn _function_record<'py>(
    ctx: &Bound<'py, PyFunctionBase>,
    name: String,
    args: &Bound<'py, PyTuple>,
    outputs: &Bound<'py, PyTuple>,
    is_executable: bool,
    dirty: Vec<Bound<'py, PyAny>>,
    non_differentiable: Vec<Bound<'py, PyAny>>,
    to_save: Option<Vec<Bound<'py, PyAny>>>,
    materialize_grads: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = ctx.py();
    let arg_tensors: Vec<Option<Tensor>> = args.iter().map(|a| tensor_of(&a)).collect();
    let inputs: Vec<Tensor> = arg_tensors.iter().flatten().cloned().collect();
    let out_items: Vec<Bound<'py, PyAny>> = outputs.iter().collect();
    let out_tensors: Vec<Option<Tensor>> = out_items.iter().map(tensor_of).collect();
    let dirty: Vec<Tensor> = dirty.iter().filter_map(tensor_of).collect();
    let non_diff: Vec<Tensor> = non_differentiable.iter().filter_map(tensor_of).collect();

    if dirty
        .iter()
        .any(|d| !out_tensors.iter().flatten().any(|o| o.same_tensor(d)))
    {
        return Err(PyRuntimeError::new_err(
            "Some elements marked as dirty during the forward method were not returned as output. The inputs that are modified inplace must all be outputs of the Function.",
        ));
    }

    // PyTorch counts marking dirty as one more write.
    dirty.iter().for_each(Tensor::bump_version);

    let node = if is_executable {
        if dirty.iter().any(|d| d.is_leaf() && d.requires_grad()) {
            return Err(PyRuntimeError::new_err(
                "a leaf Variable that requires grad has been used in an in-place operation.",
            ));
        }
        let edges: crate::autograd::node::EdgeSlots = inputs.iter().map(gradient_edge).collect();
        let metas: crate::autograd::node::OutputSlots = out_tensors
            .iter()
            .map(|t| match t {
                Some(t) => OutputMeta {
                    shape: t.shape().into(),
                    dtype: t.dtype(),
                },
                None => OutputMeta {
                    shape: Default::default(),
                    dtype: DType::F32,
                },
            })
            .collect();
        let slot = Arc::new(CtxSlot::new(ctx.clone().into_any().unbind()));
        let shape = CallShape {
            tensor_args: (0..arg_tensors.len())
                .filter(|&i| arg_tensors[i].is_some())
                .collect(),
            tensor_outputs: out_tensors.iter().map(Option::is_some).collect(),
            materialize_grads,
        };
        let for_backward = slot.clone();
        let backward = move |b: &mut BackwardCtx| run_backward(&for_backward, &shape, b);
        let node = NodeRef::new(Node::new(
            name,
            edges,
            NodeKind::Function(Box::new(backward)),
            vec![],
            metas,
        ));
        if crate::autograd::mode::is_anomaly_enabled() {
            *node.node().extras().creation_trace.lock() = crate::autograd::mode::creation_trace();
        }
        *node.node().extras().py_object.lock() = Some(Box::new(StrongCtx(slot)));
        Some(node)
    } else {
        None
    };

    let mut results: Vec<Py<PyAny>> = Vec::with_capacity(out_items.len());
    // Each output that took this node's history, with its output number.
    let mut with_history: Vec<(Tensor, u32)> = Vec::new();
    for (i, (item, t)) in out_items.iter().zip(&out_tensors).enumerate() {
        let Some(t) = t else {
            results.push(item.clone().unbind());
            continue;
        };
        let is_dirty = contains(&dirty, t);
        let differentiable = node.is_some()
            && !contains(&non_diff, t)
            && (t.dtype().is_floating() || t.dtype().is_complex());
        // An input returned unmodified becomes a new tensor, so the input keeps its own
        // history: a view of it, as PyTorch's `view_as(self)` made without grad (a
        // non-differentiable one that requires grad: a detached alias); anything else (as
        // in PyTorch, even a leaf captured from outside, or the same tensor returned
        // twice, which ends up as the later output) takes this node.
        let keeps_identity = is_dirty || !contains(&inputs, t);
        let out = if keeps_identity {
            t.clone()
        } else if differentiable || !t.requires_grad() {
            let _no_grad = crate::autograd::GradModeGuard::new(false);
            t.view_of(t.layout().clone())
        } else {
            t.detached()
        };
        if let Some(node) = &node {
            if differentiable {
                set_history(out.meta(), node, i as u32);
                if !is_dirty && out.view_base().is_some() {
                    out.mark_custom_function_view();
                }
                with_history.push((out.clone(), i as u32));
                if is_dirty {
                    guarded("mark_dirty", || crate::ops::rebase_view(&out))?;
                }
            }
        }
        results.push(wrap(py, out)?);
    }

    if let Some(node) = &node {
        let mut is_none = Vec::new();
        let mut saved = Vec::new();
        for item in to_save.unwrap_or_default() {
            match tensor_of(&item) {
                None => is_none.push(true),
                Some(t) => {
                    is_none.push(false);
                    // A saved output is re-attached as the output it is, so that
                    // differentiating through it again follows the right edge.
                    let output_nr = with_history
                        .iter()
                        .find(|(o, _)| o.same_tensor(&t))
                        .map(|&(_, nr)| nr);
                    saved.push(match output_nr {
                        Some(nr) => SavedTensor::output_nr(&t, nr),
                        None => SavedTensor::input(&t),
                    });
                }
            }
        }
        if !saved.is_empty() {
            // saved-tensor hooks pack a Function's tensors as they pack an op's
            if crate::autograd::saved_hooks::any_active() {
                saved.iter_mut().for_each(|s| s.pack_with_active_hooks());
            }
            node.node().saved.lock().tensors = saved.into();
        }
        node.node().saved.lock().read_by_backward = true;
        let me = ctx.borrow();
        *me.saved_is_none.lock() = is_none;
        *me.node.lock() = Some(node.downgrade());
    }
    PyTuple::new(py, results)
}

/// `once_differentiable`'s guard: aliases of `tensors` whose node refuses to run.
#[pyfunction]
fn _delayed_error(
    py: Python<'_>,
    message: String,
    tensors: Vec<Option<PyRef<'_, PyTensor>>>,
) -> PyResult<Vec<Py<PyAny>>> {
    let leaves: Vec<Option<Tensor>> = tensors
        .iter()
        .map(|t| {
            t.as_ref().map(|t| {
                let leaf = t.t().detached();
                leaf.meta().state.lock().requires_grad =
                    t.t().dtype().is_floating() || t.t().dtype().is_complex();
                leaf
            })
        })
        .collect();
    let inputs: Vec<&Tensor> = leaves.iter().flatten().collect();
    let outs: Vec<Tensor> = inputs.iter().map(|t| t.detached()).collect();
    let out_refs: Vec<&Tensor> = outs.iter().collect();
    record("Error", &inputs, &out_refs, vec![], move |_| {
        Err(Error::runtime(message.clone()))
    });
    let mut outs = outs.into_iter();
    leaves
        .iter()
        .map(|l| match l {
            Some(_) => wrap(py, outs.next().expect("one output per tensor")),
            None => Ok(py.None()),
        })
        .collect()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFunctionBase>()?;
    crate::autograd::set_one_holder_left_hook(on_one_holder_left);
    m.add_function(wrap_pyfunction!(_function_record, m)?)?;
    m.add_function(wrap_pyfunction!(_delayed_error, m)?)?;
    Ok(())
}
