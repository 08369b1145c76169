//! Tensor-API completions that need the core: strided views with explicit geometry
//! (`as_strided`, `unfold`), view ops done in place (`t_`, `squeeze_`, ...), the
//! `*_scatter` family, in-place comparisons, `rsub` and out-of-place `fill`.

use super::compare::{compare, CmpOp};
use super::inplace::check_inplace;
use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args_for;
use crate::autograd::record::sizes_arg;
use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::tensor::layout::{format_shape, format_strides, Layout};
use crate::tensor::{PySlot, Scalar, Tensor, TensorImpl};
use std::collections::HashMap;
use std::sync::Arc;

/// For each element of `layout` (row-major), the row-major index of the element of `t`
/// at the same storage offset, or `t.numel()` where `t` has none there.
fn source_positions(t: &Tensor, layout: &Layout) -> Result<Tensor> {
    let mut at: HashMap<usize, i64> = HashMap::new();
    for (i, o) in t.layout().offsets().into_iter().enumerate() {
        at.entry(o).or_insert(i as i64);
    }
    let n = t.numel() as i64;
    let pos: Vec<i64> = layout
        .offsets()
        .into_iter()
        .map(|o| at.get(&o).copied().unwrap_or(n))
        .collect();
    Tensor::from_vec(pos, &layout.shape)
}

/// The gradient of a strided view back to its input: `g`'s elements summed at the
/// input positions they were read from (positions equal to the input's numel, storage
/// outside the input, drop out).
fn gather_back(g: &Tensor, positions: &Tensor, in_shape: &[usize]) -> Result<Tensor> {
    let n: usize = in_shape.iter().product();
    let acc = super::index_add_flat(&[n + 1], positions, g)?;
    let kept = super::narrow(&acc, 0, 0, n as i64)?;
    super::reshape_to(&kept, in_shape)
}

/// `t` seen through `layout` (a view of `t`'s storage) recorded as `name`, whose
/// backward sums the gradient back onto the elements of `t` that were read.
pub fn strided_view(t: &Tensor, layout: Layout, name: &'static str) -> Result<Tensor> {
    let positions = if needs_grad(&[t]) {
        Some(source_positions(t, &layout)?)
    } else {
        None
    };
    let out = t.view_of(layout);
    if let Some(p) = positions {
        let in_shape = t.shape().to_vec();
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(gather_back(ctx.grad(), &p, &in_shape)?)])
        });
    }
    Ok(out)
}

/// The layout `as_strided(size, stride, storage_offset)` gives over `t`'s storage,
/// refused where it reaches past the storage.
pub fn as_strided_layout(
    t: &Tensor,
    size: &[i64],
    stride: &[i64],
    offset: Option<i64>,
) -> Result<Layout> {
    if size.len() != stride.len() {
        return Err(Error::runtime("mismatch in length of strides and shape"));
    }
    if let Some(&bad) = size.iter().find(|&&s| s < 0) {
        return Err(Error::runtime(format!(
            "Trying to create tensor with negative dimension {bad}: {}",
            fmt_list(size)
        )));
    }
    if stride.iter().any(|&s| s < 0) {
        return Err(Error::runtime(format!(
            "as_strided: Negative strides are not supported at the moment, got strides: {}",
            fmt_list(stride)
        )));
    }
    let dims: Vec<usize> = size.iter().map(|&s| s as usize).collect();
    crate::tensor::layout::check_view_numel(&dims)?;
    let offset = offset.unwrap_or(t.storage_offset() as i64);
    if offset < 0 {
        return Err(Error::runtime(format!(
            "Tensor: invalid storage offset {offset}"
        )));
    }
    let layout = Layout {
        shape: size.iter().map(|&s| s as usize).collect(),
        strides: stride.iter().map(|&s| s as isize).collect(),
        offset: offset as usize,
    };
    let item = t.dtype().size_in_bytes();
    // Wrapping here once let a view reach far past its storage (a segfault on read).
    let Some(needed) = layout.checked_storage_extent(item) else {
        return Err(Error::runtime(format!(
            "Storage size calculation overflowed with sizes={} and strides={}",
            format_shape(&layout.shape),
            format_strides(&layout.strides)
        )));
    };
    // a complex tensor's storage holds its (re, im) parts: two reals per element
    let have = if t.dtype().is_complex() {
        t.storage().len() / 2
    } else {
        t.storage().len()
    };
    if needed > have {
        return Err(Error::runtime(format!(
            "setStorage: sizes {}, strides {}, storage offset {offset}, and itemsize {item} requiring a storage size of {} are out of bounds for storage of size {}",
            format_shape(&layout.shape),
            format_strides(&layout.strides),
            needed * item,
            have * item
        )));
    }
    Ok(layout)
}

