//! Bessel and Airy functions of `torch.special`, each generic over `Real` so a float32
//! tensor is computed in float32 as PyTorch does. The approximations are Cephes'
//! (rational and Chebyshev fits in `bessel_tables`), with PyTorch's branch points and
//! special values: J and Y through a rational fit up to 5 and the Hankel asymptotic
//! form beyond; I and K through Chebyshev series split at 8 (I) and 2 (K); Ai through
//! its power series near 0 and asymptotic forms beyond ±2.09.

#![allow(clippy::excessive_precision)] // Cephes' constants, digits as published

use super::bessel_tables::*;
use super::special_real::{clenshaw, horner, Real};

/// π/4 and 3π/4, the phase offsets of the Hankel forms of J₀/Y₀ and J₁/Y₁.
const QUARTER_PI: f64 = std::f64::consts::FRAC_PI_4;
const THREE_QUARTER_PI: f64 = 2.356194490192344928846982537459627163;
/// √(2/π).
const SQRT_2_OVER_PI: f64 = 0.797884560802865355879892119868763737;
/// 2/π.
const TWO_OVER_PI: f64 = std::f64::consts::FRAC_2_PI;

/// The Hankel asymptotic amplitude/phase pair of order 0 or 1 for x > 5:
/// √(2/(πx)) (P cos(x - φ) - (5/x) Q sin(x - φ)) for J, (P sin + (5/x) Q cos) for Y.
fn hankel<T: Real>(x: T, order_one: bool, y_form: bool) -> T {
    let (pp, pq, qp, qq, phase): (&[f64], &[f64], &[f64], &[f64], f64) = if order_one {
        (&J1_PP, &J1_PQ, &J1_QP, &J1_QQ, THREE_QUARTER_PI)
    } else {
        (&J0_PP, &J0_PQ, &J0_QP, &J0_QQ, QUARTER_PI)
    };
    let five = T::c(5.0);
    // order 0 writes 25/x², order 1 (5/x)(5/x): the roundings differ
    let z = if order_one {
        five / x * (five / x)
    } else {
        T::c(25.0) / (x * x)
    };
    let p = horner(pp, z) / horner(pq, z);
    let q = horner(qp, z) / horner(qq, z);
    let shifted = x - T::c(phase);
    let combined = if y_form {
        p.fma(shifted.sin(), five / x * q * shifted.cos())
    } else {
        p.fma(shifted.cos(), -(five / x * q * shifted.sin()))
    };
    combined * T::c(SQRT_2_OVER_PI) / x.sqrt()
}

/// J₀(x), the Bessel function of the first kind of order 0.
pub fn bessel_j0<T: Real>(x: T) -> T {
    let x = if x < T::c(0.0) { -x } else { x };
    if x <= T::c(5.0) {
        let xx = x * x;
        if x < T::c(0.00001) {
            return T::c(1.0) - xx / T::c(4.0);
        }
        let (rp, rq) = (horner(&J0_RP, xx), horner(&J0_RQ, xx));
        // (x² - j₀,₁²)(x² - j₀,₂²) R(x²), the first two zeros factored out
        return (xx - T::c(5.78318596294678452118e+00))
            * (xx - T::c(3.04712623436620863991e+01))
            * rp
            / rq;
    }
    hankel(x, false, false)
}

/// J₁(x), the Bessel function of the first kind of order 1 (odd).
pub fn bessel_j1<T: Real>(x: T) -> T {
    if x < T::c(0.0) {
        return -bessel_j1(-x);
    }
    if x <= T::c(5.0) {
        let xx = x * x;
        let (rp, rq) = (horner(&J1_RP, xx), horner(&J1_RQ, xx));
        return rp / rq
            * x
            * (xx - T::c(1.46819706421238932572e+01))
            * (xx - T::c(4.92184563216946036703e+01));
    }
    hankel(x, true, false)
}

/// Y₀(x), the Bessel function of the second kind of order 0 (NaN below 0, -inf at 0).
pub fn bessel_y0<T: Real>(x: T) -> T {
    if x <= T::c(5.0) {
        if x == T::c(0.0) {
            return -T::INFINITY;
        }
        if x < T::c(0.0) {
            return T::NAN;
        }
        let xx = x * x;
        let (yp, yq) = (horner(&Y0_YP, xx), horner(&Y0_YQ, xx));
        return (T::c(TWO_OVER_PI) * x.ln()).fma(bessel_j0(x), yp / yq);
    }
    hankel(x, false, true)
}

