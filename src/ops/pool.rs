//! Pooling over the last two or three dims: max (with indices), average, adaptive
//! average and adaptive max, and max_unpool. Each builds the windows of a `SepMap` and
//! checks its arguments in PyTorch's order and wording; the 1-d forms are the 2-d ones
//! on an unsqueezed input (as in PyTorch), done by the Python layer.

use super::sepmap::{
    apply_pool_map, check_float, max_by_map, scatter_set_planes, take_planes, Axis, Names, SepMap,
};
use crate::error::{Error, Result};
use crate::tensor::layout::format_shape;
use crate::tensor::Tensor;

/// Kernel, stride, padding and dilation, one value per spatial dim.
pub struct PoolArgs<'a> {
    pub kernel: &'a [i64],
    pub stride: &'a [i64],
    pub padding: &'a [i64],
    pub dilation: &'a [i64],
    pub ceil_mode: bool,
}

/// The letters PyTorch names the spatial dims with in its messages.
fn letters(k: usize) -> &'static [&'static str] {
    if k == 3 {
        &["T", "H", "W"]
    } else {
        &["H", "W"]
    }
}

fn named(prefix: &str, values: &[i64]) -> String {
    let l = letters(values.len());
    let parts: Vec<String> = values
        .iter()
        .zip(l)
        .map(|(v, n)| format!("{prefix}{n}: {v}"))
        .collect();
    parts.join(" ")
}

fn floor_div(a: i64, b: i64) -> i64 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// PyTorch's `pooling_output_shape` with its checks.
fn pooling_output_len(
    len: i64,
    k: i64,
    pad: i64,
    stride: i64,
    dil: i64,
    ceil: bool,
) -> Result<i64> {
    if stride == 0 {
        return Err(Error::runtime("stride should not be zero"));
    }
    if pad < 0 {
        return Err(Error::runtime(format!(
            "pad must be non-negative, but got pad: {pad}"
        )));
    }
    if pad > ((k - 1) * dil + 1) / 2 {
        return Err(Error::runtime(format!(
            "pad should be at most half of effective kernel size, but got pad={pad}, kernel_size={k} and dilation={dil}"
        )));
    }
    let extra = if ceil { stride - 1 } else { 0 };
    let mut out = floor_div(len + 2 * pad - dil * (k - 1) - 1 + extra, stride) + 1;
    if ceil && (out - 1) * stride >= len + pad {
        out -= 1;
    }
    Ok(out)
}

/// The checks PyTorch's pool2d/pool3d shape checks make after the output size.
fn shape_check(
    op: &str,
    t: &Tensor,
    args: &PoolArgs<'_>,
    out: &[i64],
    check_input_size: bool,
) -> Result<()> {
    let k = args.kernel.len();
    if args.kernel.iter().any(|&v| v <= 0) {
        return Err(Error::runtime(format!(
            "kernel size should be greater than zero, but got {}",
            named("k", args.kernel)
        )));
    }
    if args.stride.iter().any(|&v| v <= 0) {
        return Err(Error::runtime(format!(
            "stride should be greater than zero, but got {}",
            named("d", args.stride)
        )));
    }
    if args.dilation.iter().any(|&v| v <= 0) {
        return Err(Error::runtime(format!(
            "dilation should be greater than zero, but got {}",
            named("dilation", args.dilation)
        )));
    }
    let nd = t.ndim();
    let first_spatial = nd - k - 1;
    if let Some(d) = (first_spatial..nd).find(|&d| t.shape()[d] == 0) {
        return Err(if k == 2 {
            Error::runtime(format!(
                "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{}",
                format_shape(t.shape())
            ))
        } else {
            Error::runtime(format!(
                "{op}(): Expected input's non-batch dimensions to have positive length, but input has a shape of {} and non-batch dimension {} has length zero!",
                format_shape(t.shape()),
                d - first_spatial
            ))
        });
    }
    let half_ok = args
        .kernel
        .iter()
        .zip(args.padding)
        .all(|(&kk, &p)| p <= kk / 2);
    if !half_ok {
        let (kv, pv) = (args.kernel, args.padding);
        return Err(Error::runtime(if k == 2 {
            format!(
                "pad should be smaller than or equal to half of kernel size, but got padW = {}, padH = {}, kW = {}, kH = {}",
                pv[1], pv[0], kv[1], kv[0]
            )
        } else {
            format!(
                "pad should be smaller than or equal to half of kernel size, but got kT: {} kW: {} kH: {} padT: {} padW: {} padH: {}",
                kv[0], kv[2], kv[1], pv[0], pv[2], pv[1]
            )
        }));
    }
    let spatial = &t.shape()[nd - k..];
    if check_input_size
        && spatial
            .iter()
            .zip(args.kernel)
            .any(|(&l, &kk)| (l as i64) < kk)
    {
        return Err(Error::runtime(format!(
            "input image (T: {} H: {} W: {}) smaller than kernel size (kT: {} kH: {} kW: {})",
            spatial[0], spatial[1], spatial[2], args.kernel[0], args.kernel[1], args.kernel[2]
        )));
    }
    if out.iter().any(|&o| o < 1) {
        let planes = t.shape()[first_spatial];
        let ins: Vec<String> = spatial.iter().map(|v| v.to_string()).collect();
        let outs: Vec<String> = out.iter().map(|v| v.to_string()).collect();
        return Err(Error::runtime(format!(
            "Given input size: ({planes}x{}). Calculated output size: ({planes}x{}). Output size is too small",
            ins.join("x"),
            outs.join("x")
        )));
    }
    Ok(())
}

