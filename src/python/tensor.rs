//! The Python `Tensor` class. Hot operators live here in Rust; conveniences that are
//! not on the hot path are added to the class by `python/ferrograd/_tensor.py`.

use super::convert::{
    dims_of, dtype_object, operand_against, operand_required, operand_required_against, opt_dtype,
    scalar_of, sizes_of, uint64_exponent, uint64_int,
};
use super::errors::{guarded, guarded_nogil, stash, IntoPyResult, RELEASE_GIL_FROM};
use super::grad_fn::{grad_fn_object, PyHookHandle};
use super::int_args::{int_arg, opt_int_arg};
use super::number_arg::NumberArg;
use super::py_refs::{self, PyCallable};
use super::strided_arg::strided_argument;
use super::torch_function::{self, Keyword};
use crate::autograd::node::next_hook_id;
use crate::autograd::AutogradMeta;
use crate::ops::{self, IndexItem};
use crate::tensor::{DType, Scalar, Tensor};
use pyo3::exceptions::{
    PyIndexError, PyNotImplementedError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyEllipsis, PyInt, PySlice, PyTuple};
use pyo3::IntoPyObjectExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// PyTorch's warning for reading `.grad` of a non-leaf that does not retain it.
const SLICE_TRUNCATION_WARNING: &std::ffi::CStr = c"Truncating the start/stop/step of slice. This is likely because of saved old models when the start/stop/step were larger.";
const NON_LEAF_GRAD_WARNING: &std::ffi::CStr = c"The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)";

/// A multi-dimensional array of one dtype that can record the operations on it for
/// reverse-mode differentiation (`backward()`), with PyTorch's Tensor API.
///
/// Create tensors with `ferrograd.tensor`, `zeros`, `ones`, `rand`, ...; `Tensor(*sizes)`
/// makes an uninitialised float tensor, `Tensor(sequence)` a float tensor of that data.
#[pyclass(name = "Tensor", module = "ferrograd", subclass, weakref, dict)]
pub struct PyTensor {
    /// The tensor as stored, lazy bits and all: what metadata, views and in-place ops
    /// use; ops that read values take `t()`.
    pub raw: Tensor,
    /// Strided, or the layout a Python subclass implements (`layout_tag`).
    pub layout: super::layout_tag::LayoutSlot,
}

impl PyTensor {
    /// The tensor's values for an op to read: `raw` itself, or for a view with lazy
    /// bits (`conj()`, `_neg_view()`) a resolved copy standing for it in autograd.
    #[inline]
    pub fn t(&self) -> super::operand::Operand {
        super::operand::Operand::of(&self.raw)
    }
}

/// The Python object for `t`: the existing one if `t` already has one, else a new one.
pub fn wrap(py: Python<'_>, t: Tensor) -> PyResult<Py<PyAny>> {
    let existing = t.0.py_slot.object.load(Ordering::Acquire);
    if existing != 0 {
        let ptr = existing as *mut pyo3::ffi::PyObject;
        // SAFETY: the slot is set only while that object lives (its Drop clears it) and
        // both happen with the GIL held, as here; an object already being freed has a
        // zero reference count and is not revived.
        unsafe {
            if pyo3::ffi::Py_REFCNT(ptr) > 0 {
                return Ok(Bound::from_borrowed_ptr(py, ptr).unbind());
            }
        }
    }
    if t.dtype() == DType::C32 {
        warn_complex_half_once(py)?;
    }
    let obj = super::tensor_object::new_tensor_object(
        py,
        PyTensor {
            raw: t,
            layout: Default::default(),
        },
        claim_slot_at,
    )?;
    Ok(obj.into_any())
}

/// PyTorch warns once per process when the first complex32 tensor is made.
fn warn_complex_half_once(py: Python<'_>) -> PyResult<()> {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if WARNED.swap(true, Ordering::Relaxed) {
        return Ok(());
    }
    py.import("ferrograd._user_warning")?.call_method1(
        "warn_at_caller",
        ("ComplexHalf support is experimental and many operators don't support it yet. (Triggered internally at \
          /__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.)",),
    )?;
    Ok(())
}

fn claim_slot(me: &PyTensor, object: usize) {
    claim_slot_at(me, object, me as *const PyTensor as usize);
}

/// `claim_slot` for a `PyTensor` that will move to `owner` inside `object`.
fn claim_slot_at(me: &PyTensor, object: usize, owner: usize) {
    let slot = &me.raw.0.py_slot;
    slot.object.store(object, Ordering::Release);
    slot.owner.store(owner, Ordering::Release);
}

/// Puts `new` in the object's place (a view op done in place changes the layout).
pub fn replace_contents(slf: &Bound<'_, PyTensor>, new: Tensor) {
    let mut me = slf.borrow_mut();
    AutogradMeta::follow_new_contents(&me.raw, &new);
    release_slot(&me);
    me.raw = new;
    claim_slot(&me, slf.as_ptr() as usize);
}

/// Exchanges the contents of two objects, each keeping its identity (`swap_tensors`).
pub fn swap_contents(a: &Bound<'_, PyTensor>, b: &Bound<'_, PyTensor>) -> PyResult<()> {
    if a.is(b) {
        return Ok(());
    }
    let mut me = a.try_borrow_mut()?;
    let mut other = b.try_borrow_mut()?;
    release_slot(&me);
    release_slot(&other);
    std::mem::swap(&mut me.raw, &mut other.raw);
    claim_slot(&me, a.as_ptr() as usize);
    claim_slot(&other, b.as_ptr() as usize);
    Ok(())
}

fn release_slot(me: &PyTensor) {
    let slot = &me.raw.0.py_slot;
    if slot.owner.load(Ordering::Acquire) == me as *const PyTensor as usize {
        slot.object.store(0, Ordering::Release);
        slot.owner.store(0, Ordering::Release);
    }
}

// The tensor handle is one pointer, so `contents_written` can test it for null.
const _: () = assert!(std::mem::size_of::<Tensor>() == std::mem::size_of::<usize>());

/// Whether the object's Rust contents exist. Allocating a new object's `__dict__` can
/// start a garbage collection that traverses the object before pyo3 has written its
/// contents; the memory is zero-filled by CPython's allocator until then.
fn contents_written(me: &PyTensor) -> bool {
    // SAFETY: reads the pointer-sized field as plain bits, without dereferencing it; the
    // object's memory is allocated (and zero-filled at allocation) whenever this runs.
    let bits = unsafe { std::ptr::read(std::ptr::addr_of!(me.raw).cast::<usize>()) };
    bits != 0
}

impl Drop for PyTensor {
    fn drop(&mut self) {
        release_slot(self);
    }
}

type Binary = fn(&Tensor, &Tensor) -> crate::error::Result<Tensor>;

/// `x + obj` where `obj` is no operand: an object whose type defines
/// `__torch_function__` (a tensor-like) is handed the call, as in PyTorch; for any
/// other, NotImplemented lets Python try `obj`'s reflected operator.
fn tensor_like_operator(
    py: Python<'_>,
    name: &str,
    a: &Tensor,
    other: &Bound<'_, PyAny>,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    if !other.get_type().hasattr("__torch_function__")? {
        return Ok(py.NotImplemented());
    }
    Ok(tensor_like_call(
        py,
        "operator",
        (name, wrap(py, a.clone())?, other, reflected),
    )?
    .unbind())
}

/// `x[idx]` or `x[idx] = v` that raised `failure`: a tensor-like in the index (or one
/// level inside it) or the value is handed the call as PyTorch does; else `failure`.
fn index_failure<'py>(
    py: Python<'py>,
    failure: PyErr,
    name: &str,
    args: Bound<'py, PyTuple>,
) -> PyResult<Py<PyAny>> {
    let args = (failure.into_value(py), name, args);
    Ok(tensor_like_call(py, "after_index_failure", args)?.unbind())
}

/// `ferrograd._tensor_likes.<entry>(*args)`: the Python side of the tensor-like dispatch.
fn tensor_like_call<'py>(
    py: Python<'py>,
    entry: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("ferrograd._tensor_likes")?
        .getattr(entry)?
        .call1(args)
}

/// `slf <op> o` (`dunder`: the operator's method) when either operand's type overrides
/// `__torch_function__`: the answer of `ferrograd._tensor_likes.operator_call`; `None`
/// when neither does, or while dispatch is off.
#[inline]
fn operator_overridden(
    slf: &Bound<'_, PyTensor>,
    dunder: &str,
    o: &Bound<'_, PyAny>,
) -> PyResult<Option<Py<PyAny>>> {
    if !torch_function::overrides(o) && !torch_function::overrides(slf.as_any()) {
        return Ok(None);
    }
    torch_function::operator(dunder, slf.as_any(), o)
}

/// `torch_function::dispatched` for a method of `me` (`&self` bindings).
#[inline]
fn overridden<'py>(
    py: Python<'py>,
    name: &str,
    me: &PyTensor,
    args: &[&Bound<'py, PyAny>],
    kwargs: &[Keyword<'_, 'py>],
) -> PyResult<Option<Py<PyAny>>> {
    torch_function::dispatched(py, name, || wrap(py, me.raw.clone()), args, kwargs)
}

/// `torch_function::dispatched` for a method of the object `slf`.
#[inline]
fn overridden_on<'py>(
    slf: &Bound<'py, PyTensor>,
    name: &str,
    args: &[&Bound<'py, PyAny>],
    kwargs: &[Keyword<'_, 'py>],
) -> PyResult<Option<Py<PyAny>>> {
    let receiver = || Ok(slf.clone().into_any().unbind());
    torch_function::dispatched(slf.py(), name, receiver, args, kwargs)
}

/// `alpha=` as the keywords handed to a tensor-like (none when not given).
fn alpha_kwargs<'py>(
    py: Python<'py>,
    alpha: Option<&Bound<'py, PyAny>>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(alpha) = alpha else {
        return Ok(None);
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("alpha", alpha)?;
    Ok(Some(kwargs))
}

/// `a.<name>(other, **kwargs)` where `other` is of a layout written in Python: the
/// answer of `ferrograd._layouts.method` (the op for that layout, or PyTorch's error);
/// `None` for any other `other`.
fn foreign_operand(
    py: Python<'_>,
    name: &str,
    a: &Tensor,
    other: &Bound<'_, PyAny>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    if !super::layout_tag::is_foreign(other) {
        return Ok(None);
    }
    let args = (name, wrap(py, a.clone())?, other, kwargs);
    super::layout_tag::foreign_call(py, std::slice::from_ref(other), "method", args)
}

/// `a.<name>(other)` for a binary method without options (`mul`, `eq`, ...), a
/// tensor-like `other` taking the call.
fn method_binary(
    py: Python<'_>,
    name: &str,
    me: &PyTensor,
    other: &Bound<'_, PyAny>,
    f: Binary,
) -> PyResult<Py<PyAny>> {
    super::strided_arg::check_receiver(me, py, name)?;
    if let Some(out) = overridden(py, name, me, &[other], &[])? {
        return Ok(out);
    }
    let a = &*me.t();
    if let Some(out) = foreign_operand(py, name, a, other, None)? {
        return Ok(out);
    }
    let b = operand_required_against(a, other, name)?;
    wrap(py, guarded(name, || f(a, &b))?)
}

fn binary(
    py: Python<'_>,
    name: &str,
    a: &Tensor,
    other: &Bound<'_, PyAny>,
    f: Binary,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let exponent = if name == "pow" && !reflected {
        uint64_exponent(a, other)?
    } else {
        None
    };
    let b = match exponent {
        Some(b) => Some(b),
        None => operand_against(a, other, name)?,
    };
    match b {
        None => tensor_like_operator(py, name, a, other, reflected),
        Some(b) => {
            let big = a.numel().max(b.numel()) >= RELEASE_GIL_FROM;
            // PyTorch's `n + x` and `n * x` are `x.add(n)`, `x.mul(n)`: x's edge first
            let commutes = name == "add" || name == "mul";
            let r = if reflected && !commutes {
                guarded_nogil(py, big, name, || f(&b, a))?
            } else {
                guarded_nogil(py, big, name, || f(a, &b))?
            };
            wrap(py, r)
        }
    }
}

/// `number ** t` keeps the number on its `PowBackward2` node as given, so that
/// `_saved_self` still reads it once backward has freed the wrapped tensor.
fn keep_number_base(out: &Bound<'_, PyAny>, base: &Bound<'_, PyAny>) -> PyResult<()> {
    let Ok(out) = out.cast::<PyTensor>() else {
        return Ok(());
    };
    if base.is_instance_of::<PyTensor>() || !out.borrow().raw.requires_grad() {
        return Ok(());
    }
    if let Some(number) = super::convert::scalar_of(base)? {
        let kept = vec![("self", crate::autograd::node::SavedArg::Scalar(number))];
        crate::autograd::record::save_args_for(&out.borrow().t(), "PowBackward2", || kept);
    }
    Ok(())
}

