//! Dense factorizations of one row-major complex matrix (`c64`), computed with faer:
//! the complex counterparts of `dense`. `complex_ops` loops over the batch.

use faer::linalg::solvers::Solve;
use faer::{c64, Mat, MatRef, Side};

/// A row-major `rows × cols` slice as a faer matrix.
pub fn cmat_of(data: &[c64], rows: usize, cols: usize) -> Mat<c64> {
    Mat::from_fn(rows, cols, |i, j| data[i * cols + j])
}

/// Appends `m` to `out` in row-major order.
pub fn push_crows(out: &mut Vec<c64>, m: MatRef<'_, c64>) {
    for i in 0..m.nrows() {
        for j in 0..m.ncols() {
            out.push(m[(i, j)]);
        }
    }
}

fn is_zero(z: c64) -> bool {
    z.re == 0.0 && z.im == 0.0
}

/// LU with partial pivoting, as `dense::Lu`.
pub struct CLu {
    /// L (unit diagonal, not stored) below the diagonal and U on and above it.
    pub packed: Mat<c64>,
    /// LAPACK's 1-based `ipiv`.
    pub pivots: Vec<i64>,
    /// +1 or -1: the sign of the row permutation.
    pub perm_sign: f64,
    /// Row `i` of `P A` is row `perm[i]` of `A`.
    pub perm: Vec<usize>,
    lu: faer::linalg::solvers::PartialPivLu<c64>,
}

pub fn clu(a: &[c64], rows: usize, cols: usize) -> CLu {
    let m = cmat_of(a, rows, cols);
    let lu = m.partial_piv_lu();
    let k = rows.min(cols);
    let (l, u) = (lu.L(), lu.U());
    let packed = Mat::from_fn(rows, cols, |i, j| if i > j { l[(i, j)] } else { u[(i, j)] });
    let perm: Vec<usize> = lu.P().arrays().0.to_vec();
    let mut cur: Vec<usize> = (0..rows).collect();
    let mut pivots = Vec::with_capacity(k);
    let mut swaps = 0usize;
    for (i, &want) in perm.iter().enumerate() {
        let j = (i..rows).find(|&j| cur[j] == want).unwrap_or(i);
        if j != i {
            cur.swap(i, j);
            swaps += 1;
        }
        if i < k {
            pivots.push(j as i64 + 1);
        }
    }
    let perm_sign = if swaps.is_multiple_of(2) { 1.0 } else { -1.0 };
    CLu {
        packed,
        pivots,
        perm_sign,
        perm,
        lu,
    }
}

impl CLu {
    /// LAPACK's `info`: the 1-based index of the first exactly zero pivot, or 0.
    pub fn info(&self) -> i64 {
        let k = self.packed.nrows().min(self.packed.ncols());
        (0..k)
            .find(|&i| is_zero(self.packed[(i, i)]))
            .map_or(0, |i| i as i64 + 1)
    }
    pub fn det(&self) -> c64 {
        if self.info() > 0 {
            return c64::new(0.0, 0.0);
        }
        let n = self.packed.nrows();
        (0..n).fold(c64::new(self.perm_sign, 0.0), |d, i| {
            d * self.packed[(i, i)]
        })
    }
    /// (sign, log|det|), LAPACK-style: sign 0 and -inf for a singular matrix; the sign
    /// is the unit complex number det / |det|.
    pub fn slogdet(&self) -> (c64, f64) {
        if self.info() > 0 {
            return (c64::new(0.0, 0.0), f64::NEG_INFINITY);
        }
        let n = self.packed.nrows();
        let mut sign = c64::new(self.perm_sign, 0.0);
        let mut log = 0.0;
        for i in 0..n {
            let d = self.packed[(i, i)];
            let size = d.norm();
            sign *= d / size;
            log += size.ln();
        }
        (sign, log)
    }
    pub fn solve(&self, b: &Mat<c64>) -> Mat<c64> {
        self.lu.solve(b)
    }
}

/// The lower Cholesky factor of a Hermitian matrix read from its lower triangle, or the
/// 1-based order of the first leading minor that is not positive-definite. As LAPACK,
/// only the real part of the diagonal is read.
pub fn ccholesky_lower(a: &[c64], n: usize) -> Result<Mat<c64>, usize> {
    let m = Mat::from_fn(n, n, |i, j| match i.cmp(&j) {
        std::cmp::Ordering::Greater => a[i * n + j],
        std::cmp::Ordering::Equal => c64::new(a[i * n + j].re, 0.0),
        std::cmp::Ordering::Less => a[j * n + i].conj(),
    });
    match m.llt(Side::Lower) {
        Ok(llt) => Ok(llt.L().to_owned()),
        Err(faer::linalg::cholesky::llt::factor::LltError::NonPositivePivot { index }) => {
            Err(index + 1)
        }
    }
}