fn check_rank(t: &Tensor, k: usize) -> Result<()> {
    if t.ndim() != k + 1 && t.ndim() != k + 2 {
        return Err(Error::runtime(format!(
            "non-empty {}D or {}D (batch mode) tensor expected for input",
            k + 1,
            k + 2
        )));
    }
    Ok(())
}

fn output_lens(t: &Tensor, args: &PoolArgs<'_>) -> Result<Vec<i64>> {
    let k = args.kernel.len();
    let spatial = &t.shape()[t.ndim() - k..];
    (0..k)
        .map(|i| {
            pooling_output_len(
                spatial[i] as i64,
                args.kernel[i],
                args.padding[i],
                args.stride[i],
                args.dilation[i],
                args.ceil_mode,
            )
        })
        .collect()
}

fn pool_names(k: usize, max: bool) -> Names {
    match (k, max) {
        (2, true) => Names {
            forward: "MaxPool2DWithIndicesBackward0",
            backward: "MaxPool2DWithIndicesBackwardBackward0",
        },
        (_, true) => Names {
            forward: "MaxPool3DWithIndicesBackward0",
            backward: "MaxPool3DWithIndicesBackwardBackward0",
        },
        (2, false) => Names {
            forward: "AvgPool2DBackward0",
            backward: "AvgPool2DBackwardBackward0",
        },
        (_, false) => Names {
            forward: "AvgPool3DBackward0",
            backward: "AvgPool3DBackwardBackward0",
        },
    }
}

/// `max_pool2d`/`max_pool3d` with indices (`MaxPool2DWithIndicesBackward0`).
pub fn max_pool(x: &Tensor, args: &PoolArgs<'_>) -> Result<(Tensor, Tensor)> {
    let k = args.kernel.len();
    let op = if k == 2 { "max_pool2d" } else { "max_pool3d" };
    check_rank(x, k)?;
    let out = output_lens(x, args)?;
    let op_long = "max_pool3d_with_indices_out_cpu_template";
    shape_check(if k == 2 { op } else { op_long }, x, args, &out, false)?;
    check_float(x, op)?;
    let spatial = &x.shape()[x.ndim() - k..];
    let axes = (0..k)
        .map(|i| {
            let (len, s, p, d) = (
                spatial[i] as i64,
                args.stride[i],
                args.padding[i],
                args.dilation[i],
            );
            let mut axis = Axis::new(spatial[i]);
            for o in 0..out[i] {
                let mut lo = o * s - p;
                let hi = (lo + (args.kernel[i] - 1) * d + 1).min(len);
                while lo < 0 {
                    lo += d;
                }
                axis.push_window(lo as usize, hi.max(lo) as usize, d as usize, 1.0);
            }
            axis
        })
        .collect();
    max_by_map(x, &SepMap::new(axes, None), pool_names(k, true))
}

