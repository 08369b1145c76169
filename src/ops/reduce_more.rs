//! Reductions and scans along a dim: max/min with indices, argmax/argmin, var/std,
//! softmax/log_softmax, logsumexp, cumulative ops, sort/topk/kthvalue/median/mode,
//! aminmax, count_nonzero, nonzero.

use super::cast::cast_raw;
use super::reduce::{reduced_dims, sum};
use super::view::{expand, unsqueeze_dims};
use super::{scalar, to_dtype};
use crate::autograd::node::{SavedArg, SavedList};
use crate::autograd::record::save_args_for;
use crate::autograd::record::sizes_arg;
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::layout::wrap_dim;
use crate::tensor::{default_dtype, DType, Element, Scalar, Tensor};
use std::cmp::Ordering;

/// Lanes along one dim of a row-major shape: `outer` lanes of `n` elements, `post` apart.
#[derive(Clone, Copy)]
struct Lanes {
    outer: usize,
    n: usize,
    post: usize,
}

impl Lanes {
    fn new(shape: &[usize], dim: usize) -> Lanes {
        if shape.is_empty() {
            return Lanes {
                outer: 1,
                n: 1,
                post: 1,
            };
        }
        let pre: usize = shape[..dim].iter().product();
        let post: usize = shape[dim + 1..].iter().product();
        Lanes {
            outer: pre * post,
            n: shape[dim],
            post,
        }
    }
    /// Row-major position of element `k` of lane `o` in a shape whose dim has size `n`.
    fn pos_n(&self, o: usize, k: usize, n: usize) -> usize {
        (o / self.post) * n * self.post + k * self.post + o % self.post
    }
    fn pos(&self, o: usize, k: usize) -> usize {
        self.pos_n(o, k, self.n)
    }
}

/// Runs `f` on every lane of `t` along `dim`; `f` writes `kout` values and indices per
/// lane. Returns the values and indices in row-major order of the output shape (the
/// input shape with `dim` of size `kout`) and the input positions of the indices.
fn per_lane<T: Element, U: Element>(
    t: &Tensor,
    dim: usize,
    kout: usize,
    mut f: impl FnMut(&[T], &mut [U], &mut [i64]),
) -> (Vec<U>, Vec<i64>, Vec<i64>) {
    let data = t.to_vec::<T>();
    let l = Lanes::new(t.shape(), dim);
    let total = l.outer * kout;
    let mut vals = vec![U::default(); total];
    let mut idx = vec![0i64; total];
    let mut pos = vec![0i64; total];
    let mut lane = vec![T::default(); l.n];
    let mut ov = vec![U::default(); kout];
    let mut oi = vec![0i64; kout];
    for o in 0..l.outer {
        for (k, x) in lane.iter_mut().enumerate() {
            *x = data[l.pos(o, k)];
        }
        f(&lane, &mut ov, &mut oi);
        for j in 0..kout {
            let p = l.pos_n(o, j, kout);
            vals[p] = ov[j];
            idx[p] = oi[j];
            pos[p] = l.pos(o, oi[j].max(0) as usize) as i64;
        }
    }
    (vals, idx, pos)
}

#[inline]
fn is_nan<T: Element>(x: T) -> bool {
    x.partial_cmp(&x).is_none()
}

/// Total order with NaN above everything (PyTorch's sort order).
fn cmp_nan_last<T: Element>(a: T, b: T) -> Ordering {
    match (is_nan(a), is_nan(b)) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn shape_with(shape: &[usize], dim: usize, size: Option<usize>) -> Vec<usize> {
    let mut s = shape.to_vec();
    if s.is_empty() {
        return s;
    }
    match size {
        Some(k) => s[dim] = k,
        None => {
            s.remove(dim);
        }
    }
    s
}

fn check_nonempty_dim(t: &Tensor, dim: usize, name: &str) -> Result<()> {
    if t.ndim() > 0 && t.shape()[dim] == 0 {
        return Err(Error::index(format!(
            "{name}(): Expected reduction dim {dim} to have non-zero size."
        )));
    }
    Ok(())
}

/// Records a node whose backward scatters the gradient to `positions` of the input;
/// the node saves `indices` (what PyTorch's node saves: `grad_fn._saved_indices`).
fn record_scatter(
    name: &'static str,
    t: &Tensor,
    out: &Tensor,
    positions: Vec<i64>,
    indices: Option<&Tensor>,
) -> Result<()> {
    if needs_grad(&[t]) {
        let (shape, dtype) = (t.shape().to_vec(), t.dtype());
        let saved: SavedList = indices.map(SavedTensor::input).into_iter().collect();
        if positions.is_empty() {
            // no elements were chosen from: the gradient is empty
            record(name, &[t], &[out], saved, move |_| {
                Ok(vec![Some(Tensor::zeros(&shape, dtype)?)])
            });
            return Ok(());
        }
        let p = Tensor::from_vec(positions, out.shape())?;
        record(name, &[t], &[out], saved, move |ctx| {
            let g = super::index::index_add_flat(&shape, &p, ctx.grad())?;
            Ok(vec![Some(to_dtype(&g, dtype)?)])
        });
    }
    Ok(())
}

/// A (values, indices) reduction of a 0-dim tensor: the value itself at index 0, which
/// PyTorch answers before its dtype dispatch (so bool and complex are taken too).
fn zero_dim_pick(name: &'static str, t: &Tensor) -> Result<(Tensor, Tensor)> {
    let values = cast_raw(t, t.dtype());
    let indices = Tensor::from_vec(vec![0i64], &[])?;
    record_scatter(name, t, &values, vec![0], Some(&indices))?;
    Ok((values, indices))
}

fn values_tensor<T: Element>(v: Vec<T>, shape: &[usize]) -> Result<Tensor> {
    Tensor::from_vec(v, shape)
}

/// `max(dim)` / `min(dim)`: (values, indices), `MaxBackward0` / `MinBackward0`.
pub fn max_dim(t: &Tensor, dim: i64, keepdim: bool, is_max: bool) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    check_nonempty_dim(t, d, if is_max { "max" } else { "min" })?;
    super::complex_refusals::refuse(if is_max { "max" } else { "min" }, t)?;
    let name = if is_max {
        "MaxBackward0"
    } else {
        "MinBackward0"
    };
    let shape = shape_with(t.shape(), d, if keepdim { Some(1) } else { None });
    // PyTorch copies a 0-dim input and runs no kernel on an empty one: no dtype refused
    let (values, idx) = if t.ndim() == 0 {
        (cast_raw(t, t.dtype()), vec![0i64])
    } else if t.numel() == 0 {
        (Tensor::zeros(&shape, t.dtype())?, vec![])
    } else {
        super::shell_refusals::refuse(if is_max { "max_cpu" } else { "min_cpu" }, t)?;
        crate::with_kernel_dtype!(t.dtype(), T => {
            let (v, i) = super::reduce_fast::extreme_dim::<T>(t, d, is_max);
            (values_tensor(v, &shape)?, i)
        })
    };
    let pos = if needs_grad(&[t]) {
        super::reduce_fast::chosen_positions(t.shape(), d, &idx)
    } else {
        vec![]
    };
    let indices = Tensor::from_vec(idx, &shape)?;
    record_scatter(name, t, &values, pos, Some(&indices))?;
    save_args_for(&values, name, || {
        vec![
            ("dim", SavedArg::Int(dim)),
            ("keepdim", SavedArg::Bool(keepdim)),
            ("self_sym_sizes", sizes_arg(t)),
        ]
    });
    Ok((values, indices))
}

