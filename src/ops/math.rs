//! Elementwise math beyond the basic unary ops: rounding, exponentials and logarithms,
//! trigonometric and hyperbolic functions, the error function, two-operand functions
//! (`atan2`, `hypot`, `copysign`, `logaddexp`, `fmod`, `lerp`, `float_power`, `xlogy`,
//! `fmax`, `fmin`) and tests of values (`isinf`, `signbit`, `nan_to_num`, ...).
//!
//! Dtypes follow PyTorch: float functions compute integer and bool inputs in the default
//! dtype, rounding functions keep integer dtypes, and two-operand functions promote with
//! `torch.result_type`. Each gradient is written with ops, so `create_graph` works.

use super::cast::{cast_raw, map1, map2, via_compute};
use super::simd_map::{simd_map1, simd_map2};
use super::vector_map::float_map_vectorized;
use super::{operands_dtype, reduce_grad, scalar};
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::{simd_map, vmath};
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::{default_dtype, DType, Element, Scalar, Tensor};

use super::binary::{add, div, mul, neg, rsub_scalar, sub};
use super::unary::{exp, reciprocal};

/// Special functions that `std` lacks (or computes less accurately), per float type.
trait Special: Copy {
    fn erfc_(self) -> Self;
    fn erfinv_(self) -> Self;
    fn asinh_(self) -> Self;
    fn acosh_(self) -> Self;
    fn atanh_(self) -> Self;
}

macro_rules! special_impl {
    ($t:ty, $erf:path, $erfc:path, $asinh:path, $acosh:path, $atanh:path) => {
        impl Special for $t {
            #[inline]
            fn erfc_(self) -> Self {
                $erfc(self)
            }
            #[inline]
            fn asinh_(self) -> Self {
                $asinh(self)
            }
            #[inline]
            fn acosh_(self) -> Self {
                // libm reads |x| for its range split, so -128 would give -inf
                if self < 1.0 {
                    <$t>::NAN
                } else {
                    $acosh(self)
                }
            }
            #[inline]
            fn atanh_(self) -> Self {
                $atanh(self)
            }
            /// PyTorch's `calc_erfinv`: a rational first guess refined by two Newton steps
            /// (the coefficients, as PyTorch writes them, are rounded to the float type).
            #[allow(clippy::excessive_precision)]
            fn erfinv_(self) -> Self {
                let y = self;
                const A: [$t; 4] = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
                const B: [$t; 4] = [-2.118377725, 1.442710462, -0.329097515, 0.012229801];
                const C: [$t; 4] = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
                const D: [$t; 2] = [3.543889200, 1.637067800];
                let y_abs = y.abs();
                if y_abs > 1.0 {
                    return <$t>::NAN;
                }
                if y_abs == 1.0 {
                    return <$t>::INFINITY.copysign(y);
                }
                let mut x = if y_abs <= 0.7 {
                    let z = y * y;
                    let num = ((A[3] * z + A[2]) * z + A[1]) * z + A[0];
                    let dem = (((B[3] * z + B[2]) * z + B[1]) * z + B[0]) * z + 1.0;
                    y * num / dem
                } else {
                    let z = (-((1.0 - y_abs) / 2.0).ln()).sqrt();
                    let num = ((C[3] * z + C[2]) * z + C[1]) * z + C[0];
                    let dem = (D[1] * z + D[0]) * z + 1.0;
                    num.copysign(y) / dem
                };
                let two_over_sqrt_pi = 2.0 / (std::f64::consts::PI.sqrt() as $t);
                x = x - ($erf(x) - y) / (two_over_sqrt_pi * (-x * x).exp());
                x = x - ($erf(x) - y) / (two_over_sqrt_pi * (-x * x).exp());
                x
            }
        }
    };
}
/// erfc in float32 through float64, rounded once: PyTorch's float32 results where they
/// fall among the denormals (`erfc(10.)` is 1.4013e-45, not 2.8026e-45).
fn erfc_f32(x: f32) -> f32 {
    libm::erfc(f64::from(x)) as f32
}

special_impl!(
    f32,
    libm::erff,
    erfc_f32,
    libm::asinhf,
    libm::acoshf,
    libm::atanhf
);
special_impl!(
    f64,
    libm::erf,
    libm::erfc,
    libm::asinh,
    libm::acosh,
    libm::atanh
);

/// `t` itself when floating, else its values in the default dtype.
fn as_float(t: &Tensor) -> Tensor {
    super::complex::refuse_complex(t);
    super::shell_refusals::refuse_float8_kernel(t);
    if t.dtype().is_floating() {
        t.clone()
    } else {
        cast_raw(t, default_dtype())
    }
}

/// Applies the same expression to f32 or f64 elements (integer and bool inputs are
/// computed in the default dtype).
macro_rules! float_unary {
    ($t:expr, |$x:ident| $body:expr) => {{
        let src = as_float($t);
        let dtype = src.dtype();
        let src = super::cast::in_compute(&src, dtype);
        let out = match src.dtype() {
            DType::F32 => simd_map1::<f32, f32>(&src, |$x: f32| $body),
            _ => simd_map1::<f64, f64>(&src, |$x: f64| $body),
        };
        super::cast::narrow_to(out, dtype)
    }};
}

/// Applies the same expression to both operands converted to the float `dtype`.
macro_rules! float_binary {
    ($a:expr, $b:expr, $dtype:expr, |$x:ident, $y:ident| $body:expr) => {{
        super::complex::refuse_complex($a);
        super::complex::refuse_complex($b);
        super::shell_refusals::refuse_float8_kernel($a);
        super::shell_refusals::refuse_float8_kernel($b);
        let (ca, cb) = super::cast::compute_operands($a, $b, $dtype);
        let out = match $dtype.compute() {
            DType::F32 => simd_map2::<f32, f32>(&ca, &cb, |$x: f32, $y: f32| $body)?,
            _ => simd_map2::<f64, f64>(&ca, &cb, |$x: f64, $y: f64| $body)?,
        };
        super::cast::narrow_to(out, $dtype)
    }};
}

