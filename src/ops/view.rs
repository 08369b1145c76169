//! Views: ops that reinterpret a tensor's storage with another layout.
//! The backward of a view that selects part of its input writes the gradient into
//! zeros of the input's shape through the same layout (`embed`).

use crate::autograd::node::SavedArg;
use crate::autograd::record::{save_args, sizes_arg};
use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::tensor::layout::{format_shape, wrap_dim, Dims, Layout, Strides};
use crate::tensor::Tensor;
use smallvec::SmallVec;

/// Resolves a `-1` in a requested shape against `numel` (PyTorch's `infer_size`).
pub fn infer_size(sizes: &[i64], numel: usize) -> Result<Vec<usize>> {
    let mut infer = None;
    let mut known: usize = 1;
    for (i, &s) in sizes.iter().enumerate() {
        if s == -1 {
            if infer.is_some() {
                return Err(Error::runtime("only one dimension can be inferred"));
            }
            infer = Some(i);
        } else if s < 0 {
            let shape = sizes
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::runtime(format!(
                "invalid shape dimension {s} at index {i} of shape [{shape}]"
            )));
        } else {
            known = known.saturating_mul(s as usize);
        }
    }
    let shape_str = || {
        format!(
            "[{}]",
            sizes
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut out: Vec<usize> = sizes.iter().map(|&s| s.max(0) as usize).collect();
    match infer {
        Some(i) => {
            if known == 0 && numel == 0 {
                return Err(Error::runtime(format!(
                    "cannot reshape tensor of 0 elements into shape {} because the unspecified dimension size -1 can be any value and is ambiguous",
                    shape_str()
                )));
            }
            if known == 0 || !numel.is_multiple_of(known) {
                return Err(Error::runtime(format!(
                    "shape '{}' is invalid for input of size {numel}",
                    shape_str()
                )));
            }
            out[i] = numel / known;
        }
        None => {
            if known != numel {
                return Err(Error::runtime(format!(
                    "shape '{}' is invalid for input of size {numel}",
                    shape_str()
                )));
            }
        }
    }
    // PyTorch then counts the new shape's elements with an overflow check (a zero size
    // after the overflow does not save it)
    let mut count: i64 = 1;
    for &d in &out {
        count = count
            .checked_mul(d as i64)
            .ok_or_else(|| Error::runtime("numel: integer multiplication overflow"))?;
    }
    Ok(out)
}

/// A view that picks part of its input: `pick` maps a layout to the sub-layout. The
/// backward embeds the gradient into zeros of the input's shape through the same pick
/// applied to a contiguous layout.
pub fn sub_view(
    t: &Tensor,
    pick: impl Fn(&Layout) -> Layout,
    name: &'static str,
) -> Result<Tensor> {
    let out = t.view_of(pick(t.layout()));
    if needs_grad(&[t]) {
        let (in_shape, dtype) = (t.shape().to_vec(), t.dtype());
        let rel = pick(&Layout::contiguous(&in_shape));
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(embed(
                ctx.grad(),
                &in_shape,
                rel.clone(),
                dtype,
            )?)])
        });
    }
    Ok(out)
}

/// Zeros of `shape` with `g` written through `layout` (the backward of a view).
pub fn embed(
    g: &Tensor,
    shape: &[usize],
    layout: Layout,
    dtype: crate::tensor::DType,
) -> Result<Tensor> {
    let base = Tensor::zeros(shape, dtype)?;
    let region = base.view_with_layout(layout.clone());
    let g_vals = if g.dtype() != dtype {
        crate::ops::cast_raw(g, dtype)
    } else {
        g.clone()
    };
    // Overlapping regions (expand-like layouts) must sum; none of our views overlap.
    super::cast::copy_raw(&region, &g_vals)?;
    if needs_grad(&[g]) {
        record(
            "AsStridedScatterBackward0",
            &[g],
            &[&base],
            vec![],
            move |ctx| {
                let gg = super::cast::contiguous(ctx.grad())?;
                // `layout` is relative to a contiguous tensor at offset 0; a contiguous
                // gradient may itself be a view that starts further into its storage.
                let mut at = layout.clone();
                at.offset += gg.storage_offset();
                if needs_grad(&[&gg]) {
                    // under create_graph the view is recorded, so a third order reaches g
                    return Ok(vec![Some(super::tensor_api::strided_view(
                        &gg,
                        at,
                        "AsStridedBackward0",
                    )?)]);
                }
                Ok(vec![Some(gg.view_with_layout(at))])
            },
        );
    }
    Ok(base)
}

