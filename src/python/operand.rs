//! What an op reads of a Python tensor: the tensor itself, or for a view with lazy bits
//! (`conj()`, `_neg_view()`) a resolved copy standing for it (see `tensor::lazy_bits`).
//! Resolving at this one boundary keeps every kernel free of the bits.

use crate::error::Result;
use crate::ops::lazy_views::resolved;
use crate::tensor::Tensor;

/// The tensor an op reads (dereferences to a `Tensor`).
pub struct Operand {
    value: Tensor,
    /// The lazy view `value` resolves, if any, and a second handle on `value`: an op
    /// must not take the copy for a buffer nobody else sees (`Tensor::is_exclusive`),
    /// since a write into it is carried over to the view (see `drop`).
    source: Option<(Tensor, Tensor)>,
}

impl Operand {
    #[inline]
    pub fn of(raw: &Tensor) -> Operand {
        if raw.lazy_bits() == 0 {
            return Operand {
                value: raw.clone(),
                source: None,
            };
        }
        let value = resolved(raw);
        Operand {
            source: Some((raw.clone(), value.clone())),
            value,
        }
    }
}

/// Runs a view op on `raw`, the stored tensor, so that a view of a tensor with lazy bits
/// shares its memory and keeps the bits; where the op copies instead (a `reshape` that
/// no view can express, advanced indexing) it reads the values.
pub fn viewing<V: Views>(raw: &Tensor, op: impl Fn(&Tensor) -> Result<V>) -> Result<V> {
    if raw.lazy_bits() == 0 {
        return op(raw);
    }
    let out = op(raw)?;
    if out.view_with_bits_of(raw) {
        return Ok(out);
    }
    op(&resolved(raw))
}

/// What a view op returns: one view or several.
pub trait Views {
    /// Whether these are views of `raw`'s memory carrying its lazy bits.
    fn view_with_bits_of(&self, raw: &Tensor) -> bool;
}

impl Views for Tensor {
    fn view_with_bits_of(&self, raw: &Tensor) -> bool {
        self.lazy_bits() == raw.lazy_bits() && self.shares_storage(raw)
    }
}

impl Views for Vec<Tensor> {
    fn view_with_bits_of(&self, raw: &Tensor) -> bool {
        self.iter().all(|t| t.view_with_bits_of(raw))
    }
}

impl std::ops::Deref for Operand {
    type Target = Tensor;
    #[inline]
    fn deref(&self) -> &Tensor {
        &self.value
    }
}

impl Drop for Operand {
    /// In-place ops take the stored tensor (`PyTensor::raw`), which writes through the
    /// bits; should one have been handed the resolved copy instead, its write is carried
    /// over to the view's storage here rather than lost.
    fn drop(&mut self) {
        let Some((source, _)) = &self.source else {
            return;
        };
        if self.value.version() != 0 && crate::ops::cast::copy_raw(source, &self.value).is_ok() {
            source.bump_version();
        }
    }
}