/// The constant `v` in the float type of `_x`.
#[inline(always)]
fn like<T: Element>(v: f64, _x: T) -> T {
    T::from_f64(v)
}

fn f(x: f64) -> Tensor {
    scalar(Scalar::Float(x))
}

fn i(x: i64) -> Tensor {
    scalar(Scalar::Int(x))
}

fn not_implemented(kernel: &str, dtype: DType) -> Error {
    Error::not_implemented(format!(
        "\"{kernel}\" not implemented for '{}'",
        dtype.kernel_name()
    ))
}

/// Records a one-input node whose gradient is `grad * factor`.
fn with_constant_grad(t: &Tensor, out: Tensor, name: &'static str, factor: f64) -> Result<Tensor> {
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        record(name, &[t], &[&out], vec![], move |ctx| {
            let g = if factor == 1.0 {
                ctx.grad().clone()
            } else {
                mul(ctx.grad(), &f(factor))?
            };
            Ok(vec![Some(super::to_dtype(&g, dtype)?)])
        });
    }
    Ok(out)
}

/// Records a one-input node with a zero gradient (rounding functions).
fn with_zero_grad(t: &Tensor, out: Tensor, name: &'static str) -> Result<Tensor> {
    if needs_grad(&[t]) {
        record(name, &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(super::creation::zeros_like(ctx.grad())?)])
        });
    }
    Ok(out)
}

// ---- rounding ------------------------------------------------------------------

fn rounding(
    t: &Tensor,
    kernel: &str,
    name: &'static str,
    f32f: impl Fn(f32) -> f32 + Copy + Sync + Send,
    f64f: impl Fn(f64) -> f64 + Copy + Sync + Send,
) -> Result<Tensor> {
    if t.dtype() == DType::Bool {
        return Err(not_implemented(kernel, DType::Bool));
    }
    // generic (not `fn` pointers) so that each rounding inlines into a SIMD loop
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, f32f),
            DType::F64 => simd_map1::<f64, f64>(t, f64f),
            _ => super::cast::clone_preserving_detached(t)?,
        })
    })?;
    with_zero_grad(t, out, name)
}

/// `floor(t)` (`FloorBackward0`); integer tensors are returned as a copy.
pub fn floor(t: &Tensor) -> Result<Tensor> {
    rounding(t, "floor_vml_cpu", "FloorBackward0", f32::floor, f64::floor)
}

/// `ceil(t)` (`CeilBackward0`).
pub fn ceil(t: &Tensor) -> Result<Tensor> {
    rounding(t, "ceil_vml_cpu", "CeilBackward0", f32::ceil, f64::ceil)
}

/// `fix(t)` (= `trunc`, `TruncBackward0`); integer tensors are returned as a copy.
pub fn fix(t: &Tensor) -> Result<Tensor> {
    rounding(t, "trunc_vml_cpu", "TruncBackward0", f32::trunc, f64::trunc)
}

/// `round(t)`: half to even (`RoundBackward0`).
pub fn round(t: &Tensor) -> Result<Tensor> {
    rounding(
        t,
        "round_vml_cpu",
        "RoundBackward0",
        f32::round_ties_even,
        f64::round_ties_even,
    )
}

/// `round(t, decimals=d)` (`RoundBackward1`): float tensors only.
pub fn round_decimals(t: &Tensor, decimals: i64) -> Result<Tensor> {
    if !t.dtype().is_floating() {
        return Err(not_implemented("round_cpu", t.dtype()));
    }
    let neg_flag = decimals < 0;
    let ten_pow = 10f64.powf(decimals.unsigned_abs() as f64);
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => {
                let p = ten_pow as f32;
                map1::<f32, f32>(t, move |x| {
                    if neg_flag {
                        (x / p).round_ties_even() * p
                    } else {
                        (x * p).round_ties_even() / p
                    }
                })
            }
            _ => map1::<f64, f64>(t, move |x| {
                if neg_flag {
                    (x / ten_pow).round_ties_even() * ten_pow
                } else {
                    (x * ten_pow).round_ties_even() / ten_pow
                }
            }),
        })
    })?;
    with_zero_grad(t, out, "RoundBackward1")
}

/// `frac(t) = t - trunc(t)` (`FracBackward0`, gradient passes through).
pub fn frac(t: &Tensor) -> Result<Tensor> {
    if !t.dtype().is_floating() {
        return Err(not_implemented("frac_cpu", t.dtype()));
    }
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, |x| x - x.trunc()),
            _ => simd_map1::<f64, f64>(t, |x| x - x.trunc()),
        })
    })?;
    with_constant_grad(t, out, "FracBackward0", 1.0)
}

/// `sgn(t)`: -1, 0 or 1 for real tensors, with `sgn(NaN) = sgn(-0.0) = 0` as in
/// PyTorch; bool kept (`SgnBackward0`, zero gradient).
pub fn sgn(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("sign_cpu", t)?;
    if t.dtype().is_complex() {
        return super::complex_math::sgn(t);
    }
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => map1::<f32, f32>(t, |x| ((x > 0.0) as i8 - (x < 0.0) as i8) as f32),
            DType::F64 => map1::<f64, f64>(t, |x| ((x > 0.0) as i8 - (x < 0.0) as i8) as f64),
            DType::I64 => map1::<i64, i64>(t, i64::signum),
            _ => super::cast::clone_preserving_detached(t)?,
        })
    })?;
    with_zero_grad(t, out, "SgnBackward0")
}

// ---- exponentials, logarithms, powers -------------------------------------------

pub fn rsqrt(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| 1.0 / x.sqrt());
    // d x^(-1/2) = -1/2 x^(-3/2) = -1/2 r³
    super::unary::unary_with_grad(t, out, "RsqrtBackward0", true, |r| {
        mul(&mul(&mul(r, r)?, r)?, &f(-0.5))
    })
}