/// `viewing` on this tensor's stored form (see `operand::viewing`).
fn viewing(
    me: &PyTensor,
    op: impl Fn(&Tensor) -> crate::error::Result<Tensor>,
) -> crate::error::Result<Tensor> {
    super::operand::viewing(&me.raw, op)
}

/// PyTorch refuses an in-place op reading part of what it writes.
fn refuse_partial_overlap(slf: &Bound<'_, PyTensor>, read: &Tensor) -> PyResult<()> {
    ops::mem_overlap::check_no_partial_overlap(&slf.borrow().raw, read).py()
}

fn inplace(
    slf: &Bound<'_, PyTensor>,
    name: &str,
    saves_self: bool,
    op: impl FnOnce(&Tensor) -> crate::error::Result<Tensor>,
) -> PyResult<Py<PyAny>> {
    let t = slf.borrow().raw.clone();
    guarded(name, || ops::apply_inplace(&t, name, saves_self, op))?;
    Ok(slf.clone().into_any().unbind())
}

/// `slf op= b` (`+=`, `-=`, `*=`, `/=`): written in place in one pass when nothing is
/// recorded, else through `inplace`.
fn inplace_arith(slf: &Bound<'_, PyTensor>, b: &Tensor, op: ops::InplaceArith) -> PyResult<()> {
    let t = slf.borrow().raw.clone();
    guarded(op.name(), || ops::arith_inplace(&t, b, op))
}

/// `slf <op>= o` (`op`: add, sub, mul, div, pow): written in place, with `o` read as
/// the out-of-place operator reads it (a uint64-range int included); NotImplemented for
/// anything else, so that Python tries `slf <op> o` (a NumPy array's result), and a
/// tensor-like's `__torch_function__` answer for `Tensor.<op>_`, as in PyTorch.
fn augmented(
    slf: &Bound<'_, PyTensor>,
    o: &Bound<'_, PyAny>,
    op: &str,
    arith: Option<ops::InplaceArith>,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    if torch_function::overrides(o) {
        let answer = tensor_like_call(py, "inplace", (op, slf, o))?;
        if !answer.is(py.NotImplemented()) {
            return Ok(answer.unbind());
        }
    }
    let a = slf.borrow().raw.clone();
    let exponent = if op == "pow" {
        uint64_exponent(&a, o)?
    } else {
        None
    };
    let b = match exponent {
        Some(b) => b,
        None => match operand_against(&a, o, op)? {
            Some(b) => b,
            None => return tensor_like_call(py, "inplace", (op, slf, o)).map(Bound::unbind),
        },
    };
    refuse_partial_overlap(slf, &b)?;
    match arith {
        Some(arith) => {
            inplace_arith(slf, &b, arith)?;
            Ok(slf.clone().into_any().unbind())
        }
        None => inplace(slf, "pow_", true, |t| ops::pow(t, &b)),
    }
}

/// Installs the augmented assignments (`Tensor._iadd` as `Tensor.__iadd__`, ...).
pub fn install_inplace_operators(tensor_type: &Bound<'_, PyAny>) -> PyResult<()> {
    for name in ["add", "sub", "mul", "truediv", "pow"] {
        let method = tensor_type.getattr(format!("_i{name}"))?;
        tensor_type.setattr(format!("__i{name}__"), method)?;
    }
    Ok(())
}

/// PyTorch's refusal to set or delete a read-only attribute of a tensor.
fn not_writable(name: &str) -> PyErr {
    pyo3::exceptions::PyAttributeError::new_err(format!(
        "attribute '{name}' of 'ferrograd._C.TensorBase' objects is not writable"
    ))
}

/// PyTorch expands the first `...` of an index and ignores any later ones.
fn without_extra_ellipses<'py>(
    py: Python<'py>,
    idx: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let Ok(t) = idx.cast::<PyTuple>() else {
        return Ok(idx.clone());
    };
    let ellipsis = PyEllipsis::get(py);
    if t.iter().filter(|i| i.is(ellipsis)).count() < 2 {
        return Ok(idx.clone());
    }
    let mut seen = false;
    let kept: Vec<Bound<'py, PyAny>> = t
        .iter()
        .filter(|i| {
            let extra = seen && i.is(ellipsis);
            seen |= i.is(ellipsis);
            !extra
        })
        .collect();
    Ok(PyTuple::new(py, kept)?.into_any())
}

/// PyTorch reads a tuple inside an index tuple, and a `range` anywhere in an index, as a
/// sequence index, as it reads a list.
fn inner_tuples_as_lists<'py>(
    py: Python<'py>,
    idx: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::{PyList, PyRange};
    let Ok(t) = idx.cast::<PyTuple>() else {
        if idx.is_instance_of::<PyRange>() {
            return Ok(PyList::new(py, idx.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any());
        }
        return Ok(idx.clone());
    };
    let is_sequence =
        |i: &Bound<'py, PyAny>| i.is_instance_of::<PyTuple>() || i.is_instance_of::<PyRange>();
    if !t.iter().any(|i| is_sequence(&i)) {
        return Ok(idx.clone());
    }
    let items = t
        .iter()
        .map(|i| {
            if is_sequence(&i) {
                Ok(PyList::new(py, i.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any())
            } else {
                Ok(i)
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, items)?.into_any())
}

fn index_items(py: Python<'_>, idx: &Bound<'_, PyAny>) -> PyResult<Vec<IndexItem>> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(t) = idx.cast::<PyTuple>() {
        t.iter().collect()
    } else {
        vec![idx.clone()]
    };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        if it.is_none() {
            out.push(IndexItem::NewAxis);
        } else if it.is(PyEllipsis::get(py)) {
            out.push(IndexItem::Ellipsis);
        } else if let Ok(s) = it.cast::<PySlice>() {
            let get = |name: &str| -> PyResult<Option<i64>> {
                let v = s.getattr(name)?;
                if v.is_none() {
                    Ok(None)
                } else if v.is_instance_of::<pyo3::types::PyInt>() && v.extract::<i64>().is_err() {
                    // Python clamps slice bounds past int64, as PyTorch does
                    Ok(Some(if v.gt(0)? { i64::MAX } else { i64::MIN }))
                } else if v.cast::<PyTensor>().is_err() && !v.hasattr("__index__")? {
                    Err(PyTypeError::new_err(
                        "slice indices must be integers or None or have an __index__ method",
                    ))
                } else {
                    Ok(Some(slice_bound(&v)?))
                }
            };
            let step = get("step")?.unwrap_or(1);
            if step == 0 {
                return Err(PyValueError::new_err("slice step cannot be zero"));
            }
            let (start, stop) = (get("start")?, get("stop")?);
            if start == Some(i64::MIN) || stop == Some(i64::MIN) {
                // PyTorch reads a bound at (or clamped to) int64's minimum as a truncated one
                PyErr::warn(
                    py,
                    &py.get_type::<pyo3::exceptions::PyUserWarning>(),
                    SLICE_TRUNCATION_WARNING,
                    1,
                )?;
            }
            out.push(IndexItem::Slice(start, stop, step));
        } else if it.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyIndexError::new_err(
                "boolean indices are not supported yet",
            ));
        } else if it.is_instance_of::<pyo3::types::PyInt>() && it.extract::<i64>().is_err() {
            return Err(PyValueError::new_err("Overflow when unpacking long long"));
        } else if let Ok(i) = int_index(&it) {
            out.push(IndexItem::Int(i));
        } else if it.is_instance_of::<pyo3::types::PyString>()
            || it.is_instance_of::<pyo3::types::PyBytes>()
        {
            // PyTorch tries to make a tensor of a string index
            return Err(PyTypeError::new_err(format!(
                "new(): invalid data type '{}'",
                it.get_type().name()?
            )));
        } else {
            return Err(PyIndexError::new_err(format!(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got {})",
                it.get_type().name()?
            )));
        }
    }
    Ok(out)
}

/// Sizes given either positionally (`f(2, 3)`, `f((2, 3))`) or as the one keyword
/// argument `name` (`f(name=(2, 3))`), as PyTorch's parser accepts them.
fn sizes_or_keyword(
    args: &Bound<'_, PyTuple>,
    keyword: Option<&Bound<'_, PyAny>>,
    fn_name: &str,
    name: &str,
) -> PyResult<Vec<i64>> {
    let Some(k) = keyword else {
        if args.is_empty() {
            return Err(PyTypeError::new_err(format!(
                "{fn_name}() missing 1 required positional arguments: \"{name}\""
            )));
        }
        // PyTorch's parser takes tuples and lists of ints, not a range
        if args.len() == 1 && args.get_item(0)?.is_instance_of::<pyo3::types::PyRange>() {
            return Err(PyTypeError::new_err(format!(
                "{fn_name}(): argument '{name}' (position 1) must be tuple of ints, not range"
            )));
        }
        return sizes_of(args);
    };
    if !args.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "{fn_name}() received an invalid combination of arguments - got positional sizes and {name}="
        )));
    }
    if k.is_instance_of::<pyo3::types::PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{fn_name}(): argument '{name}' must be tuple of ints, not int"
        )));
    }
    super::convert::int_list(k, name)
}

fn invalid_view_arguments() -> PyErr {
    PyTypeError::new_err(
        "view() received an invalid combination of arguments - expected one of:\n * (ferrograd.dtype dtype)\n * (tuple of ints size)\n",
    )
}

/// Whether an index needs advanced indexing: tensors (other than 0-dim integers),
/// lists, arrays or bools, alone or inside a tuple.
fn is_advanced(idx: &Bound<'_, PyAny>) -> PyResult<bool> {
    let one = |it: &Bound<'_, PyAny>| -> PyResult<bool> {
        if let Ok(t) = it.cast::<PyTensor>() {
            let t = &t.borrow().t();
            return Ok(!(t.ndim() == 0 && t.dtype() == crate::tensor::DType::I64));
        }
        if it.is_instance_of::<pyo3::types::PyList>() || it.is_instance_of::<pyo3::types::PyBool>()
        {
            return Ok(true);
        }
        if it.is_instance_of::<pyo3::types::PyInt>()
            || it.is_instance_of::<PySlice>()
            || it.is_none()
        {
            return Ok(false);
        }
        if !it.hasattr("__array_interface__")? {
            return Ok(false);
        }
        refuse_numpy_non_integer_scalar(it)?;
        Ok(!is_numpy_integer_scalar(it))
    };
    if let Ok(t) = idx.cast::<PyTuple>() {
        for it in t.iter() {
            if one(&it)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    one(idx)
}

/// PyTorch indexes with NumPy integer scalars only: a NumPy bool or float scalar is
/// refused (a 0-d array is not a scalar and indexes as an array).
fn refuse_numpy_non_integer_scalar(it: &Bound<'_, PyAny>) -> PyResult<()> {
    let ty = it.get_type();
    let module = ty.module()?;
    let name = ty.name()?;
    if module.to_str()? != "numpy" || name.to_str()? == "ndarray" || is_numpy_integer_scalar(it) {
        return Ok(());
    }
    Err(PyIndexError::new_err(format!(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got numpy.{name})"
    )))
}

/// PyTorch's errors for a lone int or slice index of a 0-dim tensor (a tuple index
/// gets "too many indices" instead).
fn check_zero_dim_single_index(
    t: &Tensor,
    idx: &Bound<'_, PyAny>,
    items: &[IndexItem],
) -> PyResult<()> {
    if t.ndim() != 0 || idx.is_instance_of::<PyTuple>() {
        return Ok(());
    }
    if idx.cast::<PyTensor>().is_ok() {
        // a tensor index is never read as a number here
        return Err(PyIndexError::new_err(
            "too many indices for tensor of dimension 0",
        ));
    }
    match items {
        [IndexItem::Int(_)] => Err(PyIndexError::new_err(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
        )),
        [IndexItem::Slice(_, _, step)] if *step < 0 => {
            Err(PyValueError::new_err("step must be greater than zero"))
        }
        [IndexItem::Slice(..)] => Err(PyIndexError::new_err(
            "slice() cannot be applied to a 0-dim tensor.",
        )),
        _ => Ok(()),
    }
}

/// A NumPy integer scalar or 0-d integer array: PyTorch indexes with it as with an int
/// (the dimension goes away), not as with an index array.
fn is_numpy_integer_scalar(it: &Bound<'_, PyAny>) -> bool {
    let zero_dims = it
        .getattr("ndim")
        .and_then(|n| n.extract::<usize>())
        .is_ok_and(|n| n == 0);
    zero_dims
        && it
            .getattr("dtype")
            .and_then(|d| d.getattr("kind"))
            .and_then(|k| k.extract::<String>())
            .is_ok_and(|k| k == "i" || k == "u")
}

