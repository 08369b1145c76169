//! Interpolation of the last one to three dims (`F.interpolate`'s nearest,
//! nearest-exact, linear, bilinear, bicubic and trilinear modes) and pixel shuffles.
//! Source indices and weights follow PyTorch's CPU kernels, in float32 arithmetic for
//! float32 inputs (nearest indices always in float32), so the same pixels are picked.
//! PyTorch's 2-d nearest kernel maps an output as long as its input (or twice as long)
//! by position whatever the scale factor says; its 1-d and 3-d kernels use the scale,
//! and so does this file (`exact_sizes`). Gradients are the transpose of the forward
//! map (PyTorch's 1-d and 3-d backward use the 2-d rule, which disagrees with their
//! forward when a scale factor is given for such sizes).

use super::float::Float;
use super::sepmap::{apply_map, check_float, Axis, Names, SepMap};
use crate::autograd::{needs_grad, record, GradModeGuard};
use crate::error::{Error, Result};
use crate::tensor::{DType, Tensor};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Interp {
    Nearest,
    NearestExact,
    Linear,
    Cubic,
}

impl Interp {
    pub fn parse(mode: &str) -> Option<Interp> {
        Some(match mode {
            "nearest" => Interp::Nearest,
            "nearest-exact" => Interp::NearestExact,
            "linear" | "bilinear" | "trilinear" => Interp::Linear,
            "bicubic" => Interp::Cubic,
            _ => return None,
        })
    }
}

fn names(mode: Interp, k: usize) -> Result<Names> {
    let (forward, backward) = match (mode, k) {
        (Interp::Nearest, 1) => (
            "UpsampleNearest1DBackward0",
            "UpsampleNearest1DBackwardBackward0",
        ),
        (Interp::Nearest, 2) => (
            "UpsampleNearest2DBackward0",
            "UpsampleNearest2DBackwardBackward0",
        ),
        (Interp::Nearest, 3) => (
            "UpsampleNearest3DBackward0",
            "UpsampleNearest3DBackwardBackward0",
        ),
        (Interp::NearestExact, 1) => (
            "UpsampleNearestExact1DBackward0",
            "UpsampleNearestExact1DBackwardBackward0",
        ),
        (Interp::NearestExact, 2) => (
            "UpsampleNearestExact2DBackward0",
            "UpsampleNearestExact2DBackwardBackward0",
        ),
        (Interp::NearestExact, 3) => (
            "UpsampleNearestExact3DBackward0",
            "UpsampleNearestExact3DBackwardBackward0",
        ),
        (Interp::Linear, 1) => (
            "UpsampleLinear1DBackward0",
            "UpsampleLinear1DBackwardBackward0",
        ),
        (Interp::Linear, 2) => (
            "UpsampleBilinear2DBackward0",
            "UpsampleBilinear2DBackwardBackward0",
        ),
        (Interp::Linear, 3) => (
            "UpsampleTrilinear3DBackward0",
            "UpsampleTrilinear3DBackwardBackward0",
        ),
        (Interp::Cubic, 2) => (
            "UpsampleBicubic2DBackward0",
            "UpsampleBicubic2DBackwardBackward0",
        ),
        _ => {
            return Err(Error::not_implemented(format!(
                "interpolation mode {mode:?} is not available for {k}-d inputs"
            )))
        }
    };
    Ok(Names { forward, backward })
}

/// `compute_scales_value`: the user's scale when given, else the size ratio.
fn scale_value<T: Float>(scale: Option<f64>, in_len: usize, out_len: usize) -> T {
    match scale {
        Some(s) if s > 0.0 => T::from_f64(1.0 / s),
        _ => T::from_f64(in_len as f64) / T::from_f64(out_len as f64),
    }
}

/// `area_pixel_compute_scale`.
fn area_scale<T: Float>(in_len: usize, out_len: usize, align: bool, scale: Option<f64>) -> T {
    if align {
        if out_len > 1 {
            T::from_f64((in_len - 1) as f64) / T::from_f64((out_len - 1) as f64)
        } else {
            T::zero()
        }
    } else {
        scale_value(scale, in_len, out_len)
    }
}

/// `area_pixel_compute_source_index`.
fn source_index<T: Float>(scale: T, o: usize, align: bool, cubic: bool) -> T {
    let o = T::from_f64(o as f64);
    if align {
        scale * o
    } else {
        let half = T::from_f64(0.5);
        let s = scale * (o + half) - half;
        if !cubic && s < T::zero() {
            T::zero()
        } else {
            s
        }
    }
}