pub fn log1p(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::log1p, f64::ln_1p);
    super::unary::unary_with_grad(t, out, "Log1PBackward0", false, |x| {
        reciprocal(&add(x, &i(1))?)
    })
}

pub fn expm1(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.exp_m1());
    super::unary::unary_with_grad(t, out, "Expm1Backward0", true, |r| add(r, &i(1)))
}

pub fn log2(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.log2());
    super::unary::unary_with_grad(t, out, "Log2Backward0", false, |x| {
        reciprocal(&mul(x, &f(std::f64::consts::LN_2))?)
    })
}

pub fn log10(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.log10());
    super::unary::unary_with_grad(t, out, "Log10Backward0", false, |x| {
        reciprocal(&mul(x, &f(std::f64::consts::LN_10))?)
    })
}

pub fn exp2(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.exp2());
    super::unary::unary_with_grad(t, out, "Exp2Backward0", true, |r| {
        mul(r, &f(std::f64::consts::LN_2))
    })
}

// ---- trigonometric and hyperbolic ----------------------------------------------

pub fn tan(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::tan, f64::tan);
    // d tan = 1 + tan²
    super::unary::unary_with_grad(t, out, "TanBackward0", true, |r| add(&mul(r, r)?, &i(1)))
}

pub fn sinh(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.sinh());
    super::unary::unary_with_grad(t, out, "SinhBackward0", false, cosh)
}

pub fn cosh(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.cosh());
    super::unary::unary_with_grad(t, out, "CoshBackward0", false, sinh)
}

pub fn asin(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::asin, f64::asin);
    // 1 / sqrt(1 - x²)
    super::unary::unary_with_grad(t, out, "AsinBackward0", false, |x| {
        rsqrt(&rsub_scalar(&mul(x, x)?, Scalar::Int(1))?)
    })
}

pub fn acos(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::acos, f64::acos);
    super::unary::unary_with_grad(t, out, "AcosBackward0", false, |x| {
        neg(&rsqrt(&rsub_scalar(&mul(x, x)?, Scalar::Int(1))?)?)
    })
}

pub fn atan(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::atan, f64::atan);
    super::unary::unary_with_grad(t, out, "AtanBackward0", false, |x| {
        reciprocal(&add(&mul(x, x)?, &i(1))?)
    })
}

pub fn asinh(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.asinh_());
    super::unary::unary_with_grad(t, out, "AsinhBackward0", false, |x| {
        rsqrt(&add(&mul(x, x)?, &i(1))?)
    })
}

pub fn acosh(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.acosh_());
    super::unary::unary_with_grad(t, out, "AcoshBackward0", false, |x| {
        rsqrt(&sub(&mul(x, x)?, &i(1))?)
    })
}

pub fn atanh(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.atanh_());
    super::unary::unary_with_grad(t, out, "AtanhBackward0", false, |x| {
        reciprocal(&rsub_scalar(&mul(x, x)?, Scalar::Int(1))?)
    })
}

pub fn deg2rad(t: &Tensor) -> Result<Tensor> {
    const K: f64 = std::f64::consts::PI / 180.0;
    let out = float_unary!(t, |x| x * like(K, x));
    with_constant_grad(t, out, "Deg2RadBackward0", K)
}

pub fn rad2deg(t: &Tensor) -> Result<Tensor> {
    const K: f64 = 180.0 / std::f64::consts::PI;
    let out = float_unary!(t, |x| x * like(K, x));
    with_constant_grad(t, out, "Rad2DegBackward0", K)
}

// ---- error function -------------------------------------------------------------

const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

pub fn erf(t: &Tensor) -> Result<Tensor> {
    let out = float_map_vectorized(t, vmath::erf, libm::erf);
    super::unary::unary_with_grad(t, out, "ErfBackward0", false, |x| {
        mul(&exp(&neg(&mul(x, x)?)?)?, &f(TWO_OVER_SQRT_PI))
    })
}

pub fn erfc(t: &Tensor) -> Result<Tensor> {
    let out = float_unary!(t, |x| x.erfc_());
    super::unary::unary_with_grad(t, out, "ErfcBackward0", false, |x| {
        mul(&exp(&neg(&mul(x, x)?)?)?, &f(-TWO_OVER_SQRT_PI))
    })
}

pub fn erfinv(t: &Tensor) -> Result<Tensor> {
    // float32 is computed in float64 (near ±1 an ulp of erf in float32 moves the root
    // by 1e-5 relative), which gives PyTorch's float32 results
    let out = float_unary!(t, |x| (x as f64).erfinv_() as _);
    // sqrt(pi)/2 * exp(erfinv(x)²), from the saved input as in PyTorch
    super::unary::unary_with_grad(t, out, "ErfinvBackward0", false, |x| {
        let r = erfinv(x)?;
        mul(&exp(&mul(&r, &r)?)?, &f(1.0 / TWO_OVER_SQRT_PI))
    })
}

// ---- tests of values -------------------------------------------------------------

fn test_values(
    t: &Tensor,
    ff: fn(f64) -> bool,
    fi: fn(i64) -> bool,
    fb: fn(bool) -> bool,
) -> Tensor {
    match t.dtype() {
        DType::F32 => map1::<f32, bool>(t, move |x| ff(x as f64)),
        DType::F64 => map1::<f64, bool>(t, ff),
        DType::I64 => map1::<i64, bool>(t, fi),
        DType::Bool => map1::<bool, bool>(t, fb),
        complex @ (DType::C32 | DType::C64 | DType::C128) => {
            panic!("not implemented for '{}'", complex.kernel_name())
        }
        narrow => test_values(&cast_raw(t, narrow.compute()), ff, fi, fb),
    }
}

pub fn isinf(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("isinf", t)?;
    Ok(test_values(t, f64::is_infinite, |_| false, |_| false))
}

pub fn isfinite(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("isfinite", t)?;
    Ok(test_values(t, f64::is_finite, |_| true, |_| true))
}

pub fn isposinf(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("isposinf_cpu", t)?;
    Ok(test_values(t, |x| x == f64::INFINITY, |_| false, |_| false))
}

