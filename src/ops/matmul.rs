//! Matrix products with PyTorch's `matmul` dimension rules.

use super::view::{expand, reshape_to, squeeze_dims_named, transpose, unsafe_view, unsqueeze};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::matmul::{gemm, MatRef};
use crate::tensor::{DType, Tensor};

fn check_same_dtype(a: &Tensor, b: &Tensor) -> Result<()> {
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "expected m1 and m2 to have the same dtype, but got: {} != {}",
            a.dtype()
                .name()
                .replace("float32", "float")
                .replace("float64", "double")
                .replace("int64", "long"),
            b.dtype()
                .name()
                .replace("float32", "float")
                .replace("float64", "double")
                .replace("int64", "long")
        )));
    }
    if a.dtype() == DType::Bool {
        return Err(Error::not_implemented(
            "\"addmm_impl_cpu_\" not implemented for 'Bool'",
        ));
    }
    Ok(())
}

/// Raw `m×k @ k×n` on 2-D tensors of one dtype.
fn mm_raw(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_floating() && a.dtype().is_narrow() {
        // float16/bfloat16 accumulate in float32, rounding once at the end
        let wide = |t: &Tensor| super::cast::cast_raw(t, DType::F32);
        return Ok(super::cast::cast_raw(
            &mm_raw(&wide(a), &wide(b))?,
            a.dtype(),
        ));
    }
    let (m, k, n) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    let ar = MatRef {
        offset: a.storage_offset(),
        rs: a.strides()[0],
        cs: a.strides()[1],
    };
    let br = MatRef {
        offset: b.storage_offset(),
        rs: b.strides()[0],
        cs: b.strides()[1],
    };
    let ga = a.storage().read();
    let gb = b.storage().read();
    let out = crate::with_dtype!(a.dtype(), T => {
        crate::tensor::Element::into_buffer(gemm::<T>(m, k, n, ga.as_slice::<T>(), ar, gb.as_slice::<T>(), br))
    });
    drop((ga, gb));
    Tensor::from_buffer(out, &[m, n])
}

