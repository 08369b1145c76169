//! `convolution` (conv and conv_transpose, 1-3 spatial dims) and its backward as ops.
//!
//! Three products close the algebra (see `kernels::conv`): conv(x, W), its adjoint in
//! x (conv_transpose) and its adjoint in W (the weight gradient). The backward of
//! `convolution` is the op `convolution_backward` (`ConvolutionBackwardBackward0`, as
//! in PyTorch), whose own backward is written with `convolution` and
//! `convolution_backward` again: gradients of any order.

use super::conv_check::{check_convolution, ConvParams, ConvSetup};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::conv::{channel_sums, conv_forward, conv_transpose, weight_grad, ConvShape};
use crate::tensor::{DType, Element, Tensor};
use std::sync::Arc;

/// Runs `$body` with `$T` bound to the element type of a dtype convolutions support.
macro_rules! conv_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            DType::F32 => {
                type $T = f32;
                $body
            }
            DType::F64 => {
                type $T = f64;
                $body
            }
            DType::I64 => {
                type $T = i64;
                $body
            }
            other => {
                return Err(Error::not_implemented(format!(
                    "\"slow_conv2d_cpu\" not implemented for '{}'",
                    other.kernel_name()
                )))
            }
        }
    };
}

/// `f` on the elements of `t` in row-major order, without a copy when contiguous.
pub(crate) fn read_contiguous<T: Element, R>(t: &Tensor, f: impl FnOnce(&[T]) -> R) -> R {
    if t.numel() == 0 {
        return f(&[]); // an empty view's offset may lie past its (empty) storage
    }
    if t.is_contiguous() {
        let guard = t.storage().read();
        let off = t.storage_offset();
        f(&guard.as_slice::<T>()[off..off + t.numel()])
    } else {
        f(&t.to_vec::<T>())
    }
}

/// Reads two tensors; a second lock on one storage is never taken (it could deadlock
/// behind a waiting writer), the second is copied instead.
pub(crate) fn read_two<T: Element, R>(
    a: &Tensor,
    b: &Tensor,
    f: impl FnOnce(&[T], &[T]) -> R,
) -> R {
    if a.shares_storage(b) {
        let bv = b.to_vec::<T>();
        read_contiguous(a, |av| f(av, &bv))
    } else {
        read_contiguous(a, |av| read_contiguous(b, |bv| f(av, bv)))
    }
}

fn shape_of(setup: &ConvSetup, x_side: &Tensor, y_side_channels: usize) -> ConvShape {
    ConvShape {
        batch: x_side.shape()[0],
        groups: setup.groups,
        cx: x_side.shape()[1],
        cy: y_side_channels,
        geom: setup.geom.clone(),
    }
}

fn with_spatial(batch: usize, channels: usize, spatial: &[usize]) -> Vec<usize> {
    let mut s = vec![batch, channels];
    s.extend_from_slice(spatial);
    s
}

/// y = conv(x, W) + bias, no autograd.
/// float16/bfloat16 convolutions run in float32 and round once, as PyTorch's CPU kernels.
fn in_float32(
    narrow: DType,
    ts: &[Option<&Tensor>],
    f: impl FnOnce(&[Option<Tensor>]) -> Result<Tensor>,
) -> Result<Tensor> {
    let _no_grad = crate::autograd::GradModeGuard::new(false);
    let wide = ts
        .iter()
        .map(|t| t.map(|t| super::to_dtype(t, DType::F32)).transpose())
        .collect::<Result<Vec<_>>>()?;
    super::to_dtype(&f(&wide)?, narrow)
}

fn narrow_dtype(t: &Tensor) -> Option<DType> {
    let d = t.dtype();
    (d.is_floating() && d.is_narrow()).then_some(d)
}

fn raw_conv(x: &Tensor, w: &Tensor, bias: Option<&Tensor>, setup: &ConvSetup) -> Result<Tensor> {
    if let Some(narrow) = narrow_dtype(x) {
        return in_float32(narrow, &[Some(x), Some(w), bias], |t| {
            raw_conv(
                t[0].as_ref().expect("x"),
                t[1].as_ref().expect("w"),
                t[2].as_ref(),
                setup,
            )
        });
    }
    let s = shape_of(setup, x, w.shape()[0]);
    let out_shape = with_spatial(s.batch, s.cy, setup.y_spatial());
    conv_dtype!(x.dtype(), T => {
        let wv = w.to_vec::<T>();
        let bv = bias.map(|b| b.to_vec::<T>());
        let y = read_contiguous(x, |xs: &[T]| conv_forward(xs, &wv, bv.as_deref(), &s));
        Tensor::from_vec(y, &out_shape)
    })
}

