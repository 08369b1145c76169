//! Complex elementwise math, products and comparisons, written as real ops on the real
//! and imaginary parts (see `ops::complex`), so autograd follows from the real ops and
//! each result carries PyTorch's node name.

use super::complex::{binary, view_as_real};
use super::named_node::named_result;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::{DType, Scalar, Tensor};

/// Real and imaginary parts of complex `t` (with autograd), for the functions that
/// PyTorch's CPU kernels lack for complex32.
fn parts(t: &Tensor) -> Result<(Tensor, Tensor)> {
    super::complex::refuse_half(t);
    any_parts(t)
}

/// `parts` for every complex dtype, complex32 included.
fn any_parts(t: &Tensor) -> Result<(Tensor, Tensor)> {
    let pairs = view_as_real(t)?;
    Ok((super::select(&pairs, -1, 0)?, super::select(&pairs, -1, 1)?))
}

/// `re + i im` from two real tensors of one shape.
fn join(re: &Tensor, im: &Tensor) -> Result<Tensor> {
    super::complex::view_as_complex(&super::stack(&[re.clone(), im.clone()], -1)?)
}

fn num(v: f64) -> Tensor {
    super::scalar(Scalar::Float(v))
}

/// `|z|` (`AbsBackward0`: the gradient is `grad * sgn(z)`).
pub fn abs(t: &Tensor) -> Result<Tensor> {
    let out = {
        let _mode = GradModeGuard::new(false);
        let (re, im) = any_parts(t)?;
        super::hypot(&re, &im)?
    };
    if needs_grad(&[t]) {
        record(
            "AbsBackward0",
            &[t],
            &[&out],
            smallvec::smallvec![SavedTensor::input(t)],
            |ctx| Ok(vec![Some(binary(ctx.grad(), &sgn(ctx.saved(0))?, '*')?)]),
        );
    }
    Ok(out)
}

/// `z / |z|`, 0 where `z` is 0 (`SgnBackward0`).
pub fn sgn(t: &Tensor) -> Result<Tensor> {
    let a = abs(t)?;
    let zero = super::eq(&a, &num(0.0))?;
    let denom = super::where_(&zero, &super::ones_like(&a)?, &a)?;
    named_result(&binary(t, &denom, '/')?, "SgnBackward0")
}

/// The argument of `z` (`AngleBackward0`).
pub fn angle(t: &Tensor) -> Result<Tensor> {
    let (re, im) = parts(t)?;
    super::complex_layout::in_order_of(
        named_result(&super::atan2(&im, &re)?, "AngleBackward0")?,
        &[],
    )
}

pub fn exp(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Exp, t)
}

pub fn log(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Log, t)
}

/// `out`, computed without a graph, as the result of a node `name` on `t` whose
/// gradient is `formula(grad, t, out)`: PyTorch's formula for that op.
pub(crate) fn with_node(
    t: &Tensor,
    out: Tensor,
    name: &'static str,
    formula: impl Fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Result<Tensor> {
    let out = out.detached();
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        record(name, &[t], &[&out], saved, move |ctx| {
            Ok(vec![Some(formula(ctx.grad(), ctx.saved(0), ctx.saved(1))?)])
        });
    }
    Ok(out)
}

/// `conj(z)` inside a gradient formula.
pub(crate) fn conj(t: &Tensor) -> Result<Tensor> {
    conj_physical(t, "ConjPhysicalBackward0")
}

/// `z ** e` for a real number `e`, as PyTorch's kernels compute it: 1 for `e == 0`,
/// `sqrt`, `rsqrt` and `reciprocal` for 0.5, -0.5 and -1, products for 2, 3 and -2
/// (`z**3` of a Gaussian integer is exact), else `exp((e + 0i) * log(z))` as C's `cpow`.
fn pow_by_number(a: &Tensor, e: f64) -> Result<Tensor> {
    let _no_grad = GradModeGuard::new(false);
    let one = || super::scalar(Scalar::Int(1));
    Ok(if e == 0.0 {
        super::ones_like(a)?
    } else if e == 1.0 {
        super::clone(a)?
    } else if e == 0.5 {
        sqrt(a)?
    } else if e == -0.5 {
        binary(&one(), &sqrt(a)?, '/')?
    } else if e == -1.0 {
        binary(&one(), a, '/')?
    } else if e == 2.0 {
        binary(a, a, '*')?
    } else if e == 3.0 {
        binary(&binary(a, a, '*')?, a, '*')?
    } else if e == -2.0 {
        binary(&one(), &binary(a, a, '*')?, '/')?
    } else {
        let e = super::to_dtype(&num(e), a.dtype())?;
        exp(&binary(&e, &log(a)?, '*')?)?
    })
}

