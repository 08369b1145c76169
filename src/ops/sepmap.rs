//! Separable spatial maps: along each of the last (up to three) axes, every output
//! position reads a few input positions with weights, and the sum is divided by a
//! per-output divisor. Average pooling (windows of weight 1, divisor = window size),
//! padding by reflection or replication (one tap of weight 1) and interpolation (two or
//! four weighted taps) are all such maps, so one forward kernel and its transpose (the
//! backward, whose own backward is the forward again) serve all of them.
//!
//! Max pooling reads the same windows but keeps the largest tap and its flat index in
//! the input plane; its backward scatters by those indices (`scatter_add_planes`), whose
//! backward in turn gathers (`gather_planes`).

use super::float::Float;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::{DType, Element, Tensor};
use std::sync::Arc;

/// One spatial axis of a map.
#[derive(Clone, Debug)]
pub struct Axis {
    pub in_len: usize,
    /// Output `o` reads `index[starts[o]..starts[o + 1]]` with the matching weights.
    starts: Vec<usize>,
    index: Vec<usize>,
    weight: Vec<f64>,
    /// This axis's factor of each output's divisor (1 unless pooling averages).
    divisor: Vec<f64>,
    /// Where each output's window begins: the index max pooling reports when no tap
    /// beats -inf (PyTorch reports it even for a window wholly in the padding).
    origin: Vec<usize>,
}

impl Axis {
    pub fn new(in_len: usize) -> Axis {
        Axis {
            in_len,
            starts: vec![0],
            index: vec![],
            weight: vec![],
            divisor: vec![],
            origin: vec![],
        }
    }

    /// Appends the next output position (taps must lie inside `0..in_len`).
    pub fn push(&mut self, taps: impl IntoIterator<Item = (usize, f64)>, divisor: f64) {
        let first = self.index.len();
        for (i, w) in taps {
            debug_assert!(i < self.in_len);
            self.index.push(i);
            self.weight.push(w);
        }
        self.starts.push(self.index.len());
        self.divisor.push(divisor);
        self.origin
            .push(self.index.get(first).copied().unwrap_or(0));
    }

    /// A window `lo, lo + step, ...` below `hi`, all of weight 1.
    pub fn push_window(&mut self, lo: usize, hi: usize, step: usize, divisor: f64) {
        self.push((lo..hi).step_by(step.max(1)).map(|i| (i, 1.0)), divisor);
        if let Some(o) = self.origin.last_mut() {
            *o = lo;
        }
    }

    pub fn out_len(&self) -> usize {
        self.divisor.len()
    }

    fn trivial() -> Axis {
        let mut a = Axis::new(1);
        a.push([(0, 1.0)], 1.0);
        a
    }

    #[inline(always)]
    fn taps(&self, o: usize) -> std::ops::Range<usize> {
        self.starts[o]..self.starts[o + 1]
    }
}

/// A map over the last `spatial` axes of a tensor (the leading axes are planes).
#[derive(Debug)]
pub struct SepMap {
    axes: [Axis; 3],
    spatial: usize,
    divisor_override: Option<f64>,
}

impl SepMap {
    pub fn new(axes: Vec<Axis>, divisor_override: Option<f64>) -> Arc<SepMap> {
        let spatial = axes.len();
        assert!((1..=3).contains(&spatial), "1 to 3 spatial axes");
        let mut full: Vec<Axis> = (spatial..3).map(|_| Axis::trivial()).collect();
        full.extend(axes);
        let [a, b, c]: [Axis; 3] = full.try_into().expect("three axes");
        Arc::new(SepMap {
            axes: [a, b, c],
            spatial,
            divisor_override,
        })
    }

    pub fn in_shape(&self) -> Vec<usize> {
        self.axes[3 - self.spatial..]
            .iter()
            .map(|a| a.in_len)
            .collect()
    }

    pub fn out_shape(&self) -> Vec<usize> {
        self.axes[3 - self.spatial..]
            .iter()
            .map(|a| a.out_len())
            .collect()
    }

    fn in_numel(&self) -> usize {
        self.axes.iter().map(|a| a.in_len).product()
    }

    fn out_numel(&self) -> usize {
        self.axes.iter().map(|a| a.out_len()).product()
    }

    #[inline(always)]
    fn divisor(&self, o: [usize; 3]) -> f64 {
        self.divisor_override.unwrap_or_else(|| {
            self.axes[0].divisor[o[0]] * self.axes[1].divisor[o[1]] * self.axes[2].divisor[o[2]]
        })
    }
}

