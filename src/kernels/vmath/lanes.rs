//! One-lane float32 formulas for exp, log, tanh and sigmoid, written without branches so
//! that a loop over a slice compiles to SIMD code (the callers instantiate them once per
//! instruction set). Maximum error, measured against float64 over every float32
//! (`cargo test --release -- --ignored every_float32`): see `vmath/mod.rs`.

/// How `a * b + c` is computed: fused where the CPU has FMA, two roundings elsewhere.
pub trait MulAdd {
    fn mul_add(a: f32, b: f32, c: f32) -> f32;
    fn mul_add64(a: f64, b: f64, c: f64) -> f64;
}

pub struct Fused;
pub struct Unfused;

impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
    #[inline(always)]
    fn mul_add64(a: f64, b: f64, c: f64) -> f64 {
        a.mul_add(b, c)
    }
}

impl MulAdd for Unfused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
    #[inline(always)]
    fn mul_add64(a: f64, b: f64, c: f64) -> f64 {
        a * b + c
    }
}

const LOG2_E: f32 = std::f32::consts::LOG2_E;
// ln 2 split so that n * LN2_HI is exact for |n| < 2^9.
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
// Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer (ties to even) and
// leaves that integer in the low mantissa bits.
const ROUNDER: f32 = 12_582_912.0;

/// 2^n for an integer n in [-126, 127], built from its exponent bits.
#[inline(always)]
fn pow2i(n: i32) -> f32 {
    f32::from_bits(((n + 127) as u32) << 23)
}

/// e^x: x = n ln2 + r with |r| <= ln2 / 2, e^r by a degree-6 polynomial fitted to
/// float64 e^r (least squares on Chebyshev nodes), then scaled by 2^n in two steps so
/// that results in the subnormal range are rounded once.
#[inline(always)]
pub fn exp<F: MulAdd>(x: f32) -> f32 {
    let xc = x.clamp(-104.0, 89.0);
    let shifted = F::mul_add(xc, LOG2_E, ROUNDER);
    let n = shifted - ROUNDER;
    let ni = (shifted.to_bits() as i32).wrapping_sub(ROUNDER.to_bits() as i32);
    let r = F::mul_add(n, -LN2_HI, xc);
    let r = F::mul_add(n, -LN2_LO, r);
    let mut q = 0.001_375_140_9_f32;
    q = F::mul_add(q, r, 0.008_368_919);
    q = F::mul_add(q, r, 0.041_669_533);
    q = F::mul_add(q, r, 0.166_665_18);
    q = F::mul_add(q, r, 0.499_999_88);
    let p = F::mul_add(q, r * r, r) + 1.0;
    let half = ni >> 1;
    let y = p * pow2i(half) * pow2i(ni - half);
    if x.is_nan() {
        x
    } else {
        y
    }
}

/// ln x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) with
/// s = (m - 1) / (m + 1), |s| < 0.1716, by its series to s^9.
#[inline(always)]
pub fn ln<F: MulAdd>(x: f32) -> f32 {
    let subnormal = x < f32::MIN_POSITIVE;
    let xs = if subnormal { x * 8_388_608.0 } else { x }; // 2^23
    let bits = xs.to_bits() as i32;
    let mut e = ((bits >> 23) & 0xff) - 127 - if subnormal { 23 } else { 0 };
    let mut m = f32::from_bits(((bits & 0x007f_ffff) | 0x3f80_0000) as u32);
    let big = m > std::f32::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += big as i32;
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    let mut p = 1.0 / 9.0;
    p = F::mul_add(p, z, 1.0 / 7.0);
    p = F::mul_add(p, z, 1.0 / 5.0);
    p = F::mul_add(p, z, 1.0 / 3.0);
    let two_s = s + s;
    let ln_m = F::mul_add(two_s * z, p, two_s);
    let ef = e as f32;
    let y = F::mul_add(ef, LN2_HI, F::mul_add(ef, LN2_LO, ln_m));
    if x == 0.0 {
        f32::NEG_INFINITY
    } else if x.is_nan() || x < 0.0 {
        f32::NAN
    } else if x == f32::INFINITY {
        x
    } else {
        y
    }
}

/// tanh x: an odd polynomial x + x^3 P(x^2) below |x| = 0.55 (fitted like exp's),
/// 1 - 2 / (e^{2|x|} + 1) above, with the sign of x.
#[inline(always)]
pub fn tanh<F: MulAdd>(x: f32) -> f32 {
    let ax = x.abs();
    let z = x * x;
    let mut p = -0.006_287_761_5_f32;
    p = F::mul_add(p, z, 0.021_082_142);
    p = F::mul_add(p, z, -0.053_855_143);
    p = F::mul_add(p, z, 0.133_326_17);
    p = F::mul_add(p, z, -0.333_333_2);
    let small = F::mul_add(x * z, p, x);
    let e = exp::<F>(ax + ax);
    let large = 1.0 - 2.0 / (e + 1.0);
    // the sign is set last so that tanh(-0.0) is -0.0
    let y = if ax < 0.55 { small } else { large };
    y.copysign(x)
}

/// 1 / (1 + e^{-x}), computed from e = e^{-|x|} so that neither side cancels.
#[inline(always)]
pub fn sigmoid<F: MulAdd>(x: f32) -> f32 {
    let e = exp::<F>(-x.abs());
    let r = 1.0 / (1.0 + e);
    if x >= 0.0 {
        r
    } else if x.is_nan() {
        x
    } else {
        e * r
    }
}

/// ln(1 + x): with u = 1 + x rounded, ln u plus the first-order correction
/// (x - (u - 1)) / u for the rounding of u; x itself where u rounds to 1 (|x| below
/// half an ulp of 1, so ln(1 + x) = x to within float32's precision, -0 and subnormals
/// included).
#[inline(always)]
pub fn log1p<F: MulAdd>(x: f32) -> f32 {
    let u = 1.0 + x;
    let correction = (x - (u - 1.0)) / u;
    let y = ln::<F>(u) + correction;
    if u == 1.0 || x == f32::INFINITY {
        x
    } else if u == 0.0 {
        // x = -1 (the correction is 0 / 0 there)
        f32::NEG_INFINITY
    } else {
        y
    }
}
