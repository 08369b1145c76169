//! Complex (complex64/complex128) forwards of `torch.linalg`, batched over leading dims
//! and computed in `c64`. They record no autograd: the Python layer
//! (`ferrograd/linalg/_complex.py`) wraps them in nodes with PyTorch's complex formulas.

use super::complex_dense::{self as cd, push_crows};
use super::{batch_prefix, broadcast_batch, from_f64, lapack_ints, mt, shape_with};
use crate::error::{Error, Result};
use crate::ops::complex::{from_pairs, real_view_raw};
use crate::tensor::{Buffer, DType, Tensor};
use faer::{c64, Mat};

/// A batch of row-major complex matrices copied out as `c64`.
pub(crate) struct CBatched {
    pub data: Vec<c64>,
    pub batch: Vec<usize>,
    pub rows: usize,
    pub cols: usize,
}

impl CBatched {
    pub fn of(t: &Tensor) -> CBatched {
        let nd = t.ndim();
        let pairs = real_view_raw(t).to_vec::<f64>();
        CBatched {
            data: pairs
                .chunks_exact(2)
                .map(|p| c64::new(p[0], p[1]))
                .collect(),
            batch: t.shape()[..nd - 2].to_vec(),
            rows: t.shape()[nd - 2],
            cols: t.shape()[nd - 1],
        }
    }
    pub fn count(&self) -> usize {
        self.batch.iter().product()
    }
    pub fn mat(&self, i: usize) -> &[c64] {
        let sz = self.rows * self.cols;
        &self.data[i * sz..(i + 1) * sz]
    }
}

/// A complex tensor of `dtype` from `c64` values.
pub(crate) fn from_c64(v: Vec<c64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let pairs = v.iter().flat_map(|z| [z.re, z.im]);
    let buffer = if dtype == DType::C64 {
        Buffer::F32(pairs.map(|x| x as f32).collect())
    } else {
        Buffer::F64(pairs.collect())
    };
    from_pairs(buffer, shape, dtype)
}

fn zero() -> c64 {
    c64::new(0.0, 0.0)
}

fn one() -> c64 {
    c64::new(1.0, 0.0)
}

fn check_complex_matrix(t: &Tensor, f: &str) -> Result<()> {
    if !t.dtype().is_complex() || t.dtype() == DType::C32 {
        return Err(Error::runtime(format!(
            "{f}: expected a complex64 or complex128 tensor, got {}",
            t.dtype().kernel_name()
        )));
    }
    if t.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{f}: The input tensor A must have at least 2 dimensions."
        )));
    }
    Ok(())
}

fn check_square_complex(t: &Tensor, f: &str) -> Result<()> {
    check_complex_matrix(t, f)?;
    super::check_square(t, f)
}

