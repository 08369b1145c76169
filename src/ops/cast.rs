//! Dtype conversion, copies and contiguity.

use crate::autograd::{needs_grad, record, GradModeGuard};
use crate::error::Result;
use crate::kernels::elementwise::{map_binary, map_unary, write_strided};
use crate::tensor::layout::{broadcast_shapes, contiguous_strides, Layout, Strides};
use crate::tensor::memory_format::{elementwise_strides, iteration_order, preserved_strides};
use crate::tensor::{Buffer, DType, Element, Tensor};
use crate::{with_buffer, with_dtype};

/// Values of `t` as a fresh tensor of `dtype` laid out as `t` is (PyTorch's
/// `preserve_format`), without autograd.
pub fn cast_raw(t: &Tensor, dtype: DType) -> Tensor {
    if t.lazy_bits() != 0 {
        return crate::tensor::lazy_bits::resolve_with(t, dtype, cast_raw);
    }
    if t.dtype().is_complex() || dtype.is_complex() {
        return super::complex::cast_raw(t, dtype);
    }
    cast_into_strides(t, dtype, preserved(t))
}

/// Values of `t` as a fresh row-major tensor of `dtype`, without autograd.
pub fn cast_contiguous_raw(t: &Tensor, dtype: DType) -> Tensor {
    if t.lazy_bits() != 0 {
        return crate::tensor::lazy_bits::resolve_with(t, dtype, cast_contiguous_raw);
    }
    if t.dtype().is_complex() || dtype.is_complex() {
        if t.is_contiguous() {
            return super::complex::cast_raw(t, dtype);
        }
        let out = Tensor::zeros(t.shape(), dtype).expect("an existing tensor's size");
        super::complex::copy_raw(&out, t).expect("same shape");
        return out;
    }
    cast_into_strides(t, dtype, None)
}

/// The strides a format-preserving copy of `t` gets (None: row-major).
pub(crate) fn preserved(t: &Tensor) -> Option<Strides> {
    if t.strides() == contiguous_strides(t.shape()).as_slice() {
        None
    } else {
        Some(preserved_strides(t.layout()))
    }
}

/// `layout` with its dims walked in the memory order of a result with `strides`.
pub(crate) fn walked(layout: &Layout, strides: &Option<Strides>) -> Layout {
    match strides
        .as_ref()
        .and_then(|s| iteration_order(&layout.shape, s))
    {
        Some(order) => layout.permuted(&order),
        None => layout.clone(),
    }
}

pub(crate) fn cast_into_strides(t: &Tensor, dtype: DType, strides: Option<Strides>) -> Tensor {
    if t.dtype().is_complex() || dtype.is_complex() {
        return complex_into_strides(t, dtype, strides);
    }
    if t.dtype() == dtype {
        return super::layout_copy::copied(t, t.layout(), strides);
    }
    let src = t.view_with_layout(walked(t.layout(), &strides));
    if let Some(buf) = super::cast_fast::contiguous_cast(&src, dtype) {
        return Tensor::from_buffer_strided(buf, t.shape(), strides).expect("same element count");
    }
    let mut buf = with_dtype!(dtype, T => T::into_buffer(src.to_vec::<T>()));
    if let Buffer::U32(values) = &mut buf {
        super::cast_u32_lanes::apply_vector_blocks(values, &src);
    }
    Tensor::from_buffer_strided(buf, t.shape(), strides).expect("same element count")
}

/// `cast_into_strides` where either side is complex: the (re, im) pairs of the complex
/// values laid out in that order, each pair kept together.
fn complex_into_strides(t: &Tensor, dtype: DType, strides: Option<Strides>) -> Tensor {
    let t = if t.dtype() == dtype {
        t.clone()
    } else {
        super::complex::cast_raw(t, dtype)
    };
    if !dtype.is_complex() {
        return cast_into_strides(&t, dtype, strides);
    }
    let pair_strides = strides.map(|s| {
        let mut p: Strides = s.iter().map(|&x| x * 2).collect();
        p.push(1);
        p
    });
    let pairs = super::complex::real_view_raw(&t);
    let copy = cast_into_strides(&pairs, pairs.dtype(), pair_strides);
    super::complex::complex_view_raw(&copy)
}

