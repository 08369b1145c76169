//! Grad-mode context managers implemented in Rust, so that entering and leaving a
//! block is one step that a KeyboardInterrupt cannot split.

use crate::autograd::mode;
use pyo3::prelude::*;

/// Base of `no_grad`, `enable_grad`, `set_grad_enabled` and `inference_mode`.
#[pyclass(name = "_GradModeContext", module = "ferrograd._core", subclass)]
pub struct GradModeContext {
    enabled: bool,
    inference: Option<bool>,
    previous: Vec<(bool, bool)>,
}

#[pymethods]
impl GradModeContext {
    #[new]
    #[pyo3(signature = (enabled=true, inference=None))]
    fn new(enabled: bool, inference: Option<bool>) -> Self {
        GradModeContext {
            enabled,
            inference,
            previous: Vec::new(),
        }
    }
    #[pyo3(signature = (enabled, inference=None))]
    fn _set_mode(&mut self, enabled: bool, inference: Option<bool>) {
        self.enabled = enabled;
        self.inference = inference;
    }
    fn __enter__(&mut self) {
        let prev_grad = mode::set_grad_enabled(self.enabled);
        let prev_inf = match self.inference {
            Some(i) => mode::set_inference_mode(i),
            None => mode::is_inference_mode(),
        };
        self.previous.push((prev_grad, prev_inf));
    }
    fn __exit__(
        &mut self,
        _a: Option<Py<PyAny>>,
        _b: Option<Py<PyAny>>,
        _c: Option<Py<PyAny>>,
    ) -> bool {
        if let Some((g, i)) = self.previous.pop() {
            mode::set_grad_enabled(g);
            mode::set_inference_mode(i);
        }
        false
    }
}
