//! Element types and PyTorch's type-promotion rules (`torch.result_type`).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    Bool,
    U8,
    I8,
    I16,
    I32,
    I64,
    F16,
    BF16,
    F32,
    F64,
    /// Complex dtypes: stored as pairs (real, imaginary) of float32/float64 in a real
    /// buffer of twice the length (see `ops::complex`).
    C64,
    C128,
    /// complex32 (`chalf`): float16 (re, im) pairs; storage, casts, printing and the
    /// few ops PyTorch's CPU kernels have (computed in complex64 and rounded back).
    C32,
    /// PyTorch's "shell" unsigned dtypes: storage, casts and a few kernels only;
    /// promotion with any other dtype is refused.
    U16,
    U32,
    U64,
    /// The 8-bit floats (`tensor::float8`): storage, casts, copies and the few kernels
    /// PyTorch's CPU build has for them; promotion with any other dtype is refused.
    F8E4M3FN,
    F8E5M2,
    F8E4M3FNUZ,
    F8E5M2FNUZ,
    F8E8M0FNU,
}

/// Coarse kind used by promotion: a higher category wins over lower ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Bool,
    Integral,
    Floating,
    Complex,
}

impl DType {
    pub const ALL: [DType; 21] = [
        DType::Bool,
        DType::U8,
        DType::I8,
        DType::I16,
        DType::I32,
        DType::I64,
        DType::F16,
        DType::BF16,
        DType::F32,
        DType::F64,
        DType::C64,
        DType::C128,
        DType::U16,
        DType::U32,
        DType::U64,
        DType::C32,
        DType::F8E4M3FN,
        DType::F8E5M2,
        DType::F8E4M3FNUZ,
        DType::F8E5M2FNUZ,
        DType::F8E8M0FNU,
    ];

