//! The blocking loops around the micro-kernel, C's edges and its orientation.

use super::micro::{self, BPanel, Dest, Join, MR, NR};
use super::narrow::{self, NARROW};
use super::pack::panels;
use super::{k_block, KC};
use std::cell::RefCell;

/// Up to this many rows of C, whole `NR`-column panels of a row-major B with rows at most
/// `DIRECT_B_MAX_RS` apart are read in place: packing would copy B to read it a few times
/// (measured: 10×128×256 went from 70 to 105 GFLOP/s, 96×256×256 from ~130 to ~155).
/// Farther apart rows cost a page per step of k (at 1024 floats apart, 16×1024×1024 lost
/// a third), and a larger C rereads B often enough to pay for packing it.
const DIRECT_B_MAX_M: usize = 8 * MR;
const DIRECT_B_MAX_RS: usize = 384;

/// Rows of A packed per block (a multiple of `MR`).
pub(super) const MC: usize = 480;
/// Columns of B packed per block (a multiple of `NR`): `KC·NC` floats stay in L2.
pub(super) const NC: usize = 640;
/// `NR`-column panels of a packed block per group: the threaded product packs (and
/// shares) a block a group at a time.
pub(super) const GROUP_PANELS: usize = 4;
/// Groups in the widest block.
pub(super) const GROUPS: usize = NC.div_ceil(GROUP_PANELS * NR);

#[derive(Clone, Copy)]
pub struct Sizes {
    pub m: usize,
    pub k: usize,
    pub n: usize,
}

/// A read-only matrix: element (i, j) at `p[i·rs + j·cs]`.
#[derive(Clone, Copy)]
pub struct Operand {
    pub p: *const f32,
    pub rs: isize,
    pub cs: isize,
}

/// The output matrix, element (i, j) at `p[i·rs + j·cs]`.
#[derive(Clone, Copy)]
pub struct Output {
    pub p: *mut f32,
    pub rs: isize,
    pub cs: isize,
}

impl Operand {
    pub(super) fn t(self) -> Operand {
        Operand {
            p: self.p,
            rs: self.cs,
            cs: self.rs,
        }
    }
    /// # Safety
    /// Element (i, j) lies in the operand's allocation.
    pub(super) unsafe fn at(self, i: usize, j: usize) -> *const f32 {
        // SAFETY: forwarded.
        unsafe { self.p.offset(i as isize * self.rs + j as isize * self.cs) }
    }
}

impl Output {
    fn t(self) -> Output {
        Output {
            p: self.p,
            rs: self.cs,
            cs: self.rs,
        }
    }
    /// # Safety
    /// Element (i, j) lies in the output's allocation.
    pub(super) unsafe fn at(self, i: usize, j: usize) -> *mut f32 {
        // SAFETY: forwarded.
        unsafe { self.p.offset(i as isize * self.rs + j as isize * self.cs) }
    }
}

/// Fraction of the tiles' work that lands inside C (the rest is padding).
fn fill(rows: usize, cols: usize) -> f64 {
    (rows * cols) as f64 / (rows.next_multiple_of(MR) * cols.next_multiple_of(NR)) as f64
}

