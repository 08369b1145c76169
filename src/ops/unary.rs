//! Elementwise functions of one tensor.

use super::cast::{cast_raw, map1, via_compute};
use super::float::Float;
use super::simd_map::simd_map1;
use super::vector_map::float_map_vectorized;
use super::{reduce_grad, scalar};
use crate::autograd::node::ScalarRule;
use crate::autograd::node::{BackwardCtx, SavedArg};
use crate::autograd::record::record_with_rule;
use crate::autograd::record::save_args_for;
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::vmath;
use crate::tensor::{default_dtype, DType, Scalar, Tensor};

/// Applies a float function; integer and bool inputs compute in the default dtype.
fn float_map(
    t: &Tensor,
    f32f: impl Fn(f32) -> f32 + Copy + Sync + Send,
    f64f: impl Fn(f64) -> f64 + Copy + Sync + Send,
) -> Tensor {
    super::complex::refuse_complex(t);
    super::shell_refusals::refuse_float8_kernel(t);
    let t = if t.dtype().is_floating() {
        t.clone()
    } else {
        cast_raw(t, default_dtype())
    };
    let dtype = t.dtype();
    let t = super::cast::in_compute(&t, dtype);
    let out = match t.dtype() {
        DType::F32 => simd_map1::<f32, f32>(&t, f32f),
        _ => simd_map1::<f64, f64>(&t, f64f),
    };
    super::cast::narrow_to(out, dtype)
}

macro_rules! float_fn {
    ($f:expr) => {
        float_map_fns!($f)
    };
}
macro_rules! float_map_fns {
    ($f:expr) => {
        (|x: f32| $f(x), |x: f64| $f(x))
    };
}

fn not_for_bool(t: &Tensor, op: &str) -> Result<()> {
    if t.dtype() == DType::Bool {
        return Err(Error::not_implemented(format!(
            "\"{op}_cpu\" not implemented for 'Bool'"
        )));
    }
    Ok(())
}

/// `-t` (`NegBackward0`).
pub fn neg(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("neg_cpu", t)?;
    if t.dtype().is_complex() {
        return super::complex::neg(t);
    }
    if t.dtype() == DType::Bool {
        return Err(Error::runtime(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
        ));
    }
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, |x| -x),
            DType::F64 => simd_map1::<f64, f64>(t, |x| -x),
            _ => map1::<i64, i64>(t, |x| x.wrapping_neg()),
        })
    })?;
    if needs_grad(&[t]) {
        record("NegBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(neg(ctx.grad())?)])
        });
    }
    Ok(out)
}

/// Records a unary node whose gradient is `grad * derivative(saved)`.
pub(crate) fn unary_with_grad(
    t: &Tensor,
    out: Tensor,
    name: &'static str,
    save_output: bool,
    derivative: fn(&Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    if needs_grad(&[t]) {
        let saved = if save_output {
            SavedTensor::output(&out)
        } else {
            SavedTensor::input(t)
        };
        let dtype = t.dtype();
        record(name, &[t], &[&out], vec![saved], move |ctx| {
            let d = derivative(ctx.saved(0))?;
            let g = super::binary::mul(ctx.grad(), &d)?;
            Ok(vec![Some(super::to_dtype(&g, dtype)?)])
        });
    }
    Ok(out)
}

/// Records `out = f(t)` whose gradient `backward(grad, out)` is one fused kernel.
/// `backward` is a function item (no data), and a float32 or float64 input's dtype is a
/// constant of its own closure: the closure then holds nothing and boxing it allocates
/// nothing (one allocation fewer per `tanh`/`sigmoid` with a graph).
fn with_fused_grad<B>(
    t: &Tensor,
    out: Tensor,
    name: &'static str,
    backward: B,
    rule: ScalarRule,
) -> Result<Tensor>
where
    B: Fn(&Tensor, &Tensor) -> Result<Tensor> + Copy + Send + Sync + 'static,
{
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::output(&out)];
        let rule = rule.when_scalar(&[t], &out);
        let grad = move |ctx: &BackwardCtx, dtype: DType| {
            let g = backward(ctx.grad(), ctx.saved(0))?;
            Ok(vec![Some(super::to_dtype(&g, dtype)?)])
        };
        match t.dtype() {
            DType::F32 => record_with_rule(name, &[t], &[&out], saved, rule, move |ctx| {
                grad(ctx, DType::F32)
            }),
            DType::F64 => record_with_rule(name, &[t], &[&out], saved, rule, move |ctx| {
                grad(ctx, DType::F64)
            }),
            dtype => record_with_rule(name, &[t], &[&out], saved, rule, move |ctx| {
                grad(ctx, dtype)
            }),
        }
    }
    Ok(out)
}