fn int_index(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    if let Ok(t) = v.cast::<PyTensor>() {
        let t = &t.borrow().t();
        if t.ndim() == 0 && t.dtype() == crate::tensor::DType::I64 {
            if let Ok(Scalar::Int(i)) = t.item() {
                return Ok(i);
            }
        }
        return Err(PyIndexError::new_err("tensors used as indices must be long, int, byte or bool tensors (advanced indexing is not supported yet)"));
    }
    v.call_method0("__index__")?.extract::<i64>()
}

/// A slice bound: PyTorch reads a tensor through `__index__`, so any one-element
/// integer (or bool) tensor counts as its value.
fn slice_bound(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    let Ok(t) = v.cast::<PyTensor>() else {
        return v.call_method0("__index__")?.extract::<i64>();
    };
    let t = &t.borrow().t();
    if !(t.dtype().is_floating() || t.dtype().is_complex()) && t.numel() == 1 {
        match t.item() {
            Ok(Scalar::Int(i)) => return Ok(i),
            Ok(Scalar::Bool(b)) => return Ok(b as i64),
            _ => {}
        }
    }
    Err(PyTypeError::new_err(
        "only integer tensors of a single element can be converted to an index",
    ))
}

fn py_hook(id: u64, f: Py<PyAny>) -> crate::autograd::TensorHook {
    let f = PyCallable::new(id, f);
    Arc::new(move |g: &Tensor| {
        Python::attach(|py| {
            let Some(f) = f.get(py) else {
                return Ok(None);
            };
            let arg = wrap(py, g.clone()).map_err(stash)?;
            let r = f.call1(py, (arg,)).map_err(stash)?;
            if r.is_none(py) {
                return Ok(None);
            }
            let f = f.bind(py);
            let t = super::grad_fn::hooked_value(r.bind(py)).map_err(stash)?;
            super::grad_fn::check_hooked_value(f, &t, g).map_err(stash)?;
            Ok(Some(t))
        })
    })
}

impl PyTensor {
    /// `self[idx]` (`__getitem__` hands a failure to a tensor-like in `idx`).
    fn getitem(&self, py: Python<'_>, idx: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let idx = &inner_tuples_as_lists(py, &without_extra_ellipses(py, idx)?)?;
        if is_advanced(idx)? {
            let fg = py.import("ferrograd._indexing")?;
            return Ok(fg
                .call_method1("advanced_getitem", (wrap(py, self.t().clone())?, idx))?
                .unbind());
        }
        let items = index_items(py, idx)?;
        check_zero_dim_single_index(&self.raw, idx, &items)?;
        let lone_slice = idx.is_instance_of::<PySlice>();
        wrap(
            py,
            guarded("index", || {
                viewing(self, |t| ops::index(t, &items, lone_slice))
            })?,
        )
    }
    /// `self[idx] = value` (`__setitem__` hands a failure to a tensor-like).
    fn setitem(
        &self,
        py: Python<'_>,
        idx: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        if value.is_instance_of::<PyInt>() && value.extract::<i64>().is_err() {
            // the parser reads an int value as int64 before any indexing
            return Err(PyValueError::new_err(super::int_args::OVERFLOW));
        }
        let value = &super::setitem_value::setitem_value(self.raw.dtype(), value)?;
        let idx = &inner_tuples_as_lists(py, &without_extra_ellipses(py, idx)?)?;
        if is_advanced(idx)? {
            let fg = py.import("ferrograd._indexing")?;
            fg.call_method1(
                "advanced_setitem",
                (wrap(py, self.raw.clone())?, idx, value),
            )?;
            return Ok(());
        }
        let items = index_items(py, idx)?;
        check_zero_dim_single_index(&self.raw, idx, &items)?;
        let v = super::convert::operand_or_array_required(value, "__setitem__")?;
        guarded("index_put_", || ops::index_put_(&self.raw, &items, &v))
    }
}

