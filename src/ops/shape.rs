//! Shape ops: joining (`cat`, `stack`), splitting (`split`, `chunk`, `unbind`),
//! rearranging copies (`flip`, `roll`, `repeat`, `tril`, `triu`) and diagonals
//! (`diagonal`, `diag`, `trace`), each recorded as ONE node with PyTorch's name.
//! Values are computed without recording; the backward formulas are written with ops.

use super::cast::{clone_detached, copy_raw, preserved};
use super::layout_copy::{copied, copied_buffer, copy_into};
use super::reduce_grad;
use super::view::{embed, expand, reshape, select, slice, sub_view, unsqueeze};
use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args_for;
use crate::autograd::record::sizes_arg;
use crate::autograd::{needs_grad, record, GradModeGuard};
use crate::error::{Error, Result};
use crate::tensor::layout::{
    contiguous_strides, format_shape, wrap_dim, wrap_dims, Layout, Strides,
};
use crate::tensor::memory_format::cat_strides;
use crate::tensor::{Buffer, DType, Tensor};
use crate::with_buffer;

/// A 1-D tensor of size 0: the legacy "empty" tensor `cat` skips.
fn is_legacy_empty(t: &Tensor) -> bool {
    t.ndim() == 1 && t.shape()[0] == 0
}

/// The layout of `len` entries from `start` along `dim` of a contiguous `shape`.
fn contiguous_slice(shape: &[usize], dim: usize, start: usize, len: usize) -> Layout {
    slice_of(Layout::contiguous(shape), dim, start, len)
}

/// The layout of `len` entries from `start` along `dim` of `whole`.
fn slice_of(whole: Layout, dim: usize, start: usize, len: usize) -> Layout {
    let mut l = whole;
    l.offset = if len > 0 {
        start * l.strides[dim] as usize
    } else {
        0
    };
    l.shape[dim] = len;
    l
}

/// `cat(tensors, dim)` (`CatBackward0`): PyTorch's promotion over all inputs, and the
/// legacy 1-D empty tensors skipped.
pub fn cat(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
    if tensors.is_empty() {
        return Err(Error::value(
            "torch.cat(): expected a non-empty list of Tensors",
        ));
    }
    if tensors.iter().any(|t| t.dtype().is_complex()) && tensors.iter().all(|t| t.ndim() > 0) {
        return super::complex_shape::cat(tensors, dim);
    }
    for (i, t) in tensors.iter().enumerate() {
        if t.ndim() == 0 {
            return Err(Error::runtime(format!(
                "zero-dimensional tensor (at position {i}) cannot be concatenated"
            )));
        }
    }
    let refs: Vec<&Tensor> = tensors.iter().collect();
    let dtype = super::result_type(&refs)?;
    let first = tensors.iter().position(|t| !is_legacy_empty(t));
    let (d, mut shape) = match first {
        None => (0, vec![0usize]),
        Some(f) => {
            let r = &tensors[f];
            (wrap_dim(dim, r.ndim())?, r.shape().to_vec())
        }
    };
    let nd = shape.len();
    let mut total = 0usize;
    for (i, t) in tensors.iter().enumerate() {
        if is_legacy_empty(t) {
            continue;
        }
        if t.ndim() != nd {
            return Err(Error::runtime(format!(
                "Tensors must have same number of dimensions: got {nd} and {}",
                t.ndim()
            )));
        }
        for (k, (&want, &got)) in shape.iter().zip(t.shape()).enumerate() {
            if k != d && got != want {
                return Err(Error::runtime(format!(
                    "Sizes of tensors must match except in dimension {d}. Expected size {want} but got size {got} for tensor number {i} in the list."
                )));
            }
        }
        total += t.shape()[d];
    }
    shape[d] = total;
    let out = cat_result(&shape, dtype, tensors)?;
    let mut ranges = Vec::with_capacity(tensors.len());
    let mut start = 0usize;
    for t in tensors {
        if is_legacy_empty(t) {
            ranges.push(None);
            continue;
        }
        let len = t.shape()[d];
        let part = slice_of(out.layout().clone(), d, start, len);
        if t.dtype() == dtype && !dtype.is_complex() {
            copy_into(&out, &part, t, t.layout());
        } else {
            copy_raw(&out.view_with_layout(part), t)?;
        }
        ranges.push(Some((start, len)));
        start += len;
    }
    if needs_grad(&refs) {
        let metas: Vec<(Vec<usize>, DType)> = tensors
            .iter()
            .map(|t| (t.shape().to_vec(), t.dtype()))
            .collect();
        record("CatBackward0", &refs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            let mut grads = Vec::with_capacity(metas.len());
            for (i, ((s, dt), r)) in metas.iter().zip(&ranges).enumerate() {
                if !ctx.needs(i) {
                    grads.push(None);
                    continue;
                }
                grads.push(Some(match r {
                    None => Tensor::zeros(s, *dt)?,
                    Some((a, n)) => {
                        let part = slice(g, d as i64, Some(*a as i64), Some((a + n) as i64), 1)?;
                        reduce_grad(&part, s, *dt)?
                    }
                }));
            }
            Ok(grads)
        });
    }
    save_args_for(&out, "CatBackward0", || vec![("dim", SavedArg::Int(dim))]);
    Ok(out)
}

