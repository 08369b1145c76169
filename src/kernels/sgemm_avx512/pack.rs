//! Packing: copy a block of A (or B), read through any strides, into the contiguous
//! micro-panels the micro-kernel walks, zero-padding the last panel to full width.

use std::arch::x86_64::*;

/// Packs the `rows×kc` block `src[i·rs + p·cs]` into `rows.div_ceil(W)` micro-panels of
/// `W` rows each, panel `q` at `dst[q·W·kc ..]` laid out `[p·W + r]`.
///
/// Used for A (rows of C, `W = MR`) and, through swapped strides, for B (columns of C,
/// `W = NR`: the B block `kc×cols` read as `cols×kc` with strides `(csb, rsb)`).
///
/// # Safety
/// The CPU has AVX-512F; every `src[i·rs + p·cs]` with i < rows, p < kc lies in one
/// allocation.
#[target_feature(enable = "avx512f")]
pub unsafe fn panels<const W: usize>(
    rows: usize,
    kc: usize,
    src: *const f32,
    rs: isize,
    cs: isize,
    dst: &mut [f32],
) {
    let n_panels = rows.div_ceil(W);
    for (q, panel) in dst.chunks_exact_mut(W * kc).take(n_panels).enumerate() {
        let i0 = q * W;
        let w = W.min(rows - i0);
        // SAFETY: rows i0..i0 + w < rows; the caller's promise covers them for p < kc.
        let base = unsafe { src.offset(i0 as isize * rs) };
        if rs == 1 && w == W {
            // Each step of k is W contiguous floats: a straight copy (of a length the
            // compiler knows, so no call to memcpy).
            for (p, out) in panel.chunks_exact_mut(W).enumerate() {
                // SAFETY: elements i0..i0 + W of column p, inside the block.
                let col = unsafe { std::slice::from_raw_parts(base.offset(p as isize * cs), W) };
                out.copy_from_slice(col);
            }
        } else if rs == 1 {
            for (p, out) in panel.chunks_exact_mut(W).enumerate() {
                // SAFETY: elements i0..i0 + w of column p, inside the block.
                let col = unsafe { std::slice::from_raw_parts(base.offset(p as isize * cs), w) };
                out[..w].copy_from_slice(col);
                out[w..].fill(0.0);
            }
        } else if cs == 1 {
            // Rows contiguous along k: transposed 16×16 at a time.
            // SAFETY: rows 0..w of `base`, kc long, lie in the block; the panel holds W·kc.
            unsafe { transpose_rows::<W>(w, kc, base, rs, panel) };
        } else {
            for (p, out) in panel.chunks_exact_mut(W).enumerate() {
                for (r, o) in out.iter_mut().enumerate() {
                    *o = if r < w {
                        // SAFETY: i0 + r < rows, p < kc.
                        unsafe { *base.offset(r as isize * rs + p as isize * cs) }
                    } else {
                        0.0
                    };
                }
            }
        }
    }
}

/// One `W`-row panel from `w ≤ W` rows `base[r·rs + p]` (p < kc), rows `w..W` zero.
///
/// # Safety
/// The CPU has AVX-512F; those elements lie in one allocation; `panel.len() == W·kc`.
#[target_feature(enable = "avx512f")]
unsafe fn transpose_rows<const W: usize>(
    w: usize,
    kc: usize,
    base: *const f32,
    rs: isize,
    panel: &mut [f32],
) {
    debug_assert_eq!(panel.len(), W * kc);
    let out = panel.as_mut_ptr();
    for g in (0..W).step_by(16) {
        let store = ((1u32 << (W - g).min(16)) - 1) as __mmask16;
        let valid_rows = w.saturating_sub(g).min(16);
        for p0 in (0..kc).step_by(16) {
            let steps = (kc - p0).min(16);
            let load = ((1u32 << steps) - 1) as __mmask16;
            let m: [__m512; 16] = std::array::from_fn(|i| {
                if i < valid_rows {
                    // SAFETY: row g + i < w, elements p0..p0 + steps < kc (the mask
                    // leaves the rest unread).
                    unsafe {
                        _mm512_maskz_loadu_ps(load, base.offset((g + i) as isize * rs).add(p0))
                    }
                } else {
                    _mm512_setzero_ps()
                }
            });
            let t = transpose16(m);
            for (q, col) in t.iter().enumerate().take(steps) {
                // SAFETY: (p0 + q)·W + g + lanes < kc·W: inside the panel.
                unsafe { _mm512_mask_storeu_ps(out.add((p0 + q) * W + g), store, *col) };
            }
        }
    }
}

/// The transpose of a 16×16 block held as 16 rows.
#[inline]
#[target_feature(enable = "avx512f")]
pub fn transpose16(r: [__m512; 16]) -> [__m512; 16] {
    // Pairs of rows interleaved, then quads: lane L of u[4i + j] is column 4L + j of
    // rows 4i..4i + 4.
    let mut t = [_mm512_setzero_ps(); 16];
    for i in 0..8 {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    let mut u = [_mm512_setzero_ps(); 16];
    for i in 0..4 {
        let (a0, a1, b0, b1) = (t[4 * i], t[4 * i + 1], t[4 * i + 2], t[4 * i + 3]);
        u[4 * i] = _mm512_shuffle_ps::<0x44>(a0, b0);
        u[4 * i + 1] = _mm512_shuffle_ps::<0xEE>(a0, b0);
        u[4 * i + 2] = _mm512_shuffle_ps::<0x44>(a1, b1);
        u[4 * i + 3] = _mm512_shuffle_ps::<0xEE>(a1, b1);
    }
    // Then the 128-bit lanes gathered across the four quads of rows.
    let mut out = [_mm512_setzero_ps(); 16];
    for j in 0..4 {
        let v0 = _mm512_shuffle_f32x4::<0x44>(u[j], u[4 + j]);
        let v1 = _mm512_shuffle_f32x4::<0xEE>(u[j], u[4 + j]);
        let w0 = _mm512_shuffle_f32x4::<0x44>(u[8 + j], u[12 + j]);
        let w1 = _mm512_shuffle_f32x4::<0xEE>(u[8 + j], u[12 + j]);
        out[j] = _mm512_shuffle_f32x4::<0x88>(v0, w0);
        out[4 + j] = _mm512_shuffle_f32x4::<0xDD>(v0, w0);
        out[8 + j] = _mm512_shuffle_f32x4::<0x88>(v1, w1);
        out[12 + j] = _mm512_shuffle_f32x4::<0xDD>(v1, w1);
    }
    out
}
