//! `t[idx]` / `t[:, idx]`: advanced indexing by one integer tensor on one dim, done
//! by copying whole sub-tensors per index entry (or gathering along each row when the
//! indexed dim is the innermost one that matters) instead of gathering element
//! positions one by one. Recorded as `IndexBackward0` like the general path, with the
//! same backward (the gradient added at the element positions read).

use super::index::index_add_flat;
use super::layout_copy::copy_into;
use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::tensor::layout::{checked_numel, Layout};
use crate::tensor::{Buffer, DType, Element, Tensor};
use crate::with_buffer;

/// `t` indexed on `dim` by the integer tensor `index` (int64 or int32): the result's
/// shape is `t`'s with `dim` replaced by `index`'s shape. `t` must not be complex.
pub fn index_dim(t: &Tensor, dim: usize, index: &Tensor) -> Result<Tensor> {
    if !matches!(index.dtype(), DType::I64 | DType::I32) || t.dtype().is_complex() {
        return Err(Error::index(
            "tensors used as indices must be long, int, byte or bool tensors",
        ));
    }
    let size = t.shape()[dim];
    let (pre, post) = (&t.shape()[..dim], &t.shape()[dim + 1..]);
    let mut out_shape = pre.to_vec();
    out_shape.extend_from_slice(index.shape());
    out_shape.extend_from_slice(post);
    let numel = checked_numel(&out_shape)?;
    let raw = index.to_vec::<i64>();
    let mut picks = Vec::with_capacity(raw.len());
    for &v in &raw {
        // PyTorch checks the range in its gather loop, which does not run for no elements
        if numel > 0 && (v < -(size as i64) || v >= size as i64) {
            return Err(Error::index(format!(
                "index {v} is out of bounds for dimension {dim} with size {size}"
            )));
        }
        picks.push(if v < 0 { v + size as i64 } else { v } as usize);
    }
    crate::tensor::memory_limit::check(numel, t.dtype().size_in_bytes())?;
    let out = if post.iter().product::<usize>() == 1 && numel > 0 {
        gather_rows(t, dim, &picks, &out_shape)?
    } else {
        copy_slabs(t, dim, &picks, &out_shape)?
    };
    if needs_grad(&[t]) {
        let shape = t.shape().to_vec();
        let inner: usize = post.iter().product();
        record("IndexBackward0", &[t], &[&out], vec![], move |ctx| {
            let positions = read_positions(&picks, size, inner, ctx.grad().numel());
            Ok(vec![Some(index_add_flat(&shape, &positions, ctx.grad())?)])
        });
    }
    Ok(out)
}

/// Row-major positions in `t` of the result's elements: result element
/// `(p, i, q)` reads `t`'s `(p, picks[i], q)`.
fn read_positions(picks: &[usize], size: usize, inner: usize, numel: usize) -> Tensor {
    let per_outer = picks.len() * inner;
    let outer = numel.checked_div(per_outer).unwrap_or(0);
    let mut pos: Vec<i64> = Vec::with_capacity(numel);
    for p in 0..outer {
        for &j in picks {
            let base = ((p * size + j) * inner) as i64;
            pos.extend((0..inner as i64).map(|q| base + q));
        }
    }
    Tensor::from_vec(pos, &[numel]).expect("one position per element")
}

/// The result when nothing after `dim` has more than one entry: each row of the dims
/// before `dim` gathered at `picks`.
fn gather_rows(t: &Tensor, dim: usize, picks: &[usize], out_shape: &[usize]) -> Result<Tensor> {
    let l = t.layout();
    let rows = Layout {
        shape: l.shape[..dim].into(),
        strides: l.strides[..dim].into(),
        offset: l.offset,
    };
    let step = l.strides[dim];
    let g = t.storage().read();
    let buf = with_buffer!(&*g, src, T => {
        let mut out: Vec<T> = crate::tensor::memory_limit::vec_with_capacity(
            rows.numel() * picks.len(),
        );
        rows.for_each_offset(|base| {
            out.extend(picks.iter().map(|&j| src[(base as isize + j as isize * step) as usize]))
        });
        T::into_buffer(out)
    });
    drop(g);
    Tensor::from_buffer(buf, out_shape)
}

/// The result as one copy per index entry of the sub-tensor `t` has at that entry.
fn copy_slabs(t: &Tensor, dim: usize, picks: &[usize], out_shape: &[usize]) -> Result<Tensor> {
    let numel = checked_numel(out_shape)?;
    let out = Tensor::from_buffer(Buffer::zeros(t.dtype(), numel)?, out_shape)?;
    if numel == 0 {
        return Ok(out);
    }
    let l = t.layout();
    let without_dim = |layout: &Layout, d: usize| {
        let mut s = layout.clone();
        s.shape.remove(d);
        s.strides.remove(d);
        s
    };
    // the result seen as (dims before, index entries, dims after)
    let mut flat_shape = l.shape[..dim].to_vec();
    flat_shape.push(picks.len());
    flat_shape.extend_from_slice(&l.shape[dim + 1..]);
    let flat = Layout::contiguous(&flat_shape);
    let (src_slab, dst_slab) = (without_dim(l, dim), without_dim(&flat, dim));
    for (i, &j) in picks.iter().enumerate() {
        let mut src = src_slab.clone();
        src.offset = (l.offset as isize + j as isize * l.strides[dim]) as usize;
        let mut dst = dst_slab.clone();
        dst.offset = i * flat.strides[dim] as usize;
        copy_into(&out, &dst, t, &src);
    }
    Ok(out)
}
