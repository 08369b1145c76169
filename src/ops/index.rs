//! Selection by masks and Python indexing (`t[...]`, `t[...] = v`).

use super::cast::{copy_raw, walked};
use super::{reduce_grad, result_type, scalar};
use crate::autograd::record::set_history;
use crate::autograd::{is_grad_enabled, needs_grad, record, NodeRef, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::elementwise::map_binary;
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::memory_format::elementwise_strides;
use crate::tensor::{DType, Element, Scalar, Tensor};

/// `where(cond, a, b)` (`WhereBackward0`).
pub fn where_(cond: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if cond.dtype() != DType::Bool {
        return Err(Error::runtime(format!(
            "where expected condition to be a boolean tensor, but got a tensor with dtype {}",
            cond.dtype().kernel_name()
        )));
    }
    let dtype = result_type(&[a, b])?;
    let shape = broadcast_shapes(&broadcast_shapes(cond.shape(), a.shape())?, b.shape())?;
    let (ca, cb) = super::cast::both_as(a, b, dtype);
    let lc = cond.layout().broadcast_to(&shape)?;
    let (la, lb) = (
        ca.layout().broadcast_to(&shape)?,
        cb.layout().broadcast_to(&shape)?,
    );
    let out = if dtype.is_complex() {
        let mask: Vec<bool> = cond.view_with_layout(lc).to_vec::<bool>();
        let (va, vb) = (ca.view_with_layout(la), cb.view_with_layout(lb));
        super::complex_index::select_pairs(&mask, &va, &vb, &shape)?
    } else {
        // PyTorch's operand order: the condition's layout decides first
        let strides = elementwise_strides(&shape, &[cond.layout(), a.layout(), b.layout()]);
        let (lc, la, lb) = (
            walked(&lc, &strides),
            walked(&la, &strides),
            walked(&lb, &strides),
        );
        let mask: Vec<bool> = cond.view_with_layout(lc).to_vec::<bool>();
        crate::with_dtype!(dtype, T => {
            let va = ca.view_with_layout(la).to_vec::<T>();
            let vb = cb.view_with_layout(lb).to_vec::<T>();
            let v: Vec<T> = mask.iter().zip(va.iter().zip(vb.iter())).map(|(&m, (&x, &y))| if m { x } else { y }).collect();
            Tensor::from_buffer_strided(T::into_buffer(v), &shape, strides)?
        })
    };
    if needs_grad(&[a, b]) {
        let (sa, da, sb, db) = (a.shape().to_vec(), a.dtype(), b.shape().to_vec(), b.dtype());
        let saved = smallvec::smallvec![SavedTensor::input(cond)];
        record("WhereBackward0", &[a, b], &[&out], saved, move |ctx| {
            let c = ctx.saved(0).clone();
            let g = ctx.grad();
            let z = super::creation::zeros_like(g)?;
            let ga = if ctx.needs(0) {
                Some(reduce_grad(&where_(&c, g, &z)?, &sa, da)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(reduce_grad(&where_(&c, &z, g)?, &sb, db)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        });
    }
    Ok(out)
}

/// `masked_fill(mask, value)` (`MaskedFillBackward0`).
pub fn masked_fill(t: &Tensor, mask: &Tensor, value: Scalar) -> Result<Tensor> {
    super::shell_refusals::refuse("masked_fill", t)?;
    if mask.dtype() != DType::Bool {
        return Err(Error::runtime(format!(
            "masked_fill_ only supports boolean masks, but got mask with dtype {}",
            mask.dtype().kernel_name()
        )));
    }
    let shape = broadcast_shapes(t.shape(), mask.shape())?;
    if shape.as_slice() != t.shape() {
        return Err(Error::runtime(format!(
            "The size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension 0",
            t.shape().first().copied().unwrap_or(1), mask.shape().first().copied().unwrap_or(1)
        )));
    }
    let lm = mask.layout().broadcast_to(&shape)?;
    let out = if t.dtype().is_complex() {
        value.check_fits(t.dtype())?;
        let fill = Tensor::full_scalar(&shape, value, t.dtype())?;
        let m: Vec<bool> = mask.view_with_layout(lm).to_vec::<bool>();
        super::complex_index::select_pairs(&m, &fill, t, &shape)?
    } else {
        value.check_fits(t.dtype())?;
        crate::with_dtype!(t.dtype(), T => {
            let fill: T = value.to_element::<T>();
            let gt = t.storage().read();
            let gm = mask.storage().read();
            let v = map_binary(T::slice(&gt), t.layout(), gm.as_slice::<bool>(), &lm, |x: T, m: bool| if m { fill } else { x });
            drop((gt, gm));
            Tensor::from_vec(v, &shape)?
        })
    };
    if needs_grad(&[t]) {
        let saved = smallvec::smallvec![SavedTensor::input(mask)];
        record("MaskedFillBackward0", &[t], &[&out], saved, move |ctx| {
            Ok(vec![Some(masked_fill(
                ctx.grad(),
                ctx.saved(0),
                Scalar::Int(0),
            )?)])
        });
    }
    Ok(out)
}

/// One item of a Python index expression.
#[derive(Clone, Debug)]
pub enum IndexItem {
    Int(i64),
    Slice(Option<i64>, Option<i64>, i64),
    NewAxis,
    Ellipsis,
}

/// Basic indexing: a chain of views (select, slice, unsqueeze), as PyTorch records it.
/// A slice that keeps a whole dim (`:`, `0:n` or past) makes no view, except where
/// `keep_whole_slices` (PyTorch's `t[:]`, a lone slice, records one).
pub fn index(t: &Tensor, items: &[IndexItem], keep_whole_slices: bool) -> Result<Tensor> {
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice(..)))
        .count();
    if items
        .iter()
        .filter(|i| matches!(i, IndexItem::Ellipsis))
        .count()
        > 1
    {
        return Err(Error::index(
            "an index can only have a single ellipsis ('...')",
        ));
    }
    if consumed > t.ndim() {
        return Err(Error::index(format!(
            "too many indices for tensor of dimension {}",
            t.ndim()
        )));
    }
    let mut out = t.clone();
    let mut dim: i64 = 0;
    for (position, item) in items.iter().enumerate() {
        match *item {
            IndexItem::Int(i) => {
                check_in_bounds(&out, dim, i, position)?;
                out = super::view::select(&out, dim, i)?;
            }
            IndexItem::Slice(start, stop, step) => {
                check_step_stride(&out, dim, step)?;
                if keep_whole_slices || !keeps_whole_dim(&out, dim, start, stop, step) {
                    out = super::view::slice(&out, dim, start, stop, step)?;
                }
                dim += 1;
            }
            IndexItem::NewAxis => {
                out = super::view::unsqueeze(&out, dim)?;
                dim += 1;
            }
            IndexItem::Ellipsis => {
                dim += (t.ndim() - consumed) as i64;
            }
        }
    }
    if out.same_tensor(t) {
        // `t[...]` and `t[()]` are aliases of t, recorded like a full slice.
        out = super::view::alias(t)?;
    }
    Ok(out)
}

/// Whether a slice's bounds, as written, keep all of `dim`: PyTorch compares them before
/// clamping (`t[-9:]` still records a slice).
fn keeps_whole_dim(t: &Tensor, dim: i64, start: Option<i64>, stop: Option<i64>, step: i64) -> bool {
    let Some(&size) = t.shape().get(dim as usize) else {
        return false; // slice refuses the dim with its own message
    };
    step == 1 && start.unwrap_or(0) == 0 && stop.is_none_or(|stop| stop >= size as i64)
}

/// PyTorch names an out-of-range integer by its position in the index expression
/// (`zeros(2, 3)[None, 0, 5]` is "dimension 2"), not by the dimension it selects from.
fn check_in_bounds(t: &Tensor, dim: i64, index: i64, position: usize) -> Result<()> {
    let Some(&size) = t.shape().get(dim as usize) else {
        return Ok(()); // select refuses a 0-dim tensor with its own message
    };
    let size = size as i64;
    if index < -size || index >= size {
        return Err(Error::index(format!(
            "index {index} is out of bounds for dimension {position} with size {size}"
        )));
    }
    Ok(())
}

/// PyTorch multiplies a slice's step into the stride in int64: a huge step (`t[::2**63]`)
/// that wraps the stride negative is its as_strided error.
fn check_step_stride(t: &Tensor, dim: i64, step: i64) -> Result<()> {
    let Some(&stride) = t.strides().get(dim as usize) else {
        return Ok(());
    };
    let wrapped = (stride as i64).wrapping_mul(step);
    if stride > 0 && step > 0 && wrapped < 0 {
        let mut strides: Vec<i64> = t.strides().iter().map(|&s| s as i64).collect();
        strides[dim as usize] = wrapped;
        return Err(Error::runtime(format!(
            "as_strided: Negative strides are not supported at the moment, got strides: {strides:?}"
        )));
    }
    Ok(())
}

/// `t[items] = value`: writes in place and records `CopySlices` on t's history.
pub fn index_put_(t: &Tensor, items: &[IndexItem], value: &Tensor) -> Result<()> {
    if t.view_creation() != crate::tensor::view_creation::DEFAULT
        && is_grad_enabled()
        && !selects_whole(t, items)
    {
        // PyTorch writes through the view the index makes, so a refusal names its node.
        super::inplace::check_inplace(&index(t, items, false)?)?;
    }
    if is_grad_enabled() && t.is_leaf() && t.requires_grad() && !selects_whole(t, items) {
        // PyTorch writes into the view `t[items]`, so it names a view of a leaf.
        return Err(Error::runtime(
            "a view of a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    super::inplace::check_inplace(t)?;
    check_number_fits(value, t)?;
    let old_history = super::inplace::history_of(t);
    let region = {
        let _no = crate::autograd::GradModeGuard::new(false);
        index(t, items, false)?
    };
    super::mem_overlap::check_no_partial_overlap(&region, value)?;
    if selects_whole(t, items) {
        return write_whole(t, value);
    }
    let value = &strip_leading_ones(value)?;
    {
        // PyTorch copies into the view, expanding the value: its expand errors
        let _no = crate::autograd::GradModeGuard::new(false);
        let target: Vec<i64> = region.shape().iter().map(|&d| d as i64).collect();
        super::view::expand(value, &target)?;
    }
    let track = is_grad_enabled() && (t.requires_grad() || value.requires_grad());
    let old_edge_holder = if track {
        Some(t.detached_with_history())
    } else {
        None
    };
    copy_raw(&region, value)?;
    t.note_inplace_write("__setitem__");
    if let Some(old) = old_edge_holder {
        let (vshape, vdtype) = (value.shape().to_vec(), value.dtype());
        let its = items.to_vec();
        let its2 = items.to_vec();
        let out = t.clone();
        let inputs: [&Tensor; 2] = [&old, value];
        let node_holder = record_copy_slices(
            &inputs,
            &out,
            move |g: &Tensor| {
                // g times a constant mask, so that the gradient stays differentiable.
                let mask = Tensor::full_scalar(g.shape(), Scalar::Int(1), g.dtype())?;
                {
                    let _no = crate::autograd::GradModeGuard::new(false);
                    copy_raw(&index(&mask, &its, false)?, &Tensor::zeros(&[], g.dtype())?)?;
                }
                super::binary::mul(g, &mask)
            },
            move |g: &Tensor| {
                let reg = index(g, &its2, false)?;
                reduce_grad(&reg, &vshape, vdtype)
            },
        );
        drop(node_holder);
    }
    super::inplace::rebase_view(t)?;
    super::inplace::follow_new_history(t, old_history);
    Ok(())
}

/// PyTorch drops the leading size-1 dims of the value before writing it.
fn strip_leading_ones(value: &Tensor) -> Result<Tensor> {
    let k = value.shape().iter().take_while(|&&d| d == 1).count();
    if k == 0 {
        return Ok(value.clone());
    }
    let rest: Vec<i64> = value.shape()[k..].iter().map(|&d| d as i64).collect();
    super::view::view(value, &rest)
}

/// Whether `items` leave `t` itself: PyTorch makes no view for `...` or a slice that
/// keeps a whole dim (start 0, step 1, stop at or past the end), and then writes with
/// `copy_`/`fill_` instead of recording `CopySlices`.
fn selects_whole(t: &Tensor, items: &[IndexItem]) -> bool {
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice(..)))
        .count();
    let mut dim = 0usize;
    for item in items {
        match *item {
            IndexItem::Ellipsis => dim += t.ndim().saturating_sub(consumed),
            IndexItem::Slice(start, stop, step) => {
                let size = t.shape().get(dim).copied().unwrap_or(0) as i64;
                let whole =
                    matches!(start, None | Some(0)) && step == 1 && stop.is_none_or(|s| s >= size);
                if !whole {
                    return false;
                }
                dim += 1;
            }
            IndexItem::Int(_) | IndexItem::NewAxis => return false,
        }
    }
    true
}

/// `t[...] = value`: `fill_` for a 0-dim value (`FillBackward3`), else `copy_` of the
/// value broadcast to t's shape (`CopyBackwards`).
fn write_whole(t: &Tensor, value: &Tensor) -> Result<()> {
    // PyTorch's copy_to: equal shapes copy (a 0-dim target too), a 0-dim value fills
    if value.ndim() == 0 && t.ndim() != 0 {
        // A Python number fills as a 0-dim tensor here, so the node is FillBackward3.
        let v = if value.is_wrapped_number() {
            value.detached()
        } else {
            value.clone()
        };
        return super::inplace::apply_inplace(t, "fill_", false, |x| {
            super::inplace::fill_result(x, &v)
        });
    }
    let sizes: Vec<i64> = t.shape().iter().map(|&d| d as i64).collect();
    let expanded = if value.shape() == t.shape() {
        value.clone()
    } else {
        super::view::expand(&strip_leading_ones(value)?, &sizes)?
    };
    super::inplace::apply_inplace(t, "copy_", false, |x| {
        super::inplace::copy_result(x, &expanded)
    })
}

fn record_copy_slices(
    inputs: &[&Tensor; 2],
    out: &Tensor,
    grad_self: impl Fn(&Tensor) -> Result<Tensor> + Send + Sync + 'static,
    grad_value: impl Fn(&Tensor) -> Result<Tensor> + Send + Sync + 'static,
) -> Option<NodeRef> {
    let meta = crate::autograd::node::OutputMeta {
        shape: out.shape().into(),
        dtype: out.dtype(),
    };
    let node = crate::autograd::record::record_node(
        "CopySlices",
        inputs,
        vec![meta],
        vec![],
        move |ctx| {
            let g = ctx.grad();
            let ga = if ctx.needs(0) {
                Some(grad_self(g)?)
            } else {
                None
            };
            let gb = if ctx.needs(1) {
                Some(grad_value(g)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        },
    );
    // `out` is t itself: its history is replaced by the new node.
    set_history(out.meta(), &node, 0);
    Some(node)
}

impl Tensor {
    /// A private copy of the data carrying `self`'s current history (what an in-place
    /// op's backward may save, since `self` is about to be overwritten).
    pub fn copy_with_history(&self) -> Tensor {
        let t = super::cast::cast_raw(self, self.dtype());
        copy_history(self, &t);
        t
    }

    /// A tensor sharing data and the current history of `self` (used to keep the old
    /// history reachable before an in-place op replaces it).
    pub fn detached_with_history(&self) -> Tensor {
        let t = self.detached();
        copy_history(self, &t);
        if self.is_leaf() && self.requires_grad() {
            // Route to the very same accumulator so gradients reach self.grad.
            return self.clone();
        }
        t
    }
}

pub fn scalar_tensor(s: Scalar) -> Tensor {
    scalar(s)
}

#[allow(dead_code)]
fn element_of<T: Element>(s: Scalar) -> T {
    s.to_element::<T>()
}

fn copy_history(from: &Tensor, to: &Tensor) {
    from.sync_view_history();
    let src = from.meta().state.lock();
    let mut dst = to.meta().state.lock();
    dst.grad_fn = src.grad_fn.clone();
    dst.output_nr = src.output_nr;
    dst.requires_grad = src.requires_grad;
    dst.grad_accumulator = src.grad_accumulator;
}

/// The storage offset of each element of `t`, row-major.
/// The storage offsets of the elements at row-major positions `pos` of `t`, one by one
/// (a table of every element's offset would cost the whole tensor for a few picks).
fn offsets_at<'a>(t: &'a Tensor, pos: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let layout = t.layout();
    let contiguous = t.is_contiguous();
    pos.iter().map(move |&p| {
        if contiguous {
            return layout.offset + p;
        }
        let (mut rest, mut off) = (p, layout.offset as isize);
        for (&n, &stride) in layout.shape.iter().zip(&layout.strides).rev() {
            off += (rest % n) as isize * stride;
            rest /= n;
        }
        off as usize
    })
}

fn checked_positions(t: &Tensor, positions: &Tensor) -> Result<Vec<usize>> {
    if positions.dtype() != DType::I64 {
        return Err(Error::index(
            "tensors used as indices must be long, int, byte or bool tensors",
        ));
    }
    let n = t.numel() as i64;
    positions
        .to_vec::<i64>()
        .into_iter()
        .map(|p| {
            if p < 0 || p >= n {
                Err(Error::index(format!(
                    "index {p} is out of bounds for size {n}"
                )))
            } else {
                Ok(p as usize)
            }
        })
        .collect()
}

/// Elements of `t` at row-major `positions` (an int64 tensor), shaped like `positions`
/// (`IndexBackward0`): the core of advanced indexing, whose index arithmetic the
/// Python layer does.
pub fn take(t: &Tensor, positions: &Tensor) -> Result<Tensor> {
    super::shell_refusals::refuse_float8("take_cpu", t)?;
    take_named(t, positions, "IndexBackward0")
}

/// `take` recorded under the node name of the op it implements (`GatherBackward0`, ...).
pub fn take_named(t: &Tensor, positions: &Tensor, node_name: &'static str) -> Result<Tensor> {
    let pos = checked_positions(t, positions)?;
    let out = if t.dtype().is_complex() {
        use super::complex_index::{from_pairs_result, pair_positions, pair_shape};
        let pairs = super::complex::real_view_raw(t);
        let shape = pair_shape(positions.shape());
        from_pairs_result(&read_at(&pairs, &pair_positions(&pos), &shape)?)?
    } else {
        read_at(t, &pos, positions.shape())?
    };
    if needs_grad(&[t]) {
        let (shape, p) = (t.shape().to_vec(), positions.clone());
        record(node_name, &[t], &[&out], vec![], move |ctx| {
            Ok(vec![Some(index_add_flat(&shape, &p, ctx.grad())?)])
        });
    }
    Ok(out)
}

/// The elements of `t` at row-major `pos`, as a tensor of `shape`.
fn read_at(t: &Tensor, pos: &[usize], shape: &[usize]) -> Result<Tensor> {
    Ok(crate::with_dtype!(t.dtype(), T => {
        let g = t.storage().read();
        let src = T::slice(&g);
        let v: Vec<T> = offsets_at(t, pos).map(|o| src[o]).collect();
        drop(g);
        Tensor::from_vec(v, shape)?
    }))
}

/// Zeros of `shape` with `values` added at row-major `positions` (repeats accumulate);
/// the backward of `take`, and differentiable itself (its backward is `take`).
pub fn index_add_flat(shape: &[usize], positions: &Tensor, values: &Tensor) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    let zeros = Tensor::zeros(&[n], values.dtype())?;
    let pos = checked_positions(&zeros, positions)?;
    let out = if values.dtype().is_complex() {
        use super::complex_index::{from_pairs_result, pair_positions, pair_shape};
        let pairs = super::complex::real_view_raw(values);
        from_pairs_result(&add_at(&pair_shape(shape), &pair_positions(&pos), &pairs)?)?
    } else {
        add_at(shape, &pos, values)?
    };
    if needs_grad(&[values]) {
        let (p, values_shape) = (positions.clone(), values.shape().to_vec());
        // the positions may be laid out flat: the gradient takes the values' shape
        record(
            "IndexPutImplBackward0",
            &[values],
            &[&out],
            vec![],
            move |ctx| {
                let g = take(ctx.grad(), &p)?;
                let g = if g.shape() == values_shape.as_slice() {
                    g
                } else {
                    super::view::reshape_to(&g, &values_shape)?
                };
                Ok(vec![Some(g)])
            },
        );
    }
    Ok(out)
}

/// Zeros of `shape` with `values` added at row-major `pos`.
fn add_at(shape: &[usize], pos: &[usize], values: &Tensor) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    Ok(crate::with_dtype!(values.dtype(), T => {
        let vals = values.to_vec::<T>();
        let mut acc: Vec<T> = vec![T::default(); n];
        for (&p, &v) in pos.iter().zip(vals.iter()) {
            acc[p] = add_elements(acc[p], v);
        }
        Tensor::from_vec(acc, shape)?
    }))
}

fn add_elements<T: Element>(a: T, b: T) -> T {
    match T::DTYPE {
        DType::Bool => T::from_bool(a.to_bool() || b.to_bool()),
        d if d.is_integral(false) => T::from_i64(a.to_i64().wrapping_add(b.to_i64())),
        _ => T::from_f64(a.to_f64() + b.to_f64()),
    }
}

/// PyTorch's overflow error for a Python number assigned into `t`.
fn check_number_fits(value: &Tensor, t: &Tensor) -> Result<()> {
    if value.is_wrapped_number() && !value.dtype().is_complex() {
        value.item()?.check_fits(t.dtype())?;
    }
    Ok(())
}

/// `t[advanced index] = value` at row-major `positions` (`IndexPutBackward0`).
pub fn put_(t: &Tensor, positions: &Tensor, value: &Tensor) -> Result<()> {
    super::shell_refusals::refuse("take_put_cpu", t)?;
    super::inplace::check_inplace(t)?;
    check_number_fits(value, t)?;
    let old_history = super::inplace::history_of(t);
    if !value.is_wrapped_number() && value.dtype() != t.dtype() {
        return Err(Error::runtime(format!(
            "Index put requires the source and destination dtypes match, got {} for the destination and {} for the source.",
            t.dtype().kernel_name(),
            value.dtype().kernel_name()
        )));
    }
    let pos = checked_positions(t, positions)?;
    let bshape = broadcast_shapes(positions.shape(), value.shape())?;
    if bshape.as_slice() != positions.shape() {
        return Err(Error::runtime(format!(
            "shape mismatch: value tensor of shape {} cannot be broadcast to indexing result of shape {}",
            crate::tensor::layout::format_shape(value.shape()),
            crate::tensor::layout::format_shape(positions.shape())
        )));
    }
    let sizes: Vec<i64> = positions.shape().iter().map(|&d| d as i64).collect();
    let expanded = {
        let _no = crate::autograd::GradModeGuard::new(false);
        let values = super::cast::cast_raw(value, t.dtype());
        // a view with lazy bits stores its values with the bits applied
        let stored = crate::tensor::lazy_bits::stored_form(&values, t.lazy_bits());
        super::view::expand(&stored, &sizes)?
    };
    let track = is_grad_enabled() && (t.requires_grad() || value.requires_grad());
    let old = if track {
        Some(t.detached_with_history())
    } else {
        None
    };
    if t.dtype().is_complex() {
        let pairs = super::complex::real_view_raw(t);
        let values = super::complex::real_view_raw(&expanded);
        write_at(&pairs, &super::complex_index::pair_positions(&pos), &values);
    } else {
        write_at(t, &pos, &expanded);
    }
    t.note_inplace_write("__setitem__");
    if let Some(old) = old {
        let (vshape, vdtype) = (value.shape().to_vec(), value.dtype());
        let (p1, p2) = (positions.clone(), positions.clone());
        let shape = t.shape().to_vec();
        let meta = crate::autograd::node::OutputMeta {
            shape: shape.as_slice().into(),
            dtype: t.dtype(),
        };
        let node = crate::autograd::record::record_node(
            "IndexPutBackward0",
            &[&old, value],
            vec![meta],
            vec![],
            move |ctx| {
                let g = ctx.grad();
                let gs = if ctx.needs(0) {
                    // g times a constant mask, so that the gradient stays differentiable.
                    let mask = Tensor::full_scalar(g.shape(), Scalar::Int(1), g.dtype())?;
                    {
                        let _no = crate::autograd::GradModeGuard::new(false);
                        put_(&mask, &p1, &Tensor::zeros(p1.shape(), g.dtype())?)?;
                    }
                    Some(super::binary::mul(g, &mask)?)
                } else {
                    None
                };
                let gv = if ctx.needs(1) {
                    Some(reduce_grad(&take(g, &p2)?, &vshape, vdtype)?)
                } else {
                    None
                };
                Ok(vec![gs, gv])
            },
        );
        set_history(t.meta(), &node, 0);
        drop(shape);
    }
    super::inplace::rebase_view(t)?;
    super::inplace::follow_new_history(t, old_history);
    Ok(())
}

/// Writes `values` (one per position) into `t` at row-major `pos`.
fn write_at(t: &Tensor, pos: &[usize], values: &Tensor) {
    crate::with_dtype!(t.dtype(), T => {
        let vals = values.to_vec::<T>();
        let mut g = t.storage().write();
        let dst = T::slice_mut(&mut g);
        for (o, &v) in offsets_at(t, pos).zip(vals.iter()) {
            dst[o] = v;
        }
    });
}
