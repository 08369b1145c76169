//! Python objects for backward nodes (`y.grad_fn`) and hook handles.
//!
//! Each node gets one Python object while that object lives (so `y.grad_fn is
//! y.grad_fn`): the node keeps a weak reference to it. The object's class is a
//! per-name subclass made by the Python package, so `type(y.grad_fn).__name__` is
//! `AddBackward0` as in PyTorch.

use super::errors::stash;
use super::py_refs::{clear_node, uniquely_held, visit_node, PyCallable, StrongCtx};
use super::tensor::{wrap, PyTensor};
use crate::autograd::meta::AutogradMeta;
use crate::autograd::node::next_hook_id;
use crate::autograd::{NodeRef, WeakNodeRef};
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyWeakrefReference};
use std::sync::{Arc, Weak};

#[pyclass(
    name = "Node",
    module = "ferrograd.autograd.graph",
    subclass,
    weakref,
    dict
)]
pub struct PyGradFn {
    pub node: NodeRef,
}

struct PyObjectSlot(Py<PyWeakrefReference>);

pub fn grad_fn_object(py: Python<'_>, node: &NodeRef) -> PyResult<Py<PyAny>> {
    let n = node.node();
    {
        let slot = n.extras().py_object.lock();
        if let Some(existing) = slot.as_ref().and_then(|b| b.downcast_ref::<PyObjectSlot>()) {
            if let Some(obj) = existing.0.bind(py).upgrade() {
                return Ok(obj.unbind());
            }
        }
        // A custom Function's node holds its context, which is its grad_fn object.
        if let Some(ctx) = slot.as_ref().and_then(|b| b.downcast_ref::<StrongCtx>()) {
            if let Some(obj) = ctx.0.get(py) {
                super::function_fns::hold_node(&obj, &ctx.0, node);
                return Ok(obj.unbind());
            }
        }
    }
    let obj = Py::new(py, PyGradFn { node: node.clone() })?;
    let bound = obj.bind(py);
    // Give it the class named after the node.
    let graph = py.import("ferrograd.autograd.graph")?;
    let cls = graph.call_method1("_node_class", (n.name(),))?;
    bound.setattr("__class__", cls)?;
    let weak = PyWeakrefReference::new(bound)?;
    *n.extras().py_object.lock() = Some(Box::new(PyObjectSlot(weak.unbind())));
    Ok(obj.into_any())
}

/// `(node, input_nr)` pairs of the nodes a node sends its gradients to.
pub fn next_functions_of<'py>(py: Python<'py>, node: &NodeRef) -> PyResult<Bound<'py, PyTuple>> {
    let mut items = Vec::new();
    for e in &node.node().next_edges {
        let pair = match e {
            None => (py.None(), 0u32).into_pyobject(py)?.into_any(),
            Some(e) => (grad_fn_object(py, &e.node)?, e.input_nr)
                .into_pyobject(py)?
                .into_any(),
        };
        items.push(pair);
    }
    PyTuple::new(py, items)
}

fn grads_tuple(py: Python<'_>, gs: &[Option<Tensor>]) -> PyResult<Py<PyAny>> {
    let items: Vec<Py<PyAny>> = gs
        .iter()
        .map(|g| match g {
            Some(g) => wrap(py, g.clone()),
            None => Ok(py.None()),
        })
        .collect::<PyResult<_>>()?;
    Ok(PyTuple::new(py, items)?.into_any().unbind())
}

/// `node.register_hook(hook)`: `hook(grad_inputs, grad_outputs)` runs after the node.
pub fn register_node_hook(
    py: Python<'_>,
    node: &NodeRef,
    hook: Py<PyAny>,
) -> PyResult<Py<PyHookHandle>> {
    let id = next_hook_id();
    let hook = PyCallable::new(id, hook);
    let f = Arc::new(move |gin: &[Option<Tensor>], gout: &[Option<Tensor>]| {
        Python::attach(|py| {
            let Some(hook) = hook.get(py) else {
                return Ok(None);
            };
            let args = (
                grads_tuple(py, gin).map_err(stash)?,
                grads_tuple(py, gout).map_err(stash)?,
            );
            let r = hook.call1(py, args).map_err(stash)?;
            node_hook_result(py, &hook, r, gin).map_err(stash)
        })
    });
    node.node().extras().hooks.lock().hooks.push((id, f));
    Py::new(py, PyHookHandle::for_node(id, node.downgrade()))
}

