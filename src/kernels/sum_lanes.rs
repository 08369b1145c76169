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

/// `lane_sum` of `f(a[i], b[i])` over two runs of one length.
#[inline(always)]
fn lane_sum2<T: Copy>(a: &[T], b: &[T], f: impl Fn(T, T) -> f64) -> f64 {
    let mut acc = [0.0f64; LANES];
    let n = a.len().min(b.len());
    let whole = n / LANES * LANES;
    for (ca, cb) in a[..whole]
        .chunks_exact(LANES)
        .zip(b[..whole].chunks_exact(LANES))
    {
        for k in 0..LANES {
            acc[k] += f(ca[k], cb[k]);
        }
    }
    for (k, (&x, &y)) in a[whole..n].iter().zip(&b[whole..n]).enumerate() {
        acc[k] += f(x, y);
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

/// Columns whose running sums one pass keeps in registers (four AVX-512 vectors).
const COLUMN_CHUNK: usize = 32;

/// `dst[j] += src[r * stride + j]` for the rows `r` in order: the bits of adding the rows
/// one at a time, with each chunk of running sums read and written once per call instead
/// of once per row (a float64 row of a wide matrix does not stay in L1 between rows).
#[inline(always)]
fn add_rows_into<T: Copy>(
    dst: &mut [f64],
    src: &[T],
    stride: usize,
    rows: usize,
    to_f64: impl Fn(T) -> f64,
) {
    let width = dst.len();
    let mut j = 0;
    while j + COLUMN_CHUNK <= width {
        let mut acc = [0.0f64; COLUMN_CHUNK];
        acc.copy_from_slice(&dst[j..j + COLUMN_CHUNK]);
        for r in 0..rows {
            let row = &src[r * stride + j..r * stride + j + COLUMN_CHUNK];
            for k in 0..COLUMN_CHUNK {
                acc[k] += to_f64(row[k]);
            }
        }
        dst[j..j + COLUMN_CHUNK].copy_from_slice(&acc);
        j += COLUMN_CHUNK;
    }
    for (c, d) in dst.iter_mut().enumerate().skip(j) {
        for r in 0..rows {
            *d += to_f64(src[r * stride + c]);
        }
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
    /// The sum of `(a[i] - b[i])²` over float32 values, in float64.
    sum_squared_differences_f32(a: &[f32], b: &[f32]) -> f64 =
        lane_sum2(a, b, |x, y| { let d = x as f64 - y as f64; d * d })
);
dispatched!(
    /// The sum of `(a[i] - b[i])²` over float64 values.
    sum_squared_differences_f64(a: &[f64], b: &[f64]) -> f64 =
        lane_sum2(a, b, |x, y| { let d = x - y; d * d })
);
dispatched!(
    /// The sum of `(s[i] - mean)²` over float32 values, in float64.
    sum_squared_deviations_f32(s: &[f32], mean: f64) -> f64 =
        lane_sum(s, |x| { let d = x as f64 - mean; d * d })
);
dispatched!(
    /// The sum of `(s[i] - mean)²` over float64 values.
    sum_squared_deviations_f64(s: &[f64], mean: f64) -> f64 =
        lane_sum(s, |x| { let d = x - mean; d * d })
);
dispatched!(
    /// `dst[i] += src[i]` for float32 `src` into float64 sums.
    add_f32_into_f64(dst: &mut [f64], src: &[f32]) -> () = add_into(dst, src, |x| x as f64)
);
dispatched!(
    /// `dst[i] += src[i]` in float64.
    add_f64_into(dst: &mut [f64], src: &[f64]) -> () = add_into(dst, src, |x| x)
);
dispatched!(
    /// `dst[j] += src[r * stride + j]` over `rows` float32 rows, in row order.
    add_f32_rows_into_f64(dst: &mut [f64], src: &[f32], stride: usize, rows: usize) -> () =
        add_rows_into(dst, src, stride, rows, |x| x as f64)
);
dispatched!(
    /// `dst[j] += src[r * stride + j]` over `rows` float64 rows, in row order.
    add_f64_rows_into(dst: &mut [f64], src: &[f64], stride: usize, rows: usize) -> () =
        add_rows_into(dst, src, stride, rows, |x| x)
);

dispatched!(
    /// The sum of `g[i] * (x[i] - mean)` over float32 values, in float64.
    sum_products_of_deviations_f32(g: &[f32], x: &[f32], mean: f64) -> f64 =
        lane_sum2(g, x, |g, x| g as f64 * (x as f64 - mean))
);
dispatched!(
    /// The sum of `g[i] * (x[i] - mean)` over float64 values.
    sum_products_of_deviations_f64(g: &[f64], x: &[f64], mean: f64) -> f64 =
        lane_sum2(g, x, |g, x| g * (x - mean))
);

/// The float64-accumulated lane sums of one float type, for generic kernels.
pub trait LaneSums: Copy {
    fn sum(s: &[Self]) -> f64;
    fn sum_squared_differences(a: &[Self], b: &[Self]) -> f64;
    fn sum_squared_deviations(s: &[Self], mean: f64) -> f64;
    fn sum_products_of_deviations(g: &[Self], x: &[Self], mean: f64) -> f64;
}

impl LaneSums for f32 {
    fn sum(s: &[f32]) -> f64 {
        sum_f32(s)
    }
    fn sum_squared_differences(a: &[f32], b: &[f32]) -> f64 {
        sum_squared_differences_f32(a, b)
    }
    fn sum_squared_deviations(s: &[f32], mean: f64) -> f64 {
        sum_squared_deviations_f32(s, mean)
    }
    fn sum_products_of_deviations(g: &[f32], x: &[f32], mean: f64) -> f64 {
        sum_products_of_deviations_f32(g, x, mean)
    }
}

impl LaneSums for f64 {
    fn sum(s: &[f64]) -> f64 {
        sum_f64(s)
    }
    fn sum_squared_differences(a: &[f64], b: &[f64]) -> f64 {
        sum_squared_differences_f64(a, b)
    }
    fn sum_squared_deviations(s: &[f64], mean: f64) -> f64 {
        sum_squared_deviations_f64(s, mean)
    }
    fn sum_products_of_deviations(g: &[f64], x: &[f64], mean: f64) -> f64 {
        sum_products_of_deviations_f64(g, x, mean)
    }
}

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
    fn squared_differences_and_deviations_follow_the_lane_rule() {
        let a: Vec<f32> = (0..80)
            .map(|i| ((i * 31) % 17) as f32 * 0.25 - 2.0)
            .collect();
        let b: Vec<f32> = (0..80)
            .map(|i| ((i * 13) % 11) as f32 * 0.5 - 1.0)
            .collect();
        for len in 0..=67 {
            let (a, b) = (&a[..len], &b[..len]);
            let mut acc = [0.0f64; LANES];
            let mut dev = [0.0f64; LANES];
            for i in 0..len {
                let d = a[i] as f64 - b[i] as f64;
                acc[i % LANES] += d * d;
                dev[i % LANES] += (a[i] as f64 - 0.5) * (a[i] as f64 - 0.5);
            }
            assert_eq!(sum_squared_differences_f32(a, b), combine(acc), "len {len}");
            assert_eq!(
                sum_squared_deviations_f32(a, 0.5),
                combine(dev),
                "len {len}"
            );
            let (a64, b64): (Vec<f64>, Vec<f64>) = (
                a.iter().map(|&v| v as f64).collect(),
                b.iter().map(|&v| v as f64).collect(),
            );
            assert_eq!(sum_squared_differences_f64(&a64, &b64), combine(acc));
            assert_eq!(sum_squared_deviations_f64(&a64, 0.5), combine(dev));
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
    fn grouped_row_adds_give_the_bits_of_one_row_at_a_time() {
        for width in [0usize, 1, 31, 32, 33, 67, 100] {
            for rows in [0usize, 1, 2, 7, 16] {
                let stride = width + 3;
                let src: Vec<f32> = (0..rows * stride)
                    .map(|i| ((i * 7919) % 1000) as f32 * 0.013 - 6.0)
                    .collect();
                let start: Vec<f64> = (0..width).map(|i| i as f64 * 1e-3 + 0.1).collect();
                let mut want = start.clone();
                for r in 0..rows {
                    add_f32_into_f64(&mut want, &src[r * stride..r * stride + width]);
                }
                let mut got = start.clone();
                add_f32_rows_into_f64(&mut got, &src, stride, rows);
                assert_eq!(got, want, "width {width}, rows {rows}");
                let src64: Vec<f64> = src.iter().map(|&x| x as f64).collect();
                let mut want64 = start.clone();
                for r in 0..rows {
                    add_f64_into(&mut want64, &src64[r * stride..r * stride + width]);
                }
                let mut got64 = start;
                add_f64_rows_into(&mut got64, &src64, stride, rows);
                assert_eq!(got64, want64);
            }
        }
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
