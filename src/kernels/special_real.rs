//! `Real`: the float types (f32, f64) the `torch.special` Bessel and polynomial kernels
//! are written over. PyTorch instantiates those kernels per dtype, so a float32 result
//! is computed in float32 arithmetic (float32 libm calls, constants rounded to float32),
//! not in float64 and rounded; evaluating in the element type keeps our results within
//! an ulp or two of PyTorch's.
//!
//! PyTorch's x86 builds compile these kernels with FMA enabled and GCC's default
//! floating-point contraction, which fuses `a * b + c` (and `a * b - c`, `c - a * b`)
//! when the product feeds only that sum; the kernels here write `fma` exactly where
//! that contraction happens, so their roundings are PyTorch's.

use std::ops::{Add, Div, Mul, Neg, Sub};

pub trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    const EPSILON: Self;
    const INFINITY: Self;
    const NAN: Self;
    /// A constant rounded to this type (as a C++ `T(literal)`).
    fn c(v: f64) -> Self;
    /// An integer rounded to this type (C++'s `int64_t` to `T` conversion).
    fn from_i64(n: i64) -> Self;
    fn to_f64(self) -> f64;
    /// `self * b + c` with one rounding.
    fn fma(self, b: Self, c: Self) -> Self;
    fn abs(self) -> Self;
    fn sqrt(self) -> Self;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn acos(self) -> Self;
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
    /// C++'s `static_cast<int64_t>` on x86-64: truncation, and the "integer
    /// indefinite" value `i64::MIN` for NaN and anything out of range (Rust's `as`
    /// saturates instead).
    fn to_i64_like_cpp(self) -> i64;
}

macro_rules! impl_real {
    ($t:ty) => {
        impl Real for $t {
            const EPSILON: Self = <$t>::EPSILON;
            const INFINITY: Self = <$t>::INFINITY;
            const NAN: Self = <$t>::NAN;
            #[inline]
            fn c(v: f64) -> Self {
                v as $t
            }
            #[inline]
            fn from_i64(n: i64) -> Self {
                n as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline]
            fn fma(self, b: Self, c: Self) -> Self {
                self.mul_add(b, c)
            }
            #[inline]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
            #[inline]
            fn acos(self) -> Self {
                <$t>::acos(self)
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline]
            fn is_infinite(self) -> bool {
                <$t>::is_infinite(self)
            }
            #[inline]
            fn to_i64_like_cpp(self) -> i64 {
                // 2^63 is exact in both types; the range of i64 is [-2^63, 2^63)
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                let v = self as f64;
                if v.is_nan() || !(-LIMIT..LIMIT).contains(&v) {
                    i64::MIN
                } else {
                    v as i64
                }
            }
        }
    };
}

impl_real!(f32);
impl_real!(f64);

/// Σ c[i] z^(len-1-i) by Horner's rule, the coefficients rounded to `T` (Cephes'
/// `polevl`, the loops PyTorch writes out), each step one fused multiply-add.
#[inline]
pub fn horner<T: Real>(coefficients: &[f64], z: T) -> T {
    coefficients
        .iter()
        .fold(T::c(0.0), |acc, &c| acc.fma(z, T::c(c)))
}

/// The Chebyshev series Σ' c[i] T_i(y/2) by Clenshaw's recurrence, as Cephes' `chbevl`
/// and PyTorch's unrolled loops: returns (b0, b2), the series being (b0 - b2) / 2.
#[inline]
pub fn clenshaw<T: Real>(coefficients: &[f64], y: T) -> (T, T) {
    let mut b0 = T::c(coefficients[0]);
    let (mut b1, mut b2) = (T::c(0.0), T::c(0.0));
    for &c in &coefficients[1..] {
        b2 = b1;
        b1 = b0;
        b0 = y.fma(b1, -b2) + T::c(c);
    }
    (b0, b2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_to_int_follows_x86_conversion() {
        assert_eq!(f64::NAN.to_i64_like_cpp(), i64::MIN);
        assert_eq!(f32::INFINITY.to_i64_like_cpp(), i64::MIN);
        assert_eq!((-1e30f64).to_i64_like_cpp(), i64::MIN);
        assert_eq!(3.9f32.to_i64_like_cpp(), 3);
        assert_eq!((-3.9f64).to_i64_like_cpp(), -3);
    }

    #[test]
    fn horner_evaluates_highest_coefficient_first() {
        assert_eq!(horner(&[2.0, 3.0, 4.0], 10.0f64), 234.0);
    }
}
