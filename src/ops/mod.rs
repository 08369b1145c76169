//! Ops: argument checks, a forward kernel call, and the backward formula written with
//! ops themselves (so `create_graph=True` differentiates the backward too).

/// Calls a kernel generic over the float type as `f::<f32>` for a float32 `dtype` and as
/// `f::<f64>` for any other (the callers have checked it is float32 or float64). Defined
/// before the submodules, so every one of them sees it.
macro_rules! by_float_dtype {
    ($dtype:expr, $f:ident($($arg:expr),* $(,)?)) => {
        match $dtype {
            $crate::tensor::DType::F32 => $f::<f32>($($arg),*),
            _ => $f::<f64>($($arg),*),
        }
    };
}

pub mod accumulate;
pub mod activation;
pub mod batch_norm;
pub mod binary;
pub mod cast;
mod cast_fast;
mod cast_u32_lanes;
pub mod clamp_checks;
pub mod compare;
pub mod complex;
pub mod complex_functions;
pub mod complex_index;
pub mod complex_layout;
pub mod complex_libm;
pub mod complex_math;
pub mod complex_reduce;
pub mod complex_refusals;
pub mod complex_shape;
pub mod conv;
pub mod conv_check;
pub mod creation;
pub mod embedding_backward;
pub mod fft;
pub mod float;
pub mod fold;
pub mod fused_backward;
pub mod fused_multiply_add;
pub mod gather;
mod gather_plan;
pub mod index;
pub mod index_dim;
pub mod inplace;
pub mod inplace_binary;
pub mod isclose;
pub mod layer_norm;
pub(crate) mod layout_copy;
pub mod lazy_views;
pub mod linalg;
pub mod math;
pub mod matmul;
pub mod mem_overlap;
pub mod mse;
pub mod named_node;
pub mod nll;
pub mod pad;
pub mod pool;
pub mod products;
pub mod random;
pub mod random_dist;
pub mod reduce;
pub(crate) mod reduce_fast;
pub mod reduce_more;
pub mod refusal_order;
pub mod resample;
pub mod scatter;
pub mod sepmap;
pub mod shape;
pub mod shell_refusals;
mod simd_map;
pub mod softmax_backward;
pub mod spacing;
pub mod special;
pub mod special_more;
pub mod tensor_api;
pub mod unary;
pub mod vector_map;
pub mod view;
pub mod view_dtype;
pub mod view_history;

pub use binary::*;
pub use cast::*;
pub use compare::*;
pub use conv::*;
pub use conv_check::{ConvParams, ConvSetup};
pub use creation::*;
pub use fold::*;
pub use fused_backward::{sigmoid_backward, tanh_backward};
pub use gather::{gather, index_select, take_along_dim};
pub use index::*;
pub use inplace::*;
pub use inplace_binary::{add_scaled_inplace, arith_inplace, InplaceArith};
pub use math::*;
pub use matmul::*;
pub use named_node::{intern as intern_node_name, named_passthrough};
pub use pad::*;
pub use pool::*;
pub use products::*;
pub use reduce::*;
pub use reduce_more::*;
pub use resample::*;
pub use scatter::*;
pub use shape::*;
pub use spacing::{linspace, logspace};
pub use special_more::*;
pub use tensor_api::*;
pub use unary::*;
pub use view::*;

use crate::error::Result;
use crate::tensor::{default_dtype, DType, ResultType, Scalar, Tensor};

/// `torch.result_type` over tensors (wrapped numbers included).
pub fn result_type(tensors: &[&Tensor]) -> Result<DType> {
    let mut r = ResultType::new();
    for t in tensors {
        let mut d = t.dtype();
        if t.is_wrapped_number() && d.is_floating() {
            d = default_dtype();
        }
        if t.is_wrapped_number() && d.is_complex() {
            d = default_dtype().to_complex();
        }
        r.add(d, t.operand_rank());
    }
    r.result()
}

/// `result_type` of two elementwise operands, after checking that their shapes
/// broadcast: PyTorch's TensorIterator computes the shape before it promotes, so a
/// size mismatch is reported whatever the dtypes.
pub fn operands_dtype(a: &Tensor, b: &Tensor) -> Result<DType> {
    if a.shape() != b.shape() {
        crate::tensor::layout::broadcast_shapes(a.shape(), b.shape())?;
    }
    result_type(&[a, b])
}

/// A Python number as an operand.
pub fn scalar(s: Scalar) -> Tensor {
    Tensor::wrapped_scalar(s)
}

/// Reduces a broadcast gradient back to `shape` and casts it to `dtype`.
pub fn reduce_grad(g: &Tensor, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let g = sum_to(g, shape)?;
    if g.dtype() != dtype {
        return to_dtype(&g, dtype);
    }
    Ok(g)
}
