//! Reductions: sum, mean, prod, amax/amin, all/any, vector norms.

use super::cast::cast_raw;
use super::view::{expand, reshape_to, unsqueeze_dims};
use super::{scalar, to_dtype};
use crate::autograd::node::SavedArg;
use crate::autograd::record::{save_args, save_args_for, sizes_arg};
use crate::autograd::{needs_grad, record, SavedTensor};
use crate::error::{Error, Result};
use crate::kernels::reduce::{fold_blocks, reduce};
use crate::kernels::sum_lanes;
use crate::tensor::layout::{wrap_dim, wrap_dims, Dims};
use crate::tensor::{DType, Scalar, Tensor};

/// The dims a reduction covers (all of them for `None` or an empty list), sorted.
pub fn reduced_dims(t: &Tensor, dims: Option<&[i64]>) -> Result<Vec<usize>> {
    let mut d = match dims {
        None => (0..t.ndim()).collect(),
        Some([]) => (0..t.ndim()).collect(),
        Some(ds) => wrap_dims(ds, t.ndim())?,
    };
    d.sort_unstable();
    d.retain(|&x| x < t.ndim());
    Ok(d)
}

fn output_shape(t: &Tensor, dims: &[usize], keepdim: bool) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, &s) in t.shape().iter().enumerate() {
        if dims.contains(&i) {
            if keepdim {
                out.push(1);
            }
        } else {
            out.push(s);
        }
    }
    out
}

/// Broadcasts a reduced gradient back over the input's shape.
fn expand_back(g: &Tensor, dims: &[usize], keepdim: bool, shape: &[usize]) -> Result<Tensor> {
    let g = if keepdim {
        g.clone()
    } else {
        unsqueeze_dims(g, dims)?
    };
    let sizes: Vec<i64> = shape.iter().map(|&s| s as i64).collect();
    expand(&g, &sizes)
}

/// Columns per thread in `sum_rows` come in multiples of this (whole cache lines of the
/// float64 sums and of the inputs).
const COLUMN_BAND: usize = 64;
/// Column sums stay on one thread below this many elements (see `sum_rows`).
const COLUMN_SPLIT_MIN_ELEMS: usize = 1 << 28;

/// Sum of a contiguous float tensor over dims that leave the last one: whole rows are
/// added into output rows, a memory-order walk the compiler vectorizes (the generic
/// kernel would stride down columns).
fn sum_rows(src: &Tensor, dims: &[usize], out_shape: &[usize]) -> Result<Option<Tensor>> {
    let nd = src.ndim();
    if nd < 2
        || !src.is_contiguous()
        || dims.contains(&(nd - 1))
        || !src.dtype().is_floating()
        || src.numel() == 0
    {
        return Ok(None);
    }
    let shape = src.shape();
    let inner = shape[nd - 1];
    // row stride of each leading dim in the output (0 for reduced dims)
    let mut out_row_strides = vec![0usize; nd - 1];
    let mut acc = 1usize;
    for d in (0..nd - 1).rev() {
        if !dims.contains(&d) {
            out_row_strides[d] = acc;
            acc *= shape[d];
        }
    }
    let g = src.storage().read();
    let off = src.storage_offset();
    let rows = src.numel() / inner;
    let out_rows = acc;
    // Threads could take bands of columns (each output element summed by one thread, over
    // the rows in order, so the count would not change the bits), but measured on 2 cores
    // the split was slower at every size from 2^16 to 2^24 elements (0.57-0.94x): this
    // pass is bound by memory bandwidth, which one thread already saturates.
    let tasks = crate::parallel::task_count(rows * inner, COLUMN_SPLIT_MIN_ELEMS)
        .min(inner.div_ceil(COLUMN_BAND));
    let band = inner.div_ceil(tasks.max(1)).next_multiple_of(COLUMN_BAND);
    let bands = inner.div_ceil(band);
    let mut sums = vec![0.0f64; out_rows * inner];
    let walk = RowWalk {
        shape,
        out_row_strides: &out_row_strides,
        rows,
        inner,
        out_rows,
        band,
    };
    crate::with_buffer!(&*g, v, T => {
        let any: &dyn std::any::Any = v;
        let parts = if let Some(v) = any.downcast_ref::<Vec<f32>>() {
            walk.band_sums(bands, &v[off..off + rows * inner], sum_lanes::add_f32_rows_into_f64)
        } else if let Some(v) = any.downcast_ref::<Vec<f64>>() {
            walk.band_sums(bands, &v[off..off + rows * inner], sum_lanes::add_f64_rows_into)
        } else {
            walk.band_sums(
                bands,
                &v[off..off + rows * inner],
                |dst: &mut [f64], src: &[T], stride: usize, n: usize| {
                    for r in 0..n {
                        for (s, &x) in dst.iter_mut().zip(&src[r * stride..]) {
                            *s += crate::tensor::Element::to_f64(x);
                        }
                    }
                },
            )
        };
        if bands == 1 {
            sums = parts.into_iter().next().unwrap_or(sums);
        } else {
            for (b, part) in parts.iter().enumerate() {
                let (c0, c1) = (b * band, ((b + 1) * band).min(inner));
                let w = c1 - c0;
                for o in 0..out_rows {
                    sums[o * inner + c0..o * inner + c1].copy_from_slice(&part[o * w..(o + 1) * w]);
                }
            }
        }
    });
    drop(g);
    let t = Tensor::from_vec(sums, out_shape)?;
    Ok(Some(if src.dtype() == DType::F64 {
        t
    } else {
        cast_raw(&t, src.dtype())
    }))
}

