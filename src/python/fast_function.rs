//! The public functions of the namespaces (`ferrograd.cos`, `nn.functional.relu`) as one
//! native callable each, as PyTorch's are: the dispatch gate (one flag read until a
//! dispatching subclass or `TorchFunctionMode` exists) and, for a function with a Tensor
//! method twin, the straight path to that method for a plain call, without a Python frame.
//! What is Python-side (the gate's look at the arguments, the tensor-likes' dispatch, the
//! function's own path) stays in Python; `_subclass_dispatch` and `_function_fast_path`
//! make these objects and give them the wrapped function's name, docs and `__wrapped__`.

use super::convert::PyDType;
use super::tensor::PyTensor;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a dispatching subclass exists (`_subclass_dispatch` sets these two, whose
/// "either" is its `LIVE[0]`).
static SUBCLASSES_LIVE: AtomicBool = AtomicBool::new(false);
/// Whether a `TorchFunctionMode` is in use.
static MODES_LIVE: AtomicBool = AtomicBool::new(false);

/// Whether `_subclass_dispatch.gate` may answer the call: a mode is in use, or a
/// dispatching subclass exists and an argument may be one (the gate's own first look:
/// tensors of the exact type and plain values never dispatch).
fn gate_may_answer(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> bool {
    if MODES_LIVE.load(Ordering::Relaxed) {
        return true;
    }
    SUBCLASSES_LIVE.load(Ordering::Relaxed)
        && !(args.iter().all(|value| never_dispatches(&value))
            && kwargs.is_none_or(|kwargs| kwargs.iter().all(|(_, value)| never_dispatches(&value))))
}

/// `_subclass_dispatch._PLAIN_TYPES`.
fn never_dispatches(value: &Bound<'_, PyAny>) -> bool {
    value.is_exact_instance_of::<PyTensor>()
        || value.is_exact_instance_of::<PyInt>()
        || value.is_exact_instance_of::<PyFloat>()
        || value.is_exact_instance_of::<PyBool>()
        || value.is_none()
        || value.is_exact_instance_of::<PyString>()
        || value.is_exact_instance_of::<PyComplex>()
}

/// The Tensor method a plain call runs instead of the function's own path.
struct MethodTwin {
    method: Py<PyAny>,
    /// The most positional arguments, the tensor included, the method takes alike.
    most: usize,
    /// The keywords the method takes as the function does (interned).
    keywords: Vec<Py<PyString>>,
    /// `_tensor_likes.dispatch_first`: a tensor-like argument's answer for the function.
    tensor_likes: Py<PyAny>,
}

/// A public function: `slow` (the function's own Python path) behind the dispatch gate,
/// with its Tensor method's path for plain calls where it has a `method`. Not seen by the
/// garbage collector: a namespace holds each for the life of the process (and a
/// collection started by allocating its `__dict__` would find its fields unwritten).
#[pyclass(
    name = "_GatedFunction",
    module = "ferrograd._core",
    frozen,
    dict,
    weakref
)]
pub struct GatedFunction {
    slow: Py<PyAny>,
    /// `_subclass_dispatch.gate` and its `MISS`.
    gate: Py<PyAny>,
    miss: Py<PyAny>,
    twin: Option<MethodTwin>,
    /// Whether it binds as a method when a class holds it, as PyTorch's functions written
    /// in Python do (its builtins don't).
    binds: bool,
    /// The namespace module and the name it holds this object under, for pickling.
    home: Py<PyString>,
    key: Py<PyString>,
}

/// Argument types that never dispatch; anything else may be a tensor-like.
fn is_plain(value: &Bound<'_, PyAny>) -> bool {
    never_dispatches(value)
        || value.is_exact_instance_of::<PyTuple>()
        || value.is_exact_instance_of::<PyList>()
        || value.is_exact_instance_of::<PyDType>()
}

impl MethodTwin {
    fn takes_keyword(&self, key: &Bound<'_, PyAny>) -> bool {
        // names from call sites are interned: the pointer compare answers but for odd keys
        self.keywords.iter().any(|k| k.as_ptr() == key.as_ptr())
            || self.keywords.iter().any(|k| key.eq(k).unwrap_or(false))
    }

