//! More distributions drawn as PyTorch's CPU kernels draw them: exponential, Bernoulli
//! (scalar and tensor probabilities), randperm and multinomial.

use super::cast::cast_raw;
use crate::error::{Error, Result};
use crate::kernels::mt19937::Mt19937;
use crate::tensor::{layout::checked_numel, DType, Tensor};

/// `-1/λ · ln1p(-u)` with u uniform in double precision, whatever the dtype.
pub fn exponential(
    gen: &mut Mt19937,
    shape: &[usize],
    lambda: f64,
    dtype: DType,
) -> Result<Tensor> {
    if !dtype.is_floating() {
        return Err(Error::runtime(format!(
            "Exponential distribution is a continuous probability distribution. dtype must be a floating point but you specified {}",
            dtype.kernel_name()
        )));
    }
    let n = checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, 8)?;
    let values: Vec<f64> = (0..n)
        .map(|_| (-1.0 / lambda) * (-gen.uniform_f64()).ln_1p())
        .collect();
    Ok(cast_raw(&Tensor::from_vec(values, shape)?, dtype))
}

/// 1 where a double-precision uniform draw is below `p`, else 0.
pub fn bernoulli_scalar(
    gen: &mut Mt19937,
    shape: &[usize],
    p: f64,
    dtype: DType,
) -> Result<Tensor> {
    if dtype.is_shell() {
        return Err(crate::tensor::dtype::shell_kernel_missing(
            "bernoulli_scalar_cpu_",
            dtype,
        ));
    }
    let n = checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, 8)?;
    let values: Vec<f64> = (0..n)
        .map(|_| if gen.uniform_f64() < p { 1.0 } else { 0.0 })
        .collect();
    Ok(cast_raw(&Tensor::from_vec(values, shape)?, dtype))
}

/// One draw per element of `p`: double uniforms against float64 probabilities, float
/// uniforms against the others (PyTorch's `bernoulli_distribution<float>`).
pub fn bernoulli_tensor(gen: &mut Mt19937, p: &Tensor, dtype: DType) -> Result<Tensor> {
    let values: Vec<f64> = if p.dtype() == DType::F64 {
        p.to_vec::<f64>()
            .into_iter()
            .map(|q| if gen.uniform_f64() < q { 1.0 } else { 0.0 })
            .collect()
    } else {
        p.to_vec::<f32>()
            .into_iter()
            .map(|q| if gen.uniform_f32() < q { 1.0 } else { 0.0 })
            .collect()
    };
    Ok(cast_raw(&Tensor::from_vec(values, p.shape())?, dtype))
}

/// Fisher–Yates from the front with `random() % (n - i)`, as PyTorch's CPU randperm.
pub fn randperm(gen: &mut Mt19937, n: usize, dtype: DType) -> Result<Tensor> {
    if dtype.is_shell_unsigned() {
        return Err(crate::tensor::dtype::shell_kernel_missing(
            "randperm", dtype,
        ));
    }
    crate::tensor::memory_limit::check(n, 8)?;
    let mut perm: Vec<i64> = (0..n as i64).collect();
    for i in 0..n.saturating_sub(1) {
        let z = (gen.next_u32() as u64 % (n - i) as u64) as usize;
        perm.swap(i, i + z);
    }
    Ok(cast_raw(&Tensor::from_vec(perm, &[n])?, dtype))
}

/// Samples `n_sample` category indices per row of `probs` (1-D or 2-D, validated by the
/// caller). Without replacement (or a single sample): the largest `p / Exp(1)` (the
/// exponential draws in the probabilities' dtype); with replacement: a binary search of
/// a double uniform in the normalised cumulative sums (kept in the probabilities' dtype).
pub fn multinomial(
    gen: &mut Mt19937,
    probs: &Tensor,
    n_sample: usize,
    replacement: bool,
) -> Result<Tensor> {
    let (rows, cats) = match probs.shape() {
        [c] => (1, *c),
        [r, c] => (*r, *c),
        _ => return Err(Error::runtime("prob_dist must be 1 or 2 dim")),
    };
    let single = probs.dtype() == DType::F32;
    let p = probs.to_vec::<f64>();
    let round = |x: f64| if single { x as f32 as f64 } else { x };
    let n_out = crate::tensor::layout::checked_numel(&[rows, n_sample])?;
    crate::tensor::memory_limit::check(n_out, 8)?;
    let mut out: Vec<i64> = Vec::with_capacity(n_out);
    if !replacement || n_sample == 1 {
        let q: Vec<f64> = (0..rows * cats)
            .map(|_| round(-(-gen.uniform_f64()).ln_1p()))
            .collect();
        for r in 0..rows {
            let mut keyed: Vec<(f64, usize)> = (0..cats)
                .map(|j| (round(p[r * cats + j] / q[r * cats + j]), j))
                .collect();
            // Largest first; equal keys keep the lower index first.
            keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            out.extend(keyed.iter().take(n_sample).map(|&(_, j)| j as i64));
        }
    } else {
        for r in 0..rows {
            let mut cum = vec![0.0f64; cats];
            let mut sum = 0.0f64;
            for j in 0..cats {
                sum = round(sum + p[r * cats + j]);
                cum[j] = sum;
            }
            if sum > 0.0 {
                for c in cum.iter_mut() {
                    *c = round(*c / sum);
                }
            }
            if let Some(last) = cum.last_mut() {
                *last = 1.0;
            }
            for _ in 0..n_sample {
                let u = gen.uniform_f64();
                let (mut left, mut right) = (0usize, cats);
                while right > left {
                    let mid = left + (right - left) / 2;
                    if cum[mid] < u {
                        left = mid + 1;
                    } else {
                        right = mid;
                    }
                }
                out.push(left as i64);
            }
        }
    }
    let shape: Vec<usize> = if probs.ndim() == 1 {
        vec![n_sample]
    } else {
        vec![rows, n_sample]
    };
    Tensor::from_vec(out, &shape)
}