/// `cat`'s zero-filled result, laid out in the memory format all `tensors` suggest.
fn cat_result(shape: &[usize], dtype: DType, tensors: &[Tensor]) -> Result<Tensor> {
    let layouts: Vec<&Layout> = tensors.iter().map(|t| t.layout()).collect();
    match cat_strides(shape, &layouts) {
        Some(strides) if !dtype.is_complex() => {
            let n = crate::tensor::layout::checked_numel(shape)?;
            Tensor::from_buffer_strided(Buffer::zeros(dtype, n)?, shape, Some(strides))
        }
        _ => Tensor::zeros(shape, dtype),
    }
}

/// A fresh `whole` (a `cat` result) with dim `d` split into `(count, size / count)`,
/// over the same memory.
fn split_dim(whole: &Tensor, d: usize, count: usize) -> Tensor {
    let mut shape = whole.shape().to_vec();
    let inner = shape[d] / count;
    shape[d] = inner;
    shape.insert(d, count);
    let layout = if whole.is_contiguous() {
        Layout::contiguous(&shape)
    } else {
        let mut strides = whole.strides().to_vec();
        strides.insert(d, strides[d] * inner as isize);
        Layout {
            shape: shape.as_slice().into(),
            strides: strides.as_slice().into(),
            offset: whole.storage_offset(),
        }
    };
    Tensor::from_parts(
        whole.storage().clone(),
        layout,
        whole.dtype(),
        crate::tensor::VersionSlot::fresh(),
    )
}

/// `stack(tensors, dim)` (`StackBackward0`).
pub fn stack(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
    if tensors.is_empty() {
        return Err(Error::runtime("stack expects a non-empty TensorList"));
    }
    if tensors.iter().any(|t| t.dtype().is_complex())
        && tensors.iter().all(|t| t.shape() == tensors[0].shape())
    {
        return super::complex_shape::stack(tensors, dim);
    }
    let s0 = tensors[0].shape();
    for (i, t) in tensors.iter().enumerate().skip(1) {
        if t.shape() != s0 {
            return Err(Error::runtime(format!(
                "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {i}",
                format_shape(s0),
                format_shape(t.shape())
            )));
        }
    }
    let d = wrap_dim(dim, s0.len() + 1)?;
    let out = {
        let _no = GradModeGuard::new(false);
        if d < s0.len() {
            // PyTorch's stack: `cat` along `dim`, then that dim split in two, so the
            // result keeps cat's memory format
            split_dim(&cat(tensors, d as i64)?, d, tensors.len())
        } else {
            let parts = tensors
                .iter()
                .map(|t| unsqueeze(t, d as i64))
                .collect::<Result<Vec<_>>>()?;
            cat(&parts, d as i64)?
        }
    };
    let refs: Vec<&Tensor> = tensors.iter().collect();
    if needs_grad(&refs) {
        let metas: Vec<(Vec<usize>, DType)> = tensors
            .iter()
            .map(|t| (t.shape().to_vec(), t.dtype()))
            .collect();
        record("StackBackward0", &refs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            metas
                .iter()
                .enumerate()
                .map(|(i, (s, dt))| {
                    if ctx.needs(i) {
                        Ok(Some(reduce_grad(&select(g, d as i64, i as i64)?, s, *dt)?))
                    } else {
                        Ok(None)
                    }
                })
                .collect()
        });
    }
    save_args_for(&out, "StackBackward0", || vec![("dim", SavedArg::Int(dim))]);
    Ok(out)
}

/// Views of `t` along `dim` with the given sizes, recorded as one multi-output node
/// whose backward concatenates the (zero-filled where missing) gradients.
fn split_views(t: &Tensor, d: usize, sizes: &[usize], name: &'static str) -> Vec<Tensor> {
    let mut outs = Vec::with_capacity(sizes.len());
    let mut start = 0usize;
    for &n in sizes {
        let l = t.layout();
        let mut layout = l.clone();
        if n > 0 {
            layout.offset = (l.offset as isize + start as isize * l.strides[d]) as usize;
        }
        layout.shape[d] = n;
        let view = t.view_of(layout);
        view.mark_multi_output_view();
        outs.push(view);
        start += n;
    }
    if needs_grad(&[t]) {
        let refs: Vec<&Tensor> = outs.iter().collect();
        record(name, &[t], &refs, vec![], move |ctx| {
            Ok(vec![Some(cat(&ctx.grads, d as i64)?)])
        });
    }
    outs
}