/// `view(*shape)` (`ViewBackward0`); refuses layouts that cannot be viewed.
pub fn view(t: &Tensor, sizes: &[i64]) -> Result<Tensor> {
    let shape = infer_size(sizes, t.numel())?;
    let strides = t.layout().view_strides(&shape).ok_or_else(|| {
        Error::runtime(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
        )
    })?;
    reshape_layout(t, shape, strides, "ViewBackward0")
}

fn reshape_layout(
    t: &Tensor,
    shape: Vec<usize>,
    strides: Strides,
    name: &'static str,
) -> Result<Tensor> {
    let layout = Layout {
        shape: SmallVec::from_vec(shape),
        strides,
        offset: t.storage_offset(),
    };
    // `_unsafe_view` reshapes a fresh result: PyTorch's output is not a view of it.
    let out = if name == "UnsafeViewBackward0" {
        t.view_with_layout(layout)
    } else {
        t.view_of(layout)
    };
    if needs_grad(&[t]) {
        let in_shape = t.shape().to_vec();
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(reshape_to(ctx.grad(), &in_shape)?)])
        });
        if name != "ReshapeAliasBackward0" {
            save_args(&out, vec![("self_sym_sizes", sizes_arg(t))]);
        }
    }
    Ok(out)
}

/// `reshape(*shape)`: a view when possible, else a copy (`UnsafeViewBackward0`).
pub fn reshape(t: &Tensor, sizes: &[i64]) -> Result<Tensor> {
    let shape = infer_size(sizes, t.numel())?;
    match t.layout().view_strides(&shape) {
        // PyTorch views a contiguous tensor, and aliases any other with new strides.
        Some(strides) if t.is_contiguous() => reshape_layout(t, shape, strides, "ViewBackward0"),
        Some(strides) => reshape_layout(t, shape, strides, "ReshapeAliasBackward0"),
        None => {
            let c = super::cast::clone_contiguous(t)?;
            let strides = crate::tensor::layout::contiguous_strides(&shape);
            reshape_layout(&c, shape, strides, "UnsafeViewBackward0")
        }
    }
}

/// `_unsafe_view(t, shape)` of a fresh contiguous result (`UnsafeViewBackward0`), as
/// PyTorch's composite ops reshape what they computed.
pub fn unsafe_view(t: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let t = super::cast::contiguous(t)?;
    let strides = crate::tensor::layout::contiguous_strides(shape);
    reshape_layout(&t, shape.to_vec(), strides, "UnsafeViewBackward0")
}

pub fn reshape_to(t: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let sizes: Vec<i64> = shape.iter().map(|&s| s as i64).collect();
    reshape(t, &sizes)
}

/// `flatten(start_dim, end_dim)`.
pub fn flatten(t: &Tensor, start: i64, end: i64) -> Result<Tensor> {
    let (s, e) = (wrap_dim(start, t.ndim())?, wrap_dim(end, t.ndim())?);
    if t.ndim() == 0 {
        return reshape(t, &[1]);
    }
    if s > e {
        return Err(Error::runtime(
            "flatten() has invalid args: start_dim cannot come after end_dim",
        ));
    }
    if s == e {
        return Ok(t.clone());
    }
    let mut sizes: Vec<i64> = t.shape()[..s].iter().map(|&x| x as i64).collect();
    sizes.push(t.shape()[s..=e].iter().product::<usize>() as i64);
    sizes.extend(t.shape()[e + 1..].iter().map(|&x| x as i64));
    reshape(t, &sizes)
}

fn permuted_view(t: &Tensor, perm: &[usize], name: &'static str) -> Result<Tensor> {
    let out = t.view_of(t.layout().permuted(perm));
    if needs_grad(&[t]) {
        let mut inverse = vec![0usize; perm.len()];
        for (i, &p) in perm.iter().enumerate() {
            inverse[p] = i;
        }
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(permute_raw_grad(ctx.grad(), &inverse)?)])
        });
    }
    Ok(out)
}

