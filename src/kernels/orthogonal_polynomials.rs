//! The orthogonal polynomials of `torch.special`, P_n(x) for an integer degree n,
//! generic over `Real` (float32 computed in float32, as PyTorch does). Each follows
//! PyTorch's definition: 0 for n < 0, exact values at the ends of the interval, the
//! three-term recurrence otherwise, and for Chebyshev polynomials of large n inside
//! (-1, 1) the trigonometric closed forms (T_n(cos θ) = cos nθ, ...). A recurrence
//! stops early once its value is NaN (it overflowed), as PyTorch's does.

use super::special_real::Real;

/// `n` as the float type (C++'s implicit int64 → T conversion).
fn r<T: Real>(n: i64) -> T {
    T::from_i64(n)
}

/// 2n + 1, wrapping as C++'s int64 arithmetic does on x86.
fn odd(n: i64) -> i64 {
    n.wrapping_add(n).wrapping_add(1)
}

/// Runs `q_k = two_y q_{k-1} - q_{k-2}` from (p, q) = (P₀, P₁) up to degree n, stopping
/// when the value turns NaN; returns P_n (or P₁ when the loop did not run).
fn chebyshev_recurrence<T: Real>(two_y: T, mut p: T, mut q: T, n: i64) -> T {
    let mut k = 2;
    while k <= n && !q.is_nan() {
        let next = two_y.fma(q, -p);
        p = q;
        q = next;
        k += 1;
    }
    q
}

/// T_n(x), the Chebyshev polynomial of the first kind.
pub fn chebyshev_t<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x.abs() == T::c(1.0) {
        return if x > T::c(0.0) || n % 2 == 0 {
            T::c(1.0)
        } else {
            T::c(-1.0)
        };
    }
    t_inside(x, n, 6)
}

/// T_n(y) for |y| != 1: the trigonometric form above degree `trig_above`, else the
/// recurrence.
fn t_inside<T: Real>(y: T, n: i64, trig_above: i64) -> T {
    if n > trig_above && y.abs() < T::c(1.0) {
        return (r::<T>(n) * y.acos()).cos();
    }
    match n {
        0 => T::c(1.0),
        1 => y,
        _ => chebyshev_recurrence(y + y, T::c(1.0), y, n),
    }
}

/// U_n(x), the Chebyshev polynomial of the second kind.
pub fn chebyshev_u<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x.abs() == T::c(1.0) {
        return if x > T::c(0.0) || n % 2 == 0 {
            r(n + 1)
        } else {
            r(-(n + 1))
        };
    }
    u_inside(x, n, 8)
}

/// U_n(y) for |y| != 1: the trigonometric form above degree `trig_above`, else the
/// recurrence.
fn u_inside<T: Real>(y: T, n: i64, trig_above: i64) -> T {
    if n > trig_above && y.abs() < T::c(1.0) {
        let theta = y.acos();
        if theta.sin() != T::c(0.0) {
            return (r::<T>(n + 1) * theta).sin() / theta.sin();
        }
        return r::<T>(n + 1) * (r::<T>(n + 1) * theta).cos() / y;
    }
    match n {
        0 => T::c(1.0),
        1 => y + y,
        _ => chebyshev_recurrence(y + y, T::c(1.0), y + y, n),
    }
}

/// V_n(x), the Chebyshev polynomial of the third kind.
pub fn chebyshev_v<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    let alternating = || if n % 2 == 0 { r(odd(n)) } else { r(-odd(n)) };
    if x.abs() == T::c(1.0) {
        return if x > T::c(0.0) {
            T::c(1.0)
        } else {
            alternating()
        };
    }
    v_inside(x, n, 8, alternating)
}

