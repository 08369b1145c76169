use super::*;

type Kernel = SliceKernel;

fn sigmoid_ref(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

const FUNCTIONS: [(&str, Kernel, Reference); 5] = [
    ("exp", exp_with, f64::exp),
    ("ln", ln_with, f64::ln),
    ("log1p", log1p_with, f64::ln_1p),
    ("tanh", tanh_with, f64::tanh),
    ("sigmoid", sigmoid_with, sigmoid_ref),
];

/// The instruction sets this machine can run.
pub(super) fn levels() -> Vec<Level> {
    let mut out = vec![Level::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            out.push(Level::Avx2Fma);
        }
        if detect() == Level::Avx512 {
            out.push(Level::Avx512);
        }
    }
    out
}

/// Floats as integers that count representable values (±0 both map to 0).
pub(super) fn ordered(x: f32) -> i64 {
    let i = x.to_bits() as i32;
    (if i < 0 { i32::MIN.wrapping_sub(i) } else { i }) as i64
}

/// Distance in units in the last place from the float64 reference rounded to float32.
pub(super) fn ulps(got: f32, want: f64) -> i64 {
    let want = want as f32;
    match (got.is_nan(), want.is_nan()) {
        (true, true) => 0,
        (false, false) => (ordered(got) - ordered(want)).abs(),
        _ => i64::MAX,
    }
}

/// Largest error over `inputs` per function and level, with the worst input.
fn worst(inputs: &[f32]) -> Vec<(&'static str, Level, i64, f32)> {
    let mut out = vec![];
    let mut got = vec![0.0; inputs.len()];
    for (name, kernel, reference) in FUNCTIONS {
        for level in levels() {
            kernel(inputs, &mut got, level);
            let (mut max, mut at) = (0, 0.0);
            for (&x, &y) in inputs.iter().zip(&got) {
                let e = ulps(y, reference(x as f64));
                if e > max {
                    (max, at) = (e, x);
                }
            }
            out.push((name, level, max, at));
        }
    }
    out
}

const BOUND: i64 = 4;

#[test]
fn dense_sample_of_all_floats_is_within_four_ulp() {
    // every 4099th bit pattern: a million inputs spread over the whole float32 range
    let inputs: Vec<f32> = (0..=u32::MAX / 4099)
        .map(|k| f32::from_bits(k * 4099))
        .collect();
    for (name, level, max, at) in worst(&inputs) {
        assert!(max <= BOUND, "{name} ({level:?}): {max} ulp at {at:e}");
    }
}

#[test]
fn special_values_and_range_edges() {
    let mut inputs = vec![
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::from_bits(0x8000_0001),
        1e-40,
        f32::MAX,
        f32::MIN,
        f32::EPSILON,
        1.0,
        -1.0,
        0.55,
        -0.55,
        9.01,
        -9.01,
    ];
    // where exp overflows, where its result turns subnormal and where it underflows to 0
    for edge in [88.722_84_f32, -87.336_55, -103.972_08, -103.279_3] {
        let mut x = edge;
        for _ in 0..8 {
            inputs.push(x);
            x = f32::from_bits(x.to_bits() + 1);
        }
        let mut x = edge;
        for _ in 0..8 {
            inputs.push(x);
            x = f32::from_bits(x.to_bits() - 1);
        }
    }
    for (name, level, max, at) in worst(&inputs) {
        assert!(max <= BOUND, "{name} ({level:?}): {max} ulp at {at:e}");
    }
    for level in levels() {
        let mut out = [0.0f32; 4];
        let ins = [0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY];
        exp_with(&ins, &mut out, level);
        assert_eq!(out, [1.0, 1.0, f32::INFINITY, 0.0]);
        ln_with(&ins, &mut out, level);
        assert_eq!(
            out[..3],
            [f32::NEG_INFINITY, f32::NEG_INFINITY, f32::INFINITY]
        );
        assert!(out[3].is_nan());
        tanh_with(&ins, &mut out, level);
        assert_eq!(
            out.map(f32::to_bits),
            [0.0f32, -0.0, 1.0, -1.0].map(f32::to_bits)
        );
        sigmoid_with(&ins, &mut out, level);
        assert_eq!(out, [0.5, 0.5, 1.0, 0.0]);
        log1p_with(&ins, &mut out, level);
        assert_eq!(
            out[..3].iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            [0.0f32, -0.0, f32::INFINITY].map(f32::to_bits)
        );
        assert!(out[3].is_nan());
    }
}