pub fn sqrt(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Sqrt, t)
}

pub fn reciprocal(t: &Tensor) -> Result<Tensor> {
    super::complex::refuse_half_kernel("reciprocal_cpu", t.dtype())?;
    let one = super::scalar(Scalar::Int(1));
    named_result(&binary(&one, t, '/')?, "ReciprocalBackward0")
}

pub fn sin(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Sin, t)
}

pub fn cos(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Cos, t)
}

pub fn tanh(t: &Tensor) -> Result<Tensor> {
    super::complex_libm::apply(super::complex_libm::Function::Tanh, t)
}

/// `a ** b` where one side is complex.
pub fn pow(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = super::operands_dtype(a, b)?;
    super::complex::refuse_half_kernel("pow", dtype)?;
    if b.is_wrapped_number() && !b.dtype().is_complex() {
        let a = super::to_dtype(a, dtype)?;
        let exponent = b.item()?;
        let e = exponent.to_f64();
        // PyTorch's PowBackward0: grad * conj(e * z^(e-1)), zero for e == 0
        let out = with_node(&a, pow_by_number(&a, e)?, "PowBackward0", move |g, z, _| {
            if e == 0.0 {
                return super::zeros_like(z);
            }
            let power = pow(z, &num(e - 1.0))?;
            binary(g, &conj(&binary(&power, &num(e), '*')?)?, '*')
        })?;
        crate::autograd::record::save_args(
            &out,
            vec![(
                "exponent",
                crate::autograd::node::SavedArg::Scalar(exponent),
            )],
        );
        return super::complex_layout::in_order_of(out, &[&a]);
    }
    let base_is_number = a.is_wrapped_number();
    let a = super::to_dtype(a, dtype)?;
    let b = super::to_dtype(b, dtype)?;
    let out = exp(&binary(&b, &log(&a)?, '*')?)?;
    let name = if base_is_number {
        "PowBackward2"
    } else {
        "PowBackward1"
    };
    named_result(&out, name)
}

/// `conj_physical(z)`: a copy with the imaginary parts negated.
pub fn conj_physical(t: &Tensor, name: &str) -> Result<Tensor> {
    if !t.dtype().is_complex() {
        return Ok(t.clone());
    }
    let (x, y) = any_parts(t)?;
    super::complex_layout::in_order_of(named_result(&join(&x, &super::neg(&y)?)?, name)?, &[t])
}

/// `torch.polar(abs, angle)` (`PolarBackward0`).
pub fn polar(r: &Tensor, theta: &Tensor) -> Result<Tensor> {
    let (dr, dt) = (r.dtype(), theta.dtype());
    let accepted = |d: DType| matches!(d, DType::F16 | DType::F32 | DType::F64);
    if !accepted(dr) || !accepted(dt) {
        return Err(Error::runtime(format!(
            "Expected both inputs to be Half, Float or Double tensors but got {} and {}",
            dr.kernel_name(),
            dt.kernel_name()
        )));
    }
    if dr != dt {
        return Err(Error::runtime(format!(
            "Expected object of scalar type {} but got scalar type {} for second argument",
            dr.kernel_name(),
            dt.kernel_name()
        )));
    }
    if dr == DType::F16 {
        // PyTorch accepts half parts, then has no kernel for them
        return Err(crate::tensor::dtype::shell_kernel_missing("polar_cpu", dr));
    }
    let re = super::mul(r, &super::cos(theta)?)?;
    let im = super::mul(r, &super::sin(theta)?)?;
    let shape = crate::tensor::layout::broadcast_shapes(re.shape(), im.shape())?;
    let sizes: Vec<i64> = shape.iter().map(|&s| s as i64).collect();
    let out = join(&super::expand(&re, &sizes)?, &super::expand(&im, &sizes)?)?;
    super::complex_layout::in_order_of(named_result(&out, "PolarBackward0")?, &[r, theta])
}

/// Real and imaginary parts of `t` as `dtype` (complex); `None` for a real tensor's.
fn split(t: &Tensor, dtype: DType) -> Result<(Tensor, Option<Tensor>)> {
    if !t.dtype().is_complex() {
        return Ok((super::to_dtype(t, dtype.to_real())?, None));
    }
    let (x, y) = parts(&super::to_dtype(t, dtype)?)?;
    Ok((x, Some(y)))
}

