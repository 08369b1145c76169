//! SVD and what is built on it: `linalg.svd`/`svdvals` (`LinalgSvdBackward0`),
//! `linalg.pinv` (`LinalgPinvBackward0`), `linalg.lstsq` (`LinalgLstsqBackward0`).

use super::dense::{self, push_rows};
use super::{
    broadcast_batch, by_elem, eps_of, from_f64, from_i64, matrix_kind, mm, mt, shape_with, Batched,
    Elem, Kind,
};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{add, diag_embed, div, mul, narrow, neg, reduce_grad, squeeze, sub, unsqueeze};
use crate::tensor::{DType, Tensor};

/// LAPACK's failure on a matrix holding NaN or infinity, which PyTorch words apart.
fn non_finite_input(f: &str) -> Error {
    Error::linalg(format!(
        "{f}: The algorithm failed to converge because the input matrix contained non-finite values."
    ))
}

/// PyTorch's error when LAPACK's SVD of `mat` did not converge.
fn svd_failure<T: Elem>(f: &str, mat: &[T]) -> Error {
    let finite = |x: &T| x.re_part().is_finite() && x.im_part().is_finite();
    if mat.iter().all(finite) {
        no_convergence(f)
    } else {
        non_finite_input(f)
    }
}

fn no_convergence(f: &str) -> Error {
    Error::linalg(format!(
        "{f}: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values."
    ))
}

/// `linalg.svd(A, full_matrices)` → (U, S, Vh). With `values_only` (svdvals) only S
/// is meant for the caller; U and Vh are still computed when S needs a gradient.
pub fn svd(a: &Tensor, full_matrices: bool, values_only: bool) -> Result<(Tensor, Tensor, Tensor)> {
    let kind = matrix_kind(a, "linalg.svd")?;
    let grad = kind == Kind::Real && needs_grad(&[a]);
    let full = full_matrices && !values_only;
    let (u, s, vh) = by_elem!(kind, T => svd_values::<T>(a, full, values_only && !grad))?;
    let nd = a.ndim();
    let (m, n) = (a.shape()[nd - 2], a.shape()[nd - 1]);
    let k = m.min(n);
    if grad {
        let saved = vec![
            SavedTensor::output_nr(&u, 0),
            SavedTensor::output_nr(&s, 1),
            SavedTensor::output_nr(&vh, 2),
        ];
        record(
            "LinalgSvdBackward0",
            &[a],
            &[&u, &s, &vh],
            saved,
            move |ctx| {
                let (mut u, s, mut vh) = (ctx.saved(0).clone(), ctx.saved(1), ctx.saved(2).clone());
                let (mut gu, gs, mut gvh) =
                    (ctx.grads[0].clone(), &ctx.grads[1], ctx.grads[2].clone());
                if k == 0 {
                    // A has no elements: an empty product of the factors, so that under
                    // create_graph the gradient is in the graph as PyTorch's
                    let ki = k as i64;
                    return Ok(vec![Some(mm(
                        &narrow(&u, -1, 0, ki)?,
                        &narrow(&vh, -2, 0, ki)?,
                    )?)]);
                }
                if full {
                    let ki = k as i64;
                    u = narrow(&u, -1, 0, ki)?;
                    gu = narrow(&gu, -1, 0, ki)?;
                    vh = narrow(&vh, -2, 0, ki)?;
                    gvh = narrow(&gvh, -2, 0, ki)?;
                }
                if super::all_zero(&gu) && super::all_zero(&gvh) {
                    // Only S is differentiated (PyTorch's undefined gU, gVh): U diag(gS) Vh,
                    // which also stays finite for repeated singular values.
                    return Ok(vec![Some(mm(&mul(&u, &unsqueeze(gs, -2)?)?, &vh)?)]);
                }
                Ok(vec![Some(svd_backward(&gu, gs, &gvh, &u, s, &vh, m, n)?)])
            },
        );
    }
    Ok((u, s, vh))
}

