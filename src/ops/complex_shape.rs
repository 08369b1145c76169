//! Copying shape ops (`cat`, `stack`, `flip`, `roll`) on complex tensors: the same op
//! on the real views, whose trailing (re, im) dim stays last.

use super::complex::{view_as_complex, view_as_real};
use super::named_node::named_passthrough;
use crate::error::{Error, Result};
use crate::tensor::{promote_types, Tensor};

fn wrap_dim(dim: i64, ndim: usize) -> Result<i64> {
    let n = ndim.max(1) as i64;
    if dim < -n || dim >= n {
        return Err(Error::index(format!(
            "Dimension out of range (expected to be in range of [{}, {}], but got {dim})",
            -n,
            n - 1
        )));
    }
    Ok(if dim < 0 { dim + n } else { dim })
}

/// The real views of `tensors`, all promoted to their common complex dtype.
fn pair_views(tensors: &[Tensor]) -> Result<Vec<Tensor>> {
    let dtype = tensors
        .iter()
        .map(|t| t.dtype())
        .reduce(promote_types)
        .ok_or_else(|| Error::runtime("expected a non-empty list of Tensors"))?;
    tensors
        .iter()
        .map(|t| view_as_real(&super::to_dtype(t, dtype)?))
        .collect()
}

pub fn cat(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
    // legacy 1-D empty tensors take part in the dtype only: their (re, im) views are
    // 2-D, so they are dropped here rather than skipped by the real `cat`
    let legacy_empty = |t: &Tensor| t.ndim() == 1 && t.shape()[0] == 0;
    let pairs = pair_views(tensors)?;
    let kept: Vec<Tensor> = if tensors.iter().all(legacy_empty) {
        pairs
    } else {
        pairs
            .into_iter()
            .zip(tensors)
            .filter(|(_, t)| !legacy_empty(t))
            .map(|(p, _)| p)
            .collect()
    };
    let first = tensors
        .iter()
        .find(|t| !legacy_empty(t))
        .unwrap_or(&tensors[0]);
    let d = wrap_dim(dim, first.ndim())?;
    let out = super::cat(&kept, d)?;
    named_passthrough(&view_as_complex(&out)?, "CatBackward0")
}

pub fn stack(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
    let d = wrap_dim(dim, tensors[0].ndim() + 1)?;
    let out = super::stack(&pair_views(tensors)?, d)?;
    named_passthrough(&view_as_complex(&out)?, "StackBackward0")
}

pub fn flip(t: &Tensor, dims: &[i64]) -> Result<Tensor> {
    if t.ndim() == 0 {
        dims.iter().try_for_each(|&d| wrap_dim(d, 0).map(drop))?;
        return named_passthrough(&super::clone(t)?, "FlipBackward0");
    }
    let ds = dims
        .iter()
        .map(|&d| wrap_dim(d, t.ndim()))
        .collect::<Result<Vec<_>>>()?;
    let wrapped: Vec<usize> = ds.iter().map(|&d| d as usize).collect();
    if !super::shell_refusals::flip_is_row_copy(t, &wrapped) {
        // PyTorch's typed flip kernel has no complex32 case; row copies need none
        super::complex::refuse_half_kernel("flip_cpu", t.dtype())?;
    }
    let out = super::flip(&view_as_real(t)?, &ds)?;
    let out = named_passthrough(&view_as_complex(&out)?, "FlipBackward0")?;
    super::complex_layout::in_order_of(out, &[t])
}

pub fn roll(t: &Tensor, shifts: &[i64], dims: &[i64]) -> Result<Tensor> {
    let pairs = view_as_real(t)?;
    let out = if dims.is_empty() {
        // rolls the flattened tensor: flatten the complex dims only
        let flat = super::reshape(&pairs, &[-1, 2])?;
        super::reshape(
            &super::roll(&flat, shifts, &[0])?,
            &pairs.shape().iter().map(|&s| s as i64).collect::<Vec<_>>(),
        )?
    } else {
        let ds = dims
            .iter()
            .map(|&d| wrap_dim(d, t.ndim()))
            .collect::<Result<Vec<_>>>()?;
        super::roll(&pairs, shifts, &ds)?
    };
    let out = view_as_complex(&super::contiguous(&out)?)?;
    named_passthrough(&out, "RollBackward0")
}

/// `repeat` of complex `t`: the real view repeated, its (re, im) dim once.
pub fn repeat(t: &Tensor, repeats: &[i64]) -> Result<Tensor> {
    let mut reps = repeats.to_vec();
    reps.push(1);
    let out = super::repeat(&view_as_real(t)?, &reps)?;
    named_passthrough(
        &view_as_complex(&super::contiguous(&out)?)?,
        "RepeatBackward0",
    )
}

/// `tril`/`triu` of complex `t`: the same op on the real and the imaginary parts.
pub fn tri(t: &Tensor, diagonal: i64, upper: bool) -> Result<Tensor> {
    let pairs = view_as_real(t)?;
    let part = |i: i64| super::tri(&super::select(&pairs, -1, i)?, diagonal, upper);
    let out = view_as_complex(&super::stack(&[part(0)?, part(1)?], -1)?)?;
    let name = if upper {
        "TriuBackward0"
    } else {
        "TrilBackward0"
    };
    named_passthrough(&out, name)
}