pub fn isneginf(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("isneginf_cpu", t)?;
    Ok(test_values(
        t,
        |x| x == f64::NEG_INFINITY,
        |_| false,
        |_| false,
    ))
}

/// Real tensors are real everywhere.
pub fn isreal(t: &Tensor) -> Result<Tensor> {
    Ok(test_values(t, |_| true, |_| true, |_| true))
}

pub fn signbit(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("signbit_cpu", t)?;
    Ok(test_values(t, f64::is_sign_negative, |x| x < 0, |_| false))
}

/// `nan_to_num(t, nan, posinf, neginf)` (`NanToNumBackward0`): the replacements default
/// to 0 and the dtype's largest and lowest finite values. Non-float tensors are copied.
pub fn nan_to_num(
    t: &Tensor,
    nan: Option<f64>,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("nan_to_num", t)?;
    let nan = nan.unwrap_or(0.0);
    let out = match t.dtype() {
        d @ (DType::F16 | DType::BF16) => {
            // the largest finite float16 / bfloat16
            let max = if d == DType::F16 {
                65504.0
            } else {
                3.3895313892515355e38
            };
            let min = -max;
            let wide = cast_raw(t, DType::F32);
            let (n, p, m) = (
                nan as f32,
                posinf.unwrap_or(max) as f32,
                neginf.unwrap_or(min) as f32,
            );
            cast_raw(
                &map1::<f32, f32>(&wide, move |x| replace_non_finite(x, n, p, m)),
                d,
            )
        }
        DType::F32 => {
            let (n, p, m) = (
                nan as f32,
                posinf.map_or(f32::MAX, |v| v as f32),
                neginf.map_or(f32::MIN, |v| v as f32),
            );
            map1::<f32, f32>(t, move |x| replace_non_finite(x, n, p, m))
        }
        DType::F64 => {
            let (p, m) = (posinf.unwrap_or(f64::MAX), neginf.unwrap_or(f64::MIN));
            map1::<f64, f64>(t, move |x| replace_non_finite(x, nan, p, m))
        }
        _ => super::cast::clone_preserving_detached(t)?,
    };
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        record(
            "NanToNumBackward0",
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::input(t)],
            move |ctx| {
                let g = mul(ctx.grad(), &isfinite(ctx.saved(0))?)?;
                Ok(vec![Some(super::to_dtype(&g, dtype)?)])
            },
        );
    }
    Ok(out)
}

fn replace_non_finite<T: Element + PartialOrd + Copy>(x: T, nan: T, pos: T, neg: T) -> T {
    let v = x.to_f64();
    if v.is_nan() {
        nan
    } else if v == f64::INFINITY {
        pos
    } else if v == f64::NEG_INFINITY {
        neg
    } else {
        x
    }
}

// ---- two operands ------------------------------------------------------------------

/// The promoted dtype, made the default float dtype when integral.
fn float_result_dtype(a: &Tensor, b: &Tensor) -> Result<DType> {
    let d = operands_dtype(a, b)?;
    Ok(if d.is_floating() { d } else { default_dtype() })
}

/// The promoted dtype for ops PyTorch has float kernels only for.
fn float_only_dtype(a: &Tensor, b: &Tensor, kernel: &str) -> Result<DType> {
    let d = operands_dtype(a, b)?;
    if d.is_floating() {
        Ok(d)
    } else {
        Err(not_implemented(kernel, d))
    }
}

struct Meta {
    shape: Vec<usize>,
    dtype: DType,
}

impl Meta {
    fn of(t: &Tensor) -> Meta {
        Meta {
            shape: t.shape().to_vec(),
            dtype: t.dtype(),
        }
    }
    fn reduce(&self, g: &Tensor) -> Result<Tensor> {
        reduce_grad(g, &self.shape, self.dtype)
    }
}

type Formula = fn(&Tensor, &Tensor, &Tensor, &Tensor) -> Result<Tensor>;

