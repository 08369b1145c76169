//! The hottest Tensor methods, with PyTorch's parser errors for arguments they refuse.
//!
//! pyo3 refuses an argument of the wrong type before a method's body runs, in its own words
//! (`'str' object cannot be interpreted as an integer`); PyTorch's parser names the method,
//! the argument and its position. The other methods get a Python wrapper that replays the
//! parser once a call failed (`_argument_types.guard_methods`), but its frame costs more
//! than these methods themselves. Here each listed method's descriptor is replaced by one
//! whose C function is a trampoline: it calls pyo3's own function for the method and, only
//! when that fails, hands the call and the failure to `_argument_types.core_method_failed`.
//! A call that succeeds pays one indirect call.

use super::tensor::PyTensor;
use pyo3::ffi;
use pyo3::impl_::pyclass::PyClassImpl;
use pyo3::impl_::pymethods::PyMethodDefType;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use std::ffi::CStr;
use std::sync::{Mutex, OnceLock};

type FastCall = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

type TupleCall = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *mut ffi::PyObject,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// pyo3's function for a method: by fastcall, or by tuple and dict (`**kwargs`).
#[derive(Clone, Copy)]
enum Call {
    Fast(FastCall),
    Tuple(TupleCall),
}

/// One guarded method: pyo3's function for it and the name the parser knows it by.
struct Guarded {
    call: Call,
    qualified: Py<PyString>,
}

const SLOTS: usize = 64;
static GUARDED: [OnceLock<Guarded>; SLOTS] = [const { OnceLock::new() }; SLOTS];
/// The qualified names guarded so far, by slot.
static TAKEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

macro_rules! trampolines {
    ($kind:ident: $($i:literal)*) => { [$($kind::<$i> as _,)*] };
}
macro_rules! slots {
    ($kind:ident) => {
        trampolines![$kind:
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30
            31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58
            59 60 61 62 63
        ]
    };
}
static FAST_TRAMPOLINES: [FastCall; SLOTS] = slots!(fast_trampoline);
static TUPLE_TRAMPOLINES: [TupleCall; SLOTS] = slots!(tuple_trampoline);

unsafe extern "C" fn fast_trampoline<const I: usize>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let Some(Guarded {
        call: Call::Fast(call),
        qualified,
    }) = GUARDED[I].get()
    else {
        return std::ptr::null_mut(); // never: a slot is filled before its descriptor exists
    };
    // SAFETY: CPython's arguments for a METH_FASTCALL | METH_KEYWORDS method, handed on
    // unchanged to the function the method was made with, which takes the same
    let out = unsafe { call(slf, args, nargs, kwnames) };
    if !out.is_null() {
        return out;
    }
    // attached through pyo3 (not assumed), so that what it drops is released now rather
    // than at pyo3's next entry (a failure's traceback kept its frames' tensors alive)
    Python::attach(|py| {
        // SAFETY: called by CPython with the thread attached; `slf`, the `nargs`
        // positional values then one value per name in `kwnames` are its borrowed references
        unsafe { fast_failure(py, qualified, slf, args, nargs, kwnames) }
    })
}

/// `fast_trampoline`'s failed call handed to `after_failure`.
///
/// # Safety
/// As `fast_trampoline`'s arguments.
unsafe fn fast_failure(
    py: Python<'_>,
    qualified: &Py<PyString>,
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    unsafe {
        let value = |i: usize| Bound::from_borrowed_ptr(py, *args.add(i));
        let nargs = nargs as usize;
        let keywords = (!kwnames.is_null()).then(|| Bound::from_borrowed_ptr(py, kwnames));
        let call = || -> PyResult<_> {
            let positional = PyTuple::new(py, (0..nargs).map(value))?;
            let dict = PyDict::new(py);
            if let Some(names) = &keywords {
                for (k, name) in names.cast::<PyTuple>()?.iter().enumerate() {
                    dict.set_item(name, value(nargs + k))?;
                }
            }
            Ok((positional, dict))
        };
        after_failure(py, qualified, slf, call)
    }
}

unsafe extern "C" fn tuple_trampoline<const I: usize>(
    slf: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let Some(Guarded {
        call: Call::Tuple(call),
        qualified,
    }) = GUARDED[I].get()
    else {
        return std::ptr::null_mut(); // never: a slot is filled before its descriptor exists
    };
    // SAFETY: CPython's arguments for a METH_VARARGS | METH_KEYWORDS method, handed on
    // unchanged to the function the method was made with, which takes the same
    let out = unsafe { call(slf, args, kwargs) };
    if !out.is_null() {
        return out;
    }
    // attached through pyo3, as in `fast_trampoline`
    Python::attach(|py| {
        // SAFETY: called by CPython with the thread attached; `args` (a tuple), `kwargs`
        // (a dict or null) and `slf` are its borrowed references
        unsafe {
            let call = || -> PyResult<_> {
                let positional = Bound::from_borrowed_ptr(py, args).cast_into::<PyTuple>()?;
                let dict = match kwargs.is_null() {
                    true => PyDict::new(py),
                    false => Bound::from_borrowed_ptr(py, kwargs).cast_into::<PyDict>()?,
                };
                Ok((positional, dict))
            };
            after_failure(py, qualified, slf, call)
        }
    })
}