/// Rows a dim-0 sum adds per pass over its float64 running sums, for rows of `bytes`.
/// Several rows per pass read each chunk of running sums once for all of them, but turn
/// the read of memory into interleaved short runs: on rows shorter than 8 KiB the
/// prefetchers lose them (65536×256 float32: 10 ms at 8 rows, 4.8 ms one row at a time
/// against NumPy's 4.3). Rows whose length is a multiple of 4 KiB fall into the same L1
/// cache sets, so 16 rows a pass evicted their own lines in an 8-way L1 (4096×4096: 4.3 ms,
/// 2.7 ms with 8 rows).
fn rows_per_pass(bytes: usize) -> usize {
    if (256..8192).contains(&bytes) {
        1
    } else {
        8
    }
}

/// The rows of a contiguous tensor added into the output rows they reduce to.
struct RowWalk<'a> {
    shape: &'a [usize],
    out_row_strides: &'a [usize],
    rows: usize,
    inner: usize,
    out_rows: usize,
    band: usize,
}

impl RowWalk<'_> {
    /// Per band of `band` columns: the float64 sums of its columns for every output row.
    /// `add_rows(dst, src, stride, n)` adds `n` rows `stride` apart into `dst`, in order.
    fn band_sums<T: Sync>(
        &self,
        bands: usize,
        data: &[T],
        add_rows: impl Fn(&mut [f64], &[T], usize, usize) + Sync,
    ) -> Vec<Vec<f64>> {
        let (nd, inner) = (self.shape.len(), self.inner);
        crate::parallel::map_tasks(bands, |b| {
            let (c0, c1) = (b * self.band, ((b + 1) * self.band).min(inner));
            let w = c1 - c0;
            let mut part = vec![0.0f64; self.out_rows * w];
            if self.out_rows == 1 {
                // every row adds into the one output row: several rows per pass
                let per_pass = rows_per_pass(w * std::mem::size_of::<T>());
                let mut r = 0;
                while r < self.rows {
                    let n = (self.rows - r).min(per_pass);
                    let rows = &data[r * inner + c0..(r + n - 1) * inner + c1];
                    add_rows(&mut part, rows, inner, n);
                    r += n;
                }
                return part;
            }
            let mut index = vec![0usize; nd - 1];
            let mut orow = 0usize;
            for r in 0..self.rows {
                add_rows(
                    &mut part[orow * w..(orow + 1) * w],
                    &data[r * inner + c0..r * inner + c1],
                    inner,
                    1,
                );
                // advance the row index (odometer over the leading dims)
                let mut d = nd - 1;
                while d > 0 {
                    d -= 1;
                    index[d] += 1;
                    orow += self.out_row_strides[d];
                    if index[d] < self.shape[d] {
                        break;
                    }
                    orow -= self.out_row_strides[d] * self.shape[d];
                    index[d] = 0;
                }
            }
            part
        })
    }
}