/// `argmax` / `argmin` over `dim`, or over the flattened tensor for `None`.
pub fn argmax(t: &Tensor, dim: Option<i64>, keepdim: bool, is_max: bool) -> Result<Tensor> {
    let name = if is_max { "argmax" } else { "argmin" };
    let kernel = if is_max { "argmax_cpu" } else { "argmin_cpu" };
    super::complex_refusals::refuse(name, t)?;
    if t.dtype() == DType::Bool {
        return Err(Error::runtime(format!(
            "{name}(): does not support bool input"
        )));
    }
    let wrapped = dim.map(|d| wrap_dim(d, t.ndim())).transpose()?;
    match wrapped {
        Some(w) => check_nonempty_dim(t, w, name)?,
        None if t.numel() == 0 => {
            return Err(Error::index(format!(
                "{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )))
        }
        None => {}
    }
    let _g = crate::autograd::GradModeGuard::new(false);
    match dim {
        Some(d) => {
            // PyTorch fills zeros over a dim of one and runs no kernel on an empty result
            let w = wrapped.unwrap_or(0);
            if t.ndim() > 0 && t.shape()[w] == 1 {
                let shape = shape_with(t.shape(), w, if keepdim { Some(1) } else { None });
                return Tensor::zeros(&shape, DType::I64);
            }
            if t.ndim() == 0 || t.numel() > 0 {
                super::shell_refusals::refuse(kernel, t)?;
            }
            Ok(max_dim(&t.detached(), d, keepdim, is_max)?.1)
        }
        None => {
            super::shell_refusals::refuse(kernel, t)?;
            let flat = cast_raw(t, t.dtype());
            let flat = super::view::reshape_to(&flat, &[t.numel()])?;
            let i = max_dim(&flat, 0, false, is_max)?.1;
            if keepdim {
                let ones = vec![1usize; t.ndim()];
                super::view::reshape_to(&i, &ones)
            } else {
                Ok(i)
            }
        }
    }
}

/// The dims of `t` listed in `rdims` moved last, as a row-major f64 vector, with the
/// group size.
fn grouped_f64(t: &Tensor, rdims: &[usize]) -> (Vec<f64>, usize) {
    let kept: Vec<usize> = (0..t.ndim()).filter(|d| !rdims.contains(d)).collect();
    let perm: Vec<usize> = kept.iter().chain(rdims.iter()).copied().collect();
    let layout = t.layout().permuted(&perm);
    let v = t.view_with_layout(layout).to_vec::<f64>();
    let m: usize = rdims.iter().map(|&d| t.shape()[d]).product();
    (v, m)
}

fn out_shape(t: &Tensor, rdims: &[usize], keepdim: bool) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, &s) in t.shape().iter().enumerate() {
        if rdims.contains(&i) {
            if keepdim {
                out.push(1);
            }
        } else {
            out.push(s);
        }
    }
    out
}

/// A reduced tensor broadcast back over the input shape.
fn expand_back(g: &Tensor, rdims: &[usize], keepdim: bool, shape: &[usize]) -> Result<Tensor> {
    let g = if keepdim || g.ndim() == shape.len() {
        g.clone()
    } else {
        unsqueeze_dims(g, rdims)?
    };
    let sizes: Vec<i64> = shape.iter().map(|&s| s as i64).collect();
    expand(&g, &sizes)
}

fn dims_i64(rdims: &[usize]) -> Vec<i64> {
    rdims.iter().map(|&d| d as i64).collect()
}

/// Per group of `rdims`: the sum of squared deviations and the mean, through float64
/// lanes (the dtypes without a fast path), and the group size.
fn moments_f64(t: &Tensor, rdims: &[usize]) -> (Vec<f64>, Vec<f64>, usize) {
    let (v, m) = grouped_f64(t, rdims);
    let groups = v
        .len()
        .checked_div(m)
        .unwrap_or_else(|| out_shape(t, rdims, false).iter().product());
    let mut squares = Vec::with_capacity(groups);
    let mut means = Vec::with_capacity(groups);
    for gi in 0..groups {
        let s = &v[gi * m..gi * m + m];
        let mean = s.iter().sum::<f64>() / m as f64;
        squares.push(s.iter().map(|x| (x - mean) * (x - mean)).sum());
        means.push(mean);
    }
    (squares, means, m)
}

/// Forward of var/std/var_mean/std_mean: (var or std, mean).
fn moments(
    t: &Tensor,
    dims: Option<&[i64]>,
    correction: f64,
    keepdim: bool,
    take_sqrt: bool,
    with_mean: bool,
) -> Result<(Tensor, Tensor, Vec<usize>, f64)> {
    if !t.dtype().is_floating() {
        let what = match (with_mean, take_sqrt) {
            (false, _) => "std and var",
            (true, false) => "var_mean",
            (true, true) => "std_mean",
        };
        return Err(Error::runtime(format!(
            "{what} only support floating point and complex dtypes"
        )));
    }
    let rdims = reduced_dims(t, dims)?;
    let (squares, means, m) = match super::reduce_fast::moments(t, &rdims) {
        Some(found) => found,
        None => moments_f64(t, &rdims),
    };
    let dof = (m as f64 - correction).max(0.0);
    let vars: Vec<f64> = squares
        .iter()
        .map(|ss| {
            let var = ss / dof;
            if take_sqrt {
                var.sqrt()
            } else {
                var
            }
        })
        .collect();
    let shape = out_shape(t, &rdims, keepdim);
    let a = cast_raw(&Tensor::from_vec(vars, &shape)?, t.dtype());
    let b = cast_raw(&Tensor::from_vec(means, &shape)?, t.dtype());
    Ok((a, b, rdims, (m as f64 - correction).max(0.0)))
}

/// d var / d x times the gradient `g` (already broadcast): 2 g (x - mean) / dof.
fn var_grad(x: &Tensor, g: &Tensor, rdims: &[usize], dof: f64) -> Result<Tensor> {
    let mean = super::reduce::mean(x, Some(&dims_i64(rdims)), true, None)?;
    let centered = super::binary::sub(x, &mean)?;
    let f = super::binary::mul(g, &centered)?;
    super::binary::mul(&f, &scalar(Scalar::Float(2.0 / dof)))
}

/// g / (2 std), 0 where std is 0 (PyTorch's convention).
pub(crate) fn std_scale(g: &Tensor, s: &Tensor) -> Result<Tensor> {
    let q = super::binary::div(g, &super::binary::mul(s, &scalar(Scalar::Int(2)))?)?;
    let zero = super::compare::eq(s, &scalar(Scalar::Int(0)))?;
    super::index::masked_fill(&q, &zero, Scalar::Float(0.0))
}

/// `var` / `std` (`VarBackward0` / `StdBackward0`).
pub fn var_std(
    t: &Tensor,
    dims: Option<&[i64]>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_reduce::var_std(t, dims, correction, keepdim, is_std);
    }
    let (out, _, rdims, dof) = moments(t, dims, correction, keepdim, is_std, false)?;
    if needs_grad(&[t]) {
        let shape = t.shape().to_vec();
        let name = if is_std {
            "StdBackward0"
        } else {
            "VarBackward0"
        };
        // as PyTorch's nodes: var saves its input, std its result too
        let mut saved: SavedList = smallvec::smallvec![SavedTensor::input(t)];
        if is_std {
            saved.push(SavedTensor::output(&out));
        }
        record(name, &[t], &[&out], saved, move |ctx| {
            let x = ctx.saved(0);
            let mut g = ctx.grad().clone();
            if is_std {
                g = std_scale(&g, ctx.saved(1))?;
            }
            let g = expand_back(&g, &rdims, keepdim, &shape)?;
            Ok(vec![Some(var_grad(x, &g, &rdims, dof)?)])
        });
    }
    Ok(out)
}

/// `var_mean` / `std_mean` (`VarMeanBackward0` / `StdMeanBackward0`).
pub fn var_std_mean(
    t: &Tensor,
    dims: Option<&[i64]>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
) -> Result<(Tensor, Tensor)> {
    if t.dtype().is_complex() {
        return super::complex_reduce::var_std_mean(t, dims, correction, keepdim, is_std);
    }
    let (out, mean, rdims, dof) = moments(t, dims, correction, keepdim, is_std, true)?;
    if needs_grad(&[t]) {
        let shape = t.shape().to_vec();
        let name = if is_std {
            "StdMeanBackward0"
        } else {
            "VarMeanBackward0"
        };
        let m: usize = rdims.iter().map(|&d| shape[d]).product();
        // PyTorch's VarMeanBackward0 keeps only self, StdMeanBackward0 the std too
        let mut saved = smallvec::smallvec![SavedTensor::input(t)];
        if is_std {
            saved.push(SavedTensor::output(&out));
        }
        record(name, &[t], &[&out, &mean], saved, move |ctx| {
            let x = ctx.saved(0);
            let mut g = ctx.grads[0].clone();
            if is_std {
                g = std_scale(&g, ctx.saved(1))?;
            }
            let g = expand_back(&g, &rdims, keepdim, &shape)?;
            let gv = var_grad(x, &g, &rdims, dof)?;
            let gm = super::binary::div(&ctx.grads[1], &scalar(Scalar::Float(m as f64)))?;
            let gm = expand_back(&gm, &rdims, keepdim, &shape)?;
            Ok(vec![Some(super::binary::add(&gv, &gm)?)])
        });
    }
    Ok((out, mean))
}