#[pymethods]
impl PyTensor {
    /// `Tensor(t)`: a new detached tensor sharing `t`'s storage (what subclasses such as
    /// `nn.Parameter` are built from); `Tensor(data)`: `tensor(data)` in the default
    /// dtype; `Tensor(*sizes)`: zeros of the default dtype; `Tensor()`: an empty 1-D tensor.
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        // sizes and a tensor here; data, a Size and keywords as the legacy type of the
        // default dtype takes them (`ferrograd.FloatTensor`)
        let sizes_only = args
            .iter()
            .all(|a| a.is_instance_of::<PyInt>() && !a.is_instance_of::<pyo3::types::PyBool>());
        if kwargs.is_none() && args.len() == 1 {
            if let Ok(t) = args.get_item(0)?.cast::<PyTensor>() {
                return Ok(PyTensor {
                    raw: t.borrow().raw.detached(),
                    layout: Default::default(),
                });
            }
        }
        if kwargs.is_some() || !sizes_only {
            let legacy = args.py().import("ferrograd._legacy_types")?;
            let made = legacy.getattr("default_type_new")?.call(args, kwargs)?;
            let t = made.cast::<PyTensor>()?.borrow().t().detached();
            return Ok(PyTensor {
                raw: t,
                layout: Default::default(),
            });
        }
        let sizes: Vec<usize> = if args.is_empty() {
            vec![0]
        } else {
            let s = sizes_of(args)?;
            if let Some(n) = s.iter().find(|&&n| n < 0) {
                return Err(PyRuntimeError::new_err(format!(
                    "Trying to create tensor with negative dimension {n}: {s:?}"
                )));
            }
            s.into_iter().map(|n| n as usize).collect()
        };
        let t = guarded("Tensor", || {
            Tensor::zeros(&sizes, crate::tensor::default_dtype())
        })?;
        Ok(PyTensor {
            raw: t,
            layout: Default::default(),
        })
    }

    /// The garbage collector's view: the hooks (and the grad_fn's hooks and Function
    /// context) that only this object can reach.
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        if !contents_written(self) || Arc::strong_count(&self.raw.0) != 1 {
            return Ok(());
        }
        match self.raw.meta_if_any() {
            Some(meta) => py_refs::visit_meta(&visit, meta),
            None => Ok(()),
        }
    }
    fn __clear__(&mut self) {
        if contents_written(self) && Arc::strong_count(&self.raw.0) == 1 {
            if let Some(meta) = self.raw.meta_if_any() {
                py_refs::clear_meta(meta);
            }
        }
    }

    /// Runs after `__new__` (also for subclasses): records the new object as the
    /// tensor's Python object, so that the graph hands back this same object.
    #[pyo3(signature = (*_args, **_kwargs))]
    fn __init__(
        slf: &Bound<'_, Self>,
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) {
        let me = slf.borrow();
        if me.raw.0.py_slot.object.load(Ordering::Acquire) == 0 {
            claim_slot(&me, slf.as_ptr() as usize);
        }
    }

    // ---- operators -------------------------------------------------------------
    fn __add__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__add__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "add", &me.t(), o, ops::add, false)
    }
    fn __radd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__radd__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "add", &me.t(), o, ops::add, true)
    }
    fn __sub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__sub__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "sub", &me.t(), o, ops::sub, false)
    }
    fn __rsub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rsub__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        if uint64_int(o).is_none() && !super::convert::is_ndarray(o) {
            if let Some(s) = scalar_of(o)? {
                return wrap(py, guarded("rsub", || ops::rsub_scalar(&me.t(), s))?);
            }
        }
        // PyTorch's `Tensor.__rsub__` is `rsub(self, other)` (`RsubBackward0`, or
        // `RsubBackward1` for a number)
        match operand_against(&me.t(), o, "sub")? {
            Some(b) => wrap(
                py,
                guarded("rsub", || {
                    ops::tensor_api::rsub(&me.t(), &b, Scalar::Int(1))
                })?,
            ),
            None => tensor_like_operator(py, "sub", &me.t(), o, true),
        }
    }
    fn __mul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__mul__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "mul", &me.t(), o, ops::mul, false)
    }
    fn __rmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rmul__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "mul", &me.t(), o, ops::mul, true)
    }
    fn __truediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__truediv__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "div", &me.t(), o, ops::div, false)
    }
    fn __rtruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rtruediv__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        // PyTorch computes `n / x` as `x.reciprocal() * n`
        guarded("div", || {
            ops::shell_refusals::refuse_float8("reciprocal_cpu", &me.t())
        })?;
        if uint64_int(o).is_some() {
            // an unsigned 64-bit n promotes against the (floating) reciprocal, never a bool x
            let reciprocal = guarded("div", || ops::reciprocal(&me.t()))?;
            if let Some(n) = operand_against(&reciprocal, o, "div")? {
                return wrap(py, guarded("div", || ops::mul(&reciprocal, &n))?);
            }
        }
        match operand_against(&me.t(), o, "div")? {
            // a NumPy array multiplies the reciprocal as NumPy does (its dtype)
            None if super::convert::is_ndarray(o) => {
                let reciprocal = wrap(py, guarded("div", || ops::reciprocal(&me.t()))?)?;
                Ok(reciprocal.bind(py).mul(o)?.unbind())
            }
            None => tensor_like_operator(py, "div", &me.t(), o, true),
            Some(b) => wrap(
                py,
                guarded("div", || ops::mul(&ops::reciprocal(&me.t())?, &b))?,
            ),
        }
    }
    /// PyTorch's old name for `__rtruediv__`, still a Tensor method.
    fn __rdiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        Self::__rtruediv__(slf, o)
    }
    fn __floordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__floordiv__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "floor_divide", &me.t(), o, ops::floor_divide, false)
    }
    fn __rfloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rfloordiv__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "floor_divide", &me.t(), o, ops::floor_divide, true)
    }
    fn __mod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__mod__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "remainder", &me.t(), o, ops::remainder_op, false)
    }
    fn __rmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rmod__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "remainder", &me.t(), o, ops::remainder_op, true)
    }
    fn __pow__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            // no three-argument pow: Python then says which operand types it tried
            return Ok(slf.py().NotImplemented());
        }
        if let Some(out) = operator_overridden(slf, "__pow__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "pow", &me.t(), o, ops::pow, false)
    }
    fn __rpow__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            // no three-argument pow: Python then says which operand types it tried
            return Ok(slf.py().NotImplemented());
        }
        if let Some(out) = operator_overridden(slf, "__rpow__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        let out = binary(py, "pow", &me.t(), o, ops::pow, true)?;
        keep_number_base(out.bind(py), o)?;
        Ok(out)
    }
    fn __matmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__matmul__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        match o.cast::<PyTensor>() {
            Ok(b) => {
                let b = b.borrow().t().clone();
                wrap(py, guarded("matmul", || ops::matmul(&me.t(), &b))?)
            }
            Err(_) => tensor_like_operator(py, "matmul", &me.t(), o, false),
        }
    }
    fn __rmatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rmatmul__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        match o.cast::<PyTensor>() {
            Ok(b) => {
                let b = b.borrow().t().clone();
                wrap(py, guarded("matmul", || ops::matmul(&b, &me.t()))?)
            }
            Err(_) => tensor_like_operator(py, "matmul", &me.t(), o, true),
        }
    }
    fn __neg__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("neg", || ops::neg(&self.t()))?)
    }
    fn __pos__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        if slf.borrow().raw.dtype() == crate::tensor::DType::Bool {
            return Err(PyRuntimeError::new_err(
                "The `+` operator, on a bool tensor is not supported.",
            ));
        }
        Ok(slf)
    }
    fn __abs__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("abs", || ops::abs(&self.t()))?)
    }
    fn __invert__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("bitwise_not", || ops::bitwise_not(&self.t()))?)
    }
    fn __and__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__and__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_and", &me.t(), o, ops::bitwise_and, false)
    }
    fn __rand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rand__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_and", &me.t(), o, ops::bitwise_and, true)
    }
    fn __or__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__or__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_or", &me.t(), o, ops::bitwise_or, false)
    }
    fn __ror__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__ror__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_or", &me.t(), o, ops::bitwise_or, true)
    }
    fn __xor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__xor__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_xor", &me.t(), o, ops::bitwise_xor, false)
    }
    fn __rxor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = operator_overridden(slf, "__rxor__", o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        binary(py, "bitwise_xor", &me.t(), o, ops::bitwise_xor, true)
    }

    fn __richcmp__(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        op: pyo3::basic::CompareOp,
    ) -> PyResult<Py<PyAny>> {
        use pyo3::basic::CompareOp::*;
        let dunder = match op {
            Eq => "__eq__",
            Ne => "__ne__",
            Lt => "__lt__",
            Le => "__le__",
            Gt => "__gt__",
            Ge => "__ge__",
        };
        if let Some(out) = operator_overridden(slf, dunder, o)? {
            return Ok(out);
        }
        let (py, me) = (slf.py(), slf.borrow());
        // PyTorch answers NotImplemented: `==`/`!=` then fall back to identity, and an
        // operand type that compares with tensors gets its turn
        let (name, f): (&str, Binary) = match op {
            Eq => ("eq", ops::eq),
            Ne => ("ne", ops::ne),
            Lt => ("lt", ops::lt),
            Le => ("le", ops::le),
            Gt => ("gt", ops::gt),
            Ge => ("ge", ops::ge),
        };
        let b = match operand_against(&me.t(), o, "compare")? {
            Some(b) => b,
            // PyTorch's `==` (alone) compares with a NumPy array's values
            None if matches!(op, Eq) && super::convert::is_ndarray(o) => {
                super::convert::operand_or_array_required(o, "eq")?
            }
            None => return tensor_like_operator(py, name, &me.t(), o, false),
        };
        wrap(py, guarded("compare", || f(&me.t(), &b))?)
    }
    fn __hash__(slf: &Bound<'_, Self>) -> isize {
        slf.as_ptr() as isize
    }

    // The augmented assignments are methods, installed as `__iadd__` ... by
    // `install_inplace_operators`: pyo3's in-place slots always answer `self`, and
    // PyTorch answers what a tensor-like's `__torch_function__` returns.
    #[pyo3(name = "_iadd")]
    fn iadd(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        augmented(slf, o, "add", Some(ops::InplaceArith::Add))
    }
    #[pyo3(name = "_isub")]
    fn isub(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        augmented(slf, o, "sub", Some(ops::InplaceArith::Sub))
    }
    #[pyo3(name = "_imul")]
    fn imul(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        augmented(slf, o, "mul", Some(ops::InplaceArith::Mul))
    }
    #[pyo3(name = "_itruediv")]
    fn itruediv(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        augmented(slf, o, "div", Some(ops::InplaceArith::Div))
    }
    #[pyo3(name = "_ipow", signature = (o, _m=None))]
    fn ipow(
        slf: &Bound<'_, Self>,
        o: &Bound<'_, PyAny>,
        _m: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        augmented(slf, o, "pow", None)
    }

    // ---- Python protocol -------------------------------------------------------
    /// # Safety
    /// Called by CPython with a valid `Py_buffer`.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut pyo3::ffi::Py_buffer,
        flags: std::ffi::c_int,
    ) -> PyResult<()> {
        // SAFETY: forwarded from CPython's bf_getbuffer.
        unsafe { super::buffer::fill(slf, view, flags) }
    }
    /// # Safety
    /// Called by CPython with a view this object filled.
    unsafe fn __releasebuffer__(&self, view: *mut pyo3::ffi::Py_buffer) {
        // SAFETY: forwarded from CPython's bf_releasebuffer.
        unsafe { super::buffer::release(view) }
    }
    fn __len__(&self) -> PyResult<usize> {
        match self.raw.shape().first() {
            Some(&n) => Ok(n),
            None => Err(PyTypeError::new_err("len() of a 0-d tensor")),
        }
    }
    fn __bool__(&self) -> PyResult<bool> {
        if self.t().numel() != 1 {
            return Err(PyRuntimeError::new_err(format!(
                "Boolean value of Tensor with {} is ambiguous",
                if self.t().numel() == 0 {
                    "no values"
                } else {
                    "more than one value"
                }
            )));
        }
        if self.t().dtype().is_complex() {
            let pairs = crate::ops::complex::real_view_raw(&self.t());
            let v = guarded("bool", || Ok(pairs.to_vec::<f64>()))?;
            return Ok(v.iter().any(|&x| x != 0.0));
        }
        let item = self.t().item().py()?;
        uint64_fits_int64(&self.t(), &item)?;
        Ok(item.to_f64() != 0.0)
    }
    fn __float__(&self) -> PyResult<f64> {
        if self.t().numel() != 1 {
            return Err(PyValueError::new_err(
                "only one element tensors can be converted to Python scalars",
            ));
        }
        if self.t().dtype().is_complex() {
            return complex_real_part(&self.t(), "double");
        }
        Ok(self.t().item().py()?.to_f64())
    }
    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.t().numel() != 1 {
            return Err(PyValueError::new_err(
                "only one element tensors can be converted to Python scalars",
            ));
        }
        let item = if self.t().dtype().is_complex() {
            Scalar::Float(complex_real_part(&self.t(), "int64_t")?)
        } else {
            self.t().item().py()?
        };
        uint64_fits_int64(&self.t(), &item)?;
        Ok(match item {
            // as Python's int(float): exact past int64, OverflowError for inf, ValueError for NaN
            Scalar::Float(f) => pyo3::types::PyFloat::new(py, f)
                .call_method0("__int__")?
                .unbind(),
            Scalar::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
            Scalar::Bool(b) => (b as i64).into_pyobject(py)?.into_any().unbind(),
        })
    }
    fn __index__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dtype = self.t().dtype();
        if dtype.is_floating() || dtype.is_complex() || self.t().numel() != 1 {
            return Err(PyTypeError::new_err(
                "only integer tensors of a single element can be converted to an index",
            ));
        }
        self.__int__(py)
    }
    fn __getitem__(slf: &Bound<'_, Self>, idx: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if torch_function::index_overrides(idx) {
            let args = PyTuple::new(py, [slf.as_any(), idx])?;
            if let Some(out) = torch_function::hand_over(py, "__getitem__", args, None)? {
                return Ok(out);
            }
        }
        slf.borrow().getitem(py, idx).or_else(|failure| {
            index_failure(py, failure, "__getitem__", (slf, idx).into_pyobject(py)?)
        })
    }
    fn __delitem__(&self, _idx: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "Tensor does not support deleting items",
        ))
    }
    fn __setitem__(
        slf: &Bound<'_, Self>,
        idx: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        if torch_function::index_overrides(idx) || torch_function::overrides(value) {
            let args = PyTuple::new(py, [slf.as_any(), idx, value])?;
            if torch_function::hand_over(py, "__setitem__", args, None)?.is_some() {
                return Ok(());
            }
        }
        match slf.borrow().setitem(py, idx, value) {
            Ok(()) => Ok(()),
            Err(failure) => {
                let args = (slf, idx, value).into_pyobject(py)?;
                index_failure(py, failure, "__setitem__", args).map(|_| ())
            }
        }
    }
    // ---- properties ------------------------------------------------------------
    #[getter]
    fn _shape_tuple<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.raw.shape())
    }
    /// The shape as a `ferrograd.Size`.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        super::size_object::size_object(py, self.raw.shape())
    }
    #[getter]
    fn dtype(&self, py: Python<'_>) -> Py<super::convert::PyDType> {
        dtype_object(py, self.raw.dtype())
    }
    #[getter]
    fn ndim(&self) -> usize {
        self.raw.ndim()
    }
    // PyTorch's read-only attributes live on its base class: its refusal names that
    #[setter(shape)]
    fn refuse_shape(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("shape"))
    }
    #[deleter(shape)]
    fn refuse_deleting_shape(&self) -> PyResult<()> {
        Err(not_writable("shape"))
    }
    #[setter(dtype)]
    fn refuse_dtype(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("dtype"))
    }
    #[deleter(dtype)]
    fn refuse_deleting_dtype(&self) -> PyResult<()> {
        Err(not_writable("dtype"))
    }
    #[setter(ndim)]
    fn refuse_ndim(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("ndim"))
    }
    #[deleter(ndim)]
    fn refuse_deleting_ndim(&self) -> PyResult<()> {
        Err(not_writable("ndim"))
    }
    #[setter(is_leaf)]
    fn refuse_is_leaf(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("is_leaf"))
    }
    #[deleter(is_leaf)]
    fn refuse_deleting_is_leaf(&self) -> PyResult<()> {
        Err(not_writable("is_leaf"))
    }
    #[setter(grad_fn)]
    fn refuse_grad_fn(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("grad_fn"))
    }
    #[deleter(grad_fn)]
    fn refuse_deleting_grad_fn(&self) -> PyResult<()> {
        Err(not_writable("grad_fn"))
    }
    #[setter(retains_grad)]
    fn refuse_retains_grad(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("retains_grad"))
    }
    #[deleter(retains_grad)]
    fn refuse_deleting_retains_grad(&self) -> PyResult<()> {
        Err(not_writable("retains_grad"))
    }
    #[setter(T)]
    fn refuse_t(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("T"))
    }
    #[deleter(T)]
    fn refuse_deleting_t(&self) -> PyResult<()> {
        Err(not_writable("T"))
    }
    #[setter(mT)]
    fn refuse_m_t(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("mT"))
    }
    #[deleter(mT)]
    fn refuse_deleting_m_t(&self) -> PyResult<()> {
        Err(not_writable("mT"))
    }
    /// The number of dimensions.
    fn dim(&self) -> usize {
        self.raw.ndim()
    }
    /// The number of elements.
    fn numel(&self) -> usize {
        self.raw.numel()
    }
    fn nelement(&self) -> usize {
        self.raw.numel()
    }
    /// The size of one element in bytes.
    fn element_size(&self) -> usize {
        self.raw.dtype().size_in_bytes()
    }
    /// The strides, in elements.
    ///
    /// Args:
    ///     dim: one dimension's stride instead of all of them.
    #[pyo3(signature = (dim=None))]
    fn stride<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = opt_int_arg)] dim: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        match dim {
            None => Ok(PyTuple::new(py, self.raw.strides())?.into_any().unbind()),
            Some(d) => {
                if self.raw.ndim() == 0 {
                    return Err(PyIndexError::new_err(format!(
                        "Dimension specified as {d} but tensor has no dimensions"
                    )));
                }
                let d = crate::tensor::layout::wrap_dim(d, self.raw.ndim()).py()?;
                Ok(self.raw.strides()[d].into_py_any(py)?)
            }
        }
    }
    /// The offset of the first element in the storage, in elements.
    fn storage_offset(&self) -> usize {
        self.raw.storage_offset()
    }
    /// Whether the elements are laid out row-major without gaps.
    fn is_contiguous(&self) -> bool {
        self.raw.is_contiguous()
    }
    /// Whether the dtype is a floating-point one.
    fn is_floating_point(&self) -> bool {
        self.raw.dtype().is_floating()
    }
    fn _is_view_of(&self, other: &PyTensor) -> bool {
        self.raw.shares_storage(&other.raw)
    }
    /// The address of the first element; 0 for a tensor of no elements, as PyTorch's.
    fn data_ptr(&self) -> usize {
        if self.raw.numel() == 0 {
            return 0;
        }
        self.raw.storage().data_ptr() as usize
            + self.raw.storage_offset() * self.raw.dtype().size_in_bytes()
    }
    #[getter]
    fn _version(&self) -> PyResult<u64> {
        if self.raw.tracks_no_version() {
            return Err(PyRuntimeError::new_err(
                "Inference tensors do not track version counter.",
            ));
        }
        Ok(self.raw.version())
    }
    #[setter(_version)]
    fn refuse_version(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_writable("_version"))
    }
    #[deleter(_version)]
    fn refuse_deleting_version(&self) -> PyResult<()> {
        Err(not_writable("_version"))
    }
    #[getter]
    fn _is_inference(&self) -> bool {
        self.raw.is_inference()
    }
    #[getter]
    fn get_requires_grad(&self) -> bool {
        self.raw.requires_grad()
    }
    #[setter]
    fn set_requires_grad(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let Ok(flag) = value.cast::<pyo3::types::PyBool>() else {
            return Err(PyRuntimeError::new_err("requires_grad must be a bool"));
        };
        // The setter refuses any non-leaf, even when the value would not change
        if !self.raw.is_leaf() && flag.is_true() {
            return Err(PyRuntimeError::new_err(
                "you can only change requires_grad flags of leaf variables.",
            ));
        }
        set_requires_grad_as(&self.raw, flag.is_true(), "floating point and complex")
    }
    /// Deleting `requires_grad` is refused as a value that is not a bool (PyTorch's).
    #[deleter]
    fn delete_requires_grad(&self) -> PyResult<()> {
        Err(PyRuntimeError::new_err("requires_grad must be a bool"))
    }
    #[deleter]
    fn delete_data(&self) -> PyResult<()> {
        Err(PyRuntimeError::new_err(
            "Deleting tensor data is not allowed. Delete tensor instead!",
        ))
    }
    /// Sets `requires_grad` in place and returns the tensor.
    ///
    /// Args:
    ///     requires_grad: the new value (default True).
    #[pyo3(signature = (*args, **kwargs))]
    fn requires_grad_<'py>(
        slf: Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        let flag = super::bool_arg::bool_arg("requires_grad_", "requires_grad", args, kwargs)?;
        set_requires_grad(&slf.borrow().raw, flag.unwrap_or(true))?;
        Ok(slf)
    }
    /// Tags this object with a layout written in Python (`"sparse_coo"`; see `layout_tag`).
    fn _set_layout(&self, name: &str) -> PyResult<()> {
        self.layout.set(super::layout_tag::LayoutTag::named(name)?);
        Ok(())
    }
    #[getter]
    fn is_leaf(&self) -> PyResult<bool> {
        Ok(guarded("is_leaf", || self.raw.try_grad_fn())?.is_none())
    }
    #[getter]
    fn grad_fn(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match guarded("grad_fn", || self.raw.try_grad_fn())? {
            None => Ok(py.None()),
            Some(n) => grad_fn_object(py, &n),
        }
    }
    #[getter]
    fn get_grad(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.raw.meta().grad() {
            None => {
                if !self.raw.is_leaf() && !self.raw.meta().state.lock().retains_grad {
                    PyErr::warn(
                        py,
                        &py.get_type::<pyo3::exceptions::PyUserWarning>(),
                        NON_LEAF_GRAD_WARNING,
                        1,
                    )?;
                }
                Ok(py.None())
            }
            Some(g) => {
                AutogradMeta::note_grad_of(&g, self.raw.meta());
                wrap(py, g)
            }
        }
    }
    /// `del t.grad`: the same as `t.grad = None`.
    #[deleter]
    fn delete_grad(&self) -> PyResult<()> {
        self.set_grad(None)
    }
    #[setter]
    fn set_grad(&self, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let g = match value {
            None => None,
            Some(v) if v.is_none() => None,
            Some(v) => {
                let g = v
                    .cast::<PyTensor>()
                    .map_err(|_| {
                        PyTypeError::new_err(format!(
                            "assigned grad expected to be a Tensor or None but got grad of type {}",
                            v.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        ))
                    })?
                    .borrow()
                    .t()
                    .clone();
                if std::sync::Arc::ptr_eq(&g.0, &self.raw.0) {
                    return Err(PyRuntimeError::new_err(
                        "can't assign Variable as its own grad",
                    ));
                }
                if g.shape() != self.raw.shape() {
                    return Err(PyRuntimeError::new_err(format!(
                        "attempting to assign a gradient of size '{}' to a tensor of size '{}'. Please ensure that the gradient and the tensor are the same size",
                        crate::tensor::layout::format_shape(g.shape()),
                        crate::tensor::layout::format_shape(self.raw.shape())
                    )));
                }
                if g.dtype() != self.raw.dtype() {
                    return Err(PyRuntimeError::new_err(format!(
                        "attempting to assign a gradient with dtype '{}' to a tensor with grad_dtype '{}'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that assume they match.",
                        g.dtype().cpp_name(),
                        self.raw.dtype().kernel_name()
                    )));
                }
                AutogradMeta::note_grad_of(&g, self.raw.meta());
                Some(g)
            }
        };
        self.raw.meta().set_grad(g);
        Ok(())
    }
    #[getter]
    fn retains_grad(&self) -> bool {
        self.raw.meta().state.lock().retains_grad
    }
    #[getter]
    fn get_data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, self.raw.data_alias())
    }
    #[setter]
    fn set_data(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let Ok(src) = value.cast::<PyTensor>() else {
            let name = value.get_type().name()?;
            return Err(PyTypeError::new_err(format!(
                "Variable data has to be a tensor, but got {name}"
            )));
        };
        let src = src.borrow().t().clone();
        let inexact = src.dtype().is_floating() || src.dtype().is_complex();
        if slf.borrow().raw.requires_grad() && !inexact {
            return Err(PyRuntimeError::new_err(
                "data set to a tensor that requires gradients must be floating point or complex dtype",
            ));
        }
        let mut me = slf.borrow_mut();
        let new = src.with_identity_of(&me.raw);
        AutogradMeta::follow_new_contents(&me.raw, &new);
        release_slot(&me);
        me.raw = new;
        claim_slot(&me, slf.as_ptr() as usize);
        Ok(())
    }
    #[getter(T)]
    fn t_all(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        // PyTorch deprecates `.T` off matrices, warning once per process for each case
        static WARNED_0D: AtomicBool = AtomicBool::new(false);
        static WARNED_ND: AtomicBool = AtomicBool::new(false);
        let (flag, message) = match self.raw.ndim() {
            2 => (None, c""),
            0 => (Some(&WARNED_0D), c"Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."),
            _ => (Some(&WARNED_ND), c"The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor."),
        };
        if let Some(flag) = flag {
            if !flag.swap(true, Ordering::Relaxed) {
                PyErr::warn(
                    py,
                    &py.get_type::<pyo3::exceptions::PyUserWarning>(),
                    message,
                    1,
                )?;
            }
        }
        wrap(py, guarded("T", || viewing(self, ops::reverse_dims))?)
    }
    #[getter(mT)]
    fn m_t(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let t = slf.borrow().raw.clone();
        if t.ndim() == 0 {
            // PyTorch keeps the 0-d case as the identity, with a deprecation warning
            PyErr::warn(
                py,
                &py.get_type::<pyo3::exceptions::PyUserWarning>(),
                c"Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
                1,
            )?;
            return Ok(slf.clone().into_any().unbind());
        }
        if t.ndim() < 2 {
            return Err(PyRuntimeError::new_err(format!(
                "tensor.mT is only supported on matrices or batches of matrices. Got {}-D tensor.",
                t.ndim()
            )));
        }
        wrap(
            py,
            guarded("mT", || {
                super::operand::viewing(&t, |t| ops::transpose(t, -2, -1))
            })?,
        )
    }

    // ---- autograd --------------------------------------------------------------
    /// A new tensor sharing the storage, cut from the graph (no grad_fn, no grad).
    fn detach(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, self.raw.detached())
    }
    /// Cuts this tensor from the graph in place and returns it.
    fn detach_(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        {
            let me = slf.borrow();
            if me.raw.view_base().is_some() {
                return Err(PyRuntimeError::new_err(DETACH_VIEW_IN_PLACE));
            }
            let mut s = me.raw.meta().state.lock();
            s.grad_fn = None;
            s.requires_grad = false;
        }
        Ok(slf)
    }
    /// Keeps `.grad` for this non-leaf tensor after backward.
    fn retain_grad(&self) -> PyResult<()> {
        self.raw.sync_view_history();
        if !self.raw.requires_grad() {
            return Err(PyRuntimeError::new_err(
                "can't retain_grad on Tensor that has requires_grad=False",
            ));
        }
        let meta = self.raw.meta();
        let (node, nr) = {
            let mut s = meta.state.lock();
            if s.retains_grad || s.grad_fn.is_none() {
                return Ok(());
            }
            s.retains_grad = true;
            (s.grad_fn.clone().expect("non-leaf"), s.output_nr)
        };
        node.node()
            .extras()
            .hooks
            .lock()
            .retained
            .push((nr, Arc::downgrade(meta)));
        Ok(())
    }
    /// Registers a hook called with the gradient of this tensor during backward.
    ///
    /// Args:
    ///     hook: `hook(grad) -> Tensor | None`; a returned tensor replaces the gradient.
    ///
    /// Returns:
    ///     A handle whose `remove()` unregisters the hook.
    fn register_hook(&self, py: Python<'_>, hook: Py<PyAny>) -> PyResult<Py<PyHookHandle>> {
        if !self.raw.requires_grad() {
            return Err(PyRuntimeError::new_err(
                "cannot register a hook on a tensor that doesn't require gradient",
            ));
        }
        self.raw.sync_view_history();
        let id = next_hook_id();
        let h = py_hook(id, hook);
        let meta = self.raw.meta();
        let grad_fn = meta.grad_fn();
        match grad_fn {
            None => {
                meta.state.lock().hooks.push((id, h));
                Py::new(py, PyHookHandle::for_leaf(id, Arc::downgrade(meta)))
            }
            Some(node) => {
                let nr = meta.state.lock().output_nr;
                node.node()
                    .extras()
                    .hooks
                    .lock()
                    .tensor_pre_hooks
                    .push((id, nr, h));
                Py::new(py, PyHookHandle::for_node(id, node.downgrade()))
            }
        }
    }

    // ---- conversion ------------------------------------------------------------
    /// The value of a one-element tensor as a Python number.
    fn item(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.t().dtype().is_complex() {
            return super::complex_fns::complex_item(py, &self.t());
        }
        match self.t().item().py()? {
            Scalar::Bool(b) => b.into_py_any(py),
            // uint64 values from 2**63 up are negative as int64: their bits read unsigned
            Scalar::Int(i) if self.t().dtype() == DType::U64 => (i as u64).into_py_any(py),
            Scalar::Int(i) => i.into_py_any(py),
            Scalar::Float(f) => f.into_py_any(py),
        }
    }
    /// The elements as bytes (row-major, native endian), for NumPy conversion.
    fn _bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = guarded("_bytes", || Ok(self.t().to_buffer().to_ne_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }
    /// `copy`: a same-dtype result is a new copy (`ToCopyBackward0`) instead of `self`.
    #[pyo3(signature = (dtype, copy=false))]
    fn _to_dtype(
        &self,
        py: Python<'_>,
        dtype: &Bound<'_, PyAny>,
        copy: bool,
    ) -> PyResult<Py<PyAny>> {
        let d = opt_dtype(Some(dtype))?.unwrap_or(self.t().dtype());
        if copy && d == self.t().dtype() {
            return wrap(py, guarded("to", || ops::to_copy(&self.t()))?);
        }
        if d == self.raw.dtype() {
            // the tensor itself, lazy bits and all
            return wrap(py, self.raw.clone());
        }
        wrap(py, guarded("to", || ops::to_dtype(&self.t(), d))?)
    }
    /// A copy with its own storage; gradients flow back to this tensor.
    fn clone(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        // `Tensor.clone(sparse)` (as `ferrograd.clone` calls it) is the sparse clone
        if let Some(out) = super::layout_tag::method_of_foreign(slf.as_any(), "clone", ())? {
            return Ok(out);
        }
        let me = slf.borrow();
        wrap(slf.py(), guarded("clone", || ops::clone(&me.t()))?)
    }
    /// This tensor if contiguous, else a contiguous copy.
    fn contiguous(slf: Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        if slf.borrow().raw.is_contiguous() {
            return Ok(slf.into_any().unbind());
        }
        let py = slf.py();
        let t = slf.borrow().raw.clone();
        wrap(py, guarded("contiguous", || ops::contiguous(&t))?)
    }

    // ---- elementwise -----------------------------------------------------------
    /// e to the power of each element.
    fn exp(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("exp", || ops::exp(&self.t()))?)
    }
    /// Natural logarithm of each element.
    fn log(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("log", || ops::log(&self.t()))?)
    }
    /// Square root of each element.
    fn sqrt(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("sqrt", || ops::sqrt(&self.t()))?)
    }
    /// Absolute value of each element.
    fn abs(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("abs", || ops::abs(&self.t()))?)
    }
    /// Sine of each element.
    fn sin(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("sin", || ops::sin(&self.t()))?)
    }
    /// Cosine of each element.
    fn cos(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("cos", || ops::cos(&self.t()))?)
    }
    /// Hyperbolic tangent of each element.
    fn tanh(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("tanh", || ops::tanh(&self.t()))?)
    }
    /// Logistic sigmoid 1 / (1 + exp(-x)) of each element.
    fn sigmoid(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("sigmoid", || ops::sigmoid(&self.t()))?)
    }
    /// max(x, 0) of each element.
    fn relu(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("relu", || ops::relu(&self.t()))?)
    }
    /// The negation of each element.
    fn neg(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("neg", || ops::neg(&self.t()))?)
    }
    /// 1 / x of each element.
    fn reciprocal(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("reciprocal", || ops::reciprocal(&self.t()))?)
    }
    /// The sign (-1, 0 or 1) of each element.
    fn sign(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("sign", || ops::sign(&self.t()))?)
    }
    /// Each element rounded toward zero.
    fn trunc(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("trunc", || ops::trunc(&self.t()))?)
    }
    /// A bool tensor, True where the element is NaN.
    fn isnan(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("isnan", || ops::isnan(&self.t()))?)
    }
    /// A bool tensor, True where the element is zero.
    fn logical_not(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("logical_not", || ops::logical_not(&self.t()))?)
    }

    /// Each element limited to [min, max].
    ///
    /// Args:
    ///     min: lower bound (number or tensor), or None.
    ///     max: upper bound (number or tensor), or None.
    #[pyo3(signature = (min=None, max=None))]
    fn clamp(
        &self,
        py: Python<'_>,
        min: Option<&Bound<'_, PyAny>>,
        max: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "clamp", self, &[], &[("min", min), ("max", max)])? {
            return Ok(out);
        }
        if is_tensor_arg(min) || is_tensor_arg(max) {
            refuse_mixed_bounds("clamp", min, max)?;
            let (lo, hi) = (bound_operand(min)?, bound_operand(max)?);
            return wrap(
                py,
                guarded("clamp", || {
                    ops::clamp_tensors(&self.t(), lo.as_ref(), hi.as_ref())
                })?,
            );
        }
        let (lo, hi) = (clamp_bound(&self.t(), min)?, clamp_bound(&self.t(), max)?);
        wrap(py, guarded("clamp", || ops::clamp(&self.t(), lo, hi))?)
    }
    /// In-place `clamp`.
    ///
    /// Args:
    ///     min: lower bound (number or tensor), or None.
    ///     max: upper bound (number or tensor), or None.
    #[pyo3(signature = (min=None, max=None))]
    fn clamp_(
        slf: &Bound<'_, Self>,
        min: Option<&Bound<'_, PyAny>>,
        max: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden_on(slf, "clamp_", &[], &[("min", min), ("max", max)])? {
            return Ok(out);
        }
        if is_tensor_arg(min) || is_tensor_arg(max) {
            refuse_mixed_bounds("clamp_", min, max)?;
            let (lo, hi) = (bound_operand(min)?, bound_operand(max)?);
            for bound in lo.iter().chain(hi.iter()) {
                refuse_partial_overlap(slf, bound)?;
            }
            let written = slf.borrow().raw.clone();
            guarded("clamp_", || {
                ops::clamp_checks::clamp_dtype(&written, lo.as_ref(), hi.as_ref(), true)
            })?;
            return inplace(slf, "clamp_", true, |t| {
                ops::clamp_tensors(t, lo.as_ref(), hi.as_ref())
            });
        }
        let (lo, hi) = {
            let t = &slf.borrow().raw;
            (clamp_bound(t, min)?, clamp_bound(t, max)?)
        };
        inplace(slf, "clamp_", true, |t| ops::clamp(t, lo, hi))
    }
    /// self + alpha * other, with broadcasting and type promotion.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     alpha: multiplier of `other` (default 1).
    #[pyo3(signature = (other, *, alpha=NumberArg::absent()), text_signature = "($self, other, *, alpha=1)")]
    fn add(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        alpha: NumberArg<'_>,
    ) -> PyResult<Py<PyAny>> {
        let alpha = alpha.given("add", "alpha")?;
        if let Some(out) = overridden(py, "add", self, &[other], &[("alpha", alpha)])? {
            return Ok(out);
        }
        if super::layout_tag::is_foreign(other) {
            let kwargs = alpha_kwargs(py, alpha)?;
            if let Some(out) = foreign_operand(py, "add", &self.t(), other, kwargs.as_ref())? {
                return Ok(out);
            }
        }
        let b = operand_required_against(&self.t(), other, "add")?;
        if let Some(scaled) = complex_alpha_times(alpha, &self.t(), &b, "add")? {
            return wrap(py, guarded("add", || ops::add(&self.t(), &scaled))?);
        }
        let a = alpha_of(alpha, &self.t(), &b, "add")?;
        wrap(py, guarded("add", || ops::add_scaled(&self.t(), &b, a))?)
    }
    /// self - alpha * other, with broadcasting and type promotion.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     alpha: multiplier of `other` (default 1).
    #[pyo3(signature = (other, *, alpha=NumberArg::absent()), text_signature = "($self, other, *, alpha=1)")]
    fn sub(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        alpha: NumberArg<'_>,
    ) -> PyResult<Py<PyAny>> {
        let alpha = alpha.given("sub", "alpha")?;
        if let Some(out) = overridden(py, "sub", self, &[other], &[("alpha", alpha)])? {
            return Ok(out);
        }
        if super::layout_tag::is_foreign(other) {
            let kwargs = alpha_kwargs(py, alpha)?;
            if let Some(out) = foreign_operand(py, "sub", &self.t(), other, kwargs.as_ref())? {
                return Ok(out);
            }
        }
        let b = operand_required_against(&self.t(), other, "sub")?;
        if let Some(scaled) = complex_alpha_times(alpha, &self.t(), &b, "sub")? {
            return wrap(py, guarded("sub", || ops::sub(&self.t(), &scaled))?);
        }
        let a = alpha_of(alpha, &self.t(), &b, "sub")?;
        wrap(py, guarded("sub", || ops::sub_scaled(&self.t(), &b, a))?)
    }
    /// In-place `add`.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     alpha: multiplier of `other` (default 1).
    #[pyo3(signature = (other, *, alpha=NumberArg::absent()), text_signature = "($self, other, *, alpha=1)")]
    fn add_(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        alpha: NumberArg<'_>,
    ) -> PyResult<Py<PyAny>> {
        add_or_sub_in_place(slf, other, alpha.given("add_", "alpha")?, false)
    }
    /// In-place `sub`.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     alpha: multiplier of `other` (default 1).
    #[pyo3(signature = (other, *, alpha=NumberArg::absent()), text_signature = "($self, other, *, alpha=1)")]
    fn sub_(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        alpha: NumberArg<'_>,
    ) -> PyResult<Py<PyAny>> {
        add_or_sub_in_place(slf, other, alpha.given("sub_", "alpha")?, true)
    }
    /// In-place `mul`.
    ///
    /// Args:
    ///     other: tensor or number.
    fn mul_(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden_on(slf, "mul_", &[other], &[])? {
            return Ok(out);
        }
        let b = operand_required_against(&slf.borrow().raw, other, "mul_")?;
        refuse_partial_overlap(slf, &b)?;
        inplace(slf, "mul_", true, |t| ops::mul(t, &b))
    }
    /// In-place `div`.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     rounding_mode: None (true division), "trunc" or "floor".
    #[pyo3(signature = (other, *, rounding_mode=None))]
    fn div_(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        rounding_mode: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(out) =
            overridden_on(slf, "div_", &[other], &[("rounding_mode", rounding_mode)])?
        {
            return Ok(out);
        }
        let rounding_mode: Option<String> = rounding_mode.map(|m| m.extract()).transpose()?;
        let b = operand_required_against(&slf.borrow().raw, other, "div_")?;
        refuse_partial_overlap(slf, &b)?;
        inplace(slf, "div_", true, |t| {
            ops::div_mode(t, &b, rounding_mode.as_deref())
        })
    }
    /// In-place `pow`.
    ///
    /// Args:
    ///     other: exponent, tensor or number.
    fn pow_(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden_on(slf, "pow_", &[other], &[])? {
            return Ok(out);
        }
        let b = match uint64_exponent(&slf.borrow().raw, other)? {
            Some(b) => b,
            None => operand_required(other, "pow_")?,
        };
        refuse_partial_overlap(slf, &b)?;
        inplace(slf, "pow_", true, |t| ops::pow(t, &b))
    }
    /// Fills the tensor with zeros in place.
    fn zero_(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        inplace(slf, "zero_", false, ops::zero_result)
    }
    /// Fills the tensor with one value in place.
    ///
    /// Args:
    ///     value: a number or a one-element tensor.
    fn fill_(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden_on(slf, "fill_", &[value], &[])? {
            return Ok(out);
        }
        let dtype = slf.borrow().raw.dtype();
        let v = match uint64_int(value) {
            Some(_) => match super::convert::fill_scalar_for(dtype, value)? {
                Some(s) => Tensor::wrapped_scalar(s),
                None => operand_required(value, "fill_")?,
            },
            None => operand_required(value, "fill_")?,
        };
        if v.numel() != 1 || (!v.is_wrapped_number() && v.ndim() != 0) {
            return Err(PyRuntimeError::new_err(format!(
                "fill_ only supports 0-dimension value tensor but got tensor with {} dimensions.",
                v.ndim()
            )));
        }
        inplace(slf, "fill_", false, |t| ops::fill_result(t, &v))
    }
    /// Copies the elements of `other` into this tensor in place (broadcast, cast).
    ///
    /// Args:
    ///     other: the source tensor (PyTorch's binding names it `other`, its docs `src`).
    ///     non_blocking: ignored (CPU only).
    #[pyo3(signature = (other, non_blocking=false))]
    fn copy_(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        non_blocking: bool,
    ) -> PyResult<Py<PyAny>> {
        let _ = non_blocking;
        let src = other;
        if let Some(out) = overridden_on(slf, "copy_", &[src], &[])? {
            return Ok(out);
        }
        let s = match src.cast::<PyTensor>() {
            Ok(t) => t.borrow().t().clone(),
            Err(_) => match scalar_of(src)? {
                // a number fills the tensor, as PyTorch's copy_ of a scalar
                Some(v) => Tensor::wrapped_scalar(v),
                None if src.is_instance_of::<pyo3::types::PyComplex>() => {
                    let c = src.cast::<pyo3::types::PyComplex>()?;
                    crate::ops::complex::wrapped_complex(c.real(), c.imag())
                }
                None => {
                    return Err(PyTypeError::new_err(format!(
                        "copy_(): argument 'other' (position 1) must be Tensor, not {}",
                        src.get_type().name()?
                    )));
                }
            },
        };
        refuse_partial_overlap(slf, &s)?;
        let target = slf.borrow().raw.dtype();
        let result = inplace(slf, "copy_", false, |t| ops::copy_result(t, &s))?;
        if s.dtype().is_complex() && !target.is_complex() && target != crate::tensor::DType::Bool {
            // PyTorch's warning (once per process) for the imaginary parts dropped
            slf.py()
                .import("ferrograd._user_warning")?
                .call_method0("warn_complex_to_real")?;
        }
        Ok(result)
    }
    /// self / other, with broadcasting and type promotion.
    ///
    /// Args:
    ///     other: tensor or number.
    ///     rounding_mode: None (true division), "trunc" or "floor".
    #[pyo3(signature = (other, **kwargs))]
    fn div(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let receiver = || wrap(py, self.raw.clone());
        if let Some(out) =
            torch_function::dispatched_with_dict(py, "div", receiver, &[other], kwargs)?
        {
            return Ok(out);
        }
        let rounding_mode = rounding_mode_kwarg("div", kwargs)?;
        let b = operand_required_against(&self.t(), other, "div")?;
        wrap(
            py,
            guarded("div", || match &rounding_mode {
                None => ops::div_mode(&self.t(), &b, None),
                Some(mode) => ops::div_explicit(&self.t(), &b, mode.as_deref()),
            })?,
        )
    }

    // ---- reductions ------------------------------------------------------------
    /// The sum of the elements, over all of them or over `dim`.
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    ///     dtype: the dtype to accumulate and return in.
    #[pyo3(signature = (dim=None, keepdim=false, *, dtype=None))]
    fn sum(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
        dtype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?;
        let d = opt_dtype(dtype)?;
        wrap(
            py,
            guarded("sum", || ops::sum(&self.t(), dims.as_deref(), keepdim, d))?,
        )
    }
    /// The mean of the elements, over all of them or over `dim`.
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    ///     dtype: the dtype to compute and return in.
    #[pyo3(signature = (dim=None, keepdim=false, *, dtype=None))]
    fn mean(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
        dtype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?;
        let d = opt_dtype(dtype)?;
        wrap(
            py,
            guarded("mean", || ops::mean(&self.t(), dims.as_deref(), keepdim, d))?,
        )
    }
    /// The product of the elements, over all of them or over `dim`.
    ///
    /// Args:
    ///     dim: a dimension; None for all.
    ///     keepdim: keep the reduced dimension with size 1.
    ///     dtype: the dtype to accumulate and return in.
    #[pyo3(signature = (dim=None, keepdim=false, *, dtype=None))]
    fn prod(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = opt_int_arg)] dim: Option<i64>,
        keepdim: bool,
        dtype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let d = opt_dtype(dtype)?;
        wrap(
            py,
            guarded("prod", || ops::prod(&self.t(), dim, keepdim, d))?,
        )
    }
    /// The largest elements over `dim` (gradient split evenly between ties).
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    #[pyo3(signature = (dim=None, keepdim=false))]
    fn amax(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?.unwrap_or_default();
        wrap(
            py,
            guarded("amax", || ops::amax(&self.t(), Some(&dims), keepdim))?,
        )
    }
    /// The smallest elements over `dim` (gradient split evenly between ties).
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    #[pyo3(signature = (dim=None, keepdim=false))]
    fn amin(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?.unwrap_or_default();
        wrap(
            py,
            guarded("amin", || ops::amin(&self.t(), Some(&dims), keepdim))?,
        )
    }
    fn _max_all(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("max", || ops::max_all(&self.t(), true))?)
    }
    fn _min_all(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("min", || ops::max_all(&self.t(), false))?)
    }
    /// Whether all elements are nonzero, over all of them or over `dim`.
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    #[pyo3(signature = (dim=None, keepdim=false))]
    fn all(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?;
        wrap(
            py,
            guarded("all", || ops::all(&self.t(), dims.as_deref(), keepdim))?,
        )
    }
    /// Whether any element is nonzero, over all of them or over `dim`.
    ///
    /// Args:
    ///     dim: a dimension or tuple of dimensions; None for all.
    ///     keepdim: keep reduced dimensions with size 1.
    #[pyo3(signature = (dim=None, keepdim=false))]
    fn any(
        &self,
        py: Python<'_>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?;
        wrap(
            py,
            guarded("any", || ops::any(&self.t(), dims.as_deref(), keepdim))?,
        )
    }
    #[pyo3(signature = (p=None, dim=None, keepdim=false))]
    fn _vector_norm(
        &self,
        py: Python<'_>,
        p: Option<f64>,
        dim: Option<&Bound<'_, PyAny>>,
        keepdim: bool,
    ) -> PyResult<Py<PyAny>> {
        let dims = dims_of(dim)?;
        let p = p.unwrap_or(2.0);
        wrap(
            py,
            guarded("norm", || {
                ops::vector_norm(&self.t(), p, dims.as_deref(), keepdim)
            })?,
        )
    }

    // ---- shape -----------------------------------------------------------------
    /// The same elements in a new shape (a view when possible, else a copy).
    ///
    /// Args:
    ///     *shape: the new sizes (one may be -1), or one tuple of them.
    ///     shape: the new sizes as one keyword argument instead.
    #[pyo3(signature = (*args, shape=None))]
    fn reshape(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        shape: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let s = sizes_or_keyword(args, shape, "reshape", "shape")?;
        wrap(
            py,
            guarded("reshape", || viewing(self, |t| ops::reshape(t, &s)))?,
        )
    }
    /// A view with a new shape, or of the same memory as another dtype.
    ///
    /// Args:
    ///     *shape: the new sizes (one may be -1), or one tuple of them, or a dtype.
    ///     size: the new sizes as one keyword argument instead.
    ///     dtype: the dtype to view the memory as, as a keyword argument.
    #[pyo3(signature = (*shape, size=None, dtype=None))]
    fn view(
        &self,
        py: Python<'_>,
        shape: &Bound<'_, PyTuple>,
        size: Option<&Bound<'_, PyAny>>,
        dtype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let positional_dtype = match shape.len() {
            1 if size.is_none() && dtype.is_none() => {
                opt_dtype(Some(&shape.get_item(0)?)).ok().flatten()
            }
            _ => None,
        };
        let dtype = match dtype {
            Some(d) if shape.is_empty() && size.is_none() => opt_dtype(Some(d))?,
            Some(_) => return Err(invalid_view_arguments()),
            None => positional_dtype,
        };
        if let Some(d) = dtype {
            return wrap(
                py,
                guarded("view", || ops::view_dtype::view_dtype(&self.raw, d))?,
            );
        }
        let s = match size {
            Some(_) if !shape.is_empty() => return Err(invalid_view_arguments()),
            Some(v) if v.is_instance_of::<pyo3::types::PyInt>() => {
                return Err(invalid_view_arguments())
            }
            Some(v) => super::convert::int_list(v, "size")?,
            None if shape.is_empty() => return Err(invalid_view_arguments()),
            // PyTorch's parser takes tuples and lists of ints, not a range
            None if shape.len() == 1
                && shape.get_item(0)?.is_instance_of::<pyo3::types::PyRange>() =>
            {
                return Err(invalid_view_arguments())
            }
            None => sizes_of(shape)?,
        };
        wrap(py, guarded("view", || viewing(self, |t| ops::view(t, &s)))?)
    }
    /// A view with two dimensions swapped.
    ///
    /// Args:
    ///     dim0: first dimension.
    ///     dim1: second dimension.
    fn transpose(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = int_arg)] dim0: i64,
        #[pyo3(from_py_with = int_arg)] dim1: i64,
    ) -> PyResult<Py<PyAny>> {
        wrap(
            py,
            guarded("transpose", || {
                viewing(self, |t| ops::transpose(t, dim0, dim1))
            })?,
        )
    }
    /// The transpose of a tensor of at most 2 dimensions (a view).
    #[pyo3(name = "t")]
    fn t_2d(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        wrap(py, guarded("t", || viewing(self, ops::t))?)
    }
    /// A view with the dimensions reordered.
    ///
    /// Args:
    ///     *dims: the new order of the dimensions.
    ///     dims: the new order as one keyword argument instead.
    #[pyo3(signature = (*args, dims=None))]
    fn permute(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        dims: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let d = sizes_or_keyword(args, dims, "permute", "dims")?;
        wrap(
            py,
            guarded("permute", || viewing(self, |t| ops::permute(t, &d)))?,
        )
    }
    /// A view without dimensions of size 1.
    ///
    /// Args:
    ///     *dims: only these dimensions (or one tuple of them); none for all.
    ///     dim: the same as one keyword argument instead.
    #[pyo3(signature = (*dims, dim=None))]
    fn squeeze(
        &self,
        py: Python<'_>,
        dims: &Bound<'_, PyTuple>,
        dim: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let several = dims.len() > 1;
        let dim = match (dims.len(), dim) {
            (0, d) => d.cloned(),
            (_, Some(_)) => {
                return Err(PyTypeError::new_err(
                    "squeeze() received an invalid combination of arguments - got positional dims and dim=",
                ))
            }
            (1, None) if dims.get_item(0)?.is_none() => {
                return Err(PyTypeError::new_err(
                    "squeeze() received an invalid combination of arguments - got (NoneType), but expected one of:\n * ()\n * (int dim)\n * (tuple of ints dim)\n",
                ))
            }
            (1, None) => Some(dims.get_item(0)?),
            (_, None) => Some(dims.clone().into_any()),
        };
        let dim = dim.as_ref();
        let is_tuple = several
            || dim.is_some_and(|d| {
                d.is_instance_of::<PyTuple>() || d.is_instance_of::<pyo3::types::PyList>()
            });
        let dims = dims_of(dim)?;
        wrap(
            py,
            guarded("squeeze", || {
                viewing(self, |t| ops::squeeze(t, dims.as_deref(), is_tuple))
            })?,
        )
    }
    /// A view with a new dimension of size 1.
    ///
    /// Args:
    ///     dim: where the new dimension goes.
    fn unsqueeze(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = int_arg)] dim: i64,
    ) -> PyResult<Py<PyAny>> {
        wrap(
            py,
            guarded("unsqueeze", || viewing(self, |t| ops::unsqueeze(t, dim)))?,
        )
    }
    /// A view broadcast to a larger shape (no copy).
    ///
    /// Args:
    ///     *sizes: the new sizes; -1 keeps a dimension's size.
    ///     size: the new sizes as one keyword argument instead.
    ///     implicit: accepted for PyTorch's signature; it changes nothing.
    #[pyo3(signature = (*sizes, size=None, implicit=false))]
    fn expand(
        &self,
        py: Python<'_>,
        sizes: &Bound<'_, PyTuple>,
        size: Option<&Bound<'_, PyAny>>,
        implicit: bool,
    ) -> PyResult<Py<PyAny>> {
        let _ = implicit;
        let s = sizes_or_keyword(sizes, size, "expand", "size")?;
        wrap(
            py,
            guarded("expand", || viewing(self, |t| ops::expand(t, &s)))?,
        )
    }
    /// The dimensions start_dim..end_dim merged into one.
    ///
    /// Args:
    ///     start_dim: first dimension to merge.
    ///     end_dim: last dimension to merge.
    #[pyo3(signature = (start_dim=0, end_dim=-1))]
    fn flatten(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = int_arg)] start_dim: i64,
        #[pyo3(from_py_with = int_arg)] end_dim: i64,
    ) -> PyResult<Py<PyAny>> {
        wrap(
            py,
            guarded("flatten", || {
                viewing(self, |t| ops::flatten(t, start_dim, end_dim))
            })?,
        )
    }
    /// A view of one index along a dimension (the dimension removed).
    ///
    /// Args:
    ///     dim: the dimension.
    ///     index: the index along it.
    fn select(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = int_arg)] dim: i64,
        #[pyo3(from_py_with = int_arg)] index: i64,
    ) -> PyResult<Py<PyAny>> {
        wrap(
            py,
            guarded("select", || viewing(self, |t| ops::select(t, dim, index)))?,
        )
    }
    /// A view of `length` elements along `dim` from `start`.
    ///
    /// Args:
    ///     dim: the dimension.
    ///     start: the first index.
    ///     length: how many elements.
    fn narrow(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = int_arg)] dim: i64,
        #[pyo3(from_py_with = int_arg)] start: i64,
        #[pyo3(from_py_with = int_arg)] length: i64,
    ) -> PyResult<Py<PyAny>> {
        wrap(
            py,
            guarded("narrow", || {
                viewing(self, |t| ops::narrow(t, dim, start, length))
            })?,
        )
    }
    /// Matrix product with NumPy's rules for 1-D and batched operands.
    ///
    /// Args:
    ///     other: the right operand.
    fn matmul(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "matmul", self, &[other], &[])? {
            return Ok(out);
        }
        if let Some(out) = foreign_operand(py, "matmul", &self.raw, other, None)? {
            return Ok(out);
        }
        let other = match other.cast::<PyTensor>() {
            Ok(b) => b.borrow().t().clone(),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "matmul(): argument 'other' (position 1) must be Tensor, not {}",
                    other.get_type().name()?
                )));
            }
        };
        wrap(
            py,
            guarded_nogil(py, self.t().numel() >= RELEASE_GIL_FROM, "matmul", || {
                ops::matmul(&self.t(), &other)
            })?,
        )
    }
    /// Product of two matrices.
    ///
    /// Args:
    ///     other: the right matrix.
    fn mm(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "mm", self, &[other], &[])? {
            return Ok(out);
        }
        if let Some(out) = foreign_operand(py, "mm", &self.raw, other, None)? {
            return Ok(out);
        }
        let b = strided_argument(other, "other", "mm")?.t().clone();
        wrap(
            py,
            guarded_nogil(py, self.t().numel() >= RELEASE_GIL_FROM, "mm", || {
                ops::mm(&self.t(), &b)
            })?,
        )
    }
    /// Batched product of two 3-D tensors.
    ///
    /// Args:
    ///     other: the right batch of matrices.
    fn bmm(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "bmm", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "bmm")?;
        let other: &PyTensor = &other;
        wrap(
            py,
            guarded_nogil(py, self.t().numel() >= RELEASE_GIL_FROM, "bmm", || {
                ops::bmm(&self.t(), &other.t())
            })?,
        )
    }
    /// Product of a matrix and a vector.
    ///
    /// Args:
    ///     other: the vector.
    fn mv(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "mv", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "mv")?;
        wrap(py, guarded("mv", || ops::mv(&self.t(), &other.t()))?)
    }
    /// Inner product of two 1-D tensors.
    ///
    /// Args:
    ///     other: the other vector.
    fn dot(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "dot", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "dot")?;
        wrap(py, guarded("dot", || ops::dot(&self.t(), &other.t()))?)
    }
    /// A copy with `value` where `mask` is True.
    ///
    /// Args:
    ///     mask: a bool tensor broadcastable to this one.
    ///     value: a number or a one-element tensor.
    fn masked_fill(
        &self,
        py: Python<'_>,
        mask: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "masked_fill", self, &[mask, value], &[])? {
            return Ok(out);
        }
        let mask = strided_argument(mask, "mask", "masked_fill")?;
        // PyTorch refuses a dtype without a kernel before it converts the value
        guarded("masked_fill", || {
            ops::shell_refusals::refuse("masked_fill", &self.t())
        })?;
        let v = super::convert::fill_scalar_for(self.t().dtype(), value)?
            .or_else(|| {
                value
                    .cast::<PyTensor>()
                    .ok()
                    .and_then(|t| t.borrow().t().item().ok())
            })
            .ok_or_else(|| {
                PyTypeError::new_err("masked_fill(): value must be a number or a 0-dim tensor")
            })?;
        wrap(
            py,
            guarded("masked_fill", || ops::masked_fill(&self.t(), &mask.t(), v))?,
        )
    }

    // ---- binary by name --------------------------------------------------------
    /// self * other, with broadcasting and type promotion.
    ///
    /// Args:
    ///     other: tensor or number.
    fn mul(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "mul", self, other, ops::mul)
    }
    /// self ** other, elementwise.
    ///
    /// Args:
    ///     other: exponent, tensor or number.
    fn pow(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "pow", self, &[other], &[])? {
            return Ok(out);
        }
        let b = match uint64_exponent(&self.t(), other)? {
            Some(b) => b,
            None => operand_required(other, "pow")?,
        };
        wrap(py, guarded("pow", || ops::pow(&self.t(), &b))?)
    }
    /// self // other, rounded toward minus infinity.
    ///
    /// Args:
    ///     other: tensor or number.
    fn floor_divide(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "floor_divide", self, &[other], &[])? {
            return Ok(out);
        }
        let b = operand_required_against(&self.t(), other, "floor_divide")?;
        wrap(
            py,
            guarded("floor_divide", || ops::floor_divide(&self.t(), &b))?,
        )
    }
    /// Python's modulus: the remainder with the sign of the divisor.
    ///
    /// Args:
    ///     other: tensor or number.
    fn remainder(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "remainder", self, &[other], &[])? {
            return Ok(out);
        }
        let b = operand_required_against(&self.t(), other, "remainder")?;
        wrap(
            py,
            guarded("remainder", || ops::remainder_op(&self.t(), &b))?,
        )
    }
    /// The elementwise maximum of two tensors (NaN propagates).
    ///
    /// Args:
    ///     other: the other tensor.
    fn maximum(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "maximum", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "maximum")?;
        wrap(
            py,
            guarded("maximum", || ops::maximum(&self.t(), &other.t()))?,
        )
    }
    /// The elementwise minimum of two tensors (NaN propagates).
    ///
    /// Args:
    ///     other: the other tensor.
    fn minimum(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "minimum", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "minimum")?;
        wrap(
            py,
            guarded("minimum", || ops::minimum(&self.t(), &other.t()))?,
        )
    }
    /// A bool tensor, True where self == other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn eq(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "eq", self, other, ops::eq)
    }
    /// A bool tensor, True where self != other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn ne(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "ne", self, other, ops::ne)
    }
    /// A bool tensor, True where self < other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn lt(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "lt", self, other, ops::lt)
    }
    /// A bool tensor, True where self <= other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn le(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "le", self, other, ops::le)
    }
    /// A bool tensor, True where self > other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn gt(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "gt", self, other, ops::gt)
    }
    /// A bool tensor, True where self >= other.
    ///
    /// Args:
    ///     other: tensor or number.
    fn ge(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        method_binary(py, "ge", self, other, ops::ge)
    }
    /// A bool tensor, True where both elements are nonzero.
    ///
    /// Args:
    ///     other: the other tensor.
    fn logical_and(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "logical_and", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "logical_and")?;
        wrap(
            py,
            guarded("logical_and", || ops::logical_and(&self.t(), &other.t()))?,
        )
    }
    /// A bool tensor, True where either element is nonzero.
    ///
    /// Args:
    ///     other: the other tensor.
    fn logical_or(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "logical_or", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "logical_or")?;
        wrap(
            py,
            guarded("logical_or", || ops::logical_or(&self.t(), &other.t()))?,
        )
    }
    /// A bool tensor, True where exactly one element is nonzero.
    ///
    /// Args:
    ///     other: the other tensor.
    fn logical_xor(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(out) = overridden(py, "logical_xor", self, &[other], &[])? {
            return Ok(out);
        }
        let other = strided_argument(other, "other", "logical_xor")?;
        wrap(
            py,
            guarded("logical_xor", || ops::logical_xor(&self.t(), &other.t()))?,
        )
    }
}