/// The node names of an op and of its backward (whose backward is the op again).
#[derive(Clone, Copy, Debug)]
pub struct Names {
    pub forward: &'static str,
    pub backward: &'static str,
}

impl Names {
    fn swapped(self) -> Names {
        Names {
            forward: self.backward,
            backward: self.forward,
        }
    }
}

/// Refuses dtypes other than float32 and float64 with PyTorch's wording.
pub fn check_float(t: &Tensor, op: &str) -> Result<()> {
    match t.dtype() {
        DType::F32 | DType::F64 => Ok(()),
        d => Err(Error::not_implemented(format!(
            "\"{op}\" not implemented for '{}'",
            d.kernel_name()
        ))),
    }
}

/// Runs `f` on the elements of `t` in row-major order, without a copy when contiguous.
pub(crate) fn with_elements<T: Element, R>(t: &Tensor, f: impl FnOnce(&[T]) -> R) -> R {
    if t.numel() == 0 {
        return f(&[]); // an empty view's offset may lie past its (empty) storage
    }
    if t.is_contiguous() {
        let guard = t.storage().read();
        let off = t.storage_offset();
        f(&T::slice(&guard)[off..off + t.numel()])
    } else {
        f(&t.to_vec::<T>())
    }
}

/// Leading (plane) dims of `t` when its last `spatial` dims are `expect`.
fn planes_of(t: &Tensor, spatial: usize, expect: &[usize]) -> Result<Vec<usize>> {
    let nd = t.ndim();
    if nd < spatial || &t.shape()[nd - spatial..] != expect {
        return Err(Error::runtime(format!(
            "internal: spatial shape {:?} where {:?} was expected",
            t.shape(),
            expect
        )));
    }
    Ok(t.shape()[..nd - spatial].to_vec())
}

fn joined(lead: &[usize], spatial: &[usize]) -> Vec<usize> {
    let mut s = lead.to_vec();
    s.extend_from_slice(spatial);
    s
}

fn weights<T: Float>(a: &Axis) -> Vec<T> {
    a.weight.iter().map(|&w| T::from_f64(w)).collect()
}

/// The taps of output `o` along `a`: input positions and their weights.
#[inline(always)]
fn taps_of<'a, T>(a: &'a Axis, w: &'a [T], o: usize) -> (&'a [usize], &'a [T]) {
    let r = a.taps(o);
    (&a.index[r.clone()], &w[r])
}

fn forward_kernel<T: Float>(x: &[T], planes: usize, map: &SepMap) -> Vec<T> {
    let [a0, a1, a2] = &map.axes;
    let (w0, w1, w2) = (weights::<T>(a0), weights::<T>(a1), weights::<T>(a2));
    let (l1, l2) = (a1.in_len, a2.in_len);
    let (in_n, out_n) = (map.in_numel(), map.out_numel());
    let mut out = Vec::with_capacity(planes * out_n);
    for p in 0..planes {
        let plane = &x[p * in_n..(p + 1) * in_n];
        for o0 in 0..a0.out_len() {
            let (i0s, w0s) = taps_of(a0, &w0, o0);
            for o1 in 0..a1.out_len() {
                let (i1s, w1s) = taps_of(a1, &w1, o1);
                for o2 in 0..a2.out_len() {
                    let (i2s, w2s) = taps_of(a2, &w2, o2);
                    let mut acc0 = T::zero();
                    for (&i0, &wa) in i0s.iter().zip(w0s) {
                        let mut acc1 = T::zero();
                        for (&i1, &wb) in i1s.iter().zip(w1s) {
                            let base = (i0 * l1 + i1) * l2;
                            let row = &plane[base..base + l2];
                            let mut acc2 = T::zero();
                            for (&i2, &wc) in i2s.iter().zip(w2s) {
                                acc2 = acc2 + wc * row[i2];
                            }
                            acc1 = acc1 + wb * acc2;
                        }
                        acc0 = acc0 + wa * acc1;
                    }
                    out.push(acc0 / T::from_f64(map.divisor([o0, o1, o2])));
                }
            }
        }
    }
    out
}

