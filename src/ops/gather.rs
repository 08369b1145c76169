//! `gather`, `index_select` and `take_along_dim`: elements picked along one dim by an
//! integer index, read straight from the strided input. Their backward scatters the
//! gradient back to the same positions (`scatter_add` / `index_add`), which is
//! differentiable again (its backward gathers). Checks and messages follow PyTorch's
//! order.

use super::complex::real_view_raw;
use super::complex_index::{from_pairs_result, pair_shape};
use super::gather_plan::{index_values, Plan};
use super::scatter::{scatter_positions, ScatterReduce};
use super::shell_refusals::refuse;
use crate::autograd::node::SavedArg;
use crate::autograd::record::{save_args, sizes_arg};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::layout::{contiguous_strides, wrap_dim};
use crate::tensor::{DType, Element, Tensor};

/// The kernel PyTorch names when gather has no case for a dtype.
const GATHER_KERNEL: &str = "scatter_gather_tensor_cpu";

/// Runs `$body` with `$idx` the storage slice of an int64 or int32 index tensor.
macro_rules! with_index {
    ($index:expr, $idx:ident => $body:expr) => {{
        let guard = $index.storage().read();
        if $index.dtype() == DType::I32 {
            let $idx = <i32 as Element>::slice(&guard);
            $body
        } else {
            let $idx = <i64 as Element>::slice(&guard);
            $body
        }
    }};
}

fn is_index_dtype(t: &Tensor) -> bool {
    matches!(t.dtype(), DType::I64 | DType::I32)
}

/// How to read a tensor's elements: its own strides, or for a complex tensor those of
/// its real view (an element is the pair at the offset and the one after it).
struct Source {
    tensor: Tensor,
    strides: Vec<isize>,
    offset: usize,
    unit: usize,
}

impl Source {
    fn of(t: &Tensor) -> Source {
        let (tensor, unit) = if t.dtype().is_complex() {
            (real_view_raw(t), 2)
        } else {
            (t.clone(), 1)
        };
        let l = tensor.layout();
        Source {
            strides: l.strides[..t.ndim()].to_vec(),
            offset: l.offset,
            unit,
            tensor,
        }
    }

    /// A tensor of `shape` from the elements in `values` (pairs for a complex source).
    fn result<T: Element>(&self, values: Vec<T>, shape: &[usize]) -> Result<Tensor> {
        if self.unit == 2 {
            from_pairs_result(&Tensor::from_vec(values, &pair_shape(shape))?)
        } else {
            Tensor::from_vec(values, shape)
        }
    }
}

/// A private copy of `index` when it shares storage with `input` (so that the kernel
/// never holds two locks on one storage).
fn own_index(input: &Tensor, index: &Tensor) -> Tensor {
    if index.shares_storage(input) {
        super::cast::cast_raw(index, index.dtype())
    } else {
        index.clone()
    }
}

/// The elements `plan` picks from `src` (the index read through `plan`'s strides);
/// `on_bad` words the error for the first index value out of range.
fn read_picked(
    src: &Source,
    index: &Tensor,
    plan: &Plan,
    on_bad: impl Fn(i64) -> Error,
) -> Result<Tensor> {
    crate::with_dtype!(src.tensor.dtype(), T => {
        let guard = src.tensor.storage().read();
        let data = T::slice(&guard);
        let mut out: Vec<T> = Vec::with_capacity(plan.numel() * src.unit);
        let walked = with_index!(index, idx => if src.unit == 1 {
            plan.visit(idx, |o| out.push(data[o]))
        } else {
            plan.visit(idx, |o| out.extend_from_slice(&data[o..o + 2]))
        });
        drop(guard);
        walked.map_err(on_bad)?;
        src.result(out, &plan.shape)
    })
}

/// The plan of `gather(input, d, index)` over a source with `strides` and `offset`.
fn gather_plan(
    strides: &[isize],
    offset: usize,
    input_shape: &[usize],
    d: usize,
    index: &Tensor,
) -> Plan {
    let same_rank = input_shape.len() == index.ndim();
    Plan {
        shape: index.shape().to_vec(),
        index_strides: index.strides().to_vec(),
        index_offset: index.layout().offset,
        source_strides: (0..index.ndim())
            .map(|k| if same_rank && k != d { strides[k] } else { 0 })
            .collect(),
        source_offset: offset,
        stride_along: strides.get(d).copied().unwrap_or(0),
        size_along: input_shape.get(d).map_or(1, |&n| n as i64),
    }
}

