//! sin, cos, tan, atan, asin and acos against float64 `std`, rounded to float32.

use super::tests::{levels, ulps};
use super::*;

type Kernel = SliceKernel;

const FUNCTIONS: [(&str, Kernel, Reference); 7] = [
    ("sin", sin_with, f64::sin),
    ("cos", cos_with, f64::cos),
    ("tan", tan_with, f64::tan),
    ("atan", atan_with, f64::atan),
    ("asin", asin_with, f64::asin),
    ("acos", acos_with, f64::acos),
    ("erf", erf_with, libm::erf),
];

/// Every 4099th float32 bit pattern (about a million inputs over the whole range) plus
/// the special values.
fn sample() -> Vec<f32> {
    let mut v: Vec<f32> = (0..=u32::MAX / 4099)
        .map(|i| f32::from_bits(i * 4099))
        .collect();
    v.extend([
        0.0,
        -0.0,
        1.0,
        -1.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MAX,
        -f32::MAX,
        f32::MIN_POSITIVE,
        1e-45,
        REDUCE_EDGE,
        -REDUCE_EDGE,
        f32::from_bits(REDUCE_EDGE.to_bits() + 1),
        std::f32::consts::FRAC_PI_2,
        std::f32::consts::PI,
        1e5,
        355.0,
        103_993.0,
    ]);
    v
}

const REDUCE_EDGE: f32 = trig::REDUCE_MAX;

#[test]
fn trig_within_one_ulp_at_every_level() {
    let inputs = sample();
    let mut got = vec![0.0f32; inputs.len()];
    for (name, kernel, reference) in FUNCTIONS {
        for level in levels() {
            kernel(&inputs, &mut got, level);
            for (&x, &y) in inputs.iter().zip(&got) {
                let e = ulps(y, reference(x as f64));
                assert!(e <= 1, "{name}({x:e}) = {y:e} at {level:?}: {e} ulp");
            }
        }
    }
}

#[test]
fn trig_keeps_signed_zeros_and_special_values() {
    let src = [
        -0.0f32,
        0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        1.0,
        -1.0,
    ];
    for level in levels() {
        let mut out = [0.0f32; 7];
        for (name, kernel, _) in FUNCTIONS {
            kernel(&src, &mut out, level);
            if name != "cos" && name != "acos" {
                // odd functions keep the sign of zero
                assert_eq!(
                    out[0].to_bits(),
                    (-0.0f32).to_bits(),
                    "{name}(-0) {level:?}"
                );
                assert_eq!(out[1].to_bits(), 0, "{name}(0) {level:?}");
            }
            assert!(out[4].is_nan(), "{name}(nan) {level:?}");
        }
        atan_with(&src, &mut out, level);
        assert_eq!(out[2], std::f32::consts::FRAC_PI_2);
        assert_eq!(out[3], -std::f32::consts::FRAC_PI_2);
        sin_with(&src, &mut out, level);
        assert!(out[2].is_nan() && out[3].is_nan());
        erf_with(&src, &mut out, level);
        assert_eq!((out[2], out[3]), (1.0, -1.0));
        acos_with(&src, &mut out, level);
        assert_eq!((out[5], out[6]), (0.0, std::f32::consts::PI));
        asin_with(&[2.0, -1.5], &mut out[..2], level);
        assert!(out[0].is_nan() && out[1].is_nan());
    }
}

#[test]
fn trig_any_length_and_offset_matches_one_at_a_time() {
    let all: Vec<f32> = (0..70).map(|i| (i as f32 - 30.0) * 0.913).collect();
    for n in 0..=67 {
        for offset in 0..3 {
            let src = &all[offset..offset + n];
            for (name, kernel, _) in FUNCTIONS {
                for level in levels() {
                    let mut whole = vec![0.0f32; n];
                    kernel(src, &mut whole, level);
                    for (i, &x) in src.iter().enumerate() {
                        let mut one = [0.0f32];
                        kernel(&[x], &mut one, level);
                        assert_eq!(one[0].to_bits(), whole[i].to_bits(), "{name} n={n}");
                    }
                }
            }
        }
    }
}