/// (U, S (real), Vh) of each matrix; only S (U and Vh empty) when `values_only`.
fn svd_values<T: Elem>(
    a: &Tensor,
    full: bool,
    values_only: bool,
) -> Result<(Tensor, Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (dtype, real) = (a.dtype(), a.dtype().to_real());
    if values_only {
        let mut ss = Vec::with_capacity(b.count() * k);
        for i in 0..b.count() {
            if k > 0 {
                ss.extend(
                    dense::singular_values(b.mat(i), m, n)
                        .ok_or_else(|| svd_failure("linalg.svd", b.mat(i)))?,
                );
            }
        }
        let s = from_f64(ss, &shape_with(&b.batch, &[k]), real)?;
        let empty = T::tensor(vec![], &[0], dtype)?;
        return Ok((empty.clone(), s, empty));
    }
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    let (mut us, mut ss, mut vs) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            push_rows(&mut us, faer::Mat::<T>::identity(m, uc).as_ref());
            push_rows(&mut vs, faer::Mat::<T>::identity(vr, n).as_ref());
            continue;
        }
        let f =
            dense::svd(b.mat(i), m, n, full).ok_or_else(|| svd_failure("linalg.svd", b.mat(i)))?;
        push_rows(&mut us, f.u.as_ref());
        ss.extend(&f.s);
        push_rows(&mut vs, f.v.adjoint().to_owned().as_ref());
    }
    Ok((
        super::lapack_layout(T::tensor(us, &shape_with(&b.batch, &[m, uc]), dtype)?)?,
        from_f64(ss, &shape_with(&b.batch, &[k]), real)?,
        super::lapack_layout(T::tensor(vs, &shape_with(&b.batch, &[vr, n]), dtype)?)?,
    ))
}

/// `X - X^T`.
fn skew(x: &Tensor) -> Result<Tensor> {
    sub(x, &mt(x)?)
}

/// `E[i, j] = w[j] - w[i]`, with ones on the diagonal.
pub(crate) fn gaps(w: &Tensor) -> Result<Tensor> {
    let k = w.shape()[w.ndim() - 1];
    let e = sub(&unsqueeze(w, -2)?, &unsqueeze(w, -1)?)?;
    add(&e, &super::eye_of(k, w.dtype())?)
}

/// PyTorch's svd_backward (real case), for the thin factors.
#[allow(clippy::too_many_arguments)]
fn svd_backward(
    gu: &Tensor,
    gs: &Tensor,
    gvh: &Tensor,
    u: &Tensor,
    s: &Tensor,
    vh: &Tensor,
    m: usize,
    n: usize,
) -> Result<Tensor> {
    let v = mt(vh)?;
    let gv = mt(gvh)?;
    let uhgu = skew(&mm(&mt(u)?, gu)?)?;
    let vhgv = skew(&mm(vh, &gv)?)?;
    let e = gaps(&mul(s, s)?)?;
    let s_row = unsqueeze(s, -2)?;
    let s_col = unsqueeze(s, -1)?;
    let mut ga = div(&add(&mul(&uhgu, &s_row)?, &mul(&s_col, &vhgv)?)?, &e)?;
    ga = add(&ga, &diag_embed(gs, 0, -2, -1)?)?;
    if m > n {
        // gA = [U gA + (I - U U^T) gU S^{-1}] V^T
        let gu_sinv = div(gu, &s_row)?;
        ga = add(
            &mm(u, &ga)?,
            &sub(&gu_sinv, &mm(u, &mm(&mt(u)?, &gu_sinv)?)?)?,
        )?;
        mm(&ga, vh)
    } else if m < n {
        // gA = U [gA V^T + S^{-1} gV^T (I - V V^T)]
        let sinv_gvh = div(gvh, &s_col)?;
        ga = add(
            &mm(&ga, vh)?,
            &sub(&sinv_gvh, &mm(&mm(&sinv_gvh, &v)?, vh)?)?,
        )?;
        mm(u, &ga)
    } else {
        mm(u, &mm(&ga, vh)?)
    }
}