/// `avg_pool2d`/`avg_pool3d` (`AvgPool2DBackward0`).
pub fn avg_pool(
    x: &Tensor,
    args: &PoolArgs<'_>,
    count_include_pad: bool,
    divisor_override: Option<i64>,
) -> Result<Tensor> {
    let k = args.kernel.len();
    if divisor_override == Some(0) {
        return Err(Error::runtime("divisor must be not zero"));
    }
    if k == 2 {
        // PyTorch reads input.size(-3) before any check.
        crate::tensor::layout::wrap_dim(-3, x.ndim())?;
    }
    check_rank(x, k)?;
    let out = output_lens(x, args)?;
    shape_check("avg_pool3d", x, args, &out, k == 3)?;
    check_float(x, if k == 2 { "avg_pool2d" } else { "avg_pool3d" })?;
    let spatial = &x.shape()[x.ndim() - k..];
    let axes = (0..k)
        .map(|i| {
            let (len, kk, s, p) = (
                spatial[i] as i64,
                args.kernel[i],
                args.stride[i],
                args.padding[i],
            );
            let mut axis = Axis::new(spatial[i]);
            for o in 0..out[i] {
                let start = o * s - p;
                let end = (start + kk).min(len + p);
                let padded = end - start;
                let (lo, hi) = (start.max(0), end.min(len));
                let inside = (hi - lo).max(0);
                let factor = if count_include_pad { padded } else { inside };
                // An empty window sums to zero; keep its divisor away from 0/0.
                let factor = if inside == 0 { 1 } else { factor };
                axis.push_window(lo as usize, hi.max(lo) as usize, 1, factor as f64);
            }
            axis
        })
        .collect();
    let map = SepMap::new(axes, divisor_override.map(|d| d as f64));
    apply_pool_map(x, &map, pool_names(k, false))
}

fn adaptive_axis(len: usize, out: usize) -> Axis {
    let mut axis = Axis::new(len);
    for o in 0..out {
        let lo = o * len / out;
        let hi = ((o + 1) * len).div_ceil(out);
        axis.push_window(lo, hi, 1, (hi - lo) as f64);
    }
    axis
}

/// `adaptive_avg_pool2d/3d` (`AdaptiveAvgPool2DBackward0`), or with `max` the
/// adaptive max pool and its indices (`AdaptiveMaxPool2DBackward0`).
pub fn adaptive_pool(x: &Tensor, size: &[i64], max: bool) -> Result<(Tensor, Option<Tensor>)> {
    let k = size.len();
    let op = format!("adaptive_{}_pool{k}d", if max { "max" } else { "avg" });
    if !max && size.iter().any(|&s| s < 0) {
        let parts: Vec<String> = size.iter().map(|v| v.to_string()).collect();
        let shown = if k == 3 {
            format!("{}, {}", parts[0], parts[1..].join(","))
        } else {
            parts.join(", ")
        };
        return Err(Error::runtime(format!(
            "{op}: elements of output_size must be greater than or equal to 0 but received {{{shown}}}"
        )));
    }
    if x.ndim() != k + 1 && x.ndim() != k + 2 {
        return Err(Error::runtime(format!(
            "{op}(): Expected {}D or {}D tensor, but got{} {}",
            k + 1,
            k + 2,
            if max { ":" } else { "" },
            format_shape(x.shape())
        )));
    }
    let nd = x.ndim();
    if let Some(d) = (nd - k..nd).find(|&d| x.shape()[d] == 0) {
        return Err(Error::runtime(format!(
            "{op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {} with dimension {d} being empty",
            format_shape(x.shape())
        )));
    }
    if let Some(&neg) = size.iter().find(|&&s| s < 0) {
        let mut shape: Vec<String> = x.shape()[..nd - k].iter().map(|v| v.to_string()).collect();
        shape.extend(size.iter().map(|v| v.to_string()));
        return Err(Error::runtime(format!(
            "Trying to create tensor with negative dimension {neg}: [{}]",
            shape.join(", ")
        )));
    }
    check_float(x, &op)?;
    let mut out_shape = x.shape()[..nd - k].to_vec();
    out_shape.extend(size.iter().map(|&s| s as usize));
    crate::tensor::layout::checked_numel(&out_shape)?;
    let spatial = &x.shape()[nd - k..];
    let axes = (0..k)
        .map(|i| adaptive_axis(spatial[i], size[i] as usize))
        .collect();
    let map = SepMap::new(axes, None);
    let three = k == 3;
    if max {
        let names = if three {
            Names {
                forward: "AdaptiveMaxPool3DBackward0",
                backward: "AdaptiveMaxPool3DBackwardBackward0",
            }
        } else {
            Names {
                forward: "AdaptiveMaxPool2DBackward0",
                backward: "AdaptiveMaxPool2DBackwardBackward0",
            }
        };
        let (out, idx) = max_by_map(x, &map, names)?;
        return Ok((out, Some(idx)));
    }
    let names = if three {
        Names {
            forward: "AdaptiveAvgPool3DBackward0",
            backward: "AdaptiveAvgPool3DBackwardBackward0",
        }
    } else {
        Names {
            forward: "AdaptiveAvgPool2DBackward0",
            backward: "AdaptiveAvgPool2DBackwardBackward0",
        }
    };
    Ok((apply_pool_map(x, &map, names)?, None))
}

