//! `dst += src` written straight into `dst`'s memory, for gradient accumulation: a
//! backward pass adds many small gradients (a leaf used by every op of a scalar graph
//! gets one per use), and a fresh sum tensor per addition cost more than the addition.

use crate::tensor::storage::{Buffer, Element};
use crate::tensor::{DType, Tensor};

/// Above this many elements the out-of-place add (threaded, SIMD-dispatched) is used.
const MAX_ELEMENTS: usize = 1 << 16;

/// Adds `src` into `dst` in place when both are contiguous float32/float64 tensors of the
/// same shape and dtype in different memory, and returns whether it did. Leaves the
/// version counter alone: the caller decides whether the write is visible to anyone.
pub fn add_in_place(dst: &Tensor, src: &Tensor) -> bool {
    if !matches!(dst.dtype(), DType::F32 | DType::F64)
        || dst.numel() > MAX_ELEMENTS
        || dst.storage().same_memory(src.storage())
    {
        return false;
    }
    let Some((to, from)) = matching_contiguous_runs(dst, src) else {
        return false;
    };
    let source = src.storage().read();
    let mut target = dst.storage().write();
    match (&mut *target, &*source) {
        (Buffer::F32(d), s) => add_slices(&mut d[to], &f32::slice(s)[from]),
        (Buffer::F64(d), s) => add_slices(&mut d[to], &f64::slice(s)[from]),
        _ => return false,
    }
    true
}

/// Where `dst`'s and `src`'s elements lie in their storages, when both are contiguous
/// and have the same shape and dtype (so element `i` of one pairs with element `i` of
/// the other).
pub(super) fn matching_contiguous_runs(dst: &Tensor, src: &Tensor) -> Option<(Range, Range)> {
    if dst.dtype() != src.dtype()
        || dst.shape() != src.shape()
        || !dst.is_contiguous()
        || !src.is_contiguous()
    {
        return None;
    }
    let n = dst.numel();
    Some((dst.layout().storage_run(n), src.layout().storage_run(n)))
}

type Range = std::ops::Range<usize>;

fn add_slices<T: Copy + std::ops::Add<Output = T>>(dst: &mut [T], src: &[T]) {
    crate::kernels::simd_map::update(dst, src, |d, s| d + s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_into_the_destination() {
        let a = Tensor::from_vec(vec![1.0f32, 2.0, 3.0], &[3]).unwrap();
        let b = Tensor::from_vec(vec![0.5f32, -2.0, 4.0], &[3]).unwrap();
        assert!(add_in_place(&a, &b));
        assert_eq!(a.to_vec::<f32>(), vec![1.5, 0.0, 7.0]);
        assert_eq!(b.to_vec::<f32>(), vec![0.5, -2.0, 4.0]);
    }

    #[test]
    fn adds_float64_at_an_offset() {
        let base = Tensor::from_vec(vec![9.0f64, 1.0, 2.0], &[3]).unwrap();
        let tail = crate::ops::narrow(&base, 0, 1, 2).unwrap();
        let b = Tensor::from_vec(vec![10.0f64, 20.0], &[2]).unwrap();
        assert!(add_in_place(&tail, &b));
        assert_eq!(base.to_vec::<f64>(), vec![9.0, 11.0, 22.0]);
    }

    #[test]
    fn declines_what_it_cannot_add_in_place() {
        let a = Tensor::from_vec(vec![1.0f32, 2.0], &[2]).unwrap();
        let ints = Tensor::from_vec(vec![1i64, 2], &[2]).unwrap();
        let other_shape = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        let f64s = Tensor::from_vec(vec![1.0f64, 2.0], &[2]).unwrap();
        let m = Tensor::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
        let column = crate::ops::select(&m, 1, 0).unwrap();
        assert!(!add_in_place(&a, &ints));
        assert!(!add_in_place(&a, &other_shape));
        assert!(!add_in_place(&a, &f64s));
        assert!(!add_in_place(&a, &a), "same memory");
        assert!(!add_in_place(&a, &column), "strided source");
        assert_eq!(a.to_vec::<f32>(), vec![1.0, 2.0]);
    }

    #[test]
    fn empty_views_past_their_storage_are_written_in_place() {
        // `.imag` of an empty complex tensor: offset 1 in a storage of length 0
        let empty = Tensor::zeros(&[0], DType::F32).unwrap();
        let past_end = crate::tensor::Layout {
            offset: 1,
            ..crate::tensor::Layout::contiguous(&[1, 0, 3])
        };
        let view = empty.view_with_layout(past_end);
        let other = Tensor::zeros(&[1, 0, 3], DType::F32).unwrap();
        let (to, from) = matching_contiguous_runs(&view, &other).unwrap();
        assert_eq!((to, from), (0..0, 0..0));
        assert!(add_in_place(&view, &other));
        for op in [crate::ops::InplaceArith::Add, crate::ops::InplaceArith::Mul] {
            crate::ops::arith_inplace(&view, &other, op).unwrap();
        }
        crate::ops::apply_inplace(&view, "exp_", false, crate::ops::exp).unwrap();
        crate::ops::cast::copy_raw(&view, &other).unwrap();
        assert_eq!(view.storage_offset(), 1);
    }
}
