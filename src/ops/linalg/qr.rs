//! `linalg.qr` (`LinalgQrBackward0`).

use super::dense;
use super::{by_elem, hermitian_of_triangle, matrix_kind, mh, mm, shape_with, Batched, Elem};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{add, cat, narrow, sub};
use crate::tensor::Tensor;

/// `mode`: "reduced", "complete" or "r" (Q is then an empty tensor).
pub fn qr(a: &Tensor, mode: &str) -> Result<(Tensor, Tensor)> {
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
    let kind = matrix_kind(a, "linalg.qr")?;
    let (q, r) = by_elem!(kind, T => qr_values::<T>(a, compute_q, complete))?;
    let nd = a.ndim();
    let (m, n) = (a.shape()[nd - 2], a.shape()[nd - 1]);
    if needs_grad(&[a]) {
        let saved =
            smallvec::smallvec![SavedTensor::output_nr(&q, 0), SavedTensor::output_nr(&r, 1)];
        record("LinalgQrBackward0", &[a], &[&q, &r], saved, move |ctx| {
            if !compute_q {
                return Err(Error::runtime(
                    "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
                ));
            }
            if complete && m > n {
                return Err(Error::runtime(
                    "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
                ));
            }
            let (q, r) = (ctx.saved(0), ctx.saved(1));
            let (gq, gr) = (&ctx.grads[0], &ctx.grads[1]);
            Ok(vec![Some(qr_backward(gq, gr, q, r, m, n)?)])
        });
    }
    Ok((q, r))
}

/// (Q, R) of each matrix; Q is empty unless `compute_q`.
fn qr_values<T: Elem>(a: &Tensor, compute_q: bool, complete: bool) -> Result<(Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (qc, rr) = if complete { (m, m) } else { (k, k) };
    let (mut qs, mut rs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        let (q, r) = if m == 0 || n == 0 {
            (
                faer::Mat::<T>::identity(m, qc),
                faer::Mat::<T>::zeros(rr, n),
            )
        } else {
            dense::qr(b.mat(i), m, n, complete)
        };
        dense::push_rows(&mut qs, q.as_ref());
        dense::push_rows(&mut rs, r.as_ref());
    }
    let q = if compute_q {
        super::lapack_layout(T::tensor(qs, &shape_with(&b.batch, &[m, qc]), a.dtype())?)?
    } else {
        T::tensor(vec![], &[0], a.dtype())?
    };
    Ok((
        q,
        super::lapack_layout(T::tensor(rs, &shape_with(&b.batch, &[rr, n]), a.dtype())?)?,
    ))
}

/// PyTorch's linalg_qr_backward; wide matrices split R = [X | Y].
fn qr_backward(
    gq: &Tensor,
    gr: &Tensor,
    q: &Tensor,
    r: &Tensor,
    m: usize,
    n: usize,
) -> Result<Tensor> {
    if m >= n {
        return qr_backward_tall(gq, gr, q, r);
    }
    let (mi, ni) = (m as i64, n as i64);
    let x = narrow(r, -1, 0, mi)?;
    let gx = narrow(gr, -1, 0, mi)?;
    let gy = narrow(gr, -1, mi, ni - mi)?;
    // A = Q [X | Y]: Y = Q^H A_Y contributes A_Y gY^H to Q's gradient.
    let a_y = mm(q, &narrow(r, -1, mi, ni - mi)?)?;
    let gq2 = add(gq, &mm(&a_y, &mh(&gy)?)?)?;
    let gax = qr_backward_tall(&gq2, &gx, q, &x)?;
    cat(&[gax, mm(q, &gy)?], -1)
}

fn qr_backward_tall(gq: &Tensor, gr: &Tensor, q: &Tensor, r: &Tensor) -> Result<Tensor> {
    // M = gR R^H - Q^H gQ ; gA = (Q S + gQ) R^{-H}, where S is the Hermitian matrix with
    // M's upper triangle (and the real part of its diagonal).
    let mmat = sub(&mm(gr, &mh(r)?)?, &mm(&mh(q)?, gq)?)?;
    let sym = hermitian_of_triangle(&mmat, true)?;
    let ga = add(&mm(q, &sym)?, gq)?;
    super::solve_triangular(&mh(r)?, &ga, false, false, false)
}
