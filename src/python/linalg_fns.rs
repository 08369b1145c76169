//! Module functions for `ferrograd.linalg` (`_core._linalg_*`); the Python layer
//! (`python/ferrograd/linalg/`) parses arguments and builds the named tuples. Each takes
//! float and complex tensors alike; the factorizations run with the GIL released.

use super::errors::guarded_nogil;
use super::int_args::int_arg;
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::linalg as la;
use crate::tensor::Tensor;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

pyo3::create_exception!(
    ferrograd,
    LinAlgError,
    pyo3::exceptions::PyRuntimeError,
    "A linear-algebra function failed: a singular matrix, one that is not positive-definite, no convergence."
);

pub(super) fn tuple_of(py: Python<'_>, ts: Vec<Tensor>) -> PyResult<Py<PyAny>> {
    let items = ts
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, items)?.into_any().unbind())
}

/// Runs a linalg op with the GIL released.
pub(super) fn run<T: Send>(
    py: Python<'_>,
    op: &str,
    f: impl FnOnce() -> crate::error::Result<T> + Send,
) -> PyResult<T> {
    guarded_nogil(py, true, op, f)
}

#[pyfunction]
fn _linalg_det(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    wrap(py, run(py, "linalg.det", || la::det(&a))?)
}

#[pyfunction]
fn _linalg_slogdet(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (s, l) = run(py, "linalg.slogdet", || la::slogdet(&a))?;
    tuple_of(py, vec![s, l])
}

#[pyfunction]
fn _linalg_inv_ex(py: Python<'_>, a: Strided<'_>, check_errors: bool) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (x, info) = run(py, "linalg.inv", || la::inv_ex(&a, check_errors))?;
    tuple_of(py, vec![x, info])
}

#[pyfunction]
fn _linalg_solve_ex(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    left: bool,
    check_errors: bool,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t().clone(), b.t().clone());
    let (x, info) = run(py, "linalg.solve", || {
        la::solve_ex(&a, &b, left, check_errors)
    })?;
    tuple_of(py, vec![x, info])
}

/// `name`: the function its LinAlgError names (`linalg.cholesky`, `linalg.cholesky_ex`,
/// or `cholesky`, whose node is `CholeskyBackward0`).
#[pyfunction]
fn _linalg_cholesky_ex(
    py: Python<'_>,
    a: Strided<'_>,
    upper: bool,
    check_errors: bool,
    name: &str,
) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let node = if name == "cholesky" {
        "CholeskyBackward0"
    } else {
        "LinalgCholeskyExBackward0"
    };
    let (l, info) = run(py, name, || {
        la::cholesky_ex(&a, upper, check_errors, name, node)
    })?;
    crate::autograd::record::save_args_for(&l, node, || {
        vec![("upper", crate::autograd::node::SavedArg::Bool(upper))]
    });
    tuple_of(py, vec![l, info])
}

#[pyfunction]
fn _linalg_cholesky_inverse(py: Python<'_>, l: Strided<'_>, upper: bool) -> PyResult<Py<PyAny>> {
    let l = l.t().clone();
    wrap(
        py,
        run(py, "cholesky_inverse", || la::cholesky_inverse(&l, upper))?,
    )
}

#[pyfunction]
fn _linalg_cholesky_solve(
    py: Python<'_>,
    b: Strided<'_>,
    l: Strided<'_>,
    upper: bool,
) -> PyResult<Py<PyAny>> {
    let (b, l) = (b.t().clone(), l.t().clone());
    wrap(
        py,
        run(py, "cholesky_solve", || la::cholesky_solve(&b, &l, upper))?,
    )
}

#[pyfunction]
fn _linalg_solve_triangular(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    upper: bool,
    left: bool,
    unitriangular: bool,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t().clone(), b.t().clone());
    wrap(
        py,
        run(py, "linalg.solve_triangular", || {
            la::solve_triangular(&a, &b, upper, left, unitriangular)
        })?,
    )
}

#[pyfunction]
fn _linalg_qr(py: Python<'_>, a: Strided<'_>, mode: String) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (q, r) = run(py, "linalg.qr", || la::qr(&a, &mode))?;
    tuple_of(py, vec![q, r])
}

#[pyfunction]
fn _linalg_svd(
    py: Python<'_>,
    a: Strided<'_>,
    full_matrices: bool,
    values_only: bool,
) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (u, s, vh) = run(py, "linalg.svd", || la::svd(&a, full_matrices, values_only))?;
    tuple_of(py, vec![u, s, vh])
}

#[pyfunction]
fn _linalg_eigh(
    py: Python<'_>,
    a: Strided<'_>,
    upper: bool,
    values_only: bool,
) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (w, v) = run(py, "linalg.eigh", || la::eigh(&a, upper, values_only))?;
    tuple_of(py, vec![w, v])
}

#[pyfunction]
#[pyo3(signature = (a, atol, rtol, hermitian))]
fn _linalg_pinv(
    py: Python<'_>,
    a: Strided<'_>,
    atol: Option<f64>,
    rtol: Option<f64>,
    hermitian: bool,
) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    wrap(
        py,
        run(py, "linalg.pinv", || la::pinv(&a, atol, rtol, hermitian))?,
    )
}

#[pyfunction]
#[pyo3(signature = (a, b, rcond))]
fn _linalg_lstsq(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    rcond: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t().clone(), b.t().clone());
    let (x, rank, s) = run(py, "linalg.lstsq", || la::lstsq(&a, &b, rcond))?;
    tuple_of(py, vec![x, rank, s])
}

#[pyfunction]
fn _linalg_lu_factor_ex(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (lu, piv, info) = run(py, "linalg.lu_factor", || la::lu_factor_ex(&a))?;
    tuple_of(py, vec![lu, piv, info])
}

#[pyfunction]
fn _linalg_lu(py: Python<'_>, a: Strided<'_>) -> PyResult<Py<PyAny>> {
    let a = a.t().clone();
    let (p, l, u) = run(py, "linalg.lu", || la::lu_plu(&a))?;
    tuple_of(py, vec![p, l, u])
}

#[pyfunction]
fn _linalg_cross(
    py: Python<'_>,
    a: Strided<'_>,
    b: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t().clone(), b.t().clone());
    wrap(py, run(py, "linalg.cross", || la::cross(&a, &b, dim))?)
}

#[pyfunction]
fn _dist(py: Python<'_>, a: Strided<'_>, b: Strided<'_>, p: f64) -> PyResult<Py<PyAny>> {
    let (a, b) = (a.t().clone(), b.t().clone());
    wrap(py, run(py, "dist", || la::dist(&a, &b, p))?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LinAlgError", m.py().get_type::<LinAlgError>())?;
    m.add_function(wrap_pyfunction!(_linalg_det, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_slogdet, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_inv_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_solve_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cholesky_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cholesky_inverse, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cholesky_solve, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_solve_triangular, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_qr, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_svd, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eigh, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_pinv, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lstsq, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lu_factor_ex, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lu, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cross, m)?)?;
    m.add_function(wrap_pyfunction!(_dist, m)?)?;
    Ok(())
}