/// `split(split_size, dim)` with an int size (`SplitBackward0`).
pub fn split(t: &Tensor, split_size: i64, dim: i64) -> Result<Vec<Tensor>> {
    if t.ndim() == 0 {
        return Err(Error::runtime(
            "split expects at least a 1-dimensional tensor",
        ));
    }
    if split_size < 0 {
        return Err(Error::runtime(format!(
            "split expects split_size be non-negative, but got split_size={split_size}"
        )));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let n = t.shape()[d];
    if split_size == 0 && n != 0 {
        return Err(Error::runtime(format!(
            "split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
        )));
    }
    let size = split_size as usize;
    let count = if size == 0 {
        1
    } else {
        n.div_ceil(size).max(1)
    };
    let mut sizes = vec![size; count];
    sizes[count - 1] = n - size * (count - 1);
    let outs = split_views(t, d, &sizes, "SplitBackward0");
    if let Some(first) = outs.first() {
        save_args_for(first, "SplitBackward0", || {
            vec![
                ("dim", SavedArg::Int(dim)),
                ("self_sym_sizes", sizes_arg(t)),
                ("split_size", SavedArg::Int(split_size)),
            ]
        });
    }
    Ok(outs)
}

/// `split(sizes, dim)` with a list of sizes (`SplitWithSizesBackward0`).
pub fn split_with_sizes(t: &Tensor, sizes: &[i64], dim: i64) -> Result<Vec<Tensor>> {
    if t.ndim() == 0 {
        return Err(Error::runtime(
            "split expects at least a 1-dimensional tensor",
        ));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let list = || {
        format!(
            "[{}]",
            sizes
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if sizes.iter().any(|&s| s < 0) {
        return Err(Error::runtime(format!(
            "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={}",
            list()
        )));
    }
    let n = t.shape()[d];
    if sizes.iter().sum::<i64>() != n as i64 {
        return Err(Error::runtime(format!(
            "split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {d}), but got split_sizes={}",
            list()
        )));
    }
    let us: Vec<usize> = sizes.iter().map(|&s| s as usize).collect();
    Ok(split_views(t, d, &us, "SplitWithSizesBackward0"))
}

/// `chunk(chunks, dim)`: `split` with the ceiling size, as PyTorch computes it.
pub fn chunk(t: &Tensor, chunks: i64, dim: i64) -> Result<Vec<Tensor>> {
    if t.ndim() == 0 {
        return Err(Error::runtime(
            "chunk expects at least a 1-dimensional tensor",
        ));
    }
    if chunks <= 0 {
        return Err(Error::runtime(format!(
            "chunk expects `chunks` to be greater than 0, got: {chunks}"
        )));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let n = t.shape()[d] as i64;
    let size = (n + chunks - 1) / chunks;
    if size == 0 && n == 0 {
        return split_with_sizes(t, &vec![0; chunks as usize], dim);
    }
    split(t, size, dim)
}

/// `unbind(dim)` (`UnbindBackward0`): views of each index along `dim`.
pub fn unbind(t: &Tensor, dim: i64) -> Result<Vec<Tensor>> {
    if t.ndim() == 0 {
        return Err(Error::index(
            "Dimension specified as 0 but tensor has no dimensions",
        ));
    }
    let d = wrap_dim(dim, t.ndim())?;
    let l = t.layout();
    let outs: Vec<Tensor> = (0..t.shape()[d])
        .map(|i| {
            let mut shape = l.shape.clone();
            let mut strides = l.strides.clone();
            let offset = (l.offset as isize + i as isize * strides[d]) as usize;
            shape.remove(d);
            strides.remove(d);
            let view = t.view_of(Layout {
                shape,
                strides,
                offset,
            });
            view.mark_multi_output_view();
            view
        })
        .collect();
    if needs_grad(&[t]) && !outs.is_empty() {
        let refs: Vec<&Tensor> = outs.iter().collect();
        record("UnbindBackward0", &[t], &refs, vec![], move |ctx| {
            Ok(vec![Some(stack(&ctx.grads, d as i64)?)])
        });
    }
    if let Some(first) = outs.first() {
        save_args_for(first, "UnbindBackward0", || {
            vec![("dim", SavedArg::Int(dim))]
        });
    }
    Ok(outs)
}

/// `flip(dims)` (`FlipBackward0`): a copy with the given dims reversed.
pub fn flip(t: &Tensor, dims: &[i64]) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_shape::flip(t, dims);
    }
    let shape = t.shape().to_vec();
    // a 0-d tensor takes dim 0 (or -1) and has nothing to reverse
    let ds: Vec<usize> = wrap_dims(dims, t.ndim())?
        .into_iter()
        .filter(|&d| d < shape.len())
        .collect();
    if !super::shell_refusals::flip_is_row_copy(t, &ds) {
        super::shell_refusals::refuse("flip_cpu", t)?;
    }
    // a view reading the flipped dims backwards, copied in the input's memory format
    // (PyTorch allocates the result with `empty_like(self)`)
    let mut reversed = t.layout().clone();
    for &d in &ds {
        if shape[d] > 0 {
            let last = (shape[d] - 1) as isize * reversed.strides[d];
            reversed.offset = (reversed.offset as isize + last) as usize;
        }
        reversed.strides[d] = -reversed.strides[d];
    }
    let out = copied(t, &reversed, preserved(t));
    if needs_grad(&[t]) {
        let dims = dims.to_vec();
        record("FlipBackward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(flip(ctx.grad(), &dims)?)])
        });
    }
    save_args_for(&out, "FlipBackward0", || {
        vec![("dims", SavedArg::Ints(dims.to_vec()))]
    });
    Ok(out)
}

/// `roll(shifts, dims)` (`RollBackward0`); without dims, over the flattened tensor.
/// PyTorch's checks of roll's (nonempty) `dims`: one per shift, and a tensor with dims.
fn check_roll_dims(t: &Tensor, shifts: &[i64], dims: &[i64]) -> Result<()> {
    if shifts.len() != dims.len() {
        return Err(Error::runtime(format!(
            "shifts and dimensions must align. shifts: {}, dims:{}",
            shifts.len(),
            dims.len()
        )));
    }
    if t.ndim() == 0 {
        return Err(Error::index(format!(
            "Dimension specified as {} but tensor has no dimensions",
            dims[0]
        )));
    }
    Ok(())
}

pub fn roll(t: &Tensor, shifts: &[i64], dims: &[i64]) -> Result<Tensor> {
    if shifts.is_empty() {
        return Err(Error::runtime("`shifts` required"));
    }
    if t.numel() == 0 && shifts.len() == 1 && dims.len() == 1 {
        // PyTorch returns a copy before it checks the dim
        let out = super::clone_preserving_detached(t)?;
        record_roll(t, &out, shifts, dims);
        return Ok(out);
    }
    if t.dtype().is_complex() {
        if !dims.is_empty() {
            check_roll_dims(t, shifts, dims)?;
        }
        return super::complex_shape::roll(t, shifts, dims);
    }
    if dims.is_empty() && shifts.len() == 1 {
        let flat = {
            let _no = GradModeGuard::new(false);
            let f = reshape(t, &[-1])?;
            let r = roll(&f, shifts, &[0])?;
            let sizes: Vec<i64> = t.shape().iter().map(|&s| s as i64).collect();
            reshape(&r, &sizes)?
        };
        let out = clone_detached(&flat)?;
        record_roll(t, &out, shifts, dims);
        return Ok(out);
    }
    check_roll_dims(t, shifts, dims)?;
    let shape = t.shape().to_vec();
    let mut total = vec![0i64; shape.len()];
    for (&s, &d) in shifts.iter().zip(dims) {
        total[wrap_dim(d, t.ndim())?] += s;
    }
    let out = rolled(t, &total, roll_strides(t, shifts, dims))?;
    record_roll(t, &out, shifts, dims);
    Ok(out)
}

/// `t` with each dim `d` rotated forward by `total[d]`, laid out with `strides` (None:
/// row-major): each rotated dim cuts source and result in two pieces, so the copy is
/// one block copy per combination of pieces.
fn rolled(t: &Tensor, total: &[i64], strides: Option<Strides>) -> Result<Tensor> {
    let shape = t.shape();
    let n = crate::tensor::layout::checked_numel(shape)?;
    let out = Tensor::from_buffer_strided(Buffer::zeros(t.dtype(), n)?, shape, strides)?;
    if n == 0 {
        return Ok(out);
    }
    // (dim, shift within its size) of every dim the roll moves
    let cuts: Vec<(usize, usize)> = total
        .iter()
        .enumerate()
        .map(|(d, &s)| (d, s.rem_euclid(shape[d] as i64) as usize))
        .filter(|&(_, k)| k != 0)
        .collect();
    for pick in 0..1usize << cuts.len() {
        let (mut src, mut dst) = (t.layout().clone(), out.layout().clone());
        for (bit, &(d, k)) in cuts.iter().enumerate() {
            let size = shape[d];
            // the head of the result holds the source's last k entries
            let (from, to, len) = if pick >> bit & 1 == 0 {
                (size - k, 0, k)
            } else {
                (0, k, size - k)
            };
            src.offset = (src.offset as isize + from as isize * src.strides[d]) as usize;
            dst.offset = (dst.offset as isize + to as isize * dst.strides[d]) as usize;
            src.shape[d] = len;
            dst.shape[d] = len;
        }
        copy_into(&out, &dst, t, &src);
    }
    Ok(out)
}

/// The strides of PyTorch's roll result: each dim's roll is a `cat` of the two pieces
/// the shift cuts, so the memory format survives when both pieces suggest it.
fn roll_strides(t: &Tensor, shifts: &[i64], dims: &[i64]) -> Option<Strides> {
    if t.numel() == 0 {
        return preserved(t);
    }
    let mut layout = t.layout().clone();
    for (&shift, &dim) in shifts.iter().zip(dims) {
        let d = wrap_dim(dim, t.ndim()).ok()?;
        let size = layout.shape[d];
        let start = (-shift).rem_euclid(size as i64) as usize;
        let piece = |len: usize| {
            let mut l = layout.clone();
            l.shape[d] = len;
            l
        };
        let strides = cat_strides(&layout.shape, &[&piece(size - start), &piece(start)])
            .unwrap_or_else(|| contiguous_strides(&layout.shape));
        layout.strides = strides;
    }
    (!layout.is_contiguous()).then_some(layout.strides)
}

fn record_roll(t: &Tensor, out: &Tensor, shifts: &[i64], dims: &[i64]) {
    if needs_grad(&[t]) {
        let dims_arg = dims.to_vec();
        let back: Vec<i64> = shifts.iter().map(|&s| -s).collect();
        let dims = dims.to_vec();
        record("RollBackward0", &[t], &[out], vec![], move |ctx| {
            Ok(vec![Some(roll(ctx.grad(), &back, &dims)?)])
        });
        save_args_for(out, "RollBackward0", || {
            vec![
                ("dims", SavedArg::Ints(dims_arg)),
                ("shifts", SavedArg::Ints(shifts.to_vec())),
            ]
        });
    }
}

/// `repeat(*repeats)` (`RepeatBackward0`): tiles the tensor, leading dims added.
pub fn repeat(t: &Tensor, repeats: &[i64]) -> Result<Tensor> {
    if repeats.len() < t.ndim() {
        return Err(Error::runtime(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
        ));
    }
    if t.dtype().is_complex() {
        return super::complex_shape::repeat(t, repeats);
    }
    let lead = repeats.len() - t.ndim();
    let mut padded = vec![1usize; lead];
    padded.extend_from_slice(t.shape());
    // PyTorch multiplies without checking and then blames a negative dimension the
    // user never wrote; an overflow is reported as one.
    let target: Vec<i64> = padded
        .iter()
        .zip(repeats)
        .map(|(&p, &r)| {
            if r < 0 {
                return Ok(p as i64 * r);
            }
            (p as i64).checked_mul(r).ok_or_else(|| {
                Error::runtime(format!(
                    "repeat: a dimension of size {p} repeated {r} times overflows the size of a tensor (repeats {repeats:?} on a tensor of shape {:?})",
                    t.shape()
                ))
            })
        })
        .collect::<Result<_>>()?;
    if let Some(&neg) = target.iter().find(|&&s| s < 0) {
        return Err(Error::runtime(format!(
            "Trying to create tensor with negative dimension {neg}: [{}]",
            target
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let shape: Vec<usize> = target.iter().map(|&s| s as usize).collect();
    let n = crate::tensor::layout::checked_numel(&shape)?;
    crate::tensor::memory_limit::check(n, std::mem::size_of::<usize>())?;
    let out = tiled(t, &padded, &shape)?;
    if needs_grad(&[t]) {
        let reps: Vec<i64> = repeats.to_vec();
        let (in_shape, dtype) = (t.shape().to_vec(), t.dtype());
        record("RepeatBackward0", &[t], &[&out], vec![], move |ctx| {
            let mut inter = Vec::with_capacity(2 * reps.len());
            for (&r, &p) in reps.iter().zip(&padded) {
                inter.push(r);
                inter.push(p as i64);
            }
            let g = reshape(ctx.grad(), &inter)?;
            let even: Vec<i64> = (0..reps.len() as i64).map(|i| 2 * i).collect();
            let g = if even.is_empty() {
                g
            } else {
                super::reduce::sum(&g, Some(&even), false, None)?
            };
            let sizes: Vec<i64> = in_shape.iter().map(|&s| s as i64).collect();
            let g = reshape(&g, &sizes)?;
            Ok(vec![Some(reduce_grad(&g, &in_shape, dtype)?)])
        });
    }
    save_args_for(&out, "RepeatBackward0", || {
        vec![
            ("repeats", SavedArg::Ints(repeats.to_vec())),
            ("self_sym_sizes", sizes_arg(t)),
        ]
    });
    Ok(out)
}

/// The row-major `shape` result of `repeat`: the source (its shape `padded` with the
/// leading 1s) read once per tile, each result dim split into (tile, within tile).
fn tiled(t: &Tensor, padded: &[usize], shape: &[usize]) -> Result<Tensor> {
    let n = crate::tensor::layout::checked_numel(shape)?;
    crate::tensor::memory_limit::check(n, t.dtype().size_in_bytes())?;
    if n == 0 {
        return Tensor::zeros(shape, t.dtype());
    }
    let lead = padded.len() - t.ndim();
    let out_strides = contiguous_strides(shape);
    let mut src = Layout::contiguous(&[]);
    src.offset = t.storage_offset();
    let mut dst_strides = Strides::new();
    for (d, &p) in padded.iter().enumerate() {
        let in_stride = if d < lead { 0 } else { t.strides()[d - lead] };
        for (size, to, from) in [
            (shape[d] / p, out_strides[d] * p as isize, 0),
            (p, out_strides[d], in_stride),
        ] {
            src.shape.push(size);
            src.strides.push(from);
            dst_strides.push(to);
        }
    }
    // the split dims are row-major over the result: one dense write of every element
    Tensor::from_buffer(copied_buffer(t, &src, Some(dst_strides.as_slice())), shape)
}

/// `tril(diagonal)` / `triu(diagonal)` (`TrilBackward0` / `TriuBackward0`).
pub fn tri(t: &Tensor, diagonal: i64, upper: bool) -> Result<Tensor> {
    let name = if upper { "triu" } else { "tril" };
    super::shell_refusals::refuse(name, t)?;
    if t.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{name}: input tensor must have at least 2 dimensions"
        )));
    }
    if t.dtype().is_complex() {
        return super::complex_shape::tri(t, diagonal, upper);
    }
    let shape = t.shape().to_vec();
    let (rows, cols) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    let out = copied(t, t.layout(), None);
    if rows > 0 && cols > 0 {
        let mut g = out.storage().write();
        with_buffer!(&mut *g, v, T => {
            for (r, row) in v.as_mut_slice().chunks_exact_mut(cols).enumerate() {
                let i = (r % rows) as i64;
                // tril keeps columns j <= i + diagonal, triu keeps j >= i + diagonal
                let zeros = if upper {
                    0..i.saturating_add(diagonal).clamp(0, cols as i64) as usize
                } else {
                    i.saturating_add(diagonal).saturating_add(1).clamp(0, cols as i64) as usize..cols
                };
                row[zeros].fill(T::default());
            }
        });
    }
    if needs_grad(&[t]) {
        let node = if upper {
            "TriuBackward0"
        } else {
            "TrilBackward0"
        };
        record(node, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(tri(ctx.grad(), diagonal, upper)?)])
        });
    }
    let node = if upper {
        "TriuBackward0"
    } else {
        "TrilBackward0"
    };
    save_args_for(&out, node, || vec![("diagonal", SavedArg::Int(diagonal))]);
    Ok(out)
}

