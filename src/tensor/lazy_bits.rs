//! PyTorch's conjugate and negative bits: `x.conj()` of a complex tensor and
//! `torch._neg_view(x)` are views of `x`'s storage whose values are the stored ones
//! conjugated (`CONJ`) or negated (`NEG`). Both are involutions, so a write through such
//! a view stores the written values with the same bits applied.
//!
//! Only views carry bits; reads resolve them: the Python boundary hands ops a resolved
//! copy (`resolved`), and the raw readers here (`cast_raw`, `copy_raw`, `to_vec`) apply
//! the bits themselves, so a kernel never sees a tensor with bits set.

use super::{Buffer, DType, Tensor};
use crate::with_buffer;

pub const CONJ: u8 = 1;
pub const NEG: u8 = 2;

impl Tensor {
    /// The lazy bits (`CONJ`, `NEG`); 0 for a tensor whose values are its storage's.
    #[inline]
    pub fn lazy_bits(&self) -> u8 {
        self.0.lazy
    }

    /// Whether the values are the storage's conjugated (`Tensor.is_conj()`).
    pub fn is_conj(&self) -> bool {
        self.0.lazy & CONJ != 0
    }

    /// Whether the values are the storage's negated (`Tensor.is_neg()`).
    pub fn is_neg(&self) -> bool {
        self.0.lazy & NEG != 0
    }

    /// This tensor, just made (no other handle on it), with lazy `bits`.
    pub(crate) fn with_lazy_bits(mut self, bits: u8) -> Tensor {
        std::sync::Arc::get_mut(&mut self.0)
            .expect("a tensor just made has one handle")
            .lazy = bits;
        self
    }

    /// The same storage, layout and version counter read without the bits: what is
    /// stored (no autograd).
    pub fn stored(&self) -> Tensor {
        self.alias_with(self.layout().clone(), 0)
    }
}

/// `t`'s values (bits applied) as a fresh tensor of `dtype` laid out as `cast` lays it
/// out, without autograd. `cast` makes a fresh tensor from bit-free input.
pub fn resolve_with(
    t: &Tensor,
    dtype: DType,
    cast: impl FnOnce(&Tensor, DType) -> Tensor,
) -> Tensor {
    let bits = t.lazy_bits();
    let out = cast(&t.stored(), dtype);
    apply_in_place(&out, effective_bits(bits, dtype));
    out
}

/// The bits that still change values of `dtype`: conjugating a real value does nothing.
fn effective_bits(bits: u8, dtype: DType) -> u8 {
    if dtype.is_complex() {
        bits
    } else {
        bits & NEG
    }
}

/// Conjugates and/or negates the values of `t`, a fresh tensor no one else holds,
/// in its own buffer.
fn apply_in_place(t: &Tensor, bits: u8) {
    if bits == 0 {
        return;
    }
    let mut buf = t.storage().write();
    // a complex tensor's buffer holds (re, im) pairs: conjugation negates every second
    let (start, step) = match (bits & CONJ != 0, bits & NEG != 0) {
        (true, true) => (0, 2),
        (true, false) => (1, 2),
        _ => (0, 1),
    };
    negate_every(&mut buf, start, step);
}

fn negate_every(buf: &mut Buffer, start: usize, step: usize) {
    with_buffer!(buf, v, T => {
        for x in v.as_mut_slice().iter_mut().skip(start).step_by(step) {
            *x = negated(*x);
        }
    });
}

fn negated<T: super::Element>(x: T) -> T {
    if T::DTYPE.is_floating() || T::DTYPE.is_complex() {
        T::from_f64(-x.to_f64())
    } else if T::DTYPE == DType::Bool {
        x
    } else {
        T::from_i64(x.to_i64().wrapping_neg())
    }
}

/// `values` (bit-free) as they must be stored under a tensor with `bits`: the bits
/// applied once more (a fresh tensor, or `values` itself when nothing changes).
pub fn stored_form(values: &Tensor, bits: u8) -> Tensor {
    let bits = effective_bits(bits, values.dtype());
    if bits == 0 {
        return values.clone();
    }
    let out = crate::ops::cast::cast_raw(values, values.dtype());
    apply_in_place(&out, bits);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::complex::{from_pairs, real_view_raw};

    #[test]
    fn conjugate_bit_negates_imaginary_parts_when_read() {
        let z = from_pairs(Buffer::F64(vec![1.0, 2.0, 3.0, -4.0]), &[2], DType::C128).unwrap();
        let c = z.alias_with(z.layout().clone(), CONJ);
        let values = crate::ops::cast::cast_raw(&c, DType::C128);
        assert_eq!(
            real_view_raw(&values).to_vec::<f64>(),
            vec![1.0, -2.0, 3.0, 4.0]
        );
        let both = z.alias_with(z.layout().clone(), CONJ | NEG);
        let values = crate::ops::cast::cast_raw(&both, DType::C128);
        assert_eq!(
            real_view_raw(&values).to_vec::<f64>(),
            vec![-1.0, 2.0, -3.0, -4.0]
        );
    }

    #[test]
    fn negative_bit_reads_and_writes_negated_values() {
        let x = Tensor::from_vec(vec![1i64, -2], &[2]).unwrap();
        let n = x.alias_with(x.layout().clone(), NEG);
        assert_eq!(n.to_vec::<i64>(), vec![-1, 2]);
        let src = Tensor::from_vec(vec![5i64, 6], &[2]).unwrap();
        crate::ops::cast::copy_raw(&n, &src).unwrap();
        assert_eq!(x.to_vec::<i64>(), vec![-5, -6]);
        assert_eq!(n.to_vec::<i64>(), vec![5, 6]);
    }
}