/// Runs an f64 lane function over `dim` and returns a tensor of the input's shape.
fn lane_map_f64(
    t: &Tensor,
    dim: usize,
    out_dtype: DType,
    f: impl Fn(&[f64], &mut [f64]),
) -> Result<Tensor> {
    let n = if t.ndim() == 0 { 1 } else { t.shape()[dim] };
    let (v, _, _) = per_lane::<f64, f64>(t, dim, n, |lane, ov, _| f(lane, ov));
    Ok(cast_raw(&Tensor::from_vec(v, t.shape())?, out_dtype))
}

fn softmax_input(t: &Tensor, dim: i64, dtype: Option<DType>, kernel: &str) -> Result<Tensor> {
    match dtype {
        Some(d) => to_dtype(t, d),
        None if !t.dtype().is_floating() && t.numel() > 0 => Err(Error::not_implemented(format!(
            "\"{kernel}{}_kernel_impl\" not implemented for '{}'",
            if wrap_dim(dim, t.ndim())? + 1 >= t.ndim() {
                "_lastdim"
            } else {
                ""
            },
            t.dtype().kernel_name()
        ))),
        None => Ok(t.clone()),
    }
}

/// The rounding PyTorch's 16-bit last-dim `log_softmax` kernel applies to the sum of
/// exponentials and to its log: both are stored in the tensor's own dtype (its other
/// kernels keep them in float); None for every other case.
fn half_precision_rounding(dtype: DType, log: bool, last_dim: bool) -> Option<fn(f64) -> f64> {
    match dtype {
        DType::BF16 if log && last_dim => Some(|v| crate::tensor::bf16::from_f64(v).to_f64()),
        DType::F16 if log && last_dim => Some(|v| crate::tensor::f16::from_f64(v).to_f64()),
        _ => None,
    }
}

/// Softmax / log-softmax through float64 lanes (16-bit types, with `rounded` as PyTorch's
/// 16-bit last-dim log_softmax kernel rounds).
fn softmax_generic(
    x: &Tensor,
    d: usize,
    log: bool,
    rounded: Option<fn(f64) -> f64>,
) -> Result<Tensor> {
    lane_map_f64(x, d, x.dtype(), |lane, ov| {
        let m = lane.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let m = if m.is_finite() { m } else { 0.0 };
        let s: f64 = lane.iter().map(|&v| (v - m).exp()).sum();
        // the stored log of the stored sum, subtracted in float32 (PyTorch's 16-bit kernel)
        let stored_log = rounded.map(|round| round(((round(s) as f32).ln()) as f64) as f32);
        for (o, &v) in ov.iter_mut().zip(lane) {
            *o = if let Some(ls) = stored_log {
                ((v - m) as f32 - ls) as f64
            } else if log {
                v - m - s.ln()
            } else {
                (v - m).exp() / s
            };
        }
        // NaN, or +inf (inf - inf is NaN in PyTorch's max-subtracted sum), poisons the lane.
        if lane.iter().any(|v| v.is_nan() || *v == f64::INFINITY) {
            ov.iter_mut().for_each(|o| *o = f64::NAN);
        }
    })
}

/// `softmax(dim, dtype)` (`SoftmaxBackward0`) and `log_softmax` (`LogSoftmaxBackward0`).
pub fn softmax(t: &Tensor, dim: i64, dtype: Option<DType>, log: bool) -> Result<Tensor> {
    if dtype.is_none() {
        wrap_dim(dim, t.ndim())?;
        let kernel = if log {
            "log_softmax_lastdim_kernel_impl"
        } else {
            "softmax_lastdim_kernel_impl"
        };
        super::shell_refusals::refuse_float8(kernel, t)?;
    }
    let x = softmax_input(t, dim, dtype, if log { "log_softmax" } else { "softmax" })?;
    let d = wrap_dim(dim, x.ndim())?;
    let rounded = half_precision_rounding(x.dtype(), log, d + 1 >= x.ndim());
    let fast = match rounded {
        None => super::reduce_fast::softmax(&x, d, log)?,
        Some(_) => None,
    };
    let out = if let Some(out) = fast {
        out
    } else {
        softmax_generic(&x, d, log, rounded)?
    };
    if needs_grad(&[&x]) {
        let name = if log {
            "LogSoftmaxBackward0"
        } else {
            "SoftmaxBackward0"
        };
        let dims = [d as i64];
        record(
            name,
            &[&x],
            &[&out],
            smallvec::smallvec![SavedTensor::output(&out)],
            move |ctx| {
                let (g, y) = (ctx.grad(), ctx.saved(0));
                let r = super::softmax_backward::softmax_backward_data(g, y, dims[0], log)?;
                Ok(vec![Some(r)])
            },
        );
    }
    let name = if log {
        "LogSoftmaxBackward0"
    } else {
        "SoftmaxBackward0"
    };
    save_args_for(&out, name, || vec![("dim", SavedArg::Int(dim))]);
    Ok(out)
}

/// `logsumexp` per group of `rdims` through float64 lanes.
fn logsumexp_f64(t: &Tensor, rdims: &[usize], shape: &[usize]) -> Vec<f64> {
    let (v, m) = grouped_f64(t, rdims);
    let groups: usize = shape.iter().product();
    let mut vals = Vec::with_capacity(groups);
    for gi in 0..groups {
        let s = &v[gi * m..gi * m + m];
        let mx = s.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let r = if s.iter().any(|x| x.is_nan()) {
            f64::NAN
        } else if mx.is_infinite() {
            mx
        } else {
            mx + s.iter().map(|x| (x - mx).exp()).sum::<f64>().ln()
        };
        vals.push(r);
    }
    vals
}

/// `logsumexp(dim, keepdim)` (`LogsumexpBackward0`).
pub fn logsumexp(t: &Tensor, dims: &[i64], keepdim: bool) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_functions::logsumexp(t, dims, keepdim);
    }
    let rdims = reduced_dims(t, Some(dims))?;
    let shape = out_shape(t, &rdims, keepdim);
    let vals = match super::reduce_fast::logsumexp(t, &rdims) {
        Some(vals) => vals,
        None => logsumexp_f64(t, &rdims, &shape),
    };
    let dtype = if t.dtype().is_floating() {
        t.dtype()
    } else {
        default_dtype()
    };
    let out = cast_raw(&Tensor::from_vec(vals, &shape)?, dtype);
    if needs_grad(&[t]) {
        let shape_in = t.shape().to_vec();
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        record("LogsumexpBackward0", &[t], &[&out], saved, move |ctx| {
            let (x, r) = (ctx.saved(0), ctx.saved(1));
            let g = expand_back(ctx.grad(), &rdims, keepdim, &shape_in)?;
            let r = expand_back(r, &rdims, keepdim, &shape_in)?;
            let e = super::unary::exp(&super::binary::sub(x, &r)?)?;
            Ok(vec![Some(super::binary::mul(&g, &e)?)])
        });
    }
    save_args_for(&out, "LogsumexpBackward0", || {
        vec![
            ("dim", SavedArg::Ints(dims.to_vec())),
            ("keepdim", SavedArg::Bool(keepdim)),
        ]
    });
    Ok(out)
}