/// `c = alpha·a·b + beta·c` (see `super::sgemm`), on up to `threads` threads of the pool.
///
/// # Safety
/// The CPU has AVX-512F, and `super::sgemm`'s contract holds.
pub unsafe fn gemm(
    s: Sizes,
    alpha: f32,
    a: Operand,
    b: Operand,
    beta: f32,
    c: Output,
    threads: usize,
) {
    let Sizes { m, k, n } = s;
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // SAFETY: the caller's contract covers C.
        return unsafe { scale(m, n, beta, c) };
    }
    if let Some((s, a, b, c)) = narrow_problem(s, a, b, c) {
        // SAFETY: the same product, C's narrow side as its columns.
        return unsafe { narrow_rows(s, alpha, a, b, beta, c, threads) };
    }
    // Tiles run along C's rows: the transposed product pads less when C is narrow (say 10
    // columns), and stores rows when C is column-major. Row stores beat the in-register
    // transposes of `tile_cols`, hence the margin.
    let transpose = if c.cs == 1 {
        fill(n, m) > 1.3 * fill(m, n)
    } else {
        c.rs == 1 || fill(n, m) > fill(m, n)
    };
    let run = |bufs: &mut Buffers| {
        // SAFETY: as this function's; the transposed problem reads the same elements.
        unsafe {
            if transpose {
                blocked(
                    Sizes { m: n, k, n: m },
                    alpha,
                    b.t(),
                    a.t(),
                    beta,
                    c.t(),
                    bufs,
                    threads,
                )
            } else {
                blocked(s, alpha, a, b, beta, c, bufs, threads)
            }
        }
    };
    BUFFERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => run(&mut bufs),
        Err(_) => run(&mut Buffers::default()),
    })
}

/// The product as `narrow` runs it (C's at most `NARROW`-wide side as its columns), where
/// C is long and the tiles would pack the wide operand: they run with the narrow side as
/// C's rows, and read B in place only when it is row-major with rows close together.
pub(super) fn narrow_problem(
    s: Sizes,
    a: Operand,
    b: Operand,
    c: Output,
) -> Option<(Sizes, Operand, Operand, Output)> {
    let (s, a, b, c) = if s.n <= NARROW {
        (s, a, b, c)
    } else if s.m <= NARROW {
        (
            Sizes {
                m: s.n,
                k: s.k,
                n: s.m,
            },
            b.t(),
            a.t(),
            c.t(),
        )
    } else {
        return None;
    };
    let tiles = Sizes {
        m: s.n,
        k: s.k,
        n: s.m,
    };
    let packs = direct_columns(tiles, a.t(), NC.min(s.m)) == 0;
    (packs && s.m >= NARROW_MIN_ROWS).then_some((s, a, b, c))
}

/// The shortest C `narrow` takes (along its long side). Measured (one thread, fg/NumPy):
/// 1280×256×10 0.73-0.77 on the tiles, 0.61-0.63 here (×16: 1.22-1.30 against 0.72-0.74);
/// but 128×256×10 1.04-1.05 on the tiles, 1.09 here, where the tiles' packed copy of the
/// wide operand still fits in L2. Any length in the unit tests, which check its bits.
const NARROW_MIN_ROWS: usize = if cfg!(test) { 1 } else { 512 };

/// `narrow::gemm` over all of C's rows, in bands on up to `threads` threads of the pool
/// when C is long enough (the bands do not change a bit).
///
/// # Safety
/// The CPU has AVX-512F; as `narrow::gemm` for every row.
#[allow(clippy::too_many_arguments)]
unsafe fn narrow_rows(
    s: Sizes,
    alpha: f32,
    a: Operand,
    b: Operand,
    beta: f32,
    c: Output,
    threads: usize,
) {
    let band =
        s.m.div_ceil(threads * 4)
            .next_multiple_of(MR)
            .max(NARROW_BAND_MIN);
    let bands = s.m.div_ceil(band);
    if threads <= 1 || bands <= 1 {
        // SAFETY: forwarded.
        return unsafe { narrow::gemm(s, alpha, a, b, beta, c, 0..s.m) };
    }
    crate::parallel::for_each_task(bands, |t| {
        let rows = t * band..((t + 1) * band).min(s.m);
        // SAFETY: the bands are disjoint rows of C.
        unsafe { narrow::gemm(s, alpha, a, b, beta, c, rows) }
    });
}

/// The fewest rows of C a thread takes in a narrow product.
const NARROW_BAND_MIN: usize = 1024;

