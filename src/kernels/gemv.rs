//! Matrix times vector for float32/float64 without the GEMM's packing: a dot product per
//! row when the matrix's rows are contiguous, an axpy per column when its columns are.
//! The loops are written with independent lane accumulators so that they vectorize,
//! and compiled for AVX2 where the CPU has it.

/// A float type the GEMV runs on.
pub trait GemvFloat:
    Copy + Default + std::ops::Add<Output = Self> + std::ops::Mul<Output = Self>
{
}
impl GemvFloat for f32 {}
impl GemvFloat for f64 {}

/// Accumulator lanes of a row's dot product (two AVX2 registers of float32).
const LANES: usize = 16;

/// `y = a @ x` for an `m×k` matrix whose element (i, p) is `a[i * rs + p * cs]`, where one
/// of `rs`, `cs` is 1, and a contiguous `x` of length k. None for other layouts.
pub fn gemv<F: GemvFloat>(
    m: usize,
    k: usize,
    a: &[F],
    rs: isize,
    cs: isize,
    x: &[F],
) -> Option<Vec<F>> {
    assert_eq!(x.len(), k, "gemv vector length");
    let mut y = vec![F::default(); m];
    if m == 0 || k == 0 {
        return Some(y);
    }
    let row_major = cs == 1 && (m == 1 || rs >= k as isize);
    let col_major = !row_major && rs == 1 && (k == 1 || cs >= m as isize);
    if !row_major && !col_major {
        return None;
    }
    let (step, len) = if row_major { (rs, k) } else { (cs, m) };
    let lines = if row_major { m } else { k };
    // the last line ends inside `a`: every line is a whole slice of it
    assert!(
        (lines - 1) * step as usize + len <= a.len(),
        "gemv matrix outside its slice"
    );
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { gemv_avx2(row_major, a, step as usize, len, x, &mut y) };
        return Some(y);
    }
    gemv_lines(row_major, a, step as usize, len, x, &mut y);
    Some(y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn gemv_avx2<F: GemvFloat>(
    row_major: bool,
    a: &[F],
    step: usize,
    len: usize,
    x: &[F],
    y: &mut [F],
) {
    gemv_lines(row_major, a, step, len, x, y);
}

/// The matrix as lines of `len` elements `step` apart: rows dotted with `x`, or columns
/// scaled by `x`'s entries and added into `y`.
#[inline(always)]
fn gemv_lines<F: GemvFloat>(
    row_major: bool,
    a: &[F],
    step: usize,
    len: usize,
    x: &[F],
    y: &mut [F],
) {
    if row_major {
        for (i, yi) in y.iter_mut().enumerate() {
            *yi = dot(&a[i * step..i * step + len], x);
        }
    } else {
        for (p, &xp) in x.iter().enumerate() {
            let col = &a[p * step..p * step + len];
            for (yi, &aij) in y.iter_mut().zip(col) {
                *yi = *yi + aij * xp;
            }
        }
    }
}

#[inline(always)]
fn dot<F: GemvFloat>(a: &[F], b: &[F]) -> F {
    let mut acc = [F::default(); LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (pa, pb) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] = acc[l] + pa[l] * pb[l];
        }
    }
    let mut tail = F::default();
    for (&u, &v) in ra.iter().zip(rb) {
        tail = tail + u * v;
    }
    // pairwise, so the lanes fold in a fixed order
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            acc[l] = acc[l] + acc[l + width];
        }
    }
    acc[0] + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_columns_agree_with_the_plain_sum() {
        for &(m, k) in &[(1usize, 1usize), (3, 17), (33, 5), (40, 64), (7, 100)] {
            let a: Vec<f64> = (0..m * k)
                .map(|i| ((i * 7919) % 101) as f64 / 13.0 - 3.0)
                .collect();
            let x: Vec<f64> = (0..k).map(|i| (i % 11) as f64 * 0.25 - 1.0).collect();
            let want: Vec<f64> = (0..m)
                .map(|i| (0..k).map(|p| a[i * k + p] * x[p]).sum())
                .collect();
            let rows = gemv(m, k, &a, k as isize, 1, &x).unwrap();
            // the same matrix stored column by column
            let t: Vec<f64> = (0..k * m).map(|j| a[(j % m) * k + j / m]).collect();
            let cols = gemv(m, k, &t, 1, m as isize, &x).unwrap();
            for i in 0..m {
                assert!((rows[i] - want[i]).abs() < 1e-9, "{m}x{k} row {i}");
                assert!((cols[i] - want[i]).abs() < 1e-9, "{m}x{k} col {i}");
            }
        }
    }

    #[test]
    fn other_layouts_are_left_to_the_gemm() {
        let a = vec![1.0f32; 64];
        assert!(gemv(4, 4, &a, 8, 2, &[1.0; 4]).is_none());
    }
}
