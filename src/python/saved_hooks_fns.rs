//! `autograd.graph.saved_tensors_hooks`: the Python pair behind the core's saved-tensor
//! hooks (pushed and popped by the context manager).

use super::errors::stash;
use super::grad_fn::PyGradFn;
use super::tensor::{wrap, PyTensor};
use crate::autograd::saved_hooks::{self, PackedTensor, SavedTensorHooks};
use crate::autograd::GradModeGuard;
use crate::error::Result;
use crate::tensor::Tensor;
use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyTypeError};
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
                Ok(t) => Ok(t.borrow().t().clone()),
                Err(_) => Err(PyTypeError::new_err(format!(
                    "Output of saved tensor unpack_hook expected to be a Tensor but got result of type {}",
                    out.get_type().name()?
                ))),
            }
        })
        .map_err(stash)
    }
}

/// `grad_fn._raw_saved_<name>.register_hooks(pack, unpack)`: packs saved tensor number
/// `index` of `node` now (in no-grad mode); backward and `_saved_<name>` get it back
/// through `unpack` from then on.
#[pyfunction]
fn _node_register_saved_hooks(
    py: Python<'_>,
    node: &PyGradFn,
    index: usize,
    pack: Py<PyAny>,
    unpack: Py<PyAny>,
) -> PyResult<()> {
    let n = node.node.node();
    let tensor = {
        let saved = n.saved.lock();
        if saved.released {
            return Err(PyRuntimeError::new_err(FREED));
        }
        let Some(s) = saved.tensors.get(index) else {
            return Err(PyIndexError::new_err(format!(
                "saved tensor {index} out of range for a node that saved {}",
                saved.tensors.len()
            )));
        };
        if s.is_packed() {
            return Err(PyRuntimeError::new_err(ALREADY_SET));
        }
        s.tensor()
    };
    let packed = {
        let _no_grad = GradModeGuard::new(false);
        pack.call1(py, (wrap(py, tensor)?,))?
    };
    let mut saved = n.saved.lock();
    if saved.released {
        return Err(PyRuntimeError::new_err(FREED));
    }
    if let Some(s) = saved.tensors.get_mut(index) {
        s.set_packed(Arc::new(PyPacked {
            packed,
            unpack: Arc::new(unpack),
        }));
    }
    Ok(())
}

const FREED: &str = "Calling register_hooks on a saved tensor after it has been freed. Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved variables after calling backward.";
const ALREADY_SET: &str = "Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only one pair of hooks is allowed at a time.";

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
    m.add_function(wrap_pyfunction!(_node_register_saved_hooks, m)?)?;
    Ok(())
}
