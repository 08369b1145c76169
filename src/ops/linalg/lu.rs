//! LU-based ops: det, slogdet, inv, solve, lu_factor.
//!

//! Each forward runs once, generic over the element type (`by_elem!`); float inputs
//! record their node here (inv and solve for complex ones too, one formula written
//! with conjugate transposes); the other complex nodes are recorded in
//! `ferrograd/linalg/_complex.py`.

use super::dense::{self, mat_of, push_rows};
use super::elem::{one, zero};
use super::{
    batch_prefix, broadcast_batch, by_elem, check_square, from_f64, lapack_ints, matrix_kind, mh,
    mm, mt, shape_with, Batched, Elem, Kind,
};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{add, mul, neg, reduce_grad, squeeze, sub, unsqueeze};
use crate::tensor::Tensor;

fn square_input(a: &Tensor, f: &str) -> Result<Kind> {
    let kind = matrix_kind(a, f)?;
    check_square(a, f)?;
    Ok(kind)
}

/// `g[..., None, None] * A^{-T}`: the gradient of det-like functions.
fn times_inv_t(g: &Tensor, a: &Tensor) -> Result<Tensor> {
    let g = unsqueeze(&unsqueeze(g, -1)?, -1)?;
    let out = mul(&g, &mt(&inv(a)?)?)?;
    if crate::autograd::mode::is_grad_enabled() {
        return Ok(out);
    }
    // PyTorch solves A^H X = g I, and LAPACK's substitution leaves a zero right-hand
    // side +0 where g * A^{-T} has -0: adding +0 turns those -0 into +0
    add(&out, &crate::ops::scalar(crate::tensor::Scalar::Float(0.0)))
}

