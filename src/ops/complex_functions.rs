//! Complex elementwise functions beyond `complex_math` (hyperbolic, inverse
//! trigonometric, logarithms in other bases, `sigmoid`, value tests, `lerp`, scans),
//! written as compositions of complex ops that autograd already differentiates, each
//! result carrying PyTorch's node name. The `*_by_name` entry points serve the Python
//! bindings of `ops::math`: they answer for complex operands and defer otherwise.

use super::complex::{binary, real_view_raw, view_as_complex, view_as_real};
use super::complex_libm::{apply as libm_apply, Function};
use super::complex_math::{exp, log, sqrt};
use super::complex_refusals::refusal;
use super::named_node::named_result;
use crate::autograd::GradModeGuard;
use crate::error::Result;
use crate::tensor::{Scalar, Tensor};

fn parts(t: &Tensor) -> Result<(Tensor, Tensor)> {
    super::complex::refuse_half(t);
    let pairs = view_as_real(t)?;
    Ok((super::select(&pairs, -1, 0)?, super::select(&pairs, -1, 1)?))
}

fn join(re: &Tensor, im: &Tensor) -> Result<Tensor> {
    view_as_complex(&super::stack(&[re.clone(), im.clone()], -1)?)
}

fn num(v: f64) -> Tensor {
    super::scalar(Scalar::Float(v))
}

fn plus(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    binary(a, b, '+')
}

fn minus(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    binary(a, b, '-')
}

fn times(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    binary(a, b, '*')
}

fn over(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    binary(a, b, '/')
}

pub fn sinh(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Sinh, z)
}

pub fn cosh(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Cosh, z)
}

pub fn tan(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Tan, z)
}

pub fn log2(z: &Tensor) -> Result<Tensor> {
    named_result(&log_divided(z, std::f64::consts::LN_2)?, "Log2Backward0")
}

pub fn log10(z: &Tensor) -> Result<Tensor> {
    named_result(&log_divided(z, std::f64::consts::LN_10)?, "Log10Backward0")
}

/// `log(z) / c` for a real `c`, each part divided alone as PyTorch's vectorised kernel
/// does (a complex division would turn log(0)'s `-inf + 0i` into `-inf + nan i`).
fn log_divided(z: &Tensor, c: f64) -> Result<Tensor> {
    let (re, im) = parts(&log(z)?)?;
    join(&super::div(&re, &num(c))?, &super::div(&im, &num(c))?)
}

/// `log(1 + z)` as PyTorch's `log1p`: near 0 the real part is `log1p(x (x + 2) + y²) / 2`
/// (`x` itself when that underflows to 0), else `log(hypot(x + 1, y))`; the imaginary
/// part is `atan2(y, x + 1)`. Gradient `grad / conj(z + 1)`.
pub fn log1p(z: &Tensor) -> Result<Tensor> {
    let out = {
        let _no = GradModeGuard::new(false);
        let (x, y) = parts(z)?;
        let x1 = super::add(&x, &num(1.0))?;
        let theta = super::atan2(&y, &x1)?;
        let r = super::add(
            &super::mul(&x, &super::add(&x, &num(2.0))?)?,
            &super::mul(&y, &y)?,
        )?;
        let small = super::where_(
            &super::eq(&r, &num(0.0))?,
            &x,
            &super::mul(&super::log1p(&r)?, &num(0.5))?,
        )?;
        let large = super::log(&super::hypot(&x1, &y)?)?;
        let near_zero = super::lt(&super::hypot(&x, &y)?, &num(0.5))?;
        join(&super::where_(&near_zero, &small, &large)?, &theta)?
    };
    super::complex_math::with_node(z, out, "Log1PBackward0", |g, z, _| {
        over(g, &super::complex_math::conj(&plus(z, &num(1.0))?)?)
    })
}

/// `exp(z) - 1` as PyTorch's `expm1`: `expm1(x) cos(y) - 2 sin²(y/2) + i exp(x) sin(y)`.
/// Gradient `grad * (conj(result) + 1)`.
pub fn expm1(z: &Tensor) -> Result<Tensor> {
    let out = {
        let _no = GradModeGuard::new(false);
        let (x, y) = parts(z)?;
        let half_sin = super::sin(&super::div(&y, &num(2.0))?)?;
        let re = super::sub(
            &super::mul(&super::expm1(&x)?, &super::cos(&y)?)?,
            &super::mul(&super::mul(&half_sin, &num(2.0))?, &half_sin)?,
        )?;
        let im = super::mul(&super::exp(&x)?, &super::sin(&y)?)?;
        join(&re, &im)?
    };
    super::complex_math::with_node(z, out, "Expm1Backward0", |g, _, out| {
        times(g, &plus(&super::complex_math::conj(out)?, &num(1.0))?)
    })
}

