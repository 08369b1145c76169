//! `_check_scalar`: PyTorch's overflow error for a Python number that an op converts to
//! a tensor's dtype, for the ops written in Python.

use super::convert::opt_dtype;
use super::errors::guarded;
use crate::tensor::DType;
use pyo3::prelude::*;

/// Raises PyTorch's RuntimeError when the number `value` does not fit `dtype`
/// ("value cannot be converted to type int8_t without overflow"); other values pass.
#[pyfunction]
fn _check_scalar(value: &Bound<'_, PyAny>, dtype: &Bound<'_, PyAny>) -> PyResult<()> {
    let d = opt_dtype(Some(dtype))?.unwrap_or(DType::F32);
    let Some(v) = super::convert::fill_scalar_for(d, value)? else {
        return Ok(());
    };
    guarded("_check_scalar", || v.check_fits(d))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_check_scalar, m)?)?;
    Ok(())
}