/// The layout of the diagonal `offset` of dims `d1`, `d2` of `l` (moved to the end).
fn diagonal_layout(l: &Layout, offset: i64, d1: usize, d2: usize) -> Layout {
    let (n1, n2) = (l.shape[d1] as i64, l.shape[d2] as i64);
    let len = if offset >= 0 {
        n1.min(n2 - offset)
    } else {
        (n1 + offset).min(n2)
    }
    .max(0) as usize;
    let (s1, s2) = (l.strides[d1], l.strides[d2]);
    let mut off = l.offset as isize;
    if len > 0 {
        off += if offset >= 0 {
            offset as isize * s2
        } else {
            -offset as isize * s1
        };
    }
    let mut shape = l.shape.clone();
    let mut strides = l.strides.clone();
    let (hi, lo) = (d1.max(d2), d1.min(d2));
    shape.remove(hi);
    shape.remove(lo);
    strides.remove(hi);
    strides.remove(lo);
    shape.push(len);
    strides.push(s1 + s2);
    Layout {
        shape,
        strides,
        offset: off.max(0) as usize,
    }
}

fn diagonal_dims(t: &Tensor, dim1: i64, dim2: i64) -> Result<(usize, usize)> {
    let (d1, d2) = (wrap_dim(dim1, t.ndim())?, wrap_dim(dim2, t.ndim())?);
    if d1 == d2 {
        return Err(Error::runtime(format!(
            "diagonal dimensions cannot be identical {dim1}, {dim2}"
        )));
    }
    Ok((d1, d2))
}