    /// The method's result for a plain call (a Tensor first, plain arguments, keywords the
    /// method takes) or a tensor-like's answer; None where the function's own path must run.
    fn call(
        &self,
        function: &Bound<'_, GatedFunction>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let py = function.py();
        let n = args.len();
        if n == 0 || n > self.most || !args.get_item(0)?.is_exact_instance_of::<PyTensor>() {
            return Ok(None);
        }
        if let Some(kwargs) = kwargs {
            if kwargs.iter().any(|(key, _)| !self.takes_keyword(&key)) {
                return Ok(None);
            }
        }
        let plain_keywords =
            kwargs.is_none_or(|kwargs| kwargs.values().iter().all(|value| is_plain(&value)));
        if !plain_keywords || !args.iter().all(|value| is_plain(&value)) {
            // a tensor-like among the arguments is handed the function, not the method
            let kwargs = match kwargs {
                Some(kwargs) => kwargs.clone(),
                None => PyDict::new(py),
            };
            let result = self.tensor_likes.bind(py).call1((function, args, kwargs))?;
            return Ok((!result.is(py.NotImplemented())).then(|| result.unbind()));
        }
        match self.method.bind(py).call(args, kwargs) {
            Ok(result) => Ok(Some(result.unbind())),
            // the function's own path raises PyTorch's error for the call
            Err(error) if error.is_instance_of::<PyException>(py) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// What `_public_function` is given to find a pickled function again.
type ModuleAndName = (Py<PyString>, Py<PyString>);

static METHOD_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

#[pymethods]
impl GatedFunction {
    #[new]
    #[pyo3(signature = (slow, gate, miss, home, key, *, method=None, most=0, keywords=None, tensor_likes=None, binds=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        slow: Py<PyAny>,
        gate: Py<PyAny>,
        miss: Py<PyAny>,
        home: Py<PyString>,
        key: Py<PyString>,
        method: Option<Py<PyAny>>,
        most: usize,
        keywords: Option<Vec<String>>,
        tensor_likes: Option<Py<PyAny>>,
        binds: bool,
    ) -> Self {
        let twin = method
            .zip(tensor_likes)
            .map(|(method, tensor_likes)| MethodTwin {
                method,
                most,
                keywords: keywords
                    .iter()
                    .flatten()
                    .map(|k| PyString::intern(py, k).unbind())
                    .collect(),
                tensor_likes,
            });
        GatedFunction {
            slow,
            gate,
            miss,
            twin,
            binds,
            home,
            key,
        }
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        if gate_may_answer(args, kwargs) {
            let passed = match kwargs {
                Some(kwargs) => kwargs.clone(),
                None => PyDict::new(py),
            };
            let result = this.gate.bind(py).call1((slf, args, passed))?;
            if !result.is(this.miss.bind(py)) {
                return Ok(result.unbind());
            }
        }
        if let Some(twin) = &this.twin {
            if let Some(result) = twin.call(slf, args, kwargs)? {
                return Ok(result);
            }
        }
        match this.slow.bind(py).call(args, kwargs) {
            Ok(result) => Ok(result.unbind()),
            Err(failure) => {
                // the hottest functions are not wrapped by `_argument_types`' parser check
                static FAILED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
                let failed = FAILED.import(py, "ferrograd._argument_types", "function_failed")?;
                let kwargs = match kwargs {
                    Some(kwargs) => kwargs.clone(),
                    None => PyDict::new(py),
                };
                Ok(failed
                    .call1((slf, args, kwargs, failure.into_value(py)))?
                    .unbind())
            }
        }
    }

    /// A class attribute: itself (PyTorch's builtins), or a bound method where PyTorch's
    /// function is written in Python.
    fn __get__(
        slf: &Bound<'_, Self>,
        instance: Option<&Bound<'_, PyAny>>,
        _owner: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        match instance {
            Some(instance) if slf.get().binds && !instance.is_none() => {
                let method_type = METHOD_TYPE.import(py, "types", "MethodType")?;
                Ok(method_type.call1((slf, instance))?.unbind())
            }
            _ => Ok(slf.clone().into_any().unbind()),
        }
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let name = slf.getattr("__qualname__")?;
        Ok(format!("<function {name} at {:p}>", slf.as_ptr()))
    }

    /// Pickled by reference: unpickling looks the namespace up for the same object.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, ModuleAndName)> {
        let py = slf.py();
        let this = slf.get();
        let find = py.import("ferrograd._core")?.getattr("_public_function")?;
        Ok((find, (this.home.clone_ref(py), this.key.clone_ref(py))))
    }
}

/// `module.name`: how a pickled public function is found again.
#[pyfunction]
fn _public_function<'py>(py: Python<'py>, module: &str, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import(module)?.getattr(name)
}

/// Opens or closes the gates of every `_GatedFunction`: whether a dispatching subclass
/// exists, and whether a mode is in use (`_subclass_dispatch` keeps them in step with
/// its `LIVE[0]`).
#[pyfunction]
fn _set_dispatch_live(subclasses: bool, modes: bool) {
    SUBCLASSES_LIVE.store(subclasses, Ordering::Relaxed);
    MODES_LIVE.store(modes, Ordering::Relaxed);
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<GatedFunction>()?;
    m.add_function(wrap_pyfunction!(_public_function, m)?)?;
    m.add_function(wrap_pyfunction!(_set_dispatch_live, m)?)?;
    Ok(())
}