/// Records a node over both operands (or over the tensor one when the other is a
/// Python number), saving both operands; `ga`/`gb` get (grad, a, b, out) and return
/// the unreduced gradient.
fn record_binary(
    a: &Tensor,
    b: &Tensor,
    out: &Tensor,
    names: [&'static str; 3],
    ga: Formula,
    gb: Formula,
) {
    record_binary_saving(a, b, out, names, ga, gb, [true, true, false]);
}

/// `record_binary` saving only what the formulas read, as PyTorch does (`saves` is
/// [a, b, out]; what is not saved reaches the formulas as the gradient, unread), so
/// that modifying an unsaved tensor in place does not fail the backward.
fn record_binary_saving(
    a: &Tensor,
    b: &Tensor,
    out: &Tensor,
    names: [&'static str; 3],
    ga: Formula,
    gb: Formula,
    saves: [bool; 3],
) {
    if !needs_grad(&[a, b]) {
        return;
    }
    // names: [both tensors, `a` a number, `b` a number]
    let (name, inputs, which): (_, Vec<&Tensor>, Vec<usize>) = if b.is_wrapped_number() {
        (names[2], vec![a], vec![0])
    } else if a.is_wrapped_number() {
        (names[1], vec![b], vec![1])
    } else {
        (names[0], vec![a, b], vec![0, 1])
    };
    let metas = [Meta::of(a), Meta::of(b)];
    let mut saved = Vec::new();
    if saves[0] {
        saved.push(SavedTensor::input(a));
    }
    if saves[1] {
        saved.push(SavedTensor::input(b));
    }
    if saves[2] {
        saved.push(SavedTensor::output(out));
    }
    record(name, &inputs, &[out], saved, move |ctx| {
        let g = ctx.grad();
        let mut next = 0;
        let mut take = |saved: bool| {
            if saved {
                next += 1;
                ctx.saved(next - 1)
            } else {
                g
            }
        };
        let (x, y, r) = (take(saves[0]), take(saves[1]), take(saves[2]));
        which
            .iter()
            .enumerate()
            .map(|(slot, &k)| {
                if !ctx.needs(slot) {
                    return Ok(None);
                }
                let formula = if k == 0 { ga } else { gb };
                Ok(Some(metas[k].reduce(&formula(g, x, y, r)?)?))
            })
            .collect()
    });
}

fn zero_formula(g: &Tensor, _: &Tensor, _: &Tensor, _: &Tensor) -> Result<Tensor> {
    super::creation::zeros_like(g)
}

pub fn atan2(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_result_dtype(a, b)?;
    let out = float_binary!(a, b, dtype, |x, y| x.atan2(y));
    // d/da = b / (a² + b²), d/db = -a / (a² + b²), both 0 where a² + b² is 0
    fn recip(x: &Tensor, y: &Tensor) -> Result<Tensor> {
        let r = reciprocal(&add(&mul(x, x)?, &mul(y, y)?)?)?;
        super::index::masked_fill(&r, &isinf(&r)?, Scalar::Int(0))
    }
    record_binary(
        a,
        b,
        &out,
        ["Atan2Backward0"; 3],
        |g, x, y, _| mul(&mul(g, y)?, &recip(x, y)?),
        |g, x, y, _| mul(&mul(g, &neg(x)?)?, &recip(x, y)?),
    );
    Ok(out)
}

pub fn hypot(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, b, "hypot_cpu")?;
    let out = float_binary!(a, b, dtype, |x, y| x.hypot(y));
    record_binary_saving(
        a,
        b,
        &out,
        ["HypotBackward0"; 3],
        |g, x, _, r| div(&mul(g, x)?, r),
        |g, _, y, r| div(&mul(g, y)?, r),
        [true, true, true],
    );
    Ok(out)
}

/// `copysign(a, b)`: `CopysignBackward0` (tensor `b`) or `CopysignBackward1` (number).
pub fn copysign(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_result_dtype(a, b)?;
    let out = float_binary!(a, b, dtype, |x, y| x.copysign(y));
    record_binary_saving(
        a,
        b,
        &out,
        [
            "CopysignBackward0",
            "CopysignBackward0",
            "CopysignBackward1",
        ],
        |g, x, _, r| {
            // grad * (result / self), zero where self == 0
            let ratio = div(r, x)?;
            let ratio =
                super::index::masked_fill(&ratio, &super::compare::eq(x, &i(0))?, Scalar::Int(0))?;
            mul(g, &ratio)
        },
        zero_formula,
        [true, false, true],
    );
    Ok(out)
}

pub fn logaddexp(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, b, "logaddexp_cpu")?;
    let out = float_binary!(a, b, dtype, |x, y| {
        if x.is_infinite() && x == y {
            x
        } else {
            let m = if x.is_nan() || y.is_nan() {
                x + y
            } else {
                x.max(y)
            };
            m + (-(x - y).abs()).exp().ln_1p()
        }
    });
    // d/da = 1 / (1 + exp(b - a))
    record_binary(
        a,
        b,
        &out,
        ["LogaddexpBackward0"; 3],
        |g, x, y, _| div(g, &add(&exp(&sub(y, x)?)?, &i(1))?),
        |g, x, y, _| div(g, &add(&exp(&sub(x, y)?)?, &i(1))?),
    );
    Ok(out)
}

pub fn logaddexp2(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, b, "logaddexp2_cpu")?;
    let out = float_binary!(a, b, dtype, |x, y| {
        if x.is_infinite() && x == y {
            x
        } else {
            let m = if x.is_nan() || y.is_nan() {
                x + y
            } else {
                x.max(y)
            };
            // fused, as PyTorch's vectorized kernel
            (-(x - y).abs())
                .exp2()
                .ln_1p()
                .mul_add(like(1.0 / std::f64::consts::LN_2, x), m)
        }
    });
    // d/da = 1 / (1 + 2^(b - a))
    record_binary(
        a,
        b,
        &out,
        ["Logaddexp2Backward0"; 3],
        |g, x, y, _| div(g, &add(&exp2(&sub(y, x)?)?, &i(1))?),
        |g, x, y, _| div(g, &add(&exp2(&sub(x, y)?)?, &i(1))?),
    );
    Ok(out)
}

/// `fmod(a, b)`: the remainder with the dividend's sign (C's `fmod`); `FmodBackward0`
/// for a number divisor, `FmodBackward1` for a tensor.
pub fn fmod(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = operands_dtype(a, b)?;
    if dtype.is_shell() {
        return Err(not_implemented("fmod_cpu", dtype));
    }
    let out = match dtype {
        DType::Bool => return Err(not_implemented("fmod_cpu", DType::Bool)),
        d if d.is_integral(false) => {
            let (x, y) = super::cast::compute_operands(a, b, d);
            if x.numel() > 0 && y.to_vec::<i64>().contains(&0) {
                return Err(Error::runtime("ZeroDivisionError"));
            }
            super::cast::narrow_to(map2::<i64, i64>(&x, &y, |p, q| p.wrapping_rem(q))?, d)
        }
        _ => float_binary!(a, b, dtype, |x, y| x % y),
    };
    // a number divisor: the gradient needs no saved tensor
    let divisor_tensor = !b.is_wrapped_number();
    record_binary_saving(
        a,
        b,
        &out,
        ["FmodBackward1", "FmodBackward1", "FmodBackward0"],
        |g, _, _, _| Ok(g.clone()),
        // -grad * trunc(a / b)
        |g, x, y, _| neg(&mul(g, &super::binary::div_mode(x, y, Some("trunc"))?)?),
        [divisor_tensor, divisor_tensor, false],
    );
    Ok(out)
}

