//! `rand`/`randn` for float16 and bfloat16, drawing what PyTorch's CPU generator draws:
//! uniforms carry as many random bits as the type's mantissa (11 or 8), and the
//! Box–Muller path for 16 or more values rounds each intermediate to the type, as
//! c10's `Half`/`BFloat16` arithmetic does.

use crate::error::Result;
use crate::kernels::mt19937::Mt19937;
use crate::tensor::{bf16, f16, DType, Tensor};

/// Rounds a float32 to the 16-bit float `dtype` and back.
fn round_to(dtype: DType) -> fn(f32) -> f32 {
    if dtype == DType::F16 {
        |x| f16::from_f32(x).to_f32()
    } else {
        |x| bf16::from_f32(x).to_f32()
    }
}

fn uniform(gen: &mut Mt19937, dtype: DType) -> f32 {
    let digits = if dtype == DType::F16 { 11 } else { 8 };
    (gen.next_u32() & ((1u32 << digits) - 1)) as f32 / (1u32 << digits) as f32
}

fn finish(values: Vec<f32>, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let t = Tensor::from_vec(values, shape)?;
    Ok(super::cast::cast_raw(&t, dtype))
}

pub(crate) fn rand(gen: &mut Mt19937, shape: &[usize], n: usize, dtype: DType) -> Result<Tensor> {
    finish((0..n).map(|_| uniform(gen, dtype)).collect(), shape, dtype)
}

pub(crate) fn randn(gen: &mut Mt19937, shape: &[usize], n: usize, dtype: DType) -> Result<Tensor> {
    if n < 16 {
        let values: Vec<f32> = (0..n).map(|_| gen.normal_f64() as f32).collect();
        return finish(values, shape, dtype);
    }
    let r = round_to(dtype);
    let mut data: Vec<f32> = (0..n).map(|_| uniform(gen, dtype)).collect();
    let mut i = 0;
    while i + 16 <= n {
        fill_16(&mut data[i..i + 16], r);
        i += 16;
    }
    if n % 16 != 0 {
        let tail = &mut data[n - 16..];
        for v in tail.iter_mut() {
            *v = uniform(gen, dtype);
        }
        fill_16(tail, r);
    }
    finish(data, shape, dtype)
}

fn fill_16(data: &mut [f32], r: fn(f32) -> f32) {
    for j in 0..8 {
        let u1 = r(1.0 - data[j]);
        let u2 = data[j + 8];
        let radius = r((-2.0 * u1.ln()).sqrt());
        let theta = r((2.0 * std::f64::consts::PI * u2 as f64) as f32);
        data[j] = r(radius * theta.cos());
        data[j + 8] = r(radius * theta.sin());
    }
}
