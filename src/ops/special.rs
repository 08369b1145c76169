//! Special functions as ops (`lgamma`, `digamma`, `polygamma`, `mvlgamma`, `i0`, the
//! `torch.special` Bessel, error-function and normal-distribution helpers, `igamma`,
//! `zeta`, `xlog1py`, `logit`, `sinc`) and the float-bit helpers `nextafter`, `frexp`,
//! `ldexp`, with the integer `gcd`/`lcm`.
//!
//! The scalar kernels are in `kernels::special`. Float32 (and float16/bfloat16, via
//! their float32 compute type) evaluate the f64 kernels and round. Integer and bool
//! inputs compute in the default dtype, as PyTorch's float functions do; each gradient
//! is written with ops, so `create_graph` works.

use super::binary::{add, div, mul, sub};
use super::cast::{cast_raw, compute_operands, in_compute, map1, map2, narrow_to};
use super::compare::{eq, gt, logical_or, lt};
use super::index::where_;
use super::math::sgn;
use super::unary::{exp, log, neg, reciprocal, sin};
use super::{operands_dtype, reduce_grad, scalar, to_dtype};
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::special as k;
use crate::kernels::special::NextAfter;
use crate::kernels::special_f32 as k32;
use crate::tensor::{default_dtype, DType, Scalar, Tensor};
use std::f64::consts::PI;
use std::sync::Arc;

fn f(x: f64) -> Tensor {
    scalar(Scalar::Float(x))
}

fn not_implemented(kernel: &str, dtype: DType) -> Error {
    Error::not_implemented(format!(
        "\"{kernel}\" not implemented for '{}'",
        dtype.kernel_name()
    ))
}

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

/// Applies an f64 kernel elementwise (integers and bool in the default float dtype).
fn map_float(t: &Tensor, kernel: impl Fn(f64) -> f64 + Send + Sync) -> Tensor {
    let src = as_float(t);
    let dtype = src.dtype();
    let src = in_compute(&src, dtype);
    let out = match src.dtype() {
        DType::F32 => map1::<f32, f32>(&src, |x| kernel(x as f64) as f32),
        _ => map1::<f64, f64>(&src, kernel),
    };
    narrow_to(out, dtype)
}

/// `map_float` with a float32 kernel for float32 compute (PyTorch evaluates these in
/// float32 for float32 results, and its roundings differ from the f64 kernel's).
fn map_float_f32(
    t: &Tensor,
    kernel: impl Fn(f64) -> f64 + Send + Sync,
    kernel32: impl Fn(f32) -> f32 + Send + Sync,
) -> Tensor {
    let src = as_float(t);
    let dtype = src.dtype();
    let src = in_compute(&src, dtype);
    let out = match src.dtype() {
        DType::F32 => map1::<f32, f32>(&src, kernel32),
        _ => map1::<f64, f64>(&src, kernel),
    };
    narrow_to(out, dtype)
}

/// Applies an f64 kernel to two broadcast operands, the result of float `dtype`.
fn map_float2(
    a: &Tensor,
    b: &Tensor,
    dtype: DType,
    kernel: impl Fn(f64, f64) -> f64 + Send + Sync,
) -> Result<Tensor> {
    let (ca, cb) = compute_operands(a, b, dtype);
    let out = match dtype.compute() {
        DType::F32 => map2::<f32, f32>(&ca, &cb, |x, y| kernel(x as f64, y as f64) as f32)?,
        _ => map2::<f64, f64>(&ca, &cb, kernel)?,
    };
    Ok(narrow_to(out, dtype))
}

/// Refuses float16 and bfloat16 for kernels PyTorch lacks in them.
fn no_half(t: &Tensor, kernel: &str) -> Result<()> {
    if matches!(t.dtype(), DType::F16 | DType::BF16) {
        return Err(not_implemented(kernel, t.dtype()));
    }
    Ok(())
}

type UnaryGrad = dyn Fn(&Tensor, &Tensor) -> Result<Tensor> + Send + Sync;

/// Records a one-input node: `grad_of(grad, input)` is the input's gradient.
fn record_unary(t: &Tensor, out: &Tensor, name: &'static str, grad_of: Arc<UnaryGrad>) {
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        record(
            name,
            &[t],
            &[out],
            smallvec::smallvec![SavedTensor::input(t)],
            move |ctx| {
                let g = grad_of(ctx.grad(), ctx.saved(0))?;
                Ok(vec![Some(to_dtype(&g, dtype)?)])
            },
        );
    }
}

