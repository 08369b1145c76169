//! Every instruction set gives the portable loop's bits, for every length 0..67 and
//! every starting offset 0..3 (misaligned slices), on ordinary and special values.

use super::*;

/// The instruction sets this machine can run.
fn levels() -> Vec<Level> {
    let mut out = vec![Level::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            out.push(Level::Avx2Fma);
        }
        if level() == Level::Avx512 {
            out.push(Level::Avx512);
        }
    }
    out
}

const SPECIAL: [f32; 14] = [
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::NAN,
    8_388_607.5,
    -16_777_216.0,
    f32::MIN_POSITIVE / 4.0,
    f32::MAX,
];

fn inputs(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| {
            if i % 5 == 4 {
                SPECIAL[i / 5 % SPECIAL.len()]
            } else {
                (i as f32 * 0.731 - 20.0) * if i % 2 == 0 { 1.0 } else { -0.37 }
            }
        })
        .collect()
}

fn bits32(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn check_unary(name: &str, f: impl Fn(f32) -> f32 + Copy + Sync + Send) {
    let all = inputs(70);
    for n in 0..=67 {
        for offset in 0..3 {
            let src = &all[offset..offset + n];
            let want: Vec<f32> = src.iter().map(|&x| f(x)).collect();
            for level in levels() {
                let got = map1_at(level, src, f);
                assert_eq!(bits32(&got), bits32(&want), "{name} n={n} at {level:?}");
            }
        }
    }
}

#[test]
fn rounding_is_exact_at_every_level() {
    check_unary("floor", f32::floor);
    check_unary("ceil", f32::ceil);
    check_unary("trunc", f32::trunc);
    check_unary("round", f32::round_ties_even);
    check_unary("frac", |x| x - x.trunc());
    check_unary("sqrt", f32::sqrt);
    check_unary("clamp", |x| {
        let y = if x < -3.0 { -3.0 } else { x };
        if y > 3.0 {
            3.0
        } else {
            y
        }
    });
}

#[test]
fn rounding_has_pytorch_special_values() {
    let src = [
        -0.0f32,
        0.5,
        1.5,
        2.5,
        -0.5,
        -2.5,
        f32::NAN,
        f32::INFINITY,
        -0.2,
    ];
    let level = *levels().last().expect("portable is always there");
    let round = map1_at(level, &src, f32::round_ties_even);
    let want = [
        -0.0f32,
        0.0,
        2.0,
        2.0,
        -0.0,
        -2.0,
        f32::NAN,
        f32::INFINITY,
        -0.0,
    ];
    assert_eq!(bits32(&round)[..6], bits32(&want)[..6]);
    assert!(round[6].is_nan());
    assert_eq!(round[7], f32::INFINITY);
    assert_eq!(round[8].to_bits(), (-0.0f32).to_bits());
    let floor = map1_at(level, &src, f32::floor);
    assert_eq!(floor[0].to_bits(), (-0.0f32).to_bits());
    assert_eq!(floor[8], -1.0);
}

#[test]
fn comparisons_and_f64_agree_at_every_level() {
    let all = inputs(70);
    let other: Vec<f32> = all.iter().rev().copied().collect();
    for n in [0, 1, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 67] {
        for offset in 0..3 {
            let (a, b) = (&all[offset..offset + n], &other[offset..offset + n]);
            let want: Vec<bool> = a.iter().zip(b).map(|(x, y)| x < y).collect();
            let wide: Vec<f64> = a.iter().map(|&x| x as f64).collect();
            let floor64: Vec<u64> = wide.iter().map(|x| x.floor().to_bits()).collect();
            for level in levels() {
                assert_eq!(map2_at(level, a, b, |x, y| x < y), want, "n={n} {level:?}");
                let got = map1_at(level, &wide, f64::floor);
                let got: Vec<u64> = got.iter().map(|x| x.to_bits()).collect();
                assert_eq!(got, floor64, "floor64 n={n} {level:?}");
            }
        }
    }
}

#[test]
fn in_place_updates_give_the_portable_bits_at_every_level() {
    let all = inputs(70);
    let other: Vec<f32> = all.iter().rev().map(|x| x * 0.5 + 0.25).collect();
    type Update = fn(f32, f32) -> f32;
    let ops: [(&str, Update); 4] = [
        ("sub", |d, s| d - s),
        ("mul", |d, s| d * s),
        ("div", |d, s| d / s),
        ("relu mask", |g, y| if y <= 0.0 { 0.0 } else { g }),
    ];
    for (name, f) in ops {
        for n in 0..=67 {
            for (da, sa) in [(0, 0), (1, 2), (2, 1)] {
                let src = &other[sa..sa + n];
                let want: Vec<f32> = all[da..da + n]
                    .iter()
                    .zip(src)
                    .map(|(&d, &s)| f(d, s))
                    .collect();
                for level in levels() {
                    let mut dst = all.clone();
                    update_at(level, &mut dst[da..da + n], src, &f);
                    assert_eq!(
                        bits32(&dst[da..da + n]),
                        bits32(&want),
                        "{name} n={n} {level:?}"
                    );
                    assert_eq!(
                        bits32(&dst[..da]),
                        bits32(&all[..da]),
                        "{name}: before the slice"
                    );
                    assert_eq!(
                        bits32(&dst[da + n..]),
                        bits32(&all[da + n..]),
                        "{name}: after it"
                    );
                }
            }
        }
    }
}