fn permute_raw_grad(g: &Tensor, perm: &[usize]) -> Result<Tensor> {
    let dims: Vec<i64> = perm.iter().map(|&p| p as i64).collect();
    permute(g, &dims)
}

/// `permute(*dims)` (`PermuteBackward0`).
pub fn permute(t: &Tensor, dims: &[i64]) -> Result<Tensor> {
    if dims.len() != t.ndim() {
        return Err(Error::runtime(format!(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {} is not equal to len(dims) = {}",
            t.ndim(), dims.len()
        )));
    }
    let perm = crate::tensor::layout::wrap_dims(dims, t.ndim()).map_err(|e| {
        if e.message.contains("multiple times") {
            Error::runtime("permute(): duplicate dims are not allowed.")
        } else {
            e
        }
    })?;
    let out = permuted_view(t, &perm, "PermuteBackward0")?;
    if needs_grad(&[t]) {
        save_args(&out, vec![("dims", SavedArg::Ints(dims.to_vec()))]);
    }
    Ok(out)
}

/// `transpose(dim0, dim1)` (`TransposeBackward0`).
pub fn transpose(t: &Tensor, d0: i64, d1: i64) -> Result<Tensor> {
    transpose_named(t, d0, d1, "TransposeBackward0")
}

fn transpose_named(t: &Tensor, d0: i64, d1: i64, name: &'static str) -> Result<Tensor> {
    let (a, b) = (wrap_dim(d0, t.ndim())?, wrap_dim(d1, t.ndim())?);
    let mut perm: Vec<usize> = (0..t.ndim()).collect();
    if t.ndim() > 0 {
        perm.swap(a, b);
    }
    let out = permuted_view(t, &perm, name)?;
    if name == "TransposeBackward0" && needs_grad(&[t]) {
        save_args(
            &out,
            vec![("dim0", SavedArg::Int(d0)), ("dim1", SavedArg::Int(d1))],
        );
    }
    Ok(out)
}

/// `t()` for tensors of at most 2 dims (`TBackward0`).
pub fn t(t: &Tensor) -> Result<Tensor> {
    if t.ndim() > 2 {
        return Err(Error::runtime(format!(
            "t() expects a tensor with <= 2 dimensions, but self is {}D",
            t.ndim()
        )));
    }
    if t.ndim() < 2 {
        return transpose_named(t, 0, 0, "TBackward0");
    }
    transpose_named(t, 0, 1, "TBackward0")
}

/// `.T`: all dims reversed (`PermuteBackward0`).
pub fn reverse_dims(t: &Tensor) -> Result<Tensor> {
    let perm: Vec<usize> = (0..t.ndim()).rev().collect();
    let out = permuted_view(t, &perm, "PermuteBackward0")?;
    if needs_grad(&[t]) {
        let dims = perm.iter().map(|&d| d as i64).collect();
        save_args(&out, vec![("dims", SavedArg::Ints(dims))]);
    }
    Ok(out)
}

/// `unsqueeze(dim)` (`UnsqueezeBackward0`).
pub fn unsqueeze(t: &Tensor, dim: i64) -> Result<Tensor> {
    let d = wrap_dim(dim, t.ndim() + 1)?;
    let mut shape: Dims = t.layout().shape.clone();
    let mut strides: Strides = t.layout().strides.clone();
    let stride = if d < t.ndim() {
        strides[d] * shape[d] as isize
    } else {
        1
    };
    shape.insert(d, 1);
    strides.insert(d, stride);
    let out = t.view_of(Layout {
        shape,
        strides,
        offset: t.storage_offset(),
    });
    if needs_grad(&[t]) {
        record("UnsqueezeBackward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(squeeze_dims_named(
                ctx.grad(),
                &[d as i64],
                "SqueezeBackward1",
            )?)])
        });
        save_args(&out, vec![("dim", SavedArg::Int(dim))]);
    }
    Ok(out)
}

/// Unsqueezes at each of the (sorted) dims, as reductions with keepdim=False need.
pub fn unsqueeze_dims(t: &Tensor, dims: &[usize]) -> Result<Tensor> {
    let mut out = t.clone();
    for &d in dims {
        out = unsqueeze(&out, d as i64)?;
    }
    Ok(out)
}

