//! Complex exponentials, logarithms, roots, trigonometric and hyperbolic functions and
//! their inverses computed by the C library's C99 functions (`cexp`, `csqrtf`, ...),
//! which PyTorch's CPU kernels reach through `std::exp(std::complex)`: the same values to
//! the last bit, and Annex G's infinities, NaNs and signed zeros. Each result is one node
//! whose gradient is `grad * conj(f'(z))`, written with complex ops (so it is itself
//! differentiable).

use super::complex::{binary, from_pairs, real_view_raw, refuse_half, view_as_real};
use crate::autograd::{needs_grad, record, BackwardCtx, SavedTensor};
use crate::error::Result;
use crate::tensor::storage::Element;
use crate::tensor::{DType, Scalar, Tensor};

/// A C `double _Complex` / `float _Complex`: two parts in a struct of the same ABI.
#[repr(C)]
#[derive(Clone, Copy)]
struct Pair<T> {
    re: T,
    im: T,
}

macro_rules! c99 {
    ($($name:ident, $namef:ident;)*) => {
        extern "C" {
            $(
                fn $name(z: Pair<f64>) -> Pair<f64>;
                fn $namef(z: Pair<f32>) -> Pair<f32>;
            )*
        }
    };
}

c99! {
    cexp, cexpf; clog, clogf; csqrt, csqrtf;
    csin, csinf; ccos, ccosf; ctan, ctanf;
    csinh, csinhf; ccosh, ccoshf; ctanh, ctanhf;
    casin, casinf; cacos, cacosf; catan, catanf;
    casinh, casinhf; cacosh, cacoshf; catanh, catanhf;
}

/// The C99 function of one name, for both precisions.
#[derive(Clone, Copy)]
pub enum Function {
    Exp,
    Log,
    Sqrt,
    Sin,
    Cos,
    Tan,
    Sinh,
    Cosh,
    Tanh,
    Asin,
    Acos,
    Atan,
    Asinh,
    Acosh,
    Atanh,
}

impl Function {
    fn f64(self, z: Pair<f64>) -> Pair<f64> {
        // SAFETY: each is a pure C99 <complex.h> function of libm (linked with std), taking
        // and returning `double _Complex`, whose x86-64/aarch64 ABI `Pair<f64>` shares.
        unsafe {
            match self {
                Function::Exp => cexp(z),
                Function::Log => clog(z),
                Function::Sqrt => csqrt(z),
                Function::Sin => csin(z),
                Function::Cos => ccos(z),
                Function::Tan => ctan(z),
                Function::Sinh => csinh(z),
                Function::Cosh => ccosh(z),
                Function::Tanh => ctanh(z),
                Function::Asin => casin(z),
                Function::Acos => cacos(z),
                Function::Atan => catan(z),
                Function::Asinh => casinh(z),
                Function::Acosh => cacosh(z),
                Function::Atanh => catanh(z),
            }
        }
    }

    fn f32(self, z: Pair<f32>) -> Pair<f32> {
        // SAFETY: as in `f64`, for `float _Complex` (both parts in one SSE register on
        // x86-64, as a struct of two floats).
        unsafe {
            match self {
                Function::Exp => cexpf(z),
                Function::Log => clogf(z),
                Function::Sqrt => csqrtf(z),
                Function::Sin => csinf(z),
                Function::Cos => ccosf(z),
                Function::Tan => ctanf(z),
                Function::Sinh => csinhf(z),
                Function::Cosh => ccoshf(z),
                Function::Tanh => ctanhf(z),
                Function::Asin => casinf(z),
                Function::Acos => cacosf(z),
                Function::Atan => catanf(z),
                Function::Asinh => casinhf(z),
                Function::Acosh => cacoshf(z),
                Function::Atanh => catanhf(z),
            }
        }
    }

    fn node_name(self) -> &'static str {
        match self {
            Function::Exp => "ExpBackward0",
            Function::Log => "LogBackward0",
            Function::Sqrt => "SqrtBackward0",
            Function::Sin => "SinBackward0",
            Function::Cos => "CosBackward0",
            Function::Tan => "TanBackward0",
            Function::Sinh => "SinhBackward0",
            Function::Cosh => "CoshBackward0",
            Function::Tanh => "TanhBackward0",
            Function::Asin => "AsinBackward0",
            Function::Acos => "AcosBackward0",
            Function::Atan => "AtanBackward0",
            Function::Asinh => "AsinhBackward0",
            Function::Acosh => "AcoshBackward0",
            Function::Atanh => "AtanhBackward0",
        }
    }

    /// Whether the derivative is written with the result (else with the input).
    fn saves_output(self) -> bool {
        matches!(
            self,
            Function::Exp | Function::Sqrt | Function::Tan | Function::Tanh
        )
    }
}

