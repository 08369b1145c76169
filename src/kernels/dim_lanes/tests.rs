use super::*;

/// Deterministic values in [-4, 4) with some repeats (ties).
fn values(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 40) % 64) as f32 / 8.0 - 4.0
        })
        .collect()
}

/// The first index of the max (min), a NaN winning, by a plain scan.
fn naive_extreme(s: &[f32], is_max: bool) -> usize {
    let mut best = 0;
    for k in 1..s.len() {
        if s[best].is_nan() {
            break;
        }
        if s[k].is_nan() || (is_max && s[k] > s[best]) || (!is_max && s[k] < s[best]) {
            best = k;
        }
    }
    best
}

#[test]
fn run_extremes_match_a_plain_scan_with_ties_and_nan() {
    for n in [1, 2, 15, 16, 17, 33, 100, 1001] {
        for seed in 0..4 {
            let mut v = values(n, seed);
            if seed == 3 && n > 5 {
                v[n / 2] = f32::NAN;
                v[n - 1] = f32::NAN;
            }
            for is_max in [true, false] {
                let want = naive_extreme(&v, is_max);
                let (m, i) = run_extreme(&v, is_max);
                assert_eq!(i, want, "n={n} seed={seed} is_max={is_max}");
                assert_eq!(m.to_bits(), v[want].to_bits());
                assert_eq!(run_extreme_value(&v, is_max).is_nan(), v[want].is_nan());
            }
        }
    }
}

#[test]
fn row_extremes_match_each_column_scanned() {
    let (n, inner) = (37, 19);
    let mut v = values(n * inner, 7);
    v[5 * inner + 3] = f32::NAN;
    for is_max in [true, false] {
        let mut vals = vec![0.0f32; inner];
        let mut idx = vec![0i64; inner];
        rows_extreme(&v, n, &mut vals, &mut idx, is_max);
        let mut only = vec![0.0f32; inner];
        rows_extreme_value(&v, n, &mut only, is_max);
        for j in 0..inner {
            let col: Vec<f32> = (0..n).map(|k| v[k * inner + j]).collect();
            let want = naive_extreme(&col, is_max);
            assert_eq!(idx[j], want as i64);
            assert_eq!(vals[j].to_bits(), col[want].to_bits());
            assert_eq!(only[j].to_bits(), col[want].to_bits());
        }
    }
}

/// Softmax (log) of one lane in float64.
fn reference_softmax(lane: &[f64], log: bool) -> Vec<f64> {
    let m = lane.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let s: f64 = lane.iter().map(|x| (x - m).exp()).sum();
    lane.iter()
        .map(|x| {
            if log {
                x - m - s.ln()
            } else {
                (x - m).exp() / s
            }
        })
        .collect()
}

#[test]
fn softmax_blocks_match_float64_along_runs_and_rows() {
    for (n, inner) in [(1, 1), (7, 1), (1000, 1), (5, 3), (33, 17), (2, 64)] {
        let v = values(n * inner, (n + inner) as u64);
        for log in [false, true] {
            let mut dst = vec![0.0f32; n * inner];
            let mut scratch = vec![0.0f32; if inner == 1 { n } else { 2 * inner }];
            softmax_block(&v, &mut dst, inner, &mut scratch, log);
            for j in 0..inner {
                let lane: Vec<f64> = (0..n).map(|k| v[k * inner + j] as f64).collect();
                let want = reference_softmax(&lane, log);
                for k in 0..n {
                    let got = dst[k * inner + j] as f64;
                    let tol = 2e-6 * want[k].abs().max(1e-3);
                    assert!(
                        (got - want[k]).abs() <= tol,
                        "{n}x{inner} log={log}: {got} vs {}",
                        want[k]
                    );
                }
            }
        }
    }
}

#[test]
fn softmax_blocks_poison_lanes_with_nan_or_inf() {
    let v = [1.0f32, f32::NAN, 2.0, 0.5, f32::INFINITY, 0.0];
    for log in [false, true] {
        // two lanes along runs of 3
        for lane in v.chunks(3) {
            let mut dst = [0.0f32; 3];
            softmax_block(lane, &mut dst, 1, &mut [0.0; 3], log);
            assert!(dst.iter().all(|x| x.is_nan()));
        }
        // three columns of two rows: column 1 holds NaN, column 1 of row 2 inf... all of
        // columns 0 and 2 stay finite
        let mut dst = [0.0f32; 6];
        softmax_block(&v, &mut dst, 3, &mut [0.0; 6], log);
        assert!(dst[1].is_nan() && dst[4].is_nan());
        assert!(dst[0].is_finite() && dst[2].is_finite() && dst[5].is_finite());
    }
}

#[test]
fn softmax_backward_blocks_match_the_formula() {
    for (n, inner) in [(9, 1), (100, 1), (6, 5)] {
        let x = values(n * inner, 3);
        let g = values(n * inner, 4);
        for log in [false, true] {
            let mut y = vec![0.0f32; n * inner];
            let mut scratch = vec![0.0f32; if inner == 1 { n } else { 2 * inner }];
            softmax_block(&x, &mut y, inner, &mut scratch, log);
            let mut dst = vec![0.0f32; n * inner];
            softmax_backward_block(&g, &y, &mut dst, inner, log);
            for j in 0..inner {
                let at = |k: usize| k * inner + j;
                let s: f64 = (0..n)
                    .map(|k| {
                        if log {
                            g[at(k)] as f64
                        } else {
                            (g[at(k)] * y[at(k)]) as f64
                        }
                    })
                    .sum();
                for k in 0..n {
                    let (gk, yk) = (g[at(k)] as f64, y[at(k)] as f64);
                    let want = if log {
                        gk - yk.exp() * s
                    } else {
                        yk * (gk - s)
                    };
                    let got = dst[at(k)] as f64;
                    assert!(
                        (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                        "{got} vs {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn logsumexp_blocks_match_float64_and_keep_infinities() {
    let (n, inner) = (21, 4);
    let v = values(n * inner, 9);
    let mut out = vec![0.0f64; inner];
    logsumexp_block(&v, inner, &mut vec![0.0f32; 3 * inner], &mut out);
    for j in 0..inner {
        let lane: Vec<f64> = (0..n).map(|k| v[k * inner + j] as f64).collect();
        let m = lane.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let want = m + lane.iter().map(|x| (x - m).exp()).sum::<f64>().ln();
        assert!((out[j] - want).abs() < 1e-6 * want.abs().max(1.0));
    }
    let mut one = [0.0f64];
    let lane = [1.0f32, f32::INFINITY, 2.0];
    logsumexp_block(&lane, 1, &mut [0.0f32; 7], &mut one);
    assert_eq!(one[0], f64::INFINITY);
    let lane = [f32::NEG_INFINITY; 3];
    logsumexp_block(&lane, 1, &mut [0.0f32; 7], &mut one);
    assert_eq!(one[0], f64::NEG_INFINITY);
    let lane = [1.0f32, f32::NAN, f32::INFINITY];
    logsumexp_block(&lane, 1, &mut [0.0f32; 7], &mut one);
    assert!(one[0].is_nan());
}
