//! Bindings of the fused products (`ops::products`): `addmm` and its family, `cdist`.

use super::convert::scalar_param_for;
use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops::{self, Product};
use crate::tensor::layout::format_shape;
use crate::tensor::{DType, Scalar};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// `beta` or `alpha` of a product computing in `dtype`.
fn number(dtype: DType, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Scalar> {
    scalar_param_for(dtype, obj)?.ok_or_else(|| {
        PyTypeError::new_err(format!(
            "argument '{what}' must be Number, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

/// `beta * input + alpha * product(a, b)` for `op` in addmm, baddbmm, addbmm, addmv, addr.
#[pyfunction]
fn _add_product(
    py: Python<'_>,
    op: &str,
    input: Strided<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    beta: &Bound<'_, PyAny>,
    alpha: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let kind = Product::from_name(op)
        .ok_or_else(|| PyValueError::new_err(format!("unknown product op '{op}'")))?;
    let d = a.t().dtype();
    let (beta, alpha) = (number(d, beta, "beta")?, number(d, alpha, "alpha")?);
    wrap(
        py,
        guarded(op, || {
            ops::add_product(kind, &input.t(), &a.t(), &b.t(), beta, alpha)
        })?,
    )
}

/// The in-place form (`input.addmm_(a, b)`): the result is written into `input`.
#[pyfunction]
fn _add_product_(
    op: &str,
    input: &Bound<'_, PyTensor>,
    a: Strided<'_>,
    b: Strided<'_>,
    beta: &Bound<'_, PyAny>,
    alpha: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let kind = Product::from_name(op)
        .ok_or_else(|| PyValueError::new_err(format!("unknown product op '{op}'")))?;
    let t = input.borrow().raw.clone();
    let d = t.dtype();
    let (beta, alpha) = (number(d, beta, "beta")?, number(d, alpha, "alpha")?);
    let name = format!("{op}_");
    guarded(&name, || {
        if let Some(shape) = kind.output_shape(&a.t(), &b.t()) {
            if shape.as_slice() != t.shape() {
                return Err(crate::error::Error::runtime(format!(
                    "Bad in-place call: input tensor size {} and output tensor size {} should match",
                    format_shape(t.shape()),
                    format_shape(&shape)
                )));
            }
        }
        ops::apply_inplace(&t, &name, false, |inp| {
            ops::add_product(kind, inp, &a.t(), &b.t(), beta, alpha)
        })
    })?;
    Ok(input.clone().into_any().unbind())
}

#[pyfunction]
fn _cdist(py: Python<'_>, x1: Strided<'_>, x2: Strided<'_>, p: f64) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("cdist", || ops::cdist(&x1.t(), &x2.t(), p))?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_add_product, m)?)?;
    m.add_function(wrap_pyfunction!(_add_product_, m)?)?;
    m.add_function(wrap_pyfunction!(_cdist, m)?)?;
    Ok(())
}