fn set_requires_grad(t: &Tensor, value: bool) -> PyResult<()> {
    set_requires_grad_as(t, value, "floating point")
}

/// `requires_grad_` names the floating dtypes, the `requires_grad` setter the floating
/// and complex ones, in PyTorch's refusal of an integer tensor.
fn set_requires_grad_as(t: &Tensor, value: bool, kinds: &str) -> PyResult<()> {
    if !t.is_leaf() {
        if value {
            return Ok(());
        }
        return Err(PyRuntimeError::new_err(
            "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
        ));
    }
    if value && !t.dtype().is_floating() && !t.dtype().is_complex() {
        return Err(PyRuntimeError::new_err(format!(
            "only Tensors of {kinds} dtype can require gradients"
        )));
    }
    if value && t.is_inference() && !crate::autograd::mode::is_inference_mode() {
        return Err(PyRuntimeError::new_err(
            "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.",
        ));
    }
    t.meta().state.lock().requires_grad = value;
    Ok(())
}

/// A clamp bound as an operand tensor (numbers become wrapped scalars).
fn bound_operand(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Tensor>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => Ok(Some(operand_required(o, "clamp")?)),
    }
}

/// PyTorch's clamp takes two tensor bounds or two number bounds (either may be None),
/// never one of each: its parser's TypeError.
fn refuse_mixed_bounds(
    name: &str,
    min: Option<&Bound<'_, PyAny>>,
    max: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let (Some(lo), Some(hi)) = (min.filter(|o| !o.is_none()), max.filter(|o| !o.is_none())) else {
        return Ok(());
    };
    if is_tensor_arg(Some(lo)) == is_tensor_arg(Some(hi)) {
        return Ok(());
    }
    let kind = |o: &Bound<'_, PyAny>| -> PyResult<String> {
        if is_tensor_arg(Some(o)) {
            return Ok("Tensor".to_string());
        }
        Ok(o.get_type().name()?.to_string())
    };
    let got = format!("{}, {}", kind(lo)?, kind(hi)?);
    let marked = format!("!{}!, !{}!", kind(lo)?, kind(hi)?);
    Err(PyTypeError::new_err(format!(
        "{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n * (Tensor min = None, Tensor max = None)\n      didn't match because some of the arguments have invalid types: ({marked})\n * (Number min = None, Number max = None)\n      didn't match because some of the arguments have invalid types: ({marked})\n"
    )))
}