pub fn exp(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::exp(t);
    }
    let out = float_map_vectorized(t, vmath::exp, f64::exp);
    unary_with_grad(t, out, "ExpBackward0", true, |r| Ok(r.clone()))
}

pub fn log(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::log(t);
    }
    let out = float_map_vectorized(t, vmath::ln, f64::ln);
    unary_with_grad(t, out, "LogBackward0", false, reciprocal)
}

pub fn sqrt(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::sqrt(t);
    }
    let (f, d) = float_fn!(Float::sqrt);
    let out = float_map(t, f, d);
    // d sqrt(x) = 1 / (2 sqrt(x))
    unary_with_grad(t, out, "SqrtBackward0", true, |r| {
        reciprocal(&super::binary::mul(r, &scalar(Scalar::Int(2)))?)
    })
}

pub fn sin(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::sin(t);
    }
    let out = float_map_vectorized(t, vmath::sin, f64::sin);
    unary_with_grad(t, out, "SinBackward0", false, cos)
}

pub fn cos(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::cos(t);
    }
    let out = float_map_vectorized(t, vmath::cos, f64::cos);
    unary_with_grad(t, out, "CosBackward0", false, |x| neg(&sin(x)?))
}

pub fn tanh(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::tanh(t);
    }
    let out = float_map_vectorized(t, vmath::tanh, f64::tanh);
    // d tanh = 1 - tanh²
    with_fused_grad(
        t,
        out,
        "TanhBackward0",
        super::fused_backward::tanh_backward,
        ScalarRule::Tanh,
    )
}

fn sigmoid64(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

pub fn sigmoid(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_functions::sigmoid(t);
    }
    let out = float_map_vectorized(t, vmath::sigmoid, sigmoid64);
    // d sigmoid = s (1 - s)
    with_fused_grad(
        t,
        out,
        "SigmoidBackward0",
        super::fused_backward::sigmoid_backward,
        ScalarRule::Sigmoid,
    )
}

/// `1 / t` (`ReciprocalBackward0`).
pub fn reciprocal(t: &Tensor) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::reciprocal(t);
    }
    let out = float_map(t, |x| 1.0 / x, |x| 1.0 / x);
    // d(1/x) = -1/x²
    unary_with_grad(t, out, "ReciprocalBackward0", true, |r| {
        neg(&super::binary::mul(r, r)?)
    })
}

/// The sign of each element as -1, 0 or 1 (`SignBackward0`, zero gradient).
pub fn sign(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("sign_cpu", t)?;
    super::complex_refusals::refuse("sign", t)?;
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, Float::signum_torch),
            DType::F64 => simd_map1::<f64, f64>(t, Float::signum_torch),
            DType::I64 => map1::<i64, i64>(t, |x| x.signum()),
            _ => map1::<bool, bool>(t, |x| x),
        })
    })?;
    zero_grad_node(t, out, "SignBackward0")
}

fn zero_grad_node(t: &Tensor, out: Tensor, name: &'static str) -> Result<Tensor> {
    if needs_grad(&[t]) {
        record(name, &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(super::creation::zeros_like(ctx.grad())?)])
        });
    }
    Ok(out)
}

pub fn trunc(t: &Tensor) -> Result<Tensor> {
    not_for_bool(t, "trunc_vml")?;
    super::complex_refusals::refuse("trunc", t)?;
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, Float::trunc),
            DType::F64 => simd_map1::<f64, f64>(t, Float::trunc),
            _ => super::cast::clone_preserving_detached(t)?,
        })
    })?;
    zero_grad_node(t, out, "TruncBackward0")
}

pub fn abs(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("abs_cpu", t)?;
    if t.dtype().is_complex() {
        return super::complex_math::abs(t);
    }
    not_for_bool(t, "abs")?;
    let out = super::cast::via_compute_any(t, |t| {
        Ok(match t.dtype() {
            DType::F32 => simd_map1::<f32, f32>(t, Float::abs),
            DType::F64 => simd_map1::<f64, f64>(t, Float::abs),
            _ => map1::<i64, i64>(t, |x| x.wrapping_abs()),
        })
    })?;
    unary_with_grad(t, out, "AbsBackward0", false, sign)
}