type UnaryResultGrad = dyn Fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor> + Send + Sync;

/// A one-input op whose node keeps the input and the result (PyTorch's `_saved_self`,
/// `_saved_result`): `grad_of(grad, input, result)` is the input's gradient.
fn unary_keeping_result(
    t: &Tensor,
    name: &'static str,
    kernel: fn(f64) -> f64,
    grad_of: impl Fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Result<Tensor> {
    let out = map_float(t, kernel);
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        let grad_of: Arc<UnaryResultGrad> = Arc::new(grad_of);
        record(
            name,
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)],
            move |ctx| {
                let g = grad_of(ctx.grad(), ctx.saved(0), ctx.saved(1))?;
                Ok(vec![Some(to_dtype(&g, dtype)?)])
            },
        );
    }
    Ok(out)
}

/// A one-input op whose node keeps only its result (`_saved_result`):
/// `grad_of(grad, result)` is the input's gradient.
fn unary_of_result(
    t: &Tensor,
    name: &'static str,
    kernel: fn(f64) -> f64,
    grad_of: impl Fn(&Tensor, &Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Result<Tensor> {
    let out = map_float(t, kernel);
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        record(
            name,
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::output(&out)],
            move |ctx| {
                let g = grad_of(ctx.grad(), ctx.saved(0))?;
                Ok(vec![Some(to_dtype(&g, dtype)?)])
            },
        );
    }
    Ok(out)
}

