//! Arithmetic between two operands (tensors or wrapped Python numbers), broadcast.

use super::cast::{
    binary_strides, cast_raw, compute_operands, laid_out, map2, narrow_to, scalar_aware_operands,
};
use super::float::{div_floor, remainder, Float};
use super::simd_map::{simd_map1, simd_map2};
use super::{operands_dtype, reduce_grad, result_type, scalar};
use crate::autograd::node::ScalarRule;
use crate::autograd::node::{SavedArg, SavedList};
use crate::autograd::record::record_with_rule;
use crate::autograd::record::save_args;
use crate::autograd::record::save_args_for;
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::dtype::shell_kernel_missing;
use crate::tensor::layout::Dims;
use crate::tensor::{default_dtype, DType, Scalar, Storage, Tensor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Rem,
    Pow,
    Max,
    Min,
}

impl BinOp {
    fn kernel_name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div_true",
            BinOp::FloorDiv => "div_floor",
            BinOp::Rem => "remainder",
            BinOp::Pow => "pow",
            BinOp::Max => "maximum",
            BinOp::Min => "minimum",
        }
    }
}

/// `a op b` for one float type; each arm is its own monomorphized loop, so simple
/// arithmetic inlines and vectorizes.
fn float_binary<T: Float>(a: &Tensor, b: &Tensor, op: BinOp) -> Result<Tensor> {
    match op {
        BinOp::Add => simd_map2::<T, T>(a, b, |x, y| x + y),
        BinOp::Sub => simd_map2::<T, T>(a, b, |x, y| x - y),
        BinOp::Mul => simd_map2::<T, T>(a, b, |x, y| x * y),
        BinOp::Div => simd_map2::<T, T>(a, b, |x, y| x / y),
        BinOp::FloorDiv => simd_map2::<T, T>(a, b, div_floor::<T>),
        BinOp::Rem => simd_map2::<T, T>(a, b, remainder::<T>),
        BinOp::Pow => simd_map2::<T, T>(a, b, |x, y| x.powf(y)),
        BinOp::Max => simd_map2::<T, T>(a, b, |x, y| {
            if x.is_nan() || y.is_nan() {
                x + y
            } else if x > y {
                x
            } else {
                y
            }
        }),
        BinOp::Min => simd_map2::<T, T>(a, b, |x, y| {
            if x.is_nan() || y.is_nan() {
                x + y
            } else if x < y {
                x
            } else {
                y
            }
        }),
    }
}

fn int_pow(a: i64, b: i64) -> i64 {
    if b < 0 {
        return match a {
            1 => 1,
            -1 => {
                if b % 2 == 0 {
                    1
                } else {
                    -1
                }
            }
            _ => 0,
        };
    }
    // by squaring over the whole exponent, wrapping as PyTorch's int64 loop does
    // ((-1) ** 2**32 is 1: a clamped exponent would lose its parity)
    let (mut base, mut exp, mut acc) = (a, b as u64, 1i64);
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    acc
}

/// `x ** 0`, `x ** 1` and `1 ** x` with Python numbers: PyTorch answers them without a
/// pow kernel (so they work for the shell unsigned dtypes too).
fn trivial_pow(a: &Tensor, b: &Tensor, op: BinOp) -> bool {
    let number = |t: &Tensor, values: &[i64]| {
        t.is_wrapped_number() && matches!(t.item(), Ok(Scalar::Int(i)) if values.contains(&i))
    };
    op == BinOp::Pow && (number(b, &[0, 1]) || number(a, &[1]))
}

/// PyTorch's CPU kernels for an 8-bit float result: only the product of two 8-bit
/// float tensors. A one-element second operand (a number included) sends products and
/// quotients to the reduced-float kernels, which have no 8-bit case either, and a
/// number over a tensor is a reciprocal first.
fn refuse_float8(a: &Tensor, b: &Tensor, op: BinOp, dtype: DType) -> Result<()> {
    let scalar_b = b.numel() == 1;
    let kernel = match op {
        BinOp::Mul if a.dtype() == dtype && b.dtype() == dtype && !scalar_b => return Ok(()),
        BinOp::Mul => "mul_cpu_reduced_float".to_string(),
        BinOp::Add | BinOp::Sub => "add_stub".to_string(),
        BinOp::Div if a.is_wrapped_number() => "reciprocal_cpu".to_string(),
        BinOp::Div if scalar_b => "div_cpu_reduced_float".to_string(),
        BinOp::Div => "div_cpu".to_string(),
        BinOp::FloorDiv if scalar_b => "div_floor_cpu_reduced_float".to_string(),
        BinOp::Pow => "pow".to_string(),
        other => format!("{}_cpu", other.kernel_name()),
    };
    Err(shell_kernel_missing(&kernel, dtype))
}