/// `a @ b` where one side is complex: four (or two) real products.
pub fn matmul(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let (da, db) = (a.dtype(), b.dtype());
    super::complex::refuse_half_kernel("addmm_impl_cpu_", da)?;
    if da != db {
        return Err(Error::runtime(format!(
            "expected m1 and m2 to have the same dtype, but got: {} != {}",
            da.cpp_name(),
            db.cpp_name()
        )));
    }
    let (ar, ai) = split(a, da)?;
    let (br, bi) = split(b, db)?;
    let (ar, ai, br, bi) = (ar, ai.expect("complex"), br, bi.expect("complex"));
    let re = super::sub(&super::matmul(&ar, &br)?, &super::matmul(&ai, &bi)?)?;
    let im = super::add(&super::matmul(&ar, &bi)?, &super::matmul(&ai, &br)?)?;
    let out = join(&re, &im)?;
    let name = match (a.ndim(), b.ndim()) {
        (1, 1) => "DotBackward0",
        (2, 1) => "MvBackward0",
        (2, 2) => "MmBackward0",
        (3, 3) => "BmmBackward0",
        _ => return Ok(out),
    };
    named_result(&out, name)
}

/// `vdot(a, b) = sum(conj(a) * b)` (`VdotBackward0`).
pub fn vdot(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let ac = conj_physical(a, "ConjPhysicalBackward0")?;
    let out = matmul(&ac, b)?;
    named_result(&out, "VdotBackward0")
}

/// `==` / `!=` where one side is complex; other comparisons are refused as PyTorch.
pub fn compare(a: &Tensor, b: &Tensor, name: &str) -> Result<Tensor> {
    let dtype = super::operands_dtype(a, b)?;
    if name != "eq" && name != "ne" {
        return Err(Error::not_implemented(format!(
            "\"{name}_cpu\" not implemented for '{}'",
            dtype.kernel_name()
        )));
    }
    let _mode = GradModeGuard::new(false);
    let pa = super::complex::real_view_raw(&super::to_dtype(a, dtype)?);
    let pb = super::complex::real_view_raw(&super::to_dtype(b, dtype)?);
    let out = if name == "eq" {
        super::all(&super::eq(&pa, &pb)?, Some(&[-1]), false)?
    } else {
        super::any(&super::ne(&pa, &pb)?, Some(&[-1]), false)?
    };
    super::complex_layout::in_order_of(out, &[a, b])
}

/// `prod` of a complex tensor, by repeated complex products along the dim.
pub fn prod(t: &Tensor, dim: Option<i64>, keepdim: bool) -> Result<Tensor> {
    super::complex::refuse_half_kernel("prod_out_cpu", t.dtype())?;
    let (src, d) = match dim {
        Some(d) if t.ndim() == 0 => {
            super::reduced_dims(t, Some(&[d]))?; // checks the dim
            (super::reshape(t, &[1])?, 0)
        }
        Some(d) => (t.clone(), d),
        None => (super::reshape(t, &[-1])?, 0),
    };
    let items = super::unbind(&src, d)?;
    let mut acc = match items.first() {
        Some(first) => first.clone(),
        None => {
            let mut shape = src.shape().to_vec();
            let dd = super::reduced_dims(&src, Some(&[d]))?[0];
            if keepdim && dim.is_some() {
                shape[dd] = 1;
            } else {
                shape.remove(dd);
            }
            return Tensor::full_scalar(&shape, Scalar::Int(1), t.dtype());
        }
    };
    for item in &items[1..] {
        acc = binary(&acc, item, '*')?;
    }
    if items.len() == 1 {
        acc = super::clone(&acc)?;
    }
    if keepdim && dim.is_some() && t.ndim() > 0 {
        acc = super::unsqueeze(&acc, d)?;
    }
    let name = if dim.is_none() {
        "ProdBackward0"
    } else {
        "ProdBackward1"
    };
    named_result(&acc, name)
}

/// `vector_norm` of a complex tensor: the norm of its absolute values.
pub fn vector_norm(t: &Tensor, p: f64, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    let out = super::vector_norm(&abs(t)?, p, dims, keepdim)?;
    named_result(&out, "LinalgVectorNormBackward0")
}
