//! The 8-bit float formats PyTorch stores (`float8_e4m3fn`, `float8_e5m2`, their `fnuz`
//! variants and the power-of-two scale format `float8_e8m0fnu`): one byte each,
//! converted through float32 as c10 converts them. PyTorch's CPU build has storage,
//! casts, copies and a handful of kernels for them; arithmetic computes in float32.
//!
//! Rounding is to nearest, ties to even, at the format's precision (subnormals
//! included). What a value beyond the largest finite one becomes differs per format:
//! e4m3fn saturates to ±448 (PyTorch 2.13's casts do, infinities included), e5m2 has
//! infinities, the fnuz formats have a single NaN (0x80) and no negative zero.

use std::cmp::Ordering;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Saturate,
    Infinity,
    NaN,
}

/// One sign-exponent-mantissa format.
struct Format {
    mantissa_bits: u32,
    bias: i32,
    max_finite: f64,
    overflow: Overflow,
    /// fnuz: 0x80 is the only NaN and there is no negative zero.
    unsigned_zero: bool,
}

const E4M3FN: Format = Format {
    mantissa_bits: 3,
    bias: 7,
    max_finite: 448.0,
    overflow: Overflow::Saturate,
    unsigned_zero: false,
};
const E5M2: Format = Format {
    mantissa_bits: 2,
    bias: 15,
    max_finite: 57344.0,
    overflow: Overflow::Infinity,
    unsigned_zero: false,
};
const E4M3FNUZ: Format = Format {
    mantissa_bits: 3,
    bias: 8,
    max_finite: 240.0,
    overflow: Overflow::NaN,
    unsigned_zero: true,
};
const E5M2FNUZ: Format = Format {
    mantissa_bits: 2,
    bias: 16,
    max_finite: 57344.0,
    overflow: Overflow::NaN,
    unsigned_zero: true,
};

impl Format {
    fn nan(&self, negative: bool) -> u8 {
        if self.unsigned_zero {
            0x80
        } else {
            0x7f | sign_bit(negative)
        }
    }

    fn decode(&self, bits: u8) -> f32 {
        let negative = bits & 0x80 != 0;
        let magnitude = bits & 0x7f;
        if self.unsigned_zero && bits == 0x80 {
            return f32::NAN;
        }
        let exponent_field = i32::from(magnitude >> self.mantissa_bits);
        let mantissa = i32::from(magnitude & ((1 << self.mantissa_bits) - 1));
        let top_exponent = (1 << (7 - self.mantissa_bits)) - 1;
        match self.overflow {
            Overflow::Infinity if exponent_field == top_exponent => {
                let special = if mantissa == 0 {
                    f32::INFINITY
                } else {
                    f32::NAN
                };
                return if negative { -special } else { special };
            }
            Overflow::Saturate if magnitude == 0x7f => {
                return if negative { -f32::NAN } else { f32::NAN };
            }
            _ => {}
        }
        let scale = (1i32 << self.mantissa_bits) as f64;
        let value = if exponent_field == 0 {
            mantissa as f64 / scale * 2f64.powi(1 - self.bias)
        } else {
            (1.0 + mantissa as f64 / scale) * 2f64.powi(exponent_field - self.bias)
        };
        let value = value as f32;
        if negative {
            -value
        } else {
            value
        }
    }

    fn encode(&self, x: f32) -> u8 {
        let negative = x.is_sign_negative();
        if x.is_nan() {
            return self.nan(negative);
        }
        let rounded = self.round(f64::from(x.abs()));
        if rounded > self.max_finite {
            return match self.overflow {
                Overflow::Saturate => self.encode_finite(self.max_finite) | sign_bit(negative),
                Overflow::Infinity => {
                    let top = ((1u8 << (7 - self.mantissa_bits)) - 1) << self.mantissa_bits;
                    top | sign_bit(negative)
                }
                Overflow::NaN => self.nan(negative),
            };
        }
        if rounded == 0.0 && self.unsigned_zero {
            return 0;
        }
        self.encode_finite(rounded) | sign_bit(negative)
    }

    /// `a` (non-negative, finite) rounded to this format's precision, ties to even; no
    /// range limit above (the caller handles overflow).
    fn round(&self, a: f64) -> f64 {
        if a == 0.0 || a.is_infinite() {
            return a;
        }
        let min_exponent = 1 - self.bias;
        let exponent = (floor_log2(a)).max(min_exponent);
        let quantum = 2f64.powi(exponent - self.mantissa_bits as i32);
        // exact: `a` has 24 significant bits and the quotient only rescales it
        round_half_even(a / quantum) * quantum
    }

