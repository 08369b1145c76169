//! Module functions for `preserve_format` (`ferrograd._core._preserved_strides`, ...);
//! the Python layer (`python/ferrograd/_memory_format.py`) makes `*_like` tensors with them.

use super::tensor::{wrap, PyTensor};
use crate::tensor::layout::{contiguous_strides, Layout};
use crate::tensor::memory_format::{is_non_overlapping_and_dense, preserved_strides};
use crate::tensor::Tensor;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The strides a copy of `t` that preserves its memory format gets; None when row-major.
#[pyfunction]
fn _preserved_strides(t: PyRef<'_, PyTensor>) -> Option<Vec<isize>> {
    if t.t().strides() == contiguous_strides(t.t().shape()).as_slice() {
        return None;
    }
    Some(preserved_strides(t.t().layout()).to_vec())
}

/// The elements of a fresh row-major `t`, in memory order, as a tensor of `shape` and
/// dense `strides` over the same storage (no view: a tensor of its own).
#[pyfunction]
fn _restrided(
    py: Python<'_>,
    t: PyRef<'_, PyTensor>,
    shape: Vec<usize>,
    strides: Vec<isize>,
) -> PyResult<Py<PyAny>> {
    let src = &t.t();
    let layout = Layout {
        shape: shape.as_slice().into(),
        strides: strides.as_slice().into(),
        offset: 0,
    };
    let fits = src.is_contiguous()
        && src.storage_offset() == 0
        && layout.numel() == src.numel()
        && shape.len() == strides.len()
        && (layout.numel() == 0 || is_non_overlapping_and_dense(&shape, &strides));
    if !fits {
        return Err(PyValueError::new_err(format!(
            "_restrided: strides {strides:?} are not a dense layout of a tensor of size {}",
            src.numel()
        )));
    }
    let out = Tensor::from_parts(
        src.storage().clone(),
        layout,
        src.dtype(),
        crate::tensor::VersionSlot::fresh(),
    );
    wrap(py, out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_preserved_strides, m)?)?;
    m.add_function(wrap_pyfunction!(_restrided, m)?)?;
    Ok(())
}
