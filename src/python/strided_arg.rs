//! `Strided`: the argument type of a binding that reads a tensor's core tensor. A tensor
//! object of a layout written in Python (`layout_tag`) holds an empty stand-in there, so
//! extracting one raises the error `ferrograd._layouts.refused` builds for it (PyTorch's
//! "Could not run 'aten::op' with arguments from the 'SparseCPU' backend") instead of
//! handing the stand-in to a kernel. A binding taking `Strided` cannot forget the check;
//! it costs one byte read beyond the `&PyTensor` extraction it replaces.

use super::layout_tag::LayoutTag;
use super::tensor::PyTensor;
use pyo3::prelude::*;
use pyo3::Borrowed;
use std::ops::Deref;

/// A borrowed strided tensor object (dereferences to the `PyTensor`).
pub struct Strided<'py>(PyRef<'py, PyTensor>);

impl<'a, 'py> FromPyObject<'a, 'py> for Strided<'py> {
    type Error = PyErr;

    #[inline]
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let tensor: PyRef<'py, PyTensor> = obj.extract().map_err(Into::<PyErr>::into)?;
        if tensor.layout.get() != LayoutTag::Strided {
            drop(tensor);
            return Err(refusal(&obj, None));
        }
        Ok(Strided(tensor))
    }
}

impl Deref for Strided<'_> {
    type Target = PyTensor;

    #[inline]
    fn deref(&self) -> &PyTensor {
        &self.0
    }
}

/// `Ok` for a strided receiver of the method `op` (`&self`, which cannot be a `Strided`;
/// a sparse tensor reaches one through `Tensor.method(sparse, ...)`), else the error of
/// `refusal`.
#[inline]
pub fn check_receiver(me: &PyTensor, py: Python<'_>, op: &str) -> PyResult<()> {
    if me.layout.get() == LayoutTag::Strided {
        return Ok(());
    }
    // the refusal needs the object only for its layout: a stand-in of that layout will do
    let layouts = py.import("ferrograd._layouts")?;
    let name = match me.layout.get() {
        LayoutTag::Meta => "meta",
        _ => "sparse_coo",
    };
    Err(PyErr::from_value(
        layouts.getattr("refused_layout")?.call1((name, op))?,
    ))
}

/// The exception `ferrograd._layouts.refused(obj, op)` makes for `obj` (or the error of
/// making it); without `op` it names the op after its caller.
#[cold]
fn refusal(obj: &Bound<'_, PyAny>, op: Option<&str>) -> PyErr {
    let made = obj
        .py()
        .import("ferrograd._layouts")
        .and_then(|layouts| layouts.getattr("refused")?.call1((obj, op)));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

/// `obj` as the `Strided` argument `name` of the op `op`, failing as pyo3's own
/// extraction of the argument does (the error noted "while processing 'name'"), for a
/// binding that takes the object first to look for an overriding `__torch_function__`;
/// a tensor of a layout written in Python gets the refusal naming `op`.
pub fn strided_argument<'py>(
    obj: &Bound<'py, PyAny>,
    name: &str,
    op: &str,
) -> PyResult<Strided<'py>> {
    if super::layout_tag::is_foreign(obj) {
        return Err(refusal(obj, Some(op)));
    }
    obj.extract::<Strided<'py>>().inspect_err(|e| {
        let py = obj.py();
        let note = format!("while processing '{name}'");
        let _ = e
            .value(py)
            .call_method1(pyo3::intern!(py, "add_note"), (note,));
    })
}