/// The strides of an elementwise result of `a` and `b` whose common dtype is `dtype`
/// (None: row-major). PyTorch first casts an operand of another dtype with
/// `preserve_format` and decides on the copy; ferrograd's own widening of float16 and
/// bfloat16 for the kernel must not change the decision.
pub(crate) fn binary_strides(a: &Tensor, b: &Tensor, dtype: DType) -> Result<Option<Strides>> {
    if a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous() {
        return Ok(None);
    }
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let as_cast = |t: &Tensor| -> Layout {
        if t.dtype() == dtype || t.ndim() == 0 {
            return t.layout().clone();
        }
        match preserved(t) {
            Some(strides) => Layout {
                shape: t.layout().shape.clone(),
                strides,
                offset: 0,
            },
            None => Layout::contiguous(t.shape()),
        }
    };
    Ok(elementwise_strides(&shape, &[&as_cast(a), &as_cast(b)]))
}

/// `out` laid out with `strides` (None: row-major): itself when it already is, else a copy.
pub(crate) fn laid_out(out: Tensor, strides: Option<Strides>) -> Tensor {
    let fits = match &strides {
        None => out.is_contiguous(),
        Some(s) => out.strides() == s.as_slice(),
    };
    if fits {
        return out;
    }
    cast_into_strides(&out, out.dtype(), strides)
}

/// `t.to(dtype)`: a copy of another dtype (`ToCopyBackward0`), or `t` itself.
pub fn to_dtype(t: &Tensor, dtype: DType) -> Result<Tensor> {
    if t.dtype() == dtype {
        return Ok(t.clone());
    }
    let out = cast_raw(t, dtype);
    if needs_grad(&[t]) && (dtype.is_floating() || dtype.is_complex()) {
        let src = t.dtype();
        record("ToCopyBackward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(to_dtype(ctx.grad(), src)?)])
        });
    }
    Ok(out)
}

/// `t.to(t.dtype, copy=True)`: a copy laid out as `t` is (`ToCopyBackward0`).
pub fn to_copy(t: &Tensor) -> Result<Tensor> {
    let out = cast_raw(t, t.dtype());
    if needs_grad(&[t]) {
        record("ToCopyBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(ctx.grad().clone())])
        });
    }
    Ok(out)
}

/// `t.clone()` (`CloneBackward0`), laid out as `t` is.
pub fn clone(t: &Tensor) -> Result<Tensor> {
    check_copy_fits(t)?;
    record_clone(t, cast_raw(t, t.dtype()))
}

/// `t.clone(memory_format=torch.contiguous_format)` (`CloneBackward0`).
pub fn clone_contiguous(t: &Tensor) -> Result<Tensor> {
    check_copy_fits(t)?;
    record_clone(t, cast_contiguous_raw(t, t.dtype()))
}

/// A copy of an expanded view can need far more memory than the view (whose elements
/// share storage): refused with PyTorch's errors before a kernel's allocation fails.
fn check_copy_fits(t: &Tensor) -> Result<()> {
    crate::tensor::layout::check_allocation(t.shape(), t.dtype().size_in_bytes())
}

pub(crate) fn record_clone(t: &Tensor, out: Tensor) -> Result<Tensor> {
    if needs_grad(&[t]) {
        record("CloneBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(ctx.grad().clone())])
        });
    }
    Ok(out)
}

/// A contiguous copy without history.
pub fn clone_detached(t: &Tensor) -> Result<Tensor> {
    Ok(cast_contiguous_raw(t, t.dtype()))
}

/// A copy without history laid out as `t` is (the result of an identity elementwise op).
pub fn clone_preserving_detached(t: &Tensor) -> Result<Tensor> {
    Ok(cast_raw(t, t.dtype()))
}

/// `t.contiguous()`: `t` itself when already contiguous, else a copy (`CloneBackward0`).
pub fn contiguous(t: &Tensor) -> Result<Tensor> {
    if t.is_contiguous() {
        return Ok(t.clone());
    }
    clone_contiguous(t)
}

