//! `a * b + c` rounded once (no autograd): the fused multiply-add PyTorch's vectorized
//! kernels compute for `addcmul` (`fma(value * t1, t2, input)`) and for `add`/`sub`
//! with `alpha` (`fma(other, ±alpha, input)`), so results match it bit for bit.

use crate::error::{Error, Result};
#[cfg(target_arch = "x86_64")]
use crate::kernels::vmath::{level, Level};
use crate::tensor::layout::{broadcast_shapes, Strides};
use crate::tensor::memory_format::elementwise_strides;
use crate::tensor::{Buffer, DType, Element, Tensor};

use super::cast::{cast_raw, walked};
use super::conv::read_two;

/// `a * b + c` with one rounding, broadcast, in the dtype of the three (which must
/// agree); float16/bfloat16 compute in float32 and round once more to their dtype.
pub fn fused_multiply_add(a: &Tensor, b: &Tensor, c: &Tensor) -> Result<Tensor> {
    let dtype = a.dtype();
    if b.dtype() != dtype || c.dtype() != dtype {
        return Err(Error::runtime(format!(
            "fused_multiply_add: expected operands of one dtype, got {}, {} and {}",
            dtype.kernel_name(),
            b.dtype().kernel_name(),
            c.dtype().kernel_name()
        )));
    }
    let shape = broadcast_shapes(&broadcast_shapes(a.shape(), b.shape())?, c.shape())?;
    // the addend is the op's `input`, PyTorch's first operand
    let strides = elementwise_strides(&shape, &[c.layout(), a.layout(), b.layout()]);
    let run = |a: &Tensor, b: &Tensor, c: &Tensor, work: DType| -> Result<Tensor> {
        let row_major =
            |t: &Tensor| t.numel() > 0 && t.shape() == shape.as_slice() && t.is_contiguous();
        if strides.is_none() && row_major(a) && row_major(b) && row_major(c) {
            // one pass over the operands where they are
            return Ok(match work {
                DType::F32 => fma_in_place::<f32>(a, b, c),
                _ => fma_in_place::<f64>(a, b, c),
            });
        }
        let spread = |t: &Tensor| spread(t, &shape, &strides);
        let (a, b, c) = (spread(a)?, spread(b)?, spread(c)?);
        let out = match work {
            DType::F32 => fma_tensors::<f32>(&a, Factor::Each(&b.to_vec::<f32>()), &c),
            _ => fma_tensors::<f64>(&a, Factor::Each(&b.to_vec::<f64>()), &c),
        };
        Tensor::from_buffer_strided(out, &shape, strides.clone())
    };
    in_float_dtype(dtype, "fused_multiply_add", |work| {
        run(
            &in_dtype(a, work),
            &in_dtype(b, work),
            &in_dtype(c, work),
            work,
        )
    })
}

/// `a + alpha * b` rounded once (`fma(b, alpha, a)`), broadcast, in the float dtype the
/// caller has promoted both to.
pub fn add_scaled_fused(a: &Tensor, b: &Tensor, alpha: f64) -> Result<Tensor> {
    let dtype = a.dtype();
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let strides = elementwise_strides(&shape, &[a.layout(), b.layout()]);
    in_float_dtype(dtype, "add", |work| {
        let (a, b) = (in_dtype(a, work), in_dtype(b, work));
        if strides.is_none() && a.shape() == shape.as_slice() && b.shape() == shape.as_slice() {
            // one pass over the operands where they are, no broadcast copies
            return match work {
                DType::F32 => read_two::<f32, _>(&b, &a, |bs, xs| {
                    Tensor::from_vec(fma_slices(bs, Factor::All(alpha as f32), xs), &shape)
                }),
                _ => read_two::<f64, _>(&b, &a, |bs, xs| {
                    Tensor::from_vec(fma_slices(bs, Factor::All(alpha), xs), &shape)
                }),
            };
        }
        let (a, b) = (spread(&a, &shape, &strides)?, spread(&b, &shape, &strides)?);
        let out = match work {
            DType::F32 => fma_tensors::<f32>(&b, Factor::All(alpha as f32), &a),
            _ => fma_tensors::<f64>(&b, Factor::All(alpha), &a),
        };
        Tensor::from_buffer_strided(out, &shape, strides.clone())
    })
}