/// Reverse cumulative sum along `dim`, written with ops: sum - cumsum + g.
fn rev_cumsum(g: &Tensor, dim: usize) -> Result<Tensor> {
    let total = sum(g, Some(&[dim as i64]), true, None)?;
    let c = cumsum(g, dim as i64, None)?;
    super::binary::add(&super::binary::sub(&total, &c)?, g)
}

fn scan_dtype(t: &Tensor, dtype: Option<DType>) -> DType {
    dtype.unwrap_or(if t.dtype().is_floating() {
        t.dtype()
    } else {
        DType::I64
    })
}

/// `cumsum(dim, dtype)` (`CumsumBackward0`).
pub fn cumsum(t: &Tensor, dim: i64, dtype: Option<DType>) -> Result<Tensor> {
    if let Some(out) = scan_without_kernel(t, dim, dtype, "cumsum_out_cpu")? {
        return Ok(out);
    }
    scan(t, dim, dtype, false)
}

/// `cumprod(dim, dtype)` (`CumprodBackward0`).
pub fn cumprod(t: &Tensor, dim: i64, dtype: Option<DType>) -> Result<Tensor> {
    if let Some(out) = scan_without_kernel(t, dim, dtype, "cumprod_out_cpu")? {
        return Ok(out);
    }
    scan(t, dim, dtype, true)
}

/// A scan into a dtype PyTorch has no scan kernel for (uint16/32/64, the 8-bit floats):
/// its copy of a 0-dim input or zeros for an empty one, which run no kernel, else its
/// NotImplementedError; None for a dtype with a kernel.
fn scan_without_kernel(
    t: &Tensor,
    dim: i64,
    dtype: Option<DType>,
    kernel: &str,
) -> Result<Option<Tensor>> {
    wrap_dim(dim, t.ndim())?;
    let out_dtype = scan_dtype(t, dtype);
    if !(out_dtype.is_shell_unsigned() || out_dtype.is_float8()) {
        return Ok(None);
    }
    if t.ndim() == 0 {
        return Ok(Some(cast_raw(t, out_dtype)));
    }
    if t.numel() == 0 {
        return Ok(Some(Tensor::zeros(t.shape(), out_dtype)?));
    }
    Err(crate::tensor::dtype::shell_kernel_missing(
        kernel, out_dtype,
    ))
}

fn scan(t: &Tensor, dim: i64, dtype: Option<DType>, is_prod: bool) -> Result<Tensor> {
    if t.dtype().is_complex() || dtype.is_some_and(|d| d.is_complex()) {
        let src = match dtype {
            Some(d) if d != t.dtype() => super::to_dtype(t, d)?,
            _ => t.clone(),
        };
        if src.dtype().is_complex() {
            let d = wrap_dim(dim, t.ndim())?;
            return if is_prod {
                super::complex_functions::cumprod(&src, d)
            } else {
                super::complex_functions::cumsum(&src, d)
            };
        }
    }
    let d = wrap_dim(dim, t.ndim())?;
    let dt = scan_dtype(t, dtype);
    super::reduce::refuse_grad_into(t, dt)?;
    // The cast happens inside the op: its node leads straight to the input.
    let x = super::cast::in_compute(t, dt);
    let n = if x.ndim() == 0 { 1 } else { x.shape()[d] };
    // PyTorch's sum starts from +0.0 (a leading -0.0 comes out +0.0), but a 0-d input is
    // passed through
    let plus_zero_start = !is_prod && x.ndim() > 0;
    let fast = if x.dtype() == dt {
        super::reduce_fast::scan(&x, d, is_prod)?
    } else {
        None
    };
    let out = if let Some(out) = fast {
        out
    } else {
        crate::with_kernel_dtype!(dt.compute(), T => {
            let (v, _, _) = per_lane::<T, T>(&x, d, n, |lane, ov, _| {
                let mut acc: Option<T> = None;
                for (o, &v) in ov.iter_mut().zip(lane) {
                    let a = match acc {
                        None if plus_zero_start && T::DTYPE != DType::I64 => T::from_f64(v.to_f64() + 0.0),
                        None => v,
                        Some(a) => match T::DTYPE {
                            DType::I64 => if is_prod { T::from_i64(a.to_i64().wrapping_mul(v.to_i64())) } else { T::from_i64(a.to_i64().wrapping_add(v.to_i64())) },
                            _ => if is_prod { T::from_f64(a.to_f64() * v.to_f64()) } else { T::from_f64(a.to_f64() + v.to_f64()) },
                        },
                    };
                    *o = a;
                    acc = Some(a);
                }
            });
            Tensor::from_vec(v, x.shape())?
        })
    };
    let out = super::cast::narrow_to(out, dt);
    if needs_grad(&[t]) {
        let in_dtype = t.dtype();
        if is_prod {
            let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
            record("CumprodBackward0", &[t], &[&out], saved, move |ctx| {
                let (xs, r) = (&to_dtype(ctx.saved(0), dt)?, ctx.saved(1));
                let g = ctx.grad();
                let has_zero = xs.to_vec::<f64>().contains(&0.0);
                if !has_zero {
                    let q = rev_cumsum(&super::binary::mul(g, r)?, d)?;
                    let q = super::binary::div(&q, xs)?;
                    return Ok(vec![Some(to_dtype(&q, in_dtype)?)]);
                }
                if needs_grad(&[g, xs]) && xs.ndim() > 0 {
                    let q = cumprod_grad_with_zeros(xs, g, d)?;
                    return Ok(vec![Some(to_dtype(&q, in_dtype)?)]);
                }
                let gv = g.to_vec::<f64>();
                let xv = xs.to_vec::<f64>();
                let l = Lanes::new(xs.shape(), d);
                let mut out = vec![0.0f64; xv.len()];
                for o in 0..l.outer {
                    for i in 0..l.n {
                        let mut acc = 0.0;
                        let mut prod = 1.0;
                        for j in 0..i {
                            prod *= xv[l.pos(o, j)];
                        }
                        for k in i..l.n {
                            if k > i {
                                prod *= xv[l.pos(o, k)];
                            }
                            acc += gv[l.pos(o, k)] * prod;
                        }
                        out[l.pos(o, i)] = acc;
                    }
                }
                let t = cast_raw(&Tensor::from_vec(out, xs.shape())?, in_dtype);
                Ok(vec![Some(t)])
            });
        } else {
            record("CumsumBackward0", &[t], &[&out], vec![], move |ctx| {
                let g = ctx.grad();
                let r = if g.ndim() == 0 {
                    g.clone()
                } else {
                    rev_cumsum(g, d)?
                };
                Ok(vec![Some(to_dtype(&r, in_dtype)?)])
            });
        }
    }
    let name = if is_prod {
        "CumprodBackward0"
    } else {
        "CumsumBackward0"
    };
    save_args_for(&out, name, || vec![("dim", SavedArg::Int(dim))]);
    Ok(out)
}

/// cumprod's gradient when the input holds zeros, written with ops so that it is itself
/// differentiable (create_graph), as PyTorch's O(n²) form: the gradient of x_k sums
/// g_i * prod_{j <= i, j != k} x_j over i >= k.
fn cumprod_grad_with_zeros(x: &Tensor, g: &Tensor, d: usize) -> Result<Tensor> {
    use super::binary::mul;
    use super::view::narrow;
    let n = x.shape()[d];
    let dim = d as i64;
    let mut columns = Vec::with_capacity(n);
    for k in 0..n {
        let k = k as i64;
        let before = super::reduce::prod(&narrow(x, dim, 0, k)?, Some(dim), true, None)?;
        let after = cumprod(&narrow(x, dim, k + 1, n as i64 - k - 1)?, dim, None)?;
        let omitted = super::shape::cat(&[before.clone(), mul(&before, &after)?], dim)?;
        let g_from_k = narrow(g, dim, k, n as i64 - k)?;
        columns.push(sum(&mul(&g_from_k, &omitted)?, Some(&[dim]), false, None)?);
    }
    super::shape::stack(&columns, dim)
}