/// Sum of a contiguous float32/float64 tensor over its trailing dims: each output sums
/// one contiguous run (vectorized; a float32 tensor's as PyTorch rounds it), the outputs
/// spread over the intra-op threads.
fn sum_trailing(
    src: &Tensor,
    dims: &[usize],
    out_shape: &[usize],
    float32_input: bool,
) -> Result<Option<Tensor>> {
    let nd = src.ndim();
    let trailing = !dims.is_empty()
        && dims.len() < nd
        && dims
            .iter()
            .enumerate()
            .all(|(i, &d)| d == nd - dims.len() + i);
    if !trailing || !src.is_contiguous() || src.numel() == 0 {
        return Ok(None);
    }
    let run: usize = dims.iter().map(|&d| src.shape()[d]).product();
    let outputs = src.numel() / run;
    let g = src.storage().read();
    let off = src.storage_offset();
    fn sums<T: Sync, U: Send>(
        data: &[T],
        run: usize,
        outputs: usize,
        f: impl Fn(&[T]) -> U + Sync,
    ) -> Vec<U> {
        let tasks =
            crate::parallel::task_count(data.len(), crate::kernels::reduce::PAR_MIN_REDUCE_ELEMS)
                .min(outputs);
        let chunk = outputs.div_ceil(tasks.max(1));
        crate::parallel::collect_with_chunk(outputs, chunk, |first, out| {
            for (k, slot) in out.iter_mut().enumerate() {
                let o = first + k;
                slot.write(f(&data[o * run..(o + 1) * run]));
            }
            out.len()
        })
    }
    let out = match src.dtype() {
        DType::F32 if float32_input => {
            let data = &g.as_slice::<f32>()[off..off + src.numel()];
            let sum_run = crate::kernels::cascade_sum::sum_run_f32;
            Tensor::from_vec(sums(data, run, outputs, sum_run), out_shape)?
        }
        DType::F32 => {
            let data = &g.as_slice::<f32>()[off..off + src.numel()];
            Tensor::from_vec(
                sums(data, run, outputs, |r| sum_lanes::sum_f32(r) as f32),
                out_shape,
            )?
        }
        DType::F64 => {
            let data = &g.as_slice::<f64>()[off..off + src.numel()];
            Tensor::from_vec(sums(data, run, outputs, sum_lanes::sum_f64), out_shape)?
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// Sum of a float32 tensor over any dims in PyTorch's order (`kernels::cascade_sum_dims`).
fn sum_dims_f32(src: &Tensor, dims: &[usize], out_shape: &[usize]) -> Result<Tensor> {
    let reduced: Vec<bool> = (0..src.ndim()).map(|d| dims.contains(&d)).collect();
    let strides: Vec<isize> = src.layout().strides.to_vec();
    let g = src.storage().read();
    let sums = crate::kernels::cascade_sum_dims::sum_dims_f32(
        g.as_slice::<f32>(),
        src.storage_offset(),
        src.shape(),
        &strides,
        &reduced,
        crate::parallel::num_threads(),
    );
    Tensor::from_vec(sums, out_shape)
}

/// Sum of every element of a dense float tensor: a float32 tensor's as PyTorch rounds it
/// (`kernels::cascade_sum`), others in fixed blocks across the intra-op threads (float64
/// accumulation, as the general kernel).
fn sum_all_contiguous(
    src: &Tensor,
    dims: &[usize],
    out_shape: &[usize],
    float32_input: bool,
) -> Result<Option<Tensor>> {
    // a permuted (transposed) dense view is summed in its memory order, as PyTorch does
    let dense = src.is_contiguous()
        || crate::tensor::memory_format::is_non_overlapping_and_dense(
            src.shape(),
            &src.layout().strides,
        );
    if dims.len() != src.ndim() || !dense || src.numel() == 0 {
        return Ok(None);
    }
    let g = src.storage().read();
    let (off, n) = (src.storage_offset(), src.numel());
    let add = |a: f64, b: f64| a + b;
    let out = match src.dtype() {
        DType::F32 if float32_input => {
            let s = &g.as_slice::<f32>()[off..off + n];
            let threads = crate::parallel::num_threads();
            let total = crate::kernels::cascade_sum::sum_f32(s, threads);
            Tensor::from_vec(vec![total], out_shape)?
        }
        DType::F32 => {
            let s = &g.as_slice::<f32>()[off..off + n];
            let total = fold_blocks(s, sum_lanes::sum_f32, add).unwrap_or(0.0);
            Tensor::from_vec(vec![total as f32], out_shape)?
        }
        DType::F64 => {
            let s = &g.as_slice::<f64>()[off..off + n];
            let total = fold_blocks(s, sum_lanes::sum_f64, add).unwrap_or(0.0);
            Tensor::from_vec(vec![total], out_shape)?
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

pub(crate) fn sum_raw(t: &Tensor, dims: &[usize], keepdim: bool, dtype: DType) -> Result<Tensor> {
    sum_raw_in(t, dims, keepdim, dtype, t.dtype() == DType::F32)
}

/// `sum_raw` of the float pairs of a complex tensor: PyTorch adds complex values in
/// another order than float32 ones, so these keep ferrograd's float64 lanes.
pub(crate) fn sum_pairs_raw(
    t: &Tensor,
    dims: &[usize],
    keepdim: bool,
    dtype: DType,
) -> Result<Tensor> {
    sum_raw_in(t, dims, keepdim, dtype, false)
}

/// `float32_order`: a float32 input summed in float32 as PyTorch orders the additions.
fn sum_raw_in(
    t: &Tensor,
    dims: &[usize],
    keepdim: bool,
    dtype: DType,
    float32_order: bool,
) -> Result<Tensor> {
    if t.dtype().is_complex() || dtype.is_complex() {
        return super::complex::sum_raw(t, dims, keepdim, dtype);
    }
    if dtype == DType::Bool {
        // a bool sum is true where any element is: count in int64, then test for nonzero
        let counts = sum_raw(&cast_raw(t, DType::Bool), dims, keepdim, DType::I64)?;
        return Ok(cast_raw(&counts, DType::Bool));
    }
    let shape = output_shape(t, dims, keepdim);
    let src = super::cast::in_compute(t, dtype);
    if let Some(out) = sum_all_contiguous(&src, dims, &shape, float32_order)? {
        return Ok(super::cast::narrow_to(out, dtype));
    }
    if let Some(out) = sum_trailing(&src, dims, &shape, float32_order)? {
        return Ok(super::cast::narrow_to(out, dtype));
    }
    if float32_order && dtype == DType::F32 {
        return sum_dims_f32(&src, dims, &shape);
    }
    if let Some(out) = sum_rows(&src, dims, &shape)? {
        return Ok(super::cast::narrow_to(out, dtype));
    }
    if let Some(sums) = super::reduce_fast::fold_dims_f64(&src, dims, super::reduce_fast::Fold::Sum)
    {
        let out = cast_raw(&Tensor::from_vec(sums, &shape)?, src.dtype());
        return Ok(super::cast::narrow_to(out, dtype));
    }
    let g = src.storage().read();
    let out = match dtype.compute() {
        DType::F32 => Tensor::from_vec(
            reduce(
                g.as_slice::<f32>(),
                src.layout(),
                dims,
                0.0f64,
                |a, x| a + x as f64,
                |a, _| a as f32,
            ),
            &shape,
        )?,
        DType::F64 => Tensor::from_vec(
            reduce(
                g.as_slice::<f64>(),
                src.layout(),
                dims,
                0.0,
                |a, x| a + x,
                |a, _| a,
            ),
            &shape,
        )?,
        DType::I64 => Tensor::from_vec(
            reduce(
                g.as_slice::<i64>(),
                src.layout(),
                dims,
                0i64,
                |a, x| a.wrapping_add(x),
                |a, _| a,
            ),
            &shape,
        )?,
        DType::Bool => return Err(Error::runtime("sum: bool accumulation is not supported")),
        other => unreachable!("{other} is not a compute dtype"),
    };
    Ok(super::cast::narrow_to(out, dtype))
}

/// `sum(t, dim, keepdim, dtype)`: `SumBackward0` over everything, `SumBackward1` over dims.
pub fn sum(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    dtype: Option<DType>,
) -> Result<Tensor> {
    let rdims = reduced_dims(t, dims)?;
    let dtype = dtype.unwrap_or(if t.dtype().is_floating() || t.dtype().is_complex() {
        t.dtype()
    } else {
        DType::I64
    });
    if dtype.is_shell() {
        return Err(crate::tensor::dtype::shell_kernel_missing("sum_cpu", dtype));
    }
    refuse_grad_into(t, dtype)?;
    let out = sum_raw(t, &rdims, keepdim, dtype)?;
    if needs_grad(&[t]) {
        let name = if dims.is_none() {
            "SumBackward0"
        } else {
            "SumBackward1"
        };
        let (shape, in_dtype) = (Dims::from_slice(t.shape()), t.dtype());
        let keep = keepdim || dims.is_none();
        let rd = rdims.clone();
        record(name, &[t], &[&out], vec![], move |ctx| {
            let g = ctx.grad().clone();
            let g = if g.ndim() == 0 {
                g
            } else {
                expand_back(&g, &rd, keep, &shape)?
            };
            let g = expand(&g, &shape.iter().map(|&s| s as i64).collect::<Vec<_>>())?;
            Ok(vec![Some(to_dtype(&g, in_dtype)?)])
        });
        let mut args = vec![("self_sym_sizes", sizes_arg(t))];
        if let Some(dims) = dims {
            args.insert(0, ("keepdim", SavedArg::Bool(keepdim)));
            args.insert(0, ("dim", SavedArg::Ints(dims.to_vec())));
        }
        save_args(&out, args);
    }
    Ok(out)
}

/// Sums a broadcast gradient down to `shape`.
pub fn sum_to(g: &Tensor, shape: &[usize]) -> Result<Tensor> {
    if g.shape() == shape {
        return Ok(g.clone());
    }
    let lead = g.ndim() - shape.len();
    let mut dims: Vec<i64> = (0..lead as i64).collect();
    for (i, &s) in shape.iter().enumerate() {
        if s == 1 && g.shape()[lead + i] != 1 {
            dims.push((lead + i) as i64);
        }
    }
    let s = if dims.is_empty() {
        g.clone()
    } else {
        sum(g, Some(&dims), true, None)?
    };
    if s.shape() == shape {
        return Ok(s);
    }
    reshape_to(&s, shape)
}

/// `mean` (`MeanBackward0` / `MeanBackward1`); floating inputs only, as in PyTorch.
pub fn mean(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    dtype: Option<DType>,
) -> Result<Tensor> {
    let in_dtype = dtype.unwrap_or(t.dtype());
    if in_dtype.is_complex() {
        return super::complex::mean(t, dims, keepdim, in_dtype);
    }
    if !in_dtype.is_floating() {
        let (which, named) = match dtype {
            Some(d) => ("Optional", d),
            None => ("Input", t.dtype()),
        };
        return Err(Error::runtime(format!(
            "mean(): could not infer output dtype. {which} dtype must be either a floating point or complex dtype. Got: {}",
            named.kernel_name()
        )));
    }
    let rdims = reduced_dims(t, dims)?;
    if dtype.is_none() {
        super::shell_refusals::refuse_float8("sum_cpu", t)?;
    }
    let count: usize = rdims.iter().map(|&d| t.shape()[d]).product();
    // float16/bfloat16: sum and divide in float32, rounding once at the end (as PyTorch)
    let acc_dtype = if in_dtype.is_narrow() {
        DType::F32
    } else {
        in_dtype
    };
    let s = sum_raw(t, &rdims, keepdim, acc_dtype)?;
    let out = super::binary::binary_raw(
        &s,
        &scalar(Scalar::Float(count as f64)),
        super::binary::BinOp::Div,
    )?;
    let out = if out.dtype() != in_dtype {
        cast_raw(&out, in_dtype)
    } else {
        out
    };
    if needs_grad(&[t]) {
        let name = if dims.is_none() {
            "MeanBackward0"
        } else {
            "MeanBackward1"
        };
        let (shape, src_dtype) = (t.shape().to_vec(), t.dtype());
        let keep = keepdim || dims.is_none();
        record(name, &[t], &[&out], vec![], move |ctx| {
            let g = super::binary::div(ctx.grad(), &scalar(Scalar::Float(count as f64)))?;
            let g = if g.ndim() == 0 {
                g
            } else {
                expand_back(&g, &rdims, keep, &shape)?
            };
            let g = expand(&g, &shape.iter().map(|&s| s as i64).collect::<Vec<_>>())?;
            Ok(vec![Some(to_dtype(&g, src_dtype)?)])
        });
        let mut args = vec![
            ("self_sym_numel", SavedArg::Int(t.numel() as i64)),
            ("self_sym_sizes", sizes_arg(t)),
        ];
        if let Some(dims) = dims {
            args.insert(0, ("keepdim", SavedArg::Bool(keepdim)));
            args.insert(0, ("dim", SavedArg::Ints(dims.to_vec())));
        }
        save_args(&out, args);
    }
    Ok(out)
}

/// PyTorch's error when an op whose result carries a gradient (a sum or scan asked for
/// an integer or bool `dtype`) would give history to a tensor no gradient can live in.
pub(crate) fn refuse_grad_into(t: &Tensor, dtype: DType) -> Result<()> {
    if needs_grad(&[t]) && !(dtype.is_floating() || dtype.is_complex()) {
        return Err(Error::runtime(format!(
            "Autograd not support dtype: {}",
            dtype.kernel_name()
        )));
    }
    Ok(())
}

/// `prod` over everything (`ProdBackward0`) or one dim (`ProdBackward1`).
pub fn prod(t: &Tensor, dim: Option<i64>, keepdim: bool, dtype: Option<DType>) -> Result<Tensor> {
    if dtype.is_none() {
        if let Some(d) = dim {
            wrap_dim(d, t.ndim())?;
        }
        super::shell_refusals::refuse_float8("prod_out_cpu", t)?;
    }
    if t.dtype().is_complex() && dtype.is_none() {
        return super::complex_math::prod(t, dim, keepdim);
    }
    let dims_vec: Option<Vec<i64>> = dim.map(|d| vec![d]);
    let rdims = reduced_dims(t, dims_vec.as_deref())?;
    let dtype = dtype.unwrap_or(if t.dtype().is_floating() {
        t.dtype()
    } else {
        DType::I64
    });
    refuse_grad_into(t, dtype)?;
    if dtype == DType::Bool {
        // a bool product is true where every element is
        let as_int = cast_raw(&cast_raw(t, DType::Bool), DType::I64);
        let p = prod(&as_int, dim, keepdim, Some(DType::I64))?;
        return Ok(cast_raw(&p, DType::Bool));
    }
    let shape_out = output_shape(t, &rdims, keepdim);
    let src = super::cast::in_compute(t, dtype);
    let half_input = matches!(t.dtype(), DType::F16 | DType::BF16) && t.dtype() == dtype;
    let own = if half_input { t } else { &src };
    let out = if let Some(out) = prod_in_dtype(own, &rdims, &shape_out, dtype)? {
        out
    } else if let Some(products) =
        super::reduce_fast::fold_dims_f64(&src, &rdims, super::reduce_fast::Fold::Prod)
    {
        cast_raw(&Tensor::from_vec(products, &shape_out)?, src.dtype())
    } else {
        let g = src.storage().read();
        match dtype.compute() {
            DType::F32 => Tensor::from_vec(
                reduce(
                    g.as_slice::<f32>(),
                    src.layout(),
                    &rdims,
                    1.0f64,
                    |a, x| a * x as f64,
                    |a, _| a as f32,
                ),
                &shape_out,
            )?,
            DType::F64 => Tensor::from_vec(
                reduce(
                    g.as_slice::<f64>(),
                    src.layout(),
                    &rdims,
                    1.0,
                    |a, x| a * x,
                    |a, _| a,
                ),
                &shape_out,
            )?,
            DType::I64 => Tensor::from_vec(
                reduce(
                    g.as_slice::<i64>(),
                    src.layout(),
                    &rdims,
                    1i64,
                    |a, x| a.wrapping_mul(x),
                    |a, _| a,
                ),
                &shape_out,
            )?,
            DType::Bool => return Err(Error::runtime("prod: bool accumulation is not supported")),
            other => unreachable!("{other} is not a compute dtype"),
        }
    };
    let out = super::cast::narrow_to(out, dtype);
    if needs_grad(&[t]) {
        let name = if dim.is_none() {
            "ProdBackward0"
        } else {
            "ProdBackward1"
        };
        let shape = t.shape().to_vec();
        let keep = keepdim || dim.is_none();
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        record(name, &[t], &[&out], saved, move |ctx| {
            let (x, r) = (ctx.saved(0), ctx.saved(1));
            let g = if ctx.grad().ndim() == 0 {
                ctx.grad().clone()
            } else {
                expand_back(ctx.grad(), &rdims, keep, &shape)?
            };
            let r = if r.ndim() == 0 {
                r.clone()
            } else {
                expand_back(r, &rdims, keep, &shape)?
            };
            let has_zero = x.to_vec::<f64>().contains(&0.0);
            let d = if has_zero {
                prod_of_others(x, &rdims)?
            } else {
                super::binary::div(&r, x)?
            };
            Ok(vec![Some(super::binary::mul(&g, &d)?)])
        });
    }
    if let Some(dim) = dim {
        save_args_for(&out, "ProdBackward1", || {
            vec![
                ("dim", SavedArg::Int(dim)),
                ("keepdim", SavedArg::Bool(keepdim)),
            ]
        });
    }
    Ok(out)
}

/// A float product in PyTorch's order and rounding (`kernels::product_dims`): in the
/// dtype itself, a 16-bit float rounded back after every multiplication.
fn prod_in_dtype(
    src: &Tensor,
    rdims: &[usize],
    out_shape: &[usize],
    dtype: DType,
) -> Result<Option<Tensor>> {
    let reduced: Vec<bool> = (0..src.ndim()).map(|d| rdims.contains(&d)).collect();
    let g = src.storage().read();
    let offset = src.storage_offset();
    let out = match (dtype, src.dtype()) {
        (DType::F32, DType::F32) => {
            let x = &g.as_slice::<f32>()[offset..];
            Tensor::from_vec(
                products::<f32, _, 8>(src, x, &reduced, 1.0, &|a, b| a * b),
                out_shape,
            )?
        }
        (DType::F64, DType::F64) => {
            let x = &g.as_slice::<f64>()[offset..];
            Tensor::from_vec(
                products::<f64, _, 4>(src, x, &reduced, 1.0, &|a, b| a * b),
                out_shape,
            )?
        }
        (DType::F16 | DType::BF16, _) if src.dtype() == dtype => {
            // the span of storage the view reads, widened to float32 (exactly)
            let span = if src.numel() == 0 {
                0
            } else {
                1 + src
                    .shape()
                    .iter()
                    .zip(src.strides())
                    .map(|(&n, &s)| n.saturating_sub(1) * s as usize)
                    .sum::<usize>()
            };
            let p = if dtype == DType::F16 {
                let x = &g.as_slice::<half::f16>()[offset..offset + span];
                let wide: Vec<f32> = x.iter().map(|v| v.to_f32()).collect();
                products::<f32, _, 16>(src, &wide, &reduced, 1.0, &|a, b| {
                    half::f16::from_f32(a * b).to_f32()
                })
            } else {
                let x = &g.as_slice::<half::bf16>()[offset..offset + span];
                let wide: Vec<f32> = x.iter().map(|v| v.to_f32()).collect();
                products::<f32, _, 16>(src, &wide, &reduced, 1.0, &|a, b| {
                    half::bf16::from_f32(a * b).to_f32()
                })
            };
            Tensor::from_vec(p, out_shape)?
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// `src`'s products over the dims marked in `reduced`, its elements read from `data`
/// (the storage from `src`'s first element on).
fn products<T, M, const L: usize>(
    src: &Tensor,
    data: &[T],
    reduced: &[bool],
    one: T,
    mul: &M,
) -> Vec<T>
where
    T: Copy + Send + Sync,
    M: Fn(T, T) -> T + Sync,
{
    let x = crate::kernels::reduce_walk::Strided { data, offset: 0 };
    crate::kernels::product_dims::prod_dims::<T, M, L>(
        &x,
        src.shape(),
        src.strides(),
        reduced,
        crate::parallel::num_threads(),
        one,
        mul,
    )
}

/// For each element, the product of the other elements of its reduction group.
fn prod_of_others(x: &Tensor, rdims: &[usize]) -> Result<Tensor> {
    let shape = x.shape().to_vec();
    let vals = x.to_vec::<f64>();
    let layout = crate::tensor::Layout::contiguous(&shape);
    let (outer, inner) = crate::kernels::reduce::split_reduced(&layout, rdims);
    let mut out = vec![0.0f64; vals.len()];
    outer.for_each_offset(|base| {
        let mut inner = inner.clone();
        inner.offset = base;
        let offs = inner.offsets();
        for (i, &oi) in offs.iter().enumerate() {
            out[oi] = offs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, &oj)| vals[oj])
                .product();
        }
    });
    let t = Tensor::from_vec(out, &shape)?;
    Ok(cast_raw(&t, x.dtype()))
}

/// `max()` / `min()` over all elements (`MaxBackward1` / `MinBackward1`).
pub fn max_all(t: &Tensor, is_max: bool) -> Result<Tensor> {
    if t.numel() == 0 {
        let name = if is_max { "max" } else { "min" };
        return Err(Error::runtime(format!(
            "{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
        )));
    }
    super::shell_refusals::refuse(if is_max { "max_all" } else { "min_all" }, t)?;
    let nm = if is_max {
        "MaxBackward1"
    } else {
        "MinBackward1"
    };
    extreme_named(t, None, false, is_max, nm)
}

pub(crate) fn extreme(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    is_max: bool,
) -> Result<Tensor> {
    let nm = if is_max {
        "AmaxBackward0"
    } else {
        "AminBackward0"
    };
    let out = extreme_named(t, dims, keepdim, is_max, nm)?;
    save_args_for(&out, nm, || {
        let dims = dims.unwrap_or(&[]).to_vec();
        vec![
            ("dim", SavedArg::Ints(dims)),
            ("keepdim", SavedArg::Bool(keepdim)),
        ]
    });
    Ok(out)
}

fn extreme_named(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    is_max: bool,
    node_name: &'static str,
) -> Result<Tensor> {
    let name = if is_max { "amax" } else { "amin" };
    if t.numel() == 0 {
        check_nonempty_reduction(t, dims, name)?;
    }
    let rdims = reduced_dims(t, dims)?;
    let shape_out = output_shape(t, &rdims, keepdim);
    if t.numel() == 0 && (t.dtype().is_shell_unsigned() || t.dtype().is_complex()) {
        return Tensor::zeros(&shape_out, t.dtype());
    }
    let tc = super::cast::in_compute(t, t.dtype());
    use super::reduce_fast::extreme_dims as fast;
    let out = match tc.dtype() {
        DType::F32 => Tensor::from_vec(fast::<f32>(&tc, &rdims, is_max), &shape_out)?,
        DType::F64 => Tensor::from_vec(fast::<f64>(&tc, &rdims, is_max), &shape_out)?,
        DType::I64 => Tensor::from_vec(fast::<i64>(&tc, &rdims, is_max), &shape_out)?,
        DType::Bool => Tensor::from_vec(fast::<bool>(&tc, &rdims, is_max), &shape_out)?,
        other => unreachable!("{other} is not a compute dtype"),
    };
    let out = super::cast::narrow_to(out, t.dtype());
    if needs_grad(&[t]) {
        let shape = t.shape().to_vec();
        let nm = node_name;
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        if nm == "MaxBackward1" || nm == "MinBackward1" {
            record(nm, &[t], &[&out], saved, |ctx| {
                Ok(vec![Some(evenly_distribute_backward(
                    ctx.grad(),
                    ctx.saved(0),
                    ctx.saved(1),
                )?)])
            });
            return Ok(out);
        }
        record(nm, &[t], &[&out], saved, move |ctx| {
            let (x, r) = (ctx.saved(0), ctx.saved(1));
            let r = expand_back(r, &rdims, keepdim, &shape)?;
            let g = expand_back(ctx.grad(), &rdims, keepdim, &shape)?;
            let mask = super::compare::eq(x, &r)?;
            let maskf = to_dtype(&mask, x.dtype())?;
            let dims_i: Vec<i64> = rdims.iter().map(|&d| d as i64).collect();
            let count = sum(&maskf, Some(&dims_i), true, None)?;
            let share = super::binary::div(&super::binary::mul(&g, &maskf)?, &count)?;
            Ok(vec![Some(share)])
        });
    }
    Ok(out)
}

/// Gradient of a full reduction that picked the 0-dim `value` out of `x` (max, min,
/// median): shared evenly among the elements equal to it, or among the NaNs when it is NaN.
pub(crate) fn evenly_distribute_backward(g: &Tensor, x: &Tensor, value: &Tensor) -> Result<Tensor> {
    let value_is_nan = value.dtype().is_floating() && value.to_vec::<f64>()[0].is_nan();
    let mask = if value_is_nan {
        super::compare::isnan(x)?
    } else {
        super::compare::eq(x, value)?
    };
    let maskf = to_dtype(&mask, x.dtype())?;
    let count = sum(&maskf, None, false, None)?;
    super::binary::mul(&maskf, &super::binary::div(g, &count)?)
}

/// PyTorch's `zero_numel_check_dims` for a reduction of the empty `t` named `name`: dims
/// must be named, and none of them empty (named as given, not wrapped).
fn check_nonempty_reduction(t: &Tensor, dims: Option<&[i64]>, name: &str) -> Result<()> {
    let dims = match dims {
        Some(d) if !d.is_empty() => d,
        _ => {
            return Err(Error::runtime(format!(
                "{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
            )))
        }
    };
    for &d in dims {
        if t.shape()[wrap_dim(d, t.ndim())?] == 0 {
            return Err(Error::index(format!(
                "{name}(): Expected reduction dim {d} to have non-zero size."
            )));
        }
    }
    Ok(())
}

pub fn amax(t: &Tensor, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    extreme_checked(t, dims, keepdim, true)
}

pub fn amin(t: &Tensor, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    extreme_checked(t, dims, keepdim, false)
}

/// `amax`/`amin` with PyTorch's order of checks: the dims first, then (for a result with
/// elements) the dtypes its kernel lacks.
fn extreme_checked(
    t: &Tensor,
    dims: Option<&[i64]>,
    keepdim: bool,
    is_max: bool,
) -> Result<Tensor> {
    check_dim_set_width(t, dims.is_some_and(|d| !d.is_empty()))?;
    if t.numel() == 0 {
        check_nonempty_reduction(t, dims, if is_max { "amax" } else { "amin" })?;
    }
    reduced_dims(t, dims)?;
    if t.numel() > 0 {
        let kernel = if is_max {
            "max_values_cpu"
        } else {
            "min_values_cpu"
        };
        super::shell_refusals::refuse(kernel, t)?;
        if t.dtype().is_complex() {
            return Err(crate::tensor::dtype::shell_kernel_missing(
                kernel,
                t.dtype(),
            ));
        }
    }
    extreme(t, dims, keepdim, is_max)
}

/// PyTorch holds the dims a reduction names in a 64-bit set, so naming any dim of a
/// tensor of more than 64 dims is its RuntimeError.
pub(crate) fn check_dim_set_width(t: &Tensor, names_dims: bool) -> Result<()> {
    if names_dims && t.ndim() > 64 {
        return Err(Error::runtime(format!(
            "only tensors with up to 64 dims are supported (got a reduction dim of a tensor of {} dims)",
            t.ndim()
        )));
    }
    Ok(())
}

fn bool_reduce(t: &Tensor, dims: Option<&[i64]>, keepdim: bool, is_all: bool) -> Result<Tensor> {
    // unlike sum's, all/any's empty dim list reduces nothing: an elementwise test
    let rdims = match dims {
        Some([]) => vec![],
        _ => reduced_dims(t, dims)?,
    };
    let shape_out = output_shape(t, &rdims, keepdim);
    let b = if t.dtype() == DType::Bool {
        t.clone()
    } else {
        cast_raw(t, DType::Bool)
    };
    let g = b.storage().read();
    let v = reduce(
        g.as_slice::<bool>(),
        b.layout(),
        &rdims,
        is_all,
        move |a, x| if is_all { a && x } else { a || x },
        |a, _| a,
    );
    drop(g);
    let out = Tensor::from_vec(v, &shape_out)?;
    // PyTorch keeps uint8 for all/any of uint8 tensors
    Ok(if t.dtype() == DType::U8 {
        cast_raw(&out, DType::U8)
    } else {
        out
    })
}

pub fn all(t: &Tensor, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    bool_reduce(t, dims, keepdim, true)
}

pub fn any(t: &Tensor, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    bool_reduce(t, dims, keepdim, false)
}

/// `linalg.vector_norm` (`LinalgVectorNormBackward0`).
pub fn vector_norm(t: &Tensor, p: f64, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
    if t.dtype().is_complex() {
        return super::complex_math::vector_norm(t, p, dims, keepdim);
    }
    if !t.dtype().is_floating() {
        return Err(Error::runtime(format!(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}",
            t.dtype().kernel_name()
        )));
    }
    let rdims = reduced_dims(t, dims)?;
    let shape_out = output_shape(t, &rdims, keepdim);
    // inf and negative orders reduce with max/min or a reciprocal: no identity for no elements
    if p.is_infinite() || p < 0.0 {
        let ord = if p.is_infinite() || p.fract() != 0.0 {
            format!("{p}")
        } else {
            format!("{}", p as i64)
        };
        if dims.is_none_or(|d| d.is_empty()) && t.numel() == 0 {
            return Err(Error::runtime(format!(
                "linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the operation does not have an identity"
            )));
        }
        if let Some(&d) = rdims.iter().find(|&&d| t.shape()[d] == 0) {
            return Err(Error::runtime(format!(
                "linalg.vector_norm cannot compute the {ord} norm on the dimension {d}because this dimension is empty and the operation does not have an identity"
            )));
        }
    }
    // PyTorch gives each output reducing one element its |x| whatever the order (a NaN
    // order or one past 2**40 included, where |x|^p would overflow or poison it)
    let one_element = rdims.iter().map(|&d| t.shape()[d]).product::<usize>() == 1;
    let order = if one_element && p != 0.0 { 1.0 } else { p };
    use super::reduce_fast::{fold_dims_f64, Fold};
    let fast = match order {
        1.0 => fold_dims_f64(t, &rdims, Fold::Abs),
        2.0 => {
            fold_dims_f64(t, &rdims, Fold::Squares).map(|v| v.into_iter().map(f64::sqrt).collect())
        }
        _ => None,
    };
    // (with a fast result the float64 copy is never read)
    let src = if fast.is_some() {
        t.clone()
    } else {
        cast_raw(t, DType::F64)
    };
    let g = src.storage().read();
    let vals: Vec<f64> = if let Some(vals) = fast {
        vals
    } else if order == f64::INFINITY {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            f64::NEG_INFINITY,
            |a, x| nan_max(a, x.abs()),
            |a, _| a,
        )
    } else if order == f64::NEG_INFINITY {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            f64::INFINITY,
            |a, x| nan_min(a, x.abs()),
            |a, _| a,
        )
    } else if order == 0.0 {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            0.0,
            |a, x| a + (x != 0.0) as u8 as f64,
            |a, _| a,
        )
    } else if order == 1.0 {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            0.0,
            |a, x| a + x.abs(),
            |a, _| a,
        )
    } else if order == 2.0 {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            0.0,
            |a, x| a + x * x,
            |a, _| a.sqrt(),
        )
    } else {
        reduce(
            g.as_slice::<f64>(),
            src.layout(),
            &rdims,
            0.0,
            move |a, x| a + x.abs().powf(order),
            move |a, _| a.powf(1.0 / order),
        )
    };
    drop(g);
    let out = cast_raw(&Tensor::from_vec(vals, &shape_out)?, t.dtype());
    if needs_grad(&[t]) {
        let shape = t.shape().to_vec();
        let saved = smallvec::smallvec![SavedTensor::input(t), SavedTensor::output(&out)];
        record(
            "LinalgVectorNormBackward0",
            &[t],
            &[&out],
            saved,
            move |ctx| {
                if p == 0.0 {
                    // PyTorch's formula gives no gradient (an undefined tensor) for the 0-"norm"
                    return Ok(vec![None]);
                }
                let (x, n) = (ctx.saved(0), ctx.saved(1));
                let g = expand_back(ctx.grad(), &rdims, keepdim, &shape)?;
                let n = expand_back(n, &rdims, keepdim, &shape)?;
                let zero = scalar(Scalar::Int(0));
                let d = if p == 1.0 {
                    super::unary::sign(x)?
                } else if p == 2.0 {
                    // x / ‖x‖, 0 where the norm is 0
                    let q = super::binary::div(x, &n)?;
                    super::index::masked_fill(
                        &q,
                        &super::compare::eq(&n, &zero)?,
                        Scalar::Float(0.0),
                    )?
                } else if p.is_infinite() {
                    let ax = super::unary::abs(x)?;
                    let mask = to_dtype(&super::compare::eq(&ax, &n)?, x.dtype())?;
                    let dims_i: Vec<i64> = rdims.iter().map(|&d| d as i64).collect();
                    let count = sum(&mask, Some(&dims_i), true, None)?;
                    super::binary::div(
                        &super::binary::mul(&super::unary::sign(x)?, &mask)?,
                        &count,
                    )?
                } else {
                    return Ok(vec![Some(p_norm_grad(x, &n, &g, p)?)]);
                };
                Ok(vec![Some(super::binary::mul(&g, &d)?)])
            },
        );
    }
    Ok(out)
}

/// Gradient of the p-norm for finite p other than 0, 1, 2: g x |x|^(p-2) / ‖x‖^(p-1),
/// grouped as PyTorch does so that zero entries and zero norms give 0, never 0/0 (also
/// in the second derivative).
fn p_norm_grad(x: &Tensor, n: &Tensor, g: &Tensor, p: f64) -> Result<Tensor> {
    use super::binary::{div, mul, pow};
    let zero = scalar(Scalar::Int(0));
    let ax = super::unary::abs(x)?;
    if p < 1.0 {
        let scaled = mul(
            &super::unary::sign(x)?,
            &pow(&ax, &scalar(Scalar::Float(p - 1.0)))?,
        )?;
        let scaled =
            super::index::masked_fill(&scaled, &super::compare::eq(x, &zero)?, Scalar::Float(0.0))?;
        return mul(&mul(&scaled, g)?, &pow(n, &scalar(Scalar::Float(1.0 - p)))?);
    }
    let scaled = if p < 2.0 {
        mul(
            &super::unary::sign(x)?,
            &pow(&ax, &scalar(Scalar::Float(p - 1.0)))?,
        )?
    } else {
        mul(x, &pow(&ax, &scalar(Scalar::Float(p - 2.0)))?)?
    };
    let scale = div(g, &pow(n, &scalar(Scalar::Float(p - 1.0)))?)?;
    let scale =
        super::index::masked_fill(&scale, &super::compare::eq(n, &zero)?, Scalar::Float(0.0))?;
    mul(&scaled, &scale)
}

fn nan_max(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() {
        f64::NAN
    } else {
        a.max(x)
    }
}
fn nan_min(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() {
        f64::NAN
    } else {
        a.min(x)
    }
}