    /// The bits of a representable magnitude `a` (no sign).
    fn encode_finite(&self, a: f64) -> u8 {
        if a == 0.0 {
            return 0;
        }
        let min_exponent = 1 - self.bias;
        let exponent = floor_log2(a);
        let scale = (1u32 << self.mantissa_bits) as f64;
        if exponent < min_exponent {
            return (a / 2f64.powi(min_exponent) * scale) as u8;
        }
        let mantissa = ((a / 2f64.powi(exponent) - 1.0) * scale) as u8;
        (((exponent + self.bias) as u8) << self.mantissa_bits) | mantissa
    }
}

fn sign_bit(negative: bool) -> u8 {
    if negative {
        0x80
    } else {
        0
    }
}

/// floor(log2(a)) of a positive finite double, exactly (from its exponent bits).
fn floor_log2(a: f64) -> i32 {
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // subnormal double: never reached from float32 inputs, but exact all the same
        return -1074 + (63 - (bits & ((1 << 52) - 1)).leading_zeros() as i32);
    }
    biased - 1023
}

fn round_half_even(q: f64) -> f64 {
    let floor = q.floor();
    match (q - floor).partial_cmp(&0.5) {
        Some(Ordering::Less) => floor,
        Some(Ordering::Greater) => floor + 1.0,
        _ => {
            if floor % 2.0 == 0.0 {
                floor
            } else {
                floor + 1.0
            }
        }
    }
}

/// e8m0fnu: only a biased exponent (2**(e-127)); 0xff is NaN; no sign and no zero.
/// Rounds from float32 by its mantissa's top bits with ties to even on the implied
/// leading bit, as c10 does (so 1.5 * 2**k goes up to 2**(k+1), a float32 subnormal
/// never below 2**-127).
fn e8m0_encode(x: f32) -> u8 {
    let bits = x.to_bits();
    let exponent = (bits >> 23) & 0xff;
    if exponent == 0xff {
        return 0xff;
    }
    let guard = bits & 0x40_0000 != 0;
    let round_or_sticky = bits & 0x3f_ffff != 0;
    let implied_bit = exponent > 0;
    let up = guard && (round_or_sticky || implied_bit);
    (exponent + u32::from(up)) as u8
}

fn e8m0_decode(bits: u8) -> f32 {
    match bits {
        0xff => f32::NAN,
        // 2**-127 is a float32 subnormal: its only set bit is the mantissa's top one
        0 => f32::from_bits(0x40_0000),
        e => f32::from_bits(u32::from(e) << 23),
    }
}

macro_rules! float8_type {
    ($name:ident, $doc:literal, $encode:expr, $decode:expr) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Default, Debug)]
        #[repr(transparent)]
        pub struct $name(pub u8);

        impl $name {
            #[inline]
            pub fn from_f32(x: f32) -> Self {
                $name(($encode)(x))
            }
            #[inline]
            pub fn to_f32(self) -> f32 {
                ($decode)(self.0)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.to_f32() == other.to_f32()
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                self.to_f32().partial_cmp(&other.to_f32())
            }
        }
    };
}

