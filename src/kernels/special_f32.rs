//! Float32 forms of `sinc`, `digamma` and `polygamma` that round like PyTorch's CPU
//! kernels, which evaluate these in float32 for float32 results (the f64 kernels
//! rounded at the end differ in the last bit on about half of all inputs).

use std::f32::consts::PI;

/// sin(πx) / (πx) in float32, 1 at 0.
pub fn sinc(x: f32) -> f32 {
    if x == 0.0 {
        return 1.0;
    }
    let px = PI * x;
    px.sin() / px
}

/// ψ(x) in float32: PyTorch's reflection (in f64 from the fractional part), recurrence
/// to x >= 10 and asymptotic series.
pub fn digamma(x: f32) -> f32 {
    // PyTorch's constants, rounded to float32.
    const PSI_10: f32 = 2.251_752_6;
    const A: [f32; 7] = [
        0.083_333_336,
        -0.021_092_797,
        0.007_575_758,
        -0.004_166_667,
        0.003_968_254,
        -0.008_333_334,
        0.083_333_336,
    ];
    if x == 0.0 {
        return f32::INFINITY.copysign(-x);
    }
    if x < 0.0 {
        if x == x.trunc() {
            return f32::NAN;
        }
        let r = (x as f64).fract();
        let pi_over_tan = (std::f64::consts::PI / (std::f64::consts::PI * r).tan()) as f32;
        return digamma(1.0 - x) - pi_over_tan;
    }
    let mut x = x;
    let mut result = 0.0f32;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    if x == 10.0 {
        return result + PSI_10;
    }
    let mut y = 0.0f32;
    if x < 1.0e17 {
        let z = 1.0 / (x * x);
        let poly = A[1..].iter().fold(A[0], |acc, &c| acc * z + c);
        y = z * poly;
    }
    result + x.ln() - 0.5 / x - y
}

/// ψ'(x) in float32; the series' last steps are fused multiply-adds, as PyTorch's
/// compiled kernel evaluates them.
pub fn trigamma(x: f32) -> f32 {
    let mut x = x;
    let mut sign = 1.0f32;
    let mut result = 0.0f32;
    if x < 0.5 {
        sign = -1.0;
        let s = (PI * x).sin();
        result -= (PI * PI) / (s * s);
        x = 1.0 - x;
    }
    for _ in 0..6 {
        result += 1.0 / (x * x);
        x += 1.0;
    }
    let ixx = 1.0 / (x * x);
    let inner = (-ixx).mul_add((-ixx).mul_add(1.0 / 42.0, 1.0 / 30.0), 1.0 / 6.0);
    let head = 1.0 + 1.0 / (2.0 * x);
    result += ixx.mul_add(inner, head) / x;
    sign * result
}

extern "C" {
    fn lgammaf(x: f32) -> f32;
}

/// ψ⁽ⁿ⁾(x) in float32 for n >= 2: ±n! ζ(n + 1, x), the factorial as exp(lgammaf).
pub fn polygamma(n: i64, x: f32) -> f32 {
    match n {
        0 => digamma(x),
        1 => trigamma(x),
        _ => {
            let sign = if n % 2 == 1 { 1.0f32 } else { -1.0 };
            // SAFETY: lgammaf is the C library's pure function of one float (the
            // library Rust's own float functions link to).
            let ln_factorial = unsafe { lgammaf(n as f32 + 1.0) };
            sign * ln_factorial.exp() * zeta((n + 1) as f32, x)
        }
    }
}

/// The Hurwitz zeta ζ(s, q) of float32 arguments, summed in f64 (PyTorch's CPU
/// accumulation type) after a first term taken in float32.
pub fn zeta(s: f32, q: f32) -> f32 {
    const MACHEP: f64 = 1.110_223_024_625_156_5e-16;
    if s == 1.0 {
        return f32::INFINITY;
    }
    if s < 1.0 {
        return f32::NAN;
    }
    if q <= 0.0 {
        if q == q.floor() {
            return f32::INFINITY;
        }
        if s != s.floor() {
            return f32::NAN;
        }
    }
    let x = s as f64;
    let mut sum = q.powf(-s) as f64;
    let mut a = q as f64;
    let mut b = 0.0f64;
    let mut i = 0;
    while i < 9 || a <= 9.0 {
        i += 1;
        a += 1.0;
        b = a.powf(-x);
        sum += b;
        if -MACHEP * sum < b && b < MACHEP * sum {
            return sum as f32;
        }
    }
    let w = a;
    sum += b * w / (x - 1.0);
    sum -= 0.5 * b;
    let mut rising = 1.0f64;
    let mut k = 0.0f64;
    for denom in super::special::EULER_MACLAURIN {
        rising *= x + k;
        b /= w;
        let term = rising * b / denom;
        sum += term;
        if (term / sum).abs() < MACHEP {
            return sum as f32;
        }
        k += 1.0;
        rising *= x + k;
        b /= w;
        k += 1.0;
    }
    sum as f32
}
