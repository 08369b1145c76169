//! The scatter family: values combined into a copy of a tensor at row-major element
//! positions. The Python layer (`_scatter.py`) turns `dim`/`index` (or a mask, or flat
//! indices) into those positions; `scatter`, `scatter_add`, `scatter_reduce`,
//! `index_add/copy/fill/reduce`, `put` and `masked_scatter` are all this one kernel, each
//! recorded under its own node name, with PyTorch's gradient rule for its reduction.

use super::cast::cast_raw;
use super::compare::eq;
use super::index::{take, where_};
use super::{reduce_grad, scalar};
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::{DType, Element, Scalar, Tensor};

/// How a value meets what is already at its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScatterReduce {
    /// The value replaces the element (`scatter`, `index_copy`, `put`, ...).
    Replace,
    Sum,
    Prod,
    Mean,
    Amax,
    Amin,
}

impl ScatterReduce {
    pub fn from_name(name: &str) -> Option<ScatterReduce> {
        Some(match name {
            "replace" => ScatterReduce::Replace,
            "sum" => ScatterReduce::Sum,
            "prod" => ScatterReduce::Prod,
            "mean" => ScatterReduce::Mean,
            "amax" => ScatterReduce::Amax,
            "amin" => ScatterReduce::Amin,
            _ => return None,
        })
    }
}

/// The positions as offsets into a row-major buffer of `n` elements.
fn checked_positions(n: usize, positions: &Tensor) -> Result<Vec<usize>> {
    if positions.dtype() != DType::I64 {
        return Err(Error::runtime(format!(
            "scatter positions must be int64, got {}",
            positions.dtype().kernel_name()
        )));
    }
    positions
        .to_vec::<i64>()
        .into_iter()
        .map(|p| {
            usize::try_from(p)
                .ok()
                .filter(|&u| u < n)
                .ok_or_else(|| Error::index(format!("index {p} is out of bounds for size {n}")))
        })
        .collect()
}

fn combine<T: Element>(reduce: ScatterReduce, a: T, b: T) -> T {
    let d = T::DTYPE;
    if d == DType::Bool {
        let (x, y) = (a.to_bool(), b.to_bool());
        return T::from_bool(match reduce {
            ScatterReduce::Sum | ScatterReduce::Mean | ScatterReduce::Amax => x || y,
            ScatterReduce::Prod | ScatterReduce::Amin => x && y,
            ScatterReduce::Replace => y,
        });
    }
    if d.is_floating() {
        let (x, y) = (a.to_f64(), b.to_f64());
        return T::from_f64(match reduce {
            ScatterReduce::Sum | ScatterReduce::Mean => x + y,
            ScatterReduce::Prod => x * y,
            // NaN wins, as in PyTorch's max/min.
            ScatterReduce::Amax if x.is_nan() || y.is_nan() => f64::NAN,
            ScatterReduce::Amin if x.is_nan() || y.is_nan() => f64::NAN,
            ScatterReduce::Amax => x.max(y),
            ScatterReduce::Amin => x.min(y),
            ScatterReduce::Replace => y,
        });
    }
    let (x, y) = (a.to_i64(), b.to_i64());
    T::from_i64(match reduce {
        ScatterReduce::Sum | ScatterReduce::Mean => x.wrapping_add(y),
        ScatterReduce::Prod => x.wrapping_mul(y),
        ScatterReduce::Amax => x.max(y),
        ScatterReduce::Amin => x.min(y),
        ScatterReduce::Replace => y,
    })
}

/// `total / count`, floored for integers (PyTorch's integer mean).
fn mean_of<T: Element>(total: T, count: usize) -> T {
    if T::DTYPE.is_floating() {
        T::from_f64(total.to_f64() / count as f64)
    } else {
        T::from_i64(total.to_i64().div_euclid(count as i64))
    }
}

/// How many values land on each of `n` positions.
fn hits(n: usize, pos: &[usize]) -> Vec<usize> {
    let mut count = vec![0usize; n];
    for &p in pos {
        count[p] += 1;
    }
    count
}

