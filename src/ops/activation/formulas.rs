//! PyTorch's element formulas of each activation and of its gradient (its scalar CPU
//! kernels, with their comparisons, so that NaN, ±0 and ±inf come out as PyTorch's), in
//! the element type: float32 computes in float32 as PyTorch's kernels do.

use crate::ops::float::Float;

/// The element math the formulas need beyond `Float`.
pub trait ActFloat: Float + PartialOrd {
    fn of(v: f64) -> Self;
    fn erf_(self) -> Self;
    /// C++'s `std::max(a, b)`: `a` unless `a < b` (a NaN `a` is kept).
    #[inline(always)]
    fn cmax(self, b: Self) -> Self {
        if self < b {
            b
        } else {
            self
        }
    }
    /// C++'s `std::min(a, b)`: `a` unless `b < a`.
    #[inline(always)]
    fn cmin(self, b: Self) -> Self {
        if b < self {
            b
        } else {
            self
        }
    }
}

impl ActFloat for f32 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn erf_(self) -> Self {
        libm::erff(self)
    }
}

impl ActFloat for f64 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn erf_(self) -> Self {
        libm::erf(self)
    }
}

pub(super) const SQRT1_2: f64 = std::f64::consts::FRAC_1_SQRT_2;
/// gelu's pdf factor, 1 / sqrt(2 pi), as PyTorch writes it.
pub(super) const GELU_PDF: f64 = std::f64::consts::FRAC_2_SQRT_PI * SQRT1_2 * 0.5;
/// tanh-gelu's sqrt(2 / pi) and cubic coefficient.
pub(super) const GELU_TANH_BETA: f64 =
    std::f64::consts::SQRT_2 * std::f64::consts::FRAC_2_SQRT_PI * 0.5;
pub(super) const GELU_TANH_KAPPA: f64 = 0.044715;
/// hardsigmoid's slope: PyTorch's kernels write `1.0f / 6.0f`, float32 for every dtype.
pub const ONE_SIXTH_F32: f64 = (1.0f32 / 6.0f32) as f64;

#[inline(always)]
pub(super) fn sigmoid<T: ActFloat>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

/// Runs `$body` with `$f` bound to the element formula of `$act`, one closure per
/// activation so that each loop is compiled on its own (a match per element would keep
/// every loop scalar).
macro_rules! with_forward {
    ($T:ty, $act:expr, $p:expr, |$f:ident| $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::ops::activation::formulas::*;
        use $crate::ops::activation::kind::{Activation, Params};
        type T = $T;
        let p: Params = $p;
        let (a, b, c) = (T::of(p.a), T::of(p.b), T::of(p.c));
        let (zero, one, half) = (T::zero(), T::one(), T::of(0.5));
        let _ = (a, b, c, zero, one, half);
        match $act {
            Activation::Gelu => {
                let $f = move |x: T| x * half * (one + (x * T::of(SQRT1_2)).erf_());
                $body
            }
            Activation::GeluTanh => {
                let $f = move |x: T| {
                    let inner = T::of(GELU_TANH_BETA) * (x + T::of(GELU_TANH_KAPPA) * (x * x * x));
                    half * x * (one + inner.tanh())
                };
                $body
            }
            Activation::Silu => {
                let $f = move |x: T| x / (one + (-x).exp());
                $body
            }
            Activation::Elu { .. } | Activation::Celu { .. } => {
                // a: alpha, b: scale, c: input scale
                let (neg, pos) = (a * b, b);
                let $f = move |x: T| {
                    if x <= zero {
                        (x * c).exp_m1() * neg
                    } else {
                        x * pos
                    }
                };
                $body
            }
            Activation::Softplus { .. } => {
                let $f = move |x: T| {
                    if x * a > b {
                        x
                    } else {
                        (x * a).exp().ln_1p() / a
                    }
                };
                $body
            }
            Activation::Mish => {
                let $f = move |x: T| x * x.exp().ln_1p().tanh();
                $body
            }
            Activation::Hardswish => {
                let (three, six) = (T::of(3.0), T::of(6.0));
                let $f = move |x: T| x * (x + three).cmax(zero).cmin(six) / six;
                $body
            }
            Activation::Hardsigmoid => {
                let (three, six) = (T::of(3.0), T::of(6.0));
                let $f = move |x: T| (x + three).cmax(zero).cmin(six) / six;
                $body
            }
            Activation::Hardtanh { .. } => {
                // clamp: NaN passes, -0 stays -0
                let $f = move |x: T| {
                    if x < a {
                        a
                    } else if x > b {
                        b
                    } else {
                        x
                    }
                };
                $body
            }
            Activation::LeakyRelu { .. } => {
                let $f = move |x: T| if x > zero { x } else { x * a };
                $body
            }
            Activation::LogSigmoid => {
                let $f = move |x: T| x.cmin(zero) - (-x.abs()).exp().ln_1p();
                $body
            }
            Activation::Softshrink { .. } => {
                let $f = move |x: T| {
                    if x.is_nan() {
                        x
                    } else if x > a {
                        x - a
                    } else if x < -a {
                        x + a
                    } else {
                        x * zero // -0 stays -0, as PyTorch's scalar kernel
                    }
                };
                $body
            }
            Activation::Hardshrink { .. } => {
                let $f = move |x: T| if x >= -a && x <= a { zero } else { x };
                $body
            }
            Activation::Threshold { .. } => {
                let $f = move |x: T| if x <= a { b } else { x };
                $body
            }
        }
    }};
}
pub(crate) use with_forward;

