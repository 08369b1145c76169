//! `linspace` and `logspace` with PyTorch's CPU arithmetic, bit for bit: the step is
//! computed in the output dtype (in double for integer dtypes), the first half of the
//! points count up from `start` and the rest down from `end`, each as one fused
//! multiply-add (two roundings in logspace); half-precision dtypes round after every operation as c10's do.

use crate::error::{Error, Result};
use crate::tensor::{bf16, f16, DType, Element, Scalar, Tensor};

fn check_steps(steps: i64, dtype: DType, name: &str) -> Result<usize> {
    if steps < 0 {
        return Err(Error::runtime("number of steps must be non-negative"));
    }
    if dtype == DType::Bool {
        return Err(Error::not_implemented(format!(
            "\"{name}_cpu\" not implemented for 'Bool'"
        )));
    }
    // the points are computed in f64 before the cast
    crate::tensor::memory_limit::check(steps as usize, 8)?;
    Ok(steps as usize)
}

/// The `n` points from `start` to `end` as f64 values of the output dtype's arithmetic
/// (exactly representable in it), checked for overflow as PyTorch converts them.
fn points(start: Scalar, end: Scalar, n: usize, dtype: DType, fused: bool) -> Result<Vec<f64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    start.check_fits(dtype)?;
    if n == 1 {
        return Ok(vec![start.to_f64()]);
    }
    end.check_fits(dtype)?;
    let half = n / 2;
    let last = (n - 1) as f64;
    Ok(match dtype {
        DType::F32 => {
            let (s, e) = (start.to_f64() as f32, end.to_f64() as f32);
            let step = (e - s) / last as f32;
            (0..n)
                .map(|i| {
                    if i < half {
                        mul_add(step, i as f32, s, fused) as f64
                    } else {
                        mul_add(-step, (n - 1 - i) as f32, e, fused) as f64
                    }
                })
                .collect()
        }
        DType::F64 => {
            let (s, e) = (start.to_f64(), end.to_f64());
            let step = (e - s) / last;
            (0..n)
                .map(|i| {
                    if i < half {
                        mul_add(step, i as f64, s, fused)
                    } else {
                        mul_add(-step, (n - 1 - i) as f64, e, fused)
                    }
                })
                .collect()
        }
        DType::F16 => half_points::<f16>(start, end, n),
        DType::BF16 => half_points::<bf16>(start, end, n),
        _ => {
            // Integers: the ends converted to the dtype, the step and points in double.
            let (s, e) = (
                start.to_element::<i64>() as f64,
                end.to_element::<i64>() as f64,
            );
            let (s, e) = crate::with_dtype!(dtype, T => (
                T::from_f64_cast(s).to_f64(),
                T::from_f64_cast(e).to_f64()
            ));
            let step = (e - s) / last;
            (0..n)
                .map(|i| {
                    if i < half {
                        mul_add(step, i as f64, s, fused)
                    } else {
                        mul_add(-step, (n - 1 - i) as f64, e, fused)
                    }
                })
                .collect()
        }
    })
}

/// `a * b + c`, rounded once when `fused` (as PyTorch's linspace kernel compiles) or
/// twice (as its logspace kernel does).
fn mul_add<F: num_like::MulAdd>(a: F, b: F, c: F, fused: bool) -> F {
    if fused {
        a.fused(b, c)
    } else {
        a.plain(b, c)
    }
}

mod num_like {
    pub trait MulAdd: Copy {
        fn fused(self, b: Self, c: Self) -> Self;
        fn plain(self, b: Self, c: Self) -> Self;
    }
    impl MulAdd for f32 {
        fn fused(self, b: f32, c: f32) -> f32 {
            self.mul_add(b, c)
        }
        fn plain(self, b: f32, c: f32) -> f32 {
            self * b + c
        }
    }
    impl MulAdd for f64 {
        fn fused(self, b: f64, c: f64) -> f64 {
            self.mul_add(b, c)
        }
        fn plain(self, b: f64, c: f64) -> f64 {
            self * b + c
        }
    }
}

/// `points` of float32 and float64 (fused), written straight into the result's type
/// by a loop compiled with FMA instructions where the CPU has them (`mul_add` is
/// otherwise a call to the C library's software fma; the values are the same).
mod fused_points {
    macro_rules! fused_fill {
        ($name:ident, $fma_name:ident, $fill:ident, $t:ty) => {
            pub fn $name(s: $t, e: $t, n: usize) -> Vec<$t> {
                let mut out: Vec<$t> = crate::tensor::memory_limit::vec_with_capacity(n);
                out.resize(n, 0.0);
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU has FMA (checked above).
                    unsafe { $fma_name(&mut out, s, e) };
                    return out;
                }
                $fill(&mut out, s, e);
                out
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "fma")]
            unsafe fn $fma_name(out: &mut [$t], s: $t, e: $t) {
                $fill(out, s, e);
            }

            /// PyTorch's loop: the first half counts up from `s`, the rest down from `e`.
            #[inline(always)]
            fn $fill(out: &mut [$t], s: $t, e: $t) {
                let n = out.len();
                let step = (e - s) / (n - 1) as $t;
                let (head, tail) = out.split_at_mut(n / 2);
                for (i, v) in head.iter_mut().enumerate() {
                    *v = step.mul_add(i as $t, s);
                }
                let back = tail.len();
                for (k, v) in tail.iter_mut().enumerate() {
                    *v = (-step).mul_add((back - 1 - k) as $t, e);
                }
            }
        };
    }
    fused_fill!(float32, float32_fma, fill_float32, f32);
    fused_fill!(float64, float64_fma, fill_float64, f64);
}

