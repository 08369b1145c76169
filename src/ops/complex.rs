//! Complex tensors: a complex tensor's storage is a real buffer (float32 for complex64,
//! float64 for complex128) of (re, im) pairs, and its layout counts complex elements.
//! Read as a real tensor with a trailing dim of size 2 and stride 1 (`view_as_real`),
//! most complex ops are real ops on that view, which also gives autograd PyTorch's
//! convention for complex inputs (the gradient of a real loss is dL/dre + i dL/dim).

use super::named_node::named_result;
use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::lazy_bits::NEG;
use crate::tensor::view_creation;
use crate::tensor::{Buffer, DType, Layout, PySlot, Storage, Tensor, TensorImpl, VersionSlot};
use std::sync::atomic::{AtomicU64, AtomicU8};
use std::sync::Arc;

/// Stops a real kernel reached with a complex tensor: the binding turns this panic into
/// PyTorch's NotImplementedError naming the op (see `python::errors`).
pub(crate) fn refuse_complex(t: &Tensor) {
    if t.dtype().is_complex() {
        panic!("not implemented for '{}'", t.dtype().kernel_name());
    }
}

/// Stops an op that PyTorch's CPU kernels lack for complex32: the binding turns this
/// panic into NotImplementedError naming the op (see `python::errors`).
pub(crate) fn refuse_half(t: &Tensor) {
    if t.dtype() == DType::C32 {
        panic!("not implemented for 'ComplexHalf'");
    }
}

/// PyTorch's NotImplementedError for `kernel` when `dtype` is complex32.
pub(crate) fn refuse_half_kernel(kernel: &str, dtype: DType) -> Result<()> {
    if dtype == DType::C32 {
        return Err(crate::tensor::dtype::shell_kernel_missing(kernel, dtype));
    }
    Ok(())
}

fn real_layout(t: &Tensor) -> Layout {
    let l = t.layout();
    let mut out = l.clone();
    out.shape.push(2);
    out.strides.iter_mut().for_each(|s| *s *= 2);
    out.strides.push(1);
    out.offset = l.offset * 2;
    out
}

/// A tensor over `t`'s storage with another layout and dtype; a view op's result
/// (remembering its base) when `as_view`.
fn reinterpreted(t: &Tensor, layout: Layout, dtype: DType, as_view: bool) -> Tensor {
    let base = if as_view {
        Some(t.view_base().cloned().unwrap_or_else(|| t.clone()))
    } else {
        None
    };
    let creation = if as_view {
        view_creation::for_new_view(t)
    } else {
        view_creation::DEFAULT
    };
    Tensor(Arc::new(TensorImpl {
        storage: t.storage().clone(),
        layout,
        dtype,
        version: t.0.version.share(),
        wrapped_number: false,
        meta: crate::tensor::lazy_arc::LazyArc::new(),
        view_version: AtomicU64::new(if base.is_some() { t.version() } else { 0 }),
        view_base: base,
        view_creation: AtomicU8::new(creation),
        // a view keeps a negative bit (conjugation has no real form: `view_as_real`
        // refuses it); raw reinterpretations read what is stored
        lazy: if as_view { t.lazy_bits() & NEG } else { 0 },
        py_slot: PySlot::default(),
    }))
}

/// `t` (complex) read as real pairs, without autograd.
pub fn real_view_raw(t: &Tensor) -> Tensor {
    reinterpreted(t, real_layout(t), t.dtype().to_real(), false)
}

/// The real parts of `t` (complex) as a strided real view, without autograd.
pub fn real_part_raw(t: &Tensor) -> Tensor {
    let mut l = real_layout(t);
    l.shape.pop();
    l.strides.pop();
    reinterpreted(t, l, t.dtype().to_real(), false)
}

fn complex_layout(t: &Tensor) -> Layout {
    let mut l = t.layout().clone();
    l.shape.pop();
    l.strides.pop();
    l.strides.iter_mut().for_each(|s| *s /= 2);
    l.offset /= 2;
    l
}