/// PyTorch's det gradient: g det A^{-T}; for an exactly singular A zero, or under
/// create_graph the SVD form of g adj(A)^T (which differentiates again).
fn det_grad(g: &Tensor, a: &Tensor, det: &Tensor) -> Result<Tensor> {
    let g = unsqueeze(&unsqueeze(g, -1)?, -1)?;
    let b = Batched::<f64>::of(a);
    let n = b.rows;
    let singular: Vec<f64> = (0..b.count())
        .map(|i| {
            if n > 0 && dense::lu(b.mat(i), n, n).info() > 0 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    if !singular.iter().any(|&x| x > 0.0) {
        return mul(
            &mul(&g, &unsqueeze(&unsqueeze(det, -1)?, -1)?)?,
            &mt(&inv(a)?)?,
        );
    }
    if crate::autograd::is_grad_enabled() {
        let (u, s, vh) = super::svd(a, false, false)?;
        let k = s.shape()[s.ndim() - 1];
        let eye = super::eye_of(k, s.dtype())?;
        let off = sub(&crate::ops::ones_like(&eye)?, &eye)?;
        let spread = add(&mul(&unsqueeze(&s, -2)?, &off)?, &eye)?;
        let others = crate::ops::prod(&spread, Some(-1), false, None)?;
        let sign = mul(&self::det(&u)?, &self::det(&vh)?)?;
        let adj_t = mm(&mul(&u, &unsqueeze(&others, -2)?)?, &vh)?;
        return mul(&mul(&g, &unsqueeze(&unsqueeze(&sign, -1)?, -1)?)?, &adj_t);
    }
    // A singular matrix is swapped for the identity before inverting: its det = 0 zeroes it.
    let m = from_f64(singular, &shape_with(&b.batch, &[1, 1]), a.dtype())?;
    let keep = sub(&crate::ops::ones_like(&m)?, &m)?;
    let a_safe = add(&mul(a, &keep)?, &mul(&m, &super::eye_of(n, a.dtype())?)?)?;
    mul(
        &mul(&g, &unsqueeze(&unsqueeze(det, -1)?, -1)?)?,
        &mt(&inv(&a_safe)?)?,
    )
}

/// `linalg.det` (`LinalgDetBackward0`).
pub fn det(a: &Tensor) -> Result<Tensor> {
    let kind = square_input(a, "linalg.det")?;
    let out = by_elem!(kind, T => det_values::<T>(a))?;
    if kind == Kind::Real && needs_grad(&[a]) {
        let (lu, pivots) = factors_of(&mt(a)?)?;
        let saved = smallvec::smallvec![
            SavedTensor::input(a),
            SavedTensor::input(&lu),
            SavedTensor::input(&pivots),
            SavedTensor::output(&out)
        ];
        record("LinalgDetBackward0", &[a], &[&out], saved, |ctx| {
            Ok(vec![Some(det_grad(
                ctx.grad(),
                ctx.saved(0),
                ctx.saved(3),
            )?)])
        });
    }
    Ok(out)
}

fn det_values<T: Elem>(a: &Tensor) -> Result<Tensor> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let vals = (0..b.count())
        .map(|i| {
            if n == 0 {
                one::<T>()
            } else {
                dense::lu(b.mat(i), n, n).det()
            }
        })
        .collect();
    T::tensor(vals, &b.batch, a.dtype())
}

/// `linalg.slogdet` → (sign, logabsdet) (`LinalgSlogdetBackward0`).
pub fn slogdet(a: &Tensor) -> Result<(Tensor, Tensor)> {
    let kind = square_input(a, "linalg.slogdet")?;
    let (sign, logabs) = by_elem!(kind, T => slogdet_values::<T>(a))?;
    if kind == Kind::Real && needs_grad(&[a]) {
        let (lu, pivots) = factors_of(&mt(a)?)?;
        let saved = smallvec::smallvec![
            SavedTensor::input(a),
            SavedTensor::input(&lu),
            SavedTensor::input(&pivots),
            SavedTensor::output_nr(&sign, 0)
        ];
        record(
            "LinalgSlogdetBackward0",
            &[a],
            &[&sign, &logabs],
            saved,
            |ctx| {
                // The sign is not differentiable: with no gradient for logabsdet, PyTorch
                // gives the input no gradient at all (not zeros).
                if !ctx.defined.get(1).copied().unwrap_or(true) {
                    return Ok(vec![None]);
                }
                Ok(vec![Some(times_inv_t(&ctx.grads[1], ctx.saved(0))?)])
            },
        );
    }
    Ok((sign, logabs))
}

/// (sign (of `a`'s dtype), log|det| (real)) of each square matrix.
fn slogdet_values<T: Elem>(a: &Tensor) -> Result<(Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let (mut signs, mut logs) = (Vec::new(), Vec::new());
    for i in 0..b.count() {
        let (s, l) = if n == 0 {
            (one::<T>(), 0.0)
        } else {
            dense::lu(b.mat(i), n, n).slogdet()
        };
        signs.push(s);
        logs.push(l);
    }
    Ok((
        T::tensor(signs, &b.batch, a.dtype())?,
        from_f64(logs, &b.batch, a.dtype().to_real())?,
    ))
}

/// The LU factors and pivots PyTorch's det, slogdet and solve nodes keep
/// (`_saved_LU`, `_saved_pivots`): LAPACK's factorization of the column-major `a`.
fn factors_of(a: &Tensor) -> Result<(Tensor, Tensor)> {
    let _no = crate::autograd::GradModeGuard::new(false);
    let (lu, pivots, _) = lu_factor_ex(&a.detached())?;
    Ok((lu, pivots))
}

/// `linalg.inv`: raises LinAlgError for a singular matrix.
pub fn inv(a: &Tensor) -> Result<Tensor> {
    Ok(inv_ex(a, true)?.0)
}

/// `linalg.inv_ex` → (inverse, info) (`LinalgInvExBackward0`).
pub fn inv_ex(a: &Tensor, check_errors: bool) -> Result<(Tensor, Tensor)> {
    let kind = square_input(a, "linalg.inv")?;
    let (out, info) = by_elem!(kind, T => inv_values::<T>(a, check_errors))?;
    if needs_grad(&[a]) {
        let saved = smallvec::smallvec![SavedTensor::output(&out)];
        record("LinalgInvExBackward0", &[a], &[&out], saved, |ctx| {
            let inv_h = mh(ctx.saved(0))?;
            Ok(vec![Some(neg(&mm(&mm(&inv_h, ctx.grad())?, &inv_h)?)?)])
        });
    }
    Ok((out, info))
}

fn inv_values<T: Elem>(a: &Tensor, check_errors: bool) -> Result<(Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let n = b.rows;
    let mut vals = Vec::with_capacity(b.data.len());
    let mut infos = Vec::with_capacity(b.count());
    let eye = faer::Mat::<T>::identity(n, n);
    for i in 0..b.count() {
        if n == 0 {
            infos.push(0);
            continue;
        }
        let lu = dense::lu(b.mat(i), n, n);
        let info = lu.info();
        if info > 0 && check_errors {
            return Err(Error::linalg(format!(
                "linalg.inv: {}The diagonal element {info} is zero, the inversion could not be completed because the input matrix is singular.",
                batch_prefix(a.ndim(), i)
            )));
        }
        infos.push(info);
        push_rows(&mut vals, lu.solve(&eye).as_ref());
    }
    Ok((
        super::lapack_layout(T::tensor(vals, a.shape(), a.dtype())?)?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// PyTorch's rule: B is a (batch of) vector(s) when it is 1-D or has A's shape minus
/// the last dim.
pub fn solve_is_vector_rhs(a: &Tensor, b: &Tensor) -> bool {
    b.ndim() == 1 || (b.ndim() + 1 == a.ndim() && b.shape() == &a.shape()[..a.ndim() - 1])
}

/// `linalg.solve_ex(A, B, left)` → (result, info) (`LinalgSolveExBackward0`).
pub fn solve_ex(
    a: &Tensor,
    b: &Tensor,
    left: bool,
    check_errors: bool,
) -> Result<(Tensor, Tensor)> {
    let kind = square_input(a, "linalg.solve")?;
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type {} and B of type {} instead",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
    }
    if b.ndim() == 0 {
        return Err(Error::runtime(
            "linalg.solve: The input tensor B must have at least 1 dimensions.",
        ));
    }
    let vector = solve_is_vector_rhs(a, b);
    solve_impl(kind, a, b, left, vector, check_errors)
}

fn solve_impl(
    kind: Kind,
    a: &Tensor,
    b: &Tensor,
    left: bool,
    vector: bool,
    check_errors: bool,
) -> Result<(Tensor, Tensor)> {
    let bm = if vector { unsqueeze(b, -1)? } else { b.clone() };
    let n = a.shape()[a.ndim() - 1];
    let (br, bc) = (bm.shape()[bm.ndim() - 2], bm.shape()[bm.ndim() - 1]);
    if (left && br != n) || (!left && bc != n) {
        return Err(Error::runtime(format!(
            "linalg.solve: Incompatible shapes of A and B for the equation {} ({n}x{n} and {br}x{bc})",
            if left { "AX = B" } else { "XA = B" }
        )));
    }
    let (ae, be) = {
        let _no = crate::autograd::GradModeGuard::new(false);
        let (ae, be) = broadcast_batch(a, &bm)?;
        // XA = B is A^T X^T = B^T.
        if left {
            (ae, be)
        } else {
            (mt(&ae)?, mt(&be)?)
        }
    };
    let (mut x, info) = by_elem!(kind, T => solve_values::<T>(&ae, &be, check_errors))?;
    {
        let _no = crate::autograd::GradModeGuard::new(false);
        if !left {
            x = crate::ops::contiguous(&mt(&x)?)?;
        }
        if vector {
            x = squeeze(&x, Some(&[-1]), false)?;
        }
        x = x.detached();
    }
    if needs_grad(&[a, b]) {
        let (a_shape, b_shape, dtype) = (a.shape().to_vec(), b.shape().to_vec(), a.dtype());
        let (lu, pivots) = factors_of(a)?;
        let saved = smallvec::smallvec![
            SavedTensor::input(a),
            SavedTensor::input(&lu),
            SavedTensor::input(&pivots),
            SavedTensor::output(&x)
        ];
        record(
            "LinalgSolveExBackward0",
            &[a, b],
            &[&x],
            saved,
            move |ctx| {
                let (a, x) = (ctx.saved(0), ctx.saved(3));
                let gb = solve_impl(kind, &mh(a)?, ctx.grad(), left, vector, true)?.0;
                let ga = if ctx.needs(0) {
                    let (gbm, xm) = if vector {
                        (unsqueeze(&gb, -1)?, unsqueeze(x, -1)?)
                    } else {
                        (gb.clone(), x.clone())
                    };
                    let p = if left {
                        mm(&gbm, &mh(&xm)?)?
                    } else {
                        mm(&mh(&xm)?, &gbm)?
                    };
                    Some(reduce_grad(&neg(&p)?, &a_shape, dtype)?)
                } else {
                    None
                };
                let gb = if ctx.needs(1) {
                    Some(reduce_grad(&gb, &b_shape, dtype)?)
                } else {
                    None
                };
                Ok(vec![ga, gb])
            },
        );
    }
    crate::autograd::record::save_args_for(&x, "LinalgSolveExBackward0", || {
        vec![("left", crate::autograd::node::SavedArg::Bool(left))]
    });
    Ok((x, info))
}

/// X with `A X = B` for each pair of square A and B (`n × k`), batch dims alike.
fn solve_values<T: Elem>(ae: &Tensor, be: &Tensor, check_errors: bool) -> Result<(Tensor, Tensor)> {
    let (am, rhs) = (Batched::<T>::of(ae), Batched::<T>::of(be));
    let (n, k) = (am.rows, rhs.cols);
    let mut vals = Vec::with_capacity(rhs.data.len());
    let mut infos = Vec::with_capacity(am.count());
    for i in 0..am.count() {
        if n == 0 {
            infos.push(0);
            continue;
        }
        let lu = dense::lu(am.mat(i), n, n);
        let info = lu.info();
        if info > 0 && check_errors {
            return Err(Error::linalg(format!(
                "torch.linalg.solve: {}The solver failed because the input matrix is singular.",
                batch_prefix(ae.ndim(), i)
            )));
        }
        infos.push(info);
        push_rows(&mut vals, lu.solve(&mat_of(rhs.mat(i), n, k)).as_ref());
    }
    Ok((
        super::lapack_layout(T::tensor(
            vals,
            &shape_with(&am.batch, &[n, k]),
            ae.dtype(),
        )?)?,
        lapack_ints(infos, &am.batch)?,
    ))
}

/// `linalg.lu_factor_ex` → (LU, pivots, info), not differentiable here.
pub fn lu_factor_ex(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let kind = matrix_kind(a, "torch.lu_factor")?;
    by_elem!(kind, T => lu_factor_values::<T>(a))
}

fn lu_factor_values<T: Elem>(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (mut vals, mut pivots, mut infos) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            infos.push(0);
            continue;
        }
        let lu = dense::lu(b.mat(i), m, n);
        push_rows(&mut vals, lu.packed.as_ref());
        pivots.extend_from_slice(&lu.pivots);
        infos.push(lu.info());
    }
    if k == 0 {
        vals = vec![zero::<T>(); b.data.len()];
    }
    Ok((
        super::lapack_layout(T::tensor(vals, a.shape(), a.dtype())?)?,
        lapack_ints(pivots, &shape_with(&b.batch, &[k]))?,
        lapack_ints(infos, &b.batch)?,
    ))
}

/// `linalg.lu` → (P, L, U) with `A = P L U`, not differentiable here.
pub fn lu_plu(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let kind = matrix_kind(a, "linalg.lu")?;
    by_elem!(kind, T => plu_values::<T>(a))
}

fn plu_values<T: Elem>(a: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let b = Batched::<T>::of(a);
    let (m, n) = (b.rows, b.cols);
    let k = m.min(n);
    let (mut ps, mut ls, mut us) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..b.count() {
        if k == 0 {
            ps.extend((0..m * m).map(|x| {
                if x / m == x % m {
                    one::<T>()
                } else {
                    zero::<T>()
                }
            }));
            continue;
        }
        let lu = dense::lu(b.mat(i), m, n);
        // P A = L U as perm; A = P^T L U: column perm[r] of P^T... row perm[r] of P^T is e_r.
        let mut p = vec![zero::<T>(); m * m];
        for (r, &src) in lu.perm.iter().enumerate() {
            p[src * m + r] = one::<T>();
        }
        ps.extend(p);
        for r in 0..m {
            for c in 0..k {
                ls.push(match r.cmp(&c) {
                    std::cmp::Ordering::Greater => lu.packed[(r, c)],
                    std::cmp::Ordering::Equal => one::<T>(),
                    std::cmp::Ordering::Less => zero::<T>(),
                });
            }
        }
        for r in 0..k {
            for c in 0..n {
                us.push(if c >= r {
                    lu.packed[(r, c)]
                } else {
                    zero::<T>()
                });
            }
        }
    }
    Ok((
        T::tensor(ps, &shape_with(&b.batch, &[m, m]), a.dtype())?,
        T::tensor(ls, &shape_with(&b.batch, &[m, k]), a.dtype())?,
        T::tensor(us, &shape_with(&b.batch, &[k, n]), a.dtype())?,
    ))
}
