//! Vectorized float32 `exp`, `ln`, `tanh` and `sigmoid` over slices, with the instruction
//! set chosen at run time: AVX-512 or AVX2+FMA where the CPU has them, plain SSE2 code
//! elsewhere (the shipped build never assumes more than the target's baseline).
//!
//! Accuracy against a float64 reference rounded to float32, in units in the last place,
//! measured on every 257th float32 bit pattern (16.7 million inputs over the whole
//! range): exp ≤ 1, ln ≤ 2, tanh ≤ 1, sigmoid ≤ 3 (log1p: see its test); the tests hold every instruction set
//! to ≤ 4 on a million-input sample and on the special values, and
//! `cargo test --release -- --ignored every_float32` sweeps all 2^32 inputs. Special
//! values (±0, ±inf, NaN, subnormals, overflow and underflow edges) follow C's
//! `expf`/`logf`/`tanhf`.

mod erf;
mod lanes;
mod trig;

pub use lanes::{exp as exp_lane, ln as ln_lane, tanh as tanh_lane, MulAdd};
use lanes::{Fused, Unfused};
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Portable,
    Avx2Fma,
    Avx512,
}

/// The best instruction set this CPU offers (`FERROGRAD_SIMD=portable` forces the
/// fallback, for comparisons).
pub fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        if std::env::var("FERROGRAD_SIMD").is_ok_and(|v| v == "portable") {
            return Level::Portable;
        }
        detect()
    })
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    if is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("fma")
    {
        Level::Avx512
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Level::Avx2Fma
    } else {
        Level::Portable
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Portable
}

/// A kernel over a source and a destination slice of equal length, at a given level.
pub type SliceKernel = fn(&[f32], &mut [f32], Level);
/// A float64 reference function (tests).
#[cfg(test)]
type Reference = fn(f64) -> f64;

#[inline(always)]
fn map(src: &[f32], dst: &mut [f32], f: impl Fn(f32) -> f32) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f(s);
    }
}

/// Defines `$name(src, dst, level)`: the lane formula instantiated once per instruction set.
macro_rules! vector_fn {
    ($name:ident, $lane:ident) => {
        vector_fn!($name, lanes::$lane);
    };
    ($name:ident, $module:ident :: $lane:ident) => {
        pub fn $name(src: &[f32], dst: &mut [f32], level: Level) {
            assert_eq!(src.len(), dst.len(), "vmath slices differ in length");
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
                fn avx512(src: &[f32], dst: &mut [f32]) {
                    map(src, dst, $module::$lane::<Fused>)
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2(src: &[f32], dst: &mut [f32]) {
                    map(src, dst, $module::$lane::<Fused>)
                }
                match level {
                    // SAFETY: `Level::Avx512` and `Level::Avx2Fma` come from `detect()`,
                    // which checked that this CPU has every feature the function enables
                    // (tests pass a level only after the same check).
                    Level::Avx512 => return unsafe { avx512(src, dst) },
                    // SAFETY: as above.
                    Level::Avx2Fma => return unsafe { avx2(src, dst) },
                    Level::Portable => {}
                }
            }
            let _ = level;
            map(src, dst, $module::$lane::<Unfused>)
        }
    };
}

vector_fn!(exp_with, exp);
vector_fn!(ln_with, ln);
vector_fn!(log1p_with, log1p);
vector_fn!(tanh_with, tanh);
vector_fn!(sigmoid_with, sigmoid);

vector_fn!(sin_lanes_with, trig::sin);
vector_fn!(cos_lanes_with, trig::cos);
vector_fn!(tan_lanes_with, trig::tan);
vector_fn!(atan_with, trig::atan);
vector_fn!(asin_with, trig::asin);
vector_fn!(acos_with, trig::acos);
vector_fn!(erf_with, erf::erf);

/// sin, cos and tan of arguments the lanes do not reduce (huge, inf, NaN), from the
/// float64 function, block by block so that the second pass reads cached values.
fn with_scalar_fixups(
    src: &[f32],
    dst: &mut [f32],
    level: Level,
    lanes: SliceKernel,
    scalar: fn(f64) -> f64,
) {
    assert_eq!(src.len(), dst.len(), "vmath slices differ in length");
    const BLOCK: usize = 2048;
    for (s, d) in src.chunks(BLOCK).zip(dst.chunks_mut(BLOCK)) {
        lanes(s, d, level);
        if s.iter().any(|&x| trig::needs_scalar(x)) {
            for (y, &x) in d.iter_mut().zip(s) {
                if trig::needs_scalar(x) {
                    *y = scalar(x as f64) as f32;
                }
            }
        }
    }
}

