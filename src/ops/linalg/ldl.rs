//! `linalg.ldl_factor_ex` / `linalg.ldl_solve`: the Bunch-Kaufman factorization
//! A = L D Lᵀ of a symmetric matrix (its lower triangle is read), with LAPACK's
//! `sytf2` pivot choices and `ipiv` encoding: a positive k is a 1×1 block after
//! swapping with row k; -k on two consecutive entries a 2×2 block, the second row
//! swapped with row k (1-based).

use super::elem::{one, zero};
use super::{by_elem, check_square, kind_of, lapack_ints, shape_with, Batched, Elem};
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// `(LD, pivots, info)`: LD holds L below the diagonal and D on it (and on the first
/// subdiagonal of 2×2 blocks); info > 0 is the 1-based column of an exactly zero pivot.
pub fn ldl_factor_ex(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    const F: &str = "torch.linalg.ldl_factor_ex";
    if a.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{F}: The input tensor A must have at least 2 dimensions."
        )));
    }
    check_square(a, F)?;
    let kind = kind_of(a, F)?;
    by_elem!(kind, T => factor_values::<T>(a))
}

fn factor_values<T: Elem>(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let (mut lds, mut pivs, mut infos) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        let mut mat = b.mat(i).to_vec();
        let (piv, info) = factor(&mut mat, n);
        zero_upper(&mut mat, n);
        lds.extend(mat);
        pivs.extend(piv);
        infos.push(info);
    }
    Ok((
        super::lapack_layout(T::tensor(lds, &shape_with(&b.batch, &[n, n]), a.dtype())?)?,
        lapack_ints(pivs, &shape_with(&b.batch, &[n]))?,
        lapack_ints(infos, &b.batch)?,
    ))
}

fn zero_upper<T: Elem>(mat: &mut [T], n: usize) {
    for r in 0..n {
        for c in r + 1..n {
            mat[r * n + c] = zero::<T>();
        }
    }
}

fn argmax_abs<T: Elem>(it: impl Iterator<Item = (usize, T)>) -> (usize, f64) {
    it.fold((usize::MAX, -1.0), |best, (i, x)| {
        if x.mag() > best.1 {
            (i, x.mag())
        } else {
            best
        }
    })
}

/// `dsytf2` (`zsytf2`) with uplo = 'L' on a row-major `n × n` matrix: returns (ipiv, info).
fn factor<T: Elem>(a: &mut [T], n: usize) -> (Vec<i64>, i64) {
    let alpha = (1.0 + 17f64.sqrt()) / 8.0;
    let at = |i: usize, j: usize| i * n + j;
    let mut ipiv = vec![0i64; n];
    let mut info = 0i64;
    let mut k = 0;
    while k < n {
        let mut kstep = 1;
        let absakk = a[at(k, k)].mag();
        let (imax, colmax) = if k + 1 < n {
            argmax_abs((k + 1..n).map(|i| (i, a[at(i, k)])))
        } else {
            (k, 0.0)
        };
        let mut kp = k;
        if absakk.max(colmax) == 0.0 || absakk.is_nan() {
            if info == 0 {
                info = k as i64 + 1;
            }
        } else if absakk < alpha * colmax {
            let (_, mut rowmax) = argmax_abs((k..imax).map(|j| (j, a[at(imax, j)])));
            if imax + 1 < n {
                rowmax = rowmax.max(argmax_abs((imax + 1..n).map(|j| (j, a[at(j, imax)]))).1);
            }
            if absakk >= alpha * colmax * (colmax / rowmax) {
                kp = k;
            } else if a[at(imax, imax)].mag() >= alpha * rowmax {
                kp = imax;
            } else {
                kp = imax;
                kstep = 2;
            }
        }
        let kk = k + kstep - 1;
        if kp != kk {
            for r in kp + 1..n {
                a.swap(at(r, kk), at(r, kp));
            }
            for j in kk + 1..kp {
                a.swap(at(j, kk), at(kp, j));
            }
            a.swap(at(kk, kk), at(kp, kp));
            if kstep == 2 {
                a.swap(at(k + 1, k), at(kp, k));
            }
        }
        if kstep == 1 {
            if k + 1 < n && !(absakk.max(colmax) == 0.0 || absakk.is_nan()) {
                let d11 = one::<T>() / a[at(k, k)];
                for j in k + 1..n {
                    let ajk = a[at(j, k)];
                    for i in j..n {
                        a[at(i, j)] -= d11 * a[at(i, k)] * ajk;
                    }
                }
                for i in k + 1..n {
                    a[at(i, k)] *= d11;
                }
            }
            ipiv[k] = kp as i64 + 1;
        } else {
            if k + 2 < n {
                let d21 = a[at(k + 1, k)];
                let d11 = a[at(k + 1, k + 1)] / d21;
                let d22 = a[at(k, k)] / d21;
                let t = one::<T>() / (d11 * d22 - one::<T>());
                let d21 = t / d21;
                for j in k + 2..n {
                    let wk = d21 * (d11 * a[at(j, k)] - a[at(j, k + 1)]);
                    let wkp1 = d21 * (d22 * a[at(j, k + 1)] - a[at(j, k)]);
                    for i in j..n {
                        a[at(i, j)] -= a[at(i, k)] * wk + a[at(i, k + 1)] * wkp1;
                    }
                    a[at(j, k)] = wk;
                    a[at(j, k + 1)] = wkp1;
                }
            }
            ipiv[k] = -(kp as i64 + 1);
            ipiv[k + 1] = -(kp as i64 + 1);
        }
        k += kstep;
    }
    (ipiv, info)
}

