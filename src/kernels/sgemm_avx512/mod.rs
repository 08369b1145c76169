//! Single-precision GEMM with an AVX-512 micro-kernel, in the GotoBLAS/BLIS shape:
//! `KC×NC` blocks of B packed into `NR`-column micro-panels (kept in L2), `MC×KC` blocks
//! of A packed into `MR`-row micro-panels (one at a time in L1 while it sweeps the B
//! block), and a `MR×NR` register tile per call of `micro::tile_rows` (12×32: 24 zmm
//! accumulators). A small C reads a row-major B in place instead of packing it.
//!
//! [`sgemm`] has exactly `matrixmultiply::sgemm`'s contract and falls back to it on CPUs
//! without AVX-512F (or with `FERROGRAD_SIMD=portable`).
//!
//! The tile vectorizes along C's columns, so C is written in whole rows when its column
//! stride is 1; a column-major C (or a very narrow one, say 10 columns) runs the
//! transposed product `Cᵀ = Bᵀ·Aᵀ` instead. A long C at most 16 columns (or rows) wide
//! whose wide operand the tiles would pack runs `narrow`'s kernel, one vector per row.
//! Either way each element of C is the same chain of FMAs over k, k-blocked by `k_block`
//! (a function of k alone), so the bits never depend on the shape of the call, the
//! orientation or where a band of C starts.

#[cfg(target_arch = "x86_64")]
mod driver;
#[cfg(target_arch = "x86_64")]
mod micro;
#[cfg(target_arch = "x86_64")]
mod narrow;
#[cfg(target_arch = "x86_64")]
mod pack;
#[cfg(target_arch = "x86_64")]
mod shared;
#[cfg(test)]
mod tests;

use crate::kernels::vmath::{level, Level};

/// `c = alpha * a @ b + beta * c` for f32: `a` is `m×k` with strides `(rsa, csa)`, `b`
/// `k×n` with `(rsb, csb)`, `c` `m×n` with `(rsc, csc)`. `beta == 0` ignores what C
/// held (NaN included); `k == 0` scales C by beta; an empty C is left alone.
///
/// # Safety
/// As `matrixmultiply::sgemm`: every element the strides reach for the given sizes lies
/// in its allocation, and C's elements are distinct (no two index pairs alias) and not
/// read or written by anyone else meanwhile.
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    rsb: isize,
    csb: isize,
    beta: f32,
    c: *mut f32,
    rsc: isize,
    csc: isize,
) {
    let fast = cfg!(target_arch = "x86_64") && level() == Level::Avx512;
    // SAFETY: the caller's contract is the one both paths need.
    unsafe {
        sgemm_with(
            fast, m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc,
        )
    }
}

/// [`sgemm`] on the AVX-512 kernel when `avx512` (which the CPU must then have), else on
/// `matrixmultiply`: the tests run both.
///
/// # Safety
/// As [`sgemm`]; `avx512` only on a CPU with AVX-512F.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn sgemm_with(
    avx512: bool,
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    rsb: isize,
    csb: isize,
    beta: f32,
    c: *mut f32,
    rsc: isize,
    csc: isize,
) {
    #[cfg(target_arch = "x86_64")]
    if avx512 {
        // SAFETY: the CPU has AVX-512F (the caller checked); the operands are as promised.
        return unsafe {
            on_avx512(
                1, m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc,
            )
        };
    }
    let _ = avx512;
    // SAFETY: the caller upholds `matrixmultiply`'s contract, which is ours.
    unsafe { matrixmultiply::sgemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc) }
}

/// [`sgemm`] with C's tiles shared among up to `threads` threads of the pool (the bits do
/// not depend on how many). Returns `false`, having done nothing, where the AVX-512 kernel
/// does not run: the caller then splits the product itself.
///
/// # Safety
/// As [`sgemm`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm_threaded(
    threads: usize,
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    rsb: isize,
    csb: isize,
    beta: f32,
    c: *mut f32,
    rsc: isize,
    csc: isize,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx512 {
        // SAFETY: the CPU has AVX-512F; the caller's contract is `sgemm`'s.
        unsafe {
            on_avx512(
                threads, m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc,
            )
        };
        return true;
    }
    let _ = (
        threads, m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc,
    );
    false
}

/// # Safety
/// The CPU has AVX-512F; as [`sgemm`].
#[cfg(target_arch = "x86_64")]
#[allow(clippy::too_many_arguments)]
unsafe fn on_avx512(
    threads: usize,
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    rsb: isize,
    csb: isize,
    beta: f32,
    c: *mut f32,
    rsc: isize,
    csc: isize,
) {
    let sizes = driver::Sizes { m, k, n };
    let a = driver::Operand {
        p: a,
        rs: rsa,
        cs: csa,
    };
    let b = driver::Operand {
        p: b,
        rs: rsb,
        cs: csb,
    };
    let c = driver::Output {
        p: c,
        rs: rsc,
        cs: csc,
    };
    // SAFETY: forwarded.
    unsafe { driver::gemm(sizes, alpha, a, b, beta, c, threads) }
}

/// The longest k-block (packed A and B panels are this deep).
const KC: usize = 384;

/// The length of the k-blocks: `k` cut into equal blocks of at most [`KC`]. It depends on
/// k alone, which keeps every element's summation order fixed.
fn k_block(k: usize) -> usize {
    k.div_ceil(k.div_ceil(KC).max(1)).max(1)
}