fn is_tensor_arg(obj: Option<&Bound<'_, PyAny>>) -> bool {
    obj.is_some_and(|o| o.cast::<PyTensor>().is_ok())
}

/// A number bound of `clamp` on `t`. PyTorch reads a Python complex bound into a double
/// for a floating `t` (refused unless its imaginary part is 0) and refuses to clamp any
/// other dtype against one.
fn clamp_bound(t: &Tensor, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Scalar>> {
    if let Some(c) = obj.and_then(|o| o.cast::<pyo3::types::PyComplex>().ok()) {
        if !t.dtype().is_floating() {
            return Err(PyNotImplementedError::new_err(
                "clamp is not supported for complex types",
            ));
        }
        if c.imag() != 0.0 {
            return Err(PyRuntimeError::new_err(
                "value cannot be converted to type double without overflow",
            ));
        }
        return Ok(Some(Scalar::Float(c.real())));
    }
    if let Some(o) = obj.filter(|o| uint64_int(o).is_some()) {
        if t.dtype() == DType::Bool {
            super::convert::operand_against(t, o, "clamp")?; // refused in promotion
        }
        return super::convert::fill_scalar_for(t.dtype(), o);
    }
    bound_scalar(obj)
}

fn bound_scalar(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Scalar>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => {
            if let Some(s) = scalar_of(o)? {
                return Ok(Some(s));
            }
            if let Ok(t) = o.cast::<PyTensor>() {
                return t.borrow().t().item().py().map(Some);
            }
            Err(PyTypeError::new_err(
                "clamp(): min and max must be numbers or tensors",
            ))
        }
    }
}

