//! Random tensors drawn the way PyTorch's CPU generator draws them.

use crate::error::{Error, Result};
use crate::kernels::mt19937::Mt19937;
use crate::tensor::{layout::checked_numel, DType, Tensor};
use parking_lot::Mutex;

static DEFAULT_GENERATOR: Mutex<Option<Mt19937>> = Mutex::new(None);

/// PyTorch's default seed when none was set.
const DEFAULT_SEED: u64 = 67280421310721;

pub fn with_default_generator<R>(f: impl FnOnce(&mut Mt19937) -> R) -> R {
    let mut g = DEFAULT_GENERATOR.lock();
    f(g.get_or_insert_with(|| Mt19937::new(DEFAULT_SEED)))
}

pub fn manual_seed(seed: u64) {
    *DEFAULT_GENERATOR.lock() = Some(Mt19937::new(seed));
}

pub fn initial_seed() -> u64 {
    with_default_generator(|g| g.seed())
}

pub fn get_state() -> Vec<u8> {
    with_default_generator(|g| g.to_bytes())
}

pub fn set_state(bytes: &[u8]) -> Result<()> {
    let g = Mt19937::from_bytes(bytes).ok_or_else(|| Error::runtime("Invalid mt19937 state"))?;
    *DEFAULT_GENERATOR.lock() = Some(g);
    Ok(())
}

pub fn rand(gen: &mut Mt19937, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let n = checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, 8)?;
    match dtype {
        DType::F32 => Tensor::from_vec((0..n).map(|_| gen.uniform_f32()).collect(), shape),
        DType::F64 => Tensor::from_vec((0..n).map(|_| gen.uniform_f64()).collect(), shape),
        // PyTorch draws float32 values and rounds them
        DType::F16 | DType::BF16 => {
            Ok(super::cast::cast_raw(&rand(gen, shape, DType::F32)?, dtype))
        }
        other => Err(Error::not_implemented(format!(
            "\"check_uniform_bounds\" not implemented for '{}'",
            other.kernel_name()
        ))),
    }
}

/// PyTorch draws 16 or more normals in blocks of 16 (Box–Muller on halves), fewer one
/// by one; both paths are reproduced here.
pub fn randn(gen: &mut Mt19937, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let n = checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, 8)?;
    if !dtype.is_floating() || dtype.is_float8() {
        return Err(Error::not_implemented(format!(
            "\"normal_kernel_cpu\" not implemented for '{}'",
            dtype.kernel_name()
        )));
    }
    if dtype.is_narrow() {
        return randn_reduced(gen, shape, n, dtype);
    }
    if n >= 16 && dtype == DType::F32 {
        return randn_f32_blocks(gen, shape, n);
    }
    let values: Vec<f64> = if n >= 16 {
        let uniform = |g: &mut Mt19937| {
            if dtype == DType::F32 {
                g.uniform_f32() as f64
            } else {
                g.uniform_f64()
            }
        };
        let mut data: Vec<f64> = (0..n).map(|_| uniform(gen)).collect();
        let mut i = 0;
        while i + 16 <= n {
            normal_fill_16(&mut data[i..i + 16]);
            i += 16;
        }
        if n % 16 != 0 {
            let tail = &mut data[n - 16..];
            for v in tail.iter_mut() {
                *v = uniform(gen);
            }
            normal_fill_16(tail);
        }
        data
    } else {
        (0..n).map(|_| gen.normal_f64()).collect()
    };
    let t = Tensor::from_vec(values, shape)?;
    Ok(super::cast::cast_raw(&t, dtype))
}

/// PyTorch's float32 path from 16 elements: blocks of 16 in single precision, the last
/// (partial) block redrawn as a whole.
fn randn_f32_blocks(gen: &mut Mt19937, shape: &[usize], n: usize) -> Result<Tensor> {
    use crate::kernels::avx_normal::{normal_fill_16_f32, normal_fill_blocks_f32};
    let mut data: Vec<f32> = (0..n).map(|_| gen.uniform_f32()).collect();
    normal_fill_blocks_f32(&mut data);
    if !n.is_multiple_of(16) {
        let tail = &mut data[n - 16..];
        for v in tail.iter_mut() {
            *v = gen.uniform_f32();
        }
        normal_fill_16_f32(tail);
    }
    Tensor::from_vec(data, shape)
}

/// float16/bfloat16 normals: float32 ones rounded. PyTorch draws their uniforms block by
/// block, so a partial last block takes the 16 uniforms after the whole blocks (the
/// float32 path draws all of them first): that is float32's draw of the next multiple of
/// 16, with its last block moved to the end.
fn randn_reduced(gen: &mut Mt19937, shape: &[usize], n: usize, dtype: DType) -> Result<Tensor> {
    let values: Vec<f32> = if n < 16 || n.is_multiple_of(16) {
        randn(gen, &[n], DType::F32)?.to_vec::<f32>()
    } else {
        let whole = n / 16 * 16;
        let all = randn(gen, &[whole + 16], DType::F32)?.to_vec::<f32>();
        let mut v = all[..n - 16].to_vec();
        v.extend_from_slice(&all[whole..]);
        v
    };
    let t = Tensor::from_vec(values, shape)?;
    Ok(super::cast::cast_raw(&t, dtype))
}

fn normal_fill_16(data: &mut [f64]) {
    for j in 0..8 {
        let u1 = 1.0 - data[j];
        let u2 = data[j + 8];
        let radius = (-2.0 * u1.ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u2;
        data[j] = radius * theta.cos();
        data[j + 8] = radius * theta.sin();
    }
}

/// Integers uniform in `[low, high)`.
pub fn randint(
    gen: &mut Mt19937,
    low: i64,
    high: i64,
    shape: &[usize],
    dtype: DType,
) -> Result<Tensor> {
    if high <= low {
        return Err(Error::runtime(format!(
            "random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )));
    }
    let n = checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, 8)?;
    let range = (high as i128 - low as i128) as u128;
    let values: Vec<i64> = (0..n)
        .map(|_| {
            let r = if range >= 1u128 << 32 {
                (gen.next_u64() as u128 % range) as i64
            } else {
                (gen.next_u32() as u128 % range) as i64
            };
            low.wrapping_add(r)
        })
        .collect();
    let t = Tensor::from_vec(values, shape)?;
    Ok(super::cast::cast_raw(&t, dtype))
}