/// `mm(a, b)` for 2-D tensors (`MmBackward0`).
pub fn mm(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.ndim() != 2 {
        return Err(Error::runtime("self must be a matrix"));
    }
    if b.ndim() != 2 {
        return Err(Error::runtime("mat2 must be a matrix"));
    }
    if a.shape()[1] != b.shape()[0] {
        return Err(Error::runtime(format!(
            "mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})",
            a.shape()[0],
            a.shape()[1],
            b.shape()[0],
            b.shape()[1]
        )));
    }
    check_same_dtype(a, b)?;
    let out = mm_raw(a, b)?;
    if needs_grad(&[a, b]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record("MmBackward0", &[a, b], &[&out], saved, |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(mm(g, &transpose(ctx.saved(1), 0, 1)?)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(mm(&transpose(ctx.saved(0), 0, 1)?, g)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `dot(a, b)` of two 1-D tensors (`DotBackward0`).
pub fn dot(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.ndim() != 1 || b.ndim() != 1 {
        return Err(Error::runtime(format!(
            "1D tensors expected, but got {}D and {}D tensors",
            a.ndim(),
            b.ndim()
        )));
    }
    if a.shape()[0] != b.shape()[0] {
        return Err(Error::runtime(format!(
            "inconsistent tensor size, expected tensor [{}] and src [{}] to have the same number of elements, but got {} and {} elements respectively",
            a.shape()[0], b.shape()[0], a.shape()[0], b.shape()[0]
        )));
    }
    if a.dtype() == DType::Bool && b.dtype() == DType::Bool {
        return Err(Error::not_implemented("\"dot\" not implemented for 'Bool'"));
    }
    check_same_dtype(a, b)?;
    let r = {
        let _no = crate::autograd::GradModeGuard::new(false);
        let am = unsqueeze(a, 0)?;
        let bm = unsqueeze(b, 1)?;
        reshape_to(&mm_raw(&am, &bm)?, &[])?
    };
    let out = r.detached();
    if needs_grad(&[a, b]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record("DotBackward0", &[a, b], &[&out], saved, |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(super::binary::mul(ctx.saved(1), g)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(super::binary::mul(ctx.saved(0), g)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `mv(a, v)`: matrix times vector (`MvBackward0`).
pub fn mv(a: &Tensor, v: &Tensor) -> Result<Tensor> {
    if a.ndim() != 2 || v.ndim() != 1 {
        return Err(Error::runtime(format!(
            "vector + matrix @ vector expected, got 1, {}, {}",
            a.ndim(),
            v.ndim()
        )));
    }
    if a.shape()[1] != v.shape()[0] {
        return Err(Error::runtime(format!(
            "size mismatch, got input ({}), mat ({}x{}), vec ({})",
            a.shape()[0],
            a.shape()[0],
            a.shape()[1],
            v.shape()[0]
        )));
    }
    check_same_dtype(a, v)?;
    let out = {
        let _no = crate::autograd::GradModeGuard::new(false);
        reshape_to(&mm_raw(a, &unsqueeze(v, 1)?)?, &[a.shape()[0]])?.detached()
    };
    if needs_grad(&[a, v]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(v)];
        record("MvBackward0", &[a, v], &[&out], saved, |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(mm(&unsqueeze(g, 1)?, &unsqueeze(ctx.saved(1), 0)?)?)
            } else {
                None
            };
            let gv = if ctx.needs(1) {
                Some(mv(&transpose(ctx.saved(0), 0, 1)?, g)?)
            } else {
                None
            };
            Ok(vec![ga, gv])
        });
    }
    Ok(out)
}

/// `bmm(a, b)` for 3-D tensors (`BmmBackward0`).
pub fn bmm(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.ndim() != 3 || b.ndim() != 3 {
        return Err(Error::runtime("batch1 must be a 3D tensor"));
    }
    if a.shape()[0] != b.shape()[0] || a.shape()[2] != b.shape()[1] {
        return Err(Error::runtime(format!(
            "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].",
            a.shape()[0], a.shape()[2], b.shape()[0], b.shape()[1]
        )));
    }
    check_same_dtype(a, b)?;
    let (batch, m, n) = (a.shape()[0], a.shape()[1], b.shape()[2]);
    let mut parts = Vec::with_capacity(batch);
    {
        let _no = crate::autograd::GradModeGuard::new(false);
        for i in 0..batch {
            let ai = super::view::select(a, 0, i as i64)?;
            let bi = super::view::select(b, 0, i as i64)?;
            parts.push(mm_raw(&ai, &bi)?.to_buffer());
        }
    }
    let out = crate::with_dtype!(a.dtype(), T => {
        let mut all: Vec<T> = Vec::with_capacity(batch * m * n);
        for p in &parts {
            all.extend_from_slice(p.as_slice::<T>());
        }
        Tensor::from_vec(all, &[batch, m, n])?
    });
    if needs_grad(&[a, b]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record("BmmBackward0", &[a, b], &[&out], saved, |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(bmm(g, &transpose(ctx.saved(1), 1, 2)?)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(bmm(&transpose(ctx.saved(0), 1, 2)?, g)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `matmul(a, b)` / `a @ b` with PyTorch's rules for 1-D, 2-D and batched operands.
pub fn matmul(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let (da, db) = (a.ndim(), b.ndim());
    if da == 0 || db == 0 {
        return Err(Error::runtime(format!(
            "both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )));
    }
    match (da, db) {
        (1, 1) => dot(a, b),
        (2, 1) => mv(a, b),
        // PyTorch squeezes in place (`squeeze_(0)`: SqueezeBackward4)
        (1, 2) => squeeze_dims_named(&mm(&unsqueeze(a, 0)?, b)?, &[0], "SqueezeBackward4"),
        (2, 2) => mm(a, b),
        _ => {
            // Broadcast the batch dims, fold them into one, bmm, unfold.
            let a2 = if da == 1 { unsqueeze(a, 0)? } else { a.clone() };
            let b2 = if db == 1 { unsqueeze(b, 1)? } else { b.clone() };
            let (ba, bb) = (&a2.shape()[..a2.ndim() - 2], &b2.shape()[..b2.ndim() - 2]);
            let batch = crate::tensor::layout::broadcast_shapes(ba, bb)?;
            let (m, k) = (a2.shape()[a2.ndim() - 2], a2.shape()[a2.ndim() - 1]);
            let (k2, n) = (b2.shape()[b2.ndim() - 2], b2.shape()[b2.ndim() - 1]);
            if k != k2 {
                return Err(Error::runtime(format!(
                    "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].",
                    batch.iter().product::<usize>(), k, batch.iter().product::<usize>(), k2
                )));
            }
            let nb: usize = batch.iter().product();
            let mut ea: Vec<i64> = batch.iter().map(|&x| x as i64).collect();
            ea.extend([m as i64, k as i64]);
            let mut eb: Vec<i64> = batch.iter().map(|&x| x as i64).collect();
            eb.extend([k as i64, n as i64]);
            let a3 = super::view::reshape(&expand(&a2, &ea)?, &[nb as i64, m as i64, k as i64])?;
            let b3 = super::view::reshape(&expand(&b2, &eb)?, &[nb as i64, k as i64, n as i64])?;
            let c = bmm(&a3, &b3)?;
            let mut out_shape: Vec<usize> = batch.to_vec();
            if da > 1 {
                out_shape.push(m);
            }
            if db > 1 {
                out_shape.push(n);
            }
            let out = unsafe_view(&c, &out_shape)?;
            if da == 2 && db >= 3 {
                // PyTorch folds this case into `(b^T a^T)^T.contiguous()`
                return super::named_node::named_passthrough(&out, "CloneBackward0");
            }
            Ok(out)
        }
    }
}
