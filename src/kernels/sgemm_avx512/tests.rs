use super::sgemm_with;

/// The AVX-512 path where the CPU has it, and always the portable one.
fn paths() -> Vec<bool> {
    let mut out = vec![false];
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx512f") {
        out.push(true);
    }
    out
}

/// Deterministic values in [-1, 1).
fn values(len: usize, seed: u64) -> Vec<f32> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    (0..len)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

/// One product to check: sizes, layouts, scalars and the base offsets of the slices.
#[derive(Clone, Copy, Debug)]
struct Case {
    m: usize,
    k: usize,
    n: usize,
    a_cols: bool,
    b_cols: bool,
    c_cols: bool,
    alpha: f32,
    beta: f32,
    pad: usize,
    offset: usize,
}

impl Case {
    fn new(m: usize, k: usize, n: usize) -> Case {
        Case {
            m,
            k,
            n,
            a_cols: false,
            b_cols: false,
            c_cols: false,
            alpha: 1.0,
            beta: 0.0,
            pad: 0,
            offset: 0,
        }
    }
}

/// Strides of an `r×c` matrix stored row-major, or column-major when `cols`, with
/// `pad` spare elements after each row (column).
fn strides(r: usize, c: usize, cols: bool, pad: usize) -> (isize, isize, usize) {
    if cols {
        (1, (r + pad) as isize, (r + pad) * c)
    } else {
        ((c + pad) as isize, 1, (c + pad) * r)
    }
}

/// Runs `case` on one path; checks it against a float64 reference and returns C
/// (padding included).
fn check(case: Case, avx512: bool) -> Vec<f32> {
    let Case {
        m,
        k,
        n,
        alpha,
        beta,
        pad,
        offset,
        ..
    } = case;
    let (rsa, csa, la) = strides(m, k, case.a_cols, 0);
    let (rsb, csb, lb) = strides(k, n, case.b_cols, 0);
    let (rsc, csc, lc) = strides(m, n, case.c_cols, pad);
    let a = values(la + offset, (m * 131 + k) as u64);
    let b = values(lb + offset, (k * 71 + n) as u64);
    let mut c = if beta == 0.0 {
        vec![f32::NAN; lc + offset]
    } else {
        values(lc + offset, (m + n * 7) as u64)
    };
    let c0 = c.clone();
    let (ia, ib, ic) = (
        |i: usize, p: usize| offset + (i as isize * rsa + p as isize * csa) as usize,
        |p: usize, j: usize| offset + (p as isize * rsb + j as isize * csb) as usize,
        |i: usize, j: usize| offset + (i as isize * rsc + j as isize * csc) as usize,
    );
    // SAFETY: the strides keep every element inside the vectors (built from them).
    unsafe {
        sgemm_with(
            avx512,
            m,
            k,
            n,
            alpha,
            a.as_ptr().add(offset),
            rsa,
            csa,
            b.as_ptr().add(offset),
            rsb,
            csb,
            beta,
            c.as_mut_ptr().add(offset),
            rsc,
            csc,
        )
    };
    // A's rows and B's columns gathered in float64, so the dots run over slices.
    let rows: Vec<Vec<f64>> = (0..m)
        .map(|i| (0..k).map(|p| a[ia(i, p)] as f64).collect())
        .collect();
    let cols: Vec<Vec<f64>> = (0..n)
        .map(|j| (0..k).map(|p| b[ib(p, j)] as f64).collect())
        .collect();
    let mut inside = vec![false; c.len()];
    for (i, row) in rows.iter().enumerate() {
        for (j, col) in cols.iter().enumerate() {
            inside[ic(i, j)] = true;
            let (mut dot, mut size) = (0.0f64, 0.0f64);
            for (x, y) in row.iter().zip(col) {
                dot += x * y;
                size += (x * y).abs();
            }
            let old = if beta == 0.0 {
                0.0
            } else {
                beta as f64 * c0[ic(i, j)] as f64
            };
            let want = alpha as f64 * dot + old;
            let tol =
                (k as f64 + 2.0) * f32::EPSILON as f64 * (alpha.abs() as f64 * size + old.abs());
            let got = c[ic(i, j)] as f64;
            assert!(
                (got - want).abs() <= tol,
                "{case:?} avx512={avx512} at ({i}, {j}): got {got}, want {want}"
            );
        }
    }
    for (idx, (&x, &x0)) in c.iter().zip(&c0).enumerate() {
        if !inside[idx] {
            assert_eq!(
                x.to_bits(),
                x0.to_bits(),
                "{case:?}: wrote outside C at {idx}"
            );
        }
    }
    c
}