/// As `with_forward`, for the gradient `|grad, saved|`: `saved` is the input, or for
/// the in-place nodes that keep their result (`from_result`), the result.
macro_rules! with_backward {
    ($T:ty, $act:expr, $p:expr, $from_result:expr, |$f:ident| $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::ops::activation::formulas::*;
        use $crate::ops::activation::kind::{Activation, Params};
        type T = $T;
        let p: Params = $p;
        let (a, b, c) = (T::of(p.a), T::of(p.b), T::of(p.c));
        let (zero, one, half) = (T::zero(), T::one(), T::of(0.5));
        let _ = (a, b, c, zero, one, half);
        match $act {
            Activation::Gelu => {
                let $f = move |g: T, x: T| {
                    let cdf = half * (one + (x * T::of(SQRT1_2)).erf_());
                    let pdf = T::of(GELU_PDF) * (-half * x * x).exp();
                    g * (cdf + x * pdf)
                };
                $body
            }
            Activation::GeluTanh => {
                let $f = move |g: T, x: T| {
                    let (beta, kappa) = (T::of(GELU_TANH_BETA), T::of(GELU_TANH_KAPPA));
                    let x_sq = x * x;
                    let inner = beta * (x + kappa * (x_sq * x));
                    let t = inner.tanh();
                    let left = half * x;
                    let right = one + t;
                    let left_derivative = half * right;
                    let inner_derivative = beta * (one + T::of(3.0) * kappa * x_sq);
                    let right_derivative = left * (one - t * t) * inner_derivative;
                    g * (left_derivative + right_derivative)
                };
                $body
            }
            Activation::Silu => {
                let $f = move |g: T, x: T| {
                    let s = sigmoid(x);
                    g * s * (one + x * (one - s))
                };
                $body
            }
            Activation::Elu { .. } | Activation::Celu { .. } => {
                let (neg, pos) = (a * b, b);
                if $from_result {
                    let $f = move |g: T, y: T| {
                        if y <= zero {
                            g * c * (y + neg)
                        } else {
                            g * pos
                        }
                    };
                    $body
                } else {
                    let $f = move |g: T, x: T| {
                        if x <= zero {
                            g * c * neg * (x * c).exp()
                        } else {
                            g * pos
                        }
                    };
                    $body
                }
            }
            Activation::Softplus { .. } => {
                let $f = move |g: T, x: T| {
                    let z = (x * a).exp();
                    if x * a > b {
                        g
                    } else {
                        g * z / (z + one)
                    }
                };
                $body
            }
            Activation::Mish => {
                let $f = move |g: T, x: T| {
                    let s = sigmoid(x);
                    let t = x.exp().ln_1p().tanh();
                    g * (t + x * s * (one - t * t))
                };
                $body
            }
            Activation::Hardswish => {
                let (three, point_five) = (T::of(3.0), T::of(0.5));
                let $f = move |g: T, x: T| {
                    if x <= -three {
                        zero
                    } else if x < three {
                        g * (x / three + point_five)
                    } else {
                        g
                    }
                };
                $body
            }
            Activation::Hardsigmoid => {
                let (three, sixth) = (T::of(3.0), T::of(ONE_SIXTH_F32));
                let $f = move |g: T, x: T| {
                    if x > -three && x < three {
                        g * sixth
                    } else {
                        zero
                    }
                };
                $body
            }
            Activation::Hardtanh { .. } => {
                // a NaN input passes the gradient
                let $f = move |g: T, x: T| if x <= a || x >= b { zero } else { g };
                $body
            }
            Activation::LeakyRelu { .. } => {
                let $f = move |g: T, x: T| if x > zero { g } else { g * a };
                $body
            }
            Activation::LogSigmoid => {
                // from the input alone: the buffer exp(-|x|) is recomputed
                let $f = move |g: T, x: T| {
                    let z = (-x.abs()).exp();
                    let (max_deriv, sign) = if x < zero { (one, one) } else { (zero, -one) };
                    g * (max_deriv - sign * (z / (one + z)))
                };
                $body
            }
            Activation::Softshrink { .. } | Activation::Hardshrink { .. } => {
                // a NaN input passes the gradient
                let $f = move |g: T, x: T| if x >= -a && x <= a { zero } else { g };
                $body
            }
            Activation::Threshold { .. } => {
                let $f = move |g: T, x: T| if x <= a { zero } else { g };
                $body
            }
        }
    }};
}
pub(crate) use with_backward;