/// The forward kernel, without autograd: `values` has one element per position, or
/// exactly one element that every position receives.
pub(crate) fn scatter_raw(
    target: &Tensor,
    pos: &[usize],
    values: &Tensor,
    reduce: ScatterReduce,
    include_self: bool,
) -> Result<Tensor> {
    let dtype = target.dtype();
    if reduce == ScatterReduce::Mean && dtype == DType::Bool {
        return Err(Error::not_implemented(
            "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'",
        ));
    }
    let broadcast = values.numel() == 1 && pos.len() != 1;
    if !broadcast && values.numel() != pos.len() {
        return Err(Error::runtime(format!(
            "scatter: {} values for {} positions",
            values.numel(),
            pos.len()
        )));
    }
    let values = if values.dtype() == dtype {
        values.clone()
    } else {
        cast_raw(values, dtype)
    };
    if dtype.is_complex() {
        return super::complex_index::scatter_pairs(target, pos, &values, reduce, include_self);
    }
    crate::with_dtype!(dtype, T => {
        let mut acc: Vec<T> = target.to_vec::<T>();
        let vals: Vec<T> = values.to_vec::<T>();
        let value = |k: usize| if broadcast { vals[0] } else { vals[k] };
        if reduce == ScatterReduce::Replace {
            for (k, &p) in pos.iter().enumerate() {
                acc[p] = value(k);
            }
        } else if include_self && reduce != ScatterReduce::Mean {
            for (k, &p) in pos.iter().enumerate() {
                acc[p] = combine(reduce, acc[p], value(k));
            }
        } else {
            // Counts: the first value replaces the element (include_self=False), and
            // mean divides by them.
            let mut seen = vec![0usize; acc.len()];
            for (k, &p) in pos.iter().enumerate() {
                acc[p] = if seen[p] == 0 && !include_self {
                    value(k)
                } else {
                    combine(reduce, acc[p], value(k))
                };
                seen[p] += 1;
            }
            if reduce == ScatterReduce::Mean {
                for (a, &c) in acc.iter_mut().zip(seen.iter()) {
                    if c > 0 {
                        *a = mean_of(*a, c + usize::from(include_self));
                    }
                }
            }
        }
        Tensor::from_vec(acc, target.shape())
    })
}

/// `target` with `values` combined in at row-major `positions` (an int64 tensor), the
/// result recorded as `node`. A wrapped number in `values` gets no gradient edge.
pub fn scatter_positions(
    target: &Tensor,
    positions: &Tensor,
    values: &Tensor,
    reduce: ScatterReduce,
    include_self: bool,
    node: &'static str,
) -> Result<Tensor> {
    let pos = checked_positions(target.numel(), positions)?;
    let out = scatter_raw(target, &pos, values, reduce, include_self)?;
    let value_is_input = !values.is_wrapped_number();
    let inputs: Vec<&Tensor> = if value_is_input {
        vec![target, values]
    } else {
        vec![target]
    };
    if !needs_grad(&inputs) {
        return Ok(out);
    }
    if node == "NotImplemented" {
        record(node, &inputs, &[&out], vec![], |_| {
            Err(Error::runtime(
                "derivative for aten::scatter is not implemented",
            ))
        });
        return Ok(out);
    }
    // Only prod, amax and amin read the old values (in-place forms pass a private copy).
    let reads_target = matches!(
        reduce,
        ScatterReduce::Prod | ScatterReduce::Amax | ScatterReduce::Amin
    );
    let mut saved = smallvec::smallvec![SavedTensor::input(values)];
    if reads_target {
        saved.push(SavedTensor::input(target));
    }
    let p = positions.clone();
    let (vshape, vdtype) = (values.shape().to_vec(), values.dtype());
    record(node, &inputs, &[&out], saved, move |ctx| {
        let rule = Rule {
            positions: &p,
            pos: &pos,
            reduce,
            include_self,
        };
        let g = ctx.grad();
        let target = if reads_target { ctx.saved(1) } else { g };
        let (gs, gv) = rule.grads(g, target, ctx.saved(0))?;
        let gs = if ctx.needs(0) { Some(gs) } else { None };
        let mut grads = vec![gs];
        if value_is_input {
            grads.push(if ctx.needs(1) {
                Some(reduce_grad(&gv, &vshape, vdtype)?)
            } else {
                None
            });
        }
        Ok(grads)
    });
    Ok(out)
}