/// `a * b + c` of three row-major tensors of one shape, read where they are.
fn fma_in_place<T: MulAdd + Sync + Send>(a: &Tensor, b: &Tensor, c: &Tensor) -> Tensor {
    let n = a.numel();
    let out = {
        let (ga, gb, gc) = (a.storage().read(), b.storage().read(), c.storage().read());
        let run = |t: &Tensor, g| &T::slice(g)[t.layout().storage_run(n)];
        // inlined into loops compiled with FMA where the CPU has it (`mul_add` is a
        // correctly rounded library call elsewhere: the same bits)
        crate::kernels::simd_map::map3((run(a, &ga), run(b, &gb), run(c, &gc)), T::fused)
    };
    Tensor::from_vec(out, a.shape()).expect("same element count")
}

/// `t` itself when it has `dtype`, else a copy cast to it.
pub(crate) fn in_dtype(t: &Tensor, dtype: DType) -> Tensor {
    if t.dtype() == dtype {
        t.clone()
    } else {
        cast_raw(t, dtype)
    }
}

/// Runs `f` in the dtype the fused kernel computes `dtype` in (float16/bfloat16 in
/// float32) and rounds the result back.
fn in_float_dtype(
    dtype: DType,
    what: &str,
    f: impl FnOnce(DType) -> Result<Tensor>,
) -> Result<Tensor> {
    match dtype {
        DType::F32 | DType::F64 => f(dtype),
        DType::F16 | DType::BF16 => Ok(cast_raw(&f(DType::F32)?, dtype)),
        other => Err(Error::not_implemented(format!(
            "\"{what}\" not implemented for '{}'",
            other.kernel_name()
        ))),
    }
}

/// `t` broadcast to `shape`, walked in the memory order of a result with `strides`.
fn spread(t: &Tensor, shape: &[usize], strides: &Option<Strides>) -> Result<Tensor> {
    Ok(t.view_with_layout(walked(&t.layout().broadcast_to(shape)?, strides)))
}

/// The second factor: one per element, or one for all.
enum Factor<'a, T> {
    Each(&'a [T]),
    All(T),
}

/// `x * y + z` over the elements in the order the (equally shaped) views walk them.
fn fma_tensors<T: MulAdd>(x: &Tensor, y: Factor<'_, T>, z: &Tensor) -> Buffer {
    let (xs, zs) = (x.to_vec::<T>(), z.to_vec::<T>());
    T::into_buffer(fma_slices(&xs, y, &zs))
}