    /// The name PyTorch prints after `torch.` (`float32`, `int64`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "uint8",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::F16 => "float16",
            DType::BF16 => "bfloat16",
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::C64 => "complex64",
            DType::C128 => "complex128",
            DType::C32 => "complex32",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::F8E4M3FN => "float8_e4m3fn",
            DType::F8E5M2 => "float8_e5m2",
            DType::F8E4M3FNUZ => "float8_e4m3fnuz",
            DType::F8E5M2FNUZ => "float8_e5m2fnuz",
            DType::F8E8M0FNU => "float8_e8m0fnu",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "bool" => DType::Bool,
            "uint8" => DType::U8,
            "int8" => DType::I8,
            "int16" | "short" => DType::I16,
            "int32" | "int" => DType::I32,
            "int64" | "long" => DType::I64,
            "float16" | "half" => DType::F16,
            "bfloat16" => DType::BF16,
            "float32" | "float" => DType::F32,
            "float64" | "double" => DType::F64,
            "complex64" | "cfloat" => DType::C64,
            "complex128" | "cdouble" => DType::C128,
            "complex32" | "chalf" => DType::C32,
            "uint16" => DType::U16,
            "uint32" => DType::U32,
            "uint64" => DType::U64,
            "float8_e4m3fn" => DType::F8E4M3FN,
            "float8_e5m2" => DType::F8E5M2,
            "float8_e4m3fnuz" => DType::F8E4M3FNUZ,
            "float8_e5m2fnuz" => DType::F8E5M2FNUZ,
            "float8_e8m0fnu" => DType::F8E8M0FNU,
            _ => return None,
        })
    }

    /// The name in PyTorch's legacy type strings (`torch.FloatTensor`).
    pub fn legacy_name(self) -> &'static str {
        match self {
            DType::Bool => "BoolTensor",
            DType::U8 => "ByteTensor",
            DType::I8 => "CharTensor",
            DType::I16 => "ShortTensor",
            DType::I32 => "IntTensor",
            DType::I64 => "LongTensor",
            DType::F16 => "HalfTensor",
            DType::BF16 => "BFloat16Tensor",
            DType::F32 => "FloatTensor",
            DType::F64 => "DoubleTensor",
            DType::C64 => "ComplexFloatTensor",
            DType::C128 => "ComplexDoubleTensor",
            DType::C32 => "ComplexHalfTensor",
            DType::U16 => "UInt16Tensor",
            DType::U32 => "UInt32Tensor",
            DType::U64 => "UInt64Tensor",
            DType::F8E4M3FN => "Float8_e4m3fnTensor",
            DType::F8E5M2 => "Float8_e5m2Tensor",
            DType::F8E4M3FNUZ => "Float8_e4m3fnuzTensor",
            DType::F8E5M2FNUZ => "Float8_e5m2fnuzTensor",
            DType::F8E8M0FNU => "Float8_e8m0fnuTensor",
        }
    }

    /// PyTorch's `Tensor.type()` string of a CPU tensor as its C++ messages print it: the
    /// legacy class for the types that have one (`ferrograd.FloatTensor`), else the
    /// backend type (`CPUBoolType`, `CPUBFloat16Type`, `CPUComplexFloatType`).
    pub fn type_string(self) -> String {
        match self {
            DType::U8
            | DType::I8
            | DType::I16
            | DType::I32
            | DType::I64
            | DType::F16
            | DType::F32
            | DType::F64 => format!("ferrograd.{}", self.legacy_name()),
            _ => format!("CPU{}Type", self.legacy_name().trim_end_matches("Tensor")),
        }
    }

    /// The C++ type name PyTorch's messages print (`float`, `long int`, `c10::Half`).
    pub fn cpp_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "unsigned char",
            DType::I8 => "signed char",
            DType::I16 => "short int",
            DType::I32 => "int",
            DType::I64 => "long int",
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
            DType::F8E4M3FN => "c10::Float8_e4m3fn",
            DType::F8E5M2 => "c10::Float8_e5m2",
            DType::F8E4M3FNUZ => "c10::Float8_e4m3fnuz",
            DType::F8E5M2FNUZ => "c10::Float8_e5m2fnuz",
            DType::F8E8M0FNU => "c10::Float8_e8m0fnu",
        }
    }

    /// The name PyTorch's kernels print in "not implemented for 'Float'" errors.
    pub fn kernel_name(self) -> &'static str {
        match self {
            DType::Bool => "Bool",
            DType::U8 => "Byte",
            DType::I8 => "Char",
            DType::I16 => "Short",
            DType::I32 => "Int",
            DType::I64 => "Long",
            DType::F16 => "Half",
            DType::BF16 => "BFloat16",
            DType::F32 => "Float",
            DType::F64 => "Double",
            DType::C64 => "ComplexFloat",
            DType::C128 => "ComplexDouble",
            DType::C32 => "ComplexHalf",
            DType::U16 => "UInt16",
            DType::U32 => "UInt32",
            DType::U64 => "UInt64",
            DType::F8E4M3FN => "Float8_e4m3fn",
            DType::F8E5M2 => "Float8_e5m2",
            DType::F8E4M3FNUZ => "Float8_e4m3fnuz",
            DType::F8E5M2FNUZ => "Float8_e5m2fnuz",
            DType::F8E8M0FNU => "Float8_e8m0fnu",
        }
    }

    pub fn size_in_bytes(self) -> usize {
        match self {
            DType::Bool | DType::U8 | DType::I8 => 1,
            DType::F8E4M3FN
            | DType::F8E5M2
            | DType::F8E4M3FNUZ
            | DType::F8E5M2FNUZ
            | DType::F8E8M0FNU => 1,
            DType::I16 | DType::U16 | DType::F16 | DType::BF16 => 2,
            DType::I32 | DType::U32 | DType::F32 | DType::C32 => 4,
            DType::I64 | DType::U64 | DType::F64 | DType::C64 => 8,
            DType::C128 => 16,
        }
    }

    pub fn category(self) -> Category {
        match self {
            DType::Bool => Category::Bool,
            DType::U8
            | DType::I8
            | DType::I16
            | DType::I32
            | DType::I64
            | DType::U16
            | DType::U32
            | DType::U64 => Category::Integral,
            DType::F16 | DType::BF16 | DType::F32 | DType::F64 => Category::Floating,
            DType::F8E4M3FN
            | DType::F8E5M2
            | DType::F8E4M3FNUZ
            | DType::F8E5M2FNUZ
            | DType::F8E8M0FNU => Category::Floating,
            DType::C32 | DType::C64 | DType::C128 => Category::Complex,
        }
    }

    pub fn is_complex(self) -> bool {
        self.category() == Category::Complex
    }

    /// The real dtype of a complex one's parts (a real dtype is its own).
    pub fn to_real(self) -> DType {
        match self {
            DType::C32 => DType::F16,
            DType::C64 => DType::F32,
            DType::C128 => DType::F64,
            other => other,
        }
    }

    /// The complex dtype whose parts are this floating dtype (bfloat16, which has no
    /// complex form, widens to complex64); a complex dtype is its own.
    pub fn to_complex(self) -> DType {
        match self {
            DType::F64 | DType::C128 => DType::C128,
            DType::F16 | DType::C32 => DType::C32,
            _ => DType::C64,
        }
    }

    pub fn is_floating(self) -> bool {
        self.category() == Category::Floating
    }

    pub fn is_integral(self, include_bool: bool) -> bool {
        match self.category() {
            Category::Integral => true,
            Category::Bool => include_bool,
            Category::Floating | Category::Complex => false,
        }
    }

    pub fn is_signed(self) -> bool {
        !matches!(
            self,
            DType::Bool | DType::U8 | DType::U16 | DType::U32 | DType::U64 | DType::F8E8M0FNU
        )
    }

    /// One of the 8-bit float dtypes (storage and casts, few kernels).
    pub const fn is_float8(self) -> bool {
        matches!(
            self,
            DType::F8E4M3FN
                | DType::F8E5M2
                | DType::F8E4M3FNUZ
                | DType::F8E5M2FNUZ
                | DType::F8E8M0FNU
        )
    }

    /// A shell unsigned dtype or an 8-bit float: kernels for storage, casts and copies only.
    pub fn is_shell(self) -> bool {
        self.is_shell_unsigned() || self.is_float8()
    }

    /// One of the "shell" unsigned dtypes (uint16/32/64) with few kernels.
    pub fn is_shell_unsigned(self) -> bool {
        matches!(self, DType::U16 | DType::U32 | DType::U64)
    }

    /// The dtype the kernels compute in: the narrow integers widen to int64 and the
    /// 16-bit floats to float32 (PyTorch's CPU kernels do the same per element); the
    /// result is cast back. The other dtypes compute in themselves.
    pub fn compute(self) -> DType {
        match self {
            DType::U8
            | DType::I8
            | DType::I16
            | DType::I32
            | DType::U16
            | DType::U32
            | DType::U64 => DType::I64,
            DType::F16 | DType::BF16 => DType::F32,
            d if d.is_float8() => DType::F32,
            other => other,
        }
    }

    /// Whether this is a storage-only dtype (one whose `compute()` is another dtype).
    pub fn is_narrow(self) -> bool {
        self.compute() != self
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// PyTorch's NotImplementedError for a kernel that has no case for a shell dtype
/// (`"add_stub" not implemented for 'UInt16'`).
pub fn shell_kernel_missing(kernel: &str, dtype: DType) -> crate::error::Error {
    crate::error::Error::not_implemented(format!(
        "\"{kernel}\" not implemented for '{}'",
        dtype.kernel_name()
    ))
}

/// `torch.promote_types`, refusing what PyTorch refuses: a shell unsigned dtype
/// (uint16/32/64) promotes only with itself and the floating dtypes.
pub fn try_promote_types(a: DType, b: DType) -> crate::error::Result<DType> {
    if (a.is_float8() || b.is_float8()) && a != b {
        return Err(crate::error::Error::runtime(format!(
            "Promotion for Float8 Types is not supported, attempted to promote {} and {}",
            a.kernel_name(),
            b.kernel_name()
        )));
    }
    let shell = a.is_shell_unsigned() || b.is_shell_unsigned();
    if shell && a != b && !a.is_floating() && !b.is_floating() {
        return Err(crate::error::Error::runtime(format!(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote {} and {}",
            a.kernel_name(),
            b.kernel_name()
        )));
    }
    Ok(promote_types(a, b))
}

/// `torch.promote_types`: the smallest dtype both values fit in (see
/// `try_promote_types` for the pairs PyTorch refuses; this gives the wider of them).
pub fn promote_types(a: DType, b: DType) -> DType {
    if a == b {
        return a;
    }
    use DType::*;
    match (a.category(), b.category()) {
        (Category::Complex, _) | (_, Category::Complex) => {
            let wide = a == F64 || b == F64 || a == C128 || b == C128;
            // complex32 survives only beside itself, float16, integers and bool
            let half = |d: DType| !matches!(d, F32 | BF16 | C64 | F64 | C128);
            if wide {
                C128
            } else if half(a) && half(b) {
                C32
            } else {
                C64
            }
        }
        (Category::Floating, Category::Floating) => match (a, b) {
            (F16, BF16) | (BF16, F16) => F32,
            _ => a.max(b),
        },
        (Category::Floating, _) => a,
        (_, Category::Floating) => b,
        // uint8 and int8 meet in the next signed type; otherwise the wider one wins
        // (the enum lists the integers from narrow to wide, uint8 first).
        _ => match (a, b) {
            (U8, I8) | (I8, U8) => I16,
            _ => a.max(b),
        },
    }
}

/// The kind of one operand as `result_type` weighs it: tensors with dims outrank
/// 0-dim tensors, which outrank Python scalars ("wrapped numbers").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandRank {
    Dimensioned,
    ZeroDim,
    WrappedNumber,
}