/// The `alpha` of `a + alpha * b`: an int in [2**63, 2**64) is PyTorch's unsigned scalar,
/// which a floating or complex result reads as its value and an integral one refuses.
/// `add_(other, alpha=)` (`sub_` with `negate`): straight into the tensor where it can
/// be, else through the general in-place path.
fn add_or_sub_in_place(
    slf: &Bound<'_, PyTensor>,
    other: &Bound<'_, PyAny>,
    alpha: Option<&Bound<'_, PyAny>>,
    negate: bool,
) -> PyResult<Py<PyAny>> {
    let (name, arith) = if negate {
        ("sub_", ops::InplaceArith::Sub)
    } else {
        ("add_", ops::InplaceArith::Add)
    };
    if let Some(out) = overridden_on(slf, name, &[other], &[("alpha", alpha)])? {
        return Ok(out);
    }
    let b = operand_required_against(&slf.borrow().raw, other, name)?;
    refuse_partial_overlap(slf, &b)?;
    if alpha.is_none() {
        inplace_arith(slf, &b, arith)?;
        return Ok(slf.clone().into_any().unbind());
    }
    let t = slf.borrow().raw.clone();
    let combine = if negate { ops::sub } else { ops::add };
    if let Some(scaled) = complex_alpha_times(alpha, &t, &b, name)? {
        return inplace(slf, name, false, |t| combine(t, &scaled));
    }
    let a = alpha_of(alpha, &t, &b, name)?;
    if guarded(name, || ops::add_scaled_inplace(&t, &b, a, negate))? {
        return Ok(slf.clone().into_any().unbind());
    }
    let scaled_combine = if negate {
        ops::sub_scaled
    } else {
        ops::add_scaled
    };
    inplace(slf, name, false, |t| scaled_combine(t, &b, a))
}

