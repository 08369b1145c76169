//! Module functions for the reductions and scans of `ops::reduce_more`; the Python
//! layer (`_reduce.py`) parses arguments and builds the named tuples.

use super::convert::{dims_of, opt_dtype};
use super::errors::guarded;
use super::int_args::{int_arg, opt_int_arg};
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops;
use crate::tensor::Tensor;
use pyo3::prelude::*;

type Pair = (Py<PyAny>, Py<PyAny>);

fn pair(py: Python<'_>, r: (Tensor, Tensor)) -> PyResult<Pair> {
    Ok((wrap(py, r.0)?, wrap(py, r.1)?))
}

#[pyfunction]
fn _max_dim(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    keepdim: bool,
    is_max: bool,
) -> PyResult<Pair> {
    let name = if is_max { "max" } else { "min" };
    pair(
        py,
        guarded(name, || ops::max_dim(&t.t(), dim, keepdim, is_max))?,
    )
}

#[pyfunction]
#[pyo3(signature = (t, dim, keepdim, is_max))]
fn _argmax(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = opt_int_arg)] dim: Option<i64>,
    keepdim: bool,
    is_max: bool,
) -> PyResult<Py<PyAny>> {
    let name = if is_max { "argmax" } else { "argmin" };
    wrap(
        py,
        guarded(name, || ops::argmax(&t.t(), dim, keepdim, is_max))?,
    )
}

#[pyfunction]
#[pyo3(signature = (t, dim, correction, keepdim, is_std, with_mean))]
fn _var_std(
    py: Python<'_>,
    t: Strided<'_>,
    dim: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
    with_mean: bool,
) -> PyResult<Py<PyAny>> {
    let dims = dims_of(dim)?;
    let name = if is_std { "std" } else { "var" };
    if with_mean {
        let r = guarded(name, || {
            ops::var_std_mean(&t.t(), dims.as_deref(), correction, keepdim, is_std)
        })?;
        let p = pair(py, r)?;
        return p.into_pyobject(py).map(|o| o.into_any().unbind());
    }
    wrap(
        py,
        guarded(name, || {
            ops::var_std(&t.t(), dims.as_deref(), correction, keepdim, is_std)
        })?,
    )
}

#[pyfunction]
#[pyo3(signature = (t, dim, dtype, log))]
fn _softmax(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    dtype: Option<&Bound<'_, PyAny>>,
    log: bool,
) -> PyResult<Py<PyAny>> {
    let d = opt_dtype(dtype)?;
    let name = if log { "log_softmax" } else { "softmax" };
    wrap(py, guarded(name, || ops::softmax(&t.t(), dim, d, log))?)
}

#[pyfunction]
fn _logsumexp(
    py: Python<'_>,
    t: Strided<'_>,
    dim: &Bound<'_, PyAny>,
    keepdim: bool,
) -> PyResult<Py<PyAny>> {
    let dims = dims_of(Some(dim))?.unwrap_or_default();
    wrap(
        py,
        guarded("logsumexp", || ops::logsumexp(&t.t(), &dims, keepdim))?,
    )
}

#[pyfunction]
#[pyo3(signature = (t, dim, dtype, is_prod))]
fn _cumsum(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    dtype: Option<&Bound<'_, PyAny>>,
    is_prod: bool,
) -> PyResult<Py<PyAny>> {
    let d = opt_dtype(dtype)?;
    if is_prod {
        wrap(py, guarded("cumprod", || ops::cumprod(&t.t(), dim, d))?)
    } else {
        wrap(py, guarded("cumsum", || ops::cumsum(&t.t(), dim, d))?)
    }
}

#[pyfunction]
fn _logcumsumexp(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("logcumsumexp", || ops::logcumsumexp(&t.t(), dim))?,
    )
}

#[pyfunction]
fn _cummax(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    is_max: bool,
) -> PyResult<Pair> {
    let name = if is_max { "cummax" } else { "cummin" };
    pair(py, guarded(name, || ops::cummax(&t.t(), dim, is_max))?)
}

#[pyfunction]
fn _sort(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    descending: bool,
    stable: bool,
    stable_overload: bool,
) -> PyResult<Pair> {
    pair(
        py,
        guarded("sort", || {
            ops::sort(&t.t(), dim, descending, stable, stable_overload)
        })?,
    )
}

#[pyfunction]
fn _topk(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] k: i64,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    largest: bool,
) -> PyResult<Pair> {
    pair(py, guarded("topk", || ops::topk(&t.t(), k, dim, largest))?)
}

#[pyfunction]
fn _kthvalue(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] k: i64,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    keepdim: bool,
) -> PyResult<Pair> {
    pair(
        py,
        guarded("kthvalue", || ops::kthvalue(&t.t(), k, dim, keepdim))?,
    )
}

#[pyfunction]
fn _median_all(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("median", || ops::median_all(&t.t()))?)
}

#[pyfunction]
fn _median_dim(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    keepdim: bool,
) -> PyResult<Pair> {
    pair(
        py,
        guarded("median", || ops::median_dim(&t.t(), dim, keepdim))?,
    )
}

#[pyfunction]
fn _mode(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = int_arg)] dim: i64,
    keepdim: bool,
) -> PyResult<Pair> {
    pair(py, guarded("mode", || ops::mode(&t.t(), dim, keepdim))?)
}

#[pyfunction]
#[pyo3(signature = (t, dim, keepdim))]
fn _aminmax(
    py: Python<'_>,
    t: Strided<'_>,
    #[pyo3(from_py_with = opt_int_arg)] dim: Option<i64>,
    keepdim: bool,
) -> PyResult<Pair> {
    pair(
        py,
        guarded("aminmax", || ops::aminmax(&t.t(), dim, keepdim))?,
    )
}

#[pyfunction]
#[pyo3(signature = (t, dim))]
fn _count_nonzero(
    py: Python<'_>,
    t: Strided<'_>,
    dim: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let dims = dims_of(dim)?;
    wrap(
        py,
        guarded("count_nonzero", || {
            ops::count_nonzero(&t.t(), dims.as_deref())
        })?,
    )
}

#[pyfunction]
fn _nonzero(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("nonzero", || ops::nonzero(&t.t()))?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_max_dim, m)?)?;
    m.add_function(wrap_pyfunction!(_argmax, m)?)?;
    m.add_function(wrap_pyfunction!(_var_std, m)?)?;
    m.add_function(wrap_pyfunction!(_softmax, m)?)?;
    m.add_function(wrap_pyfunction!(_logsumexp, m)?)?;
    m.add_function(wrap_pyfunction!(_cumsum, m)?)?;
    m.add_function(wrap_pyfunction!(_logcumsumexp, m)?)?;
    m.add_function(wrap_pyfunction!(_cummax, m)?)?;
    m.add_function(wrap_pyfunction!(_sort, m)?)?;
    m.add_function(wrap_pyfunction!(_topk, m)?)?;
    m.add_function(wrap_pyfunction!(_kthvalue, m)?)?;
    m.add_function(wrap_pyfunction!(_median_all, m)?)?;
    m.add_function(wrap_pyfunction!(_median_dim, m)?)?;
    m.add_function(wrap_pyfunction!(_mode, m)?)?;
    m.add_function(wrap_pyfunction!(_aminmax, m)?)?;
    m.add_function(wrap_pyfunction!(_count_nonzero, m)?)?;
    m.add_function(wrap_pyfunction!(_nonzero, m)?)?;
    Ok(())
}
