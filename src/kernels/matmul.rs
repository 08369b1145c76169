//! Matrix products: a blocked GEMM for floats (`gemm_split`: the AVX-512 kernel or
//! `matrixmultiply`; strides express transposes, no copies), plain loops for integers.

use super::gemm_split::{gemm_threaded, GemmFloat};
use crate::tensor::Element;

/// One strided matrix operand: `ptr[offset + i * rs + j * cs]`.
#[derive(Clone, Copy, Debug)]
pub struct MatRef {
    pub offset: usize,
    pub rs: isize,
    pub cs: isize,
}

/// `c = a @ b` for an `m×k` and a `k×n` matrix; `c` is a fresh row-major `m×n` buffer.
pub fn gemm<T: Element>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    ar: MatRef,
    b: &[T],
    br: MatRef,
) -> Vec<T> {
    if m == 0 || n == 0 || k == 0 {
        return vec![T::default(); m * n];
    }
    if let (Some(a32), Some(b32)) = (as_f32(a), as_f32(b)) {
        return fresh_product(m, n, |c: *mut T| {
            // SAFETY: T is f32 (`as_f32` above); the operands' offsets and strides were
            // derived from layouts that lie within their slices (checked by the caller's
            // layout); `c` has room for m*n floats, all of which beta = 0 overwrites.
            unsafe {
                gemm_threaded(
                    m,
                    k,
                    n,
                    a32.as_ptr().add(ar.offset),
                    (ar.rs, ar.cs),
                    b32.as_ptr().add(br.offset),
                    (br.rs, br.cs),
                    0.0,
                    c as *mut f32,
                    n as isize,
                )
            }
        });
    }
    if let (Some(a64), Some(b64)) = (as_f64(a), as_f64(b)) {
        return fresh_product(m, n, |c: *mut T| {
            // SAFETY: T is f64; as above.
            unsafe {
                gemm_threaded(
                    m,
                    k,
                    n,
                    a64.as_ptr().add(ar.offset),
                    (ar.rs, ar.cs),
                    b64.as_ptr().add(br.offset),
                    (br.rs, br.cs),
                    0.0,
                    c as *mut f64,
                    n as isize,
                )
            }
        });
    }
    let mut c = vec![T::default(); m * n];
    for i in 0..m {
        for p in 0..k {
            let x = a[(ar.offset as isize + i as isize * ar.rs + p as isize * ar.cs) as usize];
            let xi = x.to_i64();
            for j in 0..n {
                let y = b[(br.offset as isize + p as isize * br.rs + j as isize * br.cs) as usize];
                let cur = c[i * n + j].to_i64();
                c[i * n + j] = T::from_i64(cur.wrapping_add(xi.wrapping_mul(y.to_i64())));
            }
        }
    }
    c
}

/// `c[i] = a[i] @ b[i]` for `batch` pairs of `m×k` and `k×n` matrices, matrix `i` of
/// each operand `i * step` elements after the first; `c` is a fresh row-major
/// `batch×m×n` buffer written in place (no buffer per product).
pub fn gemm_batched<T: Element>(
    batch: usize,
    (m, k, n): (usize, usize, usize),
    (a, ar, sa): (&[T], MatRef, isize),
    (b, br, sb): (&[T], MatRef, isize),
) -> Vec<T> {
    let mut c = vec![T::default(); batch * m * n];
    if m == 0 || n == 0 || k == 0 {
        return c;
    }
    let at = |i: usize, r: MatRef, step: isize| MatRef {
        offset: (r.offset as isize + i as isize * step) as usize,
        ..r
    };
    for (i, ci) in c.chunks_exact_mut(m * n).enumerate() {
        let (ai, bi) = (at(i, ar, sa), at(i, br, sb));
        gemm_into_slice(m, k, n, a, ai, b, bi, ci);
    }
    c
}

/// `c = a @ b` into the row-major `m×n` slice `c` (zeros on entry).
#[allow(clippy::too_many_arguments)]
fn gemm_into_slice<T: Element>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    ar: MatRef,
    b: &[T],
    br: MatRef,
    c: &mut [T],
) {
    assert!(
        reaches(a.len(), ar, m, k) && reaches(b.len(), br, k, n) && c.len() == m * n,
        "matrix operand outside its slice"
    );
    if let (Some(a32), Some(b32)) = (as_f32(a), as_f32(b)) {
        let c32 = as_f32_mut(c).expect("same element type");
        return gemm_checked_into(m, k, n, a32, ar, b32, br, c32);
    }
    if let (Some(a64), Some(b64)) = (as_f64(a), as_f64(b)) {
        let c64 = as_f64_mut(c).expect("same element type");
        return gemm_checked_into(m, k, n, a64, ar, b64, br, c64);
    }
    c.copy_from_slice(&gemm(m, k, n, a, ar, b, br));
}