/// `diagonal(offset, dim1, dim2)` (`DiagonalBackward0`): a view.
pub fn diagonal(t: &Tensor, offset: i64, dim1: i64, dim2: i64) -> Result<Tensor> {
    let (d1, d2) = diagonal_dims(t, dim1, dim2)?;
    let out = sub_view(
        t,
        |l| diagonal_layout(l, offset, d1, d2),
        "DiagonalBackward0",
    )?;
    save_args_for(&out, "DiagonalBackward0", || {
        vec![
            ("dim1", SavedArg::Int(dim1)),
            ("dim2", SavedArg::Int(dim2)),
            ("offset", SavedArg::Int(offset)),
            ("self_sym_sizes", crate::autograd::record::sizes_arg(t)),
        ]
    });
    Ok(out)
}

/// `diag(diagonal)`: a square matrix from a vector (`DiagEmbedBackward0`), or a copy of
/// a matrix's diagonal (`DiagonalBackward0_copy`).
pub fn diag(t: &Tensor, k: i64) -> Result<Tensor> {
    match t.ndim() {
        1 => diag_embed(t, k, 0, 1),
        2 => {
            let out = clone_detached(&t.view_with_layout(diagonal_layout(t.layout(), k, 0, 1)))?;
            if needs_grad(&[t]) {
                let (shape, dtype) = (t.shape().to_vec(), t.dtype());
                let rel = diagonal_layout(&Layout::contiguous(&shape), k, 0, 1);
                record(
                    "DiagonalBackward0_copy",
                    &[t],
                    &[&out],
                    vec![],
                    move |ctx| Ok(vec![Some(embed(ctx.grad(), &shape, rel.clone(), dtype)?)]),
                );
            }
            Ok(out)
        }
        n => Err(Error::runtime(format!(
            "diag(): Supports 1D or 2D tensors. Got {n}D"
        ))),
    }
}

