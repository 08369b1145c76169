//! `c (+)= a @ b` into a caller's row-major buffer: the `gemm_split` GEMM for floats, plain
//! loops (wrapping) for integers. Convolutions write each group's product straight
//! into its place in the output and accumulate weight gradients over the batch.

use super::gemm_split::gemm_threaded;
use super::matmul::MatRef;
use crate::tensor::Element;
use std::any::TypeId;

/// `c[i * n + j] = (accumulate ? c : 0) + Σ_p a[i, p] · b[p, j]` for an `m×k` `a` and a
/// `k×n` `b` read through their strides; `c` holds at least `m * n` elements.
#[allow(clippy::too_many_arguments)]
pub fn gemm_into<T: Element>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    ar: MatRef,
    b: &[T],
    br: MatRef,
    c: &mut [T],
    accumulate: bool,
) {
    assert!(c.len() >= m * n, "gemm_into: output too small");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c[..m * n].fill(T::default());
        }
        return;
    }
    assert!(
        in_bounds(a.len(), m, k, ar) && in_bounds(b.len(), k, n, br),
        "gemm_into: operand out of bounds"
    );
    let beta = if accumulate { 1.0 } else { 0.0 };
    let id = TypeId::of::<T>();
    if id == TypeId::of::<f32>() {
        // SAFETY: T is f32 (TypeId above); both operands were checked to lie within their
        // slices for these strides, and c holds m*n elements (asserted).
        unsafe {
            gemm_threaded(
                m,
                k,
                n,
                (a.as_ptr() as *const f32).add(ar.offset),
                (ar.rs, ar.cs),
                (b.as_ptr() as *const f32).add(br.offset),
                (br.rs, br.cs),
                beta as f32,
                c.as_mut_ptr() as *mut f32,
                n as isize,
            );
        }
        return;
    }
    if id == TypeId::of::<f64>() {
        // SAFETY: T is f64 (TypeId above); bounds as for f32.
        unsafe {
            gemm_threaded(
                m,
                k,
                n,
                (a.as_ptr() as *const f64).add(ar.offset),
                (ar.rs, ar.cs),
                (b.as_ptr() as *const f64).add(br.offset),
                (br.rs, br.cs),
                beta,
                c.as_mut_ptr() as *mut f64,
                n as isize,
            );
        }
        return;
    }
    let at = |i: usize, p: usize, r: MatRef, s: &[T]| {
        s[(r.offset as isize + i as isize * r.rs + p as isize * r.cs) as usize]
    };
    for i in 0..m {
        for j in 0..n {
            let mut acc: i64 = if accumulate { c[i * n + j].to_i64() } else { 0 };
            for p in 0..k {
                acc = acc.wrapping_add(
                    at(i, p, ar, a)
                        .to_i64()
                        .wrapping_mul(at(p, j, br, b).to_i64()),
                );
            }
            c[i * n + j] = T::from_i64(acc);
        }
    }
}

/// Whether every element `offset + i*rs + j*cs` (i < rows, j < cols) lies in `0..len`.
fn in_bounds(len: usize, rows: usize, cols: usize, r: MatRef) -> bool {
    let reach = |n: usize, s: isize| (n as isize - 1) * s;
    let (r0, c0) = (reach(rows, r.rs), reach(cols, r.cs));
    let lo = r.offset as isize + r0.min(0) + c0.min(0);
    let hi = r.offset as isize + r0.max(0) + c0.max(0);
    lo >= 0 && hi < len as isize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_and_overwrites() {
        let a = [1.0f64, 2.0, 3.0, 4.0]; // 2x2
        let b = [1.0f64, 0.0, 0.0, 1.0];
        let r = MatRef {
            offset: 0,
            rs: 2,
            cs: 1,
        };
        let mut c = [10.0f64; 4];
        gemm_into(2, 2, 2, &a, r, &b, r, &mut c, true);
        assert_eq!(c, [11.0, 12.0, 13.0, 14.0]);
        gemm_into(2, 2, 2, &a, r, &b, r, &mut c, false);
        assert_eq!(c, [1.0, 2.0, 3.0, 4.0]);
        let ai = [1i64, 2, 3, 4];
        let mut ci = [0i64; 4];
        // a transposed via strides
        gemm_into(
            2,
            2,
            2,
            &ai,
            MatRef {
                offset: 0,
                rs: 1,
                cs: 2,
            },
            &ai,
            r,
            &mut ci,
            false,
        );
        assert_eq!(ci, [10, 14, 14, 20]);
    }
}