/// Hands the failed call to `_argument_types.core_method_failed`, which answers it or
/// raises the error to give.
///
/// # Safety
/// `slf` is a borrowed reference for the duration of the call.
#[cold]
unsafe fn after_failure<'py>(
    py: Python<'py>,
    qualified: &Py<PyString>,
    slf: *mut ffi::PyObject,
    arguments: impl FnOnce() -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)>,
) -> *mut ffi::PyObject {
    let Some(failure) = PyErr::take(py) else {
        return std::ptr::null_mut();
    };
    // SAFETY: as the caller promises
    let receiver = unsafe { Bound::from_borrowed_ptr(py, slf) };
    let answer = arguments().and_then(|(positional, keywords)| {
        static HOOK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let hook = HOOK.import(py, "ferrograd._argument_types", "core_method_failed")?;
        hook.call1((
            qualified.bind(py),
            receiver,
            positional,
            keywords,
            failure.into_value(py),
        ))
    });
    match answer {
        Ok(result) => result.into_ptr(),
        Err(error) => {
            error.restore(py);
            std::ptr::null_mut()
        }
    }
}

/// pyo3's definition of the Tensor method named `name` and its function: one taking its
/// arguments by fastcall or by tuple and dict.
fn method_def(name: &CStr) -> Option<(ffi::PyMethodDef, Call)> {
    let fast = ffi::METH_FASTCALL | ffi::METH_KEYWORDS;
    let tuple = ffi::METH_VARARGS | ffi::METH_KEYWORDS;
    PyTensor::items_iter()
        .flat_map(|items| items.methods.iter())
        .filter_map(|item| match item {
            PyMethodDefType::Method(def) => Some(def.into_raw()),
            _ => None,
        })
        .find_map(|raw| {
            // SAFETY: pyo3's method names are static C strings
            let own = unsafe { CStr::from_ptr(raw.ml_name) };
            let flags = raw.ml_flags & !ffi::METH_COEXIST;
            // SAFETY: the flags say which pointer the definition holds
            let call = unsafe {
                match flags {
                    f if f == fast => Call::Fast(raw.ml_meth.PyCFunctionFastWithKeywords),
                    f if f == tuple => Call::Tuple(raw.ml_meth.PyCFunctionWithKeywords),
                    _ => return None,
                }
            };
            (own == name).then_some((raw, call))
        })
}

/// Guards the Tensor methods in `names` (`(attribute, qualified name)` pairs; an alias's
/// attribute holds the descriptor of the method it aliases); returns how many were
/// guarded. A method not made by pyo3 with fastcall arguments is left as it is.
#[pyfunction]
fn _guard_core_methods(cls: &Bound<'_, PyType>, names: Vec<(String, String)>) -> PyResult<usize> {
    let py = cls.py();
    let mut taken = TAKEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut count = 0;
    for (attribute, qualified) in names {
        if taken.contains(&qualified) || taken.len() == SLOTS {
            continue;
        }
        let own_name: String = cls
            .getattr(attribute.as_str())?
            .getattr("__name__")?
            .extract()?;
        let Ok(own_name) = std::ffi::CString::new(own_name) else {
            continue;
        };
        let Some((raw, call)) = method_def(&own_name) else {
            continue;
        };
        let slot = taken.len();
        let guarded = Guarded {
            call,
            qualified: PyString::new(py, &qualified).unbind(),
        };
        if GUARDED[slot].set(guarded).is_err() {
            continue;
        }
        taken.push(qualified);
        let def = Box::leak(Box::new(ffi::PyMethodDef {
            ml_meth: match call {
                Call::Fast(_) => ffi::PyMethodDefPointer {
                    PyCFunctionFastWithKeywords: FAST_TRAMPOLINES[slot],
                },
                Call::Tuple(_) => ffi::PyMethodDefPointer {
                    PyCFunctionWithKeywords: TUPLE_TRAMPOLINES[slot],
                },
            },
            ..raw
        }));
        // SAFETY: `def` lives for the rest of the process, as a descriptor's must; the
        // new reference is owned by the Bound
        let descriptor = unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(cls.as_type_ptr(), def))?
        };
        cls.setattr(attribute.as_str(), descriptor)?;
        count += 1;
    }
    Ok(count)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_guard_core_methods, m)?)
}
