//! `_core._linalg_complex_*`: the complex forwards of `ferrograd.linalg`, without
//! autograd (the Python layer records PyTorch's nodes around them).

use super::linalg_fns::{run, tuple_of};
use super::tensor::{wrap, PyTensor};
use crate::ops::linalg as la;
use pyo3::prelude::*;

#[pyfunction]
fn _linalg_complex_inv_ex(py: Python<'_>, a: &PyTensor, check_errors: bool) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (x, info) = run(py, "linalg.inv", || la::complex_inv_ex(&a, check_errors))?;
    tuple_of(py, vec![x, info])
}

#[pyfunction]
fn _linalg_complex_solve_ex(
    py: Python<'_>,
    a: &PyTensor,
    b: &PyTensor,
    left: bool,
    check_errors: bool,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t.clone(), b.t.clone());
    let (x, info) = run(py, "linalg.solve", || {
        la::complex_solve_ex(&a, &b, left, check_errors)
    })?;
    tuple_of(py, vec![x, info])
}

#[pyfunction]
fn _linalg_complex_det(py: Python<'_>, a: &PyTensor) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    wrap(py, run(py, "linalg.det", || la::complex_det(&a))?)
}

#[pyfunction]
fn _linalg_complex_slogdet(py: Python<'_>, a: &PyTensor) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (sign, logabs) = run(py, "linalg.slogdet", || la::complex_slogdet(&a))?;
    tuple_of(py, vec![sign, logabs])
}

#[pyfunction]
fn _linalg_complex_lu_factor_ex(py: Python<'_>, a: &PyTensor) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (lu, piv, info) = run(py, "linalg.lu_factor", || la::complex_lu_factor_ex(&a))?;
    tuple_of(py, vec![lu, piv, info])
}

#[pyfunction]
fn _linalg_complex_lu(py: Python<'_>, a: &PyTensor) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (p, l, u) = run(py, "linalg.lu", || la::complex_lu(&a))?;
    tuple_of(py, vec![p, l, u])
}

#[pyfunction]
fn _linalg_complex_cholesky_ex(
    py: Python<'_>,
    a: &PyTensor,
    upper: bool,
    check_errors: bool,
    name: String,
) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (l, info) = run(py, "linalg.cholesky", || {
        la::complex_cholesky_ex(&a, upper, check_errors, &name)
    })?;
    tuple_of(py, vec![l, info])
}

#[pyfunction]
fn _linalg_complex_eigh(py: Python<'_>, a: &PyTensor, upper: bool) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (w, v) = run(py, "linalg.eigh", || la::complex_eigh(&a, upper))?;
    tuple_of(py, vec![w, v])
}

#[pyfunction]
fn _linalg_complex_svd(
    py: Python<'_>,
    a: &PyTensor,
    full_matrices: bool,
    values_only: bool,
) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (u, s, vh) = run(py, "linalg.svd", || {
        la::complex_svd(&a, full_matrices, values_only)
    })?;
    tuple_of(py, vec![u, s, vh])
}

#[pyfunction]
fn _linalg_complex_qr(py: Python<'_>, a: &PyTensor, mode: String) -> PyResult<Py<PyAny>> {
    let a = a.t.clone();
    let (q, r) = run(py, "linalg.qr", || la::complex_qr(&a, &mode))?;
    tuple_of(py, vec![q, r])
}

#[pyfunction]
fn _linalg_complex_solve_triangular(
    py: Python<'_>,
    a: &PyTensor,
    b: &PyTensor,
    upper: bool,
    left: bool,
    unitriangular: bool,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t.clone(), b.t.clone());
    wrap(
        py,
        run(py, "linalg.solve_triangular", || {
            la::complex_solve_triangular(&a, &b, upper, left, unitriangular)
        })?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_linalg_complex_inv_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_solve_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_det, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_slogdet, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_lu_factor_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_lu, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_cholesky_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_eigh, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_svd, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_qr, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_complex_solve_triangular, m)?)?;
    Ok(())
}