/// Writes `src` (broadcast to `dst`'s shape, cast to its dtype) into `dst`'s storage
/// through its layout. No autograd and no version bump: callers do both.
pub fn copy_raw(dst: &Tensor, src: &Tensor) -> Result<()> {
    if src.lazy_bits() != 0 {
        return copy_raw(dst, &cast_raw(src, src.dtype()));
    }
    if dst.lazy_bits() != 0 {
        let stored = crate::tensor::lazy_bits::stored_form(src, dst.lazy_bits());
        return copy_raw(&dst.stored(), &stored);
    }
    if copy_unshared_contiguous(dst, src) {
        return Ok(());
    }
    if dst.dtype().is_complex() || src.dtype().is_complex() {
        return super::complex::copy_raw(dst, src);
    }
    let shape = dst.shape().to_vec();
    let full = broadcast_shapes(&shape, src.shape())?;
    if full.as_slice() != shape.as_slice() {
        return Err(crate::Error::output_shape_mismatch(&shape, &full));
    }
    // Read the source fully before taking the write lock: src may alias dst.
    let values = {
        let src_layout = src.layout().broadcast_to(&shape)?;
        let view = src.view_with_layout(src_layout);
        let mut values = with_dtype!(dst.dtype(), T => T::into_buffer(view.to_vec::<T>()));
        if let (Buffer::U32(v), true) = (&mut values, dst.is_contiguous()) {
            super::cast_u32_lanes::apply_vector_blocks(v, &view);
        }
        values
    };
    let mut guard = dst.storage().write();
    with_buffer!(&mut *guard, d, T => {
        write_strided(d.as_mut_slice(), dst.layout(), values.as_slice::<T>());
    });
    Ok(())
}

/// One memcpy for the usual in-place write: a fresh contiguous result of `dst`'s dtype
/// and shape that nothing else references (no other thread can hold or await its lock,
/// so taking it beside `dst`'s write lock cannot deadlock, and it cannot alias `dst`).
fn copy_unshared_contiguous(dst: &Tensor, src: &Tensor) -> bool {
    if !src.is_exclusive() || dst.dtype().is_complex() {
        return false;
    }
    let Some((to, from)) = super::accumulate::matching_contiguous_runs(dst, src) else {
        return false;
    };
    let source = src.storage().read();
    let mut target = dst.storage().write();
    if source.dtype() != target.dtype() {
        return false;
    }
    with_buffer!(&mut *target, d, T => {
        d.as_mut_slice()[to].copy_from_slice(&T::slice(&source)[from]);
    });
    true
}

/// `dst += src` in place, for gradient accumulation into an unshared `.grad`.
pub fn add_into(dst: &Tensor, src: &Tensor) -> Result<()> {
    if super::accumulate::add_in_place(dst, src) {
        dst.bump_version();
        return Ok(());
    }
    let _mode = GradModeGuard::new(false);
    let sum = crate::ops::add(dst, src)?;
    copy_raw(dst, &sum)?;
    dst.bump_version();
    Ok(())
}

/// Elementwise map over one tensor of element type `T`, producing `U`.
/// The result keeps `t`'s memory order (PyTorch's TensorIterator rule).
pub(crate) fn map1<T: Element, U: Element>(t: &Tensor, f: impl Fn(T) -> U + Sync + Send) -> Tensor {
    let strides = elementwise_strides(t.shape(), &[t.layout()]);
    // one call of the kernel (each call site is a copy of its loops)
    let walked_layout = strides.as_ref().map(|_| walked(t.layout(), &strides));
    let guard = t.storage().read();
    let out = map_unary(
        T::slice(&guard),
        walked_layout.as_ref().unwrap_or(t.layout()),
        f,
    );
    drop(guard);
    Tensor::from_buffer_strided(U::into_buffer(out), t.shape(), strides)
        .expect("same element count")
}

