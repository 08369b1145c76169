//! Cholesky: `linalg.cholesky_ex` (`LinalgCholeskyExBackward0`), `cholesky`
//! (`CholeskyBackward0`), `cholesky_solve`, `cholesky_inverse`.

use super::dense::cholesky_lower;
use super::elem::zero;
use super::{
    batch_prefix, by_elem, check_matrix, check_square, hermitian_of_triangle, lapack_ints,
    matrix_kind, mh, mm, mt, Batched, Elem,
};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{add, mul, scalar};
use crate::tensor::{Scalar, Tensor};

/// The factor L (or U = L^H when `upper`) of `A = L L^H`, with LAPACK's info: the
/// order of the first leading minor that is not positive-definite. `name` is the
/// function that errors name (`linalg.cholesky`, `cholesky`) and `node` the grad_fn.
pub fn cholesky_ex(
    a: &Tensor,
    upper: bool,
    check_errors: bool,
    name: &str,
    node: &'static str,
) -> Result<(Tensor, Tensor)> {
    let kind = matrix_kind(a, name)?;
    check_square(a, name)?;
    let (out, info) = by_elem!(kind, T => factor_values::<T>(a, upper, check_errors, name))?;
    if needs_grad(&[a]) {
        let saved = smallvec::smallvec![SavedTensor::output(&out)];
        record(node, &[a], &[&out], saved, move |ctx| {
            let (l, gl) = if upper {
                (mh(ctx.saved(0))?, mh(ctx.grad())?)
            } else {
                (ctx.saved(0).clone(), ctx.grad().clone())
            };
            // PyTorch's cholesky_backward: L^{-H} Φ L^{-1} made Hermitian, where Φ is
            // the lower triangle of L^H gL with its diagonal halved.
            let phi = hermitian_of_triangle(&mm(&mh(&l)?, &gl)?, false)?;
            let ga = mul(&phi, &scalar(Scalar::Float(0.5)))?;
            let ga = super::solve_triangular(&mh(&l)?, &ga, true, true, false)?;
            let ga = super::solve_triangular(&l, &ga, false, false, false)?;
            Ok(vec![Some(ga)])
        });
    }
    Ok((out, info))
}

fn factor_values<T: Elem>(
    a: &Tensor,
    upper: bool,
    check_errors: bool,
    name: &str,
) -> Result<(Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let mut vals = Vec::with_capacity(b.data.len());
    let mut infos = Vec::with_capacity(b.count());
    for i in 0..b.count() {
        // LAPACK's potrf reads the upper triangle for U: U^H is the lower factor of A^H.
        let mat: Vec<T> = if upper {
            (0..n * n)
                .map(|x| b.mat(i)[(x % n) * n + x / n].conjugate())
                .collect()
        } else {
            b.mat(i).to_vec()
        };
        let (l, info) = match cholesky_lower(&mat, n) {
            Ok(l) => (l, 0),
            Err(order) if check_errors => {
                return Err(Error::linalg(format!(
                    "{name}: {}The factorization could not be completed because the input is not positive-definite (the leading minor of order {order} is not positive-definite).",
                    batch_prefix(a.ndim(), i)
                )));
            }
            Err(order) => (unblocked_partial_lower(&mat, n), order as i64),
        };
        infos.push(info);
        for r in 0..n {
            for c in 0..n {
                let v = if r == c {
                    T::from_re(l[(r, r)].re_part()) // real, with a +0 imaginary part
                } else if upper {
                    l[(c, r)].conjugate()
                } else {
                    l[(r, c)]
                };
                let keep = if upper { c >= r } else { c <= r };
                vals.push(if keep { v } else { zero::<T>() });
            }
        }
    }
    Ok((
        super::lapack_layout(T::tensor(vals, a.shape(), a.dtype())?)?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// What LAPACK's unblocked `potf2` leaves in the lower triangle of a matrix that is not
/// positive-definite: the columns factored before the failing one, that column's
/// non-positive diagonal value, the rest of the lower triangle as given.
fn unblocked_partial_lower<T: Elem>(a: &[T], n: usize) -> faer::Mat<T> {
    let mut l = faer::Mat::from_fn(n, n, |i, j| a[i * n + j]);
    for j in 0..n {
        let mut d = l[(j, j)].re_part();
        for k in 0..j {
            let x = l[(j, k)];
            d -= (x * x.conjugate()).re_part();
        }
        if d.is_nan() || d <= 0.0 {
            l[(j, j)] = T::from_re(d);
            break;
        }
        let d = d.sqrt();
        l[(j, j)] = T::from_re(d);
        for i in j + 1..n {
            let mut v = l[(i, j)];
            for k in 0..j {
                let (x, y) = (l[(i, k)], l[(j, k)]);
                v -= x * y.conjugate();
            }
            l[(i, j)] = v / T::from_re(d);
        }
    }
    l
}

/// `cholesky_inverse(L)`: `(L L^T)^{-1}` (or `(U^T U)^{-1}`) from two triangular solves,
/// with PyTorch's `cholesky_inverse_backward`: `-(S L)` (or `-(U S)`) where
/// `S = C^{-1} (G + G^T) C^{-1}`; like PyTorch's, it does not mask the triangle the
/// forward never reads.
pub fn cholesky_inverse(l: &Tensor, upper: bool) -> Result<Tensor> {
    check_matrix(l, "cholesky_inverse")?;
    check_square(l, "cholesky_inverse")?;
    let out = {
        let _no_grad = crate::autograd::GradModeGuard::new(false);
        let n = l.shape()[l.ndim() - 1];
        let eye = super::eye_of(n, l.dtype())?;
        let lf = if upper { mt(l)? } else { l.clone() };
        // (L L^T)^{-1} = L^{-T} L^{-1}
        let linv = super::solve_triangular(&lf, &eye, false, true, false)?;
        super::lapack_layout(mm(&mt(&linv)?, &linv)?)?
    };
    if needs_grad(&[l]) {
        let saved = smallvec::smallvec![SavedTensor::input(l), SavedTensor::output(&out)];
        record(
            "CholeskyInverseBackward0",
            &[l],
            &[&out],
            saved,
            move |ctx| {
                let (l, inverse) = (ctx.saved(0), ctx.saved(1));
                let g = ctx.grad();
                let common = mm(inverse, &mm(&add(g, &mt(g)?)?, inverse)?)?;
                let gl = if upper {
                    mm(l, &common)?
                } else {
                    mm(&common, l)?
                };
                Ok(vec![Some(crate::ops::neg(&gl)?)])
            },
        );
    }
    Ok(out)
}

/// `cholesky_solve(B, L)`: solves `L L^T X = B` with two triangular solves.
pub fn cholesky_solve(b: &Tensor, l: &Tensor, upper: bool) -> Result<Tensor> {
    check_matrix(l, "cholesky_solve")?;
    let lf = if upper { mt(l)? } else { l.clone() };
    let y = super::solve_triangular(&lf, b, false, true, false)?;
    super::solve_triangular(&mt(&lf)?, &y, true, true, false)
}