fn unary(
    t: &Tensor,
    name: &'static str,
    kernel: fn(f64) -> f64,
    grad_of: impl Fn(&Tensor, &Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Result<Tensor> {
    let out = map_float(t, kernel);
    record_unary(t, &out, name, Arc::new(grad_of));
    Ok(out)
}

// ---- gamma family --------------------------------------------------------------

pub fn lgamma(t: &Tensor) -> Result<Tensor> {
    unary(t, "LgammaBackward0", k::lgamma, |g, x| mul(g, &digamma(x)?))
}

pub fn digamma(t: &Tensor) -> Result<Tensor> {
    let out = map_float_f32(t, k::digamma, k32::digamma);
    record_unary(
        t,
        &out,
        "DigammaBackward0",
        Arc::new(|g, x| mul(g, &polygamma(1, x)?)),
    );
    Ok(out)
}

/// ψ⁽ⁿ⁾(t), the n-th derivative of digamma (`PolygammaBackward0`).
pub fn polygamma(n: i64, t: &Tensor) -> Result<Tensor> {
    polygamma_node(n, t, "PolygammaBackward0")
}

/// `polygamma` for the in-place `polygamma_`, which PyTorch records as
/// `PolygammaBackward1`.
pub fn polygamma_inplace_form(n: i64, t: &Tensor) -> Result<Tensor> {
    polygamma_node(n, t, "PolygammaBackward1")
}

fn polygamma_node(n: i64, t: &Tensor, name: &'static str) -> Result<Tensor> {
    if n < 0 {
        return Err(Error::runtime(
            "polygamma(n, x) does not support negative n.",
        ));
    }
    let out = map_float_f32(
        t,
        move |x| k::polygamma(n, x),
        move |x| k32::polygamma(n, x),
    );
    record_unary(
        t,
        &out,
        name,
        Arc::new(move |g, x| mul(g, &polygamma(n + 1, x)?)),
    );
    Ok(out)
}

const MVLGAMMA_MAX_BYTES: u128 = 1 << 34;

/// The multivariate log-gamma Σ_{j<p} lgamma(x - j/2) + p(p-1)/4 ln π.
pub fn mvlgamma(t: &Tensor, p: i64) -> Result<Tensor> {
    if p < 1 {
        return Err(Error::runtime("p has to be greater than or equal to 1"));
    }
    if t.dtype() == DType::Bool {
        return Err(Error::runtime(
            "The input tensor may not be a boolean tensor.",
        ));
    }
    // PyTorch materialises the p terms as a tensor: past what memory holds it fails
    // to allocate, where a loop would run for hours.
    let bytes = (p as u128) * (t.numel().max(1) as u128) * (t.dtype().size_in_bytes() as u128);
    if bytes > MVLGAMMA_MAX_BYTES {
        return Err(Error::runtime(format!(
            "DefaultCPUAllocator: can't allocate memory: you tried to allocate {bytes} bytes \
             (mvlgamma with p={p} over {} elements)",
            t.numel()
        )));
    }
    let offset = (p as f64) * ((p - 1) as f64) / 4.0 * PI.ln();
    let out = map_float(t, move |x| {
        (0..p).map(|j| k::lgamma(x - j as f64 / 2.0)).sum::<f64>() + offset
    });
    record_unary(
        t,
        &out,
        "MvlgammaBackward0",
        Arc::new(move |g, x| {
            let mut d = digamma(x)?;
            for j in 1..p {
                d = add(&d, &digamma(&sub(x, &f(j as f64 / 2.0))?)?)?;
            }
            mul(g, &d)
        }),
    );
    Ok(out)
}

// ---- modified Bessel functions ---------------------------------------------------

pub fn i0(t: &Tensor) -> Result<Tensor> {
    unary(t, "I0Backward0", k::i0, |g, x| mul(g, &i1(x)?))
}

pub fn i0e(t: &Tensor) -> Result<Tensor> {
    unary(t, "SpecialI0EBackward0", k::i0e, |g, x| {
        mul(g, &sub(&i1e(x)?, &mul(&sgn(x)?, &i0e(x)?)?)?)
    })
}

pub fn i1(t: &Tensor) -> Result<Tensor> {
    unary_keeping_result(t, "SpecialI1Backward0", k::i1, |g, x, r| {
        let (tiny, safe) = away_from_zero(x)?;
        let d = sub(&i0(&safe)?, &div(r, &safe)?)?;
        mul(g, &where_(&tiny, &f(0.5), &d)?)
    })
}

pub fn i1e(t: &Tensor) -> Result<Tensor> {
    unary(t, "SpecialI1EBackward0", k::i1e, |g, x| {
        let (tiny, safe) = away_from_zero(x)?;
        let d = sub(
            &i0e(&safe)?,
            &mul(&i1e(x)?, &add(&sgn(&safe)?, &reciprocal(&safe)?)?)?,
        )?;
        mul(g, &where_(&tiny, &f(0.5), &d)?)
    })
}

/// Where |x| is within the dtype's epsilon of 0, and x with those entries set to the
/// epsilon: as PyTorch's i1/i1e backward, so that the branch `where` drops holds no
/// 0/0 whose NaN would reach a second-order gradient.
fn away_from_zero(x: &Tensor) -> Result<(Tensor, Tensor)> {
    let eps = match x.dtype() {
        DType::F64 => f64::EPSILON,
        DType::F16 => half::f16::EPSILON.to_f64(),
        DType::BF16 => half::bf16::EPSILON.to_f64(),
        _ => f32::EPSILON as f64,
    };
    let tiny = super::compare::le(&super::unary::abs(x)?, &f(eps))?;
    let safe = where_(&tiny, &f(eps), x)?;
    Ok((tiny, safe))
}

// ---- error function and normal distribution --------------------------------------

pub fn erfcx(t: &Tensor) -> Result<Tensor> {
    no_half(t, "erfcx_cpu")?;
    unary_keeping_result(t, "SpecialErfcxBackward0", k::erfcx, |g, x, r| {
        let d = sub(&mul(&mul(x, r)?, &f(2.0))?, &f(2.0 / PI.sqrt()))?;
        mul(g, &d)
    })
}

pub fn ndtri(t: &Tensor) -> Result<Tensor> {
    no_half(t, "ndtri_cpu")?;
    unary_of_result(t, "SpecialNdtriBackward0", k::ndtri, |g, r| {
        let d = mul(&exp(&mul(&mul(r, r)?, &f(0.5))?)?, &f((2.0 * PI).sqrt()))?;
        mul(g, &d)
    })
}

pub fn log_ndtr(t: &Tensor) -> Result<Tensor> {
    no_half(t, "log_ndtr_cpu")?;
    unary_keeping_result(t, "SpecialLogNdtrBackward0", k::log_ndtr, |g, x, r| {
        // φ(x) / Φ(x) = exp(-(log Φ(x) + x²/2)) / √(2π)
        let e = neg(&add(r, &mul(&mul(x, x)?, &f(0.5))?)?)?;
        mul(&mul(g, &exp(&e)?)?, &f(1.0 / (2.0 * PI).sqrt()))
    })
}

pub fn entr(t: &Tensor) -> Result<Tensor> {
    unary(t, "SpecialEntrBackward0", k::entr, |g, x| {
        mul(g, &neg(&add(&log(x)?, &f(1.0))?)?)
    })
}

pub fn sinc(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_functions::sinc(t);
    }
    let out = map_float_f32(t, k::sinc, k32::sinc);
    record_unary(t, &out, "SincBackward0", Arc::new(sinc_grad));
    Ok(out)
}

fn sinc_grad(g: &Tensor, x: &Tensor) -> Result<Tensor> {
    // (πx cos πx - sin πx) / (πx²), 0 at 0
    let px = mul(x, &f(PI))?;
    let cos_px = super::unary::cos(&px)?;
    let num = sub(&mul(&px, &cos_px)?, &sin(&px)?)?;
    let d = div(&num, &mul(&px, x)?)?;
    mul(g, &where_(&eq(x, &f(0.0))?, &f(0.0), &d)?)
}

/// `v` rounded to the nearest value of the float `dtype`.
fn round_to_float_dtype(v: f64, dtype: DType) -> f64 {
    match dtype {
        DType::F32 => v as f32 as f64,
        DType::F16 => half::f16::from_f64(v).to_f64(),
        DType::BF16 => half::bf16::from_f64(v).to_f64(),
        _ => v,
    }
}

/// ln(x / (1 - x)), with x clamped to [eps, 1 - eps] when `eps` is given.
pub fn logit(t: &Tensor, eps: Option<f64>) -> Result<Tensor> {
    // a negative eps clamps nothing, as no eps at all (PyTorch's rule, gradient included)
    let eps = eps.filter(|e| *e >= 0.0);
    // PyTorch's kernel holds eps and 1 - eps in the input's float dtype (in half,
    // 1 - 1e-5 rounds to 1 and the clamped top is inf), then computes in float32.
    let dtype = as_float(t).dtype();
    let bounds = eps.map(|e| {
        let lo = round_to_float_dtype(e, dtype);
        (lo, round_to_float_dtype(1.0 - lo, dtype))
    });
    let out = map_float_f32(
        t,
        move |x| k::logit_between(x, bounds),
        move |x| k::logit_between_f32(x, bounds.map(|(lo, hi)| (lo as f32, hi as f32))),
    );
    record_unary(
        t,
        &out,
        "LogitBackward0",
        Arc::new(move |g, x| {
            let d = div(g, &mul(x, &super::binary::rsub_scalar(x, Scalar::Int(1))?)?)?;
            match eps {
                None => {
                    let outside = logical_or(&lt(x, &f(0.0))?, &gt(x, &f(1.0))?)?;
                    where_(&outside, &f(f64::NAN), &d)
                }
                Some(e) => {
                    let outside = logical_or(&lt(x, &f(e))?, &gt(x, &f(1.0 - e))?)?;
                    where_(&outside, &f(0.0), &d)
                }
            }
        }),
    );
    Ok(out)
}

// ---- two-operand functions ---------------------------------------------------------

type BinaryGrad = fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor>;

/// Records a node over both operands (or the tensor one when the other is a Python
/// number); `ga`/`gb` get (grad, a, b) and return the unreduced gradient.
fn record_binary(
    a: &Tensor,
    b: &Tensor,
    out: &Tensor,
    names: [&'static str; 3],
    ga: BinaryGrad,
    gb: BinaryGrad,
) {
    if !needs_grad(&[a, b]) {
        return;
    }
    let (name, inputs, which): (_, Vec<&Tensor>, Vec<usize>) = if b.is_wrapped_number() {
        (names[2], vec![a], vec![0])
    } else if a.is_wrapped_number() {
        (names[1], vec![b], vec![1])
    } else {
        (names[0], vec![a, b], vec![0, 1])
    };
    let metas = [
        (a.shape().to_vec(), a.dtype()),
        (b.shape().to_vec(), b.dtype()),
    ];
    let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
    record(name, &inputs, &[out], saved, move |ctx| {
        let (g, x, y) = (ctx.grad(), ctx.saved(0), ctx.saved(1));
        which
            .iter()
            .enumerate()
            .map(|(slot, &which)| {
                if !ctx.needs(slot) {
                    return Ok(None);
                }
                let formula = if which == 0 { ga } else { gb };
                let (shape, dtype) = &metas[which];
                Ok(Some(reduce_grad(&formula(g, x, y)?, shape, *dtype)?))
            })
            .collect()
    });
}

fn not_differentiable(what: &'static str) -> BinaryGrad {
    match what {
        "igamma" => |_, _, _| {
            Err(Error::not_implemented(
                "the derivative for 'igamma: input' is not implemented.",
            ))
        },
        "igammac" => |_, _, _| {
            Err(Error::not_implemented(
                "the derivative for 'igammac: input' is not implemented.",
            ))
        },
        _ => |_, _, _| {
            Err(Error::not_implemented(
                "the derivative for 'zeta' is not implemented.",
            ))
        },
    }
}

/// The promoted dtype of an op PyTorch has float kernels only for.
fn float_only_dtype(a: &Tensor, b: &Tensor, kernel: &str) -> Result<DType> {
    let d = operands_dtype(a, b)?;
    if d.is_floating() {
        Ok(d)
    } else {
        Err(not_implemented(kernel, d))
    }
}

/// The promoted dtype, the default float dtype when integral.
fn float_result_dtype(a: &Tensor, b: &Tensor) -> Result<DType> {
    let d = operands_dtype(a, b)?;
    Ok(if d.is_floating() { d } else { default_dtype() })
}

/// ∂P(a, x)/∂x = x^(a-1) e^-x / Γ(a).
fn igamma_dx(a: &Tensor, x: &Tensor) -> Result<Tensor> {
    let e = sub(&sub(&mul(&sub(a, &f(1.0))?, &log(x)?)?, x)?, &lgamma(a)?)?;
    exp(&e)
}

/// The regularized lower incomplete gamma function P(a, x) (`IgammaBackward0`).
pub fn igamma(a: &Tensor, x: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, x, "igamma_cpu")?;
    let out = map_float2(a, x, dtype, k::igamma)?;
    record_binary(
        a,
        x,
        &out,
        ["IgammaBackward0"; 3],
        not_differentiable("igamma"),
        |g, a, x| mul(g, &igamma_dx(a, x)?),
    );
    Ok(out)
}

/// The regularized upper incomplete gamma function Q(a, x) (`IgammacBackward0`).
pub fn igammac(a: &Tensor, x: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, x, "igammac_cpu")?;
    let out = map_float2(a, x, dtype, k::igammac)?;
    record_binary(
        a,
        x,
        &out,
        ["IgammacBackward0"; 3],
        not_differentiable("igammac"),
        |g, a, x| neg(&mul(g, &igamma_dx(a, x)?)?),
    );
    Ok(out)
}