/// Side of the base matrices the every-size test views: its A, B and C are corners of
/// them, so one table of prefix sums serves as the reference for every shape.
const SIDE: usize = 40;

#[test]
fn every_size_up_to_40_matches_the_reference() {
    let base_a = values(SIDE * SIDE, 11);
    let base_b = values(SIDE * SIDE, 12);
    // Element (i, j) of a view of a base: row-major `i·SIDE + j`, or column-major.
    let at = |cols: bool, i: usize, j: usize| if cols { i + j * SIDE } else { i * SIDE + j };
    // For each layout pair, prefix[(i·SIDE + j)·(SIDE + 1) + k] = Σ_{p<k} A(i, p)·B(p, j)
    // in float64, and the same for |A(i, p)·B(p, j)|.
    let tables: Vec<(Vec<f64>, Vec<f64>)> = (0..4)
        .map(|layout| {
            let (a_cols, b_cols) = (layout & 1 == 1, layout & 2 == 2);
            let mut dot = vec![0.0; SIDE * SIDE * (SIDE + 1)];
            let mut size = dot.clone();
            for i in 0..SIDE {
                for j in 0..SIDE {
                    let at_ij = (i * SIDE + j) * (SIDE + 1);
                    for p in 0..SIDE {
                        let t = base_a[at(a_cols, i, p)] as f64 * base_b[at(b_cols, p, j)] as f64;
                        dot[at_ij + p + 1] = dot[at_ij + p] + t;
                        size[at_ij + p + 1] = size[at_ij + p] + t.abs();
                    }
                }
            }
            (dot, size)
        })
        .collect();
    let rsc = SIDE + 1; // C is a corner of a wider matrix: a row stride above n.
    let old = values(SIDE * rsc, 13);
    for avx512 in paths() {
        for m in 0..=SIDE {
            for k in 0..=SIDE {
                for n in 0..=SIDE {
                    if !avx512 && (m + k + n) % 5 != 0 {
                        continue; // `matrixmultiply` has its own tests: a sample suffices.
                    }
                    let layout = (m + 2 * n + k) % 4;
                    let (a_cols, b_cols) = (layout & 1 == 1, layout & 2 == 2);
                    let (alpha, beta) = [(1.0, 0.0), (-0.5, 1.0), (2.0, 0.75)][(m + k + n) % 3];
                    let mut c = if beta == 0.0 {
                        vec![f32::NAN; SIDE * rsc]
                    } else {
                        old.clone()
                    };
                    let ((rsa, csa), (rsb, csb)) = (strides_of(a_cols), strides_of(b_cols));
                    // SAFETY: the views are corners of SIDE×SIDE bases; C's of SIDE×rsc.
                    unsafe {
                        sgemm_with(
                            avx512,
                            m,
                            k,
                            n,
                            alpha,
                            base_a.as_ptr(),
                            rsa,
                            csa,
                            base_b.as_ptr(),
                            rsb,
                            csb,
                            beta,
                            c.as_mut_ptr(),
                            rsc as isize,
                            1,
                        )
                    };
                    let (dot, size) = &tables[layout];
                    for (idx, &got) in c.iter().enumerate() {
                        let (i, j) = (idx / rsc, idx % rsc);
                        if i >= m || j >= n {
                            let want = if beta == 0.0 { f32::NAN } else { old[idx] };
                            assert_eq!(
                                got.to_bits(),
                                want.to_bits(),
                                "{m}x{k}x{n}: wrote outside C"
                            );
                            continue;
                        }
                        let t = (i * SIDE + j) * (SIDE + 1) + k;
                        let prev = if beta == 0.0 {
                            0.0
                        } else {
                            beta as f64 * old[idx] as f64
                        };
                        let want = alpha as f64 * dot[t] + prev;
                        let tol = (k as f64 + 2.0)
                            * f32::EPSILON as f64
                            * (alpha.abs() as f64 * size[t] + prev.abs());
                        assert!(
                            (got as f64 - want).abs() <= tol,
                            "{m}x{k}x{n} layout {layout} avx512={avx512} at ({i}, {j}): got {got}, want {want}"
                        );
                    }
                }
            }
        }
    }
}