/// `diag_embed(offset, dim1, dim2)` (`DiagEmbedBackward0`): the last dim of `t` written
/// on a diagonal of two new dims.
pub fn diag_embed(t: &Tensor, offset: i64, dim1: i64, dim2: i64) -> Result<Tensor> {
    let nd = t.ndim() + 1;
    let (d1, d2) = (wrap_dim(dim1, nd)?, wrap_dim(dim2, nd)?);
    if d1 == d2 {
        return Err(Error::runtime(format!(
            "diagonal dimensions cannot be identical {dim1}, {dim2}"
        )));
    }
    let last = t.shape().last().copied().unwrap_or(1);
    let n = last + offset.unsigned_abs() as usize;
    let mut rest: Vec<usize> = t.shape()[..t.ndim().saturating_sub(1)].to_vec();
    let (lo, hi) = (d1.min(d2), d1.max(d2));
    rest.insert(lo, n);
    rest.insert(hi, n);
    let shape = rest;
    let layout = diagonal_layout(&Layout::contiguous(&shape), offset, d1, d2);
    let src = if t.ndim() == 0 {
        t.view_with_layout(Layout::contiguous(&[1]))
    } else {
        t.clone()
    };
    let out = {
        let _no = GradModeGuard::new(false);
        embed(&src.detached(), &shape, layout, t.dtype())?
    };
    if needs_grad(&[t]) {
        let in_shape = t.shape().to_vec();
        record("DiagEmbedBackward0", &[t], &[&out], vec![], move |ctx| {
            let g = diagonal(ctx.grad(), offset, d1 as i64, d2 as i64)?;
            if g.shape() == in_shape.as_slice() {
                Ok(vec![Some(g)])
            } else {
                Ok(vec![Some(super::view::reshape_to(&g, &in_shape)?)])
            }
        });
    }
    Ok(out)
}