/// Y₁(x), the Bessel function of the second kind of order 1 (NaN below 0, -inf at 0).
pub fn bessel_y1<T: Real>(x: T) -> T {
    if x <= T::c(5.0) {
        if x == T::c(0.0) {
            return -T::INFINITY;
        }
        if x <= T::c(0.0) {
            return T::NAN;
        }
        let xx = x * x;
        let (yp, yq) = (horner(&Y1_YP, xx), horner(&Y1_YQ, xx));
        let bracket = bessel_j1(x).fma(x.ln(), -(T::c(1.0) / x));
        return x.fma(yp / yq, T::c(TWO_OVER_PI) * bracket);
    }
    hankel(x, true, true)
}

/// The Chebyshev series (b0 - b2)/2 of `table` at `y`.
fn chebyshev_series<T: Real>(table: &[f64], y: T) -> T {
    let (b0, b2) = clenshaw(table, y);
    T::c(0.5) * (b0 - b2)
}

/// I₀(x), the modified Bessel function of the first kind of order 0.
pub fn modified_bessel_i0<T: Real>(x: T) -> T {
    let ax = x.abs();
    if ax <= T::c(8.0) {
        let s = chebyshev_series(&I0_A, ax / T::c(2.0) - T::c(2.0));
        return ax.exp() * s;
    }
    let s = chebyshev_series(&I0_B, T::c(32.0) / ax - T::c(2.0));
    ax.exp() * s / ax.sqrt()
}

/// I₁(x), the modified Bessel function of the first kind of order 1 (odd).
pub fn modified_bessel_i1<T: Real>(x: T) -> T {
    let ax = x.abs();
    let magnitude = if ax <= T::c(8.0) {
        let s = chebyshev_series(&I1_A, ax / T::c(2.0) - T::c(2.0));
        s * ax * ax.exp()
    } else {
        let s = chebyshev_series(&I1_B, T::c(32.0) / ax - T::c(2.0));
        ax.exp() * s / ax.sqrt()
    };
    if x < T::c(0.0) {
        -magnitude
    } else {
        magnitude
    }
}

/// K's special values: inf at 0, NaN below; `None` for x > 0 (and NaN).
fn k_special<T: Real>(x: T) -> Option<T> {
    if x == T::c(0.0) {
        return Some(T::INFINITY);
    }
    if x < T::c(0.0) {
        return Some(T::NAN);
    }
    None
}

/// K₀(x), the modified Bessel function of the second kind of order 0.
pub fn modified_bessel_k0<T: Real>(x: T) -> T {
    if let Some(v) = k_special(x) {
        return v;
    }
    if x <= T::c(2.0) {
        let s = chebyshev_series(&K0_A, x.fma(x, T::c(-2.0)));
        // PyTorch writes ln(0.5 * x) with a double 0.5: the product is taken in f64
        let log = (0.5 * x.to_f64()).ln();
        let k0 = (-log).fma(modified_bessel_i0(x).to_f64(), s.to_f64());
        return T::c(k0);
    }
    let s = chebyshev_series(&K0_B, T::c(8.0) / x - T::c(2.0));
    (-x).exp() * s / x.sqrt()
}

/// K₁(x), the modified Bessel function of the second kind of order 1.
pub fn modified_bessel_k1<T: Real>(x: T) -> T {
    if let Some(v) = k_special(x) {
        return v;
    }
    if x <= T::c(2.0) {
        let s = chebyshev_series(&K1_A, x.fma(x, T::c(-2.0)));
        return (T::c(0.5) * x).ln().fma(modified_bessel_i1(x), s / x);
    }
    let s = chebyshev_series(&K1_B, T::c(8.0) / x - T::c(2.0));
    (-x).exp() * s / x.sqrt()
}

/// e^x K₀(x).
pub fn scaled_modified_bessel_k0<T: Real>(x: T) -> T {
    if let Some(v) = k_special(x) {
        return v;
    }
    if x <= T::c(2.0) {
        let s = chebyshev_series(&K0_A, x.fma(x, T::c(-2.0)));
        return (-(T::c(0.5) * x).ln()).fma(modified_bessel_i0(x), s) * x.exp();
    }
    chebyshev_series(&K0_B, T::c(8.0) / x - T::c(2.0)) / x.sqrt()
}

/// e^x K₁(x).
pub fn scaled_modified_bessel_k1<T: Real>(x: T) -> T {
    if let Some(v) = k_special(x) {
        return v;
    }
    if x <= T::c(2.0) {
        let s = chebyshev_series(&K1_A, x.fma(x, T::c(-2.0)));
        return (T::c(0.5) * x).ln().fma(modified_bessel_i1(x), s / x) * x.exp();
    }
    chebyshev_series(&K1_B, T::c(8.0) / x - T::c(2.0)) / x.sqrt()
}

