//! Discrete Fourier transforms along dims of a contiguous row-major array of complex
//! values (`rustfft` plans, computed in f64).

use rustfft::num_complex::Complex64;
use rustfft::FftPlanner;

/// Transforms every line along `dim` of `data` (row-major, shape `shape`) in place.
pub fn c2c_dim(data: &mut [Complex64], shape: &[usize], dim: usize, forward: bool) {
    let n = shape[dim];
    if n <= 1 || data.is_empty() {
        return;
    }
    let inner: usize = shape[dim + 1..].iter().product();
    let outer: usize = shape[..dim].iter().product();
    let mut planner = FftPlanner::<f64>::new();
    let fft = if forward {
        planner.plan_fft_forward(n)
    } else {
        planner.plan_fft_inverse(n)
    };
    let mut line = vec![Complex64::default(); n];
    let mut scratch = vec![Complex64::default(); fft.get_inplace_scratch_len()];
    for o in 0..outer {
        let base = o * n * inner;
        for i in 0..inner {
            for (k, v) in line.iter_mut().enumerate() {
                *v = data[base + k * inner + i];
            }
            fft.process_with_scratch(&mut line, &mut scratch);
            for (k, v) in line.iter().enumerate() {
                data[base + k * inner + i] = *v;
            }
        }
    }
}

/// The Hermitian-symmetric lines of length `n` along the last dim whose first halves
/// are `half` (shape `shape`, last dim `shape[last]`), inverse transformed to real.
pub fn c2r_last(half: &[Complex64], shape: &[usize], n: usize) -> Vec<f64> {
    let last = shape.len() - 1;
    let m = shape[last];
    let lines: usize = shape[..last].iter().product();
    let mut full = vec![Complex64::default(); lines * n];
    for l in 0..lines {
        let src = &half[l * m..(l + 1) * m];
        let dst = &mut full[l * n..(l + 1) * n];
        for k in 0..=(n / 2) {
            if k < m {
                dst[k] = src[k];
            }
        }
        for k in 1..n.div_ceil(2) {
            if k < m {
                dst[n - k] = src[k].conj();
            }
        }
    }
    let mut full_shape = shape.to_vec();
    full_shape[last] = n;
    c2c_dim(&mut full, &full_shape, last, false);
    full.iter().map(|c| c.re).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_then_inverse_scales_by_n() {
        let mut v: Vec<Complex64> = (0..6).map(|i| Complex64::new(i as f64, 1.0)).collect();
        let orig = v.clone();
        c2c_dim(&mut v, &[2, 3], 1, true);
        // DC of the first row: 0 + 1 + 2 + 3i
        assert!((v[0] - Complex64::new(3.0, 3.0)).norm() < 1e-12);
        c2c_dim(&mut v, &[2, 3], 1, false);
        for (a, b) in v.iter().zip(&orig) {
            assert!((a / 3.0 - b).norm() < 1e-12);
        }
    }

    #[test]
    fn hermitian_lines_invert_to_real() {
        // rfft of [1, 2, 3, 4] is [10, -2+2i, -2]
        let half = [
            Complex64::new(10.0, 0.0),
            Complex64::new(-2.0, 2.0),
            Complex64::new(-2.0, 0.0),
        ];
        let out = c2r_last(&half, &[3], 4);
        let want = [4.0, 8.0, 12.0, 16.0];
        for (a, b) in out.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