/// Running state of PyTorch's `ResultTypeState`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResultType {
    dim_result: Option<DType>,
    zero_result: Option<DType>,
    wrapped_result: Option<DType>,
    /// The first pair of dtypes PyTorch refuses to promote (shell unsigned ones).
    refused: Option<(DType, DType)>,
}

fn promote_opt(a: Option<DType>, b: DType, refused: &mut Option<(DType, DType)>) -> Option<DType> {
    Some(match a {
        None => b,
        Some(a) => {
            if try_promote_types(a, b).is_err() && refused.is_none() {
                *refused = Some((a, b));
            }
            promote_types(a, b)
        }
    })
}

fn combine_categories(
    higher: Option<DType>,
    lower: Option<DType>,
    refused: &mut Option<(DType, DType)>,
) -> Option<DType> {
    let rank = |d: Option<DType>| d.map(|d| d.category());
    match (higher, lower) {
        (Some(h), _) if rank(Some(h)) >= rank(lower) && h.category() >= Category::Floating => {
            Some(h)
        }
        // A complex scalar meets a floating tensor: the tensor's precision, made complex.
        (Some(h), Some(l)) if h.is_floating() && l.is_complex() => Some(h.to_complex()),
        // an integral tensor takes the complex scalar's dtype as it is (uint16 included)
        (Some(_), Some(l)) if l.is_complex() => Some(l),
        (h, Some(l)) if h == Some(DType::Bool) || l.category() >= Category::Floating => {
            promote_opt(h, l, refused)
        }
        (Some(h), _) => Some(h),
        (None, l) => l,
    }
}