fn check_complex_view(t: &Tensor) -> Result<()> {
    if !matches!(t.dtype(), DType::F16 | DType::F32 | DType::F64) {
        return Err(Error::runtime(format!(
            "view_as_complex is only supported for half, float and double tensors, but got a tensor of scalar type: {}",
            t.dtype().kernel_name()
        )));
    }
    if t.ndim() == 0 || t.shape()[t.ndim() - 1] != 2 {
        return Err(Error::runtime(
            "Tensor must have a last dimension of size 2",
        ));
    }
    if t.strides()[t.ndim() - 1] != 1 {
        return Err(Error::runtime(
            "Tensor must have a last dimension with stride 1",
        ));
    }
    if t.strides()[..t.ndim() - 1].iter().any(|s| s % 2 != 0) {
        return Err(Error::runtime(
            "Tensor must have a stride divisible by 2 for all but last dimension",
        ));
    }
    if !t.storage_offset().is_multiple_of(2) {
        return Err(Error::runtime(
            "Tensor must have a storage_offset divisible by 2",
        ));
    }
    Ok(())
}

fn complex_of(real: DType) -> DType {
    match real {
        DType::F64 => DType::C128,
        DType::F16 => DType::C32,
        _ => DType::C64,
    }
}

/// `t` (real, last dim 2 with stride 1) read as complex, without autograd.
pub(crate) fn complex_view_raw(t: &Tensor) -> Tensor {
    reinterpreted(t, complex_layout(t), complex_of(t.dtype()), false)
}

/// `torch.view_as_real` (`ViewAsRealBackward0`).
pub fn view_as_real(t: &Tensor) -> Result<Tensor> {
    if !t.dtype().is_complex() {
        return Err(Error::runtime(
            "view_as_real is only supported for complex tensors",
        ));
    }
    if t.is_conj() {
        return Err(Error::runtime(
            "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate tensor so you can view it as real, use self.resolve_conj(); however, be warned that the resulting tensor will NOT alias the original.",
        ));
    }
    let out = reinterpreted(t, real_layout(t), t.dtype().to_real(), true);
    if needs_grad(&[t]) {
        record("ViewAsRealBackward0", &[t], &[&out], vec![], |ctx| {
            let g = super::contiguous(ctx.grad())?;
            Ok(vec![Some(view_as_complex(&g)?)])
        });
    }
    Ok(out)
}

/// `torch.view_as_complex` (`ViewAsComplexBackward0`).
pub fn view_as_complex(t: &Tensor) -> Result<Tensor> {
    check_complex_view(t)?;
    let out = reinterpreted(t, complex_layout(t), complex_of(t.dtype()), true);
    if needs_grad(&[t]) {
        record("ViewAsComplexBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(view_as_real(ctx.grad())?)])
        });
    }
    Ok(out)
}

fn interleave<T: Copy + Default>(re: Vec<T>) -> Vec<T> {
    let mut out = vec![T::default(); re.len() * 2];
    for (pair, r) in out.chunks_exact_mut(2).zip(re) {
        pair[0] = r;
    }
    out
}

/// A fresh contiguous complex tensor over a real buffer of (re, im) pairs.
pub fn from_pairs(buffer: Buffer, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let n = crate::tensor::layout::checked_numel(shape)?;
    if buffer.len() != 2 * n {
        return Err(Error::runtime(format!(
            "shape '{}' is invalid for input of size {}",
            crate::tensor::layout::format_shape(shape),
            buffer.len() / 2
        )));
    }
    Ok(Tensor::from_parts(
        Arc::new(Storage::new(buffer)),
        Layout::contiguous(shape),
        dtype,
        VersionSlot::fresh(),
    ))
}

/// A Python complex number as a 0-dim "wrapped number" tensor (complex128 storage;
/// promotion weighs it as the default complex dtype).
pub fn wrapped_complex(re: f64, im: f64) -> Tensor {
    let t = from_pairs(Buffer::F64(vec![re, im]), &[], DType::C128).expect("one element");
    Tensor(Arc::new(TensorImpl {
        storage: t.storage().clone(),
        layout: t.layout().clone(),
        dtype: DType::C128,
        version: t.0.version.share(),
        wrapped_number: true,
        meta: crate::tensor::lazy_arc::LazyArc::new(),
        view_base: None,
        view_creation: AtomicU8::new(view_creation::DEFAULT),
        view_version: AtomicU64::new(0),
        lazy: 0,
        py_slot: PySlot::default(),
    }))
}

/// A real tensor's values as complex `dtype` (zero imaginary parts), without autograd.
pub fn to_complex_raw(t: &Tensor, dtype: DType) -> Result<Tensor> {
    let buffer = match dtype {
        DType::C32 => Buffer::F16(interleave(t.to_vec::<half::f16>())),
        DType::C64 => Buffer::F32(interleave(t.to_vec::<f32>())),
        _ => Buffer::F64(interleave(t.to_vec::<f64>())),
    };
    from_pairs(buffer, t.shape(), dtype)
}

