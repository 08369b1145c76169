//! Float sums of contiguous runs with sixteen independent float64 partial sums.
//!
//! A single running sum is bound by the latency of one addition per element (~1 GB/s);
//! sixteen partial sums (element `i` goes to lane `i % 16`, combined pairwise at the end)
//! fill the vector registers and run near memory speed. The order of additions is fixed
//! by the lane rule alone, so the instruction set chosen at run time (AVX-512, AVX2 or
//! the baseline) never changes the bits of a result.

use super::vmath::{level, Level};

const LANES: usize = 16;

#[inline(always)]
fn lane_sum<T: Copy>(s: &[T], to_f64: impl Fn(T) -> f64) -> f64 {
    let mut acc = [0.0f64; LANES];
    let chunks = s.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..LANES {
            acc[k] += to_f64(c[k]);
        }
    }
    for (a, &x) in acc.iter_mut().zip(rest) {
        *a += to_f64(x);
    }
    combine(acc)
}

/// The lanes added pairwise: `(a0 + a8) + ...`, halving the width each round.
#[inline(always)]
fn combine(mut acc: [f64; LANES]) -> f64 {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            acc[k] += acc[k + width];
        }
    }
    acc[0]
}

#[inline(always)]
fn add_into<T: Copy>(dst: &mut [f64], src: &[T], to_f64: impl Fn(T) -> f64) {
    for (d, &x) in dst.iter_mut().zip(src) {
        *d += to_f64(x);
    }
}

/// Defines `$name(args) -> $ret`, compiled once per instruction set and chosen at run time.
macro_rules! dispatched {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $body:expr) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512($($arg: $ty),*) -> $ret {
                    $body
                }
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) -> $ret {
                    $body
                }
                match level() {
                    // SAFETY: `level()` reports AVX-512 only after detecting avx512f
                    // on this CPU.
                    Level::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: `level()` reports AVX2+FMA only after detecting avx2.
                    Level::Avx2Fma => return unsafe { avx2($($arg),*) },
                    Level::Portable => {}
                }
            }
            $body
        }
    };
}

dispatched!(
    /// The sum of float32 values, accumulated in float64.
    sum_f32(s: &[f32]) -> f64 = lane_sum(s, |x| x as f64)
);
dispatched!(
    /// The sum of float64 values.
    sum_f64(s: &[f64]) -> f64 = lane_sum(s, |x| x)
);
dispatched!(
    /// `dst[i] += src[i]` for float32 `src` into float64 sums.
    add_f32_into_f64(dst: &mut [f64], src: &[f32]) -> () = add_into(dst, src, |x| x as f64)
);
dispatched!(
    /// `dst[i] += src[i]` in float64.
    add_f64_into(dst: &mut [f64], src: &[f64]) -> () = add_into(dst, src, |x| x)
);

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &[f32]) -> f64 {
        let mut acc = [0.0f64; LANES];
        for (i, &x) in s.iter().enumerate() {
            acc[i % LANES] += x as f64;
        }
        combine(acc)
    }

    #[test]
    fn every_length_and_misalignment_gives_the_lane_rule_bits() {
        let data: Vec<f32> = (0..300)
            .map(|i| ((i * 7919) % 1013) as f32 * 0.0137 - 6.5)
            .collect();
        for start in 0..3 {
            for len in 0..=67 {
                let s = &data[start..start + len];
                assert_eq!(sum_f32(s).to_bits(), reference(s).to_bits(), "len {len}");
                let d: Vec<f64> = s.iter().map(|&x| x as f64).collect();
                assert_eq!(sum_f64(&d).to_bits(), reference(s).to_bits(), "len {len}");
            }
        }
    }

    #[test]
    fn special_values_propagate() {
        let mut v = vec![1.0f32; 40];
        v[17] = f32::INFINITY;
        assert_eq!(sum_f32(&v), f64::INFINITY);
        v[3] = f32::NEG_INFINITY;
        assert!(sum_f32(&v).is_nan());
        v[3] = f32::NAN;
        assert!(sum_f32(&v).is_nan());
        assert_eq!(sum_f32(&[]), 0.0);
        assert_eq!(sum_f32(&[f32::MAX, f32::MAX]), 2.0 * f32::MAX as f64);
    }

    #[test]
    fn row_adds_match_scalar_adds() {
        for len in [0usize, 1, 7, 16, 33, 67] {
            let src: Vec<f32> = (0..len).map(|i| i as f32 * 0.25 - 3.0).collect();
            let mut dst: Vec<f64> = (0..len).map(|i| i as f64 * 1e-3).collect();
            let want: Vec<f64> = dst.iter().zip(&src).map(|(&d, &x)| d + x as f64).collect();
            add_f32_into_f64(&mut dst, &src);
            assert_eq!(dst, want);
            let src64: Vec<f64> = src.iter().map(|&x| x as f64).collect();
            let mut dst64 = vec![0.5f64; len];
            add_f64_into(&mut dst64, &src64);
            let want64: Vec<f64> = src64.iter().map(|&x| 0.5 + x).collect();
            assert_eq!(dst64, want64);
        }
    }
}
