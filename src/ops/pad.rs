//! Padding: constant (any number of trailing dims, negative padding crops) and by
//! reflection or replication of the last one to three dims. Circular padding is built
//! from slice assignments in the Python layer (PyTorch's node there is `CopySlices`).

use super::sepmap::{apply_pool_map, check_float, Axis, Names, SepMap};
use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args;
use crate::autograd::{needs_grad, record, GradModeGuard};
use crate::error::{Error, Result};
use crate::tensor::layout::format_shape;
use crate::tensor::{Scalar, Tensor};

fn check_pad_length(x: &Tensor, pads: &[i64]) -> Result<()> {
    if !pads.len().is_multiple_of(2) {
        return Err(Error::runtime("Padding length must be divisible by 2"));
    }
    if pads.len() / 2 > x.ndim() {
        return Err(Error::runtime(format!(
            "Padding length should be less than or equal to two times the input dimension but got padding length {} and input of dimension {}",
            pads.len(),
            x.ndim()
        )));
    }
    Ok(())
}

/// `(dim, before, after)` for each padded dim; `pads` lists the last dim first.
fn pairs(ndim: usize, pads: &[i64]) -> Vec<(usize, i64, i64)> {
    (0..pads.len() / 2)
        .map(|i| (ndim - 1 - i, pads[2 * i], pads[2 * i + 1]))
        .collect()
}

/// `F.pad(x, pads, value=value)` (`ConstantPadNdBackward0`, whose backward pads the
/// gradient by the negated amounts).
pub fn constant_pad_nd(x: &Tensor, pads: &[i64], value: Scalar) -> Result<Tensor> {
    check_pad_length(x, pads)?;
    let out = {
        let _no_grad = GradModeGuard::new(false);
        let mut core = x.clone();
        // Crop first, outermost padded dim first, as PyTorch does (its errors are narrow's).
        for &(d, before, after) in pairs(x.ndim(), pads).iter().rev() {
            if before < 0 || after < 0 {
                let len = core.shape()[d] as i64;
                let start = -before.min(0);
                let length = len + before.min(0) + after.min(0);
                if length < 0 {
                    return Err(Error::runtime("narrow(): length must be non-negative."));
                }
                core = super::view::narrow(&core, d as i64, start, length)?;
            }
        }
        let mut shape = core.shape().to_vec();
        for &(d, before, after) in &pairs(x.ndim(), pads) {
            shape[d] += (before.max(0) + after.max(0)) as usize;
        }
        let out = Tensor::full_scalar(&shape, value, x.dtype())?;
        let mut window = out.clone();
        for &(d, before, _) in &pairs(x.ndim(), pads) {
            window = super::view::narrow(&window, d as i64, before.max(0), core.shape()[d] as i64)?;
        }
        super::cast::copy_raw(&window, &core)?;
        out
    };
    if needs_grad(&[x]) {
        let negated: Vec<i64> = pads.iter().map(|p| -p).collect();
        record(
            "ConstantPadNdBackward0",
            &[x],
            &[&out],
            vec![],
            move |ctx| {
                Ok(vec![Some(constant_pad_nd(
                    ctx.grad(),
                    &negated,
                    Scalar::Int(0),
                )?)])
            },
        );
    }
    Ok(out)
}

fn pad_names(reflect: bool, k: usize) -> Names {
    let table = if reflect {
        [
            (
                "ReflectionPad1DBackward0",
                "ReflectionPad1DBackwardBackward0",
            ),
            (
                "ReflectionPad2DBackward0",
                "ReflectionPad2DBackwardBackward0",
            ),
            (
                "ReflectionPad3DBackward0",
                "ReflectionPad3DBackwardBackward0",
            ),
        ]
    } else {
        [
            (
                "ReplicationPad1DBackward0",
                "ReplicationPad1DBackwardBackward0",
            ),
            (
                "ReplicationPad2DBackward0",
                "ReplicationPad2DBackwardBackward0",
            ),
            (
                "ReplicationPad3DBackward0",
                "ReplicationPad3DBackwardBackward0",
            ),
        ]
    };
    let (forward, backward) = table[k - 1];
    Names { forward, backward }
}