/// Packed panels, kept per thread between calls.
#[derive(Default)]
pub(super) struct Buffers {
    a: Vec<f32>,
    pub(super) b: Vec<f32>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// A 64-byte-aligned slice of `len` floats inside `v` (grown as needed).
pub(super) fn aligned(v: &mut Vec<f32>, len: usize) -> &mut [f32] {
    let need = len + 16;
    if v.len() < need {
        v.resize(need, 0.0);
    }
    let off = v.as_ptr().align_offset(64).min(16);
    &mut v[off..off + len]
}

/// # Safety
/// The CPU has AVX-512F; m, n, k > 0 and the operands are as `gemm`'s caller promised.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn blocked(
    s: Sizes,
    alpha: f32,
    a: Operand,
    b: Operand,
    beta: f32,
    c: Output,
    bufs: &mut Buffers,
    threads: usize,
) {
    if threads > 1 {
        // SAFETY: forwarded.
        return unsafe { super::shared::blocked(s, alpha, a, b, beta, c, bufs, threads) };
    }
    let Sizes { m, k, n } = s;
    let kb = k_block(k);
    debug_assert!(kb <= KC);
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        let direct = direct_columns(s, b, nc);
        for (step, pc) in (0..k).step_by(kb).enumerate() {
            let kc = kb.min(k - pc);
            let bp = aligned(&mut bufs.b, (nc - direct).next_multiple_of(NR) * kc);
            // SAFETY: the block rows pc..pc + kc, columns jc + direct..jc + nc lies inside
            // B; read transposed, its "rows" are B's columns.
            unsafe { panels::<NR>(nc - direct, kc, b.at(pc, jc + direct), b.cs, b.rs, bp) };
            let block = Block {
                kc,
                pc,
                jc,
                direct,
                packed_b: [bp.as_ptr(); GROUPS],
                join: join_of(step, beta),
            };
            // SAFETY: the whole block, as this function's contract gives.
            unsafe { sweep(&block, alpha, a, b, c, 0..m, 0..nc, &mut bufs.a) };
        }
    }
}

/// How the tiles of the `step`-th k-block join C.
pub(super) fn join_of(step: usize, beta: f32) -> Join {
    match step {
        0 if beta == 0.0 => Join::Overwrite,
        0 => Join::Scale(beta),
        _ => Join::Add,
    }
}

/// How many of a block's `nc` columns are read in place from B (whole `NR`-column
/// panels of a row-major B, when C has few rows); the rest is packed.
pub(super) fn direct_columns(s: Sizes, b: Operand, nc: usize) -> usize {
    let in_place = b.cs == 1 && b.rs.unsigned_abs() <= DIRECT_B_MAX_RS;
    if in_place && s.m <= DIRECT_B_MAX_M {
        nc / NR * NR
    } else {
        0
    }
}

/// One `kc×nc` block of B, packed (but for its first `direct` columns, read in place),
/// with where it sits and how its tiles join C. Packed panel `p` lies `p·NR·kc` floats
/// past `packed_b[p / GROUP_PANELS]`: every group's copy is laid out as a whole block, but
/// the groups may be copies in different buffers.
pub(super) struct Block {
    pub(super) kc: usize,
    pub(super) pc: usize,
    pub(super) jc: usize,
    pub(super) direct: usize,
    pub(super) packed_b: [*const f32; GROUPS],
    pub(super) join: Join,
}

// SAFETY: a `Block` only carries read-only addresses and sizes; the tasks sharing it read
// the packed panels, which its owner neither writes nor frees until they have all ended.
unsafe impl Sync for Block {}
// SAFETY: as `Block`: `Operand`s are read-only addresses...
unsafe impl Sync for Operand {}
// ...and an `Output` is written only in the disjoint parts of C each task is given.
unsafe impl Sync for Output {}

