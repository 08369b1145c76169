//! float32 activations whose formulas need exp, tanh or erf, on the vectorized lane
//! functions of `kernels::vmath` (one branch-free formula per element, so each loop
//! compiles to SIMD code): the same formulas as `formulas.rs`, within a few ulps.

use super::formulas::{GELU_PDF, GELU_TANH_BETA, GELU_TANH_KAPPA, SQRT1_2};
use super::kind::Activation;
use crate::kernels::elementwise::map_unary;
use crate::kernels::vmath::{
    exp_lane, ln_lane, map_lanes, map_lanes2, tanh_lane, LaneFn, LaneFn2, MulAdd,
};
use crate::ops::cast::walked;
use crate::ops::vector_map::PAR_MIN_MATH_ELEMS;
use crate::tensor::memory_format::elementwise_strides;
use crate::tensor::{Element, Tensor};

/// ln(1 + e) for e >= 0, with the rounding error of 1 + e corrected to first order.
#[inline(always)]
fn ln_1p<F: MulAdd>(e: f32) -> f32 {
    let w = 1.0 + e;
    ln_lane::<F>(w) - ((w - 1.0) - e) / w
}

/// e^x - 1: its Taylor series below |x| = 0.5 (where e^x - 1 would cancel), else e^x - 1.
#[inline(always)]
fn exp_m1<F: MulAdd>(x: f32) -> f32 {
    const C: [f32; 8] = [
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
    ];
    let mut p = C[0];
    for c in &C[1..] {
        p = F::mul_add(p, x, *c);
    }
    let series = F::mul_add(p * x, x, x);
    if x == 0.0 {
        x // keeps the sign of -0
    } else if x.abs() < 0.5 {
        series
    } else {
        exp_lane::<F>(x) - 1.0
    }
}

/// 1 + erf(x / sqrt 2), i.e. twice the normal CDF, as PyTorch computes it: erf rounded
/// to float32 before the 1 is added (so the far negative tail is 0, as PyTorch's). erf is
/// its series below |x / sqrt 2| = 0.5, and 1 - erfc above, with erfc by Numerical
/// Recipes' Chebyshev fit (relative error < 1.2e-7).
#[inline(always)]
fn one_plus_erf_scaled<F: MulAdd>(x: f32) -> f32 {
    let y = x * SQRT1_2 as f32;
    let z = y.abs();
    // erf(y) = 2/sqrt(pi) (y - y^3/3 + y^5/10 - y^7/42 + y^9/216 - y^11/1320)
    let y2 = y * y;
    let mut s = -1.0f32 / 1320.0;
    for c in [1.0f32 / 216.0, -1.0 / 42.0, 1.0 / 10.0, -1.0 / 3.0, 1.0] {
        s = F::mul_add(s, y2, c);
    }
    let small = 1.0 + s * y * std::f32::consts::FRAC_2_SQRT_PI;
    let t = 1.0 / F::mul_add(0.5, z, 1.0);
    let mut q = ERFC_FIT[0] as f32;
    for c in &ERFC_FIT[1..] {
        q = F::mul_add(q, t, *c as f32);
    }
    let erfc = t * exp_lane::<F>(q - z * z);
    if z < 0.5 {
        small
    } else if y < 0.0 {
        1.0 + (erfc - 1.0)
    } else {
        2.0 - erfc
    }
}

/// Numerical Recipes' `erfcc`: erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z / 2), with
/// P's coefficients from the highest degree down.
const ERFC_FIT: [f64; 10] = [
    0.170_872_77,
    -0.822_152_23,
    1.488_515_87,
    -1.135_203_98,
    0.278_868_07,
    -0.186_288_06,
    0.096_784_18,
    0.374_091_96,
    1.000_023_68,
    -1.265_512_23,
];

#[inline(always)]
fn sigmoid<F: MulAdd>(x: f32) -> f32 {
    1.0 / (1.0 + exp_lane::<F>(-x))
}

/// softplus(x) = max(x, 0) + ln(1 + e^-|x|), which never overflows.
#[inline(always)]
fn softplus<F: MulAdd>(x: f32) -> f32 {
    let positive = if x > 0.0 { x } else { 0.0 };
    positive + ln_1p::<F>(exp_lane::<F>(-x.abs()))
}