impl ResultType {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an operand. A wrapped Python float counts as the default float dtype.
    pub fn add(&mut self, dtype: DType, rank: OperandRank) -> &mut Self {
        match rank {
            OperandRank::Dimensioned => {
                self.dim_result = promote_opt(self.dim_result, dtype, &mut self.refused)
            }
            OperandRank::ZeroDim => {
                self.zero_result = promote_opt(self.zero_result, dtype, &mut self.refused)
            }
            OperandRank::WrappedNumber => {
                self.wrapped_result = promote_opt(self.wrapped_result, dtype, &mut self.refused)
            }
        }
        self
    }

    /// The promoted dtype; PyTorch's RuntimeError for a pair it refuses to promote.
    pub fn result(&self) -> crate::error::Result<DType> {
        // A complex number meets an 8-bit float: PyTorch has no complex form of it.
        for (higher, lower) in [
            (self.zero_result, self.wrapped_result),
            (self.dim_result, self.zero_result.or(self.wrapped_result)),
            (self.dim_result, self.wrapped_result),
        ] {
            if let (Some(h), Some(l)) = (higher, lower) {
                if h.is_float8() && l.is_complex() {
                    return Err(crate::error::Error::runtime(format!(
                        "Unknown Complex ScalarType for {}",
                        h.kernel_name()
                    )));
                }
            }
        }
        let mut refused = self.refused;
        let lower = combine_categories(self.zero_result, self.wrapped_result, &mut refused);
        let result = combine_categories(self.dim_result, lower, &mut refused);
        if let Some((a, b)) = refused {
            try_promote_types(a, b)?;
        }
        Ok(result.unwrap_or(DType::F32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;
    use OperandRank::*;

    fn rt(ops: &[(DType, OperandRank)]) -> DType {
        let mut r = ResultType::new();
        for &(d, k) in ops {
            r.add(d, k);
        }
        r.result().unwrap()
    }

    #[test]
    fn float8_promotes_only_with_itself() {
        assert_eq!(try_promote_types(F8E4M3FN, F8E4M3FN).unwrap(), F8E4M3FN);
        let e = try_promote_types(I64, F8E4M3FN).unwrap_err();
        assert!(e
            .to_string()
            .contains("attempted to promote Long and Float8_e4m3fn"));
        assert!(try_promote_types(F8E5M2, F8E4M3FN).is_err());
        assert!(try_promote_types(U16, F8E8M0FNU)
            .unwrap_err()
            .to_string()
            .contains("Float8 Types"));
        // a number or a 0-dim tensor does not promote a float8 tensor
        assert_eq!(
            rt(&[(F8E4M3FN, Dimensioned), (F64, WrappedNumber)]),
            F8E4M3FN
        );
        assert_eq!(rt(&[(F8E4M3FN, Dimensioned), (F32, ZeroDim)]), F8E4M3FN);
        let mut r = ResultType::new();
        r.add(F8E4M3FN, Dimensioned).add(C64, WrappedNumber);
        assert!(r.result().is_err());
    }

    #[test]
    fn promotion_matches_torch_result_type() {
        // ones(2) + tensor(1., dtype=float64) stays float32
        assert_eq!(rt(&[(F32, Dimensioned), (F64, ZeroDim)]), F32);
        // int64 tensor + 2.5 -> float32 (the default dtype)
        assert_eq!(rt(&[(I64, Dimensioned), (F32, WrappedNumber)]), F32);
        // int64 tensor * True stays int64
        assert_eq!(rt(&[(I64, Dimensioned), (Bool, WrappedNumber)]), I64);
        // bool tensor + 1 -> int64
        assert_eq!(rt(&[(Bool, Dimensioned), (I64, WrappedNumber)]), I64);
        // int64 0-dim + float32 dimensioned -> float32; float64 0-dim + int64 tensor -> float64
        assert_eq!(rt(&[(I64, ZeroDim), (F32, Dimensioned)]), F32);
        assert_eq!(rt(&[(I64, Dimensioned), (F64, ZeroDim)]), F64);
        assert_eq!(rt(&[(F32, Dimensioned), (F64, Dimensioned)]), F64);
        assert_eq!(rt(&[(Bool, Dimensioned), (Bool, Dimensioned)]), Bool);
    }

    #[test]
    fn narrow_dtypes_promote_as_torch() {
        assert_eq!(promote_types(U8, I8), I16);
        assert_eq!(promote_types(U8, I32), I32);
        assert_eq!(promote_types(Bool, U8), U8);
        assert_eq!(promote_types(I32, F16), F16);
        assert_eq!(promote_types(F16, BF16), F32);
        assert_eq!(promote_types(BF16, F64), F64);
        // int32 tensor + 0-dim float16 -> float16; float16 tensor + Python float stays
        assert_eq!(rt(&[(I32, Dimensioned), (F16, ZeroDim)]), F16);
        assert_eq!(rt(&[(F16, Dimensioned), (F32, WrappedNumber)]), F16);
        assert_eq!(rt(&[(I8, Dimensioned), (I64, WrappedNumber)]), I8);
        assert_eq!(rt(&[(U8, ZeroDim), (I8, ZeroDim)]), I16);
    }

    #[test]
    fn shell_unsigned_dtypes_promote_only_with_themselves_and_floats() {
        assert_eq!(try_promote_types(U16, U16).unwrap(), U16);
        assert_eq!(try_promote_types(U32, F16).unwrap(), F16);
        assert_eq!(try_promote_types(F64, U64).unwrap(), F64);
        for other in [Bool, U8, I64, U32, C64] {
            let e = try_promote_types(U16, other).unwrap_err();
            assert!(e.message.contains("attempted to promote UInt16 and"));
        }
        // a 0-dim int64 operand does not meet a dimensioned uint16 one in promote_types
        let mut r = ResultType::new();
        r.add(U16, Dimensioned).add(I64, ZeroDim);
        assert_eq!(r.result().unwrap(), U16);
        let mut r = ResultType::new();
        r.add(U16, Dimensioned).add(I64, Dimensioned);
        assert!(r.result().is_err());
    }

    #[test]
    fn complex32_promotes_as_torch() {
        assert_eq!(promote_types(C32, F16), C32);
        assert_eq!(promote_types(C32, I64), C32);
        assert_eq!(promote_types(C32, Bool), C32);
        assert_eq!(promote_types(C32, BF16), C64);
        assert_eq!(promote_types(C32, F32), C64);
        assert_eq!(promote_types(C32, F64), C128);
        assert_eq!(promote_types(F16, C64), C64);
        // a float16 tensor meeting a Python complex stays half: complex32
        assert_eq!(rt(&[(F16, Dimensioned), (C128, WrappedNumber)]), C32);
        assert_eq!(rt(&[(BF16, Dimensioned), (C128, WrappedNumber)]), C64);
    }

    #[test]
    fn promote_types_is_symmetric() {
        for a in DType::ALL {
            for b in DType::ALL {
                assert_eq!(promote_types(a, b), promote_types(b, a));
            }
        }
    }
}
