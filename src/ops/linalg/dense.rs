//! Dense factorizations of one row-major matrix of `f64` or `c64`, computed with faer.
//! The ops in this module loop over the batch and call these. For complex matrices the
//! results are put in LAPACK's gauge (real R diagonal, phases of singular and eigen
//! vectors), which for real ones changes nothing.

use super::elem::{one, zero, Elem};
use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Side};

/// A row-major `rows × cols` slice as a faer matrix.
pub(crate) fn mat_of<T: Elem>(data: &[T], rows: usize, cols: usize) -> Mat<T> {
    Mat::from_fn(rows, cols, |i, j| data[i * cols + j])
}

/// Appends `m` to `out` in row-major order.
pub(crate) fn push_rows<T: Elem>(out: &mut Vec<T>, m: MatRef<'_, T>) {
    for i in 0..m.nrows() {
        for j in 0..m.ncols() {
            out.push(m[(i, j)]);
        }
    }
}

/// LU with partial pivoting of a square or rectangular matrix.
pub(crate) struct Lu<T: Elem> {
    /// L (unit diagonal, not stored) below the diagonal and U on and above it.
    pub packed: Mat<T>,
    /// LAPACK's `ipiv`: row `i` was swapped with row `pivots[i] - 1`, in order.
    pub pivots: Vec<i64>,
    /// +1 or -1: the sign of the row permutation.
    pub perm_sign: f64,
    /// The row-permutation as `P A = L U`: row `i` of `P A` is row `perm[i]` of `A`.
    pub perm: Vec<usize>,
    lu: faer::linalg::solvers::PartialPivLu<T>,
}

