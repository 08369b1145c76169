//! Products whose C is at most `NARROW` columns wide where the tiles would have to pack
//! the wide operand (a 10-class layer's `h @ w2`: the tiles run `w2ᵀ @ hᵀ` and pack all
//! of `h` to read it ten times). Here each row of C is one masked vector, updated per
//! step of k by a broadcast of A's element (read in place) times a row of B (read in
//! place when its columns are adjacent, else copied to a small buffer).
//!
//! Each element of C is the tiles' chain of FMAs (from zero over each k-block of
//! `k_block(k)`, then joined by `micro::join_store`), so the bits are the tiles'.

use super::driver::{join_of, Operand, Output, Sizes};
use super::micro::{join_store, lanes, Join};
use super::{k_block, KC};
use std::arch::x86_64::*;
use std::ops::Range;

/// The widest C this path takes: one vector per row.
pub(super) const NARROW: usize = 16;

/// Rows of C updated together (independent FMA chains sharing each row of B).
const ROWS: usize = 12;

/// The rows `rows` of `c = alpha·a·b + beta·c` (see `super::sgemm`), for `s.n <= NARROW`.
///
/// # Safety
/// The CPU has AVX-512F; 0 < `s.n` ≤ `NARROW`, `s.k` > 0, `rows` lie within `s.m`; the
/// operands are as `super::sgemm`'s caller promised, and nobody else touches those rows of C.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn gemm(
    s: Sizes,
    alpha: f32,
    a: Operand,
    b: Operand,
    beta: f32,
    c: Output,
    rows: Range<usize>,
) {
    let kb = k_block(s.k);
    let mut copy = [0.0f32; KC * NARROW];
    for (step, pc) in (0..s.k).step_by(kb).enumerate() {
        let kc = kb.min(s.k - pc);
        let b_rows = if b.cs == 1 {
            // SAFETY: row pc of B lies inside B.
            (unsafe { b.at(pc, 0) }, b.rs)
        } else {
            for p in 0..kc {
                for j in 0..s.n {
                    // SAFETY: (pc + p, j) lies inside B.
                    copy[p * NARROW + j] = unsafe { *b.at(pc + p, j) };
                }
            }
            (copy.as_ptr(), NARROW as isize)
        };
        let part = Part {
            kc,
            n: s.n,
            alpha,
            b: b_rows.0,
            b_step: b_rows.1,
            join: join_of(step, beta),
        };
        let mut i = rows.start;
        while i < rows.end {
            // SAFETY: rows i.. of A from column pc, and of C, lie inside them.
            let (ap, cp) = unsafe { (a.at(i, pc), c.at(i, 0)) };
            // SAFETY: as this function's contract, for the rows the call takes.
            unsafe {
                if i + ROWS <= rows.end {
                    part.rows::<ROWS>(ap, a, cp, c);
                    i += ROWS;
                } else {
                    part.rows::<1>(ap, a, cp, c);
                    i += 1;
                }
            }
        }
    }
}

/// One k-block of the product: its rows of B and how its sums join C.
struct Part {
    kc: usize,
    n: usize,
    alpha: f32,
    b: *const f32,
    b_step: isize,
    join: Join,
}

impl Part {
    /// `R` rows of C, starting at `cp`, from the rows of A starting at `ap`.
    ///
    /// # Safety
    /// The CPU has AVX-512F; A's `R` rows hold `kc` elements from `ap`, B's `kc` rows
    /// `n` adjacent floats from `self.b`, and C's `R` rows `n` elements from `cp`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn rows<const R: usize>(&self, ap: *const f32, a: Operand, cp: *mut f32, c: Output) {
        let mask = lanes(self.n);
        let mut acc = [_mm512_setzero_ps(); R];
        let (mut ap, mut bp) = (ap, self.b);
        for _ in 0..self.kc {
            // SAFETY: step p < kc of the caller's rows.
            unsafe {
                let bv = _mm512_maskz_loadu_ps(mask, bp);
                for (r, sum) in acc.iter_mut().enumerate() {
                    let x = _mm512_set1_ps(*ap.offset(r as isize * a.rs));
                    *sum = _mm512_fmadd_ps(x, bv, *sum);
                }
                ap = ap.offset(a.cs);
                bp = bp.offset(self.b_step);
            }
        }
        let alpha = _mm512_set1_ps(self.alpha);
        for (r, &sum) in acc.iter().enumerate() {
            // SAFETY: row r < R of the caller's rows of C.
            unsafe {
                let row = cp.offset(r as isize * c.rs);
                if c.cs == 1 {
                    join_store(row, mask, sum, alpha, self.join);
                } else {
                    let mut local = [0.0f32; NARROW];
                    for (j, x) in local.iter_mut().enumerate().take(self.n) {
                        *x = *row.offset(j as isize * c.cs);
                    }
                    join_store(local.as_mut_ptr(), mask, sum, alpha, self.join);
                    for (j, &x) in local.iter().enumerate().take(self.n) {
                        *row.offset(j as isize * c.cs) = x;
                    }
                }
            }
        }
    }
}