/// `exp(ln 2 · z)`, each part scaled by the real `ln 2` (no complex product, whose
/// `0 · inf` would turn an infinite part into NaN). Gradient `grad * conj(result) ln 2`.
pub fn exp2(z: &Tensor) -> Result<Tensor> {
    let ln2 = std::f64::consts::LN_2;
    let out = {
        let _no = GradModeGuard::new(false);
        let (x, y) = parts(z)?;
        exp(&join(
            &super::mul(&x, &num(ln2))?,
            &super::mul(&y, &num(ln2))?,
        )?)?
    };
    super::complex_math::with_node(z, out, "Exp2Backward0", move |g, _, out| {
        times(&times(g, &super::complex_math::conj(out)?)?, &num(ln2))
    })
}

pub fn rsqrt(z: &Tensor) -> Result<Tensor> {
    named_result(&over(&num(1.0), &sqrt(z)?)?, "RsqrtBackward0")
}

/// `1 / (1 + exp(-z))` (`SigmoidBackward0`).
pub fn sigmoid(z: &Tensor) -> Result<Tensor> {
    super::complex_layout::in_order_of(sigmoid_unordered(z)?, &[z])
}

fn sigmoid_unordered(z: &Tensor) -> Result<Tensor> {
    let out = over(&num(1.0), &plus(&num(1.0), &exp(&super::neg(z)?)?)?)?;
    named_result(&out, "SigmoidBackward0")
}

/// `sin(pi z) / (pi z)`, 1 at 0 (`SincBackward0`).
pub fn sinc(z: &Tensor) -> Result<Tensor> {
    let pz = times(z, &num(std::f64::consts::PI))?;
    let is_zero = {
        let _no = GradModeGuard::new(false);
        super::eq(z, &num(0.0))?
    };
    // the zeros divide by 1 instead, so that neither value nor gradient is NaN there
    let safe = super::where_(&is_zero, &num(1.0), &pz)?;
    let ratio = over(&super::complex_math::sin(&safe)?, &safe)?;
    let out = super::where_(&is_zero, &num(1.0), &ratio)?;
    named_result(&out, "SincBackward0")
}

pub fn asin(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Asin, z)
}

pub fn acos(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Acos, z)
}

pub fn atan(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Atan, z)
}

pub fn asinh(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Asinh, z)
}

pub fn acosh(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Acosh, z)
}

pub fn atanh(z: &Tensor) -> Result<Tensor> {
    libm_apply(Function::Atanh, z)
}

/// Whether both parts pass `test` (`all`) or either does (`any`), without autograd.
fn test_parts(z: &Tensor, test: fn(&Tensor) -> Result<Tensor>, both: bool) -> Result<Tensor> {
    let _no = GradModeGuard::new(false);
    let per_part = test(&real_view_raw(z))?;
    let out = if both {
        super::all(&per_part, Some(&[-1]), false)?
    } else {
        super::any(&per_part, Some(&[-1]), false)?
    };
    super::complex_layout::in_order_of(out, &[z])
}

pub fn isfinite(z: &Tensor) -> Result<Tensor> {
    test_parts(z, super::math::isfinite, true)
}

pub fn isnan(z: &Tensor) -> Result<Tensor> {
    test_parts(z, super::compare::isnan, false)
}

pub fn isinf(z: &Tensor) -> Result<Tensor> {
    test_parts(z, super::math::isinf, false)
}

/// Whether the imaginary part is 0.
pub fn isreal(z: &Tensor) -> Result<Tensor> {
    let _no = GradModeGuard::new(false);
    let im = super::select(&real_view_raw(z), -1, 1)?;
    super::eq(&im, &num(0.0))
}

/// `log(exp(a) + exp(b))` (`LogaddexpBackward0`).
pub fn logaddexp(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    named_result(&log_add_exp_pair(a, b)?, "LogaddexpBackward0")
}