/// `cast_raw` where either side is complex: complex → real keeps the real part.
pub fn cast_raw(t: &Tensor, dtype: DType) -> Tensor {
    match (t.dtype().is_complex(), dtype.is_complex()) {
        (true, true) => {
            let pairs = super::cast_raw(&real_view_raw(t), dtype.to_real());
            complex_view_raw(&pairs)
        }
        (true, false) if dtype == DType::Bool => nonzero_raw(t),
        (true, false) if dtype == DType::U32 => {
            let re = real_part_raw(t);
            let mut values = re.to_vec::<u32>();
            let parts = re.to_vec::<f64>();
            super::cast_u32_lanes::apply_complex_vector_blocks(&mut values, t, &parts);
            Tensor::from_vec(values, t.shape()).expect("same element count")
        }
        (true, false) => super::cast_raw(&real_part_raw(t), dtype),
        _ => to_complex_raw(t, dtype).expect("same element count"),
    }
}

/// `t != 0` for complex `t`, without autograd: true where either part is nonzero.
fn nonzero_raw(t: &Tensor) -> Tensor {
    let mut l = real_layout(t);
    l.shape.pop();
    l.strides.pop();
    let re = reinterpreted(t, l.clone(), t.dtype().to_real(), false);
    l.offset += 1;
    let im = reinterpreted(t, l, t.dtype().to_real(), false);
    let (re, im) = (
        super::cast_raw(&re, DType::Bool),
        super::cast_raw(&im, DType::Bool),
    );
    super::compare::logical_or(&re, &im).expect("parts of one shape")
}

/// `copy_raw` into or from a complex tensor.
pub fn copy_raw(dst: &Tensor, src: &Tensor) -> Result<()> {
    if dst.dtype() == DType::Bool && src.dtype().is_complex() {
        return super::copy_raw(dst, &nonzero_raw(src));
    }
    if !dst.dtype().is_complex() {
        return super::copy_raw(dst, &real_part_raw(src));
    }
    let src = cast_raw(src, dst.dtype());
    super::copy_raw(&real_view_raw(dst), &real_view_raw(&src))
}

/// `sum_raw` of a complex tensor: the real view summed over the same dims.
pub fn sum_raw(t: &Tensor, dims: &[usize], keepdim: bool, dtype: DType) -> Result<Tensor> {
    // complex32 is summed only when cast to a wider dtype first
    refuse_half_kernel("sum_cpu", dtype)?;
    if !dtype.is_complex() {
        // a real `dtype` keeps the real parts (PyTorch casts before reducing)
        return super::reduce::sum_raw(&cast_raw(t, dtype), dims, keepdim, dtype);
    }
    let t = if t.dtype() == dtype {
        t.clone()
    } else {
        cast_raw(t, dtype)
    };
    let pairs = super::reduce::sum_pairs_raw(&real_view_raw(&t), dims, keepdim, dtype.to_real())?;
    Ok(complex_view_raw(&super::contiguous(&pairs)?))
}

/// The real and imaginary parts of `t` as complex `dtype` (with autograd); `None` for
/// the imaginary part of a real tensor.
fn parts(t: &Tensor, dtype: DType) -> Result<(Tensor, Option<Tensor>)> {
    if !t.dtype().is_complex() {
        return Ok((super::to_dtype(t, dtype.to_real())?, None));
    }
    let pairs = view_as_real(&super::to_dtype(t, dtype)?)?;
    Ok((
        super::select(&pairs, -1, 0)?,
        Some(super::select(&pairs, -1, 1)?),
    ))
}

/// `torch.complex(re, im)` for parts of one shape-compatible real dtype, no checks.
fn assemble(re: &Tensor, im: Option<&Tensor>, shape: &[usize]) -> Result<Tensor> {
    let sizes: Vec<i64> = shape.iter().map(|&s| s as i64).collect();
    let re = super::expand(re, &sizes)?;
    let im = match im {
        Some(im) => super::expand(im, &sizes)?,
        None => super::zeros_like(&re)?,
    };
    view_as_complex(&super::stack(&[re, im], -1)?)
}