/// `xlogy` for float16/bfloat16 as PyTorch's kernel computes it: log(y) is rounded to
/// the narrow type before the product, which is rounded again.
fn xlogy_narrow(a: &Tensor, b: &Tensor, dtype: DType) -> Result<Tensor> {
    super::complex::refuse_complex(a);
    super::complex::refuse_complex(b);
    let round: fn(f32) -> f32 = if dtype == DType::F16 {
        |v| half::f16::from_f32(v).to_f32()
    } else {
        |v| half::bf16::from_f32(v).to_f32()
    };
    let (ca, cb) = super::cast::compute_operands(a, b, dtype);
    let out = map2::<f32, f32>(&ca, &cb, move |x, y| {
        if y.is_nan() {
            y
        } else if x == 0.0 {
            0.0
        } else {
            x * round(y.ln())
        }
    })?;
    Ok(super::cast::narrow_to(out, dtype))
}

/// `xlogy(a, b) = a * log(b)`, 0 where `a == 0` (unless `b` is NaN).
pub fn xlogy(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_result_dtype(a, b)?;
    let out = if dtype.is_narrow() {
        xlogy_narrow(a, b, dtype)?
    } else {
        float_binary!(a, b, dtype, |x, y| {
            if y.is_nan() {
                y
            } else if x == 0.0 {
                0.0
            } else {
                x * y.ln()
            }
        })
    };
    record_binary(
        a,
        b,
        &out,
        ["XlogyBackward0", "XlogyBackward1", "XlogyBackward2"],
        // xlogy(grad, b), zero where a == 0 and b <= 0
        |g, x, y, _| {
            let mask = super::compare::logical_and(
                &super::compare::eq(x, &i(0))?,
                &super::compare::le(y, &i(0))?,
            )?;
            super::index::masked_fill(&xlogy(g, y)?, &mask, Scalar::Int(0))
        },
        |g, x, y, _| div(&mul(g, x)?, y),
    );
    Ok(out)
}

/// C's `fmax`/`fmin` choice: `a` when `a_wins` (ties included) or `b` is NaN.
#[inline(always)]
fn fpick<T: Copy + PartialEq>(a: T, b: T, a_wins: bool) -> T {
    #[allow(clippy::eq_op)]
    let b_is_nan = b != b;
    if a_wins || b_is_nan {
        a
    } else {
        b
    }
}

fn fmax_fmin(a: &Tensor, b: &Tensor, max: bool) -> Result<Tensor> {
    let dtype = operands_dtype(a, b)?;
    let (x, y) = super::cast::compute_operands(a, b, dtype);
    let out = match dtype.compute() {
        DType::F32 if max => map2::<f32, f32>(&x, &y, |p, q| fpick(p, q, p >= q))?,
        DType::F32 => map2::<f32, f32>(&x, &y, |p, q| fpick(p, q, p <= q))?,
        DType::F64 if max => map2::<f64, f64>(&x, &y, |p, q| fpick(p, q, p >= q))?,
        DType::F64 => map2::<f64, f64>(&x, &y, |p, q| fpick(p, q, p <= q))?,
        DType::I64 if max => map2::<i64, i64>(&x, &y, i64::max)?,
        DType::I64 => map2::<i64, i64>(&x, &y, i64::min)?,
        DType::Bool if max => map2::<bool, bool>(&x, &y, |p, q| p || q)?,
        DType::Bool => map2::<bool, bool>(&x, &y, |p, q| p && q)?,
        other => unreachable!("{other} is not a compute dtype"),
    };
    let out = super::cast::narrow_to(out, dtype);
    // `a` gets the gradient where it was picked (ties included, or `b` is NaN)
    fn a_picked(x: &Tensor, y: &Tensor, max: bool) -> Result<Tensor> {
        let cmp = if max {
            super::compare::ge(x, y)?
        } else {
            super::compare::le(x, y)?
        };
        super::compare::logical_or(&cmp, &super::compare::isnan(y)?)
    }
    fn keep(g: &Tensor, mask: &Tensor) -> Result<Tensor> {
        super::index::where_(mask, g, &super::creation::zeros_like(g)?)
    }
    if max {
        record_binary(
            a,
            b,
            &out,
            ["FmaxBackward0"; 3],
            |g, x, y, _| keep(g, &a_picked(x, y, true)?),
            |g, x, y, _| keep(g, &super::compare::logical_not(&a_picked(x, y, true)?)?),
        );
    } else {
        record_binary(
            a,
            b,
            &out,
            ["FminBackward0"; 3],
            |g, x, y, _| keep(g, &a_picked(x, y, false)?),
            |g, x, y, _| keep(g, &super::compare::logical_not(&a_picked(x, y, false)?)?),
        );
    }
    Ok(out)
}

/// Elementwise maximum ignoring NaN (`FmaxBackward0`).
pub fn fmax(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    fmax_fmin(a, b, true)
}

/// Elementwise minimum ignoring NaN (`FminBackward0`).
pub fn fmin(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    fmax_fmin(a, b, false)
}

/// `float_power(a, b)`: `pow` computed in float64, or complex128 when either side is
/// complex (Python-number operands stay numbers).
pub fn float_power(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let wide = if a.dtype().is_complex() || b.dtype().is_complex() {
        DType::C128
    } else {
        DType::F64
    };
    let up = |t: &Tensor| -> Result<Tensor> {
        if t.is_wrapped_number() {
            Ok(t.clone())
        } else {
            super::to_dtype(t, wide)
        }
    };
    super::pow(&up(a)?, &up(b)?)
}

/// `float_power_` needs a float64 (complex128 for a complex base or exponent) tensor to
/// write into.
pub fn check_float_power_inplace(t: &Tensor, complex_exponent: bool) -> Result<()> {
    let needed = if t.dtype().is_complex() || complex_exponent {
        DType::C128
    } else {
        DType::F64
    };
    if t.dtype() != needed {
        return Err(Error::runtime(format!(
            "the base given to float_power_ has dtype {} but the operation's result requires dtype {}",
            t.dtype().kernel_name(),
            needed.kernel_name()
        )));
    }
    Ok(())
}

