//! The layout of a Python tensor object. The Rust core holds strided tensors only; a
//! layout written in Python (`SparseCooTensor`: coordinates and values over an empty
//! core tensor) tags its object, and a binding that meets a tagged tensor hands the call
//! to the object's class, which runs the op for its layout or raises PyTorch's error for
//! an op without a kernel there. Without the tag the empty core tensor would reach the
//! kernels and give a silently wrong (empty) result. Bindings without a layout of their
//! own to offer take `strided_arg::Strided`, which refuses a tagged tensor.

use super::tensor::PyTensor;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicU8, Ordering};

/// PyTorch's `torch.layout` values a tensor object can have here.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum LayoutTag {
    /// A core tensor (the zero a fresh object starts with).
    Strided = 0,
    /// `ferrograd.sparse_coo`: `python/ferrograd/_sparse_coo.py`.
    SparseCoo = 1,
    /// Shapes and dtypes without values (reserved for a Python-side meta device).
    Meta = 2,
}

impl LayoutTag {
    fn from_bits(bits: u8) -> LayoutTag {
        match bits {
            1 => LayoutTag::SparseCoo,
            2 => LayoutTag::Meta,
            _ => LayoutTag::Strided,
        }
    }

    /// The tag of a layout's Python name (`"sparse_coo"`).
    pub fn named(name: &str) -> PyResult<LayoutTag> {
        match name {
            "strided" => Ok(LayoutTag::Strided),
            "sparse_coo" => Ok(LayoutTag::SparseCoo),
            "meta" => Ok(LayoutTag::Meta),
            _ => Err(PyValueError::new_err(format!(
                "unknown layout tag '{name}'"
            ))),
        }
    }
}

/// The tag slot of a `PyTensor` (one byte, zero for strided).
#[derive(Default)]
pub struct LayoutSlot(AtomicU8);

impl LayoutSlot {
    #[inline]
    pub fn get(&self) -> LayoutTag {
        LayoutTag::from_bits(self.0.load(Ordering::Relaxed))
    }

    pub fn set(&self, tag: LayoutTag) {
        self.0.store(tag as u8, Ordering::Relaxed);
    }
}

/// Whether `obj` is a tensor of a layout written in Python.
#[inline]
pub fn is_foreign(obj: &Bound<'_, PyAny>) -> bool {
    obj.cast::<PyTensor>().is_ok_and(|t| {
        t.try_borrow()
            .is_ok_and(|t| t.layout.get() != LayoutTag::Strided)
    })
}

/// `input.<method>(*args)` when `input` is of a layout written in Python (its class
/// computes the op or refuses it with PyTorch's error); `None` for a strided `input`.
pub fn method_of_foreign<'py>(
    input: &Bound<'py, PyAny>,
    method: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Option<Py<PyAny>>> {
    if !is_foreign(input) {
        return Ok(None);
    }
    Ok(Some(input.call_method1(method, args)?.unbind()))
}

/// `ferrograd._layouts.<entry>(*args)` when any of `tensors` is of a layout written in
/// Python (the Python side routes or refuses the call); `None` when all are strided.
pub fn foreign_call<'py>(
    py: Python<'py>,
    tensors: &[Bound<'py, PyAny>],
    entry: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Option<Py<PyAny>>> {
    if !tensors.iter().any(is_foreign) {
        return Ok(None);
    }
    let layouts = py.import("ferrograd._layouts")?;
    Ok(Some(layouts.getattr(entry)?.call1(args)?.unbind()))
}