/// The Hurwitz zeta function ζ(x, q) (`SpecialZetaBackward0/1/2`).
pub fn zeta(x: &Tensor, q: &Tensor) -> Result<Tensor> {
    let dtype = float_result_dtype(x, q)?;
    if dtype.is_narrow() {
        return Err(not_implemented("zeta_cpu", dtype));
    }
    let out = map_float2(x, q, dtype, k::zeta)?;
    record_binary(
        x,
        q,
        &out,
        [
            "SpecialZetaBackward0",
            "SpecialZetaBackward1",
            "SpecialZetaBackward2",
        ],
        not_differentiable("zeta"),
        // ∂ζ(x, q)/∂q = -x ζ(x + 1, q)
        |g, x, q| mul(g, &neg(&mul(x, &zeta(&add(x, &f(1.0))?, q)?)?)?),
    );
    Ok(out)
}

/// x ln(1 + y), 0 where x == 0 (`SpecialXlog1PyBackward0/1/2`).
pub fn xlog1py(x: &Tensor, y: &Tensor) -> Result<Tensor> {
    let dtype = float_result_dtype(x, y)?;
    let out = map_float2(x, y, dtype, k::xlog1py)?;
    record_binary(
        x,
        y,
        &out,
        [
            "SpecialXlog1PyBackward0",
            "SpecialXlog1PyBackward1",
            "SpecialXlog1PyBackward2",
        ],
        // xlog1py(grad, y), zero where x == 0 and y <= -1
        |g, x, y| {
            let mask =
                super::compare::logical_and(&eq(x, &f(0.0))?, &super::compare::le(y, &f(-1.0))?)?;
            where_(&mask, &f(0.0), &xlog1py(g, y)?)
        },
        |g, x, y| div(&mul(g, x)?, &add(y, &f(1.0))?),
    );
    Ok(out)
}

