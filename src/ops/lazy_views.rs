//! The views that carry PyTorch's lazy bits (see `tensor::lazy_bits`): `conj()`
//! (`ConjBackward0`) and `_neg_view()` (`NegViewBackward0`), and the resolved copy that
//! stands for such a view when an op reads it.

use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::tensor::lazy_bits::{CONJ, NEG};
use crate::tensor::{DType, Tensor};

/// A view of `t` with the lazy `bit` flipped.
fn flipped_view(t: &Tensor, bit: u8) -> Tensor {
    t.view_of(t.layout().clone())
        .with_lazy_bits(t.lazy_bits() ^ bit)
}

/// `t.conj()`: a view with the conjugate bit flipped for a complex tensor, `t` itself
/// for any other.
pub fn conj(t: &Tensor) -> Result<Tensor> {
    if !t.dtype().is_complex() {
        return Ok(t.clone());
    }
    let out = flipped_view(t, CONJ);
    if needs_grad(&[t]) {
        record("ConjBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(through_bits(ctx.grad(), CONJ)?)])
        });
    }
    Ok(out)
}

/// `torch._neg_view(t)`: a view with the negative bit flipped.
pub fn neg_view(t: &Tensor) -> Result<Tensor> {
    if t.dtype() == DType::Bool {
        return Err(Error::runtime(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
        ));
    }
    let out = flipped_view(t, NEG);
    if needs_grad(&[t]) {
        record("NegViewBackward0", &[t], &[&out], vec![], |ctx| {
            Ok(vec![Some(through_bits(ctx.grad(), NEG)?)])
        });
    }
    Ok(out)
}

/// `g` conjugated and/or negated as `bits` say (with autograd): the gradient of what a
/// view with `bits` stores, from the gradient of its values, and the other way round.
pub fn through_bits(g: &Tensor, bits: u8) -> Result<Tensor> {
    let mut g = g.clone();
    if bits & CONJ != 0 && g.dtype().is_complex() {
        g = super::complex_math::conj_physical(&g, "ConjPhysicalBackward0")?;
    }
    if bits & NEG != 0 {
        g = super::neg(&g)?;
    }
    Ok(g)
}

/// `t`'s values (bits applied) as a fresh tensor that stands for `t` in autograd (its
/// grad_fn, grad and requires_grad are `t`'s), with a version counter of its own; `t`
/// itself when it has no bits.
pub fn resolved(t: &Tensor) -> Tensor {
    if t.lazy_bits() == 0 {
        return t.clone();
    }
    t.sync_view_history();
    super::cast::cast_raw(t, t.dtype()).with_meta_of(t)
}

/// `resolve_conj()` / `resolve_neg()`: `t` itself when it has none of `bits`, else a
/// new tensor holding its values (`CloneBackward0`).
pub fn resolve(t: &Tensor, bits: u8) -> Result<Tensor> {
    if t.lazy_bits() & bits == 0 {
        return Ok(t.clone());
    }
    super::clone(&resolved(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::complex::{from_pairs, real_view_raw};
    use crate::tensor::Buffer;

    #[test]
    fn conj_view_shares_storage_and_reads_conjugated() {
        let z = from_pairs(Buffer::F32(vec![1.0, 2.0]), &[1], DType::C64).unwrap();
        let c = conj(&z).unwrap();
        assert!(c.is_conj() && c.shares_storage(&z));
        assert!(!conj(&c).unwrap().is_conj());
        let r = resolved(&c);
        assert!(!r.is_conj());
        assert_eq!(real_view_raw(&r).to_vec::<f32>(), vec![1.0, -2.0]);
    }
}
