//! `NumberArg`: a keyword argument PyTorch's parser types `Number` (`alpha=`), kept apart
//! from an explicit `None`. pyo3 reads an absent argument and `None` alike for an
//! `Option`, but PyTorch refuses `x.add(y, alpha=None)` with a TypeError.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::Borrowed;

/// The object given for the argument, or nothing when it was left out.
pub struct NumberArg<'py>(Option<Bound<'py, PyAny>>);

impl<'py> NumberArg<'py> {
    /// The signature's default: the argument was not given.
    pub const fn absent() -> Self {
        NumberArg(None)
    }

    /// The given object, or PyTorch's TypeError for an explicit `None`.
    pub fn given(&self, op: &str, name: &str) -> PyResult<Option<&Bound<'py, PyAny>>> {
        match &self.0 {
            Some(o) if o.is_none() => Err(PyTypeError::new_err(format!(
                "{op}(): argument '{name}' must be Number, not NoneType"
            ))),
            given => Ok(given.as_ref()),
        }
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for NumberArg<'py> {
    type Error = PyErr;

    #[inline]
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(NumberArg(Some(obj.to_owned())))
    }
}