/// PyTorch's gradient formulas of `scatter_reduce` (and of the other ops, which are
/// special cases), written with ops so that they are differentiable again.
struct Rule<'a> {
    positions: &'a Tensor,
    pos: &'a [usize],
    reduce: ScatterReduce,
    include_self: bool,
}

impl Rule<'_> {
    fn gather(&self, t: &Tensor) -> Result<Tensor> {
        take(t, self.positions)
    }

    /// `t` with zeros written at the positions (the elements whose old value was lost).
    fn zero_at(&self, t: &Tensor) -> Result<Tensor> {
        scatter_positions(
            t,
            self.positions,
            &scalar(Scalar::Int(0)),
            ScatterReduce::Replace,
            true,
            "ScatterBackward1",
        )
    }

    fn again(&self, target: &Tensor, values: &Tensor) -> Result<Tensor> {
        scatter_positions(
            target,
            self.positions,
            values,
            self.reduce,
            self.include_self,
            "ScatterReduceBackward0",
        )
    }

    /// A float tensor of `shape` from per-element numbers (masks and counts: constants).
    fn constant(values: Vec<f64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
        Ok(cast_raw(&Tensor::from_vec(values, shape)?, dtype))
    }

    fn grads(&self, g: &Tensor, target: &Tensor, values: &Tensor) -> Result<(Tensor, Tensor)> {
        use super::binary::div;
        // One value for every position (a 0-dim tensor): expanded so that the per-value
        // masks of prod/amax/amin line up with the positions.
        let values_full = if values.numel() == 1 && self.pos.len() != 1 {
            let _no = GradModeGuard::new(false);
            super::view::expand(
                &super::view::reshape_to(values, &[1])?,
                &[self.pos.len() as i64],
            )?
        } else {
            values.clone()
        };
        let (gs, gv) = match self.reduce {
            ScatterReduce::Replace => (self.zero_at(g)?, self.gather(g)?),
            ScatterReduce::Sum => (g.clone(), self.gather(g)?),
            ScatterReduce::Mean => {
                let mut n: Vec<f64> = hits(target.numel(), self.pos)
                    .into_iter()
                    .map(|c| (c + usize::from(self.include_self)) as f64)
                    .collect();
                n.iter_mut().filter(|c| **c == 0.0).for_each(|c| *c = 1.0);
                let n = Self::constant(n, target.shape(), g.dtype())?;
                let gd = div(g, &n)?;
                let gv = self.gather(&gd)?;
                (gd, gv)
            }
            ScatterReduce::Amax | ScatterReduce::Amin => {
                self.extremum_grads(g, target, &values_full)?
            }
            ScatterReduce::Prod => self.prod_grads(g, target, &values_full)?,
        };
        let gs = if self.include_self {
            gs
        } else {
            self.zero_at(&gs)?
        };
        Ok((gs, gv))
    }

    /// amax/amin: the gradient is shared evenly among all elements equal to the result.
    fn extremum_grads(
        &self,
        g: &Tensor,
        target: &Tensor,
        values: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        use super::binary::{div, mul};
        let (self_is, value_is, n) = {
            let _no = GradModeGuard::new(false);
            let result = scatter_raw(target, self.pos, values, self.reduce, self.include_self)?;
            let self_is = cast_raw(&eq(target, &result)?, DType::F64);
            let value_is = cast_raw(&eq(values, &take(&result, self.positions)?)?, DType::F64);
            let mut n = self_is.to_vec::<f64>();
            for (&p, v) in self.pos.iter().zip(value_is.to_vec::<f64>()) {
                n[p] += v;
            }
            let n = Self::constant(n, target.shape(), g.dtype())?;
            (
                cast_raw(&self_is, g.dtype()),
                cast_raw(&value_is, g.dtype()),
                n,
            )
        };
        let gd = div(g, &n)?;
        let gs = mul(&self_is, &gd)?;
        let gv = mul(&value_is, &self.gather(&gd)?)?;
        Ok((gs, gv))
    }

    /// prod: `grad * result / x`, with the product of the others computed directly for
    /// an element that is the only zero at its position.
    fn prod_grads(&self, g: &Tensor, target: &Tensor, values: &Tensor) -> Result<(Tensor, Tensor)> {
        use super::binary::{div, mul};
        let one = scalar(Scalar::Int(1));
        let (self_zero, value_zero, single_zero) = {
            let _no = GradModeGuard::new(false);
            let zero = scalar(Scalar::Int(0));
            let self_zero = eq(target, &zero)?;
            let value_zero = eq(values, &zero)?;
            let vz = value_zero.to_vec::<bool>();
            let mut zeros_at = vec![0usize; target.numel()];
            for (&p, &z) in self.pos.iter().zip(vz.iter()) {
                zeros_at[p] += usize::from(z);
            }
            let single: Vec<bool> = self
                .pos
                .iter()
                .zip(vz.iter())
                .map(|(&p, &z)| z && zeros_at[p] == 1)
                .collect();
            (
                self_zero,
                value_zero,
                Tensor::from_vec(single, values.shape())?,
            )
        };
        let masked_self = where_(&self_zero, &one, target)?;
        let masked_self_result = self.again(&masked_self, values)?;
        let gs = div(&mul(g, &masked_self_result)?, &masked_self)?;
        let masked_values = where_(&single_zero, &one, values)?;
        let masked_values_result = self.again(target, &masked_values)?;
        let result = self.again(target, values)?;
        let others = self.gather(&mul(g, &masked_values_result)?)?;
        let ratio = div(
            &self.gather(&mul(g, &result)?)?,
            &where_(&value_zero, &one, values)?,
        )?;
        Ok((gs, where_(&single_zero, &others, &ratio)?))
    }
}

