//! Tensors made from nothing: constants, ranges, identity, random numbers.

use crate::error::{Error, Result};
use crate::tensor::{layout::checked_numel, DType, Scalar, Tensor};

pub fn zeros_like(t: &Tensor) -> Result<Tensor> {
    Tensor::zeros(t.shape(), t.dtype())
}

pub fn zeros_like_dtype(t: &Tensor, dtype: DType) -> Result<Tensor> {
    Tensor::zeros(t.shape(), dtype)
}

pub fn ones_like(t: &Tensor) -> Result<Tensor> {
    Tensor::full_scalar(t.shape(), Scalar::Int(1), t.dtype())
}

pub fn ones_bool(shape: &[usize]) -> Result<Tensor> {
    Tensor::full_scalar(shape, Scalar::Bool(true), DType::Bool)
}

pub fn full(shape: &[usize], value: Scalar, dtype: DType) -> Result<Tensor> {
    super::inplace::check_fill_value(value, dtype, shape.iter().product())?;
    Tensor::full_scalar(shape, value, dtype)
}

/// Checks user-given sizes (PyTorch names the negative one).
pub fn sizes_from_i64(sizes: &[i64]) -> Result<Vec<usize>> {
    for &s in sizes {
        if s < 0 {
            return Err(Error::runtime(format!(
                "Trying to create tensor with negative dimension {s}: {sizes:?}"
            )));
        }
    }
    let shape: Vec<usize> = sizes.iter().map(|&s| s as usize).collect();
    checked_numel(&shape)?;
    Ok(shape)
}

/// Checks user-given sizes for a new contiguous tensor of `dtype`, with PyTorch's errors
/// in its order: a negative size, the byte count past int64, the strides past int64
/// (even with a zero size), then memory that cannot hold the bytes.
pub fn sizes_for_dtype(sizes: &[i64], dtype: DType) -> Result<Vec<usize>> {
    for &s in sizes {
        if s < 0 {
            return Err(Error::runtime(format!(
                "Trying to create tensor with negative dimension {s}: {sizes:?}"
            )));
        }
    }
    let shape: Vec<usize> = sizes.iter().map(|&s| s as usize).collect();
    let numel = shape.iter().try_fold(1u128, |n, &d| {
        n.checked_mul(d as u128).filter(|&n| n <= i64::MAX as u128)
    });
    let bytes = numel.map(|n| n * dtype.size_in_bytes() as u128);
    let Some(bytes) = bytes.filter(|&b| b <= i64::MAX as u128) else {
        return Err(Error::runtime(format!(
            "Storage size calculation overflowed with sizes={sizes:?}"
        )));
    };
    let mut stride: i64 = 1;
    for &d in shape.iter().skip(1).rev() {
        stride = stride
            .checked_mul(d.max(1) as i64)
            .ok_or_else(|| Error::runtime("Stride calculation overflowed"))?;
    }
    if bytes > crate::tensor::memory_limit::limit_bytes() {
        return Err(crate::tensor::memory_limit::out_of_memory(bytes));
    }
    Ok(shape)
}

/// `arange(start, end, step)` with PyTorch's length rule `ceil((end - start) / step)`,
/// taken in float64 except for int64 results, whose length is exact integer arithmetic.
pub fn arange(start: Scalar, end: Scalar, step: Scalar, dtype: DType) -> Result<Tensor> {
    if dtype == DType::I64 {
        return arange_i64(start, end, step);
    }
    let (s, e, st) = (start.to_f64(), end.to_f64(), step.to_f64());
    // a NaN step fails PyTorch's `step > 0 || step < 0` check too
    if st == 0.0 || st.is_nan() {
        return Err(Error::runtime("step must be nonzero"));
    }
    if !s.is_finite() || !e.is_finite() {
        return Err(Error::runtime(format!(
            "unsupported range: {} -> {}",
            bound_text(s),
            bound_text(e)
        )));
    }
    check_step_sign(st > 0.0, e >= s, e <= s)?;
    let n = ((e - s) / st).ceil();
    if !(0.0..=i64::MAX as f64).contains(&n) {
        return Err(Error::runtime("invalid size, possible overflow?"));
    }
    let n = n as usize;
    sizes_for_dtype(&[n as i64], dtype)?;
    Ok(match dtype {
        DType::F32 => Tensor::from_vec(arange_f32(s, st, n), &[n])?,
        DType::F64 => Tensor::from_vec(arange_f64(s, st, n), &[n])?,
        DType::Bool => {
            let values = (0..n).map(|i| s + i as f64 * st != 0.0);
            Tensor::from_vec(values.collect(), &[n])?
        }
        d if d.is_complex() || d.is_shell() => {
            return Err(Error::not_implemented(format!(
                "\"arange_cpu\" not implemented for '{}'",
                dtype.kernel_name()
            )))
        }
        half if half.is_floating() => {
            super::cast::cast_raw(&Tensor::from_vec(arange_f32(s, st, n), &[n])?, half)
        }
        // other integer dtypes: the length from float64, the values from the start and
        // step truncated to int64, wrapped into the dtype
        narrow => {
            let (si, sti) = (int64_bound(start)?, int64_bound(step)?);
            let v: Vec<i64> = (0..n as i64)
                .map(|i| si.wrapping_add(sti.wrapping_mul(i)))
                .collect();
            super::cast::cast_raw(&Tensor::from_vec(v, &[n])?, narrow)
        }
    })
}

