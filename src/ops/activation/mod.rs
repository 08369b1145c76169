//! `nn.functional` activations as single nodes, as PyTorch's: one pass over the input
//! forward, one node that saves the input (or, for some in-place forms, the result), and
//! a backward that is one pass over (grad, saved) unless it is itself being recorded.

mod composed;
mod double_backward;
mod formulas;
mod glu;
mod kind;
mod lanes32;
mod slopes;

pub use glu::glu;
pub use kind::Activation;
pub use slopes::{prelu, rrelu_with_noise, rrelu_with_noise_, Rrelu};

use self::formulas::{with_backward, with_forward};
use super::cast::{in_compute, map1, map2, narrow_to};
use crate::autograd::record::save_args_for;
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::ops::float::Float;
use crate::tensor::{DType, Tensor};

/// `act(t)`, recorded as PyTorch's node for it.
pub fn activation(t: &Tensor, act: Activation) -> Result<Tensor> {
    refuse_dtype(t, act)?;
    let out = forward(t, act);
    if needs_grad(&[t]) {
        record_activation(t, &out, act, false)?;
    }
    Ok(out)
}

/// `act(t)` written into `t` (`F.elu(x, inplace=True)`, `x.hardtanh_()`...), with
/// PyTorch's in-place node.
pub fn activation_(t: &Tensor, act: Activation, op_name: &str) -> Result<()> {
    refuse_dtype(t, act)?;
    let saves_self = !act.inplace_saves_result();
    super::apply_inplace(t, op_name, saves_self, |input| {
        let out = forward(input, act);
        if needs_grad(&[input]) {
            record_activation(input, &out, act, true)?;
        }
        Ok(out)
    })
}

fn refuse_dtype(t: &Tensor, act: Activation) -> Result<()> {
    let dtype = t.dtype();
    if !dtype.is_floating() || dtype.is_complex() {
        return Err(Error::not_implemented(format!(
            "\"{}\" not implemented for '{}'",
            act.kernel_name(),
            dtype.kernel_name()
        )));
    }
    Ok(())
}

/// The values: float16/bfloat16 compute in float32 and round once, as PyTorch's kernels.
fn forward(t: &Tensor, act: Activation) -> Tensor {
    let dtype = t.dtype();
    let x = in_compute(t, dtype);
    let p = act.params();
    let out = match x.dtype() {
        DType::F32 => lanes32::forward(&x, act)
            .unwrap_or_else(|| with_forward!(f32, act, p, |f| map1::<f32, f32>(&x, f))),
        _ => with_forward!(f64, act, p, |f| map1::<f64, f64>(&x, f)),
    };
    narrow_to(out, dtype)
}

fn record_activation(t: &Tensor, out: &Tensor, act: Activation, inplace: bool) -> Result<()> {
    let from_result = inplace && act.inplace_saves_result();
    let name = act.node_name(inplace);
    let dtype = t.dtype();
    let mut saved = smallvec::smallvec![if from_result {
        SavedTensor::output(out)
    } else {
        SavedTensor::input(t)
    }];
    if act == Activation::LogSigmoid {
        // PyTorch's log_sigmoid_forward also keeps exp(-|x|), its `_saved_buffer`
        saved.push(SavedTensor::input(&log_sigmoid_buffer(t)));
    }
    record(name, &[t], &[out], saved, move |ctx| {
        refuse_negative_inplace_slope(act, from_result)?;
        let g = backward(act, ctx.grad(), ctx.saved(0), from_result)?;
        Ok(vec![Some(super::to_dtype(&g, dtype)?)])
    });
    save_args_for(out, name, || act.saved_args());
    Ok(())
}

/// PyTorch's backward of the in-place elu/leaky_relu refuses a negative slope: their
/// result does not tell which side of 0 the input was on.
fn refuse_negative_inplace_slope(act: Activation, from_result: bool) -> Result<()> {
    const REASON: &str = "This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.";
    let message = match act {
        Activation::LeakyRelu { slope } if slope.to_f64() < 0.0 => format!(
            "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. {REASON} File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward calculation with negative slope"
        ),
        Activation::Elu { alpha, .. } | Activation::Celu { alpha } if alpha.to_f64() < 0.0 => format!(
            "In-place elu backward calculation is triggered with a negative slope which is not supported. {REASON}"
        ),
        _ => return Ok(()),
    };
    if from_result {
        return Err(Error::runtime(message));
    }
    Ok(())
}

fn log_sigmoid_buffer(t: &Tensor) -> Tensor {
    let dtype = t.dtype();
    let x = in_compute(t, dtype);
    let out = match x.dtype() {
        DType::F32 => map1::<f32, f32>(&x, |v| (-v.abs()).exp()),
        _ => map1::<f64, f64>(&x, |v| (-v.abs()).exp()),
    };
    narrow_to(out, dtype)
}

/// The gradient from the incoming `grad` and the saved input (or result): one fused
/// pass, or PyTorch's double-backward node when this backward is itself recorded.
fn backward(act: Activation, grad: &Tensor, saved: &Tensor, from_result: bool) -> Result<Tensor> {
    let dtype = saved.dtype();
    let fusable = grad.dtype() == dtype && grad.shape() == saved.shape() && dtype.is_floating();
    if needs_grad(&[grad, saved]) {
        if let Some(name) = double_backward::node_name(act).filter(|_| fusable) {
            let value = double_backward::value_without_history(act, grad, saved, from_result)?;
            double_backward::record_double(act, name, grad, saved, from_result, &value);
            return Ok(value);
        }
        return composed::backward(act, grad, saved, from_result);
    }
    if !fusable {
        return composed::backward(act, grad, saved, from_result);
    }
    let (g, x) = (in_compute(grad, dtype), in_compute(saved, dtype));
    let p = act.params();
    let out = match g.dtype() {
        DType::F32 => match (!from_result)
            .then(|| lanes32::backward(&g, &x, act))
            .flatten()
        {
            Some(out) => out,
            None => with_backward!(f32, act, p, from_result, |f| map2::<f32, f32>(&g, &x, f))?,
        },
        _ => with_backward!(f64, act, p, from_result, |f| map2::<f64, f64>(&g, &x, f))?,
    };
    Ok(narrow_to(out, dtype))
}