/// `alpha * b` for a complex `alpha` (the core's scalars are real): PyTorch's checks of
/// a complex alpha against the result dtype, then the product; None for other alphas.
fn complex_alpha_times(
    alpha: Option<&Bound<'_, PyAny>>,
    a: &Tensor,
    b: &Tensor,
    name: &str,
) -> PyResult<Option<Tensor>> {
    let Some(alpha) = alpha.filter(|o| o.is_instance_of::<pyo3::types::PyComplex>()) else {
        return Ok(None);
    };
    let dtype = guarded(name, || ops::result_type(&[a, b]))?;
    if !(dtype.is_floating() || dtype.is_complex()) {
        return Err(PyRuntimeError::new_err(
            "For integral input tensors, argument alpha must not be a floating point number.",
        ));
    }
    if !dtype.is_complex() {
        return Err(PyRuntimeError::new_err(
            "For non-complex input tensors, argument alpha must not be a complex number.",
        ));
    }
    let c = operand_against(b, alpha, name)?
        .ok_or_else(|| PyTypeError::new_err("alpha must be a number"))?;
    Ok(Some(guarded(name, || ops::mul(b, &c))?))
}

fn alpha_of(obj: Option<&Bound<'_, PyAny>>, a: &Tensor, b: &Tensor, op: &str) -> PyResult<Scalar> {
    let inexact = |t: &Tensor| t.dtype().is_floating() || t.dtype().is_complex();
    match obj {
        None => Ok(Scalar::Int(1)),
        Some(o) => match uint64_int(o) {
            Some(u) if inexact(a) || inexact(b) => Ok(Scalar::Float(u as f64)),
            _ => scalar_of(o)?.ok_or_else(|| {
                let kind = o
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                PyTypeError::new_err(format!(
                    "{op}(): argument 'alpha' must be Number, not {kind}"
                ))
            }),
        },
    }
}

const DETACH_VIEW_IN_PLACE: &str = "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.";

/// `div`'s keyword arguments: `Some(rounding_mode)` when it was passed (PyTorch's node
/// is `DivBackward2` then, even for None).
fn rounding_mode_kwarg(
    fn_name: &str,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Option<String>>> {
    let Some(kwargs) = kwargs else {
        return Ok(None);
    };
    let mut mode = None;
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        if key != "rounding_mode" {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "{fn_name}() got an unexpected keyword argument '{key}'"
            )));
        }
        mode = Some(if value.is_none() {
            None
        } else {
            Some(value.extract::<String>()?)
        });
    }
    Ok(mode)
}

/// The real part of a one-element complex tensor, as `int()`/`float()` read it: PyTorch's
/// overflow error when the imaginary part is not zero (`target`: "int64_t" or "double").
fn complex_real_part(t: &Tensor, target: &str) -> PyResult<f64> {
    let pairs = crate::ops::complex::real_view_raw(t);
    let parts = guarded("item", || Ok(pairs.to_vec::<f64>()))?;
    if parts[1] != 0.0 {
        return Err(PyRuntimeError::new_err(format!(
            "value cannot be converted to type {target} without overflow"
        )));
    }
    Ok(parts[0])
}

/// PyTorch converts a uint64 element to int64 for `int()`, `bool()` and `__index__`.
fn uint64_fits_int64(t: &Tensor, item: &Scalar) -> PyResult<()> {
    match item {
        Scalar::Int(i) if *i < 0 && t.dtype() == DType::U64 => Err(PyRuntimeError::new_err(
            "value cannot be converted to type int64_t without overflow",
        )),
        _ => Ok(()),
    }
}