fn transpose_kernel<T: Float>(g: &[T], planes: usize, map: &SepMap) -> Vec<T> {
    let [a0, a1, a2] = &map.axes;
    let (w0, w1, w2) = (weights::<T>(a0), weights::<T>(a1), weights::<T>(a2));
    let (l1, l2) = (a1.in_len, a2.in_len);
    let (in_n, out_n) = (map.in_numel(), map.out_numel());
    let mut out = vec![T::zero(); planes * in_n];
    for p in 0..planes {
        let plane = &mut out[p * in_n..(p + 1) * in_n];
        let mut k = p * out_n;
        for o0 in 0..a0.out_len() {
            let (i0s, w0s) = taps_of(a0, &w0, o0);
            for o1 in 0..a1.out_len() {
                let (i1s, w1s) = taps_of(a1, &w1, o1);
                for o2 in 0..a2.out_len() {
                    let (i2s, w2s) = taps_of(a2, &w2, o2);
                    let s = g[k] / T::from_f64(map.divisor([o0, o1, o2]));
                    k += 1;
                    for (&i0, &wa) in i0s.iter().zip(w0s) {
                        let s0 = s * wa;
                        for (&i1, &wb) in i1s.iter().zip(w1s) {
                            let s1 = s0 * wb;
                            let base = (i0 * l1 + i1) * l2;
                            let row = &mut plane[base..base + l2];
                            for (&i2, &wc) in i2s.iter().zip(w2s) {
                                row[i2] = row[i2] + s1 * wc;
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Applies `map` to the last axes of `x` (node `names.forward`).
pub fn apply_map(x: &Tensor, map: &Arc<SepMap>, names: Names) -> Result<Tensor> {
    apply_map_saving(x, map, names, false)
}

/// `apply_map` for an average pool, whose PyTorch node saves its input (`_saved_self`)
/// although its backward does not read it.
pub fn apply_pool_map(x: &Tensor, map: &Arc<SepMap>, names: Names) -> Result<Tensor> {
    apply_map_saving(x, map, names, true)
}

fn apply_map_saving(
    x: &Tensor,
    map: &Arc<SepMap>,
    names: Names,
    save_input: bool,
) -> Result<Tensor> {
    let lead = planes_of(x, map.spatial, &map.in_shape())?;
    let planes: usize = lead.iter().product();
    let shape = joined(&lead, &map.out_shape());
    let out = match x.dtype() {
        DType::F32 => Tensor::from_vec(
            with_elements::<f32, _>(x, |v| forward_kernel(v, planes, map)),
            &shape,
        )?,
        DType::F64 => Tensor::from_vec(
            with_elements::<f64, _>(x, |v| forward_kernel(v, planes, map)),
            &shape,
        )?,
        _ => return Err(check_float(x, names.forward).unwrap_err()),
    };
    if needs_grad(&[x]) {
        let map = map.clone();
        let saved = if save_input {
            vec![SavedTensor::input(x)]
        } else {
            vec![]
        };
        record(names.forward, &[x], &[&out], saved, move |ctx| {
            let g = ctx.grad();
            if save_input && needs_grad(&[g, ctx.saved(0)]) {
                let value = {
                    let _no = GradModeGuard::new(false);
                    apply_transpose(g, &map, names.swapped())?
                };
                let map = map.clone();
                record_with_input_edge(names.backward, g, ctx.saved(0), &value, move |gg| {
                    apply_map(gg, &map, names)
                });
                return Ok(vec![Some(value)]);
            }
            Ok(vec![Some(apply_transpose(g, &map, names.swapped())?)])
        });
    }
    Ok(out)
}

/// The transpose of `map` (the backward of `apply_map`; node `names.forward`).
pub fn apply_transpose(g: &Tensor, map: &Arc<SepMap>, names: Names) -> Result<Tensor> {
    let lead = planes_of(g, map.spatial, &map.out_shape())?;
    let planes: usize = lead.iter().product();
    let shape = joined(&lead, &map.in_shape());
    let out = match g.dtype() {
        DType::F32 => Tensor::from_vec(
            with_elements::<f32, _>(g, |v| transpose_kernel(v, planes, map)),
            &shape,
        )?,
        DType::F64 => Tensor::from_vec(
            with_elements::<f64, _>(g, |v| transpose_kernel(v, planes, map)),
            &shape,
        )?,
        _ => return Err(check_float(g, names.forward).unwrap_err()),
    };
    if needs_grad(&[g]) {
        let map = map.clone();
        record(names.forward, &[g], &[&out], vec![], move |ctx| {
            Ok(vec![Some(apply_map(ctx.grad(), &map, names.swapped())?)])
        });
    }
    Ok(out)
}

fn max_kernel<T: Float>(x: &[T], planes: usize, map: &SepMap) -> (Vec<T>, Vec<i64>) {
    let [a0, a1, a2] = &map.axes;
    let (l1, l2) = (a1.in_len, a2.in_len);
    let in_n = map.in_numel();
    let n = planes * map.out_numel();
    let (mut out, mut idx) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let neg_inf = T::from_f64(f64::NEG_INFINITY);
    for p in 0..planes {
        let plane = &x[p * in_n..(p + 1) * in_n];
        for o0 in 0..a0.out_len() {
            let r0 = &a0.index[a0.taps(o0)];
            for o1 in 0..a1.out_len() {
                let r1 = &a1.index[a1.taps(o1)];
                for o2 in 0..a2.out_len() {
                    let r2 = &a2.index[a2.taps(o2)];
                    // PyTorch starts from the window's first position.
                    let mut best_i = (a0.origin[o0] * l1 + a1.origin[o1]) * l2 + a2.origin[o2];
                    let mut best = neg_inf;
                    for &i0 in r0 {
                        for &i1 in r1 {
                            let base = (i0 * l1 + i1) * l2;
                            let row = &plane[base..base + l2];
                            for &i2 in r2 {
                                let v = row[i2];
                                // PyTorch's rule: a NaN always takes the place.
                                if v > best || v.is_nan() {
                                    best = v;
                                    best_i = base + i2;
                                }
                            }
                        }
                    }
                    out.push(best);
                    idx.push(best_i as i64);
                }
            }
        }
    }
    (out, idx)
}

/// The largest tap of each output window and its flat index in the input plane
/// (node `names.forward`, whose backward scatters by the indices).
pub fn max_by_map(x: &Tensor, map: &Arc<SepMap>, names: Names) -> Result<(Tensor, Tensor)> {
    let in_shape = map.in_shape();
    let lead = planes_of(x, map.spatial, &in_shape)?;
    let planes: usize = lead.iter().product();
    let shape = joined(&lead, &map.out_shape());
    let (out, idx) = match x.dtype() {
        DType::F32 => {
            let (o, i) = with_elements::<f32, _>(x, |v| max_kernel(v, planes, map));
            (Tensor::from_vec(o, &shape)?, Tensor::from_vec(i, &shape)?)
        }
        DType::F64 => {
            let (o, i) = with_elements::<f64, _>(x, |v| max_kernel(v, planes, map));
            (Tensor::from_vec(o, &shape)?, Tensor::from_vec(i, &shape)?)
        }
        _ => return Err(check_float(x, names.forward).unwrap_err()),
    };
    if needs_grad(&[x]) {
        record_scatter_back(x, &out, &idx, in_shape, names);
    }
    Ok((out, idx))
}

/// The taps of `x` at flat plane indices `idx` (a max pool whose windows were chosen
/// elsewhere, as the fractional max pools'), with the max pool's node `names.forward`.
pub fn take_planes(x: &Tensor, idx: &Tensor, spatial: usize, names: Names) -> Result<Tensor> {
    let nd = x.ndim();
    if nd < spatial || idx.ndim() != nd || idx.shape()[..nd - spatial] != x.shape()[..nd - spatial]
    {
        return Err(Error::runtime(format!(
            "internal: indices of shape {:?} for input {:?}",
            idx.shape(),
            x.shape()
        )));
    }
    let plane_n: usize = x.shape()[nd - spatial..].iter().product();
    if idx
        .to_vec::<i64>()
        .iter()
        .any(|&i| i < 0 || i as usize >= plane_n)
    {
        return Err(Error::runtime("internal: index out of the input plane"));
    }
    let out = gather_planes(&x.detached(), idx, spatial, names)?;
    if needs_grad(&[x]) {
        let in_shape = x.shape()[nd - spatial..].to_vec();
        record_scatter_back(x, &out, idx, in_shape, names);
    }
    Ok(out)
}

/// A max pool's node: the gradient scatters back by the indices; under create_graph the
/// result is itself recorded as PyTorch's (`names.backward` over grad and the input).
fn record_scatter_back(x: &Tensor, out: &Tensor, idx: &Tensor, in_shape: Vec<usize>, names: Names) {
    record(
        names.forward,
        &[x],
        &[out],
        // PyTorch's node saves the input (`_saved_self`) and the indices (`_saved_result1`)
        smallvec::smallvec![SavedTensor::input(x), SavedTensor::input(idx)],
        move |ctx| {
            let (g, x, idx) = (ctx.grad(), ctx.saved(0), ctx.saved(1));
            if !needs_grad(&[g, x]) {
                let value = scatter_add_planes(g, idx, &in_shape, names.swapped())?;
                return Ok(vec![Some(value)]);
            }
            let value = {
                let _no = GradModeGuard::new(false);
                scatter_add_planes(g, idx, &in_shape, names.swapped())?
            };
            let (idx, k) = (idx.clone(), in_shape.len());
            record_with_input_edge(names.backward, g, x, &value, move |gg| {
                gather_planes(gg, &idx, k, names)
            });
            Ok(vec![Some(value)])
        },
    );
}

/// A pool's backward `value` while it is itself being recorded, as PyTorch records it:
/// one node `name` over (grad, the pool's input). The input's edge carries a zero
/// gradient (the backward is linear in grad, piecewise constant in the input) but makes
/// the result require grad whenever the input does; `of_grad` maps the incoming gradient
/// to grad's.
fn record_with_input_edge(
    name: &'static str,
    grad: &Tensor,
    x: &Tensor,
    value: &Tensor,
    of_grad: impl Fn(&Tensor) -> Result<Tensor> + Send + Sync + 'static,
) {
    let saved = vec![SavedTensor::input(x)];
    record(name, &[grad, x], &[value], saved, move |ctx| {
        let d_grad = if ctx.needs(0) {
            Some(of_grad(ctx.grad())?)
        } else {
            None
        };
        let d_x = if ctx.needs(1) {
            Some(crate::ops::creation::zeros_like(ctx.saved(0))?)
        } else {
            None
        };
        Ok(vec![d_grad, d_x])
    });
}

/// How a scatter combines a value with what its target already holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Combine {
    Add,
    Set,
}

fn scatter_kernel<T: Float>(
    src: &[T],
    idx: &[i64],
    planes: usize,
    in_n: usize,
    out_spatial: &[usize],
    how: Combine,
) -> Result<Vec<T>> {
    let out_n: usize = out_spatial.iter().product();
    let mut out = vec![T::zero(); planes * out_n];
    for p in 0..planes {
        let dst = &mut out[p * out_n..(p + 1) * out_n];
        for k in p * in_n..(p + 1) * in_n {
            let i = idx[k];
            if i < 0 || i as usize >= out_n {
                if how == Combine::Add {
                    // An index of a window wholly in the padding: it holds no input.
                    continue;
                }
                return Err(invalid_index(i, out_spatial));
            }
            let e = &mut dst[i as usize];
            *e = if how == Combine::Add {
                *e + src[k]
            } else {
                src[k]
            };
        }
    }
    Ok(out)
}

fn gather_kernel<T: Float>(
    src: &[T],
    idx: &[i64],
    planes: usize,
    src_n: usize,
    out_n: usize,
) -> Vec<T> {
    let mut out = Vec::with_capacity(planes * out_n);
    for p in 0..planes {
        let plane = &src[p * src_n..(p + 1) * src_n];
        for &i in &idx[p * out_n..(p + 1) * out_n] {
            // Indices outside the plane (windows wholly in the padding) read zero.
            out.push(plane.get(i as usize).copied().unwrap_or(T::zero()));
        }
    }
    out
}

fn invalid_index(i: i64, spatial: &[usize]) -> Error {
    let sizes: Vec<String> = spatial.iter().map(|d| d.to_string()).collect();
    Error::runtime(format!(
        "Found an invalid max index: {i} (output volumes are of size {})",
        sizes.join("x")
    ))
}

fn scatter_planes(
    src: &Tensor,
    idx: &Tensor,
    out_spatial: &[usize],
    names: Names,
    how: Combine,
) -> Result<Tensor> {
    if idx.dtype() != DType::I64 {
        return Err(Error::runtime(format!(
            "elements in indices should be type int64 but got: {}",
            idx.dtype().kernel_name()
        )));
    }
    if idx.shape() != src.shape() {
        return Err(Error::runtime(format!(
            "Expected shape of indices to be same as that of the input tensor ({}) but got indices tensor with shape: {}",
            crate::tensor::layout::format_shape(src.shape()),
            crate::tensor::layout::format_shape(idx.shape())
        )));
    }
    let k = out_spatial.len();
    let lead = src.shape()[..src.ndim() - k].to_vec();
    let planes: usize = lead.iter().product();
    let in_n: usize = src.shape()[src.ndim() - k..].iter().product();
    let shape = joined(&lead, out_spatial);
    let ids = idx.to_vec::<i64>();
    let out = match src.dtype() {
        DType::F32 => Tensor::from_vec(
            with_elements::<f32, _>(src, |v| {
                scatter_kernel(v, &ids, planes, in_n, out_spatial, how)
            })?,
            &shape,
        )?,
        DType::F64 => Tensor::from_vec(
            with_elements::<f64, _>(src, |v| {
                scatter_kernel(v, &ids, planes, in_n, out_spatial, how)
            })?,
            &shape,
        )?,
        _ => return Err(check_float(src, names.forward).unwrap_err()),
    };
    if needs_grad(&[src]) {
        record(
            names.forward,
            &[src],
            &[&out],
            smallvec::smallvec![SavedTensor::input(idx)],
            move |ctx| {
                Ok(vec![Some(gather_planes(
                    ctx.grad(),
                    ctx.saved(0),
                    k,
                    names.swapped(),
                )?)])
            },
        );
    }
    Ok(out)
}

/// `out[p, idx[p, i]] += src[p, i]` into zeros whose last dims are `out_spatial`.
pub fn scatter_add_planes(
    src: &Tensor,
    idx: &Tensor,
    out_spatial: &[usize],
    names: Names,
) -> Result<Tensor> {
    scatter_planes(src, idx, out_spatial, names, Combine::Add)
}

/// `out[p, idx[p, i]] = src[p, i]` into zeros (max_unpool).
pub fn scatter_set_planes(
    src: &Tensor,
    idx: &Tensor,
    out_spatial: &[usize],
    names: Names,
) -> Result<Tensor> {
    scatter_planes(src, idx, out_spatial, names, Combine::Set)
}

/// `out[p, i] = src[p, idx[p, i]]` over the last `spatial` dims.
pub fn gather_planes(src: &Tensor, idx: &Tensor, spatial: usize, names: Names) -> Result<Tensor> {
    let nd = src.ndim();
    let lead = src.shape()[..nd - spatial].to_vec();
    let src_spatial = src.shape()[nd - spatial..].to_vec();
    let planes: usize = lead.iter().product();
    let src_n: usize = src_spatial.iter().product();
    let out_n: usize = idx.shape()[idx.ndim() - spatial..].iter().product();
    let shape = idx.shape().to_vec();
    let ids = idx.to_vec::<i64>();
    let out = match src.dtype() {
        DType::F32 => Tensor::from_vec(
            with_elements::<f32, _>(src, |v| gather_kernel(v, &ids, planes, src_n, out_n)),
            &shape,
        )?,
        DType::F64 => Tensor::from_vec(
            with_elements::<f64, _>(src, |v| gather_kernel(v, &ids, planes, src_n, out_n)),
            &shape,
        )?,
        _ => return Err(check_float(src, names.forward).unwrap_err()),
    };
    if needs_grad(&[src]) {
        record(
            names.forward,
            &[src],
            &[&out],
            smallvec::smallvec![SavedTensor::input(idx)],
            move |ctx| {
                Ok(vec![Some(scatter_add_planes(
                    ctx.grad(),
                    ctx.saved(0),
                    &src_spatial,
                    names.swapped(),
                )?)])
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window_axis(in_len: usize, k: usize) -> Axis {
        let mut a = Axis::new(in_len);
        for o in 0..in_len / k {
            a.push_window(o * k, o * k + k, 1, k as f64);
        }
        a
    }

    #[test]
    fn averages_two_by_two_windows() {
        let x =
            Tensor::from_vec((0..16).map(|v| v as f32).collect::<Vec<_>>(), &[1, 4, 4]).unwrap();
        let map = SepMap::new(vec![window_axis(4, 2), window_axis(4, 2)], None);
        let names = Names {
            forward: "A",
            backward: "B",
        };
        let y = apply_map(&x, &map, names).unwrap();
        assert_eq!(y.shape(), &[1, 2, 2]);
        assert_eq!(y.to_vec::<f32>(), vec![2.5, 4.5, 10.5, 12.5]);
        let g = apply_transpose(
            &Tensor::from_vec(vec![4.0f32; 4], &[1, 2, 2]).unwrap(),
            &map,
            names,
        )
        .unwrap();
        assert_eq!(g.to_vec::<f32>(), vec![1.0; 16]);
        let (m, i) = max_by_map(&x, &map, names).unwrap();
        assert_eq!(m.to_vec::<f32>(), vec![5.0, 7.0, 13.0, 15.0]);
        assert_eq!(i.to_vec::<i64>(), vec![5, 7, 13, 15]);
    }
}
