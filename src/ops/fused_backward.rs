//! Backward formulas of elementwise functions computed in one pass over the incoming
//! gradient and the saved result, as PyTorch's `tanh_backward`, `sigmoid_backward` and
//! `threshold_backward` (relu):
//! one output buffer instead of three temporaries (and float16/bfloat16 round as
//! PyTorch's kernels do: once, except float16's sigmoid backward, which rounds each step).
//! A float32/float64 gradient that nothing but the caller's reference holds (the buffer
//! the backward engine hands a node) is overwritten with the result instead: no fresh
//! buffer at all. While a backward is itself being recorded
//! (`create_graph=True`), the result is one node named as PyTorch's
//! (`TanhBackwardBackward0`, ...) whose backward is composed of ops.

use super::binary::{mul, rsub_scalar};
use super::cast::{in_compute, map2, narrow_to};
use super::float::Float;
use super::scalar;
use super::simd_map::simd_map2;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::Result;
use crate::tensor::storage::{Buffer, Element};
use crate::tensor::{DType, Scalar, Tensor};

/// `grad * (1 - y²)`: the gradient of `y = tanh(x)`.
pub fn tanh_backward(grad: &Tensor, y: &Tensor) -> Result<Tensor> {
    if let Some(out) = fused(grad, y, Formula::Tanh, true)? {
        return Ok(out);
    }
    if let Some(out) = recorded(grad, y, Formula::Tanh)? {
        return Ok(out);
    }
    mul(grad, &rsub_scalar(&mul(y, y)?, Scalar::Int(1))?)
}

/// `grad * y (1 - y)`: the gradient of `y = sigmoid(x)`.
pub fn sigmoid_backward(grad: &Tensor, y: &Tensor) -> Result<Tensor> {
    if let Some(out) = fused(grad, y, Formula::Sigmoid, true)? {
        return Ok(out);
    }
    if let Some(out) = recorded(grad, y, Formula::Sigmoid)? {
        return Ok(out);
    }
    mul(grad, &mul(y, &rsub_scalar(y, Scalar::Int(1))?)?)
}

/// 0 where `y <= 0`, else `grad`: the gradient of `y = relu(x)`, as PyTorch's
/// threshold_backward (a NaN `y` passes the gradient).
pub fn relu_backward(grad: &Tensor, y: &Tensor) -> Result<Tensor> {
    if let Some(out) = fused(grad, y, Formula::Relu, true)? {
        return Ok(out);
    }
    if let Some(out) = recorded(grad, y, Formula::Relu)? {
        return Ok(out);
    }
    let mask = super::compare::le(y, &super::scalar(Scalar::Int(0)))?;
    let zeros = super::creation::zeros_like(grad)?;
    super::index::where_(&mask, &zeros, grad)
}

/// `grad * (x * 2)`, the gradient of `x ** 2` as PyTorch's `pow_backward` composes it
/// (`grad * (2 * x.pow(1))`: `x ** 1` is `x` and doubling is exact, so the product is the
/// one rounding), in one pass for float32/float64 operands of one dtype. None where the
/// composed ops must run (a recorded backward, other dtypes).
pub fn square_backward(grad: &Tensor, x: &Tensor) -> Result<Option<Tensor>> {
    if needs_grad(&[grad, x]) || grad.dtype() != x.dtype() {
        return Ok(None);
    }
    Ok(Some(match x.dtype() {
        DType::F32 => simd_map2::<f32, f32>(grad, x, |g, x| g * (x * 2.0))?,
        DType::F64 => simd_map2::<f64, f64>(grad, x, |g, x| g * (x * 2.0))?,
        _ => return Ok(None),
    }))
}

#[derive(Clone, Copy)]
enum Formula {
    Tanh,
    Sigmoid,
    Relu,
}

/// One pass of `formula` over `(grad, y)`, a closure per formula so that each loop
/// vectorizes (a match inside the element closure keeps it scalar).
fn map_formula<T: Float>(grad: &Tensor, y: &Tensor, formula: Formula) -> Result<Tensor> {
    match formula {
        Formula::Tanh => map2::<T, T>(grad, y, |g, y| apply(Formula::Tanh, g, y)),
        Formula::Sigmoid => map2::<T, T>(grad, y, |g, y| apply(Formula::Sigmoid, g, y)),
        Formula::Relu => map2::<T, T>(grad, y, |g, y| apply(Formula::Relu, g, y)),
    }
}

