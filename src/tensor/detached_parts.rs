//! What `Tensor::detached()` makes, kept as parts without a `TensorImpl` of its own.
//!
//! A node that saves its own output (`tanh`, `exp`, `sigmoid`, ...) keeps these: a
//! `TensorImpl` per saved output was an allocation, a ~200-byte copy and a free per op,
//! and most saved outputs are only read as values and checked for their version. The
//! parts stay small (a node's saved list is moved while the node is built): a 0-dim
//! layout is its offset, any other is boxed.

use super::{DType, Layout, Storage, Tensor, VersionCounter, VersionSlot};
use std::sync::Arc;

pub struct DetachedParts {
    storage: Arc<Storage>,
    version: Arc<VersionCounter>,
    layout: KeptLayout,
    dtype: DType,
    lazy: u8,
}

enum KeptLayout {
    /// A 0-dim tensor's: no shape or strides, the element at this offset.
    Scalar(usize),
    Other(Box<Layout>),
}

impl Tensor {
    /// The parts of `self.detached()`: the same storage, layout, lazy bits and version
    /// counter.
    pub fn detached_parts(&self) -> DetachedParts {
        let layout = &self.0.layout;
        DetachedParts {
            storage: self.0.storage.clone(),
            version: self.0.version.counter().clone(),
            layout: match layout.ndim() {
                0 => KeptLayout::Scalar(layout.offset),
                _ => KeptLayout::Other(Box::new(layout.clone())),
            },
            dtype: self.0.dtype,
            lazy: self.0.lazy,
        }
    }
}

impl DetachedParts {
    /// A tensor over these parts without autograd history, as `detached()` makes.
    pub fn tensor(&self) -> Tensor {
        let layout = match &self.layout {
            KeptLayout::Scalar(offset) => Layout {
                offset: *offset,
                ..Layout::contiguous(&[])
            },
            KeptLayout::Other(layout) => (**layout).clone(),
        };
        let version = VersionSlot::sharing(self.version.clone());
        Tensor::from_parts(self.storage.clone(), layout, self.dtype, version)
            .with_lazy_bits(self.lazy)
    }

    pub fn version(&self) -> u64 {
        self.version
            .value
            .load(std::sync::atomic::Ordering::Acquire)
    }

    pub fn is_inference(&self) -> bool {
        self.version.inference
    }

    pub fn storage(&self) -> &Arc<Storage> {
        &self.storage
    }

    /// Where the first element is in the storage.
    pub fn offset(&self) -> usize {
        match &self.layout {
            KeptLayout::Scalar(offset) => *offset,
            KeptLayout::Other(layout) => layout.offset,
        }
    }

    pub fn ndim(&self) -> usize {
        match &self.layout {
            KeptLayout::Scalar(_) => 0,
            KeptLayout::Other(layout) => layout.ndim(),
        }
    }

    pub fn numel(&self) -> usize {
        match &self.layout {
            KeptLayout::Scalar(_) => 1,
            KeptLayout::Other(layout) => layout.numel(),
        }
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_make_what_detached_makes() {
        let t = Tensor::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
        let t = t.view_with_layout(t.layout().permuted(&[1, 0]));
        let made = t.detached_parts().tensor();
        assert!(made.shares_storage(&t) && !made.same_tensor(&t));
        assert_eq!(made.layout(), t.layout());
        assert_eq!(made.dtype(), t.dtype());
        assert!(made.meta_if_any().is_none());
    }

    #[test]
    fn a_0_dim_tensor_keeps_its_offset() {
        let t = Tensor::from_vec(vec![1.0f64, 2.0], &[2]).unwrap();
        let second = t.view_with_layout(Layout {
            offset: 1,
            ..Layout::contiguous(&[])
        });
        let parts = second.detached_parts();
        assert_eq!((parts.ndim(), parts.offset(), parts.numel()), (0, 1, 1));
        assert_eq!(parts.tensor().to_vec::<f64>(), vec![2.0]);
    }

    #[test]
    fn the_parts_see_in_place_writes_to_the_tensor() {
        let t = Tensor::from_vec(vec![1.0f64], &[]).unwrap();
        let parts = t.detached_parts();
        assert_eq!(parts.version(), 0);
        t.bump_version();
        assert_eq!((parts.version(), parts.tensor().version()), (1, 1));
        parts.tensor().bump_version();
        assert_eq!(t.version(), 2);
    }
}