/// `f(t)` elementwise for complex64/complex128 `t`, one node.
pub fn apply(f: Function, t: &Tensor) -> Result<Tensor> {
    refuse_half(t);
    if t.is_conj() {
        view_as_real(t)?; // its error for an unresolved conjugate
    }
    let pairs = real_view_raw(t);
    let out = match (t.dtype(), f) {
        (DType::C64, _) => mapped(&pairs, t, |z| f.f32(z)),
        (_, Function::Acos) => mapped(&pairs, t, |z: Pair<f64>| {
            // PyTorch's complex128 kernel: pi/2 - asin z, part by part
            let a = Function::Asin.f64(z);
            Pair {
                re: std::f64::consts::FRAC_PI_2 - a.re,
                im: 0.0 - a.im,
            }
        }),
        _ => mapped(&pairs, t, |z| f.f64(z)),
    }?;
    let out = super::complex_layout::in_order_of(out, &[t])?;
    if needs_grad(&[t]) {
        let saved = if f.saves_output() {
            SavedTensor::output(&out)
        } else {
            SavedTensor::input(t)
        };
        record(f.node_name(), &[t], &[&out], vec![saved], move |ctx| {
            Ok(vec![Some(gradient(f, ctx)?)])
        });
    }
    Ok(out)
}

/// `f` over the (re, im) pairs of `t` (`pairs`: its real view), as a fresh contiguous
/// complex tensor of `t`'s shape and dtype.
fn mapped<T: Element + Copy>(
    pairs: &Tensor,
    t: &Tensor,
    f: impl Fn(Pair<T>) -> Pair<T>,
) -> Result<Tensor> {
    let v = pairs.to_vec::<T>();
    let mut out = Vec::with_capacity(v.len());
    for p in v.chunks_exact(2) {
        let r = f(Pair { re: p[0], im: p[1] });
        out.push(r.re);
        out.push(r.im);
    }
    from_pairs(T::into_buffer(out), t.shape(), t.dtype())
}

fn num(v: f64) -> Tensor {
    super::scalar(Scalar::Float(v))
}

/// PyTorch's complex gradient of `f`: `grad * conj(f'(z))`, with `f'` as its
/// derivatives.yaml writes it.
fn gradient(f: Function, ctx: &BackwardCtx) -> Result<Tensor> {
    let g = ctx.grad();
    let s = ctx.saved(0);
    let conj = |t: &Tensor| super::complex_math::conj_physical(t, "ConjPhysicalBackward0");
    let square = |t: &Tensor| binary(t, t, '*');
    let times_conj = |d: Tensor| binary(g, &conj(&d)?, '*');
    match f {
        Function::Exp => times_conj(s.clone()),
        Function::Log => binary(g, &conj(s)?, '/'),
        Function::Sqrt => binary(g, &conj(&binary(s, &num(2.0), '*')?)?, '/'),
        Function::Sin => times_conj(apply(Function::Cos, s)?),
        Function::Cos => times_conj(super::neg(&apply(Function::Sin, s)?)?),
        Function::Tan => times_conj(binary(&num(1.0), &square(s)?, '+')?),
        Function::Sinh => times_conj(apply(Function::Cosh, s)?),
        Function::Cosh => times_conj(apply(Function::Sinh, s)?),
        Function::Tanh => times_conj(binary(&num(1.0), &square(s)?, '-')?),
        Function::Asin => times_conj(rsqrt(&binary(&num(1.0), &square(s)?, '-')?)?),
        Function::Acos => times_conj(super::neg(&rsqrt(&binary(&num(1.0), &square(s)?, '-')?)?)?),
        Function::Atan => binary(g, &conj(&binary(&square(s)?, &num(1.0), '+')?)?, '/'),
        Function::Asinh => times_conj(rsqrt(&binary(&square(s)?, &num(1.0), '+')?)?),
        Function::Acosh => times_conj(binary(
            &rsqrt(&binary(s, &num(1.0), '+')?)?,
            &rsqrt(&binary(s, &num(1.0), '-')?)?,
            '*',
        )?),
        Function::Atanh => binary(g, &conj(&binary(&num(1.0), &square(s)?, '-')?)?, '/'),
    }
}

fn rsqrt(t: &Tensor) -> Result<Tensor> {
    binary(&num(1.0), &apply(Function::Sqrt, t)?, '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_library_follows_annex_g_for_infinities() {
        let z = Function::Exp.f64(Pair {
            re: f64::INFINITY,
            im: 0.0,
        });
        assert_eq!((z.re, z.im), (f64::INFINITY, 0.0));
        let w = Function::Sqrt.f32(Pair { re: 0.0, im: 2.0 });
        assert_eq!((w.re, w.im), (1.0, 1.0));
        let s = Function::Sin.f64(Pair {
            re: 0.0,
            im: f64::INFINITY,
        });
        assert_eq!(s.re, 0.0);
        assert_eq!(s.im, f64::INFINITY);
    }
}
