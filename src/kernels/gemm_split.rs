//! Float GEMM shared among the intra-op threads. The f32 AVX-512 kernel splits itself:
//! each packed block of B serves every thread, which claim small rectangles of C from a
//! shared board (so a thread whose core is busy elsewhere holds up only what it holds).
//! Elsewhere (f64, and f32 on `matrixmultiply`) C is cut into bands of rows when it is
//! tall, of columns when it is wide, each band one GEMM call. Band edges fall on multiples of
//! `BAND_ALIGN`, a multiple of every `matrixmultiply` micro-kernel tile, so each element of
//! C sees the same kernel and the same summation order whatever the thread count (the bits
//! do not change); the AVX-512 kernel's bits do not depend on where a tile sits at all.

/// Band sizes are multiples of this many rows or columns.
const BAND_ALIGN: usize = 64;

/// A band gets at least this many multiply-adds (measured in release on 2 idle cores: a
/// 256³ product split in two ran at 0.5x, 512³ at 1.6x). The unit tests split far smaller
/// products, which a debug build multiplies in reasonable time.
pub const PAR_MIN_GEMM_MACS: usize = if cfg!(test) { 1 << 21 } else { 1 << 26 };

/// The two float types with GEMM kernels.
pub trait GemmFloat: Copy + Send + Sync + 'static {
    /// `c = alpha * a @ b + beta * c`, as `matrixmultiply::{s,d}gemm`.
    ///
    /// # Safety
    /// As `matrixmultiply::sgemm`: every element the strides reach lies in its allocation.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm_raw(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
    );

    /// `gemm_raw` with its own split of C over up to `threads` threads, where the kernel
    /// has one (packing each block of B once for all of them); `false`, having done
    /// nothing, where it has not.
    ///
    /// # Safety
    /// As `gemm_raw`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm_threads(
        _threads: usize,
        _m: usize,
        _k: usize,
        _n: usize,
        _a: *const Self,
        _rsa: isize,
        _csa: isize,
        _b: *const Self,
        _rsb: isize,
        _csb: isize,
        _beta: Self,
        _c: *mut Self,
        _rsc: isize,
    ) -> bool {
        false
    }
}

macro_rules! gemm_float {
    ($t:ty, $f:path, threads) => {
        gemm_float!($t, $f, {
            unsafe fn gemm_threads(
                threads: usize,
                m: usize,
                k: usize,
                n: usize,
                a: *const $t,
                rsa: isize,
                csa: isize,
                b: *const $t,
                rsb: isize,
                csb: isize,
                beta: $t,
                c: *mut $t,
                rsc: isize,
            ) -> bool {
                // SAFETY: forwarded: the caller upholds `sgemm`'s contract.
                unsafe {
                    super::sgemm_avx512::sgemm_threaded(
                        threads, m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, 1,
                    )
                }
            }
        });
    };
    ($t:ty, $f:path) => {
        gemm_float!($t, $f, {});
    };
    ($t:ty, $f:path, { $($threads:item)* }) => {
        impl GemmFloat for $t {
            unsafe fn gemm_raw(
                m: usize,
                k: usize,
                n: usize,
                a: *const $t,
                rsa: isize,
                csa: isize,
                b: *const $t,
                rsb: isize,
                csb: isize,
                beta: $t,
                c: *mut $t,
                rsc: isize,
            ) {
                // SAFETY: forwarded: the caller upholds `matrixmultiply`'s contract.
                unsafe { $f(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, 1) }
            }
            $($threads)*
        }
    };
}
gemm_float!(f32, super::sgemm_avx512::sgemm, threads);
gemm_float!(f64, matrixmultiply::dgemm);

/// How many bands to cut a `len`-long dim of an `m×k×n` product into.
fn band_count(len: usize, macs: usize) -> usize {
    let threads = crate::parallel::num_threads();
    if threads <= 1 {
        return 1;
    }
    threads
        .min(macs / PAR_MIN_GEMM_MACS)
        .min(len / BAND_ALIGN)
        .max(1)
}