/// Householder QR; `complete` gives the square Q and the full R.
pub fn cqr(a: &[c64], rows: usize, cols: usize, complete: bool) -> (Mat<c64>, Mat<c64>) {
    let m = cmat_of(a, rows, cols);
    let f = m.qr();
    let (mut q, mut r) = if complete {
        let thin = f.thin_R();
        let k = thin.nrows();
        let zero = c64::new(0.0, 0.0);
        let r = Mat::from_fn(rows, cols, |i, j| if i < k { thin[(i, j)] } else { zero });
        (f.compute_Q(), r)
    } else {
        (f.compute_thin_Q(), f.thin_R().to_owned())
    };
    real_r_diagonal(&mut q, &mut r);
    (q, r)
}

/// Rotates the phases of Q's columns and R's rows so that R's diagonal is real, as
/// LAPACK's complex Householder QR returns it: R[i, i] = ±|R[i, i]|, with the sign of
/// faer's real part (both reflect with beta = -sign(Re alpha) |x|).
fn real_r_diagonal(q: &mut Mat<c64>, r: &mut Mat<c64>) {
    let k = r.nrows().min(r.ncols());
    for i in 0..k {
        let d = r[(i, i)];
        let size = d.norm();
        if size == 0.0 || d.im == 0.0 {
            continue;
        }
        // LAPACK reflects the last row of a square or wide R too, where faer keeps it.
        let flip = (d.re < 0.0) != (i + 1 == q.nrows());
        let target = if flip { -size } else { size };
        let c = c64::new(target, 0.0) / d;
        for j in 0..r.ncols() {
            r[(i, j)] *= c;
        }
        for row in 0..q.nrows() {
            q[(row, i)] *= c.conj();
        }
    }
}

/// Singular values (non-increasing, real) and the singular vectors.
pub struct CSvd {
    pub u: Mat<c64>,
    pub s: Vec<f64>,
    pub v: Mat<c64>,
}

pub fn csvd(a: &[c64], rows: usize, cols: usize, full: bool) -> Option<CSvd> {
    let m = cmat_of(a, rows, cols);
    let f = if full { m.svd() } else { m.thin_svd() }.ok()?;
    let s = f.S().column_vector().iter().map(|z| z.re).collect();
    let (mut u, mut v) = (f.U().to_owned(), f.V().to_owned());
    lapack_svd_phases(&mut u, &mut v, rows, cols);
    Some(CSvd { u, s, v })
}

/// `z̄ / |z|`: the unit factor that turns `z` real and non-negative (1 for zero).
fn unphase(z: c64) -> c64 {
    let size = z.norm();
    if size == 0.0 {
        c64::new(1.0, 0.0)
    } else {
        z.conj() / size
    }
}

/// Each pair of singular vectors times one phase, so that the first row of V (rows >=
/// cols) or of U (rows < cols) is real, as LAPACK's bidiagonalization leaves it (its
/// sign is not reproduced: non-negative here).
fn lapack_svd_phases(u: &mut Mat<c64>, v: &mut Mat<c64>, rows: usize, cols: usize) {
    let k = rows.min(cols);
    for j in 0..k {
        let c = if rows >= cols {
            unphase(v[(0, j)])
        } else {
            unphase(u[(0, j)])
        };
        for i in 0..u.nrows() {
            u[(i, j)] *= c;
        }
        for i in 0..v.nrows() {
            v[(i, j)] *= c;
        }
    }
}

pub fn csingular_values(a: &[c64], rows: usize, cols: usize) -> Option<Vec<f64>> {
    cmat_of(a, rows, cols).singular_values().ok()
}

/// Eigenvalues (real, non-decreasing) and eigenvectors of a Hermitian matrix read from
/// one triangle (the diagonal's imaginary part ignored, as LAPACK does).
pub fn ceigh(a: &[c64], n: usize, upper: bool) -> Option<(Vec<f64>, Mat<c64>)> {
    let m = Mat::from_fn(n, n, |i, j| {
        let lower_half = if upper { i < j } else { i > j };
        if i == j {
            c64::new(a[i * n + j].re, 0.0)
        } else if lower_half {
            a[i * n + j]
        } else {
            a[j * n + i].conj()
        }
    });
    let f = m.self_adjoint_eigen(Side::Lower).ok()?;
    let w = f.S().column_vector().iter().map(|z| z.re).collect();
    // LAPACK's tridiagonal reduction leaves the first row of V real when it reads the
    // lower triangle, the last row when it reads the upper one (signs not reproduced).
    let mut v = f.U().to_owned();
    let pivot = if upper { n - 1 } else { 0 };
    for j in 0..n {
        let c = unphase(v[(pivot, j)]);
        for i in 0..n {
            v[(i, j)] *= c;
        }
    }
    Some((w, v))
}

/// Solves `A X = B` for triangular A (`n × n`) and `B` (`n × k`), in place.
pub fn csolve_triangular_left(
    a: &[c64],
    n: usize,
    b: &mut [c64],
    k: usize,
    upper: bool,
    unit: bool,
) {
    let rows: Box<dyn Iterator<Item = usize>> = if upper {
        Box::new((0..n).rev())
    } else {
        Box::new(0..n)
    };
    for i in rows {
        for c in 0..k {
            let mut acc = b[i * k + c];
            let range = if upper { i + 1..n } else { 0..i };
            for j in range {
                acc -= a[i * n + j] * b[j * k + c];
            }
            b[i * k + c] = if unit { acc } else { acc / a[i * n + i] };
        }
    }
}