/// PyTorch's complex `log(exp(a) + exp(b))`: `hi + log1p(exp(lo - hi))` with `hi` the
/// operand of larger real part (a NaN operand is both), so the imaginary part follows
/// `hi`'s instead of being wrapped into (-pi, pi].
fn log_add_exp_pair(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let (b_hi, b_lo, both_inf, both_neg_inf) = {
        let _no = GradModeGuard::new(false);
        let re = |t: &Tensor| -> Result<Tensor> {
            if t.dtype().is_complex() {
                super::select(&real_view_raw(t), -1, 0)
            } else {
                Ok(t.detached())
            }
        };
        let nan = |t: &Tensor| -> Result<Tensor> {
            if t.dtype().is_complex() {
                isnan(t)
            } else {
                super::compare::isnan(t)
            }
        };
        let (re_a, re_b) = (re(a)?, re(b)?);
        let (nan_a, nan_b) = (nan(a)?, nan(b)?);
        let a_lower = super::lt(&re_a, &re_b)?;
        let usable = super::logical_not(&nan_a)?;
        let b_hi = super::logical_or(&nan_b, &super::logical_and(&usable, &a_lower)?)?;
        let b_lo = super::logical_or(
            &nan_b,
            &super::logical_and(&usable, &super::logical_not(&a_lower)?)?,
        )?;
        let re_hi = super::where_(&b_hi, &re_b, &re_a)?;
        let re_lo = super::where_(&b_lo, &re_b, &re_a)?;
        let both_inf =
            super::logical_and(&super::math::isinf(&re_hi)?, &super::eq(&re_lo, &re_hi)?)?;
        let both_neg_inf = super::logical_and(&both_inf, &super::lt(&re_hi, &num(0.0))?)?;
        (b_hi, b_lo, both_inf, both_neg_inf)
    };
    let hi = super::where_(&b_hi, b, a)?;
    let lo = super::where_(&b_lo, b, a)?;
    let out = plus(&log1p(&exp(&minus(&lo, &hi)?)?)?, &hi)?;
    if !both_inf.to_vec::<bool>().into_iter().any(|x| x) {
        return Ok(out);
    }
    // equal infinite real parts: -inf gives `hi`, +inf the unshifted sum
    let unshifted = log(&plus(&exp(&lo)?, &exp(&hi)?)?)?;
    let out = super::where_(&both_inf, &unshifted, &out)?;
    super::where_(&both_neg_inf, &hi, &out)
}

/// `a + weight (end - a)` (`LerpBackward0` for a number weight, else `LerpBackward1`).
pub fn lerp(a: &Tensor, end: &Tensor, weight: &Tensor) -> Result<Tensor> {
    super::complex::refuse_half_kernel("lerp_kernel_scalar", super::operands_dtype(a, end)?)?;
    let out = plus(a, &times(weight, &minus(end, a)?)?)?;
    let name = if weight.is_wrapped_number() {
        "LerpBackward0"
    } else {
        "LerpBackward1"
    };
    named_result(&out, name)
}

/// `z * 2^e` (`LdexpBackward0`).
pub fn ldexp(z: &Tensor, e: &Tensor) -> Result<Tensor> {
    let scale = super::pow(&num(2.0), e)?;
    named_result(&times(z, &scale)?, "LdexpBackward0")
}

/// `f(t)` when `t` is complex and `name` is a function with a complex form here or a
/// PyTorch refusal; otherwise `real(t)`.
pub fn unary_or(name: &str, t: &Tensor, real: super::math::UnaryFn) -> Result<Tensor> {
    if !t.dtype().is_complex() {
        return real(t);
    }
    let f: super::math::UnaryFn = match name {
        "sinh" => sinh,
        "cosh" => cosh,
        "tan" => tan,
        "log2" => log2,
        "log10" => log10,
        "log1p" => log1p,
        "expm1" => expm1,
        "exp2" => exp2,
        "rsqrt" => rsqrt,
        "asin" | "arcsin" => asin,
        "acos" | "arccos" => acos,
        "atan" | "arctan" => atan,
        "asinh" | "arcsinh" => asinh,
        "acosh" | "arccosh" => acosh,
        "atanh" | "arctanh" => atanh,
        "isfinite" => isfinite,
        "isinf" => isinf,
        "isreal" => isreal,
        "deg2rad" | "rad2deg" | "isposinf" | "isneginf" | "signbit" | "floor" | "ceil" => {
            return Err(refusal(name, t.dtype().kernel_name()))
        }
        "trunc" | "fix" => return Err(refusal("trunc", t.dtype().kernel_name())),
        _ => real,
    };
    if !matches!(name, "isfinite" | "isinf" | "isreal" | "sgn") {
        super::complex::refuse_half(t);
    }
    super::complex_layout::in_order_of(f(t)?, &[t])
}

/// `f(a, b)` when either operand is complex and `name` has a complex form here or a
/// PyTorch refusal; otherwise `real(a, b)`.
pub fn binary_or(
    name: &str,
    a: &Tensor,
    b: &Tensor,
    real: super::math::BinaryFn,
) -> Result<Tensor> {
    if !a.dtype().is_complex() && !b.dtype().is_complex() {
        return real(a, b);
    }
    if matches!(name, "fmax" | "fmin") {
        // refused before shapes and dtypes are looked at
        return Err(refusal(name, ""));
    }
    let kernel = super::operands_dtype(a, b)?.kernel_name();
    match name {
        "logaddexp" => logaddexp(a, b),
        "clamp_min" | "clamp_max" if b.is_wrapped_number() => Err(refusal("clamp", kernel)),
        "clamp_min" => Err(refusal("maximum_cpu", kernel)),
        "clamp_max" => Err(refusal("minimum_cpu", kernel)),
        _ => {
            // most real kernels refuse a complex dtype; PyTorch reports shapes first
            crate::tensor::layout::broadcast_shapes(a.shape(), b.shape())?;
            real(a, b)
        }
    }
}