/// `logcumsumexp(dim)` (`LogcumsumexpBackward0`).
pub fn logcumsumexp(t: &Tensor, dim: i64) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("logcumsumexp_out_cpu", t)?;
    if t.dtype().is_complex() {
        return super::complex_functions::logcumsumexp(t, wrap_dim(dim, t.ndim())?);
    }
    if !t.dtype().is_floating() {
        return Err(Error::not_implemented(format!(
            "\"logcumsumexp_out_cpu\" not implemented for '{}'",
            t.dtype().kernel_name()
        )));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let out = lane_map_f64(t, d, t.dtype(), |lane, ov| {
        let mut acc = f64::NEG_INFINITY;
        for (o, &v) in ov.iter_mut().zip(lane) {
            let (hi, lo) = if acc > v { (acc, v) } else { (v, acc) };
            acc = if v.is_nan() || acc.is_nan() {
                f64::NAN
            } else if hi.is_infinite() {
                hi
            } else {
                hi + (lo - hi).exp().ln_1p()
            };
            *o = acc;
        }
    })?;
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        record("LogcumsumexpBackward0", &[t], &[&out], saved, move |ctx| {
            let (x, r) = (ctx.saved(0), ctx.saved(1));
            let g = ctx.grad();
            // a 0-d input, or no elements (no lane max to shift by)
            if g.ndim() == 0 || g.numel() == 0 {
                return Ok(vec![Some(g.clone())]);
            }
            // grad_i = sum_{k >= i} g_k exp(x_i - r_k), shifted by the lane max.
            let m = {
                let _no = crate::autograd::GradModeGuard::new(false);
                super::reduce::amax(&x.detached(), Some(&[d as i64]), true)?
            };
            let a = super::unary::exp(&super::binary::sub(&m, r)?)?;
            let s = rev_cumsum(&super::binary::mul(g, &a)?, d)?;
            let e = super::unary::exp(&super::binary::sub(x, &m)?)?;
            Ok(vec![Some(super::binary::mul(&s, &e)?)])
        });
    }
    Ok(out)
}

/// `cummax(dim)` / `cummin(dim)`: (values, indices), `CummaxBackward0` / `CumminBackward0`.
pub fn cummax(t: &Tensor, dim: i64, is_max: bool) -> Result<(Tensor, Tensor)> {
    let name = if is_max {
        "CummaxBackward0"
    } else {
        "CumminBackward0"
    };
    // PyTorch wraps the dim and dispatches on the dtype only for a tensor with elements
    if t.ndim() == 0 {
        return zero_dim_pick(name, t);
    }
    if t.numel() == 0 {
        let values = Tensor::zeros(t.shape(), t.dtype())?;
        let indices = Tensor::zeros(t.shape(), DType::I64)?;
        record_scatter(name, t, &values, vec![], Some(&indices))?;
        return Ok((values, indices));
    }
    let d = wrap_dim(dim, t.ndim())?;
    super::shell_refusals::refuse(if is_max { "cummax_cpu" } else { "cummin_cpu" }, t)?;
    let n = if t.ndim() == 0 { 1 } else { t.shape()[d] };
    let (values, idx, pos) = crate::with_kernel_dtype!(t.dtype(), T => {
        let (v, i, p) = per_lane::<T, T>(t, d, n, |lane, ov, oi| {
            let mut best = 0usize;
            for k in 0..lane.len() {
                let (x, b) = (lane[k], lane[best]);
                let take = if is_nan(b) {
                    is_nan(x)
                } else {
                    is_nan(x) || if is_max { x >= b } else { x <= b }
                };
                if k == 0 || take {
                    best = k;
                }
                ov[k] = lane[best];
                oi[k] = best as i64;
            }
        });
        (Tensor::from_vec(v, t.shape())?, i, p)
    });
    let indices = Tensor::from_vec(idx, t.shape())?;
    record_scatter(name, t, &values, pos, Some(&indices))?;
    save_args_for(&values, name, || vec![("dim", SavedArg::Int(dim))]);
    Ok((values, indices))
}

/// Sorted order of a lane's indices (stable), NaN last ascending and first descending.
fn order<T: Element>(lane: &[T], descending: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..lane.len()).collect();
    if descending {
        idx.sort_by(|&a, &b| cmp_nan_last(lane[b], lane[a]));
    } else {
        idx.sort_by(|&a, &b| cmp_nan_last(lane[a], lane[b]));
    }
    idx
}

/// libstdc++'s `std::sort` (introsort, threshold 16, heapsort past the depth limit), which
/// PyTorch's CPU `sort(stable=False)` runs: the order it leaves equal values in is its.
fn std_sort<T: Copy>(a: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let n = a.len();
    if n < 2 {
        return;
    }
    let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
    introsort_loop(a, 0, n, depth, less);
    if n > 16 {
        insertion_sort(a, 0, 16, less);
        for i in 16..n {
            unguarded_linear_insert(a, i, less);
        }
    } else {
        insertion_sort(a, 0, n, less);
    }
}

fn introsort_loop<T: Copy>(
    a: &mut [T],
    first: usize,
    mut last: usize,
    mut depth: usize,
    less: &impl Fn(&T, &T) -> bool,
) {
    while last - first > 16 {
        if depth == 0 {
            heap_sort(&mut a[first..last], less);
            return;
        }
        depth -= 1;
        let mid = first + (last - first) / 2;
        move_median_to_first(a, first, first + 1, mid, last - 1, less);
        let cut = unguarded_partition(a, first + 1, last, first, less);
        introsort_loop(a, cut, last, depth, less);
        last = cut;
    }
}

fn move_median_to_first<T: Copy>(
    v: &mut [T],
    result: usize,
    a: usize,
    b: usize,
    c: usize,
    less: &impl Fn(&T, &T) -> bool,
) {
    let pick = if less(&v[a], &v[b]) {
        if less(&v[b], &v[c]) {
            b
        } else if less(&v[a], &v[c]) {
            c
        } else {
            a
        }
    } else if less(&v[a], &v[c]) {
        a
    } else if less(&v[b], &v[c]) {
        c
    } else {
        b
    };
    v.swap(result, pick);
}

