//! `autograd.graph.saved_tensors_hooks`: the Python pair behind the core's saved-tensor
//! hooks (pushed and popped by the context manager).

use super::errors::stash;
use super::tensor::{wrap, PyTensor};
use crate::autograd::saved_hooks::{self, PackedTensor, SavedTensorHooks};
use crate::error::Result;
use crate::tensor::Tensor;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use std::sync::Arc;

struct PyHooks {
    pack: Py<PyAny>,
    unpack: Arc<Py<PyAny>>,
}

struct PyPacked {
    packed: Py<PyAny>,
    unpack: Arc<Py<PyAny>>,
}

impl SavedTensorHooks for PyHooks {
    fn pack(&self, t: &Tensor) -> Result<Arc<dyn PackedTensor>> {
        Python::attach(|py| {
            let packed = self.pack.call1(py, (wrap(py, t.clone())?,))?;
            Ok(Arc::new(PyPacked {
                packed,
                unpack: self.unpack.clone(),
            }) as Arc<dyn PackedTensor>)
        })
        .map_err(stash)
    }
}

impl PackedTensor for PyPacked {
    fn unpack(&self) -> Result<Tensor> {
        Python::attach(|py| {
            let out = self.unpack.call1(py, (self.packed.clone_ref(py),))?;
            let out = out.bind(py);
            match out.cast::<PyTensor>() {
                Ok(t) => Ok(t.borrow().t.clone()),
                Err(_) => Err(PyTypeError::new_err(format!(
                    "Output of saved tensor unpack_hook expected to be a Tensor but got result of type {}",
                    out.get_type().name()?
                ))),
            }
        })
        .map_err(stash)
    }
}

/// Makes `(pack_hook, unpack_hook)` the innermost saved-tensor hooks of this thread.
#[pyfunction]
fn _push_saved_tensors_hooks(pack_hook: Py<PyAny>, unpack_hook: Py<PyAny>) {
    saved_hooks::push(Arc::new(PyHooks {
        pack: pack_hook,
        unpack: Arc::new(unpack_hook),
    }));
}

/// Drops the innermost saved-tensor hooks of this thread.
#[pyfunction]
fn _pop_saved_tensors_hooks() {
    saved_hooks::pop();
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_push_saved_tensors_hooks, m)?)?;
    m.add_function(wrap_pyfunction!(_pop_saved_tensors_hooks, m)?)?;
    Ok(())
}