/// `a op b` where at least one side is complex, for add/sub/mul/div. A complex32
/// result is computed in complex64 and rounded back, as PyTorch's kernels do.
pub fn binary(a: &Tensor, b: &Tensor, op: char) -> Result<Tensor> {
    let result = super::operands_dtype(a, b)?;
    let dtype = if result == DType::C32 {
        DType::C64
    } else {
        result
    };
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    // the operands are cast to complex32 first (a number past float16's range is inf)
    let (a0, b0) = (a, b);
    let (a, b) = if result == dtype {
        (a.clone(), b.clone())
    } else {
        (super::to_dtype(a, result)?, super::to_dtype(b, result)?)
    };
    let (ar, ai) = parts(&a, dtype)?;
    let (br, bi) = parts(&b, dtype)?;
    use super::{add as plus, mul as times, sub as minus};
    // A real operand takes part as `r + 0i`, as in PyTorch (which promotes it), so that
    // signed zeros, infinities and NaNs come out as PyTorch's do.
    let zero = super::scalar(crate::tensor::Scalar::Float(0.0));
    let (re, im) = match op {
        '+' => (
            plus(&ar, &br)?,
            match (&ai, &bi) {
                (Some(x), Some(y)) => Some(plus(x, y)?),
                (Some(x), None) => Some(plus(x, &zero)?),
                (None, Some(y)) => Some(plus(&zero, y)?),
                (None, None) => None,
            },
        ),
        '-' => (
            minus(&ar, &br)?,
            match (&ai, &bi) {
                (Some(x), Some(y)) => Some(minus(x, y)?),
                (Some(x), None) => Some(x.clone()),
                (None, Some(y)) => Some(minus(&zero, y)?),
                (None, None) => None,
            },
        ),
        '*' => match (&ai, &bi) {
            (Some(x), Some(y)) => (
                minus(&times(&ar, &br)?, &times(x, y)?)?,
                Some(plus(&times(&ar, y)?, &times(x, &br)?)?),
            ),
            (Some(x), None) => (
                minus(&times(&ar, &br)?, &times(x, &zero)?)?,
                Some(plus(&times(&ar, &zero)?, &times(x, &br)?)?),
            ),
            (None, Some(y)) => (
                minus(&times(&ar, &br)?, &times(&zero, y)?)?,
                Some(plus(&times(&ar, y)?, &times(&zero, &br)?)?),
            ),
            (None, None) => (times(&ar, &br)?, None),
        },
        _ => {
            // a real divisor takes part as `br + 0i` too: PyTorch divides by it with
            // Smith's algorithm (a product with 1/br, and 0 * inf = NaN in the other part)
            let zero_part = super::to_dtype(&zero, br.dtype())?;
            let bi = bi.as_ref().unwrap_or(&zero_part);
            let (re, im) = smith_quotient(&ar, ai.as_ref(), &br, bi)?;
            // a fresh tensor (not the view `assemble` makes) for the one node
            let out = assemble(&re, Some(&im), &shape)?.detached();
            if needs_grad(&[&a, &b]) {
                record_complex_div(&a, &b, &out);
            }
            let out = if result != dtype {
                super::to_dtype(&out, result)?
            } else {
                out
            };
            return super::complex_layout::in_order_of(out, &[a0, b0]);
        }
    };
    let mut out = assemble(&re, im.as_ref(), &shape)?;
    if result != dtype {
        out = super::to_dtype(&out, result)?;
    }
    let name = match op {
        '+' => "AddBackward0",
        '-' => "SubBackward0",
        '*' => "MulBackward0",
        _ => "DivBackward0",
    };
    super::complex_layout::in_order_of(named_result(&out, name)?, &[a0, b0])
}