/// `rot90(k, dims)` (`Rot90Backward0`): a copy rotated by k quarter turns from
/// `dims[0]` towards `dims[1]`.
pub fn rot90(t: &Tensor, k: i64, dims: &[i64]) -> Result<Tensor> {
    if dims.len() != 2 {
        return Err(Error::runtime(format!(
            "expected total rotation dims == 2, but got dims = {}",
            dims.len()
        )));
    }
    if t.ndim() < 2 {
        return Err(Error::runtime(format!(
            "expected total dims >= 2, but got total dims = {}",
            t.ndim()
        )));
    }
    let (a, b) = (wrap_dim(dims[0], t.ndim())?, wrap_dim(dims[1], t.ndim())?);
    if a == b {
        return Err(Error::runtime(format!(
            "expected rotation dims to be different, but got dim0 = {} and dim1 = {}",
            dims[0], dims[1]
        )));
    }
    let out = {
        let _no = GradModeGuard::new(false);
        let quarter_turn = |flipped: Tensor| -> Result<Tensor> {
            // PyTorch transposes the flipped copy in place: its strides, swapped, on a
            // tensor that is not a view
            let mut strides = Strides::from_slice(flipped.strides());
            strides.swap(a, b);
            let view = super::view::transpose(&flipped, a as i64, b as i64)?;
            Ok(super::cast::cast_into_strides(
                &view,
                view.dtype(),
                Some(strides),
            ))
        };
        match k.rem_euclid(4) {
            1 => quarter_turn(flip(t, &[b as i64])?)?,
            2 => flip(t, &[a as i64, b as i64])?,
            3 => quarter_turn(flip(t, &[a as i64])?)?,
            _ => clone_detached(t)?,
        }
    };
    if needs_grad(&[t]) {
        let dims = dims.to_vec();
        record("Rot90Backward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(rot90(ctx.grad(), -k, &dims)?)])
        });
    }
    Ok(out)
}

/// `block_diag(*tensors)` (`BlockDiagBackward0`): 0-D, 1-D (a row) and 2-D blocks on
/// the diagonal of a zero matrix, in the promoted dtype.
pub fn block_diag(tensors: &[Tensor]) -> Result<Tensor> {
    for (i, t) in tensors.iter().enumerate() {
        if t.ndim() > 2 {
            return Err(Error::runtime(format!(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {} dimensions",
                t.ndim()
            )));
        }
    }
    let refs: Vec<&Tensor> = tensors.iter().collect();
    let dtype = if tensors.is_empty() {
        crate::tensor::default_dtype()
    } else {
        tensors
            .iter()
            .map(|t| t.dtype())
            .reduce(crate::tensor::promote_types)
            .unwrap_or(DType::F32)
    };
    let blocks: Vec<(usize, usize)> = tensors
        .iter()
        .map(|t| match t.ndim() {
            0 => (1, 1),
            1 => (1, t.shape()[0]),
            _ => (t.shape()[0], t.shape()[1]),
        })
        .collect();
    let (rows, cols) = blocks
        .iter()
        .fold((0, 0), |(r, c), &(br, bc)| (r + br, c + bc));
    let rows = if tensors.is_empty() { 1 } else { rows };
    let out = Tensor::zeros(&[rows, cols], dtype)?;
    let (mut r0, mut c0) = (0usize, 0usize);
    let mut places = Vec::with_capacity(tensors.len());
    for (t, &(br, bc)) in tensors.iter().zip(&blocks) {
        let region = Layout {
            shape: smallvec::smallvec![br, bc],
            strides: smallvec::smallvec![cols as isize, 1],
            offset: if br * bc > 0 { r0 * cols + c0 } else { 0 },
        };
        let src = t.view_with_layout(Layout {
            shape: smallvec::smallvec![br, bc],
            strides: if t.ndim() == 2 {
                t.layout().strides.clone()
            } else {
                smallvec::smallvec![0, t.strides().first().copied().unwrap_or(1)]
            },
            offset: t.storage_offset(),
        });
        copy_raw(&out.view_with_layout(region), &src)?;
        places.push((r0, c0, br, bc));
        r0 += br;
        c0 += bc;
    }
    if needs_grad(&refs) {
        let metas: Vec<(Vec<usize>, DType)> = tensors
            .iter()
            .map(|t| (t.shape().to_vec(), t.dtype()))
            .collect();
        record("BlockDiagBackward0", &refs, &[&out], vec![], move |ctx| {
            let g = ctx.grad();
            metas
                .iter()
                .zip(&places)
                .enumerate()
                .map(|(i, ((s, dt), &(r, c, br, bc)))| {
                    if !ctx.needs(i) {
                        return Ok(None);
                    }
                    let part = slice(g, 0, Some(r as i64), Some((r + br) as i64), 1)?;
                    let part = slice(&part, 1, Some(c as i64), Some((c + bc) as i64), 1)?;
                    let part = super::view::reshape_to(&part, s)?;
                    Ok(Some(reduce_grad(&part, s, *dt)?))
                })
                .collect()
        });
    }
    Ok(out)
}