#[test]
fn log1p_at_and_below_minus_one_and_near_zero() {
    let ins = [
        -1.0,
        -1.000_000_1,
        -2.0,
        -0.999_999_94,
        -0.5,
        1e-8,
        -1e-8,
        f32::from_bits(1),
        f32::from_bits(0x8000_0001),
        1e-30,
        16_777_216.0,
        f32::NAN,
    ];
    for level in levels() {
        let mut out = [0.0f32; 12];
        log1p_with(&ins, &mut out, level);
        assert_eq!(out[0], f32::NEG_INFINITY, "{level:?}");
        assert!(
            out[1].is_nan() && out[2].is_nan() && out[11].is_nan(),
            "{level:?}"
        );
        for (&x, &y) in ins[3..11].iter().zip(&out[3..11]) {
            let e = ulps(y, (x as f64).ln_1p());
            assert!(e <= BOUND, "log1p({x:e}) = {y:e} ({level:?}): {e} ulp");
        }
        // below half an ulp of 1 the result is the input itself, sign and subnormals kept
        assert_eq!(out[7].to_bits(), 1);
        assert_eq!(out[8].to_bits(), 0x8000_0001);
    }
}

#[test]
fn log1p_dense_sample_near_zero_is_within_four_ulp() {
    // |x| < 1 holds the inputs where ln(1 + x) loses most to the rounding of 1 + x
    let inputs: Vec<f32> = (0..1_000_000)
        .map(|k| (k as f32 / 500_000.0 - 1.0) * 0.999_999)
        .chain((0..200_000).map(|k| f32::from_bits(0x3000_0000 + k * 97)))
        .chain((0..200_000).map(|k| -f32::from_bits(0x3000_0000 + k * 97)))
        .collect();
    for level in levels() {
        let mut got = vec![0.0; inputs.len()];
        log1p_with(&inputs, &mut got, level);
        for (&x, &y) in inputs.iter().zip(&got) {
            let e = ulps(y, (x as f64).ln_1p());
            assert!(e <= BOUND, "log1p({x:e}) = {y:e} ({level:?}): {e} ulp");
        }
    }
}

#[test]
fn results_do_not_depend_on_slice_length_or_alignment() {
    let data: Vec<f32> = (0..67).map(|i| i as f32 * 0.37 - 12.0).collect();
    for (_, kernel, _) in FUNCTIONS {
        let mut whole = vec![0.0; data.len()];
        kernel(&data, &mut whole, level());
        for start in 0..5 {
            let mut part = vec![0.0; data.len() - start];
            kernel(&data[start..], &mut part, level());
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&part), bits(&whole[start..]));
        }
    }
}

/// All 2^32 inputs, opt-in (a few minutes in release mode):
/// `cargo test --release -- --ignored every_float32 --nocapture`.
#[test]
#[ignore]
fn every_float32_is_within_four_ulp() {
    let mut inputs: Vec<f32> = Vec::with_capacity(1 << 24);
    for block in 0u64..256 {
        inputs.clear();
        inputs.extend((0..1u64 << 24).map(|k| f32::from_bits(((block << 24) | k) as u32)));
        for (name, level, max, at) in worst(&inputs) {
            assert!(max <= BOUND, "{name} ({level:?}): {max} ulp at {at:e}");
            if block == 255 {
                println!("{name} ({level:?}): within {BOUND} ulp");
            }
        }
    }
}