/// `node.register_prehook(hook)`: `hook(grad_outputs)` runs before the node.
pub fn register_node_prehook(
    py: Python<'_>,
    node: &NodeRef,
    hook: Py<PyAny>,
) -> PyResult<Py<PyHookHandle>> {
    let id = next_hook_id();
    let hook = PyCallable::new(id, hook);
    let f = Arc::new(move |gout: &[Option<Tensor>]| {
        Python::attach(|py| {
            let Some(hook) = hook.get(py) else {
                return Ok(None);
            };
            let r = hook
                .call1(py, (grads_tuple(py, gout).map_err(stash)?,))
                .map_err(stash)?;
            node_hook_result(py, &hook, r, gout).map_err(stash)
        })
    });
    node.node().extras().hooks.lock().pre_hooks.push((id, f));
    Py::new(py, PyHookHandle::for_node(id, node.downgrade()))
}

#[pymethods]
impl PyGradFn {
    fn name(&self) -> String {
        let n = self.node.node();
        if n.is_accumulate_grad() {
            // PyTorch names the gradient accumulator by its C++ class
            return "torch::autograd::AccumulateGrad".to_string();
        }
        if n.name() == "CopySlices" {
            return "torch::autograd::CopySlices".to_string(); // a C++ class as well
        }
        n.name().to_string()
    }
    #[getter]
    fn next_functions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        next_functions_of(py, &self.node)
    }
    /// The leaf tensor of an `AccumulateGrad` node.
    #[getter]
    fn variable(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let crate::autograd::node::NodeKind::AccumulateGrad(meta) = &self.node.node().kind {
            if let Some(t) = meta.state.lock().owner.as_ref().and_then(|w| w.upgrade()) {
                return wrap(py, Tensor(t));
            }
        }
        Err(pyo3::exceptions::PyAttributeError::new_err(format!(
            "'{}' object has no attribute 'variable'",
            self.node.node().name()
        )))
    }
    /// The node's `metadata` dict, made on first use and kept with the node.
    #[getter]
    fn _metadata_dict(&self, py: Python<'_>) -> Py<PyAny> {
        let n = self.node.node();
        let mut slot = n.extras().py_metadata.lock();
        if let Some(dict) = slot
            .as_ref()
            .and_then(|b| b.downcast_ref::<PyCallable>())
            .and_then(|c| c.get(py))
        {
            return dict;
        }
        let dict = pyo3::types::PyDict::new(py);
        if let Some(trace) = n.extras().creation_trace.lock().as_deref() {
            // PyTorch keeps anomaly mode's forward stack there (`traceback.format_stack()`)
            let _ = dict.set_item("traceback_", stack_entries(trace));
        }
        let dict = dict.into_any().unbind();
        *slot = Some(Box::new(PyCallable::new(
            next_hook_id(),
            dict.clone_ref(py),
        )));
        dict
    }
    /// The node's creation order (a method, as PyTorch's `grad_fn._sequence_nr()`).
    fn _sequence_nr(&self) -> u64 {
        self.node.node().sequence_nr
    }
    /// `hook(grad_inputs, grad_outputs)` runs after the node computed its gradients.
    fn register_hook(&self, py: Python<'_>, hook: Py<PyAny>) -> PyResult<Py<PyHookHandle>> {
        register_node_hook(py, &self.node, hook)
    }
    /// `hook(grad_outputs)` runs before the node computes.
    fn register_prehook(&self, py: Python<'_>, hook: Py<PyAny>) -> PyResult<Py<PyHookHandle>> {
        register_node_prehook(py, &self.node, hook)
    }
    /// The node's hooks, when this object is all that holds the node.
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        if uniquely_held(&self.node) {
            visit_node(&visit, &self.node)?;
        }
        Ok(())
    }
    fn __clear__(&mut self) {
        if uniquely_held(&self.node) {
            clear_node(&self.node);
        }
    }
    /// Runs the node's backward formula on `grads` (one per forward output), as
    /// PyTorch's `grad_fn(*grads)`: a tensor (or None) for one input, else a tuple.
    #[pyo3(signature = (*grads))]
    fn __call__(&self, py: Python<'_>, grads: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let gs: Vec<Option<Tensor>> =
            tensors_from(py, grads.clone().into_any().unbind())?.unwrap_or_default();
        let result = super::node_call::call_node(&self.node, gs)?;
        match result {
            None => Ok(PyTuple::empty(py).into_any().unbind()),
            Some(r) if r.len() == 1 => match &r[0] {
                Some(g) => wrap(py, g.clone()),
                None => Ok(py.None()),
            },
            Some(r) => grads_tuple(py, &r),
        }
    }
}