float8_type!(
    F8E4M3Fn,
    "`float8_e4m3fn`: 4 exponent bits (bias 7), 3 mantissa bits, no infinities.",
    |x| E4M3FN.encode(x),
    |b| E4M3FN.decode(b)
);
float8_type!(
    F8E5M2,
    "`float8_e5m2`: 5 exponent bits (bias 15), 2 mantissa bits, IEEE-style specials.",
    |x| E5M2.encode(x),
    |b| E5M2.decode(b)
);
float8_type!(
    F8E4M3Fnuz,
    "`float8_e4m3fnuz`: bias 8, one NaN (0x80), no infinities, no negative zero.",
    |x| E4M3FNUZ.encode(x),
    |b| E4M3FNUZ.decode(b)
);
float8_type!(
    F8E5M2Fnuz,
    "`float8_e5m2fnuz`: bias 16, one NaN (0x80), no infinities, no negative zero.",
    |x| E5M2FNUZ.encode(x),
    |b| E5M2FNUZ.decode(b)
);
float8_type!(
    F8E8M0Fnu,
    "`float8_e8m0fnu`: an unsigned power of two 2**(e-127); 0xff is NaN.",
    e8m0_encode,
    e8m0_decode
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finite_code_decodes_and_encodes_back() {
        for b in 0..=255u8 {
            for (decode, encode) in [
                (
                    (|b| F8E4M3Fn(b).to_f32()) as fn(u8) -> f32,
                    (|x| F8E4M3Fn::from_f32(x).0) as fn(f32) -> u8,
                ),
                (|b| F8E5M2(b).to_f32(), |x| F8E5M2::from_f32(x).0),
                (|b| F8E4M3Fnuz(b).to_f32(), |x| F8E4M3Fnuz::from_f32(x).0),
                (|b| F8E5M2Fnuz(b).to_f32(), |x| F8E5M2Fnuz::from_f32(x).0),
                (|b| F8E8M0Fnu(b).to_f32(), |x| F8E8M0Fnu::from_f32(x).0),
            ] {
                let v = decode(b);
                if v.is_nan() {
                    assert!(decode(encode(v)).is_nan());
                } else {
                    assert_eq!(encode(v), b, "code {b:#04x} decodes to {v}");
                }
            }
        }
    }

    #[test]
    fn limits_match_pytorch_finfo() {
        assert_eq!(F8E4M3Fn(0x7e).to_f32(), 448.0);
        assert_eq!(F8E4M3Fn(0x08).to_f32(), 0.015625);
        assert_eq!(F8E4M3Fn(0x01).to_f32(), 2f32.powi(-9));
        assert_eq!(F8E5M2(0x7b).to_f32(), 57344.0);
        assert_eq!(F8E5M2(0x7c).to_f32(), f32::INFINITY);
        assert_eq!(F8E5M2(0x04).to_f32(), 2f32.powi(-14));
        assert_eq!(F8E4M3Fnuz(0x7f).to_f32(), 240.0);
        assert_eq!(F8E4M3Fnuz(0x08).to_f32(), 0.0078125);
        assert_eq!(F8E5M2Fnuz(0x7f).to_f32(), 57344.0);
        assert_eq!(F8E5M2Fnuz(0x04).to_f32(), 2f32.powi(-15));
        assert_eq!(F8E8M0Fnu(0xfe).to_f32(), 2f32.powi(127));
        assert_eq!(F8E8M0Fnu(0).to_f32(), 2f32.powi(-127));
        assert_eq!(F8E8M0Fnu(127).to_f32(), 1.0);
    }

    #[test]
    fn overflow_follows_each_format() {
        // values from PyTorch 2.13: x.to(dtype).float()
        for x in [464.0, 500.0, 1e9, f32::INFINITY] {
            assert_eq!(F8E4M3Fn::from_f32(x).to_f32(), 448.0);
            assert_eq!(F8E4M3Fn::from_f32(-x).to_f32(), -448.0);
            assert!(F8E4M3Fnuz::from_f32(x).to_f32().is_nan());
        }
        assert_eq!(F8E5M2::from_f32(60000.0).to_f32(), 57344.0);
        assert_eq!(F8E5M2::from_f32(61440.0).to_f32(), f32::INFINITY);
        assert_eq!(F8E5M2::from_f32(-1e9).to_f32(), f32::NEG_INFINITY);
        assert!(F8E5M2Fnuz::from_f32(61440.0).to_f32().is_nan());
        assert_eq!(F8E4M3Fnuz::from_f32(-0.0).0, 0);
        assert_eq!(F8E4M3Fn::from_f32(-0.0).0, 0x80);
        assert_eq!(F8E4M3Fn::from_f32(f32::NAN).0, 0x7f);
        assert_eq!(F8E4M3Fn::from_f32(-f32::NAN).0, 0xff);
        assert_eq!(F8E4M3Fnuz::from_f32(-f32::NAN).0, 0x80);
    }

    #[test]
    fn rounding_is_to_nearest_even() {
        assert_eq!(F8E4M3Fn::from_f32(0.1).to_f32(), 0.1015625);
        assert_eq!(F8E4M3Fn::from_f32(2f32.powi(-10)).to_f32(), 0.0);
        assert_eq!(
            F8E4M3Fn::from_f32(1.5 * 2f32.powi(-9)).to_f32(),
            2f32.powi(-8)
        );
        assert_eq!(F8E5M2::from_f32(0.1).to_f32(), 0.09375);
        assert_eq!(F8E5M2::from_f32(470.0).to_f32(), 448.0);
        assert_eq!(F8E8M0Fnu::from_f32(3.0).to_f32(), 4.0);
        assert_eq!(F8E8M0Fnu::from_f32(0.75).to_f32(), 1.0);
        assert_eq!(F8E8M0Fnu::from_f32(1.4).to_f32(), 1.0);
        assert_eq!(F8E8M0Fnu::from_f32(-7.0).to_f32(), 8.0);
        assert_eq!(F8E8M0Fnu::from_f32(0.0).to_f32(), 2f32.powi(-127));
        assert!(F8E8M0Fnu::from_f32(f32::INFINITY).to_f32().is_nan());
    }
}