/// `x[i] * y[i] + z[i]` (or `x[i] * y + z[i]`), each rounded once.
fn fma_slices<T: MulAdd>(x: &[T], y: Factor<'_, T>, z: &[T]) -> Vec<T> {
    #[cfg(target_arch = "x86_64")]
    if level() != Level::Portable {
        // SAFETY: `level()` reports AVX2+FMA or AVX-512, so the CPU has FMA.
        return unsafe { fma_slices_with_fma(x, y, z) };
    }
    fma_loop(x, y, z)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn fma_slices_with_fma<T: MulAdd>(x: &[T], y: Factor<'_, T>, z: &[T]) -> Vec<T> {
    fma_loop(x, y, z)
}

/// The loop itself, inlined where FMA instructions are enabled (elsewhere `mul_add`
/// is a correctly rounded library call).
#[inline(always)]
fn fma_loop<T: MulAdd>(x: &[T], y: Factor<'_, T>, z: &[T]) -> Vec<T> {
    match y {
        Factor::Each(ys) => x
            .iter()
            .zip(ys)
            .zip(z)
            .map(|((&x, &y), &z)| x.fused(y, z))
            .collect(),
        Factor::All(s) => x.iter().zip(z).map(|(&x, &z)| x.fused(s, z)).collect(),
    }
}

/// `d[i] = s[i] * alpha + d[i]`, each rounded once: `add_(other, alpha=...)` written
/// straight into `d`.
pub(crate) fn fma_update<T: MulAdd>(d: &mut [T], s: &[T], alpha: T) {
    #[cfg(target_arch = "x86_64")]
    if level() != Level::Portable {
        // SAFETY: `level()` reports AVX2+FMA or AVX-512, so the CPU has FMA.
        return unsafe { fma_update_with_fma(d, s, alpha) };
    }
    fma_update_loop(d, s, alpha)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fma_update_with_fma<T: MulAdd>(d: &mut [T], s: &[T], alpha: T) {
    fma_update_loop(d, s, alpha)
}

#[inline(always)]
fn fma_update_loop<T: MulAdd>(d: &mut [T], s: &[T], alpha: T) {
    for (x, &y) in d.iter_mut().zip(s) {
        *x = y.fused(alpha, *x);
    }
}

pub(crate) trait MulAdd: Element {
    fn fused(self, b: Self, c: Self) -> Self;
}

impl MulAdd for f32 {
    #[inline(always)]
    fn fused(self, b: f32, c: f32) -> f32 {
        self.mul_add(b, c)
    }
}

impl MulAdd for f64 {
    #[inline(always)]
    fn fused(self, b: f64, c: f64) -> f64 {
        self.mul_add(b, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_once_where_separate_operations_round_twice() {
        // (1 + 2^-12)^2 is 1 + 2^-11 + 2^-24: rounded before the add, the 2^-24 is lost;
        // fused, 2^-11 + 2^-24 is exact
        let x = 1.0f32 + 2f32.powi(-12);
        let a = Tensor::from_vec(vec![x], &[1]).unwrap();
        let c = Tensor::from_vec(vec![-1.0f32], &[1]).unwrap();
        let out = fused_multiply_add(&a, &a, &c).unwrap().to_vec::<f32>();
        assert_eq!(out, vec![x.mul_add(x, -1.0)]);
        assert_ne!(out[0], x * x - 1.0);
        let scaled = add_scaled_fused(&c, &a, x as f64).unwrap().to_vec::<f32>();
        assert_eq!(scaled, out);
    }

    #[test]
    fn the_in_place_update_matches_the_fused_result() {
        for n in 0..67usize {
            let s: Vec<f32> = (0..n).map(|i| 1.0 + i as f32 * 1.1e-3).collect();
            let d: Vec<f32> = (0..n).map(|i| -0.5 + i as f32 * 0.1).collect();
            let mut updated = d.clone();
            fma_update(&mut updated, &s, -0.3f32);
            assert_eq!(updated, fma_loop(&s, Factor::All(-0.3f32), &d));
        }
    }

    #[test]
    fn every_length_matches_the_portable_loop() {
        for n in 0..67usize {
            let x: Vec<f32> = (0..n).map(|i| 1.0 + i as f32 * 1.1e-3).collect();
            let y: Vec<f32> = (0..n).map(|i| 0.7 - i as f32 * 2.3e-3).collect();
            let z: Vec<f32> = (0..n).map(|i| -0.5 + i as f32 * 0.1).collect();
            let fast = fma_slices(&x, Factor::Each(&y), &z);
            let slow = fma_loop(&x, Factor::Each(&y), &z);
            assert_eq!(fast, slow);
            assert_eq!(
                fma_slices(&x, Factor::All(0.3), &z),
                fma_loop(&x, Factor::All(0.3), &z)
            );
        }
    }

    #[test]
    fn broadcasts_and_refuses_mixed_dtypes() {
        let a = Tensor::from_vec(vec![1.0f64, 2.0], &[2, 1]).unwrap();
        let b = Tensor::from_vec(vec![3.0f64, 4.0, 5.0], &[3]).unwrap();
        let c = Tensor::from_vec(vec![0.5f64], &[1]).unwrap();
        let out = fused_multiply_add(&a, &b, &c).unwrap();
        assert_eq!(out.shape(), &[2, 3]);
        assert_eq!(out.to_vec::<f64>(), vec![3.5, 4.5, 5.5, 6.5, 8.5, 10.5]);
        let f = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        assert!(fused_multiply_add(&a, &b, &f).is_err());
    }
}
