//! Matrix products with PyTorch's `matmul` dimension rules.

use super::view::{expand, reshape_to, squeeze_dims_named, transpose, unsafe_view, unsqueeze};
use crate::autograd::node::{SavedArg, SavedArgs};
use crate::autograd::record::{save_args, sizes_arg, strides_arg};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::matmul::{gemm, gemm_batched, MatRef};
use crate::tensor::{DType, Tensor};

fn check_same_dtype(a: &Tensor, b: &Tensor) -> Result<()> {
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "expected m1 and m2 to have the same dtype, but got: {} != {}",
            a.dtype().cpp_name(),
            b.dtype().cpp_name()
        )));
    }
    if a.dtype() == DType::Bool {
        return Err(Error::not_implemented(
            "\"addmm_impl_cpu_\" not implemented for 'Bool'",
        ));
    }
    Ok(())
}

/// `dot`'s dtype check, in its words (each product kernel words its own).
fn check_dot_dtypes(a: &Tensor, b: &Tensor) -> Result<()> {
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "dot : expected both vectors to have same dtype, but found {} and {}",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
    }
    Ok(())
}

/// `mv`'s dtype check: PyTorch's `addmv` into a result of the vector's dtype.
fn check_mv_dtypes(a: &Tensor, v: &Tensor) -> Result<()> {
    if a.dtype() != v.dtype() {
        let (da, dv) = (a.dtype().kernel_name(), v.dtype().kernel_name());
        return Err(Error::runtime(format!(
            "addmv input tensors must have the same dtype, but got {dv}, {da}, and {dv}"
        )));
    }
    Ok(())
}

/// `bmm`'s dtype check: a Bool batch1 has no kernel, else batch2 must match it.
fn check_bmm_dtypes(a: &Tensor, b: &Tensor) -> Result<()> {
    if a.dtype() == DType::Bool {
        return Err(Error::not_implemented("\"bmm\" not implemented for 'Bool'"));
    }
    if a.dtype() != b.dtype() {
        return Err(Error::runtime(format!(
            "expected scalar type {} but found {}",
            a.dtype().kernel_name(),
            b.dtype().kernel_name()
        )));
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
    if let Some([a, b]) = crate::autograd::autocast::lower_precision([a, b])? {
        return mm(&a, &b);
    }
    if !(a.dtype().is_float8() && (a.numel() == 0 || b.numel() == 0)) {
        super::shell_refusals::refuse_either("addmm_impl_cpu_", a, b)?;
    }
    if (a.dtype().is_complex() || b.dtype().is_complex()) && a.ndim() == 2 && b.ndim() == 2 {
        return super::complex_math::matmul(a, b);
    }
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
        save_args(&out, mm_layout_args(a, b, MM_LAYOUT_NAMES));
    }
    Ok(out)
}

/// `_saved_*` names of an `mm` node's operand sizes and strides.
pub(crate) const MM_LAYOUT_NAMES: [&str; 4] = [
    "self_sym_sizes",
    "self_sym_strides",
    "mat2_sym_sizes",
    "mat2_sym_strides",
];