fn unguarded_partition<T: Copy>(
    v: &mut [T],
    mut first: usize,
    mut last: usize,
    pivot: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> usize {
    loop {
        while less(&v[first], &v[pivot]) {
            first += 1;
        }
        last -= 1;
        while less(&v[pivot], &v[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        v.swap(first, last);
        first += 1;
    }
}

fn insertion_sort<T: Copy>(v: &mut [T], first: usize, last: usize, less: &impl Fn(&T, &T) -> bool) {
    for i in first + 1..last {
        if less(&v[i], &v[first]) {
            let val = v[i];
            v.copy_within(first..i, first + 1);
            v[first] = val;
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

fn unguarded_linear_insert<T: Copy>(v: &mut [T], mut last: usize, less: &impl Fn(&T, &T) -> bool) {
    let val = v[last];
    while less(&val, &v[last - 1]) {
        v[last] = v[last - 1];
        last -= 1;
    }
    v[last] = val;
}

fn heap_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let len = v.len();
    if len >= 2 {
        let mut parent = (len - 2) / 2;
        loop {
            let value = v[parent];
            adjust_heap(v, parent, len, value, less);
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    let mut last = len;
    while last > 1 {
        last -= 1;
        let value = v[last];
        v[last] = v[0];
        adjust_heap(&mut v[..last], 0, last, value, less);
    }
}

fn adjust_heap<T: Copy>(
    v: &mut [T],
    mut hole: usize,
    len: usize,
    value: T,
    less: &impl Fn(&T, &T) -> bool,
) {
    let top = hole;
    let mut second = hole;
    while len >= 2 && second < (len - 1) / 2 {
        second = 2 * (second + 1);
        if less(&v[second], &v[second - 1]) {
            second -= 1;
        }
        v[hole] = v[second];
        hole = second;
    }
    if len >= 2 && len.is_multiple_of(2) && second == (len - 2) / 2 {
        second = 2 * (second + 1);
        v[hole] = v[second - 1];
        hole = second - 1;
    }
    // push_heap
    let mut parent = hole.saturating_sub(1) / 2;
    while hole > top && less(&v[parent], &value) {
        v[hole] = v[parent];
        hole = parent;
        parent = hole.saturating_sub(1) / 2;
    }
    v[hole] = value;
}

/// libstdc++'s `__heap_select` + `__sort_heap`: `std::partial_sort(first, middle, last)`.
fn std_partial_sort<T: Copy>(v: &mut [T], middle: usize, less: &impl Fn(&T, &T) -> bool) {
    if middle == 0 {
        return;
    }
    let h = &mut v[..];
    if middle >= 2 {
        let mut parent = (middle - 2) / 2;
        loop {
            let value = h[parent];
            adjust_heap(&mut h[..middle], parent, middle, value, less);
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    for i in middle..h.len() {
        if less(&h[i], &h[0]) {
            let value = h[i];
            h[i] = h[0];
            adjust_heap(&mut h[..middle], 0, middle, value, less);
        }
    }
    let mut last = middle;
    while last > 1 {
        last -= 1;
        let value = h[last];
        h[last] = h[0];
        adjust_heap(&mut h[..last], 0, last, value, less);
    }
}

/// libstdc++'s `std::nth_element` (introselect).
fn std_nth_element<T: Copy>(v: &mut [T], nth: usize, less: &impl Fn(&T, &T) -> bool) {
    let (mut first, mut last) = (0usize, v.len());
    if first == last || nth == last {
        return;
    }
    let mut depth = 2 * (usize::BITS - 1 - (last - first).leading_zeros()) as usize;
    while last - first > 3 {
        if depth == 0 {
            // __heap_select(first, nth + 1, last) then iter_swap(first, nth)
            let sub = &mut v[first..last];
            let middle = nth + 1 - first;
            if middle >= 2 {
                let mut parent = (middle - 2) / 2;
                loop {
                    let value = sub[parent];
                    adjust_heap(&mut sub[..middle], parent, middle, value, less);
                    if parent == 0 {
                        break;
                    }
                    parent -= 1;
                }
            }
            for i in middle..sub.len() {
                if less(&sub[i], &sub[0]) {
                    let value = sub[i];
                    sub[i] = sub[0];
                    adjust_heap(&mut sub[..middle], 0, middle, value, less);
                }
            }
            v.swap(first, nth);
            return;
        }
        depth -= 1;
        let mid = first + (last - first) / 2;
        move_median_to_first(v, first, first + 1, mid, last - 1, less);
        let cut = unguarded_partition(v, first + 1, last, first, less);
        if cut <= nth {
            first = cut;
        } else {
            last = cut;
        }
    }
    insertion_sort(v, first, last, less);
}

/// The first `k` of a lane as PyTorch's CPU topk leaves them: `partial_sort` when
/// `k * 64 <= n`, else `nth_element` then `sort` of the first `k - 1`.
fn torch_topk_order<T: Element>(lane: &[T], k: usize, largest: bool) -> Vec<usize> {
    let mut v: Vec<(T, usize)> = lane.iter().copied().zip(0..).collect();
    if k == 0 {
        return vec![];
    }
    let gt = |x: &(T, usize), y: &(T, usize)| (is_nan(x.0) && !is_nan(y.0)) || x.0 > y.0;
    let lt = |x: &(T, usize), y: &(T, usize)| (!is_nan(x.0) && is_nan(y.0)) || x.0 < y.0;
    let n = v.len();
    macro_rules! run {
        ($c:expr) => {
            if k * 64 <= n {
                std_partial_sort(&mut v, k, &$c);
            } else {
                std_nth_element(&mut v, k - 1, &$c);
                std_sort(&mut v[..k - 1], &$c);
            }
        };
    }
    if largest {
        run!(gt);
    } else {
        run!(lt);
    }
    v.into_iter().take(k).map(|(_, i)| i).collect()
}

/// A lane's sorted order as PyTorch's CPU kernel leaves it: `std::stable_sort` or
/// `std::sort` on (value, index) pairs compared by value, NaN largest.
fn torch_order<T: Element>(lane: &[T], descending: bool, stable: bool) -> Vec<usize> {
    if stable {
        return order(lane, descending);
    }
    let mut v: Vec<(T, usize)> = lane.iter().copied().zip(0..).collect();
    if descending {
        std_sort(&mut v, &|x: &(T, usize), y: &(T, usize)| {
            (is_nan(x.0) && !is_nan(y.0)) || x.0 > y.0
        });
    } else {
        std_sort(&mut v, &|x: &(T, usize), y: &(T, usize)| {
            (!is_nan(x.0) && is_nan(y.0)) || x.0 < y.0
        });
    }
    v.into_iter().map(|(_, i)| i).collect()
}

/// `sort(dim, descending, stable)`: (values, indices), `SortBackward0`, or `SortBackward1`
/// for the overload that takes `stable`.
pub fn sort(
    t: &Tensor,
    dim: i64,
    descending: bool,
    stable: bool,
    stable_overload: bool,
) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    super::complex_refusals::refuse("sort", t)?;
    if t.ndim() == 0 {
        return zero_dim_pick(
            if stable_overload {
                "SortBackward1"
            } else {
                "SortBackward0"
            },
            t,
        );
    }
    super::shell_refusals::refuse_float8("sorting_kernel_method_name", t)?;
    let n = t.shape()[d];
    let (values, idx, pos) = crate::with_kernel_dtype!(t.dtype(), T => {
        let (v, i, p) = per_lane::<T, T>(t, d, n, |lane, ov, oi| {
            for (j, k) in torch_order(lane, descending, stable).into_iter().enumerate() {
                ov[j] = lane[k];
                oi[j] = k as i64;
            }
        });
        (Tensor::from_vec(v, t.shape())?, i, p)
    });
    let indices = Tensor::from_vec(idx, t.shape())?;
    // PyTorch sorts into `empty_like(self)`: both results keep the input's memory format
    let strides = super::cast::preserved(t);
    let values = super::cast::laid_out(values, strides.clone());
    let indices = super::cast::laid_out(indices, strides);
    let name = if stable_overload {
        "SortBackward1"
    } else {
        "SortBackward0"
    };
    record_scatter(name, t, &values, pos, Some(&indices))?;
    save_args_for(&values, name, || {
        vec![
            ("dim", SavedArg::Int(dim)),
            ("self_sym_sizes", sizes_arg(t)),
        ]
    });
    Ok((values, indices))
}

/// `topk(k, dim, largest, sorted)`: (values, indices), `TopkBackward0`.
pub fn topk(t: &Tensor, k: i64, dim: i64, largest: bool) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    let n = if t.ndim() == 0 { 1 } else { t.shape()[d] };
    if k < 0 || k as usize > n {
        return Err(Error::runtime("selected index k out of range"));
    }
    super::complex_refusals::refuse("topk", t)?;
    if t.dtype() == DType::Bool {
        return Err(Error::runtime("topk does not support bool dtypes on CPU"));
    }
    if t.ndim() == 0 {
        return zero_dim_pick("TopkBackward0", t);
    }
    super::shell_refusals::refuse("topk_cpu", t)?;
    let k = k as usize;
    let shape = if t.ndim() == 0 {
        vec![]
    } else {
        shape_with(t.shape(), d, Some(k))
    };
    let (values, idx, pos) = crate::with_kernel_dtype!(t.dtype(), T => {
        let (v, i, p) = per_lane::<T, T>(t, d, k, |lane, ov, oi| {
            for (j, kk) in torch_topk_order(lane, ov.len(), largest).into_iter().enumerate() {
                ov[j] = lane[kk];
                oi[j] = kk as i64;
            }
        });
        (Tensor::from_vec(v, &shape)?, i, p)
    });
    let indices = Tensor::from_vec(idx, &shape)?;
    record_scatter("TopkBackward0", t, &values, pos, Some(&indices))?;
    save_args_for(&values, "TopkBackward0", || {
        vec![
            ("dim", SavedArg::Int(dim)),
            ("self_sym_sizes", sizes_arg(t)),
        ]
    });
    Ok((values, indices))
}

/// The element of rank `k` (0-based) in a lane, NaN counted as largest; the first NaN
/// when the rank falls among NaNs.
fn kth_of<T: Element>(lane: &[T], k: usize, nan_propagates: bool) -> (T, usize) {
    if !nan_propagates {
        return quick_select(lane, k);
    }
    let o = order(lane, false);
    let j = o[k];
    if is_nan(lane[j]) || (nan_propagates && is_nan(lane[o[o.len() - 1]])) {
        let first = (0..lane.len()).find(|&i| is_nan(lane[i])).unwrap_or(j);
        return (lane[first], first);
    }
    (lane[j], j)
}

/// PyTorch's CPU quickselect (median-of-three pivot, NaN largest), so that the index it
/// reports among equal values is PyTorch's.
fn quick_select<T: Element>(lane: &[T], k: usize) -> (T, usize) {
    let gt = |x: T, y: T| (is_nan(x) && !is_nan(y)) || x > y;
    let mut arr: Vec<(T, usize)> = lane.iter().copied().zip(0..).collect();
    let (mut l, mut r) = (0usize, lane.len() - 1);
    loop {
        if r <= l {
            break;
        }
        if r == l + 1 {
            if gt(arr[l].0, arr[r].0) {
                arr.swap(l, r);
            }
            break;
        }
        let p = l + (r - l) / 2;
        arr.swap(p, l + 1);
        if gt(arr[l + 1].0, arr[r].0) {
            arr.swap(l + 1, r);
        }
        if gt(arr[l].0, arr[r].0) {
            arr.swap(l, r);
        }
        if gt(arr[l + 1].0, arr[l].0) {
            arr.swap(l + 1, l);
        }
        let (mut i, mut j) = (l + 1, r);
        let piv = arr[l].0;
        loop {
            i += 1;
            while gt(piv, arr[i].0) {
                i += 1;
            }
            j -= 1;
            while gt(arr[j].0, piv) {
                j -= 1;
            }
            if j < i {
                break;
            }
            arr.swap(i, j);
        }
        arr.swap(l, j);
        if j <= k {
            l = i;
        }
        if j >= k {
            if j == 0 {
                break;
            }
            r = j - 1;
        }
    }
    arr[k]
}

/// `kthvalue(k, dim, keepdim)`: (values, indices), `KthvalueBackward0`.
pub fn kthvalue(t: &Tensor, k: i64, dim: i64, keepdim: bool) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    check_nonempty_dim(t, d, "kthvalue")?;
    let n = if t.ndim() == 0 { 1 } else { t.shape()[d] };
    if k < 1 || k as usize > n {
        return Err(Error::runtime(format!(
            "kthvalue(): selected number k out of range for dimension {d}"
        )));
    }
    if t.ndim() == 0 {
        return zero_dim_pick("KthvalueBackward0", t);
    }
    super::shell_refusals::refuse("kthvalue_cpu", t)?;
    no_bool(t, "kthvalue_cpu")?;
    let (values, indices) = select_rank(t, d, keepdim, "KthvalueBackward0", false, move |_| {
        k as usize - 1
    })?;
    save_args_for(&values, "KthvalueBackward0", || {
        dim_keepdim_sizes(t, dim, keepdim)
    });
    Ok((values, indices))
}

fn select_rank(
    t: &Tensor,
    d: usize,
    keepdim: bool,
    name: &'static str,
    nan_propagates: bool,
    rank: impl Fn(usize) -> usize,
) -> Result<(Tensor, Tensor)> {
    let shape = shape_with(t.shape(), d, if keepdim { Some(1) } else { None });
    let (values, idx, pos) = crate::with_kernel_dtype!(t.dtype(), T => {
        let (v, i, p) = per_lane::<T, T>(t, d, 1, |lane, ov, oi| {
            let (v, j) = kth_of(lane, rank(lane.len()), nan_propagates);
            ov[0] = v;
            oi[0] = j as i64;
        });
        (Tensor::from_vec(v, &shape)?, i, p)
    });
    let indices = Tensor::from_vec(idx, &shape)?;
    record_scatter(name, t, &values, pos, Some(&indices))?;
    Ok((values, indices))
}

/// `_saved_dim` (as given), `_saved_keepdim` and `_saved_self_sym_sizes` of a one-dim
/// selection.
fn dim_keepdim_sizes(t: &Tensor, dim: i64, keepdim: bool) -> crate::autograd::node::SavedArgs {
    vec![
        ("dim", SavedArg::Int(dim)),
        ("keepdim", SavedArg::Bool(keepdim)),
        ("self_sym_sizes", sizes_arg(t)),
    ]
}

fn no_bool(t: &Tensor, kernel: &str) -> Result<()> {
    if t.dtype() == DType::Bool {
        return Err(Error::not_implemented(format!(
            "\"{kernel}\" not implemented for 'Bool'"
        )));
    }
    Ok(())
}

/// `median(dim, keepdim)`: (values, indices), `MedianBackward1`.
pub fn median_dim(t: &Tensor, dim: i64, keepdim: bool) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    check_nonempty_dim(t, d, "median")?;
    super::shell_refusals::refuse("median_out", t)?;
    no_bool(t, "median_out")?;
    let (values, indices) = select_rank(t, d, keepdim, "MedianBackward1", true, |n| (n - 1) / 2)?;
    save_args_for(&values, "MedianBackward1", || {
        dim_keepdim_sizes(t, dim, keepdim)
    });
    Ok((values, indices))
}

/// `median()` over all elements (`MedianBackward0`); NaN for an empty tensor.
pub fn median_all(t: &Tensor) -> Result<Tensor> {
    if t.numel() == 0 {
        // NaN cast to the dtype (true for bool), with a node whose gradient is empty
        let v = cast_raw(&Tensor::from_vec(vec![f64::NAN], &[])?, t.dtype());
        record_scatter("MedianBackward0", t, &v, vec![], None)?;
        return Ok(v);
    }
    super::shell_refusals::refuse("median_cpu", t)?;
    no_bool(t, "median_cpu")?;
    let flat = super::view::reshape_to(&cast_raw(t, t.dtype()), &[t.numel()])?;
    let v = {
        let _no = crate::autograd::GradModeGuard::new(false);
        median_dim(&flat, 0, false)?.0
    };
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&v)];
        record("MedianBackward0", &[t], &[&v], saved, |ctx| {
            let g =
                super::reduce::evenly_distribute_backward(ctx.grad(), ctx.saved(0), ctx.saved(1))?;
            Ok(vec![Some(g)])
        });
    }
    Ok(v)
}

/// `mode(dim, keepdim)`: the smallest most frequent value and the index PyTorch's
/// sort leaves at the end of its run (`ModeBackward0`).
pub fn mode(t: &Tensor, dim: i64, keepdim: bool) -> Result<(Tensor, Tensor)> {
    let d = wrap_dim(dim, t.ndim())?;
    check_nonempty_dim(t, d, "mode")?;
    if t.ndim() == 0 {
        return zero_dim_pick("ModeBackward0", t);
    }
    let shape = shape_with(t.shape(), d, if keepdim { Some(1) } else { None });
    if t.numel() == 0 {
        let values = Tensor::zeros(&shape, t.dtype())?;
        let indices = Tensor::zeros(&shape, DType::I64)?;
        record_scatter("ModeBackward0", t, &values, vec![], Some(&indices))?;
        return Ok((values, indices));
    }
    super::shell_refusals::refuse("mode_cpu", t)?;
    let (values, idx, pos) = crate::with_kernel_dtype!(t.dtype(), T => {
        let (v, i, p) = per_lane::<T, T>(t, d, 1, |lane, ov, oi| {
            // PyTorch's CPU kernel: libstdc++'s std::sort of (value, index) by value,
            // then the end of the first longest run of equal values
            let mut el: Vec<(T, usize)> = lane.iter().copied().zip(0..).collect();
            let less = |a: &(T, usize), b: &(T, usize)| a.0.partial_cmp(&b.0) == Some(Ordering::Less);
            std_sort(&mut el, &less);
            let (mut best, mut best_count, mut run) = (0usize, 0usize, 0usize);
            for i in 0..el.len() {
                run += 1;
                if i + 1 == el.len() || el[i].0 != el[i + 1].0 {
                    if run > best_count {
                        best = el[i].1;
                        best_count = run;
                    }
                    run = 0;
                }
            }
            ov[0] = lane[best];
            oi[0] = best as i64;
        });
        (Tensor::from_vec(v, &shape)?, i, p)
    });
    let indices = Tensor::from_vec(idx, &shape)?;
    record_scatter("ModeBackward0", t, &values, pos, Some(&indices))?;
    save_args_for(&values, "ModeBackward0", || {
        dim_keepdim_sizes(t, dim, keepdim)
    });
    Ok((values, indices))
}

/// Gradient of an amin/amax result `r` (shared evenly among ties).
fn extreme_grad(
    x: &Tensor,
    r: &Tensor,
    g: &Tensor,
    rdims: &[usize],
    keepdim: bool,
) -> Result<Tensor> {
    let shape = x.shape().to_vec();
    let r = expand_back(r, rdims, keepdim, &shape)?;
    let g = expand_back(g, rdims, keepdim, &shape)?;
    let mask = to_dtype(&super::compare::eq(x, &r)?, x.dtype())?;
    let count = sum(&mask, Some(&dims_i64(rdims)), true, None)?;
    super::binary::div(&super::binary::mul(&g, &mask)?, &count)
}

/// `aminmax(dim, keepdim)`: (min, max), `AminmaxBackward0`.
pub fn aminmax(t: &Tensor, dim: Option<i64>, keepdim: bool) -> Result<(Tensor, Tensor)> {
    super::reduce::check_dim_set_width(t, dim.is_some())?;
    let rdims = match dim {
        None => {
            if t.numel() == 0 {
                return Err(Error::runtime(
                    "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.",
                ));
            }
            (0..t.ndim()).collect::<Vec<_>>()
        }
        Some(d) => {
            let w = wrap_dim(d, t.ndim())?;
            if t.ndim() > 0 && t.shape()[w] == 0 {
                return Err(Error::index(format!(
                    "aminmax: Expected reduction dim {w} to have non-zero size."
                )));
            }
            if t.ndim() == 0 {
                vec![]
            } else {
                vec![w]
            }
        }
    };
    if dim.is_some() && t.ndim() == 0 {
        // PyTorch's kernel copies a 0-dim input, refusing only complex
        if t.dtype().is_complex() {
            return Err(Error::runtime(format!(
                "aminmax not implemented for {}",
                t.dtype().kernel_name()
            )));
        }
    } else {
        super::shell_refusals::refuse("aminmax_cpu", t)?;
        if t.dtype().is_complex() {
            return Err(crate::tensor::dtype::shell_kernel_missing(
                "aminmax_cpu",
                t.dtype(),
            ));
        }
    }
    let (mn, mx) = {
        let _no = crate::autograd::GradModeGuard::new(false);
        let x = t.detached();
        let di = dims_i64(&rdims);
        if rdims.is_empty() {
            let c = cast_raw(&x, x.dtype());
            (c.clone(), cast_raw(&x, x.dtype()))
        } else {
            (
                super::reduce::extreme(&x, Some(&di), keepdim, false)?,
                super::reduce::extreme(&x, Some(&di), keepdim, true)?,
            )
        }
    };
    if needs_grad(&[t]) {
        let saved = vec![
            SavedTensor::input(t),
            SavedTensor::output(&mn),
            SavedTensor::output(&mx),
        ];
        record("AminmaxBackward0", &[t], &[&mn, &mx], saved, move |ctx| {
            let x = ctx.saved(0);
            let a = extreme_grad(x, ctx.saved(1), &ctx.grads[0], &rdims, keepdim)?;
            let b = extreme_grad(x, ctx.saved(2), &ctx.grads[1], &rdims, keepdim)?;
            Ok(vec![Some(super::binary::add(&a, &b)?)])
        });
        save_args_for(&mn, "AminmaxBackward0", || {
            let mut args = vec![("keepdim", SavedArg::Bool(keepdim))];
            if let Some(d) = dim {
                args.push(("dim", SavedArg::Int(d)));
            }
            args
        });
    }
    Ok((mn, mx))
}

/// `count_nonzero(dim)`: int64 counts.
pub fn count_nonzero(t: &Tensor, dims: Option<&[i64]>) -> Result<Tensor> {
    if dims.is_none() {
        // PyTorch's count over dims sums `t != 0`, which has a kernel
        super::shell_refusals::refuse("nonzero_count_cpu", t)?;
    }
    let nz = cast_raw(&cast_raw(t, DType::Bool), DType::I64);
    let _no = crate::autograd::GradModeGuard::new(false);
    sum(&nz, dims, false, None)
}

/// `nonzero()`: the indices of the nonzero elements, one row each (int64 `[n, ndim]`),
/// laid out column by column with strides `(1, n)` as PyTorch's.
pub fn nonzero(t: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse("nonzero_count_cpu", t)?;
    let b = if t.dtype().is_complex() {
        // a complex element is nonzero when its real or imaginary part is
        let pairs = super::complex::real_view_raw(t).to_vec::<bool>();
        pairs.chunks_exact(2).map(|p| p[0] || p[1]).collect()
    } else {
        t.to_vec::<bool>()
    };
    let shape = t.shape();
    let nd = shape.len();
    let hits: Vec<usize> = (0..b.len()).filter(|&p| b[p]).collect();
    let count = hits.len();
    let mut out = vec![0i64; count * nd];
    for (row, &p) in hits.iter().enumerate() {
        let mut rem = p;
        for d in (0..nd).rev() {
            out[d * count + row] = (rem % shape[d]) as i64;
            rem /= shape[d];
        }
    }
    let strides: crate::tensor::layout::Strides = smallvec::smallvec![1, count as isize];
    Tensor::from_buffer_strided(
        crate::tensor::storage::Buffer::I64(out),
        &[count, nd],
        Some(strides),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_dim_picks_first_max_and_nan() {
        let t = Tensor::from_vec(vec![1.0f64, 3.0, 3.0, f64::NAN, 2.0, f64::NAN], &[2, 3]).unwrap();
        let (v, i) = max_dim(&t, 1, false, true).unwrap();
        assert_eq!(i.to_vec::<i64>(), vec![1, 0]);
        assert_eq!(v.to_vec::<f64>()[0], 3.0);
        assert!(v.to_vec::<f64>()[1].is_nan());
    }

    #[test]
    fn sort_puts_nan_last() {
        let t = Tensor::from_vec(vec![1.0f64, f64::NAN, 0.0], &[3]).unwrap();
        let (_, i) = sort(&t, 0, false, true, false).unwrap();
        assert_eq!(i.to_vec::<i64>(), vec![2, 0, 1]);
        let (_, i) = sort(&t, 0, true, false, false).unwrap();
        assert_eq!(i.to_vec::<i64>(), vec![1, 0, 2]);
    }

    #[test]
    fn libstdcxx_sorts_sort() {
        let less = |a: &i64, b: &i64| a < b;
        for n in 0..200usize {
            let v: Vec<i64> = (0..n).map(|i| ((i * 7919) % 37) as i64).collect();
            let mut want = v.clone();
            want.sort();
            let mut h = v.clone();
            heap_sort(&mut h, &less);
            assert_eq!(h, want);
            let mut s = v.clone();
            std_sort(&mut s, &less);
            assert_eq!(s, want);
            let k = n / 3;
            let mut p = v.clone();
            std_partial_sort(&mut p, k, &less);
            assert_eq!(&p[..k], &want[..k]);
            if n > 0 {
                let mut e = v.clone();
                std_nth_element(&mut e, k, &less);
                assert_eq!(e[k], want[k]);
            }
        }
    }

    #[test]
    fn cumsum_and_nonzero() {
        let t = Tensor::from_vec(vec![1i64, 0, 2, 3], &[2, 2]).unwrap();
        assert_eq!(
            cumsum(&t, 1, None).unwrap().to_vec::<i64>(),
            vec![1, 1, 2, 5]
        );
        assert_eq!(nonzero(&t).unwrap().to_vec::<i64>(), vec![0, 0, 1, 0, 1, 1]);
    }
}