struct Gelu;
impl LaneFn for Gelu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        x * 0.5 * one_plus_erf_scaled::<F>(x)
    }
}
impl LaneFn2 for Gelu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let cdf = 0.5 * one_plus_erf_scaled::<F>(x);
        let pdf = GELU_PDF as f32 * exp_lane::<F>(-0.5 * x * x);
        g * (cdf + x * pdf)
    }
}

struct GeluTanh;
impl LaneFn for GeluTanh {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        let inner = GELU_TANH_BETA as f32 * (x + GELU_TANH_KAPPA as f32 * (x * x * x));
        0.5 * x * (1.0 + tanh_lane::<F>(inner))
    }
}
impl LaneFn2 for GeluTanh {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let (beta, kappa) = (GELU_TANH_BETA as f32, GELU_TANH_KAPPA as f32);
        let x_sq = x * x;
        let t = tanh_lane::<F>(beta * (x + kappa * (x_sq * x)));
        let left_derivative = 0.5 * (1.0 + t);
        let inner_derivative = beta * (1.0 + 3.0 * kappa * x_sq);
        let right_derivative = 0.5 * x * (1.0 - t * t) * inner_derivative;
        g * (left_derivative + right_derivative)
    }
}

struct Silu;
impl LaneFn for Silu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        x / (1.0 + exp_lane::<F>(-x))
    }
}
impl LaneFn2 for Silu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let s = sigmoid::<F>(x);
        g * s * (1.0 + x * (1.0 - s))
    }
}

struct Elu {
    neg: f32,
    pos: f32,
    input_scale: f32,
}
impl LaneFn for Elu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        let below = exp_m1::<F>(x * self.input_scale) * self.neg;
        if x <= 0.0 {
            below
        } else {
            x * self.pos
        }
    }
}

impl LaneFn2 for Elu {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let below = g * self.input_scale * self.neg * exp_lane::<F>(x * self.input_scale);
        if x <= 0.0 {
            below
        } else {
            g * self.pos
        }
    }
}

struct Softplus {
    beta: f32,
    threshold: f32,
}
impl LaneFn2 for Softplus {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let z = x * self.beta;
        let e = exp_lane::<F>(z);
        let smooth = g * e / (e + 1.0);
        if z > self.threshold {
            g
        } else {
            smooth
        }
    }
}
impl LaneFn for Softplus {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        let z = x * self.beta;
        let smooth = softplus::<F>(z) / self.beta;
        if z > self.threshold {
            x
        } else {
            smooth
        }
    }
}

struct Mish;
impl LaneFn for Mish {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        x * tanh_lane::<F>(softplus::<F>(x))
    }
}

impl LaneFn2 for Mish {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let s = sigmoid::<F>(x);
        let t = tanh_lane::<F>(softplus::<F>(x));
        g * (t + x * s * (1.0 - t * t))
    }
}

struct LogSigmoid;
impl LaneFn2 for LogSigmoid {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, g: f32, x: f32) -> f32 {
        let z = exp_lane::<F>(-x.abs());
        let (max_deriv, sign) = if x < 0.0 { (1.0, 1.0) } else { (0.0, -1.0) };
        g * (max_deriv - sign * (z / (1.0 + z)))
    }
}
impl LaneFn for LogSigmoid {
    #[inline(always)]
    fn lane<F: MulAdd>(&self, x: f32) -> f32 {
        let negative = if 0.0 < x { 0.0 } else { x }; // NaN passes, as C++'s std::min(x, 0)
        negative - ln_1p::<F>(exp_lane::<F>(-x.abs()))
    }
}

/// The float32 values of `act(x)` on the lane kernels, or None where the scalar formulas
/// are as fast (comparisons and products only).
pub fn forward(x: &Tensor, act: Activation) -> Option<Tensor> {
    let p = act.params();
    Some(match act {
        Activation::Gelu => unary(x, &Gelu),
        Activation::GeluTanh => unary(x, &GeluTanh),
        Activation::Silu => unary(x, &Silu),
        Activation::Elu { .. } | Activation::Celu { .. } => {
            let (a, b, c) = (p.a as f32, p.b as f32, p.c as f32);
            unary(
                x,
                &Elu {
                    neg: a * b,
                    pos: b,
                    input_scale: c,
                },
            )
        }
        Activation::Softplus { .. } => unary(
            x,
            &Softplus {
                beta: p.a as f32,
                threshold: p.b as f32,
            },
        ),
        Activation::Mish => unary(x, &Mish),
        Activation::LogSigmoid => unary(x, &LogSigmoid),
        _ => return None,
    })
}