/// `lerp(a, end, weight) = a + weight * (end - a)`: `LerpBackward0` for a number
/// weight, `LerpBackward1` for a tensor weight.
pub fn lerp(a: &Tensor, end: &Tensor, weight: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("lerp_kernel_tensor", a)?;
    if end.dtype() != a.dtype() {
        return Err(Error::runtime(format!(
            "expected dtype {} for `end` but got dtype {}",
            a.dtype().cpp_name(),
            end.dtype().cpp_name()
        )));
    }
    let number_weight = weight.is_wrapped_number();
    if !number_weight && weight.ndim() > 0 && weight.dtype() != a.dtype() {
        return Err(Error::runtime(format!(
            "expected dtype {} for `weight` but got dtype {}",
            a.dtype().cpp_name(),
            weight.dtype().cpp_name()
        )));
    }
    if a.dtype().is_complex() {
        return super::complex_functions::lerp(a, end, weight);
    }
    if !a.dtype().is_floating() {
        let kernel = if number_weight {
            "lerp_kernel_scalar"
        } else {
            "lerp_kernel_tensor"
        };
        return Err(not_implemented(kernel, a.dtype()));
    }
    let shape = broadcast_shapes(&broadcast_shapes(a.shape(), end.shape())?, weight.shape())?;
    // each operand walked in the memory order the result keeps (PyTorch's operand order)
    let strides = crate::tensor::memory_format::elementwise_strides(
        &shape,
        &[a.layout(), end.layout(), weight.layout()],
    );
    let values = |t: &Tensor| -> Result<Tensor> {
        let spread = t.layout().broadcast_to(&shape)?;
        Ok(t.view_with_layout(super::cast::walked(&spread, &strides)))
    };
    let (va, ve, vw) = (values(a)?, values(end)?, values(weight)?);
    let out = match a.dtype() {
        DType::F32 => lerp_values::<f32>(&va, &ve, &vw, &shape, &strides)?,
        DType::F64 => lerp_values::<f64>(&va, &ve, &vw, &shape, &strides)?,
        d => {
            let wide = |t: &Tensor| cast_raw(t, DType::F32);
            let (wa, we, ww) = (wide(&va), wide(&ve), wide(&vw));
            cast_raw(&lerp_values::<f32>(&wa, &we, &ww, &shape, &strides)?, d)
        }
    };
    let inputs: Vec<&Tensor> = if number_weight {
        vec![a, end]
    } else {
        vec![a, end, weight]
    };
    if needs_grad(&inputs) {
        let name = if number_weight {
            "LerpBackward0"
        } else {
            "LerpBackward1"
        };
        let metas = [Meta::of(a), Meta::of(end), Meta::of(weight)];
        // the gradients of self and end need only the weight: as PyTorch's node, keep
        // self and end only for a weight's own gradient
        let saved = if number_weight || !weight.requires_grad() {
            smallvec::smallvec![SavedTensor::input(weight)]
        } else {
            smallvec::smallvec![
                SavedTensor::input(weight),
                SavedTensor::input(a),
                SavedTensor::input(end),
            ]
        };
        let n = inputs.len();
        record(name, &inputs, &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let w = ctx.saved(0);
            let (x, e) = if ctx.saved.len() == 3 {
                (ctx.saved(1), ctx.saved(2))
            } else {
                (g, g) // unread: the weight's gradient is not asked for
            };
            let mut grads = Vec::with_capacity(n);
            for (k, meta) in metas.iter().enumerate().take(n) {
                if !ctx.needs(k) {
                    grads.push(None);
                    continue;
                }
                let gk = match k {
                    0 => mul(g, &rsub_scalar(w, Scalar::Int(1))?)?,
                    1 => mul(g, w)?,
                    _ => mul(g, &sub(e, x)?)?,
                };
                grads.push(Some(meta.reduce(&gk)?));
            }
            Ok(grads)
        });
    }
    Ok(out)
}

/// The lerp of views walked alike, as a tensor of `shape` in the memory order of `strides`:
/// contiguous views and a single (number or broadcast) weight are read where they are.
fn lerp_values<T>(
    a: &Tensor,
    e: &Tensor,
    w: &Tensor,
    shape: &[usize],
    strides: &Option<crate::tensor::layout::Strides>,
) -> Result<Tensor>
where
    T: Element + num_like::Lerp,
{
    let n = crate::tensor::layout::numel(shape);
    let single = |t: &Tensor| t.layout().strides.iter().all(|&s| s == 0);
    let direct = |t: &Tensor| n > 0 && t.layout().is_contiguous();
    let same = |t: &Tensor| t.dtype() == T::DTYPE;
    let v = if same(a) && same(e) && direct(a) && direct(e) && (single(w) || same(w) && direct(w)) {
        let (ga, ge, gw) = (a.storage().read(), e.storage().read(), w.storage().read());
        let run = |t: &Tensor, g| &T::slice(g)[t.layout().storage_run(n)];
        let (xs, es) = (run(a, &ga), run(e, &ge));
        if single(w) {
            // a number weight arrives as a 0-dim float64 tensor
            let at = w.layout().offset;
            let wv: T = crate::with_buffer!(&*gw, v, S => crate::tensor::convert::<S, T>(v[at]));
            simd_map::map2(xs, es, move |x, y| T::lerp(x, y, wv))
        } else {
            simd_map::map3((xs, es, run(w, &gw)), T::lerp)
        }
    } else {
        let (xs, es, ws) = (a.to_vec::<T>(), e.to_vec::<T>(), w.to_vec::<T>());
        simd_map::map3((&xs, &es, &ws), T::lerp)
    };
    Tensor::from_buffer_strided(T::into_buffer(v), shape, strides.clone())
}

mod num_like {
    pub trait Lerp: Copy + Send + Sync {
        fn lerp(s: Self, e: Self, w: Self) -> Self;
    }
    macro_rules! lerp_impl {
        ($t:ty) => {
            impl Lerp for $t {
                #[inline]
                fn lerp(s: $t, e: $t, w: $t) -> $t {
                    // fused as in PyTorch's vectorized kernel
                    if w.abs() < 0.5 {
                        w.mul_add(e - s, s)
                    } else {
                        (w - 1.0).mul_add(e - s, e)
                    }
                }
            }
        };
    }
    lerp_impl!(f32);
    lerp_impl!(f64);
}

