//! `geqrf`: QR as LAPACK stores it, R on and above the diagonal, the Householder vectors
//! below it (their leading 1 implied), and the scalars `tau` with H_i = I - tau_i v_i v_iᵀ.
//! The reflectors follow LAPACK's `dlarfg`/`dgeqr2`, so `(a, tau)` match PyTorch's.

use super::{check_float, from_f64, shape_with, Batched};
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// `(a, tau)` of each matrix of `a` (`*, m, n`): tau has `min(m, n)` entries.
pub fn geqrf(a: &Tensor) -> Result<(Tensor, Tensor)> {
    if a.ndim() < 2 {
        return Err(Error::runtime(
            "torch.geqrf: input must have at least 2 dimensions.",
        ));
    }
    check_float(a, "geqrf")?;
    let b = Batched::<f64>::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let mut out = Vec::with_capacity(b.data.len());
    let mut taus = Vec::with_capacity(b.count() * k);
    for i in 0..b.count() {
        let mut mat = b.mat(i).to_vec();
        taus.extend(factor(&mut mat, m, n));
        out.extend(mat);
    }
    Ok((
        from_f64(out, &shape_with(&b.batch, &[m, n]), a.dtype())?,
        from_f64(taus, &shape_with(&b.batch, &[k]), a.dtype())?,
    ))
}

/// Factors the row-major `m × n` matrix in place; returns tau.
fn factor(a: &mut [f64], m: usize, n: usize) -> Vec<f64> {
    let k = m.min(n);
    let mut taus = Vec::with_capacity(k);
    for i in 0..k {
        let tau = reflector(a, m, n, i);
        taus.push(tau);
        if tau != 0.0 {
            apply_left(a, m, n, i, tau);
        }
    }
    taus
}

/// `dlarfg` on column `i` from row `i` down: makes the reflector that maps it to
/// (beta, 0, …, 0), stores beta on the diagonal and v (scaled so v_0 = 1) below.
fn reflector(a: &mut [f64], m: usize, n: usize, i: usize) -> f64 {
    let alpha = a[i * n + i];
    let xnorm = norm2((i + 1..m).map(|r| a[r * n + i]));
    if xnorm == 0.0 {
        return 0.0;
    }
    let beta = -alpha.hypot(xnorm).copysign(alpha);
    let tau = (beta - alpha) / beta;
    let scale = 1.0 / (alpha - beta);
    for r in i + 1..m {
        a[r * n + i] *= scale;
    }
    a[i * n + i] = beta;
    tau
}

/// The 2-norm with scaling, so that squares neither overflow nor underflow.
fn norm2(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let big = xs.clone().fold(0.0f64, |m, x| m.max(x.abs()));
    if big == 0.0 || !big.is_finite() {
        return big;
    }
    big * xs.map(|x| (x / big) * (x / big)).sum::<f64>().sqrt()
}

/// Applies H_i = I - tau v vᵀ (v = column i from row i, v_0 = 1) to the columns right of i.
fn apply_left(a: &mut [f64], m: usize, n: usize, i: usize, tau: f64) {
    let v = |a: &[f64], r: usize| if r == i { 1.0 } else { a[r * n + i] };
    for j in i + 1..n {
        let w: f64 = (i..m).map(|r| v(a, r) * a[r * n + j]).sum();
        for r in i..m {
            let vr = v(a, r);
            a[r * n + j] -= tau * vr * w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflectors_rebuild_the_matrix() {
        let src = [
            2.0, -1.0, 0.5, 1.0, 3.0, -2.0, 4.0, 0.0, 1.0, 1.5, -0.5, 2.0,
        ];
        let (m, n) = (4, 3);
        let mut a = src.to_vec();
        let tau = factor(&mut a, m, n);
        // Q R with Q = H_0 H_1 H_2 applied to R from the left, last reflector first.
        let mut r = vec![0.0; m * n];
        for i in 0..m {
            for j in i.min(n)..n {
                r[i * n + j] = a[i * n + j];
            }
        }
        for i in (0..n).rev() {
            for j in 0..n {
                let v = |r: usize| if r == i { 1.0 } else { a[r * n + i] };
                let w: f64 = (i..m).map(|q| v(q) * r[q * n + j]).sum();
                for q in i..m {
                    r[q * n + j] -= tau[i] * v(q) * w;
                }
            }
        }
        for (x, y) in r.iter().zip(src.iter()) {
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
    }
}