pub(crate) fn lu<T: Elem>(a: &[T], rows: usize, cols: usize) -> Lu<T> {
    let m = mat_of(a, rows, cols);
    let lu = m.partial_piv_lu();
    let k = rows.min(cols);
    let (l, u) = (lu.L(), lu.U());
    let mut packed = Mat::from_fn(rows, cols, |i, j| if i > j { l[(i, j)] } else { u[(i, j)] });
    let mut perm: Vec<usize> = lu.P().arrays().0.to_vec();
    if (0..k).any(|i| packed[(i, i)].is_zero()) {
        // faer divides by a zero pivot (NaNs follow); LAPACK skips that column's scaling
        (packed, perm) = unblocked_lu(m.as_ref());
    }
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

/// LAPACK's unblocked `getf2`: partial pivoting on the first largest `cabs1` of each
/// column, a zero pivot leaving its column unscaled. Returns the packed factors and the
/// row permutation (`P A = L U`, row `i` of `P A` is row `perm[i]` of `A`).
fn unblocked_lu<T: Elem>(a: MatRef<'_, T>) -> (Mat<T>, Vec<usize>) {
    let (rows, cols) = (a.nrows(), a.ncols());
    let mut m = a.to_owned();
    let mut perm: Vec<usize> = (0..rows).collect();
    for j in 0..rows.min(cols) {
        let mut p = j;
        for i in j + 1..rows {
            if m[(i, j)].mag() > m[(p, j)].mag() {
                p = i;
            }
        }
        if p != j {
            perm.swap(p, j);
            for c in 0..cols {
                let (x, y) = (m[(p, c)], m[(j, c)]);
                m[(p, c)] = y;
                m[(j, c)] = x;
            }
        }
        let pivot = m[(j, j)];
        if pivot.is_zero() {
            continue;
        }
        for i in j + 1..rows {
            let factor = m[(i, j)] / pivot;
            m[(i, j)] = factor;
            for c in j + 1..cols {
                let v = m[(j, c)];
                m[(i, c)] -= factor * v;
            }
        }
    }
    (m, perm)
}

impl<T: Elem> Lu<T> {
    /// LAPACK's `info`: the 1-based index of the first exactly zero pivot, or 0.
    pub fn info(&self) -> i64 {
        let k = self.packed.nrows().min(self.packed.ncols());
        (0..k)
            .find(|&i| self.packed[(i, i)].is_zero())
            .map_or(0, |i| i as i64 + 1)
    }
    pub fn det(&self) -> T {
        // faer keeps eliminating past a zero pivot (NaNs follow); LAPACK stops: det 0.
        if self.info() > 0 {
            return zero::<T>();
        }
        let n = self.packed.nrows();
        (0..n).fold(T::from_re(self.perm_sign), |d, i| d * self.packed[(i, i)])
    }
    /// (sign, log|det|), LAPACK-style: sign 0 and -inf for a singular matrix; the sign
    /// is ±1, or the unit complex number det / |det|.
    pub fn slogdet(&self) -> (T, f64) {
        if self.info() > 0 {
            return (zero::<T>(), f64::NEG_INFINITY);
        }
        let n = self.packed.nrows();
        let mut sign = T::from_re(self.perm_sign);
        let mut log = 0.0;
        for i in 0..n {
            let d = self.packed[(i, i)];
            sign *= d.phase();
            log += d.modulus().ln();
        }
        if log == f64::NEG_INFINITY {
            sign = zero::<T>();
        }
        (sign, log)
    }
    pub fn solve(&self, b: &Mat<T>) -> Mat<T> {
        self.lu.solve(b)
    }
}

/// The matrix faer's self-adjoint routines read from the lower triangle: `a`'s lower
/// triangle (or its upper one, conjugated, when `upper`), the diagonal's imaginary part
/// dropped, as LAPACK reads a Hermitian matrix.
fn hermitian_lower<T: Elem>(a: &[T], n: usize, upper: bool) -> Mat<T> {
    Mat::from_fn(n, n, |i, j| {
        let stored_here = if upper { i <= j } else { i >= j };
        let x = if stored_here {
            a[i * n + j]
        } else {
            a[j * n + i].conjugate()
        };
        if i == j {
            T::from_re(x.re_part())
        } else {
            x
        }
    })
}

/// The lower Cholesky factor of a Hermitian matrix read from its lower triangle, or the
/// 1-based order of the first leading minor that is not positive-definite.
pub(crate) fn cholesky_lower<T: Elem>(a: &[T], n: usize) -> Result<Mat<T>, usize> {
    let m = hermitian_lower(a, n, false);
    match m.llt(Side::Lower) {
        Ok(llt) => {
            let mut l = llt.L().to_owned();
            // the diagonal of a Hermitian matrix's factor is real (LAPACK's exactly so)
            for i in 0..n {
                l[(i, i)] = T::from_re(l[(i, i)].re_part());
            }
            Ok(l)
        }
        Err(faer::linalg::cholesky::llt::factor::LltError::NonPositivePivot { index }) => {
            Err(index + 1)
        }
    }
}

/// Householder QR; `complete` gives the square Q and the full R.
pub(crate) fn qr<T: Elem>(a: &[T], rows: usize, cols: usize, complete: bool) -> (Mat<T>, Mat<T>) {
    let m = mat_of(a, rows, cols);
    let f = m.qr();
    let (mut q, mut r) = if complete {
        let thin = f.thin_R();
        let k = thin.nrows();
        let r = Mat::from_fn(
            rows,
            cols,
            |i, j| if i < k { thin[(i, j)] } else { zero::<T>() },
        );
        (f.compute_Q(), r)
    } else {
        (f.compute_thin_Q(), f.thin_R().to_owned())
    };
    real_r_diagonal(&mut q, &mut r);
    (q, r)
}

/// Rotates the phases of Q's columns and R's rows so that R's diagonal is real, as
/// LAPACK's complex Householder QR returns it: R[i, i] = ±|R[i, i]|, with the sign of
/// faer's real part (both reflect with beta = -sign(Re alpha) |x|). Real R is untouched.
fn real_r_diagonal<T: Elem>(q: &mut Mat<T>, r: &mut Mat<T>) {
    let k = r.nrows().min(r.ncols());
    for i in 0..k {
        let d = r[(i, i)];
        let size = d.modulus();
        if size == 0.0 || d.im_part() == 0.0 {
            continue;
        }
        // LAPACK reflects the last row of a square or wide R too, where faer keeps it.
        let flip = (d.re_part() < 0.0) != (i + 1 == q.nrows());
        let target = if flip { -size } else { size };
        let c = T::from_re(target) / d;
        for j in 0..r.ncols() {
            r[(i, j)] *= c;
        }
        for row in 0..q.nrows() {
            q[(row, i)] *= c.conjugate();
        }
    }
}

/// Singular values (non-increasing), and U and V when asked for.
pub(crate) struct Svd<T: Elem> {
    pub u: Mat<T>,
    pub s: Vec<f64>,
    pub v: Mat<T>,
}

pub(crate) fn svd<T: Elem>(a: &[T], rows: usize, cols: usize, full: bool) -> Option<Svd<T>> {
    let m = mat_of(a, rows, cols);
    let f = if full { m.svd() } else { m.thin_svd() }.ok()?;
    let s = f.S().column_vector().iter().map(|x| x.re_part()).collect();
    let (mut u, mut v) = (f.U().to_owned(), f.V().to_owned());
    if T::IS_COMPLEX {
        lapack_svd_phases(&mut u, &mut v, rows, cols);
    }
    Some(Svd { u, s, v })
}

/// `z̄ / |z|`: the unit factor that turns `z` real and non-negative (1 for zero).
fn unphase<T: Elem>(z: T) -> T {
    if z.modulus() == 0.0 {
        one::<T>()
    } else {
        z.phase().conjugate()
    }
}

/// Each pair of complex singular vectors times one phase, so that the first row of V
/// (rows >= cols) or of U (rows < cols) is real, as LAPACK's bidiagonalization leaves it
/// (its sign is not reproduced: non-negative here).
fn lapack_svd_phases<T: Elem>(u: &mut Mat<T>, v: &mut Mat<T>, rows: usize, cols: usize) {
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

pub(crate) fn singular_values<T: Elem>(a: &[T], rows: usize, cols: usize) -> Option<Vec<f64>> {
    mat_of(a, rows, cols).singular_values().ok()
}

/// Eigenvalues (non-decreasing) and eigenvectors of a symmetric (Hermitian) matrix read
/// from one triangle.
pub(crate) fn eigh<T: Elem>(a: &[T], n: usize, upper: bool) -> Option<(Vec<f64>, Mat<T>)> {
    if !T::IS_COMPLEX {
        let side = if upper { Side::Upper } else { Side::Lower };
        let f = mat_of(a, n, n).self_adjoint_eigen(side).ok()?;
        let w = f.S().column_vector().iter().map(|x| x.re_part()).collect();
        return Some((w, f.U().to_owned()));
    }
    let f = hermitian_lower(a, n, upper)
        .self_adjoint_eigen(Side::Lower)
        .ok()?;
    let w = f.S().column_vector().iter().map(|x| x.re_part()).collect();
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

/// Solves `A X = B` for triangular A (`n × n`, row-major) and `B` (`n × k`), in place.
pub(crate) fn solve_triangular_left<T: Elem>(
    a: &[T],
    n: usize,
    b: &mut [T],
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