pub fn sin_with(src: &[f32], dst: &mut [f32], level: Level) {
    with_scalar_fixups(src, dst, level, sin_lanes_with, f64::sin)
}
pub fn cos_with(src: &[f32], dst: &mut [f32], level: Level) {
    with_scalar_fixups(src, dst, level, cos_lanes_with, f64::cos)
}
pub fn tan_with(src: &[f32], dst: &mut [f32], level: Level) {
    with_scalar_fixups(src, dst, level, tan_lanes_with, f64::tan)
}

macro_rules! at_best_level {
    ($($name:ident => $with:ident),* $(,)?) => {
        $(
            pub fn $name(src: &[f32], dst: &mut [f32]) {
                $with(src, dst, level())
            }
        )*
    };
}
at_best_level!(
    sin => sin_with,
    cos => cos_with,
    tan => tan_with,
    atan => atan_with,
    asin => asin_with,
    acos => acos_with,
    erf => erf_with,
);

pub fn exp(src: &[f32], dst: &mut [f32]) {
    exp_with(src, dst, level())
}
pub fn ln(src: &[f32], dst: &mut [f32]) {
    ln_with(src, dst, level())
}
pub fn log1p(src: &[f32], dst: &mut [f32]) {
    log1p_with(src, dst, level())
}
pub fn tanh(src: &[f32], dst: &mut [f32]) {
    tanh_with(src, dst, level())
}
pub fn sigmoid(src: &[f32], dst: &mut [f32]) {
    sigmoid_with(src, dst, level())
}

/// An elementwise float32 formula written with the lane functions (`exp_lane`, ...),
/// instantiated once per instruction set by `map_lanes`.
pub trait LaneFn: Sync {
    fn lane<F: MulAdd>(&self, x: f32) -> f32;
}

/// As `LaneFn`, of two operands (a gradient and a saved value).
pub trait LaneFn2: Sync {
    fn lane<F: MulAdd>(&self, a: f32, b: f32) -> f32;
}

/// `dst[i] = k(src[i])` at the best instruction set of this CPU.
pub fn map_lanes<K: LaneFn>(k: &K, src: &[f32], dst: &mut [f32]) {
    assert_eq!(src.len(), dst.len(), "vmath slices differ in length");
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<K: LaneFn>(k: &K, src: &[f32], dst: &mut [f32]) {
            map(src, dst, |x| k.lane::<Fused>(x))
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<K: LaneFn>(k: &K, src: &[f32], dst: &mut [f32]) {
            map(src, dst, |x| k.lane::<Fused>(x))
        }
        match level() {
            // SAFETY: `level()` reports a level only after checking that this CPU has
            // every feature the function enables.
            Level::Avx512 => return unsafe { avx512(k, src, dst) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(k, src, dst) },
            Level::Portable => {}
        }
    }
    map(src, dst, |x| k.lane::<Unfused>(x))
}

#[inline(always)]
fn map_pairs(a: &[f32], b: &[f32], dst: &mut [f32], f: impl Fn(f32, f32) -> f32) {
    for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
        *d = f(x, y);
    }
}

/// `dst[i] = k(a[i], b[i])` at the best instruction set of this CPU.
pub fn map_lanes2<K: LaneFn2>(k: &K, a: &[f32], b: &[f32], dst: &mut [f32]) {
    assert!(
        a.len() == dst.len() && b.len() == dst.len(),
        "vmath slices differ in length"
    );
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<K: LaneFn2>(k: &K, a: &[f32], b: &[f32], dst: &mut [f32]) {
            map_pairs(a, b, dst, |x, y| k.lane::<Fused>(x, y))
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<K: LaneFn2>(k: &K, a: &[f32], b: &[f32], dst: &mut [f32]) {
            map_pairs(a, b, dst, |x, y| k.lane::<Fused>(x, y))
        }
        match level() {
            // SAFETY: `level()` reports a level only after checking that this CPU has
            // every feature the function enables.
            Level::Avx512 => return unsafe { avx512(k, a, b, dst) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(k, a, b, dst) },
            Level::Portable => {}
        }
    }
    map_pairs(a, b, dst, |x, y| k.lane::<Unfused>(x, y))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod trig_tests;
