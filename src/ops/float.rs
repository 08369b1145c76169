//! Floating-point element math shared by the float kernels.

use crate::tensor::Element;

pub trait Float:
    Element
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + std::ops::Neg<Output = Self>
{
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tanh(self) -> Self;
    fn powf(self, e: Self) -> Self;
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    fn round_even(self) -> Self;
    fn trunc(self) -> Self;
    fn fmod(self, b: Self) -> Self;
    fn is_nan(self) -> bool;
    fn copysign(self, sign: Self) -> Self;
    fn signum_torch(self) -> Self;
    fn zero() -> Self;
    fn one() -> Self;
}

macro_rules! float_impl {
    ($t:ty) => {
        impl Float for $t {
            #[inline(always)]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                <$t>::tanh(self)
            }
            #[inline(always)]
            fn powf(self, e: Self) -> Self {
                <$t>::powf(self, e)
            }
            #[inline(always)]
            fn floor(self) -> Self {
                <$t>::floor(self)
            }
            #[inline(always)]
            fn ceil(self) -> Self {
                <$t>::ceil(self)
            }
            #[inline(always)]
            fn round_even(self) -> Self {
                <$t>::round_ties_even(self)
            }
            #[inline(always)]
            fn trunc(self) -> Self {
                <$t>::trunc(self)
            }
            #[inline(always)]
            fn fmod(self, b: Self) -> Self {
                self % b
            }
            #[inline(always)]
            fn copysign(self, sign: Self) -> Self {
                <$t>::copysign(self, sign)
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn signum_torch(self) -> Self {
                if self > 0.0 {
                    1.0
                } else if self < 0.0 {
                    -1.0
                } else {
                    // PyTorch: sign(±0) = 0 and sign(NaN) = 0
                    0.0
                }
            }
            #[inline(always)]
            fn zero() -> Self {
                0.0
            }
            #[inline(always)]
            fn one() -> Self {
                1.0
            }
        }
    };
}
float_impl!(f32);
float_impl!(f64);

/// Python's floor division for floats (PyTorch's `div_floor`).
#[inline(always)]
pub fn div_floor<T: Float>(a: T, b: T) -> T {
    if b == T::zero() {
        return a / b;
    }
    let m = a.fmod(b);
    let mut div = (a - m) / b;
    if m != T::zero() && ((b < T::zero()) != (m < T::zero())) {
        div = div - T::one();
    }
    if div == T::zero() {
        return T::zero().copysign(a / b);
    }
    let f = div.floor();
    if div - f > T::from_f64(0.5) {
        f + T::one()
    } else {
        f
    }
}

/// Python's modulo for floats: the result takes the divisor's sign.
#[inline(always)]
pub fn remainder<T: Float>(a: T, b: T) -> T {
    let m = a.fmod(b);
    if m != T::zero() && ((b < T::zero()) != (m < T::zero())) {
        m + b
    } else {
        m
    }
}