fn fmt_list(v: &[i64]) -> String {
    let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// `as_strided(size, stride, storage_offset)` (`AsStridedBackward0`).
pub fn as_strided(t: &Tensor, size: &[i64], stride: &[i64], offset: Option<i64>) -> Result<Tensor> {
    let layout = as_strided_layout(t, size, stride, offset)?;
    strided_view(t, layout, "AsStridedBackward0")
}

/// `unfold(dimension, size, step)`: every window of `size` elements along `dimension`,
/// `step` apart, as a new last dim (`UnfoldBackward0`).
pub fn unfold(t: &Tensor, dimension: i64, size: i64, step: i64) -> Result<Tensor> {
    let nd = t.ndim().max(1);
    let d = crate::tensor::layout::wrap_dim(dimension, nd)?;
    let l = t.layout();
    let (len, stride) = if t.ndim() == 0 {
        (1usize, 1isize)
    } else {
        (l.shape[d], l.strides[d])
    };
    if size < 0 || size as usize > len {
        return Err(Error::runtime(format!(
            "maximum size for tensor at dimension {d} is {len} but size is {size}"
        )));
    }
    if step <= 0 {
        return Err(Error::runtime(format!("step is {step} but must be > 0")));
    }
    let count = (len - size as usize) / step as usize + 1;
    let mut shape = l.shape.clone();
    let mut strides = l.strides.clone();
    if t.ndim() == 0 {
        shape.push(size as usize);
        strides.push(1);
    } else {
        shape[d] = count;
        strides[d] = stride * step as isize;
        shape.push(size as usize);
        strides.push(stride);
    }
    let layout = Layout {
        shape,
        strides,
        offset: l.offset,
    };
    let out = strided_view(t, layout, "UnfoldBackward0")?;
    save_args_for(&out, "UnfoldBackward0", || {
        vec![
            ("dimension", SavedArg::Int(dimension)),
            ("self_sym_sizes", sizes_arg(t)),
            ("size", SavedArg::Int(size)),
            ("step", SavedArg::Int(step)),
        ]
    });
    Ok(out)
}

/// Gives `t` another layout over its own storage in place: a view op done in place
/// (`t_`, `squeeze_`, ...). Returns the tensor to put in `t`'s place: same storage,
/// version counter, autograd identity and view base, with the history `node` whose
/// backward is `back`.
pub fn restride_inplace(
    t: &Tensor,
    layout: Layout,
    op: &str,
    node: &'static str,
    back: impl Fn(&Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Result<Tensor> {
    check_inplace(t)?;
    let old = t.detached_with_history();
    let new = Tensor(Arc::new(TensorImpl {
        storage: t.0.storage.clone(),
        layout,
        dtype: t.0.dtype,
        version: t.0.version.share(),
        wrapped_number: false,
        meta: crate::tensor::lazy_arc::LazyArc::with(t.meta().clone()),
        view_base: t.0.view_base.clone(),
        view_creation: std::sync::atomic::AtomicU8::new(t.view_creation()),
        view_version: std::sync::atomic::AtomicU64::new(
            t.0.view_version.load(std::sync::atomic::Ordering::Relaxed),
        ),
        lazy: t.lazy_bits(),
        py_slot: PySlot::default(),
    }));
    new.note_inplace_write(op);
    if needs_grad(&[&old]) {
        record(node, &[&old], &[&new], vec![], move |ctx| {
            Ok(vec![Some(back(ctx.grad())?)])
        });
        new.mark_view_history_current();
    }
    Ok(new)
}

/// `transpose_(d0, d1)` (also `t_`, `swapaxes_`, `swapdims_`): `node` names the history.
pub fn transpose_inplace(
    t: &Tensor,
    d0: i64,
    d1: i64,
    op: &str,
    node: &'static str,
) -> Result<Tensor> {
    let view = super::transpose(&t.detached(), d0, d1)?;
    restride_inplace(t, view.layout().clone(), op, node, move |g| {
        super::transpose(g, d0, d1)
    })
}

/// An in-place view op whose result keeps the element order (`squeeze_`,
/// `unsqueeze_`): `view` is the out-of-place result on a detached `t`.
pub fn reshaping_inplace(
    t: &Tensor,
    view: &Tensor,
    op: &str,
    node: &'static str,
) -> Result<Tensor> {
    let shape = t.shape().to_vec();
    restride_inplace(t, view.layout().clone(), op, node, move |g| {
        super::reshape_to(g, &shape)
    })
}

/// `as_strided_(size, stride, storage_offset)` (`AsStridedBackward1`).
pub fn as_strided_inplace(
    t: &Tensor,
    size: &[i64],
    stride: &[i64],
    offset: Option<i64>,
) -> Result<Tensor> {
    let layout = as_strided_layout(t, size, stride, offset)?;
    let positions = source_positions(t, &layout)?;
    let in_shape = t.shape().to_vec();
    restride_inplace(t, layout, "as_strided_", "AsStridedBackward1", move |g| {
        gather_back(g, &positions, &in_shape)
    })
}

/// A copy of `input` with `src` written where the view `pick` selects (the
/// `slice_scatter` family; `name` is the node). The gradient reaches `input` outside
/// the view and `src` through it.
pub fn view_scatter(
    input: &Tensor,
    src: &Tensor,
    name: &'static str,
    pick: impl Fn(&Tensor) -> Result<Tensor> + Send + Sync + Clone + 'static,
) -> Result<Tensor> {
    let out = super::cast::clone_detached(&input.detached())?;
    let region = pick(&out)?;
    if region.shape() != src.shape() {
        return Err(Error::runtime(format!(
            "expected src to have a size equal to the slice of self. src size = {}, slice size = {}",
            format_shape(src.shape()),
            format_shape(region.shape())
        )));
    }
    super::cast::copy_raw(&region, &src.detached())?;
    if needs_grad(&[input, src]) {
        let (sdtype, idtype) = (src.dtype(), input.dtype());
        record(name, &[input, src], &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let gi = if ctx.needs(0) {
                let hole = super::creation::zeros_like(&pick(&g.detached())?)?;
                let r = view_scatter(g, &hole, name, pick.clone())?;
                Some(super::to_dtype(&r, idtype)?)
            } else {
                None
            };
            let gs = if ctx.needs(1) {
                let through = super::cast::contiguous(&pick(g)?)?;
                Some(super::to_dtype(&through, sdtype)?)
            } else {
                None
            };
            Ok(vec![gi, gs])
        });
    }
    Ok(out)
}

/// `t op other` as 1/0 in `t`'s dtype, recorded as `node` with zero gradients (the
/// value `t.eq_(other)` writes).
pub fn compare_as_self(t: &Tensor, other: &Tensor, op: &str, node: &'static str) -> Result<Tensor> {
    let cmp = match op {
        "eq" => CmpOp::Eq,
        "ne" => CmpOp::Ne,
        "lt" => CmpOp::Lt,
        "le" => CmpOp::Le,
        "gt" => CmpOp::Gt,
        "ge" => CmpOp::Ge,
        _ => return Err(Error::value(format!("unknown comparison '{op}'"))),
    };
    let r = compare(&t.detached(), &other.detached(), cmp)?;
    let out = super::cast::cast_raw(&r, t.dtype());
    let other_in = !other.is_wrapped_number();
    let inputs: Vec<&Tensor> = if other_in { vec![t, other] } else { vec![t] };
    if needs_grad(&inputs) {
        let (s_shape, s_dtype) = (t.shape().to_vec(), t.dtype());
        let (o_shape, o_dtype) = (other.shape().to_vec(), other.dtype());
        record(node, &inputs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let mut grads = vec![Some(Tensor::zeros(&s_shape, s_dtype)?)];
            if other_in {
                grads.push(Some(Tensor::zeros(&o_shape, o_dtype)?));
            }
            let _ = g;
            Ok(grads)
        });
    }
    Ok(out)
}

/// `rsub(input, other, alpha)`: `other - alpha * input` (`RsubBackward0` for a tensor
/// `other`, `RsubBackward1` for a number).
pub fn rsub(input: &Tensor, other: &Tensor, alpha: Scalar) -> Result<Tensor> {
    let number = other.is_wrapped_number();
    // a detached copy would lose the wrapped-number mark that keeps `other`'s promotion weak
    let other_value = if number {
        other.clone()
    } else {
        other.detached()
    };
    let out = super::sub_scaled(&other_value, &input.detached(), alpha)?;
    let inputs: Vec<&Tensor> = if number {
        vec![input]
    } else {
        vec![input, other]
    };
    if needs_grad(&inputs) {
        let (i_shape, i_dtype) = (input.shape().to_vec(), input.dtype());
        let (o_shape, o_dtype) = (other.shape().to_vec(), other.dtype());
        let name = if number {
            "RsubBackward1"
        } else {
            "RsubBackward0"
        };
        record(name, &inputs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let gi = if ctx.needs(0) {
                let scaled = super::mul(g, &super::scalar(alpha))?;
                Some(super::reduce_grad(
                    &super::neg(&scaled)?,
                    &i_shape,
                    i_dtype,
                )?)
            } else {
                None
            };
            let mut grads = vec![gi];
            if !number {
                grads.push(if ctx.needs(1) {
                    Some(super::reduce_grad(g, &o_shape, o_dtype)?)
                } else {
                    None
                });
            }
            Ok(grads)
        });
    }
    Ok(out)
}

