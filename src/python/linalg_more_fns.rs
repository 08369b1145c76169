//! Module functions for `geqrf` and the LDLᵀ factorization (`_core._geqrf`,
//! `_core._linalg_ldl_factor_ex`, `_core._linalg_ldl_solve`); argument checks and
//! broadcasting live in `python/ferrograd/linalg/_factorizations.py`.

use super::errors::guarded;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::linalg as la;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

fn tuple_of(py: Python<'_>, ts: Vec<crate::tensor::Tensor>) -> PyResult<Py<PyAny>> {
    let items = ts
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, items)?.into_any().unbind())
}

#[pyfunction]
fn _geqrf(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let (h, tau) = guarded("geqrf", || la::geqrf(&a.t()))?;
    tuple_of(py, vec![h, tau])
}

#[pyfunction]
fn _linalg_ldl_factor_ex(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let (ld, piv, info) = guarded("linalg.ldl_factor_ex", || la::ldl_factor_ex(&a.t()))?;
    tuple_of(py, vec![ld, piv, info])
}

#[pyfunction]
fn _linalg_ldl_solve(
    py: Python<'_>,
    ld: Strided<'_>,
    pivots: Strided<'_>,
    b: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("linalg.ldl_solve", || {
            la::ldl_solve(&ld.t(), &pivots.t(), &b.t())
        })?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_geqrf, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_ldl_factor_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_ldl_solve, m)?)?;
    Ok(())
}