/// The float32 gradient on the lane kernels, for operands of one shape (made
/// contiguous first: the gradient of a `sum` arrives expanded).
pub fn backward(grad: &Tensor, x: &Tensor, act: Activation) -> Option<Tensor> {
    if grad.shape() != x.shape() {
        return None;
    }
    let dense = |t: &Tensor| crate::ops::cast::contiguous(t).ok();
    let p = act.params();
    let (grad, x) = (&dense(grad)?, &dense(x)?);
    Some(match act {
        Activation::Gelu => binary(grad, x, &Gelu),
        Activation::GeluTanh => binary(grad, x, &GeluTanh),
        Activation::Silu => binary(grad, x, &Silu),
        Activation::Mish => binary(grad, x, &Mish),
        Activation::LogSigmoid => binary(grad, x, &LogSigmoid),
        Activation::Elu { .. } | Activation::Celu { .. } => {
            let (a, b, c) = (p.a as f32, p.b as f32, p.c as f32);
            binary(
                grad,
                x,
                &Elu {
                    neg: a * b,
                    pos: b,
                    input_scale: c,
                },
            )
        }
        Activation::Softplus { .. } => binary(
            grad,
            x,
            &Softplus {
                beta: p.a as f32,
                threshold: p.b as f32,
            },
        ),
        _ => return None,
    })
}

/// `k` over `t`'s elements, in the result's memory order (a strided input is gathered
/// first, so every layout gives the same bits).
fn unary<K: LaneFn>(t: &Tensor, k: &K) -> Tensor {
    let n = t.numel();
    let mut out = vec![0.0f32; n];
    let strides = elementwise_strides(t.shape(), &[t.layout()]);
    if n > 0 {
        let guard = t.storage().read();
        let src = f32::slice(&guard);
        let layout = walked(t.layout(), &strides);
        if layout.is_contiguous() {
            split(&src[layout.storage_run(n)], &mut out, |s, d| {
                map_lanes(k, s, d)
            });
        } else {
            split(&map_unary(src, &layout, |x| x), &mut out, |s, d| {
                map_lanes(k, s, d)
            });
        }
    }
    Tensor::from_buffer_strided(f32::into_buffer(out), t.shape(), strides)
        .expect("same element count")
}

fn binary<K: LaneFn2>(grad: &Tensor, x: &Tensor, k: &K) -> Tensor {
    let n = x.numel();
    let mut out = vec![0.0f32; n];
    if n > 0 {
        let (gg, gx) = (grad.storage().read(), x.storage().read());
        let (go, xo) = (grad.layout().offset, x.layout().offset);
        let g = &f32::slice(&gg)[go..go + n];
        let xs = &f32::slice(&gx)[xo..xo + n];
        split_pairs(g, xs, &mut out, |a, b, d| map_lanes2(k, a, b, d));
    }
    Tensor::from_vec(out, x.shape()).expect("same element count")
}

/// `f` over chunks of `dst` across the intra-op threads when it is large.
fn split(src: &[f32], dst: &mut [f32], f: impl Fn(&[f32], &mut [f32]) + Sync + Send) {
    let tasks = crate::parallel::task_count(dst.len(), PAR_MIN_MATH_ELEMS);
    if tasks <= 1 {
        return f(src, dst);
    }
    let chunk = crate::parallel::chunk_len(dst.len(), tasks);
    crate::parallel::for_each_chunk_mut(dst, chunk, |start, d| f(&src[start..start + d.len()], d));
}

fn split_pairs(
    a: &[f32],
    b: &[f32],
    dst: &mut [f32],
    f: impl Fn(&[f32], &[f32], &mut [f32]) + Sync + Send,
) {
    let tasks = crate::parallel::task_count(dst.len(), PAR_MIN_MATH_ELEMS);
    if tasks <= 1 {
        return f(a, b, dst);
    }
    let chunk = crate::parallel::chunk_len(dst.len(), tasks);
    crate::parallel::for_each_chunk_mut(dst, chunk, |start, d| {
        let end = start + d.len();
        f(&a[start..end], &b[start..end], d)
    });
}