/// Padding of the last `pads.len() / 2` dims by reflection (`reflect`) or replication
/// of the edge (`ReflectionPad2DBackward0`, `ReplicationPad2DBackward0`, ...).
pub fn pad_indexed(x: &Tensor, pads: &[i64], reflect: bool) -> Result<Tensor> {
    check_pad_length(x, pads)?;
    let k = pads.len() / 2;
    if !(1..=3).contains(&k) || (x.ndim() != k + 1 && x.ndim() != k + 2) {
        return Err(Error::runtime(format!(
            "Padding size {} is not supported for {}D input tensor.",
            pads.len(),
            x.ndim()
        )));
    }
    let nd = x.ndim();
    let shape = x.shape();
    if shape[nd - k - 1..].contains(&0) {
        return Err(Error::runtime(format!(
            "Expected {}D or {}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: {}",
            k + 1,
            k + 2,
            format_shape(shape)
        )));
    }
    let dims = pairs(nd, pads);
    if reflect {
        for (j, &(d, before, after)) in dims.iter().enumerate() {
            let len = shape[d] as i64;
            if before >= len || after >= len {
                return Err(Error::runtime(format!(
                    "Argument #{}: Padding size should be less than the corresponding input dimension, but got: padding ({before}, {after}) at dimension {d} of input {}",
                    4 + 2 * j,
                    format_shape(shape)
                )));
            }
        }
    }
    let outs: Vec<i64> = dims
        .iter()
        .map(|&(d, b, a)| shape[d] as i64 + b + a)
        .collect();
    // PyTorch wants some output dim (the only one in 1-d) to be at least 1.
    if outs.iter().all(|&o| o < 1) {
        let ins: Vec<usize> = dims.iter().rev().map(|&(d, _, _)| shape[d]).collect();
        let o: Vec<i64> = outs.iter().rev().copied().collect();
        let (inputs, outputs) = match k {
            1 => (format!("W: {}", ins[0]), format!("W: {}", o[0])),
            2 => (
                format!(
                    "H: {}, W: {}{}",
                    ins[0],
                    ins[1],
                    if reflect { "" } else { " " }
                ),
                format!("H: {} W: {}", o[0], o[1]),
            ),
            _ => (
                format!("D: {} H: {}, W: {}", ins[0], ins[1], ins[2]),
                format!("D: {} H: {} W: {}", o[0], o[1], o[2]),
            ),
        };
        return Err(Error::runtime(format!(
            "input ({inputs}) is too small. Calculated output {outputs}"
        )));
    }
    if let Some(&neg) = outs.iter().rev().find(|&&o| o < 0) {
        if reflect && k == 2 {
            return Err(Error::runtime("numel: integer multiplication overflow"));
        }
        let mut full: Vec<String> = shape[..nd - k].iter().map(|v| v.to_string()).collect();
        full.extend(outs.iter().rev().map(|o| o.to_string()));
        return Err(Error::runtime(format!(
            "Trying to create tensor with negative dimension {neg}: [{}]",
            full.join(", ")
        )));
    }
    let op = if reflect {
        "reflection_pad"
    } else {
        "replication_pad"
    };
    check_float(x, &format!("{op}{k}d"))?;
    let mut out_shape = shape[..nd - k].to_vec();
    out_shape.extend(outs.iter().rev().map(|&o| o as usize));
    crate::tensor::layout::checked_numel(&out_shape)?;
    let axes = dims
        .iter()
        .rev()
        .map(|&(d, before, after)| {
            let len = shape[d] as i64;
            let mut axis = Axis::new(shape[d]);
            for o in 0..len + before + after {
                let mut i = o - before;
                if reflect {
                    if i < 0 {
                        i = -i;
                    }
                    if i >= len {
                        i = 2 * (len - 1) - i;
                    }
                } else {
                    i = i.clamp(0, len - 1);
                }
                axis.push([(i as usize, 1.0)], 1.0);
            }
            axis
        })
        .collect();
    // Saving the input as PyTorch does (`_saved_self`) also gives the double-backward node
    // its edge to `x`, so first-order gradients require grad under create_graph.
    let out = apply_pool_map(x, &SepMap::new(axes, None), pad_names(reflect, k))?;
    if needs_grad(&[x]) {
        save_args(&out, vec![("padding", SavedArg::Ints(pads.to_vec()))]);
    }
    Ok(out)
}