/// `guard_index_and_lambda`: the floor index (at most `len - 1`) and the fraction.
fn index_and_lambda<T: Float>(real: T, len: usize) -> (i64, T) {
    let i = (real.floor().to_f64() as i64).min(len as i64 - 1);
    let lambda = real - T::from_f64(i as f64);
    let lambda = if lambda < T::zero() {
        T::zero()
    } else if lambda > T::one() {
        T::one()
    } else {
        lambda
    };
    (i, lambda)
}

fn cubic_weights<T: Float>(t: T) -> [T; 4] {
    let a = T::from_f64(-0.75);
    let (one, two, three) = (T::one(), T::from_f64(2.0), T::from_f64(3.0));
    let (four, five, eight) = (T::from_f64(4.0), T::from_f64(5.0), T::from_f64(8.0));
    let near = |x: T| ((a + two) * x - (a + three)) * x * x + one;
    let far = |x: T| ((a * x - five * a) * x + eight * a) * x - four * a;
    let u = one - t;
    [far(t + one), near(t), near(u), far(u + one)]
}

fn axis_for<T: Float>(
    mode: Interp,
    in_len: usize,
    out_len: usize,
    align: bool,
    scale: Option<f64>,
    exact_sizes: bool,
) -> Axis {
    let mut axis = Axis::new(in_len);
    let last = in_len - 1;
    match mode {
        Interp::Nearest => {
            let s: f32 = scale_value(scale, in_len, out_len);
            for o in 0..out_len {
                let i = if exact_sizes && out_len == in_len {
                    o
                } else if exact_sizes && out_len == 2 * in_len {
                    o >> 1
                } else {
                    ((o as f32 * s).floor() as usize).min(last)
                };
                axis.push([(i, 1.0)], 1.0);
            }
        }
        Interp::NearestExact => {
            let s: f32 = scale_value(scale, in_len, out_len);
            for o in 0..out_len {
                let real = ((o as f64 + 0.5) * s as f64) as f32;
                axis.push([((real.floor() as usize).min(last), 1.0)], 1.0);
            }
        }
        Interp::Linear => {
            let s: T = area_scale(in_len, out_len, align, scale);
            for o in 0..out_len {
                if out_len == in_len && !align {
                    axis.push([(o, 1.0), (o, 0.0)], 1.0);
                    continue;
                }
                let (i0, l1) = index_and_lambda(source_index(s, o, align, false), in_len);
                let i0 = i0.max(0) as usize;
                let i1 = if i0 < last { i0 + 1 } else { i0 };
                let l0 = T::one() - l1;
                axis.push([(i0, l0.to_f64()), (i1, l1.to_f64())], 1.0);
            }
        }
        Interp::Cubic => {
            let s: T = area_scale(in_len, out_len, align, scale);
            for o in 0..out_len {
                let (i, t) = index_and_lambda(source_index(s, o, align, true), in_len);
                let w = cubic_weights(t);
                axis.push(
                    (0..4).map(|j| {
                        let at = (i - 1 + j as i64).clamp(0, last as i64) as usize;
                        (at, w[j].to_f64())
                    }),
                    1.0,
                );
            }
        }
    }
    axis
}

/// `F.interpolate` of the last `size.len()` dims to `size` (`UpsampleBilinear2DBackward0`
/// and the others of its family).
pub fn upsample(
    x: &Tensor,
    mode: &str,
    size: &[i64],
    scales: &[Option<f64>],
    align_corners: bool,
) -> Result<Tensor> {
    let interp = Interp::parse(mode)
        .ok_or_else(|| Error::not_implemented(format!("unknown interpolation mode {mode}")))?;
    let k = size.len();
    let names = names(interp, k)?;
    if x.ndim() != k + 2 || scales.len() != k {
        return Err(Error::runtime(format!(
            "Expected {}D input (got {}D input)",
            k + 2,
            x.ndim()
        )));
    }
    let spatial = &x.shape()[2..];
    if spatial.contains(&0) || size.iter().any(|&s| s <= 0) {
        let letters = &["D", "H", "W"][3 - k..];
        let show = |v: Vec<String>| -> String {
            letters
                .iter()
                .zip(v)
                .map(|(l, v)| format!("{l}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(Error::runtime(format!(
            "Input and output sizes should be greater than 0, but got input ({}){} output ({})",
            show(spatial.iter().map(|v| v.to_string()).collect()),
            if k == 1 { " and" } else { "" },
            show(size.iter().map(|v| v.to_string()).collect())
        )));
    }
    check_float(x, names.forward)?;
    let mut out_shape = x.shape()[..2].to_vec();
    out_shape.extend(size.iter().map(|&s| s as usize));
    crate::tensor::layout::checked_numel(&out_shape)?;
    let axes = (0..k)
        .map(|i| {
            let (n, m) = (spatial[i], size[i] as usize);
            if x.dtype() == DType::F32 {
                axis_for::<f32>(interp, n, m, align_corners, scales[i], k == 2)
            } else {
                axis_for::<f64>(interp, n, m, align_corners, scales[i], k == 2)
            }
        })
        .collect();
    apply_map(x, &SepMap::new(axes, None), names)
}

