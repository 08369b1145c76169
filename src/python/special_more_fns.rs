//! Bindings of the `torch.special` Bessel, Airy and orthogonal-polynomial functions
//! (`ops::special_more`); `python/ferrograd/_special_more.py` builds the public
//! functions with PyTorch's argument checks.

use super::convert::operand_required;
use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops;
use pyo3::prelude::*;

/// `torch.special.<op>(input)` for the Bessel and Airy functions.
#[pyfunction]
fn _special_more_unary(py: Python<'_>, op: &str, input: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded(op, || ops::special_more_unary(op, &input.t()))?)
}

/// `torch.special.<op>(x, n)` for the orthogonal polynomials; either may be a number.
#[pyfunction]
fn _special_more_polynomial(
    py: Python<'_>,
    op: &str,
    x: &Bound<'_, PyAny>,
    n: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let x = operand_required(x, op)?;
    let n = operand_required(n, op)?;
    wrap(
        py,
        guarded(op, || ops::special_more_polynomial(op, &x, &n))?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_special_more_unary, m)?)?;
    m.add_function(wrap_pyfunction!(_special_more_polynomial, m)?)?;
    Ok(())
}