/// A bound as C++ streams a double (`0`, `nan`, `inf`, `2.5`), for the range error.
fn bound_text(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        (if x > 0.0 { "inf" } else { "-inf" }).into()
    } else {
        format!("{x}")
    }
}

/// An empty range (end == start) fits either step sign.
fn check_step_sign(
    step_positive: bool,
    end_at_least_start: bool,
    end_at_most_start: bool,
) -> Result<()> {
    if (step_positive && end_at_least_start) || (!step_positive && end_at_most_start) {
        return Ok(());
    }
    Err(Error::runtime(
        "upper bound and lower bound inconsistent with step sign",
    ))
}

/// A bound or step as int64, as PyTorch's `Scalar::to<int64_t>` (floats truncate).
fn int64_bound(x: Scalar) -> Result<i64> {
    match x {
        Scalar::Bool(b) => Ok(b as i64),
        Scalar::Int(i) => Ok(i),
        Scalar::Float(f) if f.is_finite() && f > -9.3e18 && f < 9.3e18 => {
            let t = f.trunc();
            if t >= -(2f64.powi(63)) && t < 2f64.powi(63) {
                Ok(t as i64)
            } else {
                Err(int64_overflow())
            }
        }
        Scalar::Float(_) => Err(int64_overflow()),
    }
}

fn int64_overflow() -> Error {
    Error::runtime("value cannot be converted to type int64_t without overflow")
}

/// int64 `arange`: PyTorch takes the length as `(end - start + step - sign(step)) / step`
/// in wrapping int64 arithmetic, so it is exact for any bounds (and wraps where they are
/// far apart, e.g. `arange(-2**63, 2**63 - 1, 2**62)` is empty).
fn arange_i64(start: Scalar, end: Scalar, step: Scalar) -> Result<Tensor> {
    let (s, e, st) = (int64_bound(start)?, int64_bound(end)?, int64_bound(step)?);
    if st == 0 {
        return Err(Error::runtime("step must be nonzero"));
    }
    check_step_sign(st > 0, e >= s, e <= s)?;
    let n = e
        .wrapping_sub(s)
        .wrapping_add(st)
        .wrapping_sub(st.signum())
        .wrapping_div(st);
    if n < 0 {
        return Err(Error::runtime("invalid size, possible overflow?"));
    }
    let n = n as usize;
    sizes_for_dtype(&[n as i64], DType::I64)?;
    let v: Vec<i64> = (0..n as i64)
        .map(|i| s.wrapping_add(st.wrapping_mul(i)))
        .collect();
    Tensor::from_vec(v, &[n])
}

// PyTorch's CPU kernel writes arange in pairs of SIMD vectors: a vector starts at
// `start + step * idx` (a fused multiply-add in double, rounded to the dtype) and lane k
// holds `base + k * step` (fused, in double); the elements after the last pair are
// `start + step * i`. Values differ in the last bit from `start + i * step` otherwise.
const F32_LANES: usize = 8;
const F64_LANES: usize = 4;

fn arange_f32(start: f64, step: f64, n: usize) -> Vec<f32> {
    let paired = n / (2 * F32_LANES) * 2 * F32_LANES;
    let mut v = Vec::with_capacity(n);
    for idx in (0..paired).step_by(F32_LANES) {
        let base = step.mul_add(idx as f64, start) as f32 as f64;
        v.extend((0..F32_LANES).map(|k| (k as f64).mul_add(step, base) as f32));
    }
    v.extend((paired..n).map(|i| step.mul_add(i as f64, start) as f32));
    v
}

fn arange_f64(start: f64, step: f64, n: usize) -> Vec<f64> {
    let paired = n / (2 * F64_LANES) * 2 * F64_LANES;
    let mut v = Vec::with_capacity(n);
    for idx in (0..paired).step_by(F64_LANES) {
        let base = step.mul_add(idx as f64, start);
        v.extend((0..F64_LANES).map(|k| (k as f64).mul_add(step, base)));
    }
    v.extend((paired..n).map(|i| step.mul_add(i as f64, start)));
    v
}

pub fn eye(n: usize, m: usize, dtype: DType) -> Result<Tensor> {
    if dtype.is_shell_unsigned() {
        return Err(crate::tensor::dtype::shell_kernel_missing("eye", dtype));
    }
    let t = Tensor::zeros(&[n, m], dtype)?;
    {
        let mut g = t.storage().write();
        crate::with_buffer!(&mut *g, v, T => {
            for i in 0..n.min(m) {
                v[i * m + i] = <T as crate::tensor::Element>::from_i64(1);
            }
        });
    }
    Ok(t)
}
