//! `torch.linalg`: factorizations on faer (in f64, cast back to the input's dtype) and
//! their backward formulas (PyTorch's, written with ops so that they differentiate).

pub mod cholesky;
pub mod dense;
pub mod eigh;
pub(crate) mod elem;
pub mod householder;
pub mod ldl;
pub mod lu;
pub mod products;
pub mod qr;
pub mod svd;
pub mod triangular;

pub use cholesky::*;
pub use eigh::*;
pub use householder::*;
pub use ldl::*;
pub use lu::*;
pub use products::*;
pub use qr::*;
pub use svd::*;
pub use triangular::*;

use crate::error::{Error, Result};
use crate::tensor::{layout::broadcast_shapes, DType, Tensor};

pub(crate) use elem::{by_elem, kind_of, matrix_kind, Batched, Elem, Kind};

/// A tensor of `dtype` from f64 values.
pub(crate) fn from_f64(v: Vec<f64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
    f64::tensor(v, shape, dtype)
}

pub(crate) fn from_i64(v: Vec<i64>, shape: &[usize]) -> Result<Tensor> {
    Tensor::from_vec(v, shape)
}

/// LAPACK's `info` and `ipiv` outputs, which PyTorch returns as int32.
pub(crate) fn lapack_ints(v: Vec<i64>, shape: &[usize]) -> Result<Tensor> {
    Tensor::from_vec(v.into_iter().map(|x| x as i32).collect::<Vec<i32>>(), shape)
}

pub(crate) fn shape_with(batch: &[usize], tail: &[usize]) -> Vec<usize> {
    let mut s = batch.to_vec();
    s.extend_from_slice(tail);
    s
}

/// At least 2-D, of a floating dtype.
pub(crate) fn check_matrix(t: &Tensor, f: &str) -> Result<()> {
    if t.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{f}: The input tensor A must have at least 2 dimensions."
        )));
    }
    check_float(t, f)
}

pub(crate) fn check_float(t: &Tensor, f: &str) -> Result<()> {
    if !t.dtype().is_floating() {
        return Err(Error::runtime(format!(
            "{f}: Expected a floating point or complex tensor as input. Got {}",
            t.dtype().kernel_name()
        )));
    }
    Ok(())
}

pub(crate) fn check_square(t: &Tensor, f: &str) -> Result<()> {
    let nd = t.ndim();
    let (m, n) = (t.shape()[nd - 2], t.shape()[nd - 1]);
    if m != n {
        return Err(Error::runtime(format!(
            "{f}: A must be batches of square matrices, but they are {m} by {n} matrices"
        )));
    }
    Ok(())
}

/// `(Batch element i): ` when the input has batch dims, as LAPACK errors are reported.
pub(crate) fn batch_prefix(ndim: usize, i: usize) -> String {
    if ndim > 2 {
        format!("(Batch element {i}): ")
    } else {
        String::new()
    }
}

/// `t.mT`.
pub(crate) fn mt(t: &Tensor) -> Result<Tensor> {
    crate::ops::transpose(t, -2, -1)
}

/// `t.mH`: the conjugate transpose, which is the transpose of a real tensor; a backward
/// formula written with it serves float and complex inputs alike.
pub(crate) fn mh(t: &Tensor) -> Result<Tensor> {
    let tt = mt(t)?;
    if t.dtype().is_complex() {
        crate::ops::complex_math::conj_physical(&tt, "ConjBackward0")
    } else {
        Ok(tt)
    }
}

/// `P + P^H`, P being `m`'s upper (or lower) triangle with its diagonal halved: the
/// Hermitian matrix with that triangle of `m` and the real part of its diagonal.
pub(crate) fn hermitian_of_triangle(m: &Tensor, upper: bool) -> Result<Tensor> {
    use crate::ops::{diag_embed, diagonal, mul, scalar, sub, tri};
    let diag = diag_embed(&diagonal(m, 0, -2, -1)?, 0, -2, -1)?;
    let half_diag = mul(&diag, &scalar(crate::tensor::Scalar::Float(0.5)))?;
    let p = sub(&tri(m, 0, upper)?, &half_diag)?;
    crate::ops::add(&p, &mh(&p)?)
}

pub(crate) fn mm(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    crate::ops::matmul(a, b)
}

/// Expands a and b (`*, r, c`) to their broadcast batch dims.
pub(crate) fn broadcast_batch(a: &Tensor, b: &Tensor) -> Result<(Tensor, Tensor)> {
    let (na, nb) = (a.ndim(), b.ndim());
    let batch = broadcast_shapes(&a.shape()[..na - 2], &b.shape()[..nb - 2])?;
    let ex = |t: &Tensor, nd: usize| -> Result<Tensor> {
        let mut s: Vec<i64> = batch.iter().map(|&x| x as i64).collect();
        s.extend([t.shape()[nd - 2] as i64, t.shape()[nd - 1] as i64]);
        crate::ops::expand(t, &s)
    };
    Ok((ex(a, na)?, ex(b, nb)?))
}

/// The identity matrix of `t`'s dtype.
pub(crate) fn eye_of(n: usize, dtype: DType) -> Result<Tensor> {
    crate::ops::eye(n, n, dtype)
}

pub(crate) fn eps_of(dtype: DType) -> f64 {
    if dtype == DType::F32 {
        f32::EPSILON as f64
    } else {
        f64::EPSILON
    }
}

/// Whether every element is zero: how a backward tells an output nobody differentiated
/// (the engine passes zeros for it) from one that was.
pub(crate) fn all_zero(t: &Tensor) -> bool {
    t.to_vec::<f64>().iter().all(|&x| x == 0.0)
}

/// `t`'s values laid out as LAPACK returns them: each matrix column-major
/// (`stride() == (.., 1, rows)`), as PyTorch's results of the factorizations and solves.
/// A fresh tensor, not a view.
pub(crate) fn lapack_layout(t: Tensor) -> Result<Tensor> {
    let nd = t.ndim();
    if nd < 2 {
        return Ok(t);
    }
    let _no = crate::autograd::GradModeGuard::new(false);
    let columns = super::contiguous(&super::transpose(&t, -2, -1)?)?;
    let mut layout = columns.layout().clone();
    layout.shape.swap(nd - 2, nd - 1);
    layout.strides.swap(nd - 2, nd - 1);
    Ok(columns.view_with_layout(layout))
}
