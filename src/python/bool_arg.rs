//! A method's one optional bool argument, read as PyTorch's argument parser reads it:
//! only a Python bool, and the parser's TypeErrors naming the method, the argument and
//! (when given by position) its position.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyTuple};

/// The bool given to `method` by position or as `name=`; `None` when not given.
pub fn bool_arg(
    method: &str,
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<bool>> {
    if args.len() > 1 {
        return Err(PyTypeError::new_err(format!(
            "{method}() takes from 0 to 1 positional arguments but {} were given",
            args.len()
        )));
    }
    let mut given = args.get_item(0).ok().map(|v| (v, " (position 1)"));
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            if !key.eq(name)? {
                return Err(PyTypeError::new_err(format!(
                    "{method}() got an unexpected keyword argument '{key}'"
                )));
            }
            if given.is_some() {
                return Err(PyTypeError::new_err(format!(
                    "{method}() got multiple values for argument '{name}'"
                )));
            }
            given = Some((value, ""));
        }
    }
    let Some((value, position)) = given else {
        return Ok(None);
    };
    match value.cast::<PyBool>() {
        Ok(flag) => Ok(Some(flag.is_true())),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{method}(): argument '{name}'{position} must be bool, not {}",
            super::setitem_value::qualified_type_name(&value)?
        ))),
    }
}