/// `max_unpool2d/3d`: values placed at their indices in zeros of spatial size `size`
/// (`MaxUnpool2DBackward0`; the backward gathers by the indices).
pub fn max_unpool(x: &Tensor, indices: &Tensor, size: &[i64]) -> Result<Tensor> {
    let k = size.len();
    if x.ndim() != k + 1 && x.ndim() != k + 2 {
        return Err(Error::runtime(format!(
            "Input to max_unpooling{k}d should be a {}d or {}d Tensor, but got a tensor with {} dimensions.",
            k + 1,
            k + 2,
            x.ndim()
        )));
    }
    if size.iter().any(|&s| s <= 0) {
        return Err(Error::runtime(format!(
            "max_unpooling{k}d: output sizes must be positive, but got {size:?}"
        )));
    }
    check_float(x, &format!("max_unpooling{k}d_forward_out_cpu_frame"))?;
    let sizes: Vec<usize> = size.iter().map(|&s| s as usize).collect();
    // PyTorch's refusals of an output past int64 or past memory, not an allocator abort
    let out_shape: Vec<usize> = x.shape()[..x.ndim() - k]
        .iter()
        .chain(&sizes)
        .copied()
        .collect();
    crate::tensor::layout::check_view_numel(&out_shape)?;
    crate::tensor::memory_limit::check(
        crate::tensor::layout::numel(&out_shape),
        x.dtype().size_in_bytes(),
    )?;
    let names = if k == 3 {
        Names {
            forward: "MaxUnpool3DBackward0",
            backward: "ViewBackward0",
        }
    } else {
        Names {
            forward: "MaxUnpool2DBackward0",
            backward: "ViewBackward0",
        }
    };
    scatter_set_planes(x, indices, &sizes, names)
}

/// `fractional_max_pool2d/3d` once the Python layer has drawn the windows and found each
/// one's largest tap: the taps at `indices` (flat in each input plane), with PyTorch's
/// nodes (`FractionalMaxPool2DBackward0`, differentiable under create_graph).
pub fn fractional_max_pool_take(x: &Tensor, indices: &Tensor, k: usize) -> Result<Tensor> {
    check_float(x, "fractional_max_pool")?;
    let names = if k == 3 {
        Names {
            forward: "FractionalMaxPool3DBackward0",
            backward: "FractionalMaxPool3DBackwardBackward0",
        }
    } else {
        Names {
            forward: "FractionalMaxPool2DBackward0",
            backward: "FractionalMaxPool2DBackwardBackward0",
        }
    };
    take_planes(x, indices, k, names)
}
