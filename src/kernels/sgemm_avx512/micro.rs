//! The register-blocked AVX-512 micro-kernel: an `MR×NR` tile of C held in 24 zmm
//! accumulators (`MR` rows, each two 16-float vectors along the columns), updated by one
//! rank-1 product per step of k: two vector loads of packed B, `MR` broadcasts of packed A,
//! `2·MR` fused multiply-adds.
//!
//! Every element of the tile sums its `kc` products in order from zero with one FMA each,
//! then joins C once (`alpha·acc + beta·c`, or `alpha·acc + c` for later k-blocks), so its
//! bits depend only on its own row of A, column of B and the k-blocking: never on where
//! the tile sits in C, how much of it C keeps, or which way it is stored.

use super::pack::transpose16;
use std::arch::x86_64::*;

/// Rows of C per tile (broadcast from packed A).
pub const MR: usize = 12;
/// Columns of C per tile: two zmm vectors of 16 floats (loaded from packed B).
pub const NR: usize = 32;

/// How a finished tile joins C.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Join {
    /// `c = alpha·acc` (C is not read: NaN or garbage there is ignored).
    Overwrite,
    /// `c = alpha·acc + beta·c`.
    Scale(f32),
    /// `c = alpha·acc + c`.
    Add,
}

/// Where a tile goes: its corner in C, the strides, and how many of its `MR` rows and
/// `NR` columns lie inside C.
#[derive(Clone, Copy)]
pub struct Dest {
    pub c: *mut f32,
    pub rs: isize,
    pub cs: isize,
    pub rows: usize,
    pub cols: usize,
}

/// A micro-panel of B: `NR` contiguous floats per step of k, `step` floats apart (`NR`
/// when packed; B's row stride when read in place).
#[derive(Clone, Copy)]
pub struct BPanel {
    pub p: *const f32,
    pub step: isize,
}

type Acc = [[__m512; 2]; MR];

/// The tile's sums: `acc[r][h]` lane `l` is `Σ_p a[p·MR + r]·b.p[p·b.step + 16h + l]`.
///
/// # Safety
/// The CPU has AVX-512F; `a` holds `kc·MR` floats and `b` `NR` floats at each of its
/// `kc` steps.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn accumulate(kc: usize, a: *const f32, b: BPanel) -> Acc {
    let mut acc = [[_mm512_setzero_ps(); 2]; MR];
    let (mut a, mut b, step) = (a, b.p, b.step);
    for _ in 0..kc {
        // SAFETY: step p < kc reads a[p·MR .. p·MR + MR] and b[p·step .. p·step + NR],
        // inside the panels the caller promised.
        unsafe {
            let b0 = _mm512_loadu_ps(b);
            let b1 = _mm512_loadu_ps(b.add(16));
            for (r, row) in acc.iter_mut().enumerate() {
                let ar = _mm512_set1_ps(*a.add(r));
                row[0] = _mm512_fmadd_ps(ar, b0, row[0]);
                row[1] = _mm512_fmadd_ps(ar, b1, row[1]);
            }
            a = a.add(MR);
            b = b.offset(step);
        }
    }
    acc
}

/// `alpha·v` joined with what C holds at `p` (the `mask` lanes).
///
/// # Safety
/// The CPU has AVX-512F; the `mask` lanes at `p` lie in C.
#[inline]
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn join_store(
    p: *mut f32,
    mask: __mmask16,
    v: __m512,
    alpha: __m512,
    join: Join,
) {
    // SAFETY: masked loads and stores touch only the caller's lanes.
    unsafe {
        let out = match join {
            Join::Overwrite => _mm512_mul_ps(v, alpha),
            Join::Scale(beta) => {
                let old = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, p), _mm512_set1_ps(beta));
                _mm512_fmadd_ps(v, alpha, old)
            }
            Join::Add => _mm512_fmadd_ps(v, alpha, _mm512_maskz_loadu_ps(mask, p)),
        };
        _mm512_mask_storeu_ps(p, mask, out);
    }
}

/// The first `n` of 16 lanes.
pub(super) fn lanes(n: usize) -> __mmask16 {
    ((1u32 << n.min(16)) - 1) as __mmask16
}

/// One tile into C whose column stride is 1 (`d.cs == 1`): each row of the tile is two
/// masked vector stores.
///
/// # Safety
/// The CPU has AVX-512F; `a` holds `kc·MR` floats, `b` `kc` steps; `d.rows ≤ MR`,
/// `d.cols ≤ NR`, and those elements of C lie in one allocation nobody else touches.
#[target_feature(enable = "avx512f")]
pub unsafe fn tile_rows(kc: usize, alpha: f32, a: *const f32, b: BPanel, join: Join, d: Dest) {
    for r in 0..d.rows {
        // SAFETY: row r < d.rows of the tile lies in C: warm its lines for the store.
        unsafe {
            let p = d.c.offset(r as isize * d.rs) as *const i8;
            _mm_prefetch::<_MM_HINT_T0>(p);
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(127));
        }
    }
    // SAFETY: the caller's panels.
    let acc = unsafe { accumulate(kc, a, b) };
    let alpha = _mm512_set1_ps(alpha);
    let masks = [lanes(d.cols), lanes(d.cols.saturating_sub(16))];
    for (r, row) in acc.iter().enumerate().take(d.rows) {
        for h in 0..2 {
            // SAFETY: row r < d.rows, the masked columns < d.cols: inside the tile.
            unsafe {
                let p = d.c.offset(r as isize * d.rs).add(16 * h);
                join_store(p, masks[h], row[h], alpha, join);
            }
        }
    }
}

/// One tile into C whose row stride is 1 (`d.rs == 1`): the accumulators are transposed
/// in registers so each column of the tile is one masked vector store.
///
/// # Safety
/// As [`tile_rows`], with `d.rs == 1`.
#[target_feature(enable = "avx512f")]
pub unsafe fn tile_cols(kc: usize, alpha: f32, a: *const f32, b: BPanel, join: Join, d: Dest) {
    // SAFETY: the caller's panels.
    let acc = unsafe { accumulate(kc, a, b) };
    let alpha = _mm512_set1_ps(alpha);
    let mask = lanes(d.rows);
    for h in 0..2 {
        let mut block = [_mm512_setzero_ps(); 16];
        for (dst, row) in block.iter_mut().zip(&acc) {
            *dst = row[h];
        }
        let cols = transpose16(block);
        for (q, &col) in cols.iter().enumerate().take(d.cols.saturating_sub(16 * h)) {
            // SAFETY: column 16h + q < d.cols, the masked rows < d.rows: inside the tile.
            unsafe {
                let p = d.c.offset((16 * h + q) as isize * d.cs);
                join_store(p, mask, col, alpha, join);
            }
        }
    }
}