/// `c = a @ b + beta * c` for an `m×k` `a` and a `k×n` `b` read through their strides
/// (offsets already applied to the pointers), into row-major `c` with row stride `rsc`.
///
/// # Safety
/// Every element `a[i*rsa + p*csa]`, `b[p*rsb + j*csb]` (i < m, p < k, j < n) lies in its
/// allocation, `c[i*rsc + j]` too, and nothing else reads or writes `c` meanwhile.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm_threaded<F: GemmFloat>(
    m: usize,
    k: usize,
    n: usize,
    a: *const F,
    (rsa, csa): (isize, isize),
    b: *const F,
    (rsb, csb): (isize, isize),
    beta: F,
    c: *mut F,
    rsc: isize,
) {
    let macs = m.saturating_mul(k).saturating_mul(n);
    let by_rows = m >= n;
    let len = if by_rows { m } else { n };
    let bands = band_count(len, macs);
    if bands <= 1 {
        // SAFETY: the caller's contract is `gemm_raw`'s.
        return unsafe { F::gemm_raw(m, k, n, a, rsa, csa, b, rsb, csb, beta, c, rsc) };
    }
    let threads = crate::parallel::num_threads();
    // SAFETY: as above.
    if unsafe { F::gemm_threads(threads, m, k, n, a, rsa, csa, b, rsb, csb, beta, c, rsc) } {
        return;
    }
    let band = len.div_ceil(bands).next_multiple_of(BAND_ALIGN);
    let bands = len.div_ceil(band);
    // Raw pointers are not `Send`; the addresses travel as integers.
    let (pa, pb, pc) = (a as usize, b as usize, c as usize);
    crate::parallel::for_each_task(bands, |t| {
        let lo = t * band;
        let w = band.min(len - lo);
        let (a, b, c) = (pa as *const F, pb as *const F, pc as *mut F);
        // SAFETY: band `t` covers rows (or columns) lo..lo + w of C, inside 0..m (0..n),
        // so the offset pointers stay within the caller's allocations; the bands of C are
        // disjoint, so no two tasks write the same element.
        unsafe {
            if by_rows {
                let (a, c) = (a.offset(lo as isize * rsa), c.offset(lo as isize * rsc));
                F::gemm_raw(w, k, n, a, rsa, csa, b, rsb, csb, beta, c, rsc)
            } else {
                let (b, c) = (b.offset(lo as isize * csb), c.add(lo));
                F::gemm_raw(m, k, w, a, rsa, csa, b, rsb, csb, beta, c, rsc)
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parallel::{with_threads, TEST_LOCK};

    #[allow(clippy::too_many_arguments)]
    fn run<F: GemmFloat + Default>(
        m: usize,
        k: usize,
        n: usize,
        a: &[F],
        b_t: bool,
        b: &[F],
        beta: F,
        c0: &[F],
    ) -> Vec<F> {
        let mut c = c0.to_vec();
        let (rsb, csb) = if b_t {
            (1, k as isize)
        } else {
            (n as isize, 1)
        };
        // SAFETY: a is m×k row-major, b is k×n (or its transpose), c is m×n.
        unsafe {
            gemm_threaded(
                m,
                k,
                n,
                a.as_ptr().add(1),
                (k as isize, 1),
                b.as_ptr(),
                (rsb, csb),
                beta,
                c.as_mut_ptr(),
                n as isize,
            )
        };
        c
    }

    #[test]
    fn bands_give_the_same_bits_as_one_call() {
        let _g = TEST_LOCK.lock();
        for (m, k, n) in [
            (300, 200, 130),
            (130, 256, 300),
            (517, 129, 65),
            (64, 512, 1031),
            (3, 5, 7),
        ] {
            let a: Vec<f32> = (0..m * k + 1)
                .map(|i| ((i * 37) % 101) as f32 * 0.01 - 0.5)
                .collect();
            let b: Vec<f32> = (0..k * n)
                .map(|i| ((i * 53) % 97) as f32 * 0.02 - 1.0)
                .collect();
            let c0: Vec<f32> = (0..m * n).map(|i| (i % 13) as f32).collect();
            for b_t in [false, true] {
                for beta in [0.0f32, 1.0] {
                    let one = with_threads(1, || run(m, k, n, &a, b_t, &b, beta, &c0));
                    for threads in [2, 3, 4] {
                        let many = with_threads(threads, || run(m, k, n, &a, b_t, &b, beta, &c0));
                        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&one), bits(&many), "{m}x{k}x{n} b_t={b_t} beta={beta}");
                    }
                }
            }
            let a64: Vec<f64> = a.iter().map(|&x| x as f64).collect();
            let b64: Vec<f64> = b.iter().map(|&x| x as f64).collect();
            let c64 = vec![0.0f64; m * n];
            let one = with_threads(1, || run(m, k, n, &a64, false, &b64, 0.0, &c64));
            let many = with_threads(2, || run(m, k, n, &a64, false, &b64, 0.0, &c64));
            assert_eq!(one, many);
            // and the values are the product
            let (i, j) = (m - 1, n / 2);
            let want: f64 = (0..k).map(|p| a64[1 + i * k + p] * b64[p * n + j]).sum();
            assert!((one[i * n + j] - want).abs() < 1e-9);
        }
    }
}