fn strides_of(cols: bool) -> (isize, isize) {
    if cols {
        (1, SIDE as isize)
    } else {
        (SIDE as isize, 1)
    }
}

#[test]
fn larger_odd_sizes_in_every_layout() {
    let sizes = [1, 7, 15, 16, 17, 31, 33, 63, 65, 127, 129, 300];
    let small = [0, 1, 3, 12, 13, 40];
    for avx512 in paths() {
        let mut shapes = vec![];
        for &x in &sizes {
            for &y in &small {
                shapes.extend([
                    (x, y, y),
                    (y, x, y),
                    (y, y, x),
                    (x, x, y),
                    (y, x, x),
                    (x, y, x),
                ]);
            }
        }
        shapes.extend([
            (300, 300, 300),
            (129, 800, 65),
            (12, 1000, 32),
            (500, 17, 700),
        ]);
        for (idx, &(m, k, n)) in shapes.iter().enumerate() {
            let mut case = Case::new(m, k, n);
            case.a_cols = idx % 2 == 1;
            case.b_cols = idx / 2 % 2 == 1;
            case.beta = [0.0, 1.0, 0.25][idx % 3];
            check(case, avx512);
        }
    }
}

#[test]
fn layouts_scalars_sub_matrices_and_offsets() {
    for avx512 in paths() {
        for (m, k, n) in [(45, 70, 77), (13, 385, 33), (100, 9, 10), (10, 64, 100)] {
            for layout in 0..8 {
                for (alpha, beta) in [(1.0, 0.0), (-1.5, 1.0), (0.0, 2.0), (2.0, -0.5), (0.0, 0.0)]
                {
                    for (pad, offset) in [(0, 0), (3, 1), (0, 2), (5, 3)] {
                        let case = Case {
                            a_cols: layout & 1 == 1,
                            b_cols: layout & 2 == 2,
                            c_cols: layout & 4 == 4,
                            alpha,
                            beta,
                            pad,
                            offset,
                            ..Case::new(m, k, n)
                        };
                        check(case, avx512);
                    }
                }
            }
        }
    }
}