/// The sizes and strides a matrix-product node keeps (`_saved_self_sym_sizes`, ...), by
/// `names`: the strides only of an operand that needs a gradient, as PyTorch's node.
pub(crate) fn mm_layout_args(a: &Tensor, b: &Tensor, names: [&'static str; 4]) -> SavedArgs {
    let strides = |t: &Tensor| {
        if t.requires_grad() {
            strides_arg(t)
        } else {
            SavedArg::Ints(Vec::new())
        }
    };
    vec![
        (names[0], sizes_arg(a)),
        (names[1], strides(a)),
        (names[2], sizes_arg(b)),
        (names[3], strides(b)),
    ]
}

/// `dot(a, b)` of two 1-D tensors (`DotBackward0`).
pub fn dot(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_either("dot", a, b)?;
    if a.ndim() == 1 && b.ndim() == 1 {
        check_dot_dtypes(a, b)?;
    }
    if a.dtype().is_complex() && a.ndim() == 1 && b.ndim() == 1 {
        return super::complex_math::matmul(a, b);
    }
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
    check_mv_dtypes(a, v)?;
    if a.numel() > 0 {
        // an empty product reaches no kernel
        super::shell_refusals::refuse_float8("addmv_impl_cpu", a)?;
    }
    if a.dtype().is_complex() {
        return super::complex_math::matmul(a, v);
    }
    let out = match mv_direct(a, v)? {
        Some(out) => out,
        None => {
            let _no = crate::autograd::GradModeGuard::new(false);
            reshape_to(&mm_raw(a, &unsqueeze(v, 1)?)?, &[a.shape()[0]])?.detached()
        }
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

/// Raw `bmm` on 3-D tensors of one real dtype: every product written straight into
/// one result buffer (float16/bfloat16 through float32, as `mm_raw`).
fn bmm_raw(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_floating() && a.dtype().is_narrow() {
        let wide = |t: &Tensor| super::cast::cast_raw(t, DType::F32);
        return Ok(super::cast::cast_raw(
            &bmm_raw(&wide(a), &wide(b))?,
            a.dtype(),
        ));
    }
    let (batch, m, k, n) = (a.shape()[0], a.shape()[1], a.shape()[2], b.shape()[2]);
    let operand = |t: &Tensor| {
        let s = t.strides();
        (
            MatRef {
                offset: t.storage_offset(),
                rs: s[1],
                cs: s[2],
            },
            s[0],
        )
    };
    let ((ar, sa), (br, sb)) = (operand(a), operand(b));
    let ga = a.storage().read();
    let gb = b.storage().read();
    let out = crate::with_dtype!(a.dtype(), T => {
        crate::tensor::Element::into_buffer(gemm_batched::<T>(
            batch, (m, k, n), (ga.as_slice::<T>(), ar, sa), (gb.as_slice::<T>(), br, sb),
        ))
    });
    drop((ga, gb));
    Tensor::from_buffer(out, &[batch, m, n])
}

/// `a @ v` through the GEMV kernel for float32/float64 with rows or columns of `a`
/// contiguous; None for the rest (left to the GEMM).
fn mv_direct(a: &Tensor, v: &Tensor) -> Result<Option<Tensor>> {
    use crate::kernels::gemv::gemv;
    let (m, k) = (a.shape()[0], a.shape()[1]);
    let (rs, cs) = (a.strides()[0], a.strides()[1]);
    let rows_or_cols = (cs == 1 && rs >= 0) || (rs == 1 && cs >= 0);
    if !matches!(a.dtype(), DType::F32 | DType::F64) || !rows_or_cols || a.numel() == 0 {
        return Ok(None);
    }
    let off = a.storage_offset();
    // the vector is read before the matrix's lock is taken: the two may share a storage
    let y = if a.dtype() == DType::F32 {
        let x = v.to_vec::<f32>();
        let ga = a.storage().read();
        gemv(m, k, &ga.as_slice::<f32>()[off..], rs, cs, &x).map(|y| Tensor::from_vec(y, &[m]))
    } else {
        let x = v.to_vec::<f64>();
        let ga = a.storage().read();
        gemv(m, k, &ga.as_slice::<f64>()[off..], rs, cs, &x).map(|y| Tensor::from_vec(y, &[m]))
    };
    y.transpose()
}

/// `bmm(a, b)` for 3-D tensors (`BmmBackward0`).
pub fn bmm(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if let Some([a, b]) = crate::autograd::autocast::lower_precision([a, b])? {
        return bmm(&a, &b);
    }
    if !(a.dtype().is_float8() && (a.numel() == 0 || b.numel() == 0)) {
        // an empty 8-bit float product reaches no kernel
        super::shell_refusals::refuse_either("bmm", a, b)?;
    }
    if a.ndim() != 3 {
        return Err(Error::runtime("batch1 must be a 3D tensor"));
    }
    if b.ndim() != 3 {
        return Err(Error::runtime("batch2 must be a 3D tensor"));
    }
    if a.shape()[0] != b.shape()[0] || a.shape()[2] != b.shape()[1] {
        return Err(Error::runtime(format!(
            "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].",
            a.shape()[0], a.shape()[2], b.shape()[0], b.shape()[1]
        )));
    }
    check_bmm_dtypes(a, b)?;
    if a.dtype().is_complex() {
        return super::complex_math::matmul(a, b);
    }
    let out = bmm_raw(a, b)?;
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

/// `a @ b` with PyTorch's dimension rules, decomposed into the same ops as PyTorch's
/// `matmul` (so the graph has its nodes): `dot`/`mv`/`mm` for 1-D and 2-D operands,
/// a batched operand folded into a matrix for `mm`/`mv` when that saves a copy,
/// otherwise broadcast batches flattened for `bmm`.
pub fn matmul(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if let Some([a, b]) = crate::autograd::autocast::lower_precision([a, b])? {
        return matmul(&a, &b);
    }
    let (da, db) = (a.ndim(), b.ndim());
    if da == 0 || db == 0 {
        return Err(Error::runtime(format!(
            "both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )));
    }
    let dtype = a.dtype();
    if db == 1
        && da >= 2
        && dtype == b.dtype()
        && (dtype == DType::Bool || dtype.is_shell_unsigned())
    {
        return Err(crate::tensor::dtype::shell_kernel_missing(
            "addmv_impl_cpu",
            dtype,
        ));
    }
    match (da, db) {
        (1, 1) => dot(a, b),
        (2, 1) => mv(a, b),
        // PyTorch squeezes in place (`squeeze_(0)`: SqueezeBackward4)
        (1, 2) => squeeze_dims_named(&mm(&unsqueeze(a, 0)?, b)?, &[0], "SqueezeBackward4"),
        (2, 2) => mm(a, b),
        _ if should_fold(a, b) => matmul_folded(a, b),
        _ => matmul_batched(a, b),
    }
}

/// The last two dims of `t` swapped (`mT`).
fn mat_t(t: &Tensor) -> Result<Tensor> {
    transpose(t, -2, -1)
}

/// Whether the operand with more dims (at least 3, the other at most 2) can be folded
/// into one matrix without a copy, or the smaller one requires grad (folding then keeps
/// its gradient from being materialised at the batched size).
fn should_fold(a: &Tensor, b: &Tensor) -> bool {
    let a_larger = a.ndim() >= b.ndim();
    let (dim_t1, dim_t2) = if a_larger {
        (a.ndim(), b.ndim())
    } else {
        (b.ndim(), a.ndim())
    };
    if !(dim_t1 >= 3 && dim_t2 <= 2) {
        return false;
    }
    let t2_requires_grad = if a_larger {
        b.requires_grad()
    } else {
        a.requires_grad()
    };
    if t2_requires_grad {
        return true;
    }
    if a.ndim() == 2 {
        return false;
    }
    let (mut shape, mut strides) = if a_larger {
        (a.shape().to_vec(), a.strides().to_vec())
    } else {
        (b.shape().to_vec(), b.strides().to_vec())
    };
    if !a_larger {
        shape.swap(dim_t1 - 2, dim_t1 - 1);
        strides.swap(dim_t1 - 2, dim_t1 - 1);
    }
    if shape.contains(&0) {
        return true;
    }
    (0..dim_t1 - 2).all(|i| strides[i] == strides[i + 1] * shape[i + 1] as isize)
}

/// The batched operand reshaped to one matrix, times the other with `mm` or `mv`.
fn matmul_folded(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let swap = b.ndim() > a.ndim();
    let t1 = if swap { mat_t(b)? } else { a.clone() };
    let t2 = if !swap {
        b.clone()
    } else if a.ndim() == 2 {
        super::view::t(a)?
    } else {
        a.clone()
    };
    let sizes_1 = t1.shape().to_vec();
    let last = sizes_1[sizes_1.len() - 1];
    let mut out_shape = sizes_1[..sizes_1.len() - 1].to_vec();
    let folded: usize = out_shape.iter().product();
    let t1_folded = super::view::reshape(&t1, &[folded as i64, last as i64])?;
    if t2.ndim() == 2 {
        out_shape.push(t2.shape()[1]);
        let output = unsafe_view(&mm(&t1_folded, &t2)?, &out_shape)?;
        if swap {
            return super::cast::contiguous(&mat_t(&output)?);
        }
        return Ok(output);
    }
    unsafe_view(&mv(&t1_folded, &t2)?, &out_shape)
}

/// Broadcast batch dims flattened into one, `bmm`, and the result viewed back.
fn matmul_batched(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let (da, db) = (a.ndim(), b.ndim());
    let n = if da > 1 { a.shape()[da - 2] } else { 1 };
    let m1 = a.shape()[da - 1];
    let batch1 = &a.shape()[..da.saturating_sub(2)];
    let m2 = if db > 1 {
        b.shape()[db - 2]
    } else {
        b.shape()[0]
    };
    let p = if db > 1 { b.shape()[db - 1] } else { 1 };
    let batch2 = &b.shape()[..db.saturating_sub(2)];
    if da == 3 && db == 3 && batch1[0] != batch2[0] {
        // A batch of one that requires grad is dropped, so the other operand folds.
        if batch1[0] == 1 && a.requires_grad() {
            return matmul(&super::view::squeeze(a, Some(&[0]), false)?, b);
        }
        if batch2[0] == 1 && b.requires_grad() {
            return matmul(a, &super::view::squeeze(b, Some(&[0]), false)?);
        }
    }
    let batch = crate::tensor::layout::broadcast_shapes(batch1, batch2)?;
    let nb: usize = batch.iter().product();
    let sizes =
        |tail: &[usize]| -> Vec<i64> { batch.iter().chain(tail).map(|&x| x as i64).collect() };
    let a3 = super::view::reshape(&expand(a, &sizes(&[n, m1]))?, &sizes_of(&[nb, n, m1]))?;
    let vector_rhs = db == 1;
    let b3 = if vector_rhs {
        let flat = super::view::reshape(&expand(b, &sizes(&[m2]))?, &sizes_of(&[nb, m2]))?;
        unsqueeze(&flat, 2)?
    } else {
        super::view::reshape(&expand(b, &sizes(&[m2, p]))?, &sizes_of(&[nb, m2, p]))?
    };
    let mut out_shape = batch.to_vec();
    if da > 1 {
        out_shape.push(n);
    }
    if db > 1 {
        out_shape.push(p);
    }
    let c = bmm(&a3, &b3)?;
    if vector_rhs {
        return unsafe_view(&super::view::squeeze(&c, Some(&[-1]), false)?, &out_shape);
    }
    unsafe_view(&c, &out_shape)
}

fn sizes_of(shape: &[usize]) -> Vec<i64> {
    shape.iter().map(|&x| x as i64).collect()
}