/// The plan of `index_select(input, d, ·)` reading the checked index `values` (one per
/// slice) over a source with `strides` and `offset`.
fn select_plan(
    strides: &[isize],
    offset: usize,
    input_shape: &[usize],
    d: usize,
    n: usize,
) -> Plan {
    let ndim = input_shape.len();
    let mut shape = input_shape.to_vec();
    let mut index_strides = vec![0isize; ndim];
    let mut source_strides = strides.to_vec();
    if ndim > 0 {
        shape[d] = n;
        index_strides[d] = 1;
        source_strides[d] = 0;
    }
    Plan {
        shape,
        index_strides,
        index_offset: 0,
        source_strides,
        source_offset: offset,
        stride_along: strides.get(d).copied().unwrap_or(0),
        size_along: input_shape.get(d).map_or(1, |&n| n as i64),
    }
}

/// The row-major positions in a tensor of `shape` of the elements `plan_for` picks
/// (the plan built over row-major strides), as an int64 tensor of the plan's shape.
fn positions(
    shape: &[usize],
    plan_for: impl FnOnce(&[isize]) -> Plan,
    read: impl FnOnce(&Plan, &mut dyn FnMut(usize)) -> std::result::Result<(), i64>,
) -> Result<Tensor> {
    let plan = plan_for(&contiguous_strides(shape));
    let mut pos: Vec<i64> = Vec::with_capacity(plan.numel());
    read(&plan, &mut |o| pos.push(o as i64))
        .map_err(|v| Error::index(format!("index {v} is out of bounds")))?;
    Tensor::from_vec(pos, &plan.shape)
}

/// Zeros of `shape` with `grad` added at `positions`, recorded as `node` (its backward
/// gathers the incoming gradient at the same positions).
fn scatter_back(
    shape: &[usize],
    positions: &Tensor,
    grad: &Tensor,
    node: &'static str,
) -> Result<Tensor> {
    let zeros = Tensor::zeros(shape, grad.dtype())?;
    scatter_positions(&zeros, positions, grad, ScatterReduce::Sum, true, node)
}

/// `input`'s values at `index` along `dim`: `out[i][j] = input[index[i][j]][j]` for
/// dim 0; the result is shaped like `index` (`GatherBackward0`).
pub fn gather(input: &Tensor, dim: i64, index: &Tensor, sparse_grad: bool) -> Result<Tensor> {
    let d = wrap_dim(dim, input.ndim())?;
    if index.numel() == 0 {
        // PyTorch checks nothing more for an empty index (not even its dtype)
        return gather_nothing(input, dim, index, sparse_grad);
    }
    if !is_index_dtype(index) {
        return Err(Error::runtime(
            "gather(): Expected dtype int32/int64 for index",
        ));
    }
    let (nd, ni) = (input.ndim(), index.ndim());
    if ni != nd && !(ni <= 1 && nd <= 1) {
        return Err(Error::runtime(
            "Index tensor must have the same number of dimensions as input tensor",
        ));
    }
    let self_shape: Vec<usize> = if nd == 0 {
        vec![1]
    } else {
        input.shape().to_vec()
    };
    for (k, &n) in index.shape().iter().enumerate() {
        if k != d && n > self_shape[k] {
            return Err(Error::runtime(format!(
                "Size does not match at dimension {k} expected index {:?} to be no larger than self {:?} apart from dimension {d}",
                index.shape(),
                self_shape
            )));
        }
    }
    refuse(GATHER_KERNEL, input)?;
    if input.dtype() == DType::C32 {
        return Err(Error::not_implemented(format!(
            "\"{GATHER_KERNEL}\" not implemented for 'ComplexHalf'"
        )));
    }
    let index = own_index(input, index);
    let src = Source::of(input);
    let plan = gather_plan(&src.strides, src.offset, input.shape(), d, &index);
    let size = self_shape[d];
    let out = read_picked(&src, &index, &plan, |v| {
        Error::runtime(format!(
            "index {v} is out of bounds for dimension {d} with size {size}"
        ))
    })?;
    if needs_grad(&[input]) {
        let saved = smallvec::smallvec![SavedTensor::input(input), SavedTensor::input(&index)];
        let input_shape = input.shape().to_vec();
        record("GatherBackward0", &[input], &[&out], saved, move |ctx| {
            let index = ctx.saved(1);
            let pos = positions(
                &input_shape,
                |strides| gather_plan(strides, 0, &input_shape, d, index),
                |plan, f| with_index!(index, idx => plan.visit(idx, f)),
            )?;
            let grad = scatter_back(&input_shape, &pos, ctx.grad(), "ScatterAddBackward0")?;
            Ok(vec![Some(grad)])
        });
        save_args(
            &out,
            vec![
                ("dim", SavedArg::Int(dim)),
                ("sparse_grad", SavedArg::Bool(sparse_grad)),
            ],
        );
    }
    Ok(out)
}

