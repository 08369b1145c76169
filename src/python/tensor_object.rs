//! Making the Python object of a new `Tensor` without `object.__new__`.
//!
//! pyo3 makes a class's objects through the base type's `tp_new`, and CPython 3.11 and
//! 3.12's `object.__new__` gives every object of a type with a `__dict__` slot an
//! empty dict on the spot: a dict made and freed per op result (~110 instructions of an
//! op's ~4,500), though results almost never get attributes. Allocated with
//! `PyType_GenericAlloc` instead, the slot stays empty until an attribute is first set
//! (CPython then makes the dict, as 3.13 does for every object), and `t.foo = 1`,
//! `t.__dict__` and weak references work as before.

use super::tensor::PyTensor;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::{ffi, PyTypeInfo};

/// Where a `PyTensor` lies inside its object, measured on one object pyo3 made (`None`
/// when the layout is not the one this module writes: pyo3's way is used then).
static CONTENTS_OFFSET: PyOnceLock<Option<usize>> = PyOnceLock::new();

/// A new Python object holding `value`; `claim` is given `value`, the object's address
/// and the address `value` will have inside it, before `value` moves there.
pub fn new_tensor_object(
    py: Python<'_>,
    value: PyTensor,
    claim: impl FnOnce(&PyTensor, usize, usize),
) -> PyResult<Py<PyTensor>> {
    let Some(offset) = *CONTENTS_OFFSET.get_or_init(py, || measure_offset(py)) else {
        let obj = Py::new(py, value)?;
        let me = obj.borrow(py);
        claim(&me, obj.as_ptr() as usize, &*me as *const PyTensor as usize);
        drop(me);
        return Ok(obj);
    };
    let tp = PyTensor::type_object_raw(py);
    // SAFETY: `tp` is the live type object of `PyTensor`; the allocation is zero-filled
    // and, for a GC type, tracked only once it is (CPython's `PyType_GenericAlloc`).
    let obj = unsafe { ffi::PyType_GenericAlloc(tp, 0) };
    if obj.is_null() {
        return Err(PyErr::fetch(py));
    }
    let inner = obj as usize + offset;
    claim(&value, obj as usize, inner);
    // SAFETY: `measure_offset` found `PyTensor` at `offset` in an object of this type,
    // followed by pyo3's borrow flag, `__dict__` and weak-reference pointers, whose zero
    // bits (from the zero-filled allocation) mean unborrowed, no dict yet, no weak
    // references: writing the value is all pyo3's initializer would add.
    unsafe {
        (inner as *mut PyTensor).write(value);
        Ok(Bound::from_owned_ptr(py, obj)
            .cast_into_unchecked::<PyTensor>()
            .unbind())
    }
}

/// The offset of the `PyTensor` in an object pyo3 made, if the object ends with what
/// pyo3 0.30 puts after the value for this class (its borrow flag, `__dict__` and weak
/// reference pointers, all zero in a fresh object but the dict): then a zero-filled
/// allocation with the value written in is what pyo3 would have made.
fn measure_offset(py: Python<'_>) -> Option<usize> {
    let blank = crate::tensor::Tensor::from_vec(vec![0f32], &[]).ok()?;
    let probe = Py::new(
        py,
        PyTensor {
            raw: blank,
            layout: Default::default(),
        },
    )
    .ok()?;
    let start = probe.as_ptr() as usize;
    let inner = &*probe.borrow(py) as *const PyTensor as usize;
    let offset = inner.checked_sub(start)?;
    let basicsize: usize = probe
        .bind(py)
        .get_type()
        .getattr("__basicsize__")
        .ok()?
        .extract()
        .ok()?;
    let tail = std::mem::size_of::<PyTensor>() + 3 * std::mem::size_of::<usize>();
    (basicsize == offset + tail).then_some(offset)
}