/// `clamp_min(t, min)`: `ClampMinBackward0` (number) or `ClampMinBackward1` (tensor).
pub fn clamp_min(t: &Tensor, min: &Tensor) -> Result<Tensor> {
    clamp_one(t, min, true)
}

/// `clamp_max(t, max)`: `ClampMaxBackward0` (number) or `ClampMaxBackward1` (tensor).
pub fn clamp_max(t: &Tensor, max: &Tensor) -> Result<Tensor> {
    clamp_one(t, max, false)
}

fn clamp_one(t: &Tensor, bound: &Tensor, is_min: bool) -> Result<Tensor> {
    if t.dtype() == DType::Bool {
        // bool tensors compute in the promoted dtype (they never require grad)
        let d = operands_dtype(t, bound)?;
        if d != DType::Bool {
            return clamp_one(&cast_raw(t, d), bound, is_min);
        }
        if bound.is_wrapped_number() {
            return Err(Error::not_implemented(format!(
                "\"clamp_{}_scalar_cpu\" not implemented for 'Bool'",
                if is_min { "min" } else { "max" }
            )));
        }
        let _no = GradModeGuard::new(false);
        let r = if is_min {
            super::maximum(t, bound)?
        } else {
            super::minimum(t, bound)?
        };
        return Ok(r.detached());
    }
    let out = {
        let _no = GradModeGuard::new(false);
        let r = if bound.is_wrapped_number() {
            let s = bound.item()?;
            if is_min {
                super::clamp(t, Some(s), None)?
            } else {
                super::clamp(t, None, Some(s))?
            }
        } else {
            let kernel = if is_min { "maximum_cpu" } else { "minimum_cpu" };
            let dtype = super::clamp_checks::bounds_dtype(t, &[bound], kernel, false)?;
            let (lo, hi) = if is_min {
                (Some(bound), None)
            } else {
                (None, Some(bound))
            };
            super::clamp_tensors_in(t, lo, hi, dtype)?
        };
        r.detached()
    };
    let names = if is_min {
        [
            "ClampMinBackward1",
            "ClampMinBackward1",
            "ClampMinBackward0",
        ]
    } else {
        [
            "ClampMaxBackward1",
            "ClampMaxBackward1",
            "ClampMaxBackward0",
        ]
    };
    fn keep(g: &Tensor, mask: &Tensor) -> Result<Tensor> {
        super::index::where_(mask, g, &super::creation::zeros_like(g)?)
    }
    if is_min {
        record_binary(
            t,
            bound,
            &out,
            names,
            |g, x, b, _| keep(g, &super::compare::ge(x, b)?),
            |g, x, b, _| keep(g, &super::compare::lt(x, b)?),
        );
    } else {
        record_binary(
            t,
            bound,
            &out,
            names,
            |g, x, b, _| keep(g, &super::compare::le(x, b)?),
            |g, x, b, _| keep(g, &super::compare::gt(x, b)?),
        );
    }
    Ok(out)
}

// ---- lookup by name (for the Python bindings) -------------------------------------

pub type UnaryFn = fn(&Tensor) -> Result<Tensor>;
pub type BinaryFn = fn(&Tensor, &Tensor) -> Result<Tensor>;

/// The one-tensor functions of this module (and `trunc`) by PyTorch name.
pub fn unary_by_name(name: &str) -> Option<UnaryFn> {
    Some(match name {
        "floor" => floor,
        "ceil" => ceil,
        "round" => round,
        "trunc" | "fix" => fix,
        "frac" => frac,
        "sgn" => sgn,
        "rsqrt" => rsqrt,
        "log1p" => log1p,
        "expm1" => expm1,
        "log2" => log2,
        "log10" => log10,
        "exp2" => exp2,
        "tan" => tan,
        "sinh" => sinh,
        "cosh" => cosh,
        "asin" | "arcsin" => asin,
        "acos" | "arccos" => acos,
        "atan" | "arctan" => atan,
        "asinh" | "arcsinh" => asinh,
        "acosh" | "arccosh" => acosh,
        "atanh" | "arctanh" => atanh,
        "deg2rad" => deg2rad,
        "rad2deg" => rad2deg,
        "erf" => erf,
        "erfc" => erfc,
        "erfinv" => erfinv,
        "isinf" => isinf,
        "isfinite" => isfinite,
        "isposinf" => isposinf,
        "isneginf" => isneginf,
        "isreal" => isreal,
        "signbit" => signbit,
        _ => return None,
    })
}

/// The two-operand functions of this module by PyTorch name.
pub fn binary_by_name(name: &str) -> Option<BinaryFn> {
    Some(match name {
        "atan2" | "arctan2" => atan2,
        "hypot" => hypot,
        "copysign" => copysign,
        "logaddexp" => logaddexp,
        "logaddexp2" => logaddexp2,
        "fmod" => fmod,
        "xlogy" => xlogy,
        "fmax" => fmax,
        "fmin" => fmin,
        "float_power" => float_power,
        "clamp_min" => clamp_min,
        "clamp_max" => clamp_max,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::Special;

    #[test]
    fn erf_and_erfinv_round_trip() {
        for &y in &[-0.99f64, -0.5, -0.1, 0.0, 0.3, 0.69, 0.71, 0.9, 0.999] {
            let x = y.erfinv_();
            assert!((libm::erf(x) - y).abs() < 1e-15, "{y}");
        }
        assert_eq!(1.0f64.erfinv_(), f64::INFINITY);
        assert_eq!((-1.0f64).erfinv_(), f64::NEG_INFINITY);
        assert!(1.5f64.erfinv_().is_nan());
        // erf(0.5) = 0.5204998778130465 (Abramowitz and Stegun, Table 7.1)
        assert!((libm::erf(0.5) - 0.520_499_877_813_046_5).abs() < 1e-16);
    }
}