/// `relu(t)` (`ReluBackward0`): the gradient passes where the output is positive.
pub fn relu(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("clamp_min_scalar_cpu", t)?;
    super::complex_refusals::refuse("clamp", t)?;
    if t.dtype() == DType::Bool {
        return Err(Error::runtime("Boolean inputs not supported for relu"));
    }
    let out = via_compute(t, |t| {
        Ok(match t.dtype() {
            // PyTorch's clamp_min(x, 0): NaN and -0 pass through unchanged.
            DType::F32 => simd_map1::<f32, f32>(t, |x| if x < 0.0 { 0.0 } else { x }),
            DType::F64 => simd_map1::<f64, f64>(t, |x| if x < 0.0 { 0.0 } else { x }),
            _ => map1::<i64, i64>(t, |x| x.max(0)),
        })
    })?;
    if needs_grad(&[t]) {
        record_with_rule(
            "ReluBackward0",
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::output(&out)],
            ScalarRule::Relu.when_scalar(&[t], &out),
            |ctx| {
                Ok(vec![Some(super::fused_backward::relu_backward(
                    ctx.grad(),
                    ctx.saved(0),
                )?)])
            },
        );
    }
    Ok(out)
}

/// `clamp(t, min, max)` with Python-number bounds (`ClampBackward1`).
pub fn clamp(t: &Tensor, min: Option<Scalar>, max: Option<Scalar>) -> Result<Tensor> {
    let kernel = match (min.is_some(), max.is_some()) {
        (true, false) => "clamp_min_scalar_cpu",
        (false, true) => "clamp_max_scalar_cpu",
        _ => "clamp_scalar_cpu",
    };
    if min.is_none() && max.is_none() {
        return Err(Error::runtime(
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ));
    }
    super::complex_refusals::refuse("clamp", t)?;
    if !t.dtype().is_shell_unsigned() {
        super::shell_refusals::refuse(kernel, t)?;
    }
    let mut operands = vec![t.clone()];
    operands.extend(min.map(scalar));
    operands.extend(max.map(scalar));
    let refs: Vec<&Tensor> = operands.iter().collect();
    let dtype = super::result_type(&refs)?;
    if dtype.is_shell_unsigned() {
        // a float bound takes uint16/32/64 to float, which has a kernel
        return Err(crate::tensor::dtype::shell_kernel_missing(kernel, dtype));
    }
    if dtype == DType::Bool {
        // A bool tensor clamps in the promoted dtype; only bool bounds have no kernel.
        let kernel = match (min.is_some(), max.is_some()) {
            (true, true) => "clamp_scalar",
            (true, false) => "clamp_min_scalar",
            _ => "clamp_max_scalar",
        };
        not_for_bool(t, kernel)?;
    }
    for bound in min.iter().chain(max.iter()) {
        bound.check_fits(dtype)?;
    }
    let src = super::cast::in_compute(t, dtype);
    let (lo, hi) = (min.map(|s| s.to_f64()), max.map(|s| s.to_f64()));
    let out = match dtype.compute() {
        DType::F32 => clamp_float::<f32>(&src, lo, hi),
        DType::F64 => clamp_float::<f64>(&src, lo, hi),
        _ => {
            // the bounds in the dtype: a negative bound wraps for uint8, as PyTorch casts it
            let in_dtype = |s: Scalar| {
                let v = s.to_element::<i64>();
                if dtype == DType::U8 {
                    v as u8 as i64
                } else {
                    v
                }
            };
            let (lo, hi) = (min.map(in_dtype), max.map(in_dtype));
            map1::<i64, i64>(&src, move |x| {
                let x = lo.map_or(x, |l| x.max(l));
                hi.map_or(x, |h| x.min(h))
            })
        }
    };
    let out = super::cast::narrow_to(out, dtype);
    if needs_grad(&[t]) {
        let dtype = t.dtype();
        let shape = t.shape().to_vec();
        record(
            "ClampBackward1",
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::input(t)],
            move |ctx| {
                let x = ctx.saved(0);
                let mut keep = super::creation::ones_bool(x.shape())?;
                if let Some(l) = min {
                    keep = super::compare::logical_and(&keep, &super::compare::ge(x, &scalar(l))?)?;
                }
                if let Some(h) = max {
                    keep = super::compare::logical_and(&keep, &super::compare::le(x, &scalar(h))?)?;
                }
                let zeros = super::creation::zeros_like(ctx.grad())?;
                let g = super::index::where_(&keep, ctx.grad(), &zeros)?;
                Ok(vec![Some(reduce_grad(&g, &shape, dtype)?)])
            },
        );
    }
    save_args_for(&out, "ClampBackward1", || {
        vec![
            ("max", SavedArg::OptScalar(max)),
            ("min", SavedArg::OptScalar(min)),
        ]
    });
    Ok(out)
}

