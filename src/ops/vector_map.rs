//! Elementwise float functions with a vectorized float32 kernel (`kernels::vmath`).

use super::cast::{cast_raw, map1};
use crate::kernels::elementwise::map_unary;
use crate::tensor::{default_dtype, DType, Element, Tensor};

/// Applies `v32` to a float32 tensor's elements as one contiguous slice (strided inputs
/// are gathered first, so every layout gives the same bits) and `f64f` per element to a
/// float64 tensor; integer and bool inputs compute in the default dtype, float16 and
/// bfloat16 in float32.
pub(crate) fn float_map_vectorized(
    t: &Tensor,
    v32: fn(&[f32], &mut [f32]),
    f64f: fn(f64) -> f64,
) -> Tensor {
    let t = if t.dtype().is_floating() {
        t.clone()
    } else {
        cast_raw(t, default_dtype())
    };
    let dtype = t.dtype();
    if dtype.is_narrow() {
        // float16/bfloat16: compute in float32, round the result back
        let out = float_map_vectorized(&super::cast::in_compute(&t, dtype), v32, f64f);
        return super::cast::narrow_to(out, dtype);
    }
    if dtype != DType::F32 {
        return map1::<f64, f64>(&t, f64f);
    }
    let n = t.numel();
    let mut out = vec![0.0f32; n];
    {
        let guard = t.storage().read();
        let src = f32::slice(&guard);
        let layout = t.layout();
        if n > 0 && layout.is_contiguous() {
            v32(&src[layout.offset..layout.offset + n], &mut out);
        } else {
            v32(&map_unary(src, layout, |x| x), &mut out);
        }
    }
    Tensor::from_vec(out, t.shape()).expect("same element count")
}