/// `gemm_threaded` over float slices whose reach `gemm_into_slice` has checked.
#[allow(clippy::too_many_arguments)]
fn gemm_checked_into<F: GemmFloat + Default>(
    m: usize,
    k: usize,
    n: usize,
    a: &[F],
    ar: MatRef,
    b: &[F],
    br: MatRef,
    c: &mut [F],
) {
    // SAFETY: both operands lie within their slices (the caller checked), `c` has m*n
    // elements and is borrowed mutably here alone.
    unsafe {
        gemm_threaded(
            m,
            k,
            n,
            a.as_ptr().add(ar.offset),
            (ar.rs, ar.cs),
            b.as_ptr().add(br.offset),
            (br.rs, br.cs),
            F::default(),
            c.as_mut_ptr(),
            n as isize,
        );
    }
}

/// Whether every element of the `rows×cols` matrix `r` lies within `len` elements.
fn reaches(len: usize, r: MatRef, rows: usize, cols: usize) -> bool {
    let (mut lo, mut hi) = (r.offset as i128, r.offset as i128);
    for (count, stride) in [(rows, r.rs), (cols, r.cs)] {
        let span = (count as i128 - 1) * stride as i128;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    lo >= 0 && hi < len as i128
}

/// A fresh `m×n` buffer that `write` fills, storing every element (as a GEMM with
/// `beta = 0` and `k > 0` does): no zeros written first, which for a weight gradient
/// was a pass over as many bytes as the product writes.
fn fresh_product<T>(m: usize, n: usize, write: impl FnOnce(*mut T)) -> Vec<T> {
    let len = m * n;
    let mut c: Vec<T> = crate::tensor::memory_limit::vec_with_capacity(len);
    write(c.as_mut_ptr());
    // SAFETY: `write` stored all `len` elements, inside the capacity reserved above (a
    // panic in it leaves the length at zero, so nothing uninitialized is ever read).
    unsafe { c.set_len(len) };
    c
}

fn as_f32<T: Element>(s: &[T]) -> Option<&[f32]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f32>())
        // SAFETY: T is f32, checked by TypeId just above.
        .then(|| unsafe { std::slice::from_raw_parts(s.as_ptr() as *const f32, s.len()) })
}
fn as_f64<T: Element>(s: &[T]) -> Option<&[f64]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f64>())
        // SAFETY: T is f64, checked by TypeId just above.
        .then(|| unsafe { std::slice::from_raw_parts(s.as_ptr() as *const f64, s.len()) })
}
fn as_f32_mut<T: Element>(s: &mut [T]) -> Option<&mut [f32]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f32>())
        // SAFETY: T is f32, checked by TypeId just above.
        .then(|| unsafe { std::slice::from_raw_parts_mut(s.as_mut_ptr() as *mut f32, s.len()) })
}
fn as_f64_mut<T: Element>(s: &mut [T]) -> Option<&mut [f64]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f64>())
        // SAFETY: T is f64, checked by TypeId just above.
        .then(|| unsafe { std::slice::from_raw_parts_mut(s.as_mut_ptr() as *mut f64, s.len()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, k: usize, n: usize, a: &[f64], b: &[f64]) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] += a[i * k + p] * b[p * n + j];
                }
            }
        }
        c
    }

    #[test]
    fn gemm_matches_naive_including_transposed_operand() {
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f64> = (0..m * k).map(|x| (x as f64).sin()).collect();
        let b: Vec<f64> = (0..k * n).map(|x| (x as f64).cos()).collect();
        let c = gemm(
            m,
            k,
            n,
            &a,
            MatRef {
                offset: 0,
                rs: k as isize,
                cs: 1,
            },
            &b,
            MatRef {
                offset: 0,
                rs: n as isize,
                cs: 1,
            },
        );
        let expect = naive(m, k, n, &a, &b);
        for (x, y) in c.iter().zip(&expect) {
            assert!((x - y).abs() < 1e-12);
        }
        // b stored transposed (n×k row-major) and read with swapped strides
        let bt: Vec<f64> = (0..n * k).map(|idx| b[(idx % k) * n + idx / k]).collect();
        let c2 = gemm(
            m,
            k,
            n,
            &a,
            MatRef {
                offset: 0,
                rs: k as isize,
                cs: 1,
            },
            &bt,
            MatRef {
                offset: 0,
                rs: 1,
                cs: k as isize,
            },
        );
        assert_eq!(c, c2);
    }

    #[test]
    fn integer_gemm() {
        let a = vec![1i64, 2, 3, 4];
        let c = gemm(
            2,
            2,
            2,
            &a,
            MatRef {
                offset: 0,
                rs: 2,
                cs: 1,
            },
            &a,
            MatRef {
                offset: 0,
                rs: 2,
                cs: 1,
            },
        );
        assert_eq!(c, vec![7, 10, 15, 22]);
    }
}