/// `gather` with an empty index: an empty result shaped like it, whose gradient is zeros.
fn gather_nothing(input: &Tensor, dim: i64, index: &Tensor, sparse_grad: bool) -> Result<Tensor> {
    let out = Tensor::zeros(index.shape(), input.dtype())?;
    if needs_grad(&[input]) {
        let saved = smallvec::smallvec![SavedTensor::input(input), SavedTensor::input(index)];
        let input_shape = input.shape().to_vec();
        record("GatherBackward0", &[input], &[&out], saved, move |ctx| {
            Ok(vec![Some(Tensor::zeros(&input_shape, ctx.grad().dtype())?)])
        });
        save_args(
            &out,
            vec![
                ("dim", SavedArg::Int(dim)),
                ("sparse_grad", SavedArg::Bool(sparse_grad)),
            ],
        );
    }
    Ok(out)
}

/// The slices of `input` along `dim` at the positions in `index` (0-d or 1-d), in that
/// order (`IndexSelectBackward0`).
pub fn index_select(input: &Tensor, dim: i64, index: &Tensor) -> Result<Tensor> {
    let d = wrap_dim(dim, input.ndim())?;
    if index.ndim() > 1 {
        return Err(Error::index(
            "index_select(): Index is supposed to be a vector",
        ));
    }
    if !is_index_dtype(index) {
        return Err(Error::runtime(
            "index_select(): Expected dtype int32 or int64 for index",
        ));
    }
    let n = index.numel();
    if input.ndim() == 0 && n != 1 {
        return Err(Error::runtime(format!(
            "index_select(): Index to scalar can have only 1 value, got {n} value(s)"
        )));
    }
    let size = input.shape().get(d).copied().unwrap_or(1);
    if size == 0 && input.ndim() > 1 && n > 0 {
        return Err(Error::runtime(
            "index_select(): self indexing axis dim should be positive",
        ));
    }
    let stride = index.strides().first().copied().unwrap_or(0);
    let values = with_index!(index, idx => index_values(idx, index.layout().offset, stride, n));
    if let Some(&bad) = values.iter().find(|&&v| v < 0 || v >= size as i64) {
        // PyTorch's kernels word it apart: its dim-1 kernel (and the one for an empty
        // input) say it one way, the others another
        if input.ndim() <= 1 || (d != 1 && input.numel() > 0) {
            return Err(Error::index("index out of range in self"));
        }
        return Err(Error::runtime(format!(
            "INDICES element is out of DATA bounds, id={bad} axis_dim={size}"
        )));
    }
    refuse("index_select", input)?;
    let src = Source::of(input);
    let out = if input.is_contiguous() && input.ndim() > 0 {
        copy_slices(&src, input, d, &values)?
    } else {
        let plan = select_plan(&src.strides, src.offset, input.shape(), d, n);
        let as_tensor = Tensor::from_vec(values.clone(), &[n])?;
        read_picked(&src, &as_tensor, &plan, |v| {
            Error::index(format!("index {v} is out of range in self"))
        })?
    };
    if needs_grad(&[input]) {
        let input_shape = input.shape().to_vec();
        let picks = Tensor::from_vec(values, &[n])?;
        record(
            "IndexSelectBackward0",
            &[input],
            &[&out],
            smallvec::smallvec![SavedTensor::input(index)],
            move |ctx| {
                let pos = positions(
                    &input_shape,
                    |strides| select_plan(strides, 0, &input_shape, d, n),
                    |plan, f| with_index!(picks, idx => plan.visit(idx, f)),
                )?;
                let grad = scatter_back(&input_shape, &pos, ctx.grad(), "IndexAddBackward0")?;
                Ok(vec![Some(grad)])
            },
        );
        save_args(
            &out,
            vec![
                ("dim", SavedArg::Int(dim)),
                ("self_sym_sizes", sizes_arg(input)),
            ],
        );
    }
    Ok(out)
}