/// x = conv_transpose(y, W) + bias, no autograd.
fn raw_conv_transpose(
    y: &Tensor,
    w: &Tensor,
    bias: Option<&Tensor>,
    setup: &ConvSetup,
) -> Result<Tensor> {
    if let Some(narrow) = narrow_dtype(y) {
        return in_float32(narrow, &[Some(y), Some(w), bias], |t| {
            raw_conv_transpose(
                t[0].as_ref().expect("y"),
                t[1].as_ref().expect("w"),
                t[2].as_ref(),
                setup,
            )
        });
    }
    let s = ConvShape {
        batch: y.shape()[0],
        groups: setup.groups,
        cx: w.shape()[1] * setup.groups,
        cy: y.shape()[1],
        geom: setup.geom.clone(),
    };
    let out_shape = with_spatial(s.batch, s.cx, setup.x_spatial());
    conv_dtype!(y.dtype(), T => {
        let wv = w.to_vec::<T>();
        let bv = bias.map(|b| b.to_vec::<T>());
        let x = read_contiguous(y, |ys: &[T]| conv_transpose(ys, &wv, bv.as_deref(), &s));
        Tensor::from_vec(x, &out_shape)
    })
}

/// The weight gradient of y = conv(x, W), shaped like `w_shape`, no autograd.
fn raw_weight_grad(x: &Tensor, y: &Tensor, w_shape: &[usize], setup: &ConvSetup) -> Result<Tensor> {
    if let Some(narrow) = narrow_dtype(x) {
        return in_float32(narrow, &[Some(x), Some(y)], |t| {
            raw_weight_grad(
                t[0].as_ref().expect("x"),
                t[1].as_ref().expect("y"),
                w_shape,
                setup,
            )
        });
    }
    let s = shape_of(setup, x, y.shape()[1]);
    conv_dtype!(x.dtype(), T => {
        let w = read_two(x, y, |xs: &[T], ys: &[T]| weight_grad(xs, ys, &s));
        Tensor::from_vec(w, w_shape)
    })
}

fn raw_bias_grad(g: &Tensor) -> Result<Tensor> {
    if let Some(narrow) = narrow_dtype(g) {
        return in_float32(narrow, &[Some(g)], |t| {
            raw_bias_grad(t[0].as_ref().expect("g"))
        });
    }
    let channels = g.shape()[1];
    let spatial: usize = g.shape()[2..].iter().product();
    conv_dtype!(g.dtype(), T => {
        let b = read_contiguous(g, |gs: &[T]| channel_sums(gs, channels, spatial));
        Tensor::from_vec(b, &[channels])
    })
}

/// `torch.convolution`: conv_{1,2,3}d and conv_transpose_{1,2,3}d on batched input
/// (`ConvolutionBackward0`).
pub fn convolution(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    params: &ConvParams,
) -> Result<Tensor> {
    let cast = match bias {
        Some(bias) => crate::autograd::autocast::lower_precision([input, weight, bias])?
            .map(|[i, w, b]| (i, w, Some(b))),
        None => {
            crate::autograd::autocast::lower_precision([input, weight])?.map(|[i, w]| (i, w, None))
        }
    };
    if let Some((input, weight, bias)) = cast {
        return convolution(&input, &weight, bias.as_ref(), params);
    }
    let setup = Arc::new(check_convolution(input, weight, bias, params)?);
    apply(input, weight, bias, &setup)
}

/// The convolution of a checked setup, with its node.
fn apply(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    setup: &Arc<ConvSetup>,
) -> Result<Tensor> {
    let out = if setup.transposed {
        raw_conv_transpose(input, weight, bias, setup)?
    } else {
        raw_conv(input, weight, bias, setup)?
    };
    // PyTorch's node always has three edges; a missing bias is an edge to nothing.
    let no_bias;
    let b = match bias {
        Some(b) => b,
        None => {
            no_bias = Tensor::zeros(&[0], input.dtype())?;
            &no_bias
        }
    };
    if needs_grad(&[input, weight, b]) {
        let setup = setup.clone();
        let saved = smallvec::smallvec![SavedTensor::input(input), SavedTensor::input(weight)];
        record(
            "ConvolutionBackward0",
            &[input, weight, b],
            &[&out],
            saved,
            move |ctx| {
                let mask = [ctx.needs(0), ctx.needs(1), ctx.needs(2)];
                let [gi, gw, gb] =
                    convolution_backward(ctx.grad(), ctx.saved(0), ctx.saved(1), &setup, mask)?;
                Ok(vec![gi, gw, gb])
            },
        );
    }
    Ok(out)
}

