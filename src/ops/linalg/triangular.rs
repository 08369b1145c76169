//! `linalg.solve_triangular` (`LinalgSolveTriangularBackward0`).

use super::dense::solve_triangular_left;
use super::{broadcast_batch, by_elem, kind_of, mh, mm, mt, Batched, Elem};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::{neg, reduce_grad, tri};
use crate::tensor::{DType, Tensor};

/// Solves `A X = B` (`left`) or `X A = B` for triangular A, reading only A's
/// `upper` or lower triangle (and not its diagonal when `unitriangular`).
pub fn solve_triangular(
    a: &Tensor,
    b: &Tensor,
    upper: bool,
    left: bool,
    unitriangular: bool,
) -> Result<Tensor> {
    let f = "linalg.solve_triangular";
    if a.ndim() < 2 || b.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{f}: The input tensor {} must have at least 2 dimensions.",
            if a.ndim() < 2 { "A" } else { "B" }
        )));
    }
    if !a.dtype().is_floating() && !matches!(a.dtype(), DType::C64 | DType::C128) {
        return Err(Error::not_implemented(format!(
            "\"triangular_solve_cpu\" not implemented for '{}'",
            a.dtype().kernel_name()
        )));
    }
    let kind = kind_of(a, f)?;
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "{f}: Expected A and B to have the same dtype, but found A of type {} and B of type {} instead",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
    }
    let nd = a.ndim();
    let (m, n) = (a.shape()[nd - 2], a.shape()[nd - 1]);
    if m != n {
        return Err(Error::runtime(format!(
            "{f}: A must be batches of square matrices, but they are {m} by {n} matrices"
        )));
    }
    let (br, bc) = (b.shape()[b.ndim() - 2], b.shape()[b.ndim() - 1]);
    if (left && br != n) || (!left && bc != n) {
        return Err(Error::runtime(format!(
            "{f}: Incompatible shapes of A and B for the equation {} ({n}x{n} and {br}x{bc})",
            if left { "AX = B" } else { "XA = B" }
        )));
    }
    let (ae, be) = {
        let _no = crate::autograd::GradModeGuard::new(false);
        let (ae, be) = broadcast_batch(a, b)?;
        if left {
            (ae, be)
        } else {
            (mt(&ae)?, mt(&be)?)
        }
    };
    // X A = B is A^T X^T = B^T, and A^T has the other triangle.
    let up = if left { upper } else { !upper };
    let mut x = by_elem!(kind, T => triangular_values::<T>(&ae, &be, up, unitriangular))?;
    if !left {
        let _no = crate::autograd::GradModeGuard::new(false);
        x = crate::ops::contiguous(&mt(&x)?)?.detached();
    }
    if needs_grad(&[a, b]) {
        let (a_shape, b_shape, dtype) = (a.shape().to_vec(), b.shape().to_vec(), a.dtype());
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::output(&x)];
        record(
            "LinalgSolveTriangularBackward0",
            &[a, b],
            &[&x],
            saved,
            move |ctx| {
                let (a, x) = (ctx.saved(0), ctx.saved(1));
                let gb = solve_triangular(&mh(a)?, ctx.grad(), !upper, left, unitriangular)?;
                let ga = if ctx.needs(0) {
                    let p = if left {
                        mm(&gb, &mh(x)?)?
                    } else {
                        mm(&mh(x)?, &gb)?
                    };
                    let d = unitriangular as i64;
                    let p = if upper {
                        tri(&p, d, true)?
                    } else {
                        tri(&p, -d, false)?
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
    Ok(x)
}

/// X with `A X = B` for each pair of triangular A (`n × n`) and B (`n × k`).
fn triangular_values<T: Elem>(ae: &Tensor, be: &Tensor, upper: bool, unit: bool) -> Result<Tensor> {
    let (am, mut rhs) = (Batched::<T>::of(ae), Batched::<T>::of(be));
    let (n, k) = (am.rows, rhs.cols);
    let sz = n * k;
    for i in 0..am.count() {
        solve_triangular_left(
            am.mat(i),
            n,
            &mut rhs.data[i * sz..(i + 1) * sz],
            k,
            upper,
            unit,
        );
    }
    super::lapack_layout(T::tensor(rhs.data, be.shape(), ae.dtype())?)
}
