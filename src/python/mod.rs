//! The pyo3 boundary: argument conversion, error mapping, the `Tensor` class, grad_fn
//! objects and grad-mode context managers. Nothing here computes; it calls `ops`.

mod accounting_fns;
mod activation_fns;
mod autocast_fns;
mod batch_norm_fns;
mod bool_arg;
mod buffer;
mod complex_fns;
mod composite_fns;
mod conv_fns;
mod convert;
mod dlpack_fns;
mod errors;
mod fast_function;
mod function_fns;
mod functions;
mod gather_fns;
mod grad_fn;
mod graph_fns;
mod int_args;
mod layer_norm_fns;
mod layout_tag;
mod linalg_fns;
mod linalg_more_fns;
mod math_fns;
mod memory_format_fns;
mod method_guard;
mod mode;
mod mse_fns;
mod nll_fns;
mod node_call;
mod number_arg;
mod operand;
mod pool_fns;
mod products_fns;
mod py_refs;
mod random_fns;
mod reduce_fns;
mod saved_hooks_fns;
mod scalar_check_fns;
mod scatter_fns;
mod setitem_value;
mod shape_fns;
mod size_object;
mod special_fns;
mod special_more_fns;
mod storage_fns;
mod strided_arg;
mod swap_fns;
mod tensor;
mod tensor_api_fns;
mod tensor_object;
mod threads_fns;
mod torch_function;
mod untyped_storage_fns;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::install_quiet_panic_hook();
    m.add_class::<tensor::PyTensor>()?;
    // Setting the name again drops the module from the C-level type name, so Python's
    // messages say 'Tensor', as they do for PyTorch's ("unsupported operand type(s) for
    // +: 'Tensor' and 'str'"); `__module__` stays "ferrograd".
    m.getattr("Tensor")?.setattr("__name__", "Tensor")?;
    tensor::install_inplace_operators(&m.getattr("Tensor")?)?;
    m.add_class::<grad_fn::PyGradFn>()?;
    m.add_class::<grad_fn::PyHookHandle>()?;
    m.add_class::<mode::GradModeContext>()?;
    m.add_class::<convert::PyDType>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    convert::register_dtypes(m)?;
    functions::register(m)?;
    math_fns::register(m)?;
    shape_fns::register(m)?;
    memory_format_fns::register(m)?;
    reduce_fns::register(m)?;
    scatter_fns::register(m)?;
    gather_fns::register(m)?;
    products_fns::register(m)?;
    random_fns::register(m)?;
    storage_fns::register(m)?;
    swap_fns::register(m)?;
    untyped_storage_fns::register(m)?;
    scalar_check_fns::register(m)?;
    dlpack_fns::register(m)?;
    graph_fns::register(m)?;
    conv_fns::register(m)?;
    function_fns::register(m)?;
    composite_fns::register(m)?;
    autocast_fns::register(m)?;
    layer_norm_fns::register(m)?;
    batch_norm_fns::register(m)?;
    size_object::register(m)?;
    mse_fns::register(m)?;
    nll_fns::register(m)?;
    pool_fns::register(m)?;
    linalg_fns::register(m)?;
    linalg_more_fns::register(m)?;
    tensor_api_fns::register(m)?;
    accounting_fns::register(m)?;
    special_fns::register(m)?;
    special_more_fns::register(m)?;
    threads_fns::register(m)?;
    saved_hooks_fns::register(m)?;
    complex_fns::register(m)?;
    activation_fns::register(m)?;
    fast_function::register(m)?;
    method_guard::register(m)?;
    crate::autograd::engine::set_interrupt_check(errors::check_signals);
    Ok(())
}
