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

/// `arange(start, end, step)` with PyTorch's length rule `ceil((end - start) / step)`.
pub fn arange(start: Scalar, end: Scalar, step: Scalar, dtype: DType) -> Result<Tensor> {
    let (s, e, st) = (start.to_f64(), end.to_f64(), step.to_f64());
    if st == 0.0 {
        return Err(Error::runtime("step must be nonzero"));
    }
    if !s.is_finite() || !e.is_finite() {
        return Err(Error::runtime(format!("unsupported range: {s} -> {e}")));
    }
    if (st > 0.0 && e < s) || (st < 0.0 && e > s) {
        return Err(Error::runtime(
            "upper bound and larger bound inconsistent with step sign",
        ));
    }
    let n = ((e - s) / st).ceil().max(0.0);
    if n > (1u64 << 48) as f64 {
        return Err(Error::runtime(format!(
            "invalid size, possible overflow? {n}"
        )));
    }
    let n = n as usize;
    crate::tensor::memory_limit::check(n, 8)?;
    let values: Vec<f64> = (0..n).map(|i| s + i as f64 * st).collect();
    Ok(match dtype {
        DType::I64 => {
            let (si, sti) = (start.to_element::<i64>(), step.to_element::<i64>());
            let v: Vec<i64> = if matches!((start, step), (Scalar::Int(_), Scalar::Int(_))) {
                (0..n as i64).map(|i| si + i * sti).collect()
            } else {
                values.iter().map(|&x| x as i64).collect()
            };
            Tensor::from_vec(v, &[n])?
        }
        DType::F32 => Tensor::from_vec(arange_f32(s, st, n), &[n])?,
        DType::F64 => Tensor::from_vec(arange_f64(s, st, n), &[n])?,
        DType::Bool => Tensor::from_vec(values.iter().map(|&x| x != 0.0).collect(), &[n])?,
        DType::C64 | DType::C128 | DType::U16 | DType::U32 | DType::U64 => {
            return Err(Error::not_implemented(format!(
                "\"arange_cpu\" not implemented for '{}'",
                dtype.kernel_name()
            )))
        }
        narrow => super::cast::cast_raw(&arange(start, end, step, narrow.compute())?, narrow),
    })
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