/// `torch.fill(t, value)`: a new tensor like `t` full of `value` (`FillBackward0` for
/// a number, `FillBackward1` for a 0-dim tensor, which gets the summed gradient).
pub fn fill(t: &Tensor, value: &Tensor) -> Result<Tensor> {
    if value.numel() != 1 || (!value.is_wrapped_number() && value.ndim() != 0) {
        return Err(Error::runtime(format!(
            "fill_ only supports 0-dimension value tensor but got tensor with {} dimensions.",
            value.ndim()
        )));
    }
    let v = super::cast::cast_raw(value, t.dtype());
    let out = if t.dtype().is_complex() {
        // a complex value is no Scalar: the value broadcast, copied
        super::cast::cast_raw(
            &v.view_with_layout(v.layout().broadcast_to(t.shape())?),
            t.dtype(),
        )
    } else {
        Tensor::full_scalar(t.shape(), v.item()?, t.dtype())?
    };
    let number = value.is_wrapped_number();
    let inputs: Vec<&Tensor> = if number { vec![t] } else { vec![t, value] };
    if needs_grad(&inputs) {
        let name = if number {
            "FillBackward0"
        } else {
            "FillBackward1"
        };
        let vdtype = value.dtype();
        record(name, &inputs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let mut grads = vec![Some(super::creation::zeros_like(g)?)];
            if !number {
                grads.push(if ctx.needs(1) {
                    Some(super::to_dtype(&super::sum(g, None, false, None)?, vdtype)?)
                } else {
                    None
                });
            }
            Ok(grads)
        });
    }
    Ok(out)
}