/// What a node hook returned: None (keep the gradients) or a tuple of one entry per
/// gradient, checked as PyTorch checks it.
fn node_hook_result(
    py: Python<'_>,
    hook: &Py<PyAny>,
    r: Py<PyAny>,
    originals: &[Option<Tensor>],
) -> PyResult<Option<Vec<Option<Tensor>>>> {
    let expected = originals.len();
    if r.is_none(py) {
        return Ok(None);
    }
    let b = r.bind(py);
    let Ok(items) = b.cast::<PyTuple>() else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected tuple, but hook returned '{}'",
            b.get_type().name()?
        )));
    };
    let hook = hook.bind(py);
    if items.len() != expected {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "hook '{}' has returned an incorrect number of values (got {}, but expected {expected})",
            hook_name(hook)?,
            items.len()
        )));
    }
    let mut out = Vec::with_capacity(expected);
    for (item, original) in items.iter().zip(originals) {
        if item.is_none() {
            out.push(None);
            continue;
        }
        let value = hooked_value(&item)?;
        let Some(original) = original else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "can't replace a None gradient with a non-None value",
            ));
        };
        check_hooked_value(hook, &value, original)?;
        out.push(Some(value));
    }
    Ok(Some(out))
}

fn hook_name(hook: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(match hook.getattr("__name__") {
        Ok(n) => n.str()?.to_string(),
        Err(_) => hook.repr()?.to_string(),
    })
}

/// The tensor a hook returned in place of a gradient (PyTorch's TypeError otherwise).
pub fn hooked_value(value: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    match value.cast::<PyTensor>() {
        Ok(t) => Ok(t.borrow().t().clone()),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected Variable, but hook returned '{}'",
            value.get_type().name()?
        ))),
    }
}

/// A hook may replace a gradient only with one of the same size and dtype.
pub fn check_hooked_value(
    hook: &Bound<'_, PyAny>,
    value: &Tensor,
    original: &Tensor,
) -> PyResult<()> {
    let message = if value.shape() != original.shape() {
        format!("hook '{}' has changed the size of value", hook_name(hook)?)
    } else if value.dtype() != original.dtype() {
        format!(
            "hook '{}' has changed the type of value (was {} got {})",
            hook_name(hook)?,
            original.dtype().type_string(),
            value.dtype().type_string()
        )
    } else {
        return Ok(());
    };
    Err(pyo3::exceptions::PyRuntimeError::new_err(message))
}

pub fn tensors_from(py: Python<'_>, r: Py<PyAny>) -> PyResult<Option<Vec<Option<Tensor>>>> {
    if r.is_none(py) {
        return Ok(None);
    }
    let b = r.bind(py);
    let mut out = Vec::new();
    for item in b.try_iter()? {
        let item = item?;
        if item.is_none() {
            out.push(None);
        } else {
            out.push(Some(item.cast::<PyTensor>()?.borrow().t().clone()));
        }
    }
    Ok(Some(out))
}

/// The entries of a joined `traceback.format_stack()`, one per frame.
fn stack_entries(trace: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in trace.split_inclusive('\n') {
        match entries.last_mut() {
            Some(last) if !line.starts_with("  File \"") => last.push_str(line),
            _ => entries.push(line.to_string()),
        }
    }
    entries
}

/// Returned by `register_hook`; `remove()` unregisters the hook.
#[pyclass(name = "RemovableHandle", module = "ferrograd.utils.hooks")]
pub struct PyHookHandle {
    id: u64,
    leaf: Option<Weak<AutogradMeta>>,
    node: Option<WeakNodeRef>,
}

impl PyHookHandle {
    pub fn for_leaf(id: u64, meta: Weak<AutogradMeta>) -> Self {
        PyHookHandle {
            id,
            leaf: Some(meta),
            node: None,
        }
    }
    pub fn for_node(id: u64, node: WeakNodeRef) -> Self {
        PyHookHandle {
            id,
            leaf: None,
            node: Some(node),
        }
    }
}

#[pymethods]
impl PyHookHandle {
    fn remove(&self) {
        let id = self.id;
        if let Some(meta) = self.leaf.as_ref().and_then(|w| w.upgrade()) {
            meta.state.lock().hooks.retain(|(i, _)| *i != id);
        }
        let node = self.node.and_then(|w| w.upgrade());
        if let Some(extras) = node.as_ref().and_then(|n| n.node().extras_if_any()) {
            let mut h = extras.hooks.lock();
            h.tensor_pre_hooks.retain(|(i, _, _)| *i != id);
            h.pre_hooks.retain(|(i, _)| *i != id);
            h.hooks.retain(|(i, _)| *i != id);
        }
    }
    #[getter]
    fn id(&self) -> u64 {
        self.id
    }
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }
    fn __exit__(&self, _a: Option<Py<PyAny>>, _b: Option<Py<PyAny>>, _c: Option<Py<PyAny>>) {
        self.remove();
    }
}
