//! The `torch.special` Bessel, Airy and orthogonal-polynomial functions (kernels in
//! `kernels::bessel` and `kernels::orthogonal_polynomials`).
//!
//! As in PyTorch: float32 is computed in float32 and float64 in float64; integer and
//! bool inputs in the default float dtype; float16 and bfloat16 are refused
//! (NotImplementedError, PyTorch has no CPU kernel for them); and no gradient is
//! recorded (PyTorch declares the outputs non-differentiable, so they never require
//! grad). The polynomials take (x, n) broadcast together, n truncated to an integer in
//! the result dtype as PyTorch's `static_cast<int64_t>` does.

use super::cast::{both_as, cast_raw, map1, map2};
use super::operands_dtype;
use crate::error::{Error, Result};
use crate::kernels::bessel as b;
use crate::kernels::orthogonal_polynomials as p;
use crate::kernels::special_real::Real;
use crate::tensor::{default_dtype, DType, Tensor};

/// A kernel instantiated for both float types.
struct Unary {
    f32: fn(f32) -> f32,
    f64: fn(f64) -> f64,
}

struct Polynomial {
    f32: fn(f32, i64) -> f32,
    f64: fn(f64, i64) -> f64,
}

macro_rules! unary {
    ($f:ident) => {
        Unary {
            f32: b::$f::<f32>,
            f64: b::$f::<f64>,
        }
    };
}

macro_rules! polynomial {
    ($f:ident) => {
        Polynomial {
            f32: p::$f::<f32>,
            f64: p::$f::<f64>,
        }
    };
}

fn unary_kernel(name: &str) -> Option<Unary> {
    Some(match name {
        "airy_ai" => unary!(airy_ai),
        "bessel_j0" => unary!(bessel_j0),
        "bessel_j1" => unary!(bessel_j1),
        "bessel_y0" => unary!(bessel_y0),
        "bessel_y1" => unary!(bessel_y1),
        "modified_bessel_i0" => unary!(modified_bessel_i0),
        "modified_bessel_i1" => unary!(modified_bessel_i1),
        "modified_bessel_k0" => unary!(modified_bessel_k0),
        "modified_bessel_k1" => unary!(modified_bessel_k1),
        "scaled_modified_bessel_k0" => unary!(scaled_modified_bessel_k0),
        "scaled_modified_bessel_k1" => unary!(scaled_modified_bessel_k1),
        "spherical_bessel_j0" => unary!(spherical_bessel_j0),
        _ => return None,
    })
}

fn polynomial_kernel(name: &str) -> Option<Polynomial> {
    Some(match name {
        "chebyshev_polynomial_t" => polynomial!(chebyshev_t),
        "chebyshev_polynomial_u" => polynomial!(chebyshev_u),
        "chebyshev_polynomial_v" => polynomial!(chebyshev_v),
        "chebyshev_polynomial_w" => polynomial!(chebyshev_w),
        "shifted_chebyshev_polynomial_t" => polynomial!(shifted_chebyshev_t),
        "shifted_chebyshev_polynomial_u" => polynomial!(shifted_chebyshev_u),
        "shifted_chebyshev_polynomial_v" => polynomial!(shifted_chebyshev_v),
        "shifted_chebyshev_polynomial_w" => polynomial!(shifted_chebyshev_w),
        "hermite_polynomial_h" => polynomial!(hermite_h),
        "hermite_polynomial_he" => polynomial!(hermite_he),
        "laguerre_polynomial_l" => polynomial!(laguerre_l),
        "legendre_polynomial_p" => polynomial!(legendre_p),
        _ => return None,
    })
}

fn unknown(name: &str) -> Error {
    Error::value(format!("unknown special function '{name}'"))
}

/// The float dtype the kernel runs in: `dtype` itself, the default dtype for integers
/// and bool, an error for the half types.
fn kernel_dtype(dtype: DType, name: &str) -> Result<DType> {
    match dtype {
        DType::F32 | DType::F64 => Ok(dtype),
        d if d.is_floating() => Err(Error::not_implemented(format!(
            "\"{name}_cpu\" not implemented for '{}'",
            d.kernel_name()
        ))),
        _ => Ok(default_dtype()),
    }
}

fn as_dtype(t: &Tensor, dtype: DType) -> Tensor {
    if t.dtype() == dtype {
        t.clone()
    } else {
        cast_raw(t, dtype)
    }
}

/// `torch.special.<name>(t)` for the Bessel and Airy functions.
pub fn special_more_unary(name: &str, t: &Tensor) -> Result<Tensor> {
    let kernel = unary_kernel(name).ok_or_else(|| unknown(name))?;
    let dtype = kernel_dtype(t.dtype(), name)?;
    let src = as_dtype(t, dtype);
    Ok(match dtype {
        DType::F32 => map1::<f32, f32>(&src, kernel.f32),
        _ => map1::<f64, f64>(&src, kernel.f64),
    })
}

/// `torch.special.<name>(x, n)` for the orthogonal polynomials; either operand may be
/// a wrapped Python number.
pub fn special_more_polynomial(name: &str, x: &Tensor, n: &Tensor) -> Result<Tensor> {
    let kernel = polynomial_kernel(name).ok_or_else(|| unknown(name))?;
    let dtype = kernel_dtype(operands_dtype(x, n)?, name)?;
    let (cx, cn) = both_as(x, n, dtype);
    match dtype {
        DType::F32 => map2::<f32, f32>(&cx, &cn, move |x, n| (kernel.f32)(x, n.to_i64_like_cpp())),
        _ => map2::<f64, f64>(&cx, &cn, move |x, n| (kernel.f64)(x, n.to_i64_like_cpp())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtypes_follow_pytorch() {
        let ints = Tensor::from_vec(vec![1i64, 2], &[2]).unwrap();
        assert_eq!(
            special_more_unary("bessel_j0", &ints).unwrap().dtype(),
            default_dtype()
        );
        let n = Tensor::from_vec(vec![3.0f64], &[1]).unwrap();
        let r = special_more_polynomial("legendre_polynomial_p", &ints, &n).unwrap();
        assert_eq!(r.dtype(), DType::F64);
        assert_eq!(r.to_vec::<f64>(), vec![1.0, 17.0]);
        assert!(special_more_unary("no_such", &ints).is_err());
    }
}