/// PyTorch's pinv_backward: the gradient of `pinv(A)` given `pinvA`.
pub(crate) fn pinv_backward(g: &Tensor, pinv_a: &Tensor, a: &Tensor) -> Result<Tensor> {
    let (m, n) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    let pinv_ah = mt(pinv_a)?;
    let gh = mt(g)?;
    if m <= n {
        let k = mm(&gh, pinv_a)?;
        let k_pinv_ah = mm(&k, &pinv_ah)?;
        let t1 = neg(&mt(&mm(pinv_a, &k)?)?)?;
        let t3 = mm(&mm(a, pinv_a)?, &k_pinv_ah)?;
        let t4 = mm(&mm(&pinv_ah, pinv_a)?, &sub(&gh, &mm(&k, a)?)?)?;
        add(&sub(&add(&t1, &k_pinv_ah)?, &t3)?, &t4)
    } else {
        let k = mm(pinv_a, &gh)?;
        let pinv_ah_k = mm(&pinv_ah, &k)?;
        let t1 = neg(&mt(&mm(&k, pinv_a)?)?)?;
        let t2 = mm(&mm(&sub(&gh, &mm(a, &k)?)?, pinv_a)?, &pinv_ah)?;
        let t4 = mm(&mm(&pinv_ah_k, pinv_a)?, a)?;
        sub(&add(&add(&t1, &t2)?, &pinv_ah_k)?, &t4)
    }
}

/// PyTorch's defaults: rtol = eps·max(m, n) unless atol > 0 is given alone.
fn tolerances(
    atol: Option<f64>,
    rtol: Option<f64>,
    dtype: DType,
    m: usize,
    n: usize,
) -> (f64, f64) {
    let default_rtol = eps_of(dtype) * m.max(n) as f64;
    match (atol, rtol) {
        (None, None) => (0.0, default_rtol),
        (Some(a), None) => (a, if a > 0.0 { 0.0 } else { default_rtol }),
        (a, Some(r)) => (a.unwrap_or(0.0), r),
    }
}

/// `linalg.pinv(A, atol, rtol, hermitian)` (`LinalgPinvBackward0`).
pub fn pinv(a: &Tensor, atol: Option<f64>, rtol: Option<f64>, hermitian: bool) -> Result<Tensor> {
    if a.ndim() < 2 || !a.dtype().is_floating() {
        return Err(Error::runtime(format!(
            "linalg.pinv({}{{[{}]}}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types",
            a.dtype().kernel_name(),
            a.shape().iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
        )));
    }
    if hermitian {
        super::check_square(a, "linalg.pinv")?;
    }
    let b = Batched::<f64>::of(a);
    let (m, n) = (b.rows, b.cols);
    let (atol, rtol) = tolerances(atol, rtol, a.dtype(), m, n);
    let mut vals = Vec::with_capacity(b.count() * m * n);
    for i in 0..b.count() {
        let mut p = faer::Mat::<f64>::zeros(n, m);
        if m > 0 && n > 0 {
            let (left, w, right) = if hermitian {
                let (w, v) =
                    dense::eigh(b.mat(i), n, false).ok_or_else(|| no_convergence("linalg.eigh"))?;
                (v.clone(), w, v)
            } else {
                let f = dense::svd(b.mat(i), m, n, false)
                    .ok_or_else(|| no_convergence("linalg.svd"))?;
                (f.u, f.s, f.v)
            };
            let smax = w.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
            let tol = atol.max(rtol * smax);
            // pinv = right diag(1/w) left^T over the kept values
            for (j, &wj) in w.iter().enumerate() {
                if wj.abs() > tol {
                    for r in 0..n {
                        for c in 0..m {
                            p[(r, c)] += right[(r, j)] * left[(c, j)] / wj;
                        }
                    }
                }
            }
        }
        push_rows(&mut vals, p.as_ref());
    }
    let out = from_f64(vals, &shape_with(&b.batch, &[n, m]), a.dtype())?;
    if needs_grad(&[a]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::output(&out)];
        record("LinalgPinvBackward0", &[a], &[&out], saved, |ctx| {
            Ok(vec![Some(pinv_backward(
                ctx.grad(),
                ctx.saved(1),
                ctx.saved(0),
            )?)])
        });
    }
    Ok(out)
}

