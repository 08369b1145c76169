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
    let run = layout.storage_run(n);
    fn via<S: Element + Sync, T: Element>(s: &[S]) -> Buffer {
        T::into_buffer(simd_map::map1(s, convert::<S, T>))
    }
    Some(match (t.dtype(), dtype) {
        (DType::F32, DType::F16) => Buffer::F16(f32_to_f16(&f32::slice(&guard)[run])),
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
        (DType::F32, DType::I32) => {
            Buffer::I32(simd_map::map1(&f32::slice(&guard)[run], f32_to_i32))
        }
        (DType::F32, DType::I64) => {
            Buffer::I64(simd_map::map1(&f32::slice(&guard)[run], f32_to_i64))
        }
        (DType::F64, DType::I64) => {
            Buffer::I64(simd_map::map1(&f64::slice(&guard)[run], f64_to_i64))
        }
        (DType::I64, DType::F32) => via::<i64, f32>(&i64::slice(&guard)[run]),
        (DType::I32, DType::F32) => via::<i32, f32>(&i32::slice(&guard)[run]),
        (DType::I64, DType::F64) => via::<i64, f64>(&i64::slice(&guard)[run]),
        (DType::F32, DType::Bool) => via::<f32, bool>(&f32::slice(&guard)[run]),
        _ => return None,
    })
}

/// float32 to float16 rounded to nearest even, as half's `from_f32`: eight at a time
/// with F16C's conversion inlined into the loop where the CPU has it (half's slice
/// conversion calls a function per eight values).
fn f32_to_f16(src: &[f32]) -> Vec<f16> {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("f16c") && is_x86_feature_detected!("avx") {
            let mut out: Vec<f16> = Vec::with_capacity(src.len());
            // SAFETY: both features were detected just above.
            unsafe { f32_to_f16_f16c(src, out.spare_capacity_mut()) };
            // SAFETY: `f32_to_f16_f16c` wrote every one of the first `src.len()` slots.
            unsafe { out.set_len(src.len()) };
            return out;
        }
    }
    let mut out = vec![f16::ZERO; src.len()];
    out.convert_from_f32_slice(src);
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,f16c")]
fn f32_to_f16_f16c(src: &[f32], dst: &mut [std::mem::MaybeUninit<f16>]) {
    use std::arch::x86_64::{__m128i, _mm256_cvtps_ph, _mm256_loadu_ps, _mm_storeu_si128};
    const ROUND_NEAREST_EVEN: i32 = 0;
    let dst = &mut dst[..src.len()];
    let whole = src.len() / 8 * 8;
    for (s, d) in src[..whole].chunks_exact(8).zip(dst.chunks_exact_mut(8)) {
        // SAFETY: `s` holds eight floats and `d` eight 16-bit slots (f16 is a u16).
        unsafe {
            let h = _mm256_cvtps_ph::<ROUND_NEAREST_EVEN>(_mm256_loadu_ps(s.as_ptr()));
            _mm_storeu_si128(d.as_mut_ptr() as *mut __m128i, h);
        }
    }
    for (d, &x) in dst[whole..].iter_mut().zip(&src[whole..]) {
        d.write(f16::from_f32(x));
    }
}

/// Float to integer as x86's truncating conversions (`cvttps2dq`, `cvttss2si`): toward
/// zero, and `MIN` for NaN and values out of range (PyTorch's CPU result). Written as a
/// select around an unchecked conversion of an in-range value so that a slice of them
/// compiles to one vector conversion and a blend, not Rust's saturating `as`.
macro_rules! truncating_cast {
    ($name:ident, $F:ty, $I:ty, $limit:expr) => {
        // `&` without a short circuit keeps a loop of these free of branches
        #[allow(clippy::manual_range_contains)]
        #[inline(always)]
        pub(crate) fn $name(x: $F) -> $I {
            // -limit and limit are powers of two, exact in the float type; NaN fails both
            let in_range = (x >= -$limit) & (x < $limit);
            let safe = if in_range { x } else { 0.0 };
            // SAFETY: `safe` is finite and truncates to a value in the integer's range.
            let t = unsafe { safe.to_int_unchecked::<$I>() };
            if in_range {
                t
            } else {
                <$I>::MIN
            }
        }
    };
}

truncating_cast!(f32_to_i32, f32, i32, 2_147_483_648.0);
truncating_cast!(f32_to_i64, f32, i64, 9_223_372_036_854_775_808.0);
truncating_cast!(f64_to_i64, f64, i64, 9_223_372_036_854_775_808.0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::convert;

    fn samples() -> Vec<f32> {
        let mut v = vec![
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            -2.7,
            2.7,
            2_147_483_520.0,
            2_147_483_648.0,
            -2_147_483_648.0,
            -2_147_483_904.0,
            3e9,
            -3e9,
            9.223_371_5e18,
            9.223_372e18,
            -9.223_372e18,
            1e30,
            f32::from_bits(1),
        ];
        v.extend((0..2000).map(|k| f32::from_bits(k * 2_147_483 + 12_345)));
        v
    }

    #[test]
    fn truncating_casts_match_the_element_conversions() {
        for x in samples() {
            assert_eq!(f32_to_i32(x), convert::<f32, i32>(x), "{x:e} to int32");
            assert_eq!(f32_to_i64(x), convert::<f32, i64>(x), "{x:e} to int64");
            assert_eq!(
                f64_to_i64(x as f64),
                convert::<f64, i64>(x as f64),
                "{x:e} to int64"
            );
        }
        assert_eq!(f32_to_i32(f32::NAN), i32::MIN);
        assert_eq!(f32_to_i32(-2.7), -2);
        assert_eq!(f32_to_i64(3e9), 3_000_000_000);
        assert_eq!(f64_to_i64(-1e19), i64::MIN);
    }

    #[test]
    fn float16_conversion_matches_half_on_every_length() {
        let mut v = samples();
        v.extend([
            65504.0,
            65520.0,
            65519.99,
            1e-8,
            5.96e-8,
            2.98e-8,
            -1.0 / 3.0,
        ]);
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 67, v.len()] {
            let got = f32_to_f16(&v[..len]);
            let want: Vec<u16> = v[..len]
                .iter()
                .map(|&x| f16::from_f32(x).to_bits())
                .collect();
            let got: Vec<u16> = got.iter().map(|h| h.to_bits()).collect();
            assert_eq!(got, want, "length {len}");
        }
    }
}
