//! Elementwise float functions with a vectorized float32 kernel (`kernels::vmath`).

use super::cast::{cast_raw, map1, walked};
use crate::kernels::elementwise::map_unary;
use crate::tensor::memory_format::elementwise_strides;
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
    super::complex::refuse_complex(t);
    super::shell_refusals::refuse_float8_kernel(t);
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
    if t.ndim() == 0 {
        // one element: no layout to walk (the same kernel on a one-element slice)
        let x = f32::slice(&t.storage().read())[t.layout().offset];
        return Tensor::filled(&[], |out: &mut [f32]| v32(&[x], out));
    }
    let n = t.numel();
    let mut out = vec![0.0f32; n];
    // walked in the result's memory order: a permuted dense input is one flat slice
    let strides = elementwise_strides(t.shape(), &[t.layout()]);
    {
        let guard = t.storage().read();
        let src = f32::slice(&guard);
        let layout = walked(t.layout(), &strides);
        if n > 0 && layout.is_contiguous() {
            map_slices(v32, &src[layout.storage_run(n)], &mut out);
        } else {
            map_slices(v32, &map_unary(src, &layout, |x| x), &mut out);
        }
    }
    Tensor::from_buffer_strided(f32::into_buffer(out), t.shape(), strides)
        .expect("same element count")
}

/// Below this many elements a vectorized math kernel stays on the calling thread
/// (measured in release on 2 idle cores, see benches/README.md: `tanh` split in two was
/// slower up to 2^18 elements and faster from 2^19).
pub(crate) const PAR_MIN_MATH_ELEMS: usize = 1 << 18;

/// `v32` over equal-length slices, cut into chunks across the intra-op threads when large.
fn map_slices(v32: fn(&[f32], &mut [f32]), src: &[f32], dst: &mut [f32]) {
    let tasks = crate::parallel::task_count(dst.len(), PAR_MIN_MATH_ELEMS);
    if tasks <= 1 {
        return v32(src, dst);
    }
    let chunk = crate::parallel::chunk_len(dst.len(), tasks);
    crate::parallel::for_each_chunk_mut(dst, chunk, |start, d| {
        v32(&src[start..start + d.len()], d)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parallel::{with_threads, TEST_LOCK};

    #[test]
    fn threaded_math_matches_one_thread_around_the_threshold() {
        let _g = TEST_LOCK.lock();
        type Kernel = fn(&[f32], &mut [f32]);
        let kernels: [Kernel; 4] = [
            crate::kernels::vmath::exp,
            crate::kernels::vmath::tanh,
            crate::kernels::vmath::sigmoid,
            crate::kernels::vmath::ln,
        ];
        for n in [
            1,
            63,
            PAR_MIN_MATH_ELEMS * 2 - 1,
            PAR_MIN_MATH_ELEMS * 2 + 1,
            100_003,
        ] {
            // offset by 3 elements: chunks start at unaligned addresses
            let src: Vec<f32> = (0..n + 3).map(|i| (i as f32 * 0.37).sin() * 9.0).collect();
            for v in kernels {
                let mut one = vec![0.0f32; n];
                let mut many = vec![0.0f32; n];
                with_threads(1, || map_slices(v, &src[3..], &mut one));
                with_threads(3, || map_slices(v, &src[3..], &mut many));
                let mut direct = vec![0.0f32; n];
                v(&src[3..], &mut direct);
                assert_eq!(
                    one.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    many.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
                );
                assert_eq!(
                    one.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    direct.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
                );
            }
        }
    }
}