/// Elements of `t` at row-major `positions`, recorded as `node` (`TakeBackward0`).
pub fn take_positions(t: &Tensor, positions: &Tensor, node: &'static str) -> Result<Tensor> {
    super::index::take_named(t, positions, node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(v: Vec<i64>) -> Tensor {
        let n = v.len();
        Tensor::from_vec(v, &[n]).unwrap()
    }

    #[test]
    fn sums_repeated_positions() {
        let t = Tensor::from_vec(vec![1.0f64, 2.0, 3.0], &[3]).unwrap();
        let v = Tensor::from_vec(vec![10.0f64, 20.0, 30.0], &[3]).unwrap();
        let out = scatter_positions(
            &t,
            &positions(vec![0, 0, 2]),
            &v,
            ScatterReduce::Sum,
            true,
            "ScatterAddBackward0",
        )
        .unwrap();
        assert_eq!(out.to_vec::<f64>(), vec![31.0, 2.0, 33.0]);
    }

    #[test]
    fn integer_mean_floors() {
        let t = Tensor::from_vec(vec![-5i64, 3], &[2]).unwrap();
        let v = Tensor::from_vec(vec![0i64, 0], &[2]).unwrap();
        let out = scatter_positions(
            &t,
            &positions(vec![0, 0]),
            &v,
            ScatterReduce::Mean,
            true,
            "ScatterReduceBackward0",
        )
        .unwrap();
        assert_eq!(out.to_vec::<i64>(), vec![-2, 3]);
    }

    #[test]
    fn rejects_positions_past_the_end() {
        let t = Tensor::zeros(&[2], DType::F32).unwrap();
        let v = Tensor::zeros(&[1], DType::F32).unwrap();
        let r = scatter_positions(
            &t,
            &positions(vec![2]),
            &v,
            ScatterReduce::Replace,
            true,
            "ScatterBackward0",
        );
        assert!(r.is_err());
    }
}