/// `index_select` of a contiguous input: a run of the slice's elements copied whole
/// per pick (whole rows along dim 0).
fn copy_slices(src: &Source, input: &Tensor, d: usize, values: &[i64]) -> Result<Tensor> {
    let shape = input.shape();
    let outer: usize = shape[..d].iter().product();
    let inner = shape[d + 1..].iter().product::<usize>() * src.unit;
    let size = shape[d];
    let mut out_shape = shape.to_vec();
    out_shape[d] = values.len();
    crate::with_dtype!(src.tensor.dtype(), T => {
        let total = outer * values.len() * inner;
        let mut out: Vec<T> = Vec::with_capacity(total);
        if total > 0 {
            let guard = src.tensor.storage().read();
            let data = &T::slice(&guard)[src.offset..];
            for o in 0..outer {
                let base = o * size * inner;
                for &v in values {
                    let start = base + v as usize * inner;
                    out.extend_from_slice(&data[start..start + inner]);
                }
            }
        }
        src.result(out, &out_shape)
    })
}

/// `input`'s values at `indices` along `dim`, the two broadcast against each other in
/// the other dims (`GatherBackward0` after the expands); with no dim, the flattened
/// input at the flattened indices.
pub fn take_along_dim(input: &Tensor, indices: &Tensor, dim: Option<i64>) -> Result<Tensor> {
    use super::view::{expand, view};
    let Some(dim) = dim else {
        return gather(&view(input, &[-1])?, 0, &view(indices, &[-1])?, false);
    };
    let (a, b) = (input.shape(), indices.shape());
    if a.len() != b.len() {
        return Err(Error::runtime(format!(
            "torch.take_along_dim(): input and indices should have the same number of dimensions, but got {} dimensions for input, and {} dimensions for indices",
            a.len(),
            b.len()
        )));
    }
    if indices.dtype() != DType::I64 {
        return Err(Error::runtime(format!(
            "torch.take_along_dim(): dtype of indices should be Long but got {}",
            indices.dtype().kernel_name()
        )));
    }
    if a.is_empty() && (dim == 0 || dim == -1) {
        // PyTorch names the dim after wrapping it (-1 reads as 0)
        return Err(Error::index(
            "Dimension specified as 0 but tensor has no dimensions",
        ));
    }
    let d = wrap_dim(dim, a.len())?;
    // PyTorch's infer_size reports the last dim that does not match
    for k in (0..a.len()).rev() {
        if k != d && a[k] != b[k] && a[k] != 1 && b[k] != 1 {
            return Err(Error::broadcast_mismatch(a[k], b[k], k));
        }
    }
    let both = |k: usize| (if a[k] == 1 { b[k] } else { a[k] }) as i64;
    let sizes_with = |along: usize| -> Vec<i64> {
        (0..a.len())
            .map(|k| if k == d { along as i64 } else { both(k) })
            .collect()
    };
    let indices = wrapped_indices(indices, a[d])?;
    let x = expand(input, &sizes_with(a[d]))?;
    let i = expand(&indices, &sizes_with(b[d]))?;
    gather(&x, d as i64, &i, false)
}

/// The indices modulo `size` (PyTorch's take_along_dim reads them so, negative ones
/// counting from the end): a copy only when one is outside `0..size`.
fn wrapped_indices(indices: &Tensor, size: usize) -> Result<Tensor> {
    let values = indices.to_vec::<i64>();
    if values.iter().all(|&v| v >= 0 && (v as u64) < size as u64) {
        return Ok(indices.clone());
    }
    if size == 0 {
        return Err(Error::runtime("ZeroDivisionError"));
    }
    let n = size as i64;
    let wrapped: Vec<i64> = values.into_iter().map(|v| v.rem_euclid(n)).collect();
    Tensor::from_vec(wrapped, indices.shape())
}
