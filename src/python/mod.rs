//! The pyo3 boundary: argument conversion, error mapping, the `Tensor` class, grad_fn
//! objects and grad-mode context managers. Nothing here computes; it calls `ops`.

mod buffer;
mod convert;
mod errors;
mod functions;
mod grad_fn;
mod linalg_fns;
mod math_fns;
mod mode;
mod reduce_fns;
mod shape_fns;
mod tensor;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<tensor::PyTensor>()?;
    m.add_class::<grad_fn::PyGradFn>()?;
    m.add_class::<grad_fn::PyHookHandle>()?;
    m.add_class::<mode::GradModeContext>()?;
    m.add_class::<convert::PyDType>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    convert::register_dtypes(m)?;
    functions::register(m)?;
    math_fns::register(m)?;
    shape_fns::register(m)?;
    reduce_fns::register(m)?;
    linalg_fns::register(m)?;
    crate::autograd::engine::set_interrupt_check(errors::check_signals);
    Ok(())
}
