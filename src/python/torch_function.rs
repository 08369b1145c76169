//! PyTorch's `__torch_function__` check of a Tensor method's arguments: an argument
//! whose type overrides `__torch_function__` (a Tensor subclass other than those that
//! set `_disabled_torch_function_impl`, or a tensor-like that is no Tensor) takes the
//! call, `type(arg).__torch_function__(Tensor.<name>, types, args, kwargs)`, as PyTorch's
//! argument parser hands it over. A binding asks `dispatched` before reading its tensor
//! arguments; an exact Tensor or a Python number answers at a type-pointer compare, so
//! the common call pays a few instructions. The receiver is not looked at: a subclass
//! receiver's methods are dispatching wrappers (`_subclass_dispatch._init_subclass`).

use super::tensor::PyTensor;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PySlice, PyString, PyTuple};
use pyo3::PyTypeInfo;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Tensor's type object, kept where one load finds it (pyo3's lazy type object costs a
/// call per look).
static TENSOR_TYPE: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());

#[inline]
fn tensor_type(py: Python<'_>) -> *mut ffi::PyTypeObject {
    let known = TENSOR_TYPE.load(Ordering::Relaxed);
    if !known.is_null() {
        return known;
    }
    let found = PyTensor::type_object_raw(py);
    TENSOR_TYPE.store(found, Ordering::Relaxed);
    found
}

/// Whether `obj`'s type overrides `__torch_function__`.
#[inline]
pub fn overrides(obj: &Bound<'_, PyAny>) -> bool {
    if obj.get_type_ptr() == tensor_type(obj.py())
        || obj.is_exact_instance_of::<PyFloat>()
        || obj.is_exact_instance_of::<PyInt>()
        || obj.is_none()
    {
        return false;
    }
    overrides_rarely(obj)
}

/// `overrides` past the common types: the type's `__torch_function__` is looked up.
#[inline(never)]
fn overrides_rarely(obj: &Bound<'_, PyAny>) -> bool {
    // the other arguments often found in a tensor's place, which define nothing
    if obj.is_exact_instance_of::<PyBool>()
        || obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyTuple>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PySlice>()
        || obj.is(obj.py().Ellipsis())
    {
        return false;
    }
    if is_parameter(obj) {
        return false; // as PyTorch's check takes `Parameter` for a plain tensor, at once
    }
    let py = obj.py();
    match obj
        .get_type()
        .getattr_opt(intern!(py, "__torch_function__"))
    {
        Ok(Some(found)) => !is_disabled_impl(&found),
        _ => false,
    }
}

static PARAMETER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Whether `obj` is exactly an `nn.Parameter` (whose `__torch_function__` is the
/// disabled one); false, and not remembered, while `ferrograd.nn` is not loaded.
#[inline]
fn is_parameter(obj: &Bound<'_, PyAny>) -> bool {
    let py = obj.py();
    let parameter = PARAMETER.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let modules = py.import("sys")?.getattr("modules")?;
        let nn = modules.get_item("ferrograd.nn.parameter")?;
        Ok(nn.getattr("Parameter")?.unbind())
    });
    parameter.is_ok_and(|p| obj.get_type().is(p))
}

static DISABLED_IMPL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Whether `found` is `_disabled_torch_function_impl` (as `nn.Parameter` sets it), itself
/// or as the function of a method.
fn is_disabled_impl(found: &Bound<'_, PyAny>) -> bool {
    let py = found.py();
    let disabled = DISABLED_IMPL.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("ferrograd._subclass_dispatch")?
            .getattr("_disabled_torch_function_impl")?
            .unbind())
    });
    let Ok(disabled) = disabled else {
        return false;
    };
    found.is(disabled)
        || found
            .getattr_opt(intern!(py, "__func__"))
            .is_ok_and(|f| f.is_some_and(|f| f.is(disabled)))
}

/// Whether `index` (of `x[index]`) overrides, or a tuple or list item of it does (one
/// level deep, as PyTorch looks).
pub fn index_overrides(index: &Bound<'_, PyAny>) -> bool {
    if let Ok(items) = index.cast::<PyTuple>() {
        return items.iter().any(|item| overrides(&item));
    }
    if let Ok(items) = index.cast::<PyList>() {
        return items.iter().any(|item| overrides(&item));
    }
    overrides(index)
}

