//! c10's `checked_convert`: whether a Python number fits a dtype, with PyTorch's
//! "value cannot be converted to type int8_t without overflow" when it does not.
//!
//! Integers convert to unsigned types with two's-complement wrap allowed (uint8 takes
//! -255..=255); floats must lie within the target's range (infinities and NaN are fine
//! for floating targets, overflow for integer ones). Bool targets and sources never
//! overflow.

use super::dtype::DType;
use super::scalar::Scalar;
use crate::error::{Error, Result};

/// The C++ type name c10 prints for a dtype.
fn c10_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "bool",
        DType::U8 => "uint8_t",
        DType::I8 => "int8_t",
        DType::I16 => "int16_t",
        DType::I32 => "int",
        DType::I64 => "int64_t",
        DType::F16 => "c10::Half",
        DType::BF16 => "c10::BFloat16",
        DType::F32 => "float",
        DType::F64 => "double",
        DType::C64 => "c10::complex<float>",
        DType::C128 => "c10::complex<double>",
        DType::C32 => "c10::complex<c10::Half>",
        DType::U16 => "uint16_t",
        DType::U32 => "uint32_t",
        DType::U64 => "uint64_t",
        d => d.cpp_name(),
    }
}

/// The largest finite value of a dtype, as f64.
fn max_of(dtype: DType) -> f64 {
    match dtype {
        DType::Bool => 1.0,
        DType::U8 => u8::MAX as f64,
        DType::I8 => i8::MAX as f64,
        DType::I16 => i16::MAX as f64,
        DType::I32 => i32::MAX as f64,
        DType::I64 => i64::MAX as f64,
        DType::F16 | DType::C32 => 65504.0,
        DType::BF16 => 3.3895313892515355e38,
        DType::F32 | DType::C64 => f32::MAX as f64,
        DType::F64 | DType::C128 => f64::MAX,
        DType::U16 => u16::MAX as f64,
        DType::U32 => u32::MAX as f64,
        DType::U64 => u64::MAX as f64,
        // PyTorch's casts into the 8-bit floats saturate or give inf/NaN, never refuse
        _ => f64::INFINITY,
    }
}

/// The smallest value of a dtype, as f64 (0 for unsigned, -max for floats).
fn lowest_of(dtype: DType) -> f64 {
    match dtype {
        DType::Bool | DType::U8 | DType::U16 | DType::U32 | DType::U64 => 0.0,
        DType::I8 => i8::MIN as f64,
        DType::I16 => i16::MIN as f64,
        DType::I32 => i32::MIN as f64,
        DType::I64 => i64::MIN as f64,
        other => -max_of(other),
    }
}

fn int_overflows(i: i64, dtype: DType) -> bool {
    match dtype {
        DType::Bool | DType::I64 | DType::F32 | DType::F64 | DType::BF16 => false,
        DType::C64 | DType::C128 | DType::U64 => false,
        DType::U16 => i.unsigned_abs() > u16::MAX as u64,
        DType::U32 => i.unsigned_abs() > u32::MAX as u64,
        DType::U8 => i > u8::MAX as i64 || (i < 0 && i.unsigned_abs() > u8::MAX as u64),
        DType::I8 => i < i8::MIN as i64 || i > i8::MAX as i64,
        DType::I16 => i < i16::MIN as i64 || i > i16::MAX as i64,
        DType::I32 => i < i32::MIN as i64 || i > i32::MAX as i64,
        DType::F16 | DType::C32 => i.unsigned_abs() > 65504,
        _ => false,
    }
}

fn float_overflows(f: f64, dtype: DType) -> bool {
    match dtype {
        DType::Bool => false,
        d if d.is_floating() || d.is_complex() => {
            f.is_finite() && (f < lowest_of(d) || f > max_of(d))
        }
        d => f.is_nan() || f < lowest_of(d) || f > max_of(d),
    }
}

/// PyTorch's error for a uint64 scalar (a Python int in [2**63, 2**64)) written into
/// the integer `dtype`.
pub fn unsigned_overflow(dtype: DType) -> Error {
    Error::runtime(format!(
        "value cannot be converted to type {} without overflow",
        c10_name(dtype)
    ))
}

/// PyTorch's error for a complex number with an imaginary part assigned (`x[i] = 1j`)
/// into a real `dtype`; a 16-bit float reads it through double.
pub fn complex_into_real(dtype: DType) -> Error {
    let name = match dtype {
        DType::F16 | DType::BF16 => "double",
        d => c10_name(d),
    };
    Error::runtime(format!(
        "value cannot be converted to type {name} without overflow"
    ))
}

impl Scalar {
    /// PyTorch's error when this number does not fit `dtype` (c10's `checked_convert`).
    pub fn check_fits(self, dtype: DType) -> Result<()> {
        let overflows = match self {
            Scalar::Bool(_) => false,
            Scalar::Int(i) => int_overflows(i, dtype),
            Scalar::Float(f) => float_overflows(f, dtype),
        };
        if overflows {
            return Err(Error::runtime(format!(
                "value cannot be converted to type {} without overflow",
                c10_name(dtype)
            )));
        }
        Ok(())
    }

    /// This number as an element of `T`, refused as `check_fits` does.
    pub fn checked_element<T: super::Element>(self) -> Result<T> {
        self.check_fits(T::DTYPE)?;
        Ok(self.to_element::<T>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_c10() {
        assert!(Scalar::Int(127).check_fits(DType::I8).is_ok());
        assert!(Scalar::Int(128).check_fits(DType::I8).is_err());
        assert!(Scalar::Int(-255).check_fits(DType::U8).is_ok());
        assert!(Scalar::Int(-256).check_fits(DType::U8).is_err());
        assert!(Scalar::Int(i64::MIN).check_fits(DType::U8).is_err());
        assert!(Scalar::Int(70000).check_fits(DType::F16).is_err());
        assert!(Scalar::Int(i64::MAX).check_fits(DType::F32).is_ok());
        assert!(Scalar::Int(5).check_fits(DType::Bool).is_ok());
    }

    #[test]
    fn floats_follow_c10() {
        assert!(Scalar::Float(-1.0).check_fits(DType::U8).is_err());
        assert!(Scalar::Float(255.5).check_fits(DType::U8).is_err());
        assert!(Scalar::Float(f64::NAN).check_fits(DType::I32).is_err());
        assert!(Scalar::Float(f64::INFINITY).check_fits(DType::I64).is_err());
        assert!(Scalar::Float(f64::INFINITY).check_fits(DType::F16).is_ok());
        assert!(Scalar::Float(1e39).check_fits(DType::F32).is_err());
        assert!(Scalar::Float(1e300).check_fits(DType::F64).is_ok());
        let e = Scalar::Float(1e6).check_fits(DType::F16).unwrap_err();
        assert_eq!(
            e.message,
            "value cannot be converted to type c10::Half without overflow"
        );
    }
}
