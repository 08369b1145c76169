//! Comparisons and logical ops: bool results, no gradient.

use super::cast::{binary_strides, compute_operands, laid_out, map1, map2, narrow_to, via_compute};
use super::operands_dtype;
use super::simd_map::{simd_map1, simd_map2};
use crate::error::Result;
use crate::tensor::dtype::Category;
use crate::tensor::{DType, Element, Tensor};

#[derive(Clone, Copy, Debug)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `a op b` elementwise; each comparison is its own monomorphized loop (a function
/// pointer per element would keep the loop from vectorizing).
fn compare_as<T: Element + PartialOrd>(a: &Tensor, b: &Tensor, op: CmpOp) -> Result<Tensor> {
    match op {
        CmpOp::Eq => simd_map2::<T, bool>(a, b, |x, y| x == y),
        CmpOp::Ne => simd_map2::<T, bool>(a, b, |x, y| x != y),
        CmpOp::Lt => simd_map2::<T, bool>(a, b, |x, y| x < y),
        CmpOp::Le => simd_map2::<T, bool>(a, b, |x, y| x <= y),
        CmpOp::Gt => simd_map2::<T, bool>(a, b, |x, y| x > y),
        CmpOp::Ge => simd_map2::<T, bool>(a, b, |x, y| x >= y),
    }
}

/// PyTorch checks the shapes broadcast before it picks a kernel for the dtypes, so a
/// shape mismatch is the error reported when both are wrong.
fn check_broadcast(a: &Tensor, b: &Tensor) -> Result<()> {
    if a.shape() != b.shape() {
        crate::tensor::layout::broadcast_shapes(a.shape(), b.shape())?;
    }
    Ok(())
}

pub fn compare(a: &Tensor, b: &Tensor, op: CmpOp) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        check_broadcast(a, b)?;
        let name = format!("{op:?}").to_lowercase();
        return super::complex_math::compare(a, b, &name);
    }
    let dtype = operands_dtype(a, b)?;
    if (dtype.is_shell_unsigned() || dtype.is_float8()) && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        let name = format!("{op:?}").to_lowercase();
        return Err(crate::tensor::dtype::shell_kernel_missing(
            &format!("{name}_cpu"),
            dtype,
        ));
    }
    let strides = binary_strides(a, b, dtype)?;
    let (a, b) = compute_operands(a, b, dtype);
    let out = match dtype.compute() {
        DType::F32 => compare_as::<f32>(&a, &b, op),
        DType::F64 => compare_as::<f64>(&a, &b, op),
        DType::I64 => compare_as::<i64>(&a, &b, op),
        DType::Bool => compare_as::<bool>(&a, &b, op),
        other => unreachable!("{other} is not a compute dtype"),
    }?;
    Ok(laid_out(out, strides))
}

pub fn eq(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Eq)
}
pub fn ne(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Ne)
}
pub fn lt(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Lt)
}
pub fn le(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Le)
}
pub fn gt(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Gt)
}
pub fn ge(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    compare(a, b, CmpOp::Ge)
}

fn as_bool(t: &Tensor) -> Tensor {
    if t.dtype() == DType::Bool {
        t.clone()
    } else {
        super::cast::cast_raw(t, DType::Bool)
    }
}

pub fn logical_and(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_common("logical_and_cpu", a, b)?;
    map2::<bool, bool>(&as_bool(a), &as_bool(b), |x, y| x && y)
}
pub fn logical_or(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_common("logical_or_cpu", a, b)?;
    map2::<bool, bool>(&as_bool(a), &as_bool(b), |x, y| x || y)
}
pub fn logical_xor(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_common("logical_xor_cpu", a, b)?;
    map2::<bool, bool>(&as_bool(a), &as_bool(b), |x, y| x != y)
}
pub fn logical_not(a: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("logical_not_cpu", a)?;
    Ok(map1::<bool, bool>(&as_bool(a), |x| !x))
}

/// NaN test (`isnan`).
pub fn isnan(a: &Tensor) -> Result<Tensor> {
    Ok(match a.dtype() {
        DType::F16 | DType::BF16 => return isnan(&super::cast::cast_raw(a, DType::F32)),
        DType::F32 => simd_map1::<f32, bool>(a, |x| x.is_nan()),
        DType::F64 => simd_map1::<f64, bool>(a, |x| x.is_nan()),
        DType::C32 | DType::C64 | DType::C128 => return super::complex_functions::isnan(a),
        _ => super::cast::laid_out(
            super::creation::zeros_like_dtype(a, DType::Bool)?,
            super::cast::preserved(a),
        ),
    })
}

fn bitwise(
    a: &Tensor,
    b: &Tensor,
    name: &str,
    fi: fn(i64, i64) -> i64,
    fb: fn(bool, bool) -> bool,
) -> Result<Tensor> {
    let dtype = operands_dtype(a, b)?;
    match dtype {
        d if d.category() == Category::Integral => {
            let (x, y) = compute_operands(a, b, dtype);
            Ok(narrow_to(map2::<i64, i64>(&x, &y, fi)?, dtype))
        }
        DType::Bool => map2::<bool, bool>(a, b, fb),
        other => {
            check_broadcast(a, b)?;
            Err(crate::Error::not_implemented(format!(
                "\"{name}_cpu\" not implemented for '{}'",
                other.kernel_name()
            )))
        }
    }
}

/// `a & b`: bitwise on integers, logical on bools.
pub fn bitwise_and(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    bitwise(a, b, "bitwise_and", |x, y| x & y, |x, y| x & y)
}
/// `a | b`.
pub fn bitwise_or(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    bitwise(a, b, "bitwise_or", |x, y| x | y, |x, y| x | y)
}
/// `a ^ b`.
pub fn bitwise_xor(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    bitwise(a, b, "bitwise_xor", |x, y| x ^ y, |x, y| x ^ y)
}
/// `~a`: bitwise not on integers, logical not on bools; floats raise TypeError.
pub fn bitwise_not(a: &Tensor) -> Result<Tensor> {
    match a.dtype() {
        d if d.is_shell_unsigned() => Err(crate::tensor::dtype::shell_kernel_missing(
            "bitwise_not_cpu",
            d,
        )),
        d if d.is_integral(false) => via_compute(a, |x| Ok(map1::<i64, i64>(x, |v| !v))),
        DType::Bool => Ok(map1::<bool, bool>(a, |x| !x)),
        _ => Err(crate::Error::type_error(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors",
        )),
    }
}