/// The next float after `a` towards `b` (`NextafterBackward0`: the gradient passes to
/// `a`, zero for `b`).
pub fn nextafter(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = float_only_dtype(a, b, "nextafter_cpu")?;
    // on the values of the result dtype itself: a step in float16 is not one in float32
    let (ca, cb) = super::cast::both_as(a, b, dtype);
    let out = match dtype {
        DType::F32 => map2::<f32, f32>(&ca, &cb, |x, y| x.next_after(y))?,
        DType::F64 => map2::<f64, f64>(&ca, &cb, |x, y| x.next_after(y))?,
        DType::F16 => map2::<half::f16, half::f16>(&ca, &cb, |x, y| x.next_after(y))?,
        DType::BF16 => map2::<half::bf16, half::bf16>(&ca, &cb, |x, y| x.next_after(y))?,
        other => return Err(not_implemented("nextafter_cpu", other)),
    };
    record_binary(
        a,
        b,
        &out,
        ["NextafterBackward0"; 3],
        |g, _, _| Ok(g.clone()),
        |g, _, _| super::creation::zeros_like(g),
    );
    Ok(out)
}

/// `a * 2**b` (`LdexpBackward0`); the result is floating.
pub fn ldexp(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_complex() || b.dtype().is_complex() {
        return super::complex_functions::ldexp(a, b);
    }
    if a.dtype().is_floating() && b.dtype() == DType::Bool {
        // PyTorch's kernel for a floating input reads the exponents as integers, not bools
        return Err(Error::not_implemented(
            "\"ldexp_cpu_exp\" not implemented for 'Bool'",
        ));
    }
    let out = {
        let _no = GradModeGuard::new(false);
        let promoted = operands_dtype(a, b)?;
        let dtype = if promoted.is_floating() {
            promoted
        } else {
            default_dtype()
        };
        if dtype == DType::F32 && b.dtype().is_integral(false) {
            scale_by_int_powers_of_two(a, b)?
        } else {
            // powers of two are exact in every float dtype, so scaling in `dtype` rounds once
            let scale = cast_raw(&super::math::exp2(b)?, dtype);
            mul(&cast_raw(a, dtype), &scale)?
        }
    };
    record_binary(
        a,
        b,
        &out,
        ["LdexpBackward0"; 3],
        |g, _, b| mul(g, &power_of_two_as_pytorch_differentiates(b)?),
        |g, a, b| {
            let r = mul(a, &super::math::exp2(b)?)?;
            mul(&mul(g, &r)?, &f(std::f64::consts::LN_2))
        },
    );
    Ok(out)
}

