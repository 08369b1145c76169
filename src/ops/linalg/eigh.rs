//! `linalg.eigh` / `eigvalsh` (`LinalgEighBackward0`).

use super::dense;
use super::{
    by_elem, check_matrix, check_square, from_f64, kind_of, mm, mt, shape_with, Batched, Elem, Kind,
};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{add, diag_embed, div, mul, scalar, sub};
use crate::tensor::{DType, Scalar, Tensor};

/// Eigenvalues (ascending) and eigenvectors of symmetric matrices, read from the
/// lower triangle, or the upper one when `upper`. With `values_only` (eigvalsh) the
/// caller keeps only the eigenvalues.
pub fn eigh(a: &Tensor, upper: bool, _values_only: bool) -> Result<(Tensor, Tensor)> {
    check_square_input(a)?;
    if !a.dtype().is_floating() && !matches!(a.dtype(), DType::C64 | DType::C128) {
        return Err(Error::not_implemented(format!(
            "\"linalg_eigh_cpu\" not implemented for '{}'",
            a.dtype().kernel_name()
        )));
    }
    let kind = kind_of(a, "linalg.eigh")?;
    let (w, v) = by_elem!(kind, T => eigh_values::<T>(a, upper))?;
    if kind == Kind::Real && needs_grad(&[a]) {
        let saved =
            smallvec::smallvec![SavedTensor::output_nr(&w, 0), SavedTensor::output_nr(&v, 1)];
        record("LinalgEighBackward0", &[a], &[&w, &v], saved, |ctx| {
            let (w, v) = (ctx.saved(0), ctx.saved(1));
            let (gw, gv) = (&ctx.grads[0], &ctx.grads[1]);
            // Only the eigenvalues differentiated (PyTorch's undefined gV): V diag(gw) V^T.
            let inner = if super::all_zero(gv) {
                diag_embed(gw, 0, -2, -1)?
            } else {
                // skew(V^T gV) / 2 / E + diag(gw)
                let x = mm(&mt(v)?, gv)?;
                let half = mul(&sub(&x, &mt(&x)?)?, &scalar(Scalar::Float(0.5)))?;
                add(
                    &div(&half, &super::svd::gaps(w)?)?,
                    &diag_embed(gw, 0, -2, -1)?,
                )?
            };
            Ok(vec![Some(mm(v, &mm(&inner, &mt(v)?)?)?)])
        });
    }
    Ok((w, v))
}

/// (eigenvalues (real), eigenvectors) of each matrix.
fn eigh_values<T: Elem>(a: &Tensor, upper: bool) -> Result<(Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let (mut ws, mut vs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        if n == 0 {
            continue;
        }
        let (w, v) = dense::eigh(b.mat(i), n, upper).ok_or_else(|| {
            Error::linalg(format!(
                "linalg.eigh: {}The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: {n}).",
                super::batch_prefix(a.ndim(), i)
            ))
        })?;
        ws.extend(w);
        dense::push_rows(&mut vs, v.as_ref());
    }
    Ok((
        from_f64(ws, &shape_with(&b.batch, &[n]), a.dtype().to_real())?,
        super::lapack_layout(T::tensor(vs, a.shape(), a.dtype())?)?,
    ))
}

fn check_square_input(a: &Tensor) -> Result<()> {
    if a.ndim() < 2 {
        return check_matrix(a, "linalg.eigh");
    }
    check_square(a, "linalg.eigh")
}