#[test]
fn bits_do_not_depend_on_the_band_of_c() {
    // Any block of rows or columns of C, computed alone, has the bits it has in the
    // whole product (what `gemm_split`'s threads rely on), in every layout of C.
    for avx512 in paths().into_iter().filter(|&fast| fast) {
        for (m, k, n) in [
            (300, 200, 130),
            (130, 800, 300),
            (517, 129, 65),
            (40, 1000, 11),
        ] {
            for c_cols in [false, true] {
                let a = values(m * k, 1);
                let b = values(k * n, 2);
                let (rsc, csc, lc) = strides(m, n, c_cols, 0);
                let run = |rows: std::ops::Range<usize>, cols: std::ops::Range<usize>| {
                    let mut c = values(lc, 3);
                    let off = rows.start as isize * rsc + cols.start as isize * csc;
                    // SAFETY: the sub-block lies inside a, b and c.
                    unsafe {
                        sgemm_with(
                            avx512,
                            rows.len(),
                            k,
                            cols.len(),
                            0.5,
                            a.as_ptr().add(rows.start * k),
                            k as isize,
                            1,
                            b.as_ptr().add(cols.start),
                            n as isize,
                            1,
                            1.0,
                            c.as_mut_ptr().offset(off),
                            rsc,
                            csc,
                        )
                    };
                    (c, off)
                };
                let (whole, _) = run(0..m, 0..n);
                for (rows, cols) in [
                    (5..m, 0..n),
                    (0..m - 7, 3..n),
                    (1..2, 0..n),
                    (0..m, n - 1..n),
                    (m / 3..m / 2, n / 5..n - 1),
                ] {
                    let (part, _) = run(rows.clone(), cols.clone());
                    for i in rows.clone() {
                        for j in cols.clone() {
                            let at = (i as isize * rsc + j as isize * csc) as usize;
                            assert_eq!(
                                whole[at].to_bits(),
                                part[at].to_bits(),
                                "{m}x{k}x{n} c_cols={c_cols} rows {rows:?} cols {cols:?} at ({i}, {j})"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// `case`'s A, B and C (NaN where beta is 0: C is not to be read) and their strides.
struct Data {
    a: Vec<f32>,
    b: Vec<f32>,
    c: Vec<f32>,
    strides: [(isize, isize); 3],
}

fn data(case: Case) -> Data {
    let Case { m, k, n, beta, .. } = case;
    let (rsa, csa, la) = strides(m, k, case.a_cols, 0);
    let (rsb, csb, lb) = strides(k, n, case.b_cols, 0);
    let (rsc, csc, lc) = strides(m, n, case.c_cols, case.pad);
    Data {
        a: values(la, (m * 131 + k) as u64),
        b: values(lb, (k * 71 + n) as u64),
        c: if beta == 0.0 {
            vec![f32::NAN; lc]
        } else {
            values(lc, (m + n * 7) as u64)
        },
        strides: [(rsa, csa), (rsb, csb), (rsc, csc)],
    }
}

/// C from `sgemm_threaded` on `threads` threads of the pool.
fn threaded(case: Case, threads: usize) -> Vec<f32> {
    let Case { m, k, n, beta, .. } = case;
    let Data {
        a,
        b,
        mut c,
        strides: [(rsa, csa), (rsb, csb), (rsc, csc)],
    } = data(case);
    crate::parallel::with_threads(threads, || {
        // SAFETY: the strides keep every element inside the vectors (built from them).
        let ran = unsafe {
            super::sgemm_threaded(
                threads,
                m,
                k,
                n,
                case.alpha,
                a.as_ptr(),
                rsa,
                csa,
                b.as_ptr(),
                rsb,
                csb,
                beta,
                c.as_mut_ptr(),
                rsc,
                csc,
            )
        };
        assert!(ran, "the AVX-512 kernel runs on this CPU");
    });
    c
}

#[test]
fn threads_share_the_tiles_without_changing_a_bit() {
    if !paths().contains(&true) {
        return;
    }
    let _g = crate::parallel::TEST_LOCK.lock();
    let mut cases = vec![
        Case::new(1000, 300, 700), // row bands
        Case::new(40, 200, 1500),  // few rows: the block's columns split too
        Case::new(90, 100, 1300),  // B read in place (m <= 96), columns split
        Case::new(700, 50, 9),     // narrow C: `narrow`'s kernel, one band
        Case::new(3000, 40, 7),    // narrow C in bands of rows
        Case::new(9, 300, 350),    // few rows, B read in place: the tiles
        Case::new(13, 1000, 37),   // too small to split much: one task per thread
    ];
    let mut strided = Case::new(300, 129, 650);
    strided.c_cols = true;
    strided.beta = 0.5;
    strided.pad = 3;
    cases.push(strided);
    let mut transposed_a = Case::new(500, 400, 333);
    transposed_a.a_cols = true;
    transposed_a.b_cols = true;
    transposed_a.beta = 1.0;
    cases.push(transposed_a);
    // one operand transposed (a backward pass's `G @ Bᵀ` and `Aᵀ @ G`), two k-blocks
    let mut a_t = Case::new(400, 700, 300);
    a_t.a_cols = true;
    cases.push(a_t);
    let mut b_t = Case::new(400, 700, 300);
    b_t.b_cols = true;
    cases.push(b_t);
    // three k-blocks in each of three column blocks: past the tests' `SHARED_B_MAX` the
    // slots are reused or the tasks pack their own copies, and each rectangle adds its
    // k-blocks in order
    let mut deep = Case::new(100, 800, 1300);
    deep.beta = 1.0;
    cases.push(deep);
    // B read in place while k is cut in blocks
    let mut direct = Case::new(90, 777, 700);
    direct.beta = 0.5;
    cases.push(direct);
    cases.push(Case::new(1, 1, 1));
    for case in cases {
        let one = threaded(case, 1);
        for threads in [2, 3, 5] {
            let many = threaded(case, threads);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&one), bits(&many), "{case:?} on {threads} threads");
        }
    }
}

/// C from the tiles alone (`driver::blocked`, never `narrow`'s kernel), for `case`.
#[cfg(target_arch = "x86_64")]
fn tiles(case: Case) -> Vec<f32> {
    use super::driver::{blocked, Buffers, Operand, Output, Sizes};
    let Case { m, k, n, beta, .. } = case;
    let Data {
        a,
        b,
        mut c,
        strides: [(rsa, csa), (rsb, csb), (rsc, csc)],
    } = data(case);
    let (a, b) = (
        Operand {
            p: a.as_ptr(),
            rs: rsa,
            cs: csa,
        },
        Operand {
            p: b.as_ptr(),
            rs: rsb,
            cs: csb,
        },
    );
    let out = Output {
        p: c.as_mut_ptr(),
        rs: rsc,
        cs: csc,
    };
    // SAFETY: the CPU has AVX-512F (the caller checked); the strides keep every element
    // inside the vectors (built from them).
    unsafe {
        blocked(
            Sizes { m, k, n },
            case.alpha,
            a,
            b,
            beta,
            out,
            &mut Buffers::default(),
            1,
        )
    };
    c
}

#[cfg(target_arch = "x86_64")]
#[test]
fn narrow_products_match_the_reference_and_the_tiles_bits() {
    use super::driver::{narrow_problem, Operand, Output, Sizes};
    if !paths().contains(&true) {
        return;
    }
    // `h @ w2` of a 10-wide layer takes the narrow kernel; `hᵀ @ g` (B read in place) not
    let h = Operand {
        p: std::ptr::null(),
        rs: 256,
        cs: 1,
    };
    let w2 = Operand {
        p: std::ptr::null(),
        rs: 10,
        cs: 1,
    };
    let c = Output {
        p: std::ptr::null_mut(),
        rs: 10,
        cs: 1,
    };
    assert!(narrow_problem(
        Sizes {
            m: 1280,
            k: 256,
            n: 10
        },
        h,
        w2,
        c
    )
    .is_some());
    assert!(narrow_problem(
        Sizes {
            m: 256,
            k: 1280,
            n: 10
        },
        h.t(),
        w2,
        c
    )
    .is_none());
    for m in [1, 13, 37] {
        for k in [1, 2, 15, 16, 17, 33, 400] {
            for n in 1..=33 {
                for layout in 0..8 {
                    let mut case = Case::new(m, k, n);
                    case.a_cols = layout & 1 != 0;
                    case.b_cols = layout & 2 != 0;
                    case.c_cols = layout & 4 != 0;
                    case.pad = 1;
                    if (m + n + k) % 2 == 1 {
                        case.beta = 0.5;
                        case.alpha = -0.75;
                    }
                    let got = check(case, true);
                    let want = tiles(case);
                    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&got), bits(&want), "{case:?}");
                }
            }
        }
    }
}