/// X with A X = B from `ldl_factor`'s (LD, pivots); LD, pivots and B share batch dims.
pub fn ldl_solve(ld: &Tensor, pivots: &Tensor, b: &Tensor) -> Result<Tensor> {
    const F: &str = "torch.linalg.ldl_solve";
    if ld.ndim() < 2 || b.ndim() < 2 || pivots.ndim() != ld.ndim() - 1 {
        return Err(Error::runtime(format!("{F}: expected batches of matrices")));
    }
    let (nl, nb) = (ld.ndim(), b.ndim());
    let n = ld.shape()[nl - 2];
    let count: usize = ld.shape()[..nl - 2].iter().product();
    let b_count: usize = b.shape()[..nb - 2].iter().product();
    let piv: Vec<f64> = pivots.to_vec::<f64>();
    if ld.shape()[nl - 1] != n
        || b.shape()[nb - 2] != n
        || count != b_count
        || piv.len() != n * count
    {
        return Err(Error::runtime(format!(
            "{F}: mismatched shapes {:?}, {:?} and {:?}",
            ld.shape(),
            pivots.shape(),
            b.shape()
        )));
    }
    if piv
        .iter()
        .any(|&p| p == 0.0 || p.abs() > n as f64 || p.fract() != 0.0)
    {
        return Err(Error::runtime(format!("{F}: invalid pivots")));
    }
    let kind = kind_of(ld, F)?;
    by_elem!(kind, T => solve_values::<T>(ld, &piv, b, n))
}

fn solve_values<T: Elem>(ld: &Tensor, piv: &[f64], b: &Tensor, n: usize) -> Result<Tensor> {
    let (l, r) = (Batched::<T>::of(ld), Batched::<T>::of(b));
    let nrhs = r.cols;
    let mut out = Vec::with_capacity(r.data.len());
    for i in 0..l.count() {
        let ipiv: Vec<i64> = piv[i * n..(i + 1) * n].iter().map(|&p| p as i64).collect();
        let mut x = r.mat(i).to_vec();
        solve(l.mat(i), &ipiv, &mut x, n, nrhs)?;
        out.extend(x);
    }
    super::lapack_layout(T::tensor(out, b.shape(), b.dtype())?)
}

fn swap_rows<T: Elem>(x: &mut [T], nrhs: usize, i: usize, j: usize) {
    if i != j {
        for c in 0..nrhs {
            x.swap(i * nrhs + c, j * nrhs + c);
        }
    }
}

/// `dsytrs` (`zsytrs`) with uplo = 'L': B (row-major `n × nrhs`) is overwritten with X.
fn solve<T: Elem>(a: &[T], ipiv: &[i64], x: &mut [T], n: usize, nrhs: usize) -> Result<()> {
    let at = |i: usize, j: usize| a[i * n + j];
    let bad = || Error::runtime("torch.linalg.ldl_solve: invalid pivots");
    let mut k = 0;
    while k < n {
        if ipiv[k] > 0 {
            swap_rows(x, nrhs, k, ipiv[k] as usize - 1);
            for i in k + 1..n {
                for c in 0..nrhs {
                    x[i * nrhs + c] -= at(i, k) * x[k * nrhs + c];
                }
            }
            for c in 0..nrhs {
                x[k * nrhs + c] /= at(k, k);
            }
            k += 1;
        } else {
            if k + 1 >= n {
                return Err(bad());
            }
            swap_rows(x, nrhs, k + 1, (-ipiv[k]) as usize - 1);
            for i in k + 2..n {
                for c in 0..nrhs {
                    x[i * nrhs + c] -=
                        at(i, k) * x[k * nrhs + c] + at(i, k + 1) * x[(k + 1) * nrhs + c];
                }
            }
            let akm1k = at(k + 1, k);
            let akm1 = at(k, k) / akm1k;
            let ak = at(k + 1, k + 1) / akm1k;
            let denom = akm1 * ak - one::<T>();
            for c in 0..nrhs {
                let bkm1 = x[k * nrhs + c] / akm1k;
                let bk = x[(k + 1) * nrhs + c] / akm1k;
                x[k * nrhs + c] = (ak * bkm1 - bk) / denom;
                x[(k + 1) * nrhs + c] = (akm1 * bk - bkm1) / denom;
            }
            k += 2;
        }
    }
    let mut k = n;
    while k > 0 {
        let kk = k - 1;
        let back = |x: &mut [T], row: usize, col: usize| {
            for c in 0..nrhs {
                let s = (kk + 1..n).fold(zero::<T>(), |acc, i| acc + at(i, col) * x[i * nrhs + c]);
                x[row * nrhs + c] -= s;
            }
        };
        if ipiv[kk] > 0 {
            back(x, kk, kk);
            swap_rows(x, nrhs, kk, ipiv[kk] as usize - 1);
            k -= 1;
        } else {
            if kk == 0 {
                return Err(bad());
            }
            back(x, kk, kk);
            back(x, kk - 1, kk - 1);
            swap_rows(x, nrhs, kk, (-ipiv[kk]) as usize - 1);
            k -= 2;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_an_indefinite_system_with_two_by_two_pivots() {
        let n = 3;
        let src = [0.0, 2.0, 1.0, 2.0, 0.0, 3.0, 1.0, 3.0, 1.0];
        let mut a = src.to_vec();
        let (ipiv, info) = factor(&mut a, n);
        assert_eq!(info, 0);
        assert!(ipiv.iter().any(|&p| p < 0));
        let mut x = vec![1.0, 2.0, 3.0];
        solve(&a, &ipiv, &mut x, n, 1).unwrap();
        for i in 0..n {
            let r: f64 = (0..n).map(|j| src[i * n + j] * x[j]).sum();
            assert!((r - (i as f64 + 1.0)).abs() < 1e-12);
        }
    }
}