/// The dtype an op computes in, after PyTorch's promotion and op-specific rules.
pub fn binary_dtype(a: &Tensor, b: &Tensor, op: BinOp) -> Result<DType> {
    if op == BinOp::Sub && (a.dtype() == DType::Bool || b.dtype() == DType::Bool) {
        return Err(Error::runtime(if a.dtype() == b.dtype() {
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."
        } else {
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        }));
    }
    let dtype = operands_dtype(a, b)?;
    if dtype.is_float8() {
        refuse_float8(a, b, op, dtype)?;
    }
    if dtype.is_shell_unsigned() && !matches!(op, BinOp::Mul | BinOp::Div) && !trivial_pow(a, b, op)
    {
        let kernel = match op {
            BinOp::Add | BinOp::Sub => "add_stub",
            BinOp::Pow => "pow",
            other => {
                return Err(shell_kernel_missing(
                    &format!("{}_cpu", other.kernel_name()),
                    dtype,
                ))
            }
        };
        return Err(shell_kernel_missing(kernel, dtype));
    }
    if op == BinOp::Div && !dtype.is_floating() {
        return Ok(default_dtype());
    }
    Ok(dtype)
}

/// Forward values of `a op b` without autograd. Narrow dtypes compute in their
/// compute dtype and round the result back.
pub fn binary_raw(a: &Tensor, b: &Tensor, op: BinOp) -> Result<Tensor> {
    if let Some(out) = same_float_operands(a, b, op) {
        return out;
    }
    let dtype = binary_dtype(a, b, op)?;
    let exponent_is_number = b.is_wrapped_number();
    if op == BinOp::Pow && exponent_is_number && dtype.is_floating() {
        // PyTorch multiplies out squares and cubes, rounding after each product, except
        // that a float16 cube is multiplied out in float32 and rounded once
        let e = b.item()?.to_f64();
        if e == 2.0 || e == 3.0 {
            let work = if dtype == DType::F16 && e == 3.0 {
                DType::F32
            } else {
                dtype
            };
            let x = if a.dtype() == work {
                a.clone()
            } else {
                super::cast::cast_raw(a, work)
            };
            if work != dtype {
                let cube = binary_raw(&binary_raw(&x, &x, BinOp::Mul)?, &x, BinOp::Mul)?;
                return Ok(super::cast::cast_raw(&cube, dtype));
            }
            let square = binary_raw(&x, &x, BinOp::Mul)?;
            return if e == 2.0 {
                Ok(square)
            } else {
                binary_raw(&square, &x, BinOp::Mul)
            };
        }
        if let Some(out) = pow_by_root_or_reciprocal(a, b, e, dtype) {
            return out;
        }
    }
    let strides = binary_strides(a, b, dtype)?;
    let (ca, cb) = match op {
        BinOp::Mul | BinOp::Div => scalar_aware_operands(a, b, dtype, op == BinOp::Mul),
        _ => compute_operands(a, b, dtype),
    };
    let out = binary_kernel(&ca, &cb, op, dtype.compute(), exponent_is_number)?;
    Ok(laid_out(narrow_to(out, dtype), strides))
}

/// `a ** e` for e = 0.5, -0.5, -1 and -2 as PyTorch computes them: `sqrt(a)`,
/// `1 / sqrt(a)`, `1 / a` and `1 / (a * a)` (so `(-0.0) ** 0.5` is -0.0 and
/// `(-inf) ** 0.5` NaN, unlike C's `pow`), in the compute dtype of `dtype`; float16 takes
/// the roots through `pow`.
fn pow_by_root_or_reciprocal(
    a: &Tensor,
    b: &Tensor,
    e: f64,
    dtype: DType,
) -> Option<Result<Tensor>> {
    fn of<T: Float>(x: &Tensor, e: f64) -> Tensor {
        let one = T::one();
        match e {
            0.5 => simd_map1::<T, T>(x, |v| v.sqrt()),
            -0.5 => simd_map1::<T, T>(x, move |v| one / v.sqrt()),
            -1.0 => simd_map1::<T, T>(x, move |v| one / v),
            _ => simd_map1::<T, T>(x, move |v| one / (v * v)),
        }
    }
    if ![0.5, -0.5, -1.0, -2.0].contains(&e) {
        return None;
    }
    if e.abs() == 0.5 && dtype == DType::F16 {
        // float16 has no root fast path: C's `pow` in float32
        return None;
    }
    let x = super::cast::in_compute(a, dtype);
    let out = match x.dtype() {
        DType::F32 => of::<f32>(&x, e),
        _ => of::<f64>(&x, e),
    };
    Some(binary_strides(a, b, dtype).map(|s| laid_out(narrow_to(out, dtype), s)))
}

/// Two contiguous float tensors of one dtype and shape (activations meeting, the usual
/// case in a training step) need no promotion, cast or layout choice: the result is
/// row-major, as the general path would make it.
fn same_float_operands(a: &Tensor, b: &Tensor, op: BinOp) -> Option<Result<Tensor>> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
        || a.dtype() != b.dtype()
        || a.shape() != b.shape()
        || a.is_wrapped_number()
        || b.is_wrapped_number()
        || !a.is_contiguous()
        || !b.is_contiguous()
    {
        return None;
    }
    let small = (1..crate::kernels::elementwise::PAR_MIN_ELEMS).contains(&a.numel());
    match a.dtype() {
        DType::F32 if small => Some(small_contiguous_binary::<f32>(a, b, op)),
        DType::F64 if small => Some(small_contiguous_binary::<f64>(a, b, op)),
        DType::F32 => Some(float_binary::<f32>(a, b, op)),
        DType::F64 => Some(float_binary::<f64>(a, b, op)),
        _ => None,
    }
}