/// j₀(x) = sin(x)/x, the spherical Bessel function of order 0 (Taylor series below 0.5).
pub fn spherical_bessel_j0<T: Real>(x: T) -> T {
    if x.is_infinite() {
        return T::c(0.0);
    }
    if x.abs() < T::c(0.5) {
        let xx = x * x;
        // 1 - x²/3! + x⁴/5! - ..., nested from the x¹² term outwards
        let inner = T::c(1.0) / T::c(6227020800.0);
        let c11 = xx.fma(inner, T::c(-1.0) / T::c(39916800.0));
        let c9 = xx.fma(c11, T::c(1.0) / T::c(362880.0));
        let c7 = xx.fma(c9, T::c(-1.0) / T::c(5040.0));
        let c5 = xx.fma(c7, T::c(1.0) / T::c(120.0));
        let c3 = xx.fma(c5, T::c(-1.0) / T::c(6.0));
        return xx.fma(c3, T::c(1.0));
    }
    x.sin() / x
}

/// The series of Ai near 0: Ai(x) = c₁ f(x) - c₂ g(x), f and g summed until a term of
/// f is below the type's epsilon relative to the sum.
fn airy_series<T: Real>(x: T) -> T {
    let (mut f, mut g, mut k) = (T::c(1.0), x, T::c(1.0));
    let (mut m, mut n, mut t) = (T::c(1.0), x, T::c(1.0));
    let z = x * x * x;
    let one = T::c(1.0);
    while t > T::EPSILON {
        m = m * z;
        k = k + one;
        m = m / k;
        n = n * z;
        k = k + one;
        n = n / k;
        m = m / k;
        f = f + m;
        k = k + one;
        n = n / k;
        g = g + n;
        t = (m / f).abs();
    }
    T::c(0.355028053887817239260).fma(f, -(T::c(0.258819403792806798405) * g))
}

/// Ai(x), the Airy function of the first kind (NaN at ±inf, 0 above 103.892).
pub fn airy_ai<T: Real>(x: T) -> T {
    const ONE_OVER_SQRT_PI: f64 = 5.64189583547756286948e-01;
    if x.is_infinite() {
        return T::NAN;
    }
    if x > T::c(103.892) {
        return T::c(0.0);
    }
    if x < T::c(-2.09) {
        let zeta = T::c(-2.0) * x * (-x).sqrt() / T::c(3.0);
        let z = T::c(1.0) / zeta;
        let zz = z * z;
        let (afn, afd) = (horner(&AIRY_AFN, zz), horner(&AIRY_AFD, zz));
        let (agn, agd) = (horner(&AIRY_AGN, zz), horner(&AIRY_AGD, zz));
        let t = zeta + T::c(0.25) * T::c(std::f64::consts::PI);
        return T::c(ONE_OVER_SQRT_PI) / (-x).sqrt().sqrt()
            * t.sin()
                .fma(T::c(1.0) + z * z * afn / afd, -(t.cos() * (z * agn / agd)));
    }
    if x >= T::c(2.09) {
        let zeta = T::c(2.0) * x * x.sqrt() / T::c(3.0);
        let inv = T::c(1.0) / zeta;
        let (an, ad) = (horner(&AIRY_AN, inv), horner(&AIRY_AD, inv));
        return T::c(ONE_OVER_SQRT_PI) * (an / ad) / (T::c(2.0) * x.sqrt().sqrt() * zeta.exp());
    }
    airy_series(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-300)
    }

    #[test]
    fn table_values() {
        // Abramowitz & Stegun tables 9.1, 9.8, 10.11
        assert!(close(bessel_j0(1.0f64), 0.7651976865579666));
        assert!(close(bessel_j1(1.0f64), 0.4400505857449335));
        assert!(close(bessel_y0(1.0f64), 0.08825696421567696));
        assert!(close(bessel_y1(1.0f64), -0.7812128213002887));
        assert!(close(modified_bessel_i0(1.0f64), 1.2660658777520082));
        assert!(close(modified_bessel_i1(1.0f64), 0.5651591039924851));
        assert!(close(modified_bessel_k0(1.0f64), 0.42102443824070834));
        assert!(close(modified_bessel_k1(1.0f64), 0.6019072301972346));
        assert!(close(airy_ai(0.0f64), 0.3550280538878172));
        assert!(close(airy_ai(1.0f64), 0.1352924163128814));
        assert!(close(spherical_bessel_j0(1.0f64), 1.0f64.sin()));
    }

    #[test]
    fn special_values() {
        assert_eq!(bessel_y0(0.0f64), f64::NEG_INFINITY);
        assert!(bessel_y1(-1.0f32).is_nan());
        assert_eq!(modified_bessel_k0(0.0f32), f32::INFINITY);
        assert!(modified_bessel_k1(-1.0f64).is_nan());
        assert!(airy_ai(f64::INFINITY).is_nan());
        assert_eq!(spherical_bessel_j0(f64::NEG_INFINITY), 0.0);
        assert_eq!(bessel_j1(-1.0f64), -bessel_j1(1.0f64));
    }
}