/// `(ar + i ai) / (br + i bi)` by Smith's algorithm, as PyTorch's kernels divide: the
/// larger of |br|, |bi| scales the denominator, so |b|² never overflows or underflows, and
/// signed zeros, infinities and NaNs come out as PyTorch's. Values only (no graph).
fn smith_quotient(
    ar: &Tensor,
    ai: Option<&Tensor>,
    br: &Tensor,
    bi: &Tensor,
) -> Result<(Tensor, Tensor)> {
    use super::{add as plus, div as over, mul as times, sub as minus};
    let _no_grad = crate::autograd::GradModeGuard::new(false);
    let zero = super::scalar(crate::tensor::Scalar::Float(0.0));
    let one = super::scalar(crate::tensor::Scalar::Float(1.0));
    let ai = ai.unwrap_or(&zero);
    let (abs_r, abs_i) = (super::abs(br)?, super::abs(bi)?);
    let real_larger = super::ge(&abs_r, &abs_i)?;
    let zero_divisor = super::logical_and(&super::eq(&abs_r, &zero)?, &super::eq(&abs_i, &zero)?)?;
    // |br| >= |bi|
    let rat = over(bi, br)?;
    let scl = over(&one, &plus(br, &times(bi, &rat)?)?)?;
    let re_r = times(&plus(ar, &times(ai, &rat)?)?, &scl)?;
    let im_r = times(&minus(ai, &times(ar, &rat)?)?, &scl)?;
    // a zero divisor: inf or NaN per part, as C++'s division by zero gives
    let re_z = over(ar, &abs_r)?;
    let im_z = over(ai, &abs_i)?;
    // |br| < |bi|
    let rat = over(br, bi)?;
    let scl = over(&one, &plus(bi, &times(br, &rat)?)?)?;
    let re_i = times(&plus(&times(ar, &rat)?, ai)?, &scl)?;
    let im_i = times(&minus(&times(ai, &rat)?, ar)?, &scl)?;
    let pick = |z: &Tensor, r: &Tensor, i: &Tensor| {
        super::where_(&real_larger, &super::where_(&zero_divisor, z, r)?, i)
    };
    Ok((pick(&re_z, &re_r, &re_i)?, pick(&im_z, &im_r, &im_i)?))
}

/// `DivBackward0` of a complex quotient `out = a / b`: `grad / conj(b)` for `a` and
/// `-grad / conj(b) * conj(a / b)` for `b` (PyTorch's formulas), real parts for a real
/// input, summed over broadcast dims.
fn record_complex_div(a: &Tensor, b: &Tensor, out: &Tensor) {
    use crate::autograd::SavedTensor;
    let saved = vec![SavedTensor::input(a), SavedTensor::input(b)];
    record("DivBackward0", &[a, b], &[out], saved, |ctx| {
        let (a, b) = (ctx.saved(0).clone(), ctx.saved(1).clone());
        let b_conj = super::complex_math::conj_physical(&b, "ConjPhysicalBackward0")?;
        let grad_a = super::div(ctx.grad(), &b_conj)?;
        let grad_b = if ctx.needs(1) {
            let q_conj =
                super::complex_math::conj_physical(&super::div(&a, &b)?, "ConjPhysicalBackward0")?;
            Some(input_grad(
                &b,
                &super::neg(&super::mul(&grad_a, &q_conj)?)?,
            )?)
        } else {
            None
        };
        let grad_a = if ctx.needs(0) {
            Some(input_grad(&a, &grad_a)?)
        } else {
            None
        };
        Ok(vec![grad_a, grad_b])
    });
}

/// A complex gradient as the gradient of `input`: its real part for a real input, in
/// the input's dtype and shape.
fn input_grad(input: &Tensor, g: &Tensor) -> Result<Tensor> {
    let g = if input.dtype().is_complex() {
        g.clone()
    } else {
        super::select(&view_as_real(g)?, -1, 0)?
    };
    super::reduce_grad(&g, input.shape(), input.dtype())
}

/// `-z` (`NegBackward0`).
pub fn neg(t: &Tensor) -> Result<Tensor> {
    let out = view_as_complex(&super::neg(&view_as_real(t)?)?)?;
    super::complex_layout::in_order_of(named_result(&out, "NegBackward0")?, &[t])
}

/// `torch.complex(real, imag)` (`ComplexBackward0`).
pub fn complex(re: &Tensor, im: &Tensor) -> Result<Tensor> {
    let (dr, di) = (re.dtype(), im.dtype());
    if !matches!(dr, DType::F32 | DType::F64 | DType::F16)
        || !matches!(di, DType::F32 | DType::F64 | DType::F16)
    {
        return Err(Error::runtime(format!(
            "Expected both inputs to be Half, Float or Double tensors but got {} and {}",
            dr.kernel_name(),
            di.kernel_name()
        )));
    }
    if dr != di {
        return Err(Error::runtime(format!(
            "Expected object of scalar type {} but got scalar type {} for second argument",
            dr.kernel_name(),
            di.kernel_name()
        )));
    }
    let shape = broadcast_shapes(re.shape(), im.shape())?;
    let out = assemble(re, Some(im), &shape)?;
    super::complex_layout::in_order_of(named_result(&out, "ComplexBackward0")?, &[re, im])
}

