//! Casts of one contiguous run between the common float and integer dtypes, as SIMD
//! loops (`kernels::simd_map`) and half's F16C slice conversions; the same values as the
//! element-by-element `convert` that handles every other pair and layout.

use crate::kernels::simd_map;
use crate::tensor::storage::{bf16, f16};
use crate::tensor::{convert, Buffer, DType, Element, Tensor};
use half::slice::HalfFloatSliceExt;

/// `t`'s values as a buffer of `dtype` when `t` is one contiguous run of a pair this
/// file handles; None otherwise.
pub(crate) fn contiguous_cast(t: &Tensor, dtype: DType) -> Option<Buffer> {
    let layout = t.layout();
    let n = layout.numel();
    if n == 0 || !layout.is_contiguous() {
        return None;
    }
    let guard = t.storage().read();
    let run = layout.offset..layout.offset + n;
    fn via<S: Element + Sync, T: Element>(s: &[S]) -> Buffer {
        T::into_buffer(simd_map::map1(s, convert::<S, T>))
    }
    Some(match (t.dtype(), dtype) {
        (DType::F32, DType::F16) => {
            let mut out = vec![f16::ZERO; n];
            out.convert_from_f32_slice(&f32::slice(&guard)[run]);
            Buffer::F16(out)
        }
        (DType::F16, DType::F32) => {
            let mut out = vec![0.0f32; n];
            f16::slice(&guard)[run].convert_to_f32_slice(&mut out);
            Buffer::F32(out)
        }
        (DType::F32, DType::BF16) => {
            Buffer::BF16(simd_map::map1(&f32::slice(&guard)[run], bf16::from_f32))
        }
        (DType::BF16, DType::F32) => {
            Buffer::F32(simd_map::map1(&bf16::slice(&guard)[run], bf16::to_f32))
        }
        (DType::F32, DType::F64) => via::<f32, f64>(&f32::slice(&guard)[run]),
        (DType::F64, DType::F32) => via::<f64, f32>(&f64::slice(&guard)[run]),
        (DType::F32, DType::I32) => via::<f32, i32>(&f32::slice(&guard)[run]),
        (DType::F32, DType::I64) => via::<f32, i64>(&f32::slice(&guard)[run]),
        (DType::F64, DType::I64) => via::<f64, i64>(&f64::slice(&guard)[run]),
        (DType::I64, DType::F32) => via::<i64, f32>(&i64::slice(&guard)[run]),
        (DType::I32, DType::F32) => via::<i32, f32>(&i32::slice(&guard)[run]),
        (DType::I64, DType::F64) => via::<i64, f64>(&i64::slice(&guard)[run]),
        (DType::F32, DType::Bool) => via::<f32, bool>(&f32::slice(&guard)[run]),
        _ => return None,
    })
}