/// `linalg.lstsq(A, B, rcond)` → (solution, rank, singular values): the minimum-norm
/// solution over the singular values above `rcond · σ_max` (`LinalgLstsqBackward0`).
pub fn lstsq(a: &Tensor, b: &Tensor, rcond: Option<f64>) -> Result<(Tensor, Tensor, Tensor)> {
    let f = "torch.linalg.lstsq";
    if !a.dtype().is_floating() || !b.dtype().is_floating() {
        return Err(Error::runtime(
            "This function doesn't handle types other than float and double",
        ));
    }
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "{f}: Expected input and other to have the same dtype, but got input's dtype {} and other's dtype {}",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
    }
    if a.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{f}: input must have at least 2 dimensions."
        )));
    }
    if b.ndim() < 1 {
        return Err(Error::runtime(format!(
            "{f}: other must have at least 1 dimension."
        )));
    }
    let vector = super::solve_is_vector_rhs(a, b);
    let bm = if vector { unsqueeze(b, -1)? } else { b.clone() };
    let (m, n) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    if bm.shape()[bm.ndim() - 2] != m {
        return Err(Error::runtime(format!(
            "{f}: input.size(-2) should match other.size(-2)"
        )));
    }
    let (ae, be) = {
        let _no = crate::autograd::GradModeGuard::new(false);
        broadcast_batch(a, &bm)?
    };
    let rcond = rcond.unwrap_or(eps_of(a.dtype()) * m.max(n) as f64);
    let (am, rhs) = (Batched::<f64>::of(&ae), Batched::<f64>::of(&be));
    let k = rhs.cols;
    let (mut xs, mut ranks, mut svs) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..am.count() {
        let mut x = faer::Mat::<f64>::zeros(n, k);
        let mut rank = 0i64;
        if m > 0 && n > 0 {
            let svd =
                dense::svd(am.mat(i), m, n, false).ok_or_else(|| no_convergence("linalg.lstsq"))?;
            let smax = svd.s.first().copied().unwrap_or(0.0);
            let bi = dense::mat_of(rhs.mat(i), m, k);
            for (j, &sj) in svd.s.iter().enumerate() {
                if sj > rcond * smax {
                    rank += 1;
                    for c in 0..k {
                        let dot: f64 = (0..m).map(|r| svd.u[(r, j)] * bi[(r, c)]).sum();
                        for r in 0..n {
                            x[(r, c)] += svd.v[(r, j)] * dot / sj;
                        }
                    }
                }
            }
            svs.extend(&svd.s);
        }
        ranks.push(rank);
        push_rows(&mut xs, x.as_ref());
    }
    let mut x = super::lapack_layout(from_f64(xs, &shape_with(&am.batch, &[n, k]), a.dtype())?)?;
    if vector {
        x = squeeze(&x, Some(&[-1]), false)?.detached();
    }
    let rank = from_i64(ranks, &am.batch)?;
    let sv = from_f64(svs, &shape_with(&am.batch, &[m.min(n)]), a.dtype())?;
    if needs_grad(&[a, b]) {
        let (a_shape, b_shape, dtype) = (a.shape().to_vec(), b.shape().to_vec(), a.dtype());
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record("LinalgLstsqBackward0", &[a, b], &[&x], saved, move |ctx| {
            let (a, b) = (ctx.saved(0), ctx.saved(1));
            let (gx, bm) = if vector {
                (unsqueeze(ctx.grad(), -1)?, unsqueeze(b, -1)?)
            } else {
                (ctx.grad().clone(), b.clone())
            };
            let pinv_a = pinv(a, None, None, false)?;
            let ga = if ctx.needs(0) {
                let g = pinv_backward(&mm(&gx, &mt(&bm)?)?, &pinv_a, a)?;
                Some(reduce_grad(&g, &a_shape, dtype)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                let mut g = mm(&mt(&pinv_a)?, &gx)?;
                if vector {
                    g = squeeze(&g, Some(&[-1]), false)?;
                }
                Some(reduce_grad(&g, &b_shape, dtype)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok((x, rank, sv))
}