/// `squeeze()` (`SqueezeBackward0`), `squeeze(dim)` (`SqueezeBackward1`),
/// `squeeze(dims)` (`SqueezeBackward2`).
pub fn squeeze(t: &Tensor, dims: Option<&[i64]>, dims_is_tuple: bool) -> Result<Tensor> {
    match dims {
        None => {
            let all: Vec<i64> = (0..t.ndim() as i64).collect();
            squeeze_dims_named(t, &all, "SqueezeBackward0")
        }
        Some(ds) => squeeze_dims_named(
            t,
            ds,
            if dims_is_tuple {
                "SqueezeBackward2"
            } else {
                "SqueezeBackward1"
            },
        ),
    }
}

pub(crate) fn squeeze_dims_named(t: &Tensor, dims: &[i64], name: &'static str) -> Result<Tensor> {
    let wrapped = crate::tensor::layout::wrap_dims(dims, t.ndim())?;
    let keep: Vec<usize> = (0..t.ndim())
        .filter(|d| !(wrapped.contains(d) && t.shape()[*d] == 1))
        .collect();
    let layout = Layout {
        shape: keep.iter().map(|&d| t.shape()[d]).collect(),
        strides: keep.iter().map(|&d| t.strides()[d]).collect(),
        offset: t.storage_offset(),
    };
    let out = t.view_of(layout);
    if needs_grad(&[t]) {
        let in_shape = t.shape().to_vec();
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(reshape_to(ctx.grad(), &in_shape)?)])
        });
        let mut args = vec![("self_sym_sizes", sizes_arg(t))];
        match name {
            "SqueezeBackward1" => args.insert(0, ("dim", SavedArg::Int(dims[0]))),
            "SqueezeBackward2" => args.insert(0, ("dim", SavedArg::Ints(dims.to_vec()))),
            _ => {}
        }
        save_args(&out, args);
    }
    Ok(out)
}

/// A view of all of `t` (`AliasBackward0`): `t[...]`, and what `as_subclass` wraps.
pub fn alias(t: &Tensor) -> Result<Tensor> {
    sub_view(t, |l| l.clone(), "AliasBackward0")
}

/// `expand(*sizes)` (`ExpandBackward0`); -1 keeps a size.
pub fn expand(t: &Tensor, sizes: &[i64]) -> Result<Tensor> {
    if sizes.len() < t.ndim() {
        return Err(Error::runtime(format!(
            "expand({}{{{}}}, size=[{}]): the number of sizes provided ({}) must be greater or equal to the number of dimensions in the tensor ({})",
            t.dtype().type_string(),
            format_shape(t.shape()),
            sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
            sizes.len(), t.ndim()
        )));
    }
    let target = expanded_sizes(t.shape(), sizes)?;
    // Expanding to the same shape is still a new view with its node, as in PyTorch.
    let layout = t.layout().broadcast_to(&target)?;
    let out = t.view_of(layout);
    if needs_grad(&[t]) {
        let in_shape = t.shape().to_vec();
        record("ExpandBackward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(super::reduce::sum_to(ctx.grad(), &in_shape)?)])
        });
        save_args(&out, vec![("self_sym_sizes", sizes_arg(t))]);
    }
    Ok(out)
}

/// The sizes `expand(sizes)` gives, checked from the last dim as PyTorch's
/// inferExpandGeometry: -1 keeps a size, a size differing from a non-1 one names the
/// mismatch, and a negative size left over fails its element count.
fn expanded_sizes(shape: &[usize], sizes: &[i64]) -> Result<Vec<usize>> {
    let lead = sizes.len() - shape.len();
    let mut target = vec![0i64; sizes.len()];
    for i in (0..sizes.len()).rev() {
        let existing = i.checked_sub(lead).map(|d| shape[d] as i64);
        target[i] = match (sizes[i], existing) {
            (-1, None) => {
                return Err(Error::runtime(format!(
                    "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}"
                )))
            }
            (-1, Some(e)) => e,
            (s, Some(e)) if s != e && e != 1 => {
                return Err(Error::runtime(format!(
                    "The expanded size of the tensor ({s}) must match the existing size ({e}) at non-singleton dimension {i}.  Target sizes: [{}].  Tensor sizes: {}",
                    sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
                    format_shape(shape)
                )))
            }
            (s, _) => s,
        };
    }
    target
        .into_iter()
        .map(|s| {
            usize::try_from(s).map_err(|_| Error::runtime("numel: integer multiplication overflow"))
        })
        .collect()
}