/// `formula` over one pair of values (inlined with a constant `formula`, so the match
/// folds away).
#[inline(always)]
fn apply<T: Float>(formula: Formula, g: T, y: T) -> T {
    match formula {
        Formula::Tanh => g * (T::one() - y * y),
        Formula::Sigmoid => g * (y * (T::one() - y)),
        Formula::Relu if y <= T::zero() => T::zero(),
        Formula::Relu => g,
    }
}

/// `g[i] = formula(g[i], y[i])`, one loop per formula so that each vectorizes.
fn over_slice<T: Float>(g: &mut [T], y: &[T], formula: Formula) {
    use crate::kernels::simd_map::update;
    match formula {
        Formula::Tanh => update(g, y, |g, y| apply(Formula::Tanh, g, y)),
        Formula::Sigmoid => update(g, y, |g, y| apply(Formula::Sigmoid, g, y)),
        Formula::Relu => update(g, y, |g, y| apply(Formula::Relu, g, y)),
    }
}

/// Writes `formula` over `grad` and returns true when only the caller's reference holds
/// `grad` (so nobody can see the write) and `grad` and `y` are contiguous float32/float64
/// tensors of one shape and dtype in different memory; false, having written nothing,
/// otherwise.
fn over_grad(grad: &Tensor, y: &Tensor, formula: Formula) -> bool {
    if !grad.is_exclusive() || grad.storage().same_memory(y.storage()) {
        return false;
    }
    let Some((to, from)) = super::accumulate::matching_contiguous_runs(grad, y) else {
        return false;
    };
    let source = y.storage().read();
    let mut target = grad.storage().write();
    match &mut *target {
        Buffer::F32(g) => over_slice(&mut g[to], &f32::slice(&source)[from], formula),
        Buffer::F64(g) => over_slice(&mut g[to], &f64::slice(&source)[from], formula),
        _ => return false,
    }
    true
}

/// The fused result, or None where the composed ops must run: a recorded backward, or
/// operands of different or non-float dtypes. `overwrite`: the result may go over an
/// unshared `grad` (never when the backward is being recorded: the node saves `grad`).
fn fused(grad: &Tensor, y: &Tensor, formula: Formula, overwrite: bool) -> Result<Option<Tensor>> {
    let dtype = y.dtype();
    if needs_grad(&[grad, y]) || grad.dtype() != dtype || !dtype.is_floating() {
        return Ok(None);
    }
    if overwrite && over_grad(grad, y, formula) {
        return Ok(Some(grad.clone()));
    }
    let out = match dtype.compute() {
        DType::F32 => {
            let (g, y) = (in_compute(grad, dtype), in_compute(y, dtype));
            if let (DType::F16, Formula::Sigmoid) = (dtype, formula) {
                // PyTorch's float16 sigmoid backward works in half precision, rounding
                // after each step of `(grad * (1 - y)) * y`.
                let half = |v: f32| half::f16::from_f32(v).to_f32();
                map2::<f32, f32>(&g, &y, move |g, y| half(half(g * half(1.0 - y)) * y))?
            } else {
                map_formula::<f32>(&g, &y, formula)?
            }
        }
        DType::F64 => map_formula::<f64>(grad, y, formula)?,
        _ => return Ok(None),
    };
    Ok(Some(narrow_to(out, dtype)))
}

