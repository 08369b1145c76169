//! Discrete Fourier transforms along dims of a contiguous row-major array of complex
//! values (`rustfft` plans), held in f64 and computed in the precision of the tensor's
//! dtype, as PyTorch's pocketfft computes a complex64 transform in float.

use rustfft::num_complex::{Complex, Complex64};
use rustfft::{FftNum, FftPlanner};

/// The arithmetic precision of a transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Single,
    Double,
}

/// Transforms every line along `dim` of `data` (row-major, shape `shape`) in place, in
/// `precision` (single: the values are read as float32 and the results are float32).
pub fn c2c_dim(
    data: &mut [Complex64],
    shape: &[usize],
    dim: usize,
    forward: bool,
    precision: Precision,
) {
    match precision {
        Precision::Single => c2c_dim_in::<f32>(data, shape, dim, forward, |v| v as f32, f64::from),
        Precision::Double => c2c_dim_in::<f64>(data, shape, dim, forward, |v| v, |v| v),
    }
}

fn c2c_dim_in<T: FftNum>(
    data: &mut [Complex64],
    shape: &[usize],
    dim: usize,
    forward: bool,
    narrow: impl Fn(f64) -> T,
    widen: impl Fn(T) -> f64,
) {
    let n = shape[dim];
    if n <= 1 || data.is_empty() {
        return;
    }
    let inner: usize = shape[dim + 1..].iter().product();
    let outer: usize = shape[..dim].iter().product();
    let mut planner = FftPlanner::<T>::new();
    let fft = if forward {
        planner.plan_fft_forward(n)
    } else {
        planner.plan_fft_inverse(n)
    };
    let zero = Complex::new(narrow(0.0), narrow(0.0));
    let mut line = vec![zero; n];
    let mut scratch = vec![zero; fft.get_inplace_scratch_len()];
    for o in 0..outer {
        let base = o * n * inner;
        for i in 0..inner {
            for (k, v) in line.iter_mut().enumerate() {
                let c = data[base + k * inner + i];
                *v = Complex::new(narrow(c.re), narrow(c.im));
            }
            fft.process_with_scratch(&mut line, &mut scratch);
            for (k, v) in line.iter().enumerate() {
                data[base + k * inner + i] = Complex64::new(widen(v.re), widen(v.im));
            }
        }
    }
}

/// The Hermitian-symmetric lines of length `n` along the last dim whose first halves
/// are `half` (shape `shape`, last dim `shape[last]`), inverse transformed to real.
pub fn c2r_last(half: &[Complex64], shape: &[usize], n: usize, precision: Precision) -> Vec<f64> {
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
    c2c_dim(&mut full, &full_shape, last, false, precision);
    full.iter().map(|c| c.re).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_then_inverse_scales_by_n() {
        let mut v: Vec<Complex64> = (0..6).map(|i| Complex64::new(i as f64, 1.0)).collect();
        let orig = v.clone();
        c2c_dim(&mut v, &[2, 3], 1, true, Precision::Double);
        // DC of the first row: 0 + 1 + 2 + 3i
        assert!((v[0] - Complex64::new(3.0, 3.0)).norm() < 1e-12);
        c2c_dim(&mut v, &[2, 3], 1, false, Precision::Double);
        for (a, b) in v.iter().zip(&orig) {
            assert!((a / 3.0 - b).norm() < 1e-12);
        }
    }

    #[test]
    fn single_precision_rounds_to_float32_and_keeps_exact_zeros() {
        // a radix-3 butterfly with float32 twiddles: cos(2pi/3) rounds to -0.5 exactly
        let mut v = vec![Complex64::new(1.0, 0.0); 3];
        c2c_dim(&mut v, &[3], 0, true, Precision::Single);
        assert_eq!(v[0], Complex64::new(3.0, 0.0));
        assert_eq!((v[1].re, v[2].re), (0.0, 0.0));
        let mut w: Vec<Complex64> = (0..7)
            .map(|i| Complex64::new(0.1 * i as f64, 0.3))
            .collect();
        c2c_dim(&mut w, &[7], 0, true, Precision::Single);
        assert!(w
            .iter()
            .all(|c| c.re as f32 as f64 == c.re && c.im as f32 as f64 == c.im));
    }

    #[test]
    fn hermitian_lines_invert_to_real() {
        // rfft of [1, 2, 3, 4] is [10, -2+2i, -2]
        let half = [
            Complex64::new(10.0, 0.0),
            Complex64::new(-2.0, 2.0),
            Complex64::new(-2.0, 0.0),
        ];
        let out = c2r_last(&half, &[3], 4, Precision::Double);
        let want = [4.0, 8.0, 12.0, 16.0];
        for (a, b) in out.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
