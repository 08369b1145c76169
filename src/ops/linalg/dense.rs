//! Dense factorizations of one row-major `f64` matrix, computed with faer. The ops
//! in this module loop over the batch and call these.

use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Side};

/// A row-major `rows × cols` slice as a faer matrix.
pub fn mat_of(data: &[f64], rows: usize, cols: usize) -> Mat<f64> {
    Mat::from_fn(rows, cols, |i, j| data[i * cols + j])
}

/// Appends `m` to `out` in row-major order.
pub fn push_rows(out: &mut Vec<f64>, m: MatRef<'_, f64>) {
    for i in 0..m.nrows() {
        for j in 0..m.ncols() {
            out.push(m[(i, j)]);
        }
    }
}

/// LU with partial pivoting of a square or rectangular matrix.
pub struct Lu {
    /// L (unit diagonal, not stored) below the diagonal and U on and above it.
    pub packed: Mat<f64>,
    /// LAPACK's `ipiv`: row `i` was swapped with row `pivots[i] - 1`, in order.
    pub pivots: Vec<i64>,
    /// +1 or -1: the sign of the row permutation.
    pub perm_sign: f64,
    /// The row-permutation as `P A = L U`: row `i` of `P A` is row `perm[i]` of `A`.
    pub perm: Vec<usize>,
    lu: faer::linalg::solvers::PartialPivLu<f64>,
}

pub fn lu(a: &[f64], rows: usize, cols: usize) -> Lu {
    let m = mat_of(a, rows, cols);
    let lu = m.partial_piv_lu();
    let k = rows.min(cols);
    let (l, u) = (lu.L(), lu.U());
    let packed = Mat::from_fn(rows, cols, |i, j| if i > j { l[(i, j)] } else { u[(i, j)] });
    let perm: Vec<usize> = lu.P().arrays().0.to_vec();
    // The same permutation as a sequence of swaps (LAPACK's form).
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
    Lu {
        packed,
        pivots,
        perm_sign,
        perm,
        lu,
    }
}

impl Lu {
    /// LAPACK's `info`: the 1-based index of the first exactly zero pivot, or 0.
    pub fn info(&self) -> i64 {
        let k = self.packed.nrows().min(self.packed.ncols());
        (0..k)
            .find(|&i| self.packed[(i, i)] == 0.0)
            .map_or(0, |i| i as i64 + 1)
    }
    pub fn det(&self) -> f64 {
        // faer keeps eliminating past a zero pivot (NaNs follow); LAPACK stops: det 0.
        if self.info() > 0 {
            return 0.0;
        }
        let n = self.packed.nrows();
        (0..n).fold(self.perm_sign, |d, i| d * self.packed[(i, i)])
    }
    /// (sign, log|det|), LAPACK-style: sign 0 and -inf for a singular matrix.
    pub fn slogdet(&self) -> (f64, f64) {
        if self.info() > 0 {
            return (0.0, f64::NEG_INFINITY);
        }
        let n = self.packed.nrows();
        let mut sign = self.perm_sign;
        let mut log = 0.0;
        for i in 0..n {
            let d = self.packed[(i, i)];
            if d < 0.0 {
                sign = -sign;
            }
            log += d.abs().ln();
        }
        if log == f64::NEG_INFINITY {
            sign = 0.0;
        }
        (sign, log)
    }
    pub fn solve(&self, b: &Mat<f64>) -> Mat<f64> {
        self.lu.solve(b)
    }
}

/// The lower Cholesky factor, or the 1-based order of the first leading minor that is
/// not positive-definite.
pub fn cholesky_lower(a: &[f64], n: usize) -> Result<Mat<f64>, usize> {
    let m = mat_of(a, n, n);
    match m.llt(Side::Lower) {
        Ok(llt) => Ok(llt.L().to_owned()),
        Err(faer::linalg::cholesky::llt::factor::LltError::NonPositivePivot { index }) => {
            Err(index + 1)
        }
    }
}

/// Householder QR; `complete` gives the square Q and the full R.
pub fn qr(a: &[f64], rows: usize, cols: usize, complete: bool) -> (Mat<f64>, Mat<f64>) {
    let m = mat_of(a, rows, cols);
    let f = m.qr();
    if complete {
        let thin = f.thin_R();
        let k = thin.nrows();
        let r = Mat::from_fn(rows, cols, |i, j| if i < k { thin[(i, j)] } else { 0.0 });
        (f.compute_Q(), r)
    } else {
        (f.compute_thin_Q(), f.thin_R().to_owned())
    }
}

/// Singular values (non-increasing), and U and V when asked for.
pub struct Svd {
    pub u: Mat<f64>,
    pub s: Vec<f64>,
    pub v: Mat<f64>,
}

pub fn svd(a: &[f64], rows: usize, cols: usize, full: bool) -> Option<Svd> {
    let m = mat_of(a, rows, cols);
    let f = if full { m.svd() } else { m.thin_svd() }.ok()?;
    let s = f.S().column_vector().iter().copied().collect();
    Some(Svd {
        u: f.U().to_owned(),
        s,
        v: f.V().to_owned(),
    })
}

pub fn singular_values(a: &[f64], rows: usize, cols: usize) -> Option<Vec<f64>> {
    mat_of(a, rows, cols).singular_values().ok()
}

/// Eigenvalues (non-decreasing) and eigenvectors of a symmetric matrix read from one
/// triangle.
pub fn eigh(a: &[f64], n: usize, upper: bool) -> Option<(Vec<f64>, Mat<f64>)> {
    let m = mat_of(a, n, n);
    let side = if upper { Side::Upper } else { Side::Lower };
    let f = m.self_adjoint_eigen(side).ok()?;
    let w = f.S().column_vector().iter().copied().collect();
    Some((w, f.U().to_owned()))
}

/// Solves `A X = B` for triangular A (`n × n`, row-major) and `B` (`n × k`), in place.
pub fn solve_triangular_left(
    a: &[f64],
    n: usize,
    b: &mut [f64],
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