/// `src` clamped to float bounds in its own float type (rounding a bound to it first
/// picks the same values as clamping in float64): a NaN element stays, a NaN bound makes
/// every other element NaN, and `min > max` gives `max`, as `min(max(x, lo), hi)` does.
fn clamp_float<T: Float>(src: &Tensor, lo: Option<f64>, hi: Option<f64>) -> Tensor {
    let bound_nan = lo.is_some_and(f64::is_nan) || hi.is_some_and(f64::is_nan);
    if bound_nan {
        let nan = T::from_f64(f64::NAN);
        return simd_map1::<T, T>(src, move |x| if x.is_nan() { x } else { nan });
    }
    let lo = T::from_f64(lo.unwrap_or(f64::NEG_INFINITY));
    let hi = T::from_f64(hi.unwrap_or(f64::INFINITY));
    // selects, not `max`/`min`: an element equal to a bound (±0 included) is kept
    simd_map1::<T, T>(src, move |x| {
        let y = if x < lo { lo } else { x };
        if y > hi {
            hi
        } else {
            y
        }
    })
}

/// `clamp(t, min, max)` with tensor bounds (`ClampBackward0`): each bound receives the
/// gradient where it was the one picked.
pub fn clamp_tensors(t: &Tensor, min: Option<&Tensor>, max: Option<&Tensor>) -> Result<Tensor> {
    let dtype = super::clamp_checks::clamp_dtype(t, min, max, false)?;
    clamp_tensors_in(t, min, max, dtype)
}

/// `clamp_tensors` once its checks have given `dtype`, the dtype it computes in.
pub fn clamp_tensors_in(
    t: &Tensor,
    min: Option<&Tensor>,
    max: Option<&Tensor>,
    dtype: DType,
) -> Result<Tensor> {
    let mut out = if t.dtype() == dtype {
        t.clone()
    } else {
        cast_raw(t, dtype)
    };
    {
        let _no = crate::autograd::GradModeGuard::new(false);
        if let Some(lo) = min {
            out = super::binary::maximum(&out, lo)?;
        }
        if let Some(hi) = max {
            out = super::binary::minimum(&out, hi)?;
        }
    }
    let out = if out.same_tensor(t) {
        super::cast::clone_preserving_detached(t)?
    } else {
        out.detached()
    };
    let none = Tensor::zeros(&[], t.dtype())?;
    let (lo, hi) = (
        min.cloned().unwrap_or_else(|| none.clone()),
        max.cloned().unwrap_or(none),
    );
    if needs_grad(&[t, &lo, &hi]) {
        let (has_lo, has_hi) = (min.is_some(), max.is_some());
        let metas = [
            (t.shape().to_vec(), t.dtype()),
            (lo.shape().to_vec(), lo.dtype()),
            (hi.shape().to_vec(), hi.dtype()),
        ];
        let saved = vec![
            SavedTensor::input(t),
            SavedTensor::input(&lo),
            SavedTensor::input(&hi),
        ];
        record(
            "ClampBackward0",
            &[t, &lo, &hi],
            &[&out],
            saved,
            move |ctx| {
                let (x, l, h) = (ctx.saved(0), ctx.saved(1), ctx.saved(2));
                let g = ctx.grad();
                let zeros = super::creation::zeros_like(g)?;
                let mut keep = super::creation::ones_bool(g.shape())?;
                if has_lo {
                    keep = super::compare::logical_and(&keep, &super::compare::ge(x, l)?)?;
                }
                if has_hi {
                    keep = super::compare::logical_and(&keep, &super::compare::le(x, h)?)?;
                }
                let gx = if ctx.needs(0) {
                    Some(reduce_grad(
                        &super::index::where_(&keep, g, &zeros)?,
                        &metas[0].0,
                        metas[0].1,
                    )?)
                } else {
                    None
                };
                let gl = if has_lo && ctx.needs(1) {
                    let mut m = super::compare::lt(x, l)?;
                    if has_hi {
                        // a bound above max is not the one picked (PyTorch's clamp formula)
                        m = super::compare::logical_and(&m, &super::compare::gt(h, l)?)?;
                    }
                    Some(reduce_grad(
                        &super::index::where_(&m, g, &zeros)?,
                        &metas[1].0,
                        metas[1].1,
                    )?)
                } else {
                    None
                };
                let gh = if has_hi && ctx.needs(2) {
                    let mut m = super::compare::gt(x, h)?;
                    if has_lo {
                        m = super::compare::logical_or(&m, &super::compare::lt(h, l)?)?;
                    }
                    Some(reduce_grad(
                        &super::index::where_(&m, g, &zeros)?,
                        &metas[2].0,
                        metas[2].1,
                    )?)
                } else {
                    None
                };
                Ok(vec![gx, gl, gh])
            },
        );
        // the bound not given is saved as a placeholder; PyTorch's node shows None there
        let missing = if min.is_none() { "min" } else { "max" };
        if min.is_none() || max.is_none() {
            save_args_for(&out, "ClampBackward0", || {
                vec![("missing_bound", SavedArg::Str(missing))]
            });
        }
    }
    Ok(out)
}
