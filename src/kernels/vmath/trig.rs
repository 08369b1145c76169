//! One-lane float32 sin, cos, tan, atan, asin and acos, computed in float64 without
//! branches so that a loop over a slice compiles to SIMD code.
//!
//! Working in float64 leaves room for plain Taylor polynomials and a two-constant
//! reduction by pi/2: every step's error is below 1e-10 relative, so the result is the
//! float64 value rounded once to float32 (≤ 1 ulp; measured in `trig_tests.rs`).
//! sin, cos and tan reduce exactly only for |x| ≤ `REDUCE_MAX`; callers compute larger
//! (and non-finite) arguments with the scalar float64 function (`needs_scalar`).

use super::lanes::MulAdd;
use std::f64::consts::{FRAC_2_PI, FRAC_PI_2, FRAC_PI_4};

/// pi/2 in two parts: the first 33 bits (so `n * PIO2_HI` is exact for n < 2^20), and
/// the rest.
const PIO2_HI: f64 = 1.570_796_326_734_125_6;
const PIO2_LO: f64 = 6.077_100_506_506_192e-11;
/// Adding 1.5 * 2^52 rounds a float64 below 2^51 to an integer (ties to even) and leaves
/// it in the low mantissa bits.
const ROUNDER: f64 = 6_755_399_441_055_744.0;
/// Largest |x| reduced in the lanes: n = round(x 2/pi) stays below 2^20.
pub const REDUCE_MAX: f32 = 1.0e6;

/// Whether sin/cos/tan of `x` must come from the scalar function (huge, inf or NaN).
#[inline(always)]
pub fn needs_scalar(x: f32) -> bool {
    x.abs() > REDUCE_MAX || x.is_nan()
}

/// x = n pi/2 + r with |r| <= pi/4: (r, n mod 4).
#[inline(always)]
fn reduce<F: MulAdd>(x: f64) -> (f64, u32) {
    let shifted = F::mul_add64(x, FRAC_2_PI, ROUNDER);
    let n = shifted - ROUNDER;
    let q = (shifted.to_bits() as u32) & 3;
    let r = F::mul_add64(n, -PIO2_HI, x);
    let r = F::mul_add64(n, -PIO2_LO, r);
    (r, q)
}

/// sin r for |r| <= pi/4: Taylor to r^11 (the next term is below 1e-11 r).
#[inline(always)]
fn sin_poly<F: MulAdd>(r: f64) -> f64 {
    let z = r * r;
    let mut p = -1.0 / 39_916_800.0;
    p = F::mul_add64(p, z, 1.0 / 362_880.0);
    p = F::mul_add64(p, z, -1.0 / 5040.0);
    p = F::mul_add64(p, z, 1.0 / 120.0);
    p = F::mul_add64(p, z, -1.0 / 6.0);
    F::mul_add64(r * z, p, r)
}

/// cos r for |r| <= pi/4: Taylor to r^12.
#[inline(always)]
fn cos_poly<F: MulAdd>(r: f64) -> f64 {
    let z = r * r;
    let mut p = 1.0 / 479_001_600.0;
    p = F::mul_add64(p, z, -1.0 / 3_628_800.0);
    p = F::mul_add64(p, z, 1.0 / 40320.0);
    p = F::mul_add64(p, z, -1.0 / 720.0);
    p = F::mul_add64(p, z, 1.0 / 24.0);
    p = F::mul_add64(p, z, -0.5);
    F::mul_add64(z, p, 1.0)
}

#[inline(always)]
pub fn sin<F: MulAdd>(x: f32) -> f32 {
    let (r, q) = reduce::<F>(x as f64);
    let (s, c) = (sin_poly::<F>(r), cos_poly::<F>(r));
    let y = if q & 1 == 0 { s } else { c };
    let y = (if q & 2 == 0 { y } else { -y }) as f32;
    // the polynomial turns -0.0 into +0.0
    if x == 0.0 {
        x
    } else {
        y
    }
}

#[inline(always)]
pub fn cos<F: MulAdd>(x: f32) -> f32 {
    let (r, q) = reduce::<F>(x as f64);
    let (s, c) = (sin_poly::<F>(r), cos_poly::<F>(r));
    let y = if q & 1 == 0 { c } else { s };
    (if (q + 1) & 2 == 0 { y } else { -y }) as f32
}

#[inline(always)]
pub fn tan<F: MulAdd>(x: f32) -> f32 {
    let (r, q) = reduce::<F>(x as f64);
    let (s, c) = (sin_poly::<F>(r), cos_poly::<F>(r));
    let y = (if q & 1 == 0 { s / c } else { -c / s }) as f32;
    if x == 0.0 {
        x
    } else {
        y
    }
}

/// atan t for |t| <= tan(pi/8): Taylor to t^21 (the next term is below 2e-10 t).
#[inline(always)]
fn atan_poly<F: MulAdd>(t: f64) -> f64 {
    let z = t * t;
    let mut p = 1.0 / 21.0;
    for k in (1..10).rev() {
        p = F::mul_add64(p, -z, 1.0 / (2 * k + 1) as f64);
    }
    // p = 1/3 - z/5 + z^2/7 - ... ; atan t = t - t^3 p
    F::mul_add64(-t * z, p, t)
}

/// atan of a float64 (|x| up to inf), by atan x = pi/2 - atan(1/x) above 1 and
/// atan u = pi/4 + atan((u - 1) / (u + 1)) above tan(pi/8).
#[inline(always)]
fn atan64<F: MulAdd>(x: f64) -> f64 {
    let a = x.abs();
    let big = a > 1.0;
    let u = if big { 1.0 / a } else { a };
    let mid = u > 0.414_213_562_373_095_1;
    let t = if mid { (u - 1.0) / (u + 1.0) } else { u };
    let p = atan_poly::<F>(t) + if mid { FRAC_PI_4 } else { 0.0 };
    let y = if big { FRAC_PI_2 - p } else { p };
    y.copysign(x)
}

#[inline(always)]
pub fn atan<F: MulAdd>(x: f32) -> f32 {
    atan64::<F>(x as f64) as f32
}

/// asin x = atan(x / sqrt((1 - x)(1 + x))); NaN outside [-1, 1].
#[inline(always)]
pub fn asin<F: MulAdd>(x: f32) -> f32 {
    let x = x as f64;
    atan64::<F>(x / ((1.0 - x) * (1.0 + x)).sqrt()) as f32
}

/// acos x = 2 atan(sqrt((1 - x) / (1 + x))); NaN outside [-1, 1].
#[inline(always)]
pub fn acos<F: MulAdd>(x: f32) -> f32 {
    let x = x as f64;
    (2.0 * atan64::<F>(((1.0 - x) / (1.0 + x)).sqrt())) as f32
}