/// `a op b` for contiguous operands of one shape too small to split across threads: one
/// zip over the two runs, without the general walk's layout checks (a tiny op's cost is
/// mostly such checks).
fn small_contiguous_binary<T: Float>(a: &Tensor, b: &Tensor, op: BinOp) -> Result<Tensor> {
    Ok(match op {
        BinOp::Add => zip_same(a, b, |x: T, y| x + y),
        BinOp::Sub => zip_same(a, b, |x: T, y| x - y),
        BinOp::Mul => zip_same(a, b, |x: T, y| x * y),
        BinOp::Div => zip_same(a, b, |x: T, y| x / y),
        _ => return float_binary::<T>(a, b, op),
    })
}

/// `f` over the elements of two contiguous operands of one shape and dtype; a result of
/// a few elements is made inside its storage's block (`Tensor::filled`).
fn zip_same<T: Float>(a: &Tensor, b: &Tensor, f: impl Fn(T, T) -> T) -> Tensor {
    let n = a.numel();
    let (ga, gb) = (a.storage().read(), b.storage().read());
    let (oa, ob) = (a.layout().offset, b.layout().offset);
    let (x, y) = (&T::slice(&ga)[oa..oa + n], &T::slice(&gb)[ob..ob + n]);
    if Storage::fits_inline::<T>(n) {
        return Tensor::filled(a.shape(), |out: &mut [T]| {
            for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
                *o = f(x, y);
            }
        });
    }
    let out: Vec<T> = x.iter().zip(y).map(|(&x, &y)| f(x, y)).collect();
    drop((ga, gb));
    Tensor::from_vec(out, a.shape()).expect("as many elements as the operands")
}

/// `a op b` on operands already in the compute dtype `dtype`.
fn binary_kernel(
    a: &Tensor,
    b: &Tensor,
    op: BinOp,
    dtype: DType,
    exponent_is_number: bool,
) -> Result<Tensor> {
    let (a, b) = (a.clone(), b.clone());
    match dtype {
        DType::F32 => float_binary::<f32>(&a, &b, op),
        DType::F64 => float_binary::<f64>(&a, &b, op),
        DType::I64 => {
            // an empty result divides nothing, whatever the divisor holds
            if matches!(op, BinOp::FloorDiv | BinOp::Rem) && a.numel() > 0 && has_zero(&b) {
                return Err(Error::runtime("ZeroDivisionError"));
            }
            match op {
                BinOp::Add => map2::<i64, i64>(&a, &b, |x, y| x.wrapping_add(y)),
                BinOp::Sub => map2::<i64, i64>(&a, &b, |x, y| x.wrapping_sub(y)),
                BinOp::Mul => map2::<i64, i64>(&a, &b, |x, y| x.wrapping_mul(y)),
                BinOp::FloorDiv => map2::<i64, i64>(&a, &b, |x, y| {
                    let q = x.wrapping_div(y);
                    if (x.wrapping_rem(y) != 0) && ((x < 0) != (y < 0)) {
                        q - 1
                    } else {
                        q
                    }
                }),
                BinOp::Rem => map2::<i64, i64>(&a, &b, |x, y| {
                    let r = x.wrapping_rem(y);
                    if r != 0 && ((r < 0) != (y < 0)) {
                        r + y
                    } else {
                        r
                    }
                }),
                BinOp::Pow => map2::<i64, i64>(&a, &b, int_pow),
                BinOp::Max => map2::<i64, i64>(&a, &b, |x, y| x.max(y)),
                BinOp::Min => map2::<i64, i64>(&a, &b, |x, y| x.min(y)),
                BinOp::Div => unreachable!("int division promotes to float"),
            }
        }
        DType::Bool => match op {
            BinOp::Add | BinOp::Max => map2::<bool, bool>(&a, &b, |x, y| x || y),
            BinOp::Mul | BinOp::Min => map2::<bool, bool>(&a, &b, |x, y| x && y),
            // bool ** True / False (a Python bool exponent) stays bool, as in PyTorch
            BinOp::Pow if exponent_is_number => map2::<bool, bool>(&a, &b, |x, y| x || !y),
            BinOp::Pow => Err(Error::not_implemented("\"pow\" not implemented for 'Bool'")),
            _ => Err(Error::not_implemented(format!(
                "\"{}_cpu\" not implemented for 'Bool'",
                op.kernel_name()
            ))),
        },
        other => unreachable!("{other} computes in {}", other.compute()),
    }
}