/// The cumulative sum of complex `z` along `dim` (`CumsumBackward0`).
pub fn cumsum(z: &Tensor, dim: usize) -> Result<Tensor> {
    super::complex::refuse_half_kernel("cumsum_out_cpu", z.dtype())?;
    if z.ndim() == 0 {
        return named_result(&super::clone(z)?, "CumsumBackward0");
    }
    let pairs = super::reduce_more::cumsum(&view_as_real(z)?, dim as i64, None)?;
    let out = view_as_complex(&super::contiguous(&pairs)?)?;
    named_result(&out, "CumsumBackward0")
}

/// The cumulative product of complex `z` along `dim` (`CumprodBackward0`): running
/// complex products of the slices.
pub fn cumprod(z: &Tensor, dim: usize) -> Result<Tensor> {
    super::complex::refuse_half_kernel("cumprod_out_cpu", z.dtype())?;
    if z.ndim() == 0 || z.shape()[dim] == 0 {
        return named_result(&super::clone(z)?, "CumprodBackward0");
    }
    // an expanded input may hold few bytes but a dim past what a Vec of slices can take
    crate::tensor::memory_limit::check(z.numel(), z.dtype().size_in_bytes())?;
    let slices = super::unbind(z, dim as i64)?;
    let mut running = Vec::with_capacity(slices.len());
    let mut acc = slices[0].clone();
    running.push(acc.clone());
    for s in &slices[1..] {
        acc = times(&acc, s)?;
        running.push(acc.clone());
    }
    let out = super::stack(&running, dim as i64)?;
    named_result(&out, "CumprodBackward0")
}

/// The largest real part over `dims` (kept), a constant that keeps `exp` in range.
fn real_shift(z: &Tensor, dims: &[i64]) -> Result<Tensor> {
    let _no = GradModeGuard::new(false);
    let re = super::select(&real_view_raw(z), -1, 0)?;
    if dims.iter().any(|&d| re.shape()[d as usize] == 0) {
        // nothing to shift by (amax refuses an empty reduction): the sum is 0, its log -inf
        return super::sum(&re, Some(dims), true, None);
    }
    let m = super::reduce::amax(&re, Some(dims), true)?;
    // an infinite or NaN shift would poison every element: no shift there
    let finite = super::math::isfinite(&m)?;
    super::where_(&finite, &m, &num(0.0))
}

/// `log(cumsum(exp(z)))` along `dim` (`LogcumsumexpBackward0`), accumulated one step at
/// a time with PyTorch's complex `logaddexp`, whose imaginary parts it reproduces.
pub fn logcumsumexp(z: &Tensor, dim: usize) -> Result<Tensor> {
    if z.ndim() == 0 || z.numel() == 0 {
        return named_result(&super::clone(z)?, "LogcumsumexpBackward0");
    }
    crate::tensor::memory_limit::check(z.numel(), z.dtype().size_in_bytes())?;
    let items = super::unbind(z, dim as i64)?;
    let mut acc = items[0].clone();
    let mut steps = Vec::with_capacity(items.len());
    steps.push(acc.clone());
    for item in &items[1..] {
        acc = log_add_exp_pair(item, &acc)?; // PyTorch's order: ties take the new item
        steps.push(acc.clone());
    }
    let out = super::stack(&steps, dim as i64)?;
    named_result(&out, "LogcumsumexpBackward0")
}

/// `log(sum(exp(z)))` over `dims` (`LogsumexpBackward0`).
pub fn logsumexp(z: &Tensor, dims: &[i64], keepdim: bool) -> Result<Tensor> {
    super::reduced_dims(z, Some(dims))?; // a 0-dim tensor's dims are -1 and 0 only
    let (src, dims): (Tensor, Vec<i64>) = if z.ndim() == 0 {
        (super::reshape(z, &[1])?, vec![0])
    } else {
        (
            z.clone(),
            super::reduced_dims(z, Some(dims))?
                .into_iter()
                .map(|d| d as i64)
                .collect(),
        )
    };
    let keep = keepdim && z.ndim() > 0;
    let m = real_shift(&src, &dims)?;
    let s = super::sum(&exp(&minus(&src, &m)?)?, Some(&dims), keep, None)?;
    let m_out = if keep {
        m
    } else {
        super::reshape(&m, &s.shape().iter().map(|&d| d as i64).collect::<Vec<_>>())?
    };
    let out = plus(&log(&s)?, &m_out)?;
    named_result(&out, "LogsumexpBackward0")
}