/// `linalg.inv_ex` → (inverse, info); LinAlgError for a singular matrix when `check_errors`.
pub fn complex_inv_ex(a: &Tensor, check_errors: bool) -> Result<(Tensor, Tensor)> {
    check_square_complex(a, "linalg.inv")?;
    let b = CBatched::of(a);
    let n = b.rows;
    let eye = Mat::<c64>::identity(n, n);
    let (mut vals, mut infos) = (Vec::with_capacity(b.data.len()), Vec::new());
    for i in 0..b.count() {
        if n == 0 {
            infos.push(0);
            continue;
        }
        let lu = cd::clu(b.mat(i), n, n);
        let info = lu.info();
        if info > 0 && check_errors {
            return Err(Error::linalg(format!(
                "linalg.inv: {}The diagonal element {info} is zero, the inversion could not be completed because the input matrix is singular.",
                batch_prefix(a.ndim(), i)
            )));
        }
        infos.push(info);
        push_crows(&mut vals, lu.solve(&eye).as_ref());
    }
    Ok((
        from_c64(vals, a.shape(), a.dtype())?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// `linalg.solve_ex` of matrices: X with `A X = B` (`left`) or `X A = B`, B of shape
/// (*, n, k) (or (*, k, n) when not `left`), batch dims broadcast.
pub fn complex_solve_ex(
    a: &Tensor,
    b: &Tensor,
    left: bool,
    check_errors: bool,
) -> Result<(Tensor, Tensor)> {
    check_square_complex(a, "linalg.solve")?;
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type {} and B of type {} instead",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
    }
    let n = a.shape()[a.ndim() - 1];
    let (br, bc) = (b.shape()[b.ndim() - 2], b.shape()[b.ndim() - 1]);
    if (left && br != n) || (!left && bc != n) {
        return Err(Error::runtime(format!(
            "linalg.solve: Incompatible shapes of A and B for the equation {} ({n}x{n} and {br}x{bc})",
            if left { "AX = B" } else { "XA = B" }
        )));
    }
    let (ae, be) = left_form(a, b, left)?;
    let (am, rhs) = (CBatched::of(&ae), CBatched::of(&be));
    let k = rhs.cols;
    let (mut vals, mut infos) = (Vec::with_capacity(rhs.data.len()), Vec::new());
    for i in 0..am.count() {
        if n == 0 {
            infos.push(0);
            continue;
        }
        let lu = cd::clu(am.mat(i), n, n);
        let info = lu.info();
        if info > 0 && check_errors {
            return Err(Error::linalg(format!(
                "torch.linalg.solve: {}The solver failed because the input matrix is singular.",
                batch_prefix(ae.ndim(), i)
            )));
        }
        infos.push(info);
        push_crows(&mut vals, lu.solve(&cd::cmat_of(rhs.mat(i), n, k)).as_ref());
    }
    let x = from_c64(vals, &shape_with(&am.batch, &[n, k]), a.dtype())?;
    let x = if left {
        x
    } else {
        crate::ops::contiguous(&mt(&x)?)?
    };
    Ok((x, lapack_ints(infos, &am.batch)?))
}

/// A and B expanded to one batch shape; transposed (X A = B is A^T X^T = B^T) unless `left`.
fn left_form(a: &Tensor, b: &Tensor, left: bool) -> Result<(Tensor, Tensor)> {
    let _no = crate::autograd::GradModeGuard::new(false);
    let (ae, be) = broadcast_batch(a, b)?;
    if left {
        Ok((ae, be))
    } else {
        Ok((mt(&ae)?, mt(&be)?))
    }
}

/// `linalg.det` of each square matrix (complex).
pub fn complex_det(a: &Tensor) -> Result<Tensor> {
    check_square_complex(a, "linalg.det")?;
    let b = CBatched::of(a);
    let n = b.rows;
    let vals = (0..b.count())
        .map(|i| {
            if n == 0 {
                one()
            } else {
                cd::clu(b.mat(i), n, n).det()
            }
        })
        .collect();
    from_c64(vals, &b.batch, a.dtype())
}

/// `linalg.slogdet` → (sign (complex, |sign| = 1 or 0), log|det| (real)).
pub fn complex_slogdet(a: &Tensor) -> Result<(Tensor, Tensor)> {
    check_square_complex(a, "linalg.slogdet")?;
    let b = CBatched::of(a);
    let n = b.rows;
    let (mut signs, mut logs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        let (s, l) = if n == 0 {
            (one(), 0.0)
        } else {
            cd::clu(b.mat(i), n, n).slogdet()
        };
        signs.push(s);
        logs.push(l);
    }
    Ok((
        from_c64(signs, &b.batch, a.dtype())?,
        from_f64(logs, &b.batch, a.dtype().to_real())?,
    ))
}

/// `linalg.lu_factor_ex` → (LU, pivots, info).
pub fn complex_lu_factor_ex(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    check_complex_matrix(a, "torch.lu_factor")?;
    let b = CBatched::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (mut vals, mut pivots, mut infos) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            infos.push(0);
            continue;
        }
        let lu = cd::clu(b.mat(i), m, n);
        push_crows(&mut vals, lu.packed.as_ref());
        pivots.extend_from_slice(&lu.pivots);
        infos.push(lu.info());
    }
    if k == 0 {
        vals = vec![zero(); b.data.len()];
    }
    Ok((
        from_c64(vals, a.shape(), a.dtype())?,
        lapack_ints(pivots, &shape_with(&b.batch, &[k]))?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// `linalg.lu` → (P, L, U) with `A = P L U`.
pub fn complex_lu(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    check_complex_matrix(a, "linalg.lu")?;
    let b = CBatched::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (mut ps, mut ls, mut us) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            ps.extend((0..m * m).map(|x| if x / m == x % m { one() } else { zero() }));
            continue;
        }
        let lu = cd::clu(b.mat(i), m, n);
        let mut p = vec![zero(); m * m];
        for (r, &src) in lu.perm.iter().enumerate() {
            p[src * m + r] = one();
        }
        ps.extend(p);
        for r in 0..m {
            for c in 0..k {
                ls.push(match r.cmp(&c) {
                    std::cmp::Ordering::Greater => lu.packed[(r, c)],
                    std::cmp::Ordering::Equal => one(),
                    std::cmp::Ordering::Less => zero(),
                });
            }
        }
        for r in 0..k {
            for c in 0..n {
                us.push(if c >= r { lu.packed[(r, c)] } else { zero() });
            }
        }
    }
    Ok((
        from_c64(ps, &shape_with(&b.batch, &[m, m]), a.dtype())?,
        from_c64(ls, &shape_with(&b.batch, &[m, k]), a.dtype())?,
        from_c64(us, &shape_with(&b.batch, &[k, n]), a.dtype())?,
    ))
}

/// `linalg.cholesky_ex` → (L, info), or U = L^H when `upper`; `name` is the function
/// its LinAlgError names.
pub fn complex_cholesky_ex(
    a: &Tensor,
    upper: bool,
    check_errors: bool,
    name: &str,
) -> Result<(Tensor, Tensor)> {
    check_square_complex(a, name)?;
    let b = CBatched::of(a);
    let n = b.rows;
    let (mut vals, mut infos) = (Vec::with_capacity(b.data.len()), Vec::new());
    for i in 0..b.count() {
        // The upper factor reads the upper triangle: U^H is the lower factor of A^H's.
        let mat: Vec<c64> = if upper {
            (0..n * n)
                .map(|x| b.mat(i)[(x % n) * n + x / n].conj())
                .collect()
        } else {
            b.mat(i).to_vec()
        };
        match cd::ccholesky_lower(&mat, n) {
            Ok(l) => {
                infos.push(0);
                for r in 0..n {
                    for c in 0..n {
                        let v = if upper { l[(c, r)].conj() } else { l[(r, c)] };
                        let keep = if upper { c >= r } else { c <= r };
                        vals.push(if keep { v } else { zero() });
                    }
                }
            }
            Err(order) => {
                if check_errors {
                    return Err(Error::linalg(format!(
                        "{name}: {}The factorization could not be completed because the input is not positive-definite (the leading minor of order {order} is not positive-definite).",
                        batch_prefix(a.ndim(), i)
                    )));
                }
                infos.push(order as i64);
                vals.extend(std::iter::repeat_n(zero(), n * n));
            }
        }
    }
    Ok((
        from_c64(vals, a.shape(), a.dtype())?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// `linalg.eigh` → (eigenvalues (real, ascending), eigenvectors).
pub fn complex_eigh(a: &Tensor, upper: bool) -> Result<(Tensor, Tensor)> {
    check_square_complex(a, "linalg.eigh")?;
    let b = CBatched::of(a);
    let n = b.rows;
    let (mut ws, mut vs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        if n == 0 {
            continue;
        }
        let (w, v) = cd::ceigh(b.mat(i), n, upper).ok_or_else(|| {
            Error::linalg(format!(
                "linalg.eigh: {}The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: {n}).",
                batch_prefix(a.ndim(), i)
            ))
        })?;
        ws.extend(w);
        push_crows(&mut vs, v.as_ref());
    }
    Ok((
        from_f64(ws, &shape_with(&b.batch, &[n]), a.dtype().to_real())?,
        from_c64(vs, a.shape(), a.dtype())?,
    ))
}

fn svd_failed() -> Error {
    Error::linalg(
        "linalg.svd: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values.",
    )
}

/// `linalg.svd` → (U, S (real, non-increasing), Vh); with `values_only` U and Vh are empty.
pub fn complex_svd(
    a: &Tensor,
    full_matrices: bool,
    values_only: bool,
) -> Result<(Tensor, Tensor, Tensor)> {
    check_complex_matrix(a, "linalg.svd")?;
    let b = CBatched::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let dtype = a.dtype();
    let real = dtype.to_real();
    if values_only {
        let mut ss = Vec::with_capacity(b.count() * k);
        for i in 0..b.count() {
            if k > 0 {
                ss.extend(cd::csingular_values(b.mat(i), m, n).ok_or_else(svd_failed)?);
            }
        }
        let empty = from_c64(vec![], &[0], dtype)?;
        return Ok((
            empty.clone(),
            from_f64(ss, &shape_with(&b.batch, &[k]), real)?,
            empty,
        ));
    }
    let (uc, vr) = if full_matrices { (m, n) } else { (k, k) };
    let (mut us, mut ss, mut vs) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            push_crows(&mut us, Mat::<c64>::identity(m, uc).as_ref());
            push_crows(&mut vs, Mat::<c64>::identity(vr, n).as_ref());
            continue;
        }
        let f = cd::csvd(b.mat(i), m, n, full_matrices).ok_or_else(svd_failed)?;
        push_crows(&mut us, f.u.as_ref());
        ss.extend(&f.s);
        push_crows(&mut vs, f.v.adjoint().to_owned().as_ref());
    }
    Ok((
        from_c64(us, &shape_with(&b.batch, &[m, uc]), dtype)?,
        from_f64(ss, &shape_with(&b.batch, &[k]), real)?,
        from_c64(vs, &shape_with(&b.batch, &[vr, n]), dtype)?,
    ))
}

/// `linalg.qr` → (Q, R) for `mode` "reduced", "complete" or "r" (Q empty).
pub fn complex_qr(a: &Tensor, mode: &str) -> Result<(Tensor, Tensor)> {
    let (compute_q, complete) = match mode {
        "reduced" => (true, false),
        "complete" => (true, true),
        "r" => (false, false),
        _ => {
            return Err(Error::runtime(format!(
                "qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
            )))
        }
    };
    check_complex_matrix(a, "linalg.qr")?;
    let b = CBatched::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (qc, rr) = if complete { (m, m) } else { (k, k) };
    let (mut qs, mut rs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        let (q, r) = if m == 0 || n == 0 {
            (Mat::<c64>::identity(m, qc), Mat::<c64>::zeros(rr, n))
        } else {
            cd::cqr(b.mat(i), m, n, complete)
        };
        push_crows(&mut qs, q.as_ref());
        push_crows(&mut rs, r.as_ref());
    }
    let q = if compute_q {
        from_c64(qs, &shape_with(&b.batch, &[m, qc]), a.dtype())?
    } else {
        from_c64(vec![], &[0], a.dtype())?
    };
    Ok((q, from_c64(rs, &shape_with(&b.batch, &[rr, n]), a.dtype())?))
}

/// `linalg.solve_triangular` of complex matrices (shapes checked by the caller).
pub fn complex_solve_triangular(
    a: &Tensor,
    b: &Tensor,
    upper: bool,
    left: bool,
    unitriangular: bool,
) -> Result<Tensor> {
    check_square_complex(a, "linalg.solve_triangular")?;
    let n = a.shape()[a.ndim() - 1];
    let (ae, be) = left_form(a, b, left)?;
    // A^T has the other triangle.
    let up = if left { upper } else { !upper };
    let (am, mut rhs) = (CBatched::of(&ae), CBatched::of(&be));
    let k = rhs.cols;
    let sz = n * k;
    for i in 0..am.count() {
        cd::csolve_triangular_left(
            am.mat(i),
            n,
            &mut rhs.data[i * sz..(i + 1) * sz],
            k,
            up,
            unitriangular,
        );
    }
    let x = from_c64(rhs.data, be.shape(), a.dtype())?;
    if left {
        Ok(x)
    } else {
        crate::ops::contiguous(&mt(&x)?)
    }
}