/// Elementwise map over two broadcast tensors of element type `T`, producing `U`; the
/// result keeps the operands' memory order (PyTorch's TensorIterator rule).
pub(crate) fn map2<T: Element, U: Element>(
    a: &Tensor,
    b: &Tensor,
    f: impl Fn(T, T) -> U + Sync + Send,
) -> Result<Tensor> {
    // One call of the kernel for both cases (each call site is a copy of its loops).
    let walked_layouts;
    let (shape, strides, la, lb) =
        if a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous() {
            (a.shape(), None, a.layout(), b.layout())
        } else {
            let shape = broadcast_shapes(a.shape(), b.shape())?;
            let strides = elementwise_strides(&shape, &[a.layout(), b.layout()]);
            let la = walked(&a.layout().broadcast_to(&shape)?, &strides);
            let lb = walked(&b.layout().broadcast_to(&shape)?, &strides);
            walked_layouts = (shape, la, lb);
            let (shape, la, lb) = &walked_layouts;
            (shape.as_slice(), strides, la, lb)
        };
    let ga = a.storage().read();
    let gb = b.storage().read();
    let out = map_binary(T::slice(&ga), la, T::slice(&gb), lb, f);
    drop((ga, gb));
    Tensor::from_buffer_strided(U::into_buffer(out), shape, strides)
}

/// Both operands converted to `dtype` (a no-op for those that already are).
pub(crate) fn both_as(a: &Tensor, b: &Tensor, dtype: DType) -> (Tensor, Tensor) {
    let ca = if a.dtype() == dtype {
        a.clone()
    } else {
        cast_raw(a, dtype)
    };
    let cb = if b.dtype() == dtype {
        b.clone()
    } else {
        cast_raw(b, dtype)
    };
    (ca, cb)
}

/// `t` as `dtype`, then widened to `dtype`'s compute dtype: the value each element has
/// in a kernel of a result of `dtype` (the first cast rounds or wraps as PyTorch does).
pub(crate) fn in_compute(t: &Tensor, dtype: DType) -> Tensor {
    let cd = dtype.compute();
    if t.dtype() == cd && cd == dtype {
        t.clone()
    } else if t.dtype() == dtype || cd == dtype {
        cast_raw(t, cd)
    } else {
        cast_raw(&cast_raw(t, dtype), cd)
    }
}

/// Both operands of an op whose result is `dtype`, in the compute dtype.
pub(crate) fn compute_operands(a: &Tensor, b: &Tensor, dtype: DType) -> (Tensor, Tensor) {
    (in_compute(a, dtype), in_compute(b, dtype))
}

/// Like `compute_operands`, for mul and div: PyTorch's kernels read a one-element
/// second operand (or a Python number on the left of a product) of a float16/bfloat16
/// result straight in float32, without rounding it to the result type first.
pub(crate) fn scalar_aware_operands(
    a: &Tensor,
    b: &Tensor,
    dtype: DType,
    commutative: bool,
) -> (Tensor, Tensor) {
    let reduced_float = dtype.is_floating() && dtype.is_narrow();
    let opmath = |t: &Tensor| cast_raw(t, dtype.compute());
    if reduced_float && b.numel() == 1 {
        (in_compute(a, dtype), opmath(b))
    } else if reduced_float && commutative && a.is_wrapped_number() {
        (opmath(a), in_compute(b, dtype))
    } else {
        compute_operands(a, b, dtype)
    }
}

/// A kernel's result in the compute dtype of `dtype`, rounded or wrapped to `dtype`.
pub(crate) fn narrow_to(out: Tensor, dtype: DType) -> Tensor {
    if out.dtype() == dtype || out.dtype() != dtype.compute() {
        out
    } else {
        cast_raw(&out, dtype)
    }
}

/// Runs a dtype-preserving elementwise kernel on `t` widened to its compute dtype and
/// narrows the result back (results of other dtypes, e.g. bool, pass through).
pub(crate) fn via_compute(t: &Tensor, f: impl FnOnce(&Tensor) -> Result<Tensor>) -> Result<Tensor> {
    super::shell_refusals::refuse_float8_kernel(t);
    via_compute_any(t, f)
}

/// `via_compute` for the kernels PyTorch also has for the 8-bit floats (`abs`).
pub(crate) fn via_compute_any(
    t: &Tensor,
    f: impl FnOnce(&Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    super::complex::refuse_complex(t);
    let dtype = t.dtype();
    if !dtype.is_narrow() {
        return f(t);
    }
    Ok(narrow_to(f(&cast_raw(t, dtype.compute()))?, dtype))
}