/// A keyword argument of a method: its name, and its value where one was given.
pub type Keyword<'a, 'py> = (&'a str, Option<&'a Bound<'py, PyAny>>);

/// `receiver.<name>(*args, **kwargs)` as an overriding argument's type answers it;
/// `None` when no argument (the receiver aside) overrides, or when dispatch is off
/// (inside a `__torch_function__` implementation): the binding then computes.
/// `receiver` makes the receiver's object (asked for only when an argument overrides).
#[inline]
pub fn dispatched<'py>(
    py: Python<'py>,
    name: &str,
    receiver: impl FnOnce() -> PyResult<Py<PyAny>>,
    args: &[&Bound<'py, PyAny>],
    kwargs: &[Keyword<'_, 'py>],
) -> PyResult<Option<Py<PyAny>>> {
    let found = args.iter().any(|a| overrides(a))
        || kwargs.iter().any(|(_, v)| v.is_some_and(|v| overrides(v)));
    if !found {
        return Ok(None);
    }
    hand_over_keywords(py, name, receiver()?, args, kwargs)
}

#[cold]
#[inline(never)]
fn hand_over_keywords<'py>(
    py: Python<'py>,
    name: &str,
    receiver: Py<PyAny>,
    args: &[&Bound<'py, PyAny>],
    kwargs: &[Keyword<'_, 'py>],
) -> PyResult<Option<Py<PyAny>>> {
    let given: Vec<(&str, &Bound<'py, PyAny>)> = kwargs
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    let dict = if given.is_empty() {
        None
    } else {
        let dict = PyDict::new(py);
        for (k, v) in given {
            dict.set_item(k, v)?;
        }
        Some(dict)
    };
    hand_over(py, name, with_receiver(py, receiver, args)?, dict.as_ref())
}

fn with_receiver<'py>(
    py: Python<'py>,
    receiver: Py<PyAny>,
    args: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyTuple>> {
    let mut all = vec![receiver.into_bound(py)];
    all.extend(args.iter().map(|a| (*a).clone()));
    PyTuple::new(py, all)
}

/// `dispatched` for a binding that has its keywords as a dict (`div(other, **kwargs)`).
#[inline]
pub fn dispatched_with_dict<'py>(
    py: Python<'py>,
    name: &str,
    receiver: impl FnOnce() -> PyResult<Py<PyAny>>,
    args: &[&Bound<'py, PyAny>],
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    let found = args.iter().any(|a| overrides(a))
        || kwargs.is_some_and(|d| d.values().iter().any(|v| overrides(&v)));
    if !found {
        return Ok(None);
    }
    let args = with_receiver(py, receiver()?, args)?;
    hand_over(py, name, args, kwargs)
}

/// `ferrograd._tensor_likes.method_call`: the overriding types' answer, or `None` for
/// its NotImplemented (dispatch is off).
#[cold]
pub fn hand_over(
    py: Python<'_>,
    name: &str,
    args: Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    let answer = py
        .import("ferrograd._tensor_likes")?
        .getattr("method_call")?
        .call1((name, args, kwargs))?;
    if answer.is(py.NotImplemented()) {
        return Ok(None);
    }
    Ok(Some(answer.unbind()))
}

static MISS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `tensor <op> other` (`dunder`: the operator's method, `__add__`, `__rsub__`, ...) as
/// `ferrograd._tensor_likes.operator_call` answers it; `None` for its MISS (dispatch is
/// off, or no type overrides after all): the operator computes.
#[cold]
#[inline(never)]
pub fn operator(
    dunder: &str,
    tensor: &Bound<'_, PyAny>,
    other: &Bound<'_, PyAny>,
) -> PyResult<Option<Py<PyAny>>> {
    let py = tensor.py();
    let likes = py.import("ferrograd._tensor_likes")?;
    let miss = MISS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(likes.getattr("MISS")?.unbind())
    })?;
    let answer = likes
        .getattr("operator_call")?
        .call1((dunder, tensor, other))?;
    if answer.is(miss) {
        return Ok(None);
    }
    Ok(Some(answer.unbind()))
}