/// C's `ldexpf(a, (int)b)` for a float32 `a`: the exponent narrowed to 32 bits, the
/// product formed exactly in float64 and rounded once, so `1e-30 * 2**130` is finite
/// where `2**130` alone would overflow float32.
fn scale_by_int_powers_of_two(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    // beyond these every float32 times 2**n is 0 or inf
    const LIMIT: f64 = 400.0;
    let exponent = cast_raw(b, DType::I32);
    map_float2(a, &exponent, DType::F32, |x, n| {
        x * 2f64.powi(n.clamp(-LIMIT, LIMIT) as i32)
    })
}

/// `2**b` as PyTorch's ldexp backward computes it: in integer arithmetic for an integer
/// `b`, so a negative exponent gives 0 (and the gradient there is 0).
fn power_of_two_as_pytorch_differentiates(b: &Tensor) -> Result<Tensor> {
    let p = super::math::exp2(b)?;
    if b.dtype().is_floating() {
        return Ok(p);
    }
    where_(&lt(b, &scalar(Scalar::Int(0)))?, &f(0.0), &p)
}

/// (mantissa, exponent) with `t = mantissa * 2**exponent`, |mantissa| in [0.5, 1)
/// (`FrexpBackward0`: the gradient is grad / 2**exponent).
pub fn frexp(t: &Tensor) -> Result<(Tensor, Tensor)> {
    if !t.dtype().is_floating() {
        return Err(Error::runtime(
            "torch.frexp() only supports floating-point dtypes",
        ));
    }
    let dtype = t.dtype();
    let src = in_compute(t, dtype);
    let (mantissa, exponent) = match src.dtype() {
        DType::F32 => (
            map1::<f32, f32>(&src, |x| x.frexp().0),
            map1::<f32, i32>(&src, |x| x.frexp().1),
        ),
        _ => (
            map1::<f64, f64>(&src, |x| x.frexp().0),
            map1::<f64, i32>(&src, |x| x.frexp().1),
        ),
    };
    let mantissa = narrow_to(mantissa, dtype);
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::output(&exponent)];
        record("FrexpBackward0", &[t], &[&mantissa], saved, move |ctx| {
            let scale = super::math::exp2(ctx.saved(0))?;
            Ok(vec![Some(to_dtype(&div(ctx.grad(), &scale)?, dtype)?)])
        });
    }
    Ok((mantissa, exponent))
}