/// `unsafe_split` / `unsafe_split_with_sizes`: the pieces `split` gives (same checks),
/// sharing storage but neither views nor sharing its version counter, recorded as one node named `name` whose
/// backward concatenates the gradients.
pub fn unsafe_split(
    t: &Tensor,
    split_size: Option<i64>,
    sizes: &[i64],
    dim: i64,
    name: &'static str,
) -> Result<Vec<Tensor>> {
    let plain = t.detached();
    let pieces = match split_size {
        Some(s) => super::split(&plain, s, dim)?,
        None => super::split_with_sizes(&plain, sizes, dim)?,
    };
    let d = crate::tensor::layout::wrap_dim(dim, t.ndim())?;
    let outs: Vec<Tensor> = pieces
        .iter()
        .map(|p| t.data_alias().view_with_layout(p.layout().clone()))
        .collect();
    if needs_grad(&[t]) {
        let refs: Vec<&Tensor> = outs.iter().collect();
        record(name, &[t], &refs, vec![], move |ctx| {
            Ok(vec![Some(super::cat(&ctx.grads, d as i64)?)])
        });
    }
    Ok(outs)
}

/// A contiguous copy of `t` seen through `layout` (a view of `t`'s storage): the
/// `*_copy` ops (`t_copy`, `view_copy`, ...), recorded as the one node `name` whose
/// backward sums the gradient back onto the elements that were read.
pub fn view_copy(t: &Tensor, layout: Layout, name: &'static str) -> Result<Tensor> {
    let out = super::cast::clone_detached(&t.view_with_layout(layout.clone()))?;
    if needs_grad(&[t]) {
        let positions = source_positions(t, &layout)?;
        let in_shape = t.shape().to_vec();
        record(name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(gather_back(ctx.grad(), &positions, &in_shape)?)])
        });
    }
    Ok(out)
}