/// A backward being recorded (`create_graph=True`) as PyTorch records it: one node named
/// after the backward function (`TanhBackwardBackward0`, ...) over `(grad, y)`, whose own
/// backward is composed of ops. None where the composed ops must run (operands of
/// different or non-float dtypes).
fn recorded(grad: &Tensor, y: &Tensor, formula: Formula) -> Result<Option<Tensor>> {
    let dtype = y.dtype();
    if grad.dtype() != dtype || !dtype.is_floating() {
        return Ok(None);
    }
    let value = {
        let _no = GradModeGuard::new(false);
        match fused(grad, y, formula, false)? {
            Some(value) => value,
            None => match formula {
                Formula::Tanh => tanh_backward(grad, y)?,
                Formula::Sigmoid => sigmoid_backward(grad, y)?,
                Formula::Relu => relu_backward(grad, y)?,
            },
        }
    };
    let name = match formula {
        Formula::Tanh => "TanhBackwardBackward0",
        Formula::Sigmoid => "SigmoidBackwardBackward0",
        Formula::Relu => "ThresholdBackwardBackward0",
    };
    let saved = vec![SavedTensor::input(grad), SavedTensor::input(y)];
    record(name, &[grad, y], &[&value], saved, move |ctx| {
        let (gg, g, y) = (
            ctx.grad().clone(),
            ctx.saved(0).clone(),
            ctx.saved(1).clone(),
        );
        let d_grad = if ctx.needs(0) {
            Some(match formula {
                Formula::Tanh => tanh_backward(&gg, &y)?,
                Formula::Sigmoid => sigmoid_backward(&gg, &y)?,
                Formula::Relu => relu_backward(&gg, &y)?,
            })
        } else {
            None
        };
        let d_y = match formula {
            _ if !ctx.needs(1) => None,
            // d/dy of g (1 - y²): -2 g y
            Formula::Tanh => Some(mul(&mul(&gg, &g)?, &mul(&y, &scalar(Scalar::Int(-2)))?)?),
            // d/dy of g y (1 - y): g (1 - 2y)
            Formula::Sigmoid => Some(mul(
                &mul(&gg, &g)?,
                &rsub_scalar(&mul(&y, &scalar(Scalar::Int(2)))?, Scalar::Int(1))?,
            )?),
            // the mask has no gradient
            Formula::Relu => Some(super::creation::zeros_like(&y)?),
        };
        Ok(vec![d_grad, d_y])
    });
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t32(v: &[f32]) -> Tensor {
        Tensor::from_vec(v.to_vec(), &[v.len()]).unwrap()
    }

    #[test]
    fn fused_tanh_backward_rounds_like_the_composed_ops() {
        let g = t32(&[0.3, -1.7, 2.5, 1e-8, 3.0e38]);
        let y = t32(&[0.1, -0.99, 0.5, 0.999_999, -0.25]);
        let fused = tanh_backward(&g, &y).unwrap().to_vec::<f32>();
        let want: Vec<f32> = [0.3f32, -1.7, 2.5, 1e-8, 3.0e38]
            .iter()
            .zip([0.1f32, -0.99, 0.5, 0.999_999, -0.25])
            .map(|(g, y)| g * (1.0 - y * y))
            .collect();
        assert_eq!(fused, want);
    }

    #[test]
    fn fused_sigmoid_backward_matches_its_formula_in_float64() {
        let g = Tensor::from_vec(vec![2.0f64, -0.5], &[2]).unwrap();
        let y = Tensor::from_vec(vec![0.25f64, 0.9], &[2]).unwrap();
        let got = sigmoid_backward(&g, &y).unwrap().to_vec::<f64>();
        assert_eq!(got, vec![2.0 * (0.25 * 0.75), -0.5 * (0.9 * (1.0 - 0.9))]);
    }

    #[test]
    fn fused_relu_backward_passes_the_gradient_where_the_output_is_positive_or_nan() {
        // PyTorch's threshold_backward zeroes where `y <= 0`, which a NaN output is not
        let g = t32(&[0.3, f32::NAN, 2.5, -1.0, 4.0]);
        let y = t32(&[0.1, 0.0, f32::NAN, 1e-30, -0.0]);
        let got = relu_backward(&g, &y).unwrap().to_vec::<f32>();
        let bits: Vec<u32> = got.iter().map(|v| v.to_bits()).collect();
        let want: Vec<u32> = [0.3f32, 0.0, 2.5, -1.0, 0.0]
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(bits, want);
    }

    #[test]
    fn a_gradient_only_the_caller_holds_is_overwritten_in_place() {
        let y = t32(&[0.5, -0.25, 0.0, 0.75]);
        for formula in [Formula::Relu, Formula::Tanh, Formula::Sigmoid] {
            let values = [0.3f32, -1.5, 2.0, 4.0];
            let apart = map_formula::<f32>(&t32(&values), &y, formula)
                .unwrap()
                .to_vec::<f32>();
            let g = t32(&values);
            let before = g.storage().read().as_slice::<f32>().as_ptr();
            let out = fused(&g, &y, formula, true).unwrap().unwrap();
            assert!(out.storage().same_memory(g.storage()));
            assert_eq!(out.storage().read().as_slice::<f32>().as_ptr(), before);
            assert_eq!(out.to_vec::<f32>(), apart);
        }
    }

    #[test]
    fn a_gradient_held_elsewhere_or_laid_out_otherwise_is_left_alone() {
        let y = t32(&[0.5, -0.25, 0.0, 0.75]);
        let g = t32(&[0.3, -1.5, 2.0, 4.0]);
        let kept = g.clone(); // a second holder: a hook's copy, a retained grad
        let out = relu_backward(&g, &y).unwrap();
        assert!(!out.storage().same_memory(g.storage()));
        assert_eq!(kept.to_vec::<f32>(), vec![0.3, -1.5, 2.0, 4.0]);
        assert_eq!(out.to_vec::<f32>(), vec![0.3, 0.0, 0.0, 4.0]);
        drop(kept);
        // a view of a larger buffer shares its storage; a transposed grad is not one run
        let base = t32(&[0.3, -1.5, 2.0, 4.0, 9.0]);
        let view = crate::ops::narrow(&base, 0, 1, 4).unwrap();
        let out = relu_backward(&view, &y).unwrap();
        assert!(!out.storage().same_memory(base.storage()));
        assert_eq!(base.to_vec::<f32>(), vec![0.3, -1.5, 2.0, 4.0, 9.0]);
        assert_eq!(out.to_vec::<f32>(), vec![-1.5, 0.0, 0.0, 9.0]);
        let m = Tensor::from_vec(vec![1.0f64, -2.0, 3.0, -4.0], &[2, 2]).unwrap();
        let gt = crate::ops::transpose(
            &Tensor::from_vec(vec![1.0f64, 2.0, 3.0, 4.0], &[2, 2]).unwrap(),
            0,
            1,
        )
        .unwrap();
        let out = relu_backward(&gt, &m).unwrap();
        assert_eq!(out.to_vec::<f64>(), vec![1.0, 0.0, 2.0, 0.0]);
        // an empty gradient
        let e = Tensor::from_vec(Vec::<f32>::new(), &[0]).unwrap();
        let ey = Tensor::from_vec(Vec::<f32>::new(), &[0]).unwrap();
        assert_eq!(relu_backward(&e, &ey).unwrap().shape(), &[0]);
    }

    #[test]
    fn square_backward_is_the_composed_formula_in_one_pass() {
        let x = t32(&[0.5, -3.25, 1e-30, 3.0e38, f32::INFINITY, -0.0]);
        let g = t32(&[1.5, 0.1, -2.0, 0.5, 1.0, 3.0]);
        let got = square_backward(&g, &x).unwrap().unwrap().to_vec::<f32>();
        let composed = mul(&g, &mul(&x, &scalar(Scalar::Int(2))).unwrap())
            .unwrap()
            .to_vec::<f32>();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&composed));
        // a broadcast gradient (mean's backward) against a contiguous x, and float64
        let one = crate::ops::expand(&t32(&[0.25]), &[6]).unwrap();
        let got = square_backward(&one, &x).unwrap().unwrap().to_vec::<f32>();
        let want: Vec<f32> = [0.5f32, -3.25, 1e-30, 3.0e38, f32::INFINITY, -0.0]
            .iter()
            .map(|x| 0.25 * (x * 2.0))
            .collect();
        assert_eq!(bits(&got), bits(&want));
        let x64 = Tensor::from_vec(vec![1.5f64, -2.0], &[2]).unwrap();
        let g64 = Tensor::from_vec(vec![3.0f64, 0.5], &[2]).unwrap();
        let got = square_backward(&g64, &x64).unwrap().unwrap();
        assert_eq!(got.to_vec::<f64>(), vec![9.0, -2.0]);
        // mixed dtypes go the composed way
        assert!(square_backward(&g64, &x).unwrap().is_none());
    }

    #[test]
    fn a_recorded_backward_is_composed_of_differentiable_ops() {
        let _grad = GradModeGuard::new(true);
        let y = Tensor::from_vec(vec![0.5f64], &[1]).unwrap();
        y.meta().state.lock().requires_grad = true;
        let g = Tensor::from_vec(vec![1.0f64], &[1]).unwrap();
        let out = tanh_backward(&g, &y).unwrap();
        assert_eq!(
            out.grad_fn().unwrap().node().name(),
            "TanhBackwardBackward0"
        );
        assert_eq!(out.to_vec::<f64>(), vec![0.75]);
    }
}
