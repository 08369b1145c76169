//! Module functions for complex tensors (`ferrograd._core._view_as_real`, ...); the
//! Python layer (`python/ferrograd/_complex.py`) builds the public API on them.

use super::errors::guarded;
use super::layout_tag::{is_foreign, method_of_foreign};
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::ops::{complex, lazy_views};
use pyo3::prelude::*;

/// `view_as_real` of `t`'s memory; of a conjugate view (which the public
/// `view_as_real` refuses), the pairs of its values, for the ops built on it.
#[pyfunction]
fn _view_as_real(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = if t.raw.is_conj() {
        guarded("view_as_real", || complex::view_as_real(&t.t()))?
    } else {
        guarded("view_as_real", || complex::view_as_real(&t.raw))?
    };
    wrap(py, out)
}

#[pyfunction]
fn _view_as_complex(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("view_as_complex", || complex::view_as_complex(&t.raw))?;
    wrap(py, out)
}

#[pyfunction]
fn _complex(py: Python<'_>, re: Strided<'_>, im: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("complex", || complex::complex(&re.t(), &im.t()))?;
    wrap(py, out)
}

/// A real tensor of (re, im) pairs as a new complex tensor (a copy, no history).
#[pyfunction]
fn _complex_from_pairs(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("complex_from_pairs", || complex::from_real_pairs(&t.t()))?;
    wrap(py, out)
}

#[pyfunction]
fn _complex_angle(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("angle", || crate::ops::complex_math::angle(&t.t()))?;
    wrap(py, out)
}

/// A copy with the imaginary parts negated, its node called `name`.
#[pyfunction]
fn _conj_copy(py: Python<'_>, t: Strided<'_>, name: &str) -> PyResult<Py<PyAny>> {
    let out = guarded("conj", || {
        crate::ops::complex_math::conj_physical(&t.t(), name)
    })?;
    wrap(py, out)
}

/// `t.conj()`: a view with the conjugate bit flipped (`t` itself unless complex).
#[pyfunction]
fn _conj_view(py: Python<'_>, t: &Bound<'_, PyTensor>) -> PyResult<Py<PyAny>> {
    if let Some(out) = method_of_foreign(t.as_any(), "conj", ())? {
        return Ok(out);
    }
    let t = t.borrow();
    wrap(py, guarded("conj", || lazy_views::conj(&t.raw))?)
}

/// `torch._neg_view(t)`: a view with the negative bit flipped.
#[pyfunction]
fn _neg_view(py: Python<'_>, t: Strided<'_>) -> PyResult<Py<PyAny>> {
    wrap(py, guarded("_neg_view", || lazy_views::neg_view(&t.raw))?)
}

/// The lazy bits of `t`: 1 conjugate, 2 negative.
#[pyfunction]
fn _lazy_bits(t: PyRef<'_, PyTensor>) -> u8 {
    t.raw.lazy_bits()
}

/// `t` itself when it has none of the lazy `bits`, else a new tensor of its values.
#[pyfunction]
fn _resolve_lazy(py: Python<'_>, t: &Bound<'_, PyTensor>, bits: u8) -> PyResult<Py<PyAny>> {
    if is_foreign(t.as_any()) {
        return Ok(t.clone().into_any().unbind()); // no lazy bits: the tensor itself, as PyTorch's
    }
    let t = t.borrow();
    wrap(
        py,
        guarded("resolve", || lazy_views::resolve(&t.raw, bits))?,
    )
}

#[pyfunction]
fn _polar(py: Python<'_>, r: Strided<'_>, theta: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("polar", || {
        crate::ops::complex_math::polar(&r.t(), &theta.t())
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _complex_vdot(py: Python<'_>, a: Strided<'_>, b: Strided<'_>) -> PyResult<Py<PyAny>> {
    let out = guarded("vdot", || crate::ops::complex_math::vdot(&a.t(), &b.t()))?;
    wrap(py, out)
}

#[pyfunction]
fn _fft_c2c(
    py: Python<'_>,
    z: Strided<'_>,
    dims: Vec<usize>,
    forward: bool,
    scale: f64,
) -> PyResult<Py<PyAny>> {
    let out = guarded("fft_c2c", || {
        crate::ops::fft::fft_c2c(&z.t(), &dims, forward, scale)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _fft_r2c(
    py: Python<'_>,
    x: Strided<'_>,
    dims: Vec<usize>,
    scale: f64,
    onesided: bool,
) -> PyResult<Py<PyAny>> {
    let out = guarded("fft_r2c", || {
        crate::ops::fft::fft_r2c(&x.t(), &dims, scale, onesided)
    })?;
    wrap(py, out)
}

#[pyfunction]
fn _fft_c2r(
    py: Python<'_>,
    z: Strided<'_>,
    dims: Vec<usize>,
    scale: f64,
    n: usize,
) -> PyResult<Py<PyAny>> {
    let out = guarded("fft_c2r", || {
        crate::ops::fft::fft_c2r(&z.t(), &dims, scale, n)
    })?;
    wrap(py, out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_fft_c2c, m)?)?;
    m.add_function(wrap_pyfunction!(_fft_r2c, m)?)?;
    m.add_function(wrap_pyfunction!(_fft_c2r, m)?)?;
    m.add_function(wrap_pyfunction!(_complex_angle, m)?)?;
    m.add_function(wrap_pyfunction!(_conj_copy, m)?)?;
    m.add_function(wrap_pyfunction!(_conj_view, m)?)?;
    m.add_function(wrap_pyfunction!(_neg_view, m)?)?;
    m.add_function(wrap_pyfunction!(_lazy_bits, m)?)?;
    m.add_function(wrap_pyfunction!(_resolve_lazy, m)?)?;
    m.add_function(wrap_pyfunction!(_polar, m)?)?;
    m.add_function(wrap_pyfunction!(_complex_vdot, m)?)?;
    m.add_function(wrap_pyfunction!(_view_as_real, m)?)?;
    m.add_function(wrap_pyfunction!(_view_as_complex, m)?)?;
    m.add_function(wrap_pyfunction!(_complex, m)?)?;
    m.add_function(wrap_pyfunction!(_complex_from_pairs, m)?)?;
    Ok(())
}

/// The value of a one-element complex tensor as a Python complex.
pub fn complex_item(py: Python<'_>, t: &crate::tensor::Tensor) -> PyResult<Py<PyAny>> {
    use pyo3::IntoPyObjectExt;
    if t.numel() != 1 {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "a Tensor with {} elements cannot be converted to Scalar",
            t.numel()
        )));
    }
    let pairs = complex::real_view_raw(t);
    let v = guarded("item", || Ok(pairs.to_vec::<f64>()))?;
    pyo3::types::PyComplex::from_doubles(py, v[0], v[1]).into_py_any(py)
}