fn integer_pair(a: &Tensor, b: &Tensor, kernel: &str) -> Result<DType> {
    let d = operands_dtype(a, b)?;
    if d.is_floating() || d.is_complex() || d == DType::Bool {
        return Err(not_implemented(kernel, d));
    }
    Ok(d)
}

fn integer_map2(a: &Tensor, b: &Tensor, dtype: DType, op: fn(i64, i64) -> i64) -> Result<Tensor> {
    let (ca, cb) = super::cast::both_as(a, b, DType::I64);
    let out = map2::<i64, i64>(&ca, &cb, op)?;
    Ok(if dtype == DType::I64 {
        out
    } else {
        cast_raw(&out, dtype)
    })
}

/// The elementwise greatest common divisor of integer tensors.
pub fn gcd(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = integer_pair(a, b, "gcd_cpu")?;
    integer_map2(a, b, dtype, k::gcd)
}

/// The elementwise least common multiple of integer tensors.
pub fn lcm(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = integer_pair(a, b, "lcm_cpu")?;
    integer_map2(a, b, dtype, k::lcm)
}

// ---- lookup by name (for the Python bindings) --------------------------------------

pub type UnaryFn = fn(&Tensor) -> Result<Tensor>;
pub type BinaryFn = fn(&Tensor, &Tensor) -> Result<Tensor>;

/// The one-tensor functions of this module by name.
pub fn special_unary_by_name(name: &str) -> Option<UnaryFn> {
    Some(match name {
        "lgamma" => lgamma,
        "digamma" => digamma,
        "i0" => i0,
        "i0e" => i0e,
        "i1" => i1,
        "i1e" => i1e,
        "erfcx" => erfcx,
        "ndtri" => ndtri,
        "log_ndtr" => log_ndtr,
        "entr" => entr,
        "sinc" => sinc,
        _ => return None,
    })
}

/// The two-operand functions of this module by name.
pub fn special_binary_by_name(name: &str) -> Option<BinaryFn> {
    Some(match name {
        "igamma" => igamma,
        "igammac" => igammac,
        "zeta" => zeta,
        "xlog1py" => xlog1py,
        "nextafter" => nextafter,
        "ldexp" => ldexp,
        "gcd" => gcd,
        "lcm" => lcm,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_inputs_compute_in_the_default_float_dtype() {
        let t = Tensor::from_vec(vec![1i64, 2, 3], &[3]).unwrap();
        let r = lgamma(&t).unwrap();
        assert_eq!(r.dtype(), default_dtype());
        let ints = Tensor::from_vec(vec![12i64, -18], &[2]).unwrap();
        let other = Tensor::from_vec(vec![18i64, 12], &[2]).unwrap();
        assert_eq!(gcd(&ints, &other).unwrap().to_vec::<i64>(), vec![6, 6]);
        assert!(igamma(&ints, &other).is_err());
        assert!(polygamma(-1, &t).is_err());
    }
}
