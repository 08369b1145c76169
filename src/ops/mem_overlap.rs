//! PyTorch's memory-overlap checks for ops that write into a tensor they also read:
//! an input that shares some, but not all, of the written bytes (`x[1:].add_(x[:-1])`,
//! `x.add_(x.t())`) is refused, since the result would depend on the order of the writes.

use crate::error::{Error, Result};
use crate::tensor::Tensor;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    No,
    /// The same elements in the same order.
    Full,
    Partial,
    /// Not dense: PyTorch does not try to tell, and neither does this.
    TooHard,
}

/// Whether the elements cover a block of memory exactly once, in some dim order.
fn is_non_overlapping_and_dense(t: &Tensor) -> bool {
    let mut dims: smallvec::SmallVec<[(usize, isize); 6]> = t
        .shape()
        .iter()
        .copied()
        .zip(t.strides().iter().copied())
        .filter(|&(n, _)| n != 1)
        .collect();
    dims.sort_by_key(|&(_, s)| s);
    let mut expected: isize = 1;
    for (n, s) in dims {
        if s != expected {
            return false;
        }
        expected *= n as isize;
    }
    true
}

/// How the memory `a` and `b` reach relates (PyTorch's `get_overlap_status`).
pub fn overlap(a: &Tensor, b: &Tensor) -> Overlap {
    if a.same_tensor(b) {
        return Overlap::Full;
    }
    if a.numel() == 0 || b.numel() == 0 || !a.shares_storage(b) {
        return Overlap::No;
    }
    if !is_non_overlapping_and_dense(a) || !is_non_overlapping_and_dense(b) {
        return Overlap::TooHard;
    }
    let range = |t: &Tensor| {
        let size = t.dtype().size_in_bytes();
        let begin = t.storage().data_ptr() as usize + t.storage_offset() * size;
        (begin, begin + t.numel() * size)
    };
    let (a_begin, a_end) = range(a);
    let (b_begin, b_end) = range(b);
    if a_begin == b_begin && a_end == b_end {
        return if a.strides() == b.strides() {
            Overlap::Full
        } else {
            Overlap::Partial
        };
    }
    if a_begin < b_end && b_begin < a_end {
        Overlap::Partial
    } else {
        Overlap::No
    }
}

fn refusal() -> Error {
    Error::runtime(
        "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.",
    )
}

/// PyTorch's `assert_no_partial_overlap`: `read` may be `written` itself, not part of it.
pub fn check_no_partial_overlap(written: &Tensor, read: &Tensor) -> Result<()> {
    if overlap(written, read) == Overlap::Partial {
        return Err(refusal());
    }
    Ok(())
}

/// PyTorch's `assert_no_overlap`: `read` may share no element with `written`.
pub fn check_no_overlap(written: &Tensor, read: &Tensor) -> Result<()> {
    if matches!(overlap(written, read), Overlap::Partial | Overlap::Full) {
        return Err(refusal());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops;

    fn arange(n: usize) -> Tensor {
        Tensor::from_vec((0..n).map(|i| i as f32).collect(), &[n]).unwrap()
    }

    #[test]
    fn shifted_slices_overlap_partially() {
        let x = arange(5);
        let head = ops::slice(&x, 0, Some(0), Some(4), 1).unwrap();
        let tail = ops::slice(&x, 0, Some(1), Some(5), 1).unwrap();
        assert_eq!(overlap(&tail, &head), Overlap::Partial);
        assert!(check_no_partial_overlap(&tail, &head).is_err());
    }

    #[test]
    fn the_same_elements_overlap_fully_and_a_copy_not_at_all() {
        let x = arange(4);
        let same = ops::reshape(&x, &[4]).unwrap();
        assert_eq!(overlap(&x, &x), Overlap::Full);
        assert_eq!(overlap(&x, &same), Overlap::Full);
        assert_eq!(overlap(&x, &ops::clone(&x).unwrap()), Overlap::No);
        assert!(check_no_partial_overlap(&x, &same).is_ok());
        assert!(check_no_overlap(&x, &same).is_err());
    }

    #[test]
    fn a_transpose_overlaps_partially_and_a_strided_view_is_too_hard() {
        let x = ops::reshape(&arange(4), &[2, 2]).unwrap();
        let t = ops::transpose(&x, 0, 1).unwrap();
        assert_eq!(overlap(&x, &t), Overlap::Partial);
        let every_other = ops::slice(&arange(6), 0, Some(0), Some(6), 2).unwrap();
        assert!(!is_non_overlapping_and_dense(&every_other));
    }

    #[test]
    fn disjoint_halves_do_not_overlap() {
        let x = arange(6);
        let a = ops::slice(&x, 0, Some(0), Some(3), 1).unwrap();
        let b = ops::slice(&x, 0, Some(3), Some(6), 1).unwrap();
        assert_eq!(overlap(&a, &b), Overlap::No);
    }
}
