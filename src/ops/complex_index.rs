//! Index kernels on complex tensors: the real kernel run on the real view, where the
//! complex element at row-major position `p` is the pair of reals at `2p` and `2p + 1`.
//! Autograd stays with the callers, whose backward formulas use the same ops.

use super::cast::cast_raw;
use super::complex::{complex_view_raw, real_view_raw};
use super::scatter::ScatterReduce;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// Each complex position `p` as the real positions `2p, 2p + 1`.
pub(crate) fn pair_positions(pos: &[usize]) -> Vec<usize> {
    pos.iter().flat_map(|&p| [2 * p, 2 * p + 1]).collect()
}

/// `shape` with the trailing (re, im) dim.
pub(crate) fn pair_shape(shape: &[usize]) -> Vec<usize> {
    let mut s = shape.to_vec();
    s.push(2);
    s
}

/// A complex tensor from a contiguous real result whose last dim holds (re, im).
pub(crate) fn from_pairs_result(pairs: &Tensor) -> Result<Tensor> {
    Ok(complex_view_raw(&super::contiguous(pairs)?))
}

/// `where(mask, a, b)` for complex `a`, `b` already broadcast to the mask's shape.
pub(crate) fn select_pairs(
    mask: &[bool],
    a: &Tensor,
    b: &Tensor,
    shape: &[usize],
) -> Result<Tensor> {
    let (ra, rb) = (real_view_raw(a), real_view_raw(b));
    let out = crate::with_dtype!(ra.dtype(), T => {
        let va = ra.to_vec::<T>();
        let vb = rb.to_vec::<T>();
        let v: Vec<T> = mask
            .iter()
            .zip(va.chunks_exact(2).zip(vb.chunks_exact(2)))
            .flat_map(|(&m, (x, y))| if m { [x[0], x[1]] } else { [y[0], y[1]] })
            .collect();
        Tensor::from_vec(v, &pair_shape(shape))?
    });
    from_pairs_result(&out)
}

/// The scatter kernel on complex `target` (see `scatter::scatter_raw`): sum, mean and
/// replace act on each part alone; prod multiplies complex numbers. `values` is of
/// `target`'s dtype, one per position or a single one for all.
pub(crate) fn scatter_pairs(
    target: &Tensor,
    pos: &[usize],
    values: &Tensor,
    reduce: ScatterReduce,
    include_self: bool,
) -> Result<Tensor> {
    let name = match reduce {
        ScatterReduce::Amax => "amax",
        ScatterReduce::Amin => "amin",
        _ => "",
    };
    if !name.is_empty() {
        return Err(Error::not_implemented(format!(
            "\"scatter_gather_tensor_cpu_reduce_{name}\" not implemented for '{}'",
            target.dtype().kernel_name()
        )));
    }
    let broadcast = values.numel() == 1 && pos.len() != 1;
    let mut acc = real_view_raw(target).to_vec::<f64>();
    let vals = real_view_raw(values).to_vec::<f64>();
    let mut seen = vec![0usize; target.numel()];
    for (k, &p) in pos.iter().enumerate() {
        let k = if broadcast { 0 } else { k };
        let (vr, vi) = (vals[2 * k], vals[2 * k + 1]);
        let (ar, ai) = (acc[2 * p], acc[2 * p + 1]);
        let first = seen[p] == 0 && !include_self;
        let (r, i) = match reduce {
            _ if first => (vr, vi),
            ScatterReduce::Replace => (vr, vi),
            ScatterReduce::Prod => (ar * vr - ai * vi, ar * vi + ai * vr),
            _ => (ar + vr, ai + vi),
        };
        acc[2 * p] = r;
        acc[2 * p + 1] = i;
        seen[p] += 1;
    }
    if reduce == ScatterReduce::Mean {
        for (pair, &c) in acc.chunks_exact_mut(2).zip(seen.iter()) {
            if c > 0 {
                let n = (c + usize::from(include_self)) as f64;
                pair[0] /= n;
                pair[1] /= n;
            }
        }
    }
    let pairs = Tensor::from_vec(acc, &pair_shape(target.shape()))?;
    from_pairs_result(&cast_raw(&pairs, target.dtype().to_real()))
}