/// The rows `rows` (a range starting at a multiple of `MR`) and the block's columns `cols`
/// (relative to `jc`, starting at a multiple of `NR`) of C: A's rows packed `MC` at a time,
/// each tile one micro-kernel call.
///
/// # Safety
/// The CPU has AVX-512F; the block lies inside B and its packed panels are valid; `rows`
/// lie inside A and C, `cols` inside the block; nobody else writes those parts of C.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn sweep(
    block: &Block,
    alpha: f32,
    a: Operand,
    b: Operand,
    c: Output,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    abuf: &mut Vec<f32>,
) {
    let &Block {
        kc,
        pc,
        jc,
        direct,
        packed_b,
        join,
    } = block;
    for ic in rows.clone().step_by(MC) {
        let mc = MC.min(rows.end - ic);
        let ap = aligned(abuf, mc.next_multiple_of(MR) * kc);
        // SAFETY: rows ic..ic + mc, columns pc..pc + kc lie inside A.
        unsafe { panels::<MR>(mc, kc, a.at(ic, pc), a.rs, a.cs, ap) };
        for ir in (0..mc).step_by(MR) {
            let mr = MR.min(mc - ir);
            let pa = ap[ir * kc..].as_ptr();
            for jr in cols.clone().step_by(NR) {
                let nr = NR.min(cols.end - jr);
                let pb = if jr < direct {
                    BPanel {
                        // SAFETY: (pc, jc + jr) lies inside B.
                        p: unsafe { b.at(pc, jc + jr) },
                        step: b.rs,
                    }
                } else {
                    let panel = (jr - direct) / NR;
                    BPanel {
                        // SAFETY: panel `panel` of the packed block, in its group's copy.
                        p: unsafe { packed_b[panel / GROUP_PANELS].add(panel * NR * kc) },
                        step: NR as isize,
                    }
                };
                let d = Dest {
                    // SAFETY: the tile's corner (ic + ir, jc + jr) lies inside C.
                    c: unsafe { c.at(ic + ir, jc + jr) },
                    rs: c.rs,
                    cs: c.cs,
                    rows: mr,
                    cols: nr,
                };
                // SAFETY: the A panel holds kc·MR floats, the B panel NR at each of
                // its kc steps (packed, or B's own rows pc.., columns jc + jr ..
                // + NR, inside B as nr == NR there); the tile's
                // rows ic + ir .. + mr and columns jc + jr .. + nr are inside C.
                unsafe {
                    if c.cs == 1 {
                        micro::tile_rows(kc, alpha, pa, pb, join, d);
                    } else if c.rs == 1 {
                        micro::tile_cols(kc, alpha, pa, pb, join, d);
                    } else {
                        strided_tile(kc, alpha, pa, pb, join, d);
                    }
                }
            }
        }
    }
}

/// A tile for a C with neither stride 1: the same micro-kernel on a local copy, so the
/// arithmetic matches the other tiles.
///
/// # Safety
/// As `micro::tile_rows`, for any strides.
#[target_feature(enable = "avx512f")]
unsafe fn strided_tile(kc: usize, alpha: f32, a: *const f32, b: BPanel, join: Join, d: Dest) {
    let mut local = [0.0f32; MR * NR];
    let at = |i: usize, j: usize| i as isize * d.rs + j as isize * d.cs;
    if join != Join::Overwrite {
        for i in 0..d.rows {
            for j in 0..d.cols {
                // SAFETY: (i, j) lies in the caller's part of C.
                local[i * NR + j] = unsafe { *d.c.offset(at(i, j)) };
            }
        }
    }
    let whole = Dest {
        c: local.as_mut_ptr(),
        rs: NR as isize,
        cs: 1,
        ..d
    };
    // SAFETY: `local` is a whole MR×NR tile with row stride NR.
    unsafe { micro::tile_rows(kc, alpha, a, b, join, whole) };
    for i in 0..d.rows {
        for j in 0..d.cols {
            // SAFETY: as above.
            unsafe { *d.c.offset(at(i, j)) = local[i * NR + j] };
        }
    }
}

/// `c = beta·c` (`beta == 0` writes zeros over whatever C held).
///
/// # Safety
/// Every element of the `m×n` C lies in its allocation.
unsafe fn scale(m: usize, n: usize, beta: f32, c: Output) {
    for i in 0..m {
        for j in 0..n {
            // SAFETY: i < m, j < n.
            unsafe {
                let p = c.at(i, j);
                *p = if beta == 0.0 { 0.0 } else { *p * beta };
            }
        }
    }
}