/// `a ± alpha * b` where one side is complex.
pub fn binary_scaled(
    a: &Tensor,
    b: &Tensor,
    alpha: crate::tensor::Scalar,
    op: char,
) -> Result<Tensor> {
    if alpha == crate::tensor::Scalar::Int(1) {
        return binary(a, b, op);
    }
    let scaled = super::mul(b, &super::scalar(alpha))?;
    let out = binary(a, &scaled, op)?;
    let node = if op == '+' {
        "AddBackward0"
    } else {
        "SubBackward0"
    };
    crate::autograd::record::save_args_for(&out, node, || {
        vec![("alpha", crate::autograd::node::SavedArg::Scalar(alpha))]
    });
    Ok(out)
}

/// `mean` of a complex tensor (`MeanBackward0` / `MeanBackward1`).
pub fn mean(t: &Tensor, dims: Option<&[i64]>, keepdim: bool, dtype: DType) -> Result<Tensor> {
    mean_as(t, dims, keepdim, dtype, true)
}

/// `mean` with each part divided by the count alone, as `var_mean`'s mean is.
pub fn mean_of_parts(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    dtype: DType,
) -> Result<Tensor> {
    mean_as(t, dims, keepdim, dtype, false)
}

fn mean_as(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    dtype: DType,
    complex_division: bool,
) -> Result<Tensor> {
    refuse_half_kernel("sum_cpu", dtype)?;
    let mut rdims: Vec<i64> = super::reduced_dims(t, dims)?
        .into_iter()
        .map(|d| d as i64)
        .collect();
    let mut src = super::to_dtype(t, dtype)?;
    if t.ndim() == 0 {
        // a 0-dim tensor as one of length 1, so that its real view keeps (re, im) apart
        src = super::reshape(&src, &[1])?;
        rdims = vec![0];
    }
    let keepdim = keepdim && t.ndim() > 0;
    let out = if complex_division {
        let count: usize = rdims.iter().map(|&d| src.shape()[d as usize]).product();
        let pairs = super::sum(&view_as_real(&src)?, Some(&rdims), keepdim, None)?;
        // PyTorch's `mean` divides the complex sum by the count: a complex division
        // (Smith's), which multiplies by 1/count and spreads an infinite part into NaN
        let total = view_as_complex(&super::contiguous(&pairs)?)?;
        let count = super::scalar(crate::tensor::Scalar::Int(count as i64));
        binary(&total, &count, '/')?
    } else {
        let pairs = super::mean(&view_as_real(&src)?, Some(&rdims), keepdim, None)?;
        view_as_complex(&super::contiguous(&pairs)?)?
    };
    let name = if dims.is_none() {
        "MeanBackward0"
    } else {
        "MeanBackward1"
    };
    named_result(&out, name)
}

/// A real tensor of (re, im) pairs (last dim 2) as a new complex tensor that is no
/// view, without autograd: how data built as pairs becomes a complex tensor.
pub fn from_real_pairs(t: &Tensor) -> Result<Tensor> {
    let t = super::clone_detached(t)?;
    check_complex_view(&t)?;
    Ok(complex_view_raw(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_share_memory_and_round_trip() {
        let r = Tensor::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
        let z = view_as_complex(&r).unwrap();
        assert_eq!(z.dtype(), DType::C64);
        assert_eq!(z.shape(), &[2]);
        let back = view_as_real(&z).unwrap();
        assert_eq!(back.shape(), &[2, 2]);
        assert_eq!(back.strides(), &[2, 1]);
        assert!(back.shares_storage(&r));
        assert_eq!(real_part_raw(&z).to_vec::<f32>(), vec![1.0, 3.0]);
    }

    #[test]
    fn products_follow_complex_rules() {
        let a = from_pairs(Buffer::F64(vec![1.0, 2.0]), &[1], DType::C128).unwrap();
        let b = from_pairs(Buffer::F64(vec![3.0, -1.0]), &[1], DType::C128).unwrap();
        let p = binary(&a, &b, '*').unwrap();
        assert_eq!(real_view_raw(&p).to_vec::<f64>(), vec![5.0, 5.0]);
        let q = binary(&p, &b, '/').unwrap();
        let v = real_view_raw(&q).to_vec::<f64>();
        assert!((v[0] - 1.0).abs() < 1e-12 && (v[1] - 2.0).abs() < 1e-12);
    }
}