/// `pixel_shuffle` (`PixelShuffleBackward0`) or, with `inverse`, `pixel_unshuffle`
/// (`PixelUnshuffleBackward0`); each one's backward is the other.
pub fn pixel_shuffle(x: &Tensor, factor: i64, inverse: bool) -> Result<Tensor> {
    let op = if inverse {
        "pixel_unshuffle"
    } else {
        "pixel_shuffle"
    };
    if x.ndim() < 3 {
        return Err(Error::runtime(format!(
            "{op} expects input to have at least 3 dimensions, but got input with {} dimension(s)",
            x.ndim()
        )));
    }
    let what = if inverse {
        "downscale_factor"
    } else {
        "upscale_factor"
    };
    if factor <= 0 {
        return Err(Error::runtime(format!(
            "{op} expects a positive {what}, but got {factor}"
        )));
    }
    let nd = x.ndim();
    let lead: Vec<i64> = x.shape()[..nd - 3].iter().map(|&v| v as i64).collect();
    let (c, h, w) = (
        x.shape()[nd - 3] as i64,
        x.shape()[nd - 2] as i64,
        x.shape()[nd - 1] as i64,
    );
    let r = factor;
    let (split, order, merged): (Vec<i64>, Vec<usize>, Vec<i64>) = if inverse {
        if h % r != 0 {
            return Err(Error::runtime(format!(
                "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h} is not divisible by {r}"
            )));
        }
        if w % r != 0 {
            return Err(Error::runtime(format!(
                "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} is not divisible by {r}"
            )));
        }
        // (c, h/r, r, w/r, r) -> (c, r, r, h/r, w/r)
        (
            vec![c, h / r, r, w / r, r],
            vec![0, 2, 4, 1, 3],
            vec![c * r * r, h / r, w / r],
        )
    } else {
        if r.checked_mul(r).is_none() {
            return Err(Error::value(format!(
                "upscale factor is too large, (upscale_factor)^2 overflowed: upscale_factor={r}"
            )));
        }
        if c % (r * r) != 0 {
            return Err(Error::runtime(format!(
                "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)={c} is not divisible by {}",
                r * r
            )));
        }
        // (c/r², r, r, h, w) -> (c/r², h, r, w, r)
        (
            vec![c / (r * r), r, r, h, w],
            vec![0, 3, 1, 4, 2],
            vec![c / (r * r), h * r, w * r],
        )
    };
    let out = {
        let _no_grad = GradModeGuard::new(false);
        let lead_n = lead.len();
        let mut sizes = lead.clone();
        sizes.extend(&split);
        let mut perm: Vec<i64> = (0..lead_n as i64).collect();
        perm.extend(order.iter().map(|&d| (d + lead_n) as i64));
        let permuted = super::view::permute(&super::view::reshape(x, &sizes)?, &perm)?;
        let mut final_shape = lead.clone();
        final_shape.extend(&merged);
        let dense = super::cast::clone_detached(&permuted)?;
        super::view::reshape(&dense, &final_shape)?.detached()
    };
    if needs_grad(&[x]) {
        let name = if inverse {
            "PixelUnshuffleBackward0"
        } else {
            "PixelShuffleBackward0"
        };
        record(name, &[x], &[&out], vec![], move |ctx| {
            Ok(vec![Some(pixel_shuffle(ctx.grad(), factor, !inverse)?)])
        });
    }
    Ok(out)
}