/// Gradients of `convolution` wrt (input, weight, bias) for those `mask` asks for
/// (`ConvolutionBackwardBackward0`).
pub fn convolution_backward(
    g: &Tensor,
    input: &Tensor,
    weight: &Tensor,
    setup: &Arc<ConvSetup>,
    mask: [bool; 3],
) -> Result<[Option<Tensor>; 3]> {
    let gi = if !mask[0] {
        None
    } else if setup.transposed {
        Some(raw_conv(g, weight, None, setup)?)
    } else {
        Some(raw_conv_transpose(g, weight, None, setup)?)
    };
    let gw = if !mask[1] {
        None
    } else if setup.transposed {
        Some(raw_weight_grad(g, input, weight.shape(), setup)?)
    } else {
        Some(raw_weight_grad(input, g, weight.shape(), setup)?)
    };
    let gb = if mask[2] {
        Some(raw_bias_grad(g)?)
    } else {
        None
    };
    let grads = [gi, gw, gb];
    if needs_grad(&[g, input, weight]) {
        let slots: Vec<usize> = (0..3).filter(|&i| grads[i].is_some()).collect();
        let outs: Vec<&Tensor> = grads.iter().flatten().collect();
        let saved = vec![
            SavedTensor::input(g),
            SavedTensor::input(input),
            SavedTensor::input(weight),
        ];
        let setup = setup.clone();
        record(
            "ConvolutionBackwardBackward0",
            &[g, input, weight],
            &outs,
            saved,
            move |ctx| {
                let mut gg: [Option<Tensor>; 3] = [None, None, None];
                for (i, &slot) in slots.iter().enumerate() {
                    gg[slot] = ctx.grads.get(i).cloned();
                }
                let needs = [ctx.needs(0), ctx.needs(1), ctx.needs(2)];
                double_backward(ctx.saved(0), ctx.saved(1), ctx.saved(2), &gg, &setup, needs)
            },
        );
    }
    Ok(grads)
}

/// The weight gradient as an op: WG(x_side, y_side).
fn weight_grad_op(
    x_side: &Tensor,
    y_side: &Tensor,
    weight: &Tensor,
    setup: &ConvSetup,
) -> Result<Tensor> {
    let nt = setup.with_transposed(false);
    let [_, gw, _] = convolution_backward(y_side, x_side, weight, &nt, [false, true, false])?;
    gw.ok_or_else(|| Error::runtime("convolution_backward: missing weight gradient"))
}

/// `bias` (one value per channel) broadcast to `shape` ([batch, channels, spatial...]).
fn bias_broadcast(bias: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let mut view: Vec<i64> = vec![1; shape.len()];
    view[1] = bias.shape()[0] as i64;
    let b = super::reshape(bias, &view)?;
    super::expand(&b, &shape.iter().map(|&s| s as i64).collect::<Vec<_>>())
}

/// Backward of `convolution_backward`. With gI, gW, gb its outputs and ggI, ggW, ggb
/// their gradients (non-transposed; the transposed case swaps conv and its adjoint):
/// d/dg = conv(ggI, W) + conv(x, ggW) + ggb, d/dx = convT(g, ggW), d/dW = WG(ggI, g).
fn double_backward(
    g: &Tensor,
    x: &Tensor,
    w: &Tensor,
    gg: &[Option<Tensor>; 3],
    setup: &Arc<ConvSetup>,
    needs: [bool; 3],
) -> Result<Vec<Option<Tensor>>> {
    let same = setup.clone();
    let other = setup.with_transposed(!setup.transposed);
    let [ggi, ggw, ggb] = gg;
    let d_g = if needs[0] {
        let mut acc: Option<Tensor> = None;
        let mut bias_used = false;
        if let Some(ggi) = ggi {
            acc = Some(apply(ggi, w, ggb.as_ref(), &same)?);
            bias_used = true;
        }
        if let Some(ggw) = ggw {
            let t = apply(x, ggw, if bias_used { None } else { ggb.as_ref() }, &same)?;
            bias_used = bias_used || ggb.is_some();
            acc = Some(match acc {
                Some(a) => super::add(&a, &t)?,
                None => t,
            });
        }
        match (acc, ggb) {
            (Some(a), _) => Some(a),
            (None, Some(b)) if !bias_used => Some(bias_broadcast(b, g.shape())?),
            _ => None,
        }
    } else {
        None
    };
    let d_x = match ggw {
        Some(ggw) if needs[1] => Some(apply(g, ggw, None, &other)?),
        _ => None,
    };
    let d_w = match ggi {
        Some(ggi) if needs[2] => Some(if setup.transposed {
            weight_grad_op(g, ggi, w, setup)?
        } else {
            weight_grad_op(ggi, g, w, setup)?
        }),
        _ => None,
    };
    Ok(vec![d_g, d_x, d_w])
}