fn has_zero(t: &Tensor) -> bool {
    t.to_vec::<i64>().contains(&0)
}

fn check_pow_exponent(a: &Tensor, b: &Tensor) -> Result<()> {
    if !b.is_wrapped_number() {
        return Ok(());
    }
    let dtype = operands_dtype(a, b)?;
    if dtype.is_integral(false) {
        if let Ok(Scalar::Int(e)) = b.item() {
            if e < 0 {
                return Err(Error::runtime(
                    "Integers to negative integer powers are not allowed.",
                ));
            }
        }
    }
    // PyTorch converts a number exponent to an integer or 16-bit float result's dtype
    // first, refusing one that overflows it (2 ** 300 in uint8, 2 ** 1e40 in half)
    if dtype.is_integral(false) || matches!(dtype, DType::F16 | DType::BF16) {
        if let Ok(e) = b.item() {
            e.check_fits(dtype)?;
        }
    }
    Ok(())
}

/// `alpha * b` in the dtype of `a + b`: PyTorch promotes before it scales, so a
/// bfloat16 `b` added to a float64 `a` is not rounded to bfloat16 after scaling.
fn scaled_operand(a: &Tensor, b: &Tensor, alpha: Scalar) -> Result<Tensor> {
    let common = result_type(&[a, b])?;
    alpha.check_fits(common)?;
    // a bool result reads alpha as a bool too (it takes no part in the promotion)
    let alpha = match (common, alpha) {
        (DType::Bool, Scalar::Int(i)) => Scalar::Bool(i != 0),
        _ => alpha,
    };
    if b.dtype() == common {
        return binary_raw(b, &scalar(alpha), BinOp::Mul);
    }
    binary_raw(&cast_raw(b, common), &scalar(alpha), BinOp::Mul)
}

/// `a + alpha * b` rounded once for two float tensors, as PyTorch's kernel computes it
/// (`fma(b, alpha, a)`); None where the plain product-then-sum applies.
fn fused_alpha(a: &Tensor, b: &Tensor, alpha: Scalar, negate: bool) -> Option<Result<Tensor>> {
    if alpha == Scalar::Int(1) || a.is_wrapped_number() || b.is_wrapped_number() {
        return None;
    }
    let common = match result_type(&[a, b]) {
        Ok(common) if common.is_floating() => common,
        _ => return None,
    };
    let s = if negate {
        -alpha.to_f64()
    } else {
        alpha.to_f64()
    };
    Some(alpha.check_fits(common).and_then(|_| {
        use super::fused_multiply_add::{add_scaled_fused, in_dtype};
        add_scaled_fused(&in_dtype(a, common), &in_dtype(b, common), s)
    }))
}

/// PyTorch's `alpha_check` on the result dtype: a bool alpha only for a bool result, a
/// floating alpha only for a floating one.
fn check_alpha(dtype: DType, alpha: Scalar) -> Result<()> {
    match alpha {
        Scalar::Bool(_) if dtype != DType::Bool => Err(Error::runtime(
            "Boolean alpha only supported for Boolean results.",
        )),
        Scalar::Float(_) if !dtype.is_floating() => Err(Error::runtime(
            "For integral input tensors, argument alpha must not be a floating point number.",
        )),
        _ => Ok(()),
    }
}