/// V_n(y) for |y| != 1: the trigonometric form above degree `trig_above` (`at_pole()`
/// where it divides by zero), else the recurrence.
fn v_inside<T: Real>(y: T, n: i64, trig_above: i64, at_pole: impl Fn() -> T) -> T {
    if n > trig_above && y.abs() < T::c(1.0) {
        let theta = y.acos();
        if (theta / T::c(2.0)).sin() != T::c(1.0) {
            return ((r::<T>(n) + T::c(0.5)) * theta).cos() / (theta / T::c(2.0)).cos();
        }
        return at_pole();
    }
    match n {
        0 => T::c(1.0),
        1 => y + y - T::c(1.0),
        _ => chebyshev_recurrence(y + y, T::c(1.0), y + y - T::c(1.0), n),
    }
}

/// W_n(x), the Chebyshev polynomial of the fourth kind.
pub fn chebyshev_w<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    let at_ends = || {
        if x > T::c(0.0) {
            r(odd(n))
        } else if n % 2 == 0 {
            T::c(1.0)
        } else {
            T::c(-1.0)
        }
    };
    if x.abs() == T::c(1.0) {
        return at_ends();
    }
    w_inside(x, n, 8, at_ends)
}

/// W_n(y) for |y| != 1: the trigonometric form above degree `trig_above` (`at_pole()`
/// where it divides by zero), else the recurrence.
fn w_inside<T: Real>(y: T, n: i64, trig_above: i64, at_pole: impl Fn() -> T) -> T {
    if n > trig_above && y.abs() < T::c(1.0) {
        let theta = y.acos();
        if (theta / T::c(2.0)).cos() != T::c(1.0) {
            return ((r::<T>(n) + T::c(0.5)) * theta).sin() / (theta / T::c(2.0)).sin();
        }
        return at_pole();
    }
    match n {
        0 => T::c(1.0),
        1 => y + y + T::c(1.0),
        _ => chebyshev_recurrence(y + y, T::c(1.0), y + y + T::c(1.0), n),
    }
}

/// 2x - 1, the argument of the shifted polynomials (on [0, 1]).
fn shift<T: Real>(x: T) -> T {
    x + x - T::c(1.0)
}

/// T*_n(x) = T_n(2x - 1).
pub fn shifted_chebyshev_t<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x == T::c(1.0) {
        return T::c(1.0);
    }
    if x == T::c(0.0) {
        return if n % 2 == 0 { T::c(1.0) } else { T::c(-1.0) };
    }
    t_inside(shift(x), n, 6)
}

/// U*_n(x) = U_n(2x - 1).
pub fn shifted_chebyshev_u<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x == T::c(1.0) {
        return r(n + 1);
    }
    if x == T::c(0.0) {
        return if n % 2 == 0 { r(n + 1) } else { r(-(n + 1)) };
    }
    u_inside(shift(x), n, 6)
}

/// V*_n(x) = V_n(2x - 1).
pub fn shifted_chebyshev_v<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    let alternating = || if n % 2 == 0 { r(odd(n)) } else { r(-odd(n)) };
    if x == T::c(1.0) {
        return T::c(1.0);
    }
    if x == T::c(0.0) {
        return alternating();
    }
    v_inside(shift(x), n, 6, alternating)
}

/// W*_n(x) = W_n(2x - 1).
pub fn shifted_chebyshev_w<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    let alternating = || if n % 2 == 0 { T::c(1.0) } else { T::c(-1.0) };
    if x == T::c(1.0) {
        return r(odd(n));
    }
    if x == T::c(0.0) {
        return alternating();
    }
    w_inside(shift(x), n, 4, alternating)
}

/// The degree above which PyTorch's Hermite polynomials are NaN (128 in float32, 512
/// in float64): the recurrence has overflowed long before.
fn hermite_limit<T: Real>() -> i64 {
    if T::EPSILON.to_f64() == f32::EPSILON as f64 {
        128
    } else {
        512
    }
}

/// H_n(x), the physicists' Hermite polynomial.
pub fn hermite_h<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    match n {
        0 => return T::c(1.0),
        1 => return x + x,
        _ => {}
    }
    if n > hermite_limit::<T>() {
        return T::NAN;
    }
    let (mut p, mut q) = (T::c(1.0), x + x);
    for k in (2..n + n).step_by(2) {
        let next = (x + x).fma(q, -(r::<T>(k) * p));
        p = q;
        q = next;
    }
    q
}