/// `select(dim, index)` (`SelectBackward0`).
pub fn select(t: &Tensor, dim: i64, index: i64) -> Result<Tensor> {
    if t.ndim() == 0 {
        return Err(Error::index(
            "select() cannot be applied to a 0-dim tensor.",
        ));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let size = t.shape()[d] as i64;
    if index < -size || index >= size {
        return Err(Error::index(format!(
            "select(): index {index} out of range for tensor of size {} at dimension {d}",
            format_shape(t.shape())
        )));
    }
    let i = if index < 0 { index + size } else { index } as usize;
    let out = sub_view(
        t,
        |l| {
            let mut shape = l.shape.clone();
            let mut strides = l.strides.clone();
            let offset = (l.offset as isize + i as isize * strides[d]) as usize;
            shape.remove(d);
            strides.remove(d);
            Layout {
                shape,
                strides,
                offset,
            }
        },
        "SelectBackward0",
    )?;
    if needs_grad(&[t]) {
        save_args(
            &out,
            vec![
                ("dim", SavedArg::Int(dim)),
                ("index", SavedArg::Int(index)),
                ("self_sym_sizes", sizes_arg(t)),
            ],
        );
    }
    Ok(out)
}

/// `t[start:stop:step]` along `dim` with Python's clamping (`SliceBackward0`).
pub fn slice(
    t: &Tensor,
    dim: i64,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> Result<Tensor> {
    if t.ndim() == 0 {
        return Err(Error::index("slice() cannot be applied to a 0-dim tensor."));
    }
    if step <= 0 {
        return Err(Error::value("step must be greater than zero"));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let size = t.shape()[d] as i64;
    let clamp = |v: i64| -> i64 {
        let v = if v < 0 { v + size } else { v };
        v.clamp(0, size)
    };
    let s = start.map_or(0, clamp);
    let e = stop.map_or(size, clamp).max(s);
    let len = ((e - s) + step - 1) / step;
    let out = sub_view(
        t,
        |l| {
            let mut shape = l.shape.clone();
            let mut strides = l.strides.clone();
            // an empty slice starts where PyTorch puts it (`x[10:]` of 10 elements: at 10)
            // unless that lies past the end of what the view reads
            let start = l.offset as isize + s as isize * strides[d];
            let end_of_view = l.offset as isize
                + 1
                + (l.shape.iter().zip(&strides))
                    .map(|(&n, &st)| (n as isize - 1).max(0) * st)
                    .sum::<isize>();
            let offset = if len > 0 || start <= end_of_view {
                start as usize
            } else {
                l.offset
            };
            shape[d] = len.max(0) as usize;
            strides[d] *= step as isize;
            Layout {
                shape,
                strides,
                offset,
            }
        },
        "SliceBackward0",
    )?;
    if needs_grad(&[t]) {
        save_args(
            &out,
            vec![
                ("dim", SavedArg::Int(dim)),
                ("end", SavedArg::Int(stop.unwrap_or(i64::MAX))),
                ("self_sym_sizes", sizes_arg(t)),
                ("start", SavedArg::Int(start.unwrap_or(0))),
                ("step", SavedArg::Int(step)),
            ],
        );
    }
    Ok(out)
}

/// `narrow(dim, start, length)`.
pub fn narrow(t: &Tensor, dim: i64, start: i64, length: i64) -> Result<Tensor> {
    if t.ndim() == 0 {
        return Err(Error::runtime(
            "narrow() cannot be applied to a 0-dim tensor.",
        ));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let size = t.shape()[d] as i64;
    if length < 0 {
        return Err(Error::runtime("narrow(): length must be non-negative."));
    }
    if start < -size || start > size {
        return Err(Error::index(format!(
            "start out of range (expected to be in range of [{}, {size}], but got {start})",
            -size
        )));
    }
    let start = if start < 0 { start + size } else { start };
    if start + length > size {
        return Err(Error::runtime(format!(
            "start ({start}) + length ({length}) exceeds dimension size ({size})."
        )));
    }
    slice(t, d as i64, Some(start), Some(start + length), 1)
}