/// `trace()` (`TraceBackward0`): the sum of a matrix's main diagonal.
pub fn trace(t: &Tensor) -> Result<Tensor> {
    if t.ndim() != 2 {
        return Err(Error::runtime(format!(
            "trace: expected a matrix, but got tensor with dim {}",
            t.ndim()
        )));
    }
    if t.dtype() == DType::Bool {
        return Err(Error::not_implemented(
            "\"trace\" not implemented for 'Bool'",
        ));
    }
    let rel = diagonal_layout(&Layout::contiguous(t.shape()), 0, 0, 1);
    let out = {
        let _no = GradModeGuard::new(false);
        let d = t.view_with_layout(diagonal_layout(t.layout(), 0, 0, 1));
        match sequential_sum(&d)? {
            Some(s) => s,
            None => super::reduce::sum(&d, None, false, None)?,
        }
    };
    if needs_grad(&[t]) {
        let (shape, dtype) = (t.shape().to_vec(), t.dtype());
        record("TraceBackward0", &[t], &[&out], vec![], move |ctx| {
            let g = expand(ctx.grad(), &[rel.shape[0] as i64])?;
            Ok(vec![Some(embed(&g, &shape, rel.clone(), dtype)?)])
        });
        crate::autograd::record::save_args(
            &out,
            vec![("self_sym_sizes", crate::autograd::record::sizes_arg(t))],
        );
    }
    Ok(out)
}

/// A real float diagonal summed as PyTorch's `trace_cpu` does: one element after
/// another in the accumulate type (float64 for float32 and float64, float32 for the
/// 16-bit floats), rounded once.
fn sequential_sum(d: &Tensor) -> Result<Option<Tensor>> {
    let total = match d.dtype() {
        DType::F32 | DType::F64 => d.to_vec::<f64>().into_iter().fold(0.0, |a, x| a + x),
        DType::F16 | DType::BF16 => {
            f64::from(d.to_vec::<f32>().into_iter().fold(0.0f32, |a, x| a + x))
        }
        _ => return Ok(None),
    };
    Ok(Some(super::cast::cast_raw(
        &Tensor::from_vec(vec![total], &[])?,
        d.dtype(),
    )))
}

/// `narrow_copy(dim, start, length)` (`NarrowCopyBackward0`).
pub fn narrow_copy(t: &Tensor, dim: i64, start: i64, length: i64) -> Result<Tensor> {
    if t.ndim() == 0 {
        return Err(Error::runtime(
            "narrow() cannot be applied to a 0-dim tensor.",
        ));
    }
    let size = t.shape()[wrap_dim(dim, t.ndim())?] as i64;
    if start < -size || start > size {
        return Err(Error::index(format!(
            "start out of range (expected to be in range of [{}, {size}], but got {start})",
            -size
        )));
    }
    let view = {
        let _no = GradModeGuard::new(false);
        super::view::narrow(t, dim, start, length)?
    };
    let out = clone_detached(&view)?;
    if needs_grad(&[t]) {
        let d = wrap_dim(dim, t.ndim())?;
        let s = if start < 0 { start + size } else { start } as usize;
        let (shape, dtype) = (t.shape().to_vec(), t.dtype());
        let rel = contiguous_slice(&shape, d, s, length as usize);
        record("NarrowCopyBackward0", &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(embed(ctx.grad(), &shape, rel.clone(), dtype)?)])
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: Vec<f64>, shape: &[usize]) -> Tensor {
        Tensor::from_vec(v, shape).unwrap()
    }

    #[test]
    fn cat_and_split_round_trip() {
        let a = t(vec![1., 2., 3., 4.], &[2, 2]);
        let b = t(vec![5., 6.], &[1, 2]);
        let c = cat(&[a, b], 0).unwrap();
        assert_eq!(c.shape(), &[3, 2]);
        assert_eq!(c.to_vec::<f64>(), vec![1., 2., 3., 4., 5., 6.]);
        let parts = split(&c, 2, 0).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].to_vec::<f64>(), vec![5., 6.]);
    }

    #[test]
    fn flip_roll_repeat_values() {
        let a = t(vec![1., 2., 3., 4., 5., 6.], &[2, 3]);
        assert_eq!(
            flip(&a, &[1]).unwrap().to_vec::<f64>(),
            vec![3., 2., 1., 6., 5., 4.]
        );
        assert_eq!(
            roll(&a, &[1], &[]).unwrap().to_vec::<f64>(),
            vec![6., 1., 2., 3., 4., 5.]
        );
        let r = repeat(&a, &[1, 2]).unwrap();
        assert_eq!(r.shape(), &[2, 6]);
        assert_eq!(
            r.to_vec::<f64>(),
            vec![1., 2., 3., 1., 2., 3., 4., 5., 6., 4., 5., 6.]
        );
    }

    #[test]
    fn diagonals() {
        let a = t(vec![1., 2., 3., 4., 5., 6.], &[2, 3]);
        assert_eq!(diagonal(&a, 1, 0, 1).unwrap().to_vec::<f64>(), vec![2., 6.]);
        assert_eq!(trace(&a).unwrap().to_vec::<f64>(), vec![6.]);
        assert_eq!(
            tri(&a, 0, true).unwrap().to_vec::<f64>(),
            vec![1., 2., 3., 0., 5., 6.]
        );
    }
}