/// A 16-bit float type computing through float32 with a rounding after each step.
trait HalfFloat: Element {
    fn round(x: f32) -> f32;
}
impl HalfFloat for f16 {
    fn round(x: f32) -> f32 {
        f16::from_f32(x).to_f32()
    }
}
impl HalfFloat for bf16 {
    fn round(x: f32) -> f32 {
        bf16::from_f32(x).to_f32()
    }
}

fn half_points<H: HalfFloat>(start: Scalar, end: Scalar, n: usize) -> Vec<f64> {
    let r = H::round;
    let (s, e) = (r(start.to_f64() as f32), r(end.to_f64() as f32));
    let step = r(r(e - s) / r((n - 1) as f32));
    let half = n / 2;
    (0..n)
        .map(|i| {
            if i < half {
                r(s + r(step * r(i as f32))) as f64
            } else {
                r(e - r(step * r((n - 1 - i) as f32))) as f64
            }
        })
        .collect()
}

/// float16/bfloat16 `logspace` (n > 1) as PyTorch's kernel computes it: the ends, their
/// difference and the index counter in the half type, the step and exponents in double,
/// each power rounded through float32.
fn half_log_points<H: HalfFloat>(start: Scalar, end: Scalar, n: usize, base: f64) -> Vec<f64> {
    let r = H::round;
    let (s, e) = (r(start.to_f64() as f32), r(end.to_f64() as f32));
    let step = r(e - s) as f64 / (n - 1) as f64;
    let (half, count) = (n / 2, r(n as f32));
    let mut at = 0.0f32; // PyTorch's counter, incremented in the half type
    (0..n)
        .map(|i| {
            let x = if i < half {
                s as f64 + step * at as f64
            } else {
                e as f64 - step * r(r(count - at) - 1.0) as f64
            };
            at = r(at + 1.0);
            r(base.powf(x) as f32) as f64
        })
        .collect()
}

fn tensor_of(values: Vec<f64>, dtype: DType) -> Result<Tensor> {
    let n = values.len();
    crate::with_dtype!(dtype, T => Tensor::from_vec(
        values.into_iter().map(T::from_f64_cast).collect::<Vec<T>>(),
        &[n],
    ))
}

/// `linspace(start, end, steps)`.
pub fn linspace(start: Scalar, end: Scalar, steps: i64, dtype: DType) -> Result<Tensor> {
    if dtype.is_shell() {
        return Err(crate::tensor::dtype::shell_kernel_missing(
            "linspace_cpu",
            dtype,
        ));
    }
    let n = check_steps(steps, dtype, "linspace")?;
    if n >= 2 && matches!(dtype, DType::F32 | DType::F64) {
        start.check_fits(dtype)?;
        end.check_fits(dtype)?;
        let (s, e) = (start.to_f64(), end.to_f64());
        return if dtype == DType::F32 {
            Tensor::from_vec(fused_points::float32(s as f32, e as f32, n), &[n])
        } else {
            Tensor::from_vec(fused_points::float64(s, e, n), &[n])
        };
    }
    tensor_of(points(start, end, n, dtype, true)?, dtype)
}

/// `logspace(start, end, steps, base)`: `base` raised to the `linspace` points (each
/// rounded twice here, as PyTorch's kernel computes them), in double, rounded to the
/// dtype. Bitwise PyTorch's for float64 and integers; float32 can differ in the last
/// bit (PyTorch's float kernel rounds differently, in part through SLEEF's vector `pow`).
pub fn logspace(start: Scalar, end: Scalar, steps: i64, base: f64, dtype: DType) -> Result<Tensor> {
    let n = check_steps(steps, dtype, "logspace")?;
    if n > 1 {
        match dtype {
            DType::F16 => return tensor_of(half_log_points::<f16>(start, end, n, base), dtype),
            DType::BF16 => return tensor_of(half_log_points::<bf16>(start, end, n, base), dtype),
            _ => {}
        }
    }
    let exps = points(start, end, n, dtype, false)?;
    tensor_of(exps.into_iter().map(|x| base.powf(x)).collect(), dtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float32_points_are_fused_from_both_ends() {
        // torch.linspace(93.55999898403428, -28.390125061002337, 17)[10, 11, 13]
        let t = linspace(
            Scalar::Float(93.55999898403428),
            Scalar::Float(-28.390125061002337),
            17,
            DType::F32,
        )
        .unwrap();
        let v = t.to_vec::<f32>();
        assert_eq!(v[10], 17.34117);
        assert_eq!(v[11], 9.719287);
        assert_eq!(v[13], -5.524478);
        assert_eq!(v[16], -28.390125);
    }

    #[test]
    fn one_step_checks_only_the_start() {
        let t = linspace(Scalar::Float(2.7), Scalar::Int(300), 1, DType::I8).unwrap();
        assert_eq!(t.to_vec::<i64>(), vec![2]);
        assert!(linspace(Scalar::Int(0), Scalar::Int(300), 5, DType::I8).is_err());
        assert!(linspace(Scalar::Int(0), Scalar::Int(1), 3, DType::Bool).is_err());
    }
}