/// `a + alpha * b` (`AddBackward0`).
pub fn add_scaled(a: &Tensor, b: &Tensor, alpha: Scalar) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        return super::complex::binary_scaled(a, b, alpha, '+');
    }
    if alpha != Scalar::Int(1) {
        check_alpha(binary_dtype(a, b, BinOp::Add)?, alpha)?;
    }
    let out = match fused_alpha(a, b, alpha, false) {
        Some(out) => out?,
        None if alpha == Scalar::Int(1) => binary_raw(a, b, BinOp::Add)?,
        None => binary_raw(a, &scaled_operand(a, b, alpha)?, BinOp::Add)?,
    };
    if needs_grad(&[a, b]) {
        if alpha == Scalar::Int(1) && same_shape_and_dtype(a, b, &out) {
            let rule = ScalarRule::Add.when_scalar(&[a, b], &out);
            record_with_rule("AddBackward0", &[a, b], &[&out], vec![], rule, |ctx| {
                let g = ctx.grad();
                Ok(vec![
                    ctx.needs(0).then(|| g.clone()),
                    ctx.needs(1).then(|| g.clone()),
                ])
            });
            return Ok(out);
        }
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        record("AddBackward0", &[a, b], &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(reduce_grad(g, &sa, da)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                let gb = if alpha == Scalar::Int(1) {
                    g.clone()
                } else {
                    mul(g, &scalar(alpha))?
                };
                Some(reduce_grad(&gb, &sb, db)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
        if alpha != Scalar::Int(1) {
            save_args(&out, vec![("alpha", SavedArg::Scalar(alpha))]);
        }
    }
    Ok(out)
}

/// Operands and result of one shape and dtype: each input's gradient is the output's
/// (up to sign) with nothing to sum down or cast, so the backward closure captures
/// nothing and costs no allocation.
fn same_shape_and_dtype(a: &Tensor, b: &Tensor, out: &Tensor) -> bool {
    a.dtype() == out.dtype()
        && b.dtype() == out.dtype()
        && a.shape() == out.shape()
        && b.shape() == out.shape()
}

pub fn add(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    add_scaled(a, b, Scalar::Int(1))
}

/// `a - alpha * b` (`SubBackward0`).
pub fn sub_scaled(a: &Tensor, b: &Tensor, alpha: Scalar) -> Result<Tensor> {
    // refuses a bool operand, also beside a complex one
    let dtype = binary_dtype(a, b, BinOp::Sub)?;
    if a.dtype().is_complex() || b.dtype().is_complex() {
        return super::complex::binary_scaled(a, b, alpha, '-');
    }
    check_alpha(dtype, alpha)?;
    let out = match fused_alpha(a, b, alpha, true) {
        Some(out) => out?,
        None if alpha == Scalar::Int(1) => binary_raw(a, b, BinOp::Sub)?,
        None => binary_raw(a, &scaled_operand(a, b, alpha)?, BinOp::Sub)?,
    };
    if needs_grad(&[a, b]) {
        if alpha == Scalar::Int(1) && same_shape_and_dtype(a, b, &out) {
            let rule = ScalarRule::Sub.when_scalar(&[a, b], &out);
            record_with_rule("SubBackward0", &[a, b], &[&out], vec![], rule, |ctx| {
                let g = ctx.grad();
                let gb = match ctx.needs(1) {
                    true => Some(mul(g, &scalar(Scalar::Int(-1)))?),
                    false => None,
                };
                Ok(vec![ctx.needs(0).then(|| g.clone()), gb])
            });
            return Ok(out);
        }
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        record("SubBackward0", &[a, b], &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(reduce_grad(g, &sa, da)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                let gb = mul(g, &scalar(negate(alpha)))?;
                Some(reduce_grad(&gb, &sb, db)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
        if alpha != Scalar::Int(1) {
            save_args(&out, vec![("alpha", SavedArg::Scalar(alpha))]);
        }
    }
    Ok(out)
}

fn negate(s: Scalar) -> Scalar {
    match s {
        Scalar::Int(i) => Scalar::Int(-i),
        Scalar::Float(f) => Scalar::Float(-f),
        Scalar::Bool(b) => Scalar::Int(-(b as i64)),
    }
}

pub fn sub(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    sub_scaled(a, b, Scalar::Int(1))
}

/// `other - a` for a Python number `other` (`RsubBackward1`).
pub fn rsub_scalar(a: &Tensor, other: Scalar) -> Result<Tensor> {
    let s = scalar(other);
    if a.dtype().is_complex() {
        return super::tensor_api::rsub(a, &s, Scalar::Int(1));
    }
    let out = binary_raw(&s, a, BinOp::Sub)?;
    if needs_grad(&[a]) {
        let (sa, da) = (Dims::from_slice(a.shape()), a.dtype());
        record("RsubBackward1", &[a], &[&out], vec![], move |ctx| {
            Ok(vec![Some(reduce_grad(&neg(ctx.grad())?, &sa, da)?)])
        });
    }
    save_args_for(&out, "RsubBackward1", || {
        vec![("alpha", SavedArg::Scalar(Scalar::Int(1)))]
    });
    Ok(out)
}

/// Saves `t` and returns its slot.
fn push_saved(saved: &mut SavedList, t: &Tensor) -> usize {
    saved.push(SavedTensor::input(t));
    saved.len() - 1
}

/// `a * b` (`MulBackward0`).
pub fn mul(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        return super::complex::binary(a, b, '*');
    }
    let out = binary_raw(a, b, BinOp::Mul)?;
    if needs_grad(&[a, b]) {
        // As PyTorch: each input is saved only for the other's gradient, so a write into
        // `a` after `a * 3.0` does not break the backward.
        let mut saved = SavedList::new();
        let b_at = a.requires_grad().then(|| push_saved(&mut saved, b));
        let a_at = b.requires_grad().then(|| push_saved(&mut saved, a));
        if same_shape_and_dtype(a, b, &out) {
            // `b` is first when saved, `a` last: an input needs its gradient only if
            // it required grad here, which is when the other was saved
            let rule = ScalarRule::Mul.when_scalar(&[a, b], &out);
            record_with_rule("MulBackward0", &[a, b], &[&out], saved, rule, |ctx| {
                let g = ctx.grad();
                let last = ctx.saved.len().saturating_sub(1);
                let ga = match ctx.needs(0) {
                    true => Some(mul(g, ctx.saved(0))?),
                    false => None,
                };
                let gb = match ctx.needs(1) {
                    true => Some(mul(g, ctx.saved(last))?),
                    false => None,
                };
                Ok(vec![ga, gb])
            });
            return Ok(out);
        }
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        record("MulBackward0", &[a, b], &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let ga = match (ctx.needs(0), b_at) {
                (true, Some(i)) => Some(reduce_grad(&mul(g, ctx.saved(i))?, &sa, da)?),
                _ => None,
            };
            let gb = match (ctx.needs(1), a_at) {
                (true, Some(i)) => Some(reduce_grad(&mul(g, ctx.saved(i))?, &sb, db)?),
                _ => None,
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// True division `a / b` (`DivBackward0`).
pub fn div(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        super::complex::refuse_half_kernel("div_cpu", super::operands_dtype(a, b)?)?;
        return super::complex::binary(a, b, '/');
    }
    div_named(a, b, "DivBackward0")
}

/// `div(a, b, rounding_mode=...)` with the argument passed: PyTorch's node is then
/// `DivBackward2` whatever the mode, None (true division) included.
pub fn div_explicit(a: &Tensor, b: &Tensor, mode: Option<&str>) -> Result<Tensor> {
    if mode.is_none() && !a.dtype().is_complex() && !b.dtype().is_complex() {
        return div_named(a, b, "DivBackward2");
    }
    div_mode(a, b, mode)
}

/// True division of real tensors, recorded as the node `name`.
fn div_named(a: &Tensor, b: &Tensor, name: &'static str) -> Result<Tensor> {
    let out = binary_raw(a, b, BinOp::Div)?;
    if needs_grad(&[a, b]) {
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        // `b` always; `a` only for `b`'s gradient (as PyTorch)
        let mut saved = SavedList::new();
        push_saved(&mut saved, b);
        let a_at = b.requires_grad().then(|| push_saved(&mut saved, a));
        if same_shape_and_dtype(a, b, &out) {
            // `a` is saved (second) exactly when `b` required grad here
            record(name, &[a, b], &[&out], saved, |ctx| {
                let g = ctx.grad();
                let y = ctx.saved(0);
                let ga = match ctx.needs(0) {
                    true => Some(div(g, y)?),
                    false => None,
                };
                let gb = match ctx.needs(1) {
                    true => Some(neg(&div(&mul(g, ctx.saved(1))?, &mul(y, y)?)?)?),
                    false => None,
                };
                Ok(vec![ga, gb])
            });
            return Ok(out);
        }
        record(name, &[a, b], &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let y = ctx.saved(0);
            let ga = if ctx.needs(0) {
                Some(reduce_grad(&div(g, y)?, &sa, da)?)
            } else {
                None
            };
            let gb = match (ctx.needs(1), a_at) {
                (true, Some(i)) => {
                    // d(x/y)/dy = -x / y²
                    let t = div(&mul(g, ctx.saved(i))?, &mul(y, y)?)?;
                    Some(reduce_grad(&neg(&t)?, &sb, db)?)
                }
                _ => None,
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `div(a, b, rounding_mode=...)`: None, "trunc" or "floor". The rounded forms have a
/// zero gradient (`DivBackward2`).
pub fn div_mode(a: &Tensor, b: &Tensor, mode: Option<&str>) -> Result<Tensor> {
    if mode == Some("trunc") {
        let dtype = operands_dtype(a, b)?;
        if dtype.is_float8() && b.numel() == 1 {
            return Err(shell_kernel_missing("div_trunc_cpu_reduced_float", dtype));
        }
        if dtype.is_shell() {
            return Err(shell_kernel_missing("div_trunc_cpu", dtype));
        }
        if dtype.is_complex() || dtype == DType::Bool {
            return Err(Error::not_implemented(format!(
                "\"div_trunc_cpu\" not implemented for '{}'",
                dtype.kernel_name()
            )));
        }
    }
    let out = match mode {
        None => return div(a, b),
        Some("floor") => {
            refuse_complex_floor(a, b)?;
            binary_raw(a, b, BinOp::FloorDiv)?
        }
        Some("trunc") => {
            let dtype = operands_dtype(a, b)?;
            let (x, y) = compute_operands(a, b, dtype);
            let q = if dtype.is_floating() {
                let mut q = binary_kernel(&x, &y, BinOp::Div, dtype.compute(), false)?;
                if q.dtype() != dtype {
                    // float16/bfloat16: PyTorch rounds the quotient to the dtype before truncating
                    q = cast_raw(&cast_raw(&q, dtype), q.dtype());
                }
                match q.dtype() {
                    DType::F32 => map1_trunc::<f32>(&q),
                    _ => map1_trunc::<f64>(&q),
                }
            } else {
                if x.numel() > 0 && has_zero(&y) {
                    return Err(Error::runtime("ZeroDivisionError"));
                }
                map2::<i64, i64>(&x, &y, |p, q| p.wrapping_div(q))?
            };
            narrow_to(q, dtype)
        }
        Some(other) => {
            return Err(Error::runtime(format!(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{other}'"
        )))
        }
    };
    if needs_grad(&[a, b]) && out.dtype().is_floating() {
        // a number divisor is wrapped as a tensor here too: its edge is None
        let inputs: Vec<&Tensor> = vec![a, b];
        let shapes: Vec<(Vec<usize>, DType)> = inputs
            .iter()
            .map(|t| (t.shape().to_vec(), t.dtype()))
            .collect();
        // PyTorch's node saves the operands as true division's does (unused here)
        let mut saved = SavedList::new();
        push_saved(&mut saved, b);
        if b.requires_grad() {
            push_saved(&mut saved, a);
        }
        record("DivBackward2", &inputs, &[&out], saved, move |ctx| {
            shapes
                .iter()
                .enumerate()
                .map(|(i, (s, d))| {
                    if ctx.needs(i) {
                        Tensor::zeros(s, *d).map(Some)
                    } else {
                        Ok(None)
                    }
                })
                .collect()
        });
        let mode: &'static str = if mode == Some("floor") {
            "floor"
        } else {
            "trunc"
        };
        save_args_for(&out, "DivBackward2", || {
            vec![("rounding_mode", SavedArg::Str(mode))]
        });
    }
    Ok(out)
}

fn map1_trunc<T: Float>(t: &Tensor) -> Tensor {
    super::cast::map1::<T, T>(t, Float::trunc)
}

/// `a // b`: not differentiable in PyTorch (its grad_fn is `NotImplemented`).
pub fn floor_divide(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    refuse_complex_floor(a, b)?;
    let out = binary_raw(a, b, BinOp::FloorDiv)?;
    if needs_grad(&[a, b]) && out.dtype().is_floating() {
        record_not_implemented("floor_divide", a, b, &out);
    }
    Ok(out)
}

/// Floor division of complex numbers: PyTorch's kernel (`div_floor`) has no complex form.
fn refuse_complex_floor(a: &Tensor, b: &Tensor) -> Result<()> {
    let dtype = operands_dtype(a, b)?;
    if dtype.is_complex() {
        return Err(Error::not_implemented(format!(
            "\"div_floor_cpu\" not implemented for '{}'",
            dtype.kernel_name()
        )));
    }
    Ok(())
}

/// PyTorch's `NotImplemented` node for an op without a derivative formula: its edges
/// lead only to the inputs that require grad.
fn record_not_implemented(op: &'static str, a: &Tensor, b: &Tensor, out: &Tensor) {
    let inputs: Vec<&Tensor> = [a, b].into_iter().filter(|t| t.requires_grad()).collect();
    let message = format!("derivative for aten::{op} is not implemented");
    record("NotImplemented", &inputs, &[out], vec![], move |_| {
        Err(Error::runtime(message.clone()))
    });
}

/// `a % b` with the divisor's sign (`RemainderBackward0`).
pub fn remainder_op(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let out = binary_raw(a, b, BinOp::Rem)?;
    if a.is_wrapped_number() && needs_grad(&[b]) {
        // `number % x` is PyTorch's `remainder.Scalar_Tensor`, which has no derivative
        record_not_implemented("remainder", a, b, &out);
    } else if needs_grad(&[a, b]) {
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        let name = if b.is_wrapped_number() {
            "RemainderBackward0"
        } else {
            "RemainderBackward1"
        };
        // `x % number` is PyTorch's `remainder.Scalar`: one edge, to x
        let number = b.is_wrapped_number();
        let inputs: &[&Tensor] = if number { &[a] } else { &[a, b] };
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record(name, inputs, &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(reduce_grad(g, &sa, da)?)
            } else {
                None
            };
            if number {
                return Ok(vec![ga]);
            }
            let gb = if ctx.needs(1) {
                // recorded (zero gradient), as PyTorch's formula, so create_graph works
                let q = div_mode(ctx.saved(0), ctx.saved(1), Some("floor"))?;
                Some(reduce_grad(&mul(&neg(g)?, &q)?, &sb, db)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `a ** b`: `PowBackward0` (Python-number exponent), `PowBackward1` (tensor exponent)
/// or `PowBackward2` (Python-number base).
pub fn pow(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        return super::complex_math::pow(a, b);
    }
    check_pow_exponent(a, b)?;
    let out = binary_raw(a, b, BinOp::Pow)?;
    // PyTorch's pow(Scalar, Tensor) allocates a row-major result
    let out = if a.is_wrapped_number() {
        super::cast::laid_out(out, None)
    } else {
        out
    };
    if !needs_grad(&[a, b]) {
        return Ok(out);
    }
    let (sa, da, sb, db) = (
        Dims::from_slice(a.shape()),
        a.dtype(),
        Dims::from_slice(b.shape()),
        b.dtype(),
    );
    if b.is_wrapped_number() {
        let e = b.item()?;
        record(
            "PowBackward0",
            &[a],
            &[&out],
            smallvec::smallvec![SavedTensor::input(a)],
            move |ctx| {
                if e.to_f64() == 0.0 {
                    return Ok(vec![Some(super::creation::zeros_like(ctx.saved(0))?)]);
                }
                if e.to_f64() == 2.0 {
                    let fused = super::fused_backward::square_backward(ctx.grad(), ctx.saved(0))?;
                    if let Some(g) = fused {
                        return Ok(vec![Some(reduce_grad(&g, &sa, da)?)]);
                    }
                }
                // d(x^e)/dx = e * x^(e-1)
                let em1 = match e {
                    Scalar::Int(i) => Scalar::Int(i - 1),
                    other => Scalar::Float(other.to_f64() - 1.0),
                };
                let d = mul(&pow(ctx.saved(0), &scalar(em1))?, &scalar(e))?;
                Ok(vec![Some(reduce_grad(&mul(ctx.grad(), &d)?, &sa, da)?)])
            },
        );
        save_args(&out, vec![("exponent", SavedArg::Scalar(e))]);
        return Ok(out);
    }
    let saved = vec![
        SavedTensor::input(a),
        SavedTensor::input(b),
        SavedTensor::output(&out),
    ];
    let name = if a.is_wrapped_number() {
        "PowBackward2"
    } else {
        "PowBackward1"
    };
    let inputs: Vec<&Tensor> = if a.is_wrapped_number() {
        vec![b]
    } else {
        vec![a, b]
    };
    let base_is_number = a.is_wrapped_number();
    // a number base's log in double, as PyTorch's `pow_backward_exponent` takes it
    let ln_base = if base_is_number {
        Some(a.item()?.to_f64().ln()).filter(|l| *l != f64::NEG_INFINITY)
    } else {
        None
    };
    record(name, &inputs, &[&out], saved, move |ctx| {
        let g = ctx.grad();
        let (x, y, r) = (ctx.saved(0), ctx.saved(1), ctx.saved(2));
        let grad_exponent = |need: bool| -> Result<Option<Tensor>> {
            if !need {
                return Ok(None);
            }
            if let Some(ln) = ln_base {
                let t = mul(g, &mul(r, &scalar(Scalar::Float(ln)))?)?;
                return Ok(Some(reduce_grad(&t, &sb, db)?));
            }
            // d(x^y)/dy = x^y * ln(x), taken as 0 where x == 0 and y >= 0
            let t = mul(&mul(g, r)?, &super::unary::log(x)?)?;
            let mask = super::compare::logical_and(
                &super::compare::eq(x, &scalar(Scalar::Int(0)))?,
                &super::compare::ge(y, &scalar(Scalar::Int(0)))?,
            )?;
            let t = super::index::masked_fill(&t, &mask, Scalar::Float(0.0))?;
            Ok(Some(reduce_grad(&t, &sb, db)?))
        };
        if base_is_number {
            return Ok(vec![grad_exponent(ctx.needs(0))?]);
        }
        let ga = if ctx.needs(0) {
            let ym1 = sub(y, &scalar(Scalar::Int(1)))?;
            let d = mul(y, &pow(x, &ym1)?)?;
            let d = super::index::masked_fill(
                &d,
                &super::compare::eq(y, &scalar(Scalar::Int(0)))?,
                Scalar::Float(0.0),
            )?;
            Some(reduce_grad(&mul(g, &d)?, &sa, da)?)
        } else {
            None
        };
        Ok(vec![ga, grad_exponent(ctx.needs(1))?])
    });
    Ok(out)
}

fn min_max(a: &Tensor, b: &Tensor, op: BinOp, name: &'static str) -> Result<Tensor> {
    let out = binary_raw(a, b, op)?;
    if needs_grad(&[a, b]) {
        let (sa, da, sb, db) = (
            Dims::from_slice(a.shape()),
            a.dtype(),
            Dims::from_slice(b.shape()),
            b.dtype(),
        );
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        record(name, &[a, b], &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let (x, y) = (ctx.saved(0), ctx.saved(1));
            // ties split the gradient in half, as PyTorch does
            let half = mul(g, &scalar(Scalar::Float(0.5)))?;
            let tie = super::compare::eq(x, y)?;
            let x_wins = if op == BinOp::Max {
                super::compare::gt(x, y)?
            } else {
                super::compare::lt(x, y)?
            };
            let y_wins = if op == BinOp::Max {
                super::compare::lt(x, y)?
            } else {
                super::compare::gt(x, y)?
            };
            let zeros = super::creation::zeros_like(g)?;
            let pick = |wins: &Tensor| -> Result<Tensor> {
                let t = super::index::where_(wins, g, &zeros)?;
                super::index::where_(&tie, &half, &t)
            };
            let ga = if ctx.needs(0) {
                Some(reduce_grad(&pick(&x_wins)?, &sa, da)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(reduce_grad(&pick(&y_wins)?, &sb, db)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

pub fn maximum(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::complex_refusals::refuse("maximum", a)?;
    super::complex_refusals::refuse("maximum", b)?;
    min_max(a, b, BinOp::Max, "MaximumBackward0")
}

pub fn minimum(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    super::complex_refusals::refuse("minimum", a)?;
    super::complex_refusals::refuse("minimum", b)?;
    min_max(a, b, BinOp::Min, "MinimumBackward0")
}

/// `neg` lives with the unary ops; re-exported here for the formulas above.
pub use super::unary::neg;