/// He_n(x), the probabilists' Hermite polynomial.
pub fn hermite_he<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    match n {
        0 => return T::c(1.0),
        1 => return x,
        _ => {}
    }
    if n > hermite_limit::<T>() {
        return T::NAN;
    }
    let (mut p, mut q) = (T::c(1.0), x);
    for k in 1..n {
        let next = x.fma(q, -(r::<T>(k) * p));
        p = q;
        q = next;
    }
    q
}

/// L_n(x), the Laguerre polynomial.
pub fn laguerre_l<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x.abs() == T::c(0.0) {
        return T::c(1.0);
    }
    match n {
        0 => return T::c(1.0),
        1 => return T::c(1.0) - x,
        _ => {}
    }
    let (mut p, mut q) = (T::c(1.0), T::c(1.0) - x);
    let mut k = 1;
    while k < n && !q.is_nan() {
        let next = (r::<T>(k + k) + (T::c(1.0) - x)).fma(q, -(r::<T>(k) * p)) / r::<T>(k + 1);
        p = q;
        q = next;
        k += 1;
    }
    q
}

/// P_n(x), the Legendre polynomial.
pub fn legendre_p<T: Real>(x: T, n: i64) -> T {
    if n < 0 {
        return T::c(0.0);
    }
    if x.abs() == T::c(1.0) {
        return if x > T::c(0.0) || n % 2 == 0 {
            T::c(1.0)
        } else {
            T::c(-1.0)
        };
    }
    match n {
        0 => return T::c(1.0),
        1 => return x,
        _ => {}
    }
    let (mut p, mut q) = (T::c(1.0), x);
    let mut k = 1;
    while k < n && !q.is_nan() {
        let next = (r::<T>(k + k + 1) * x).fma(q, -(r::<T>(k) * p)) / r::<T>(k + 1);
        p = q;
        q = next;
        k += 1;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_degrees_match_the_explicit_polynomials() {
        let x = 0.3f64;
        assert!((chebyshev_t(x, 3) - (4.0 * x * x * x - 3.0 * x)).abs() < 1e-15);
        assert!((chebyshev_u(x, 2) - (4.0 * x * x - 1.0)).abs() < 1e-15);
        assert!((chebyshev_v(x, 2) - (4.0 * x * x - 2.0 * x - 1.0)).abs() < 1e-15);
        assert!((chebyshev_w(x, 2) - (4.0 * x * x + 2.0 * x - 1.0)).abs() < 1e-15);
        assert!((hermite_h(x, 3) - (8.0 * x * x * x - 12.0 * x)).abs() < 1e-15);
        assert!((hermite_he(x, 3) - (x * x * x - 3.0 * x)).abs() < 1e-15);
        assert!((laguerre_l(x, 2) - (x * x - 4.0 * x + 2.0) / 2.0).abs() < 1e-15);
        assert!((legendre_p(x, 2) - (3.0 * x * x - 1.0) / 2.0).abs() < 1e-15);
        assert!((shifted_chebyshev_t(x, 2) - chebyshev_t(2.0 * x - 1.0, 2)).abs() < 1e-15);
    }

    #[test]
    fn closed_forms_and_special_values() {
        let x = 0.3f64;
        let t9 = (9.0 * x.acos()).cos();
        assert_eq!(chebyshev_t(x, 9), t9);
        assert_eq!(chebyshev_t(x, -1), 0.0);
        assert_eq!(chebyshev_u(-1.0f32, 3), -4.0);
        assert_eq!(chebyshev_v(-1.0f64, 2), 5.0);
        assert_eq!(chebyshev_w(1.0f64, 2), 5.0);
        assert!(hermite_h(0.5f32, 129).is_nan());
        assert!(!hermite_h(0.5f64, 129).is_nan());
        assert_eq!(laguerre_l(0.0f64, 7), 1.0);
        assert_eq!(legendre_p(-1.0f64, 3), -1.0);
    }
}
