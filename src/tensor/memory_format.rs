//! Which strides a result gets: PyTorch keeps the memory order of its inputs.
//!
//! Two rules, as PyTorch applies them:
//! - elementwise results (TensorIterator): row-major when every operand is, channels last
//!   when every 4-D operand is, the operands' strides when all share one dense layout of
//!   the result's shape; otherwise the dims are sorted by the operands' strides (first
//!   operand first, broadcast dims skipped) and the result is packed in that order;
//! - copies that preserve the format (`clone`, `to`, `*_like`): a non-overlapping and
//!   dense input's strides exactly, else the input's dims packed in stride order.
//!
//! A result laid out this way is computed by walking the operands in its memory order
//! (`iteration_order`), so values never depend on strides and operands sharing the
//! result's dense order are read as flat slices.

use super::layout::{Dims, Layout, Strides};
use smallvec::SmallVec;

/// PyTorch's `is_non_overlapping_and_dense`: the elements fill a block of memory with
/// no gaps and no element twice, in some order of the dims.
pub fn is_non_overlapping_and_dense(shape: &[usize], strides: &[isize]) -> bool {
    let n = shape.len();
    if n == 1 {
        return shape[0] < 2 || strides[0] == 1;
    }
    let mut dims: Dims = (0..n).filter(|&d| shape[d] >= 2).collect();
    dims.sort_by_key(|&d| strides[d]);
    let mut expected: isize = 1;
    for d in dims {
        if strides[d] != expected {
            return false;
        }
        expected *= shape[d] as isize;
    }
    true
}

/// Packed with the dims in `order` (outermost first), size-1 dims skipped.
fn is_packed_in(shape: &[usize], strides: &[isize], order: &[usize]) -> bool {
    let mut expected: isize = 1;
    for &d in order.iter().rev() {
        if shape[d] != 1 {
            if strides[d] != expected {
                return false;
            }
            expected *= shape[d] as isize;
        }
    }
    true
}

/// PyTorch's `is_contiguous(memory_format=channels_last)` of a 4-D layout.
pub fn is_channels_last(shape: &[usize], strides: &[isize]) -> bool {
    shape.len() == 4 && is_packed_in(shape, strides, &[0, 2, 3, 1])
}

/// Channels-last strides of a 4-D shape, as PyTorch computes them (size-1 dims included).
pub fn channels_last_strides(shape: &[usize]) -> Strides {
    let s = |d: usize| shape[d] as isize;
    let c = 1;
    let w = s(1);
    let h = w * s(3);
    let n = h * s(2);
    SmallVec::from_slice(&[n, c, h, w])
}

/// PyTorch's `suggest_memory_format`: the channels-last strides of `shape` when the
/// strides order the dims as NHWC (4-D) or NDHWC (5-D) does, gaps allowed; None for
/// row-major. Ambiguous layouts (size-0 dims, a stride-0 channel dim) stay row-major.
pub fn suggested_strides(shape: &[usize], strides: &[isize]) -> Option<Strides> {
    let order: &[usize] = match shape.len() {
        4 => &[1, 3, 2, 0],
        5 => &[1, 4, 3, 2, 0],
        _ => return None,
    };
    if strides[1] == 0 {
        return None;
    }
    let mut min: isize = 0;
    for &d in order {
        if shape[d] == 0 || strides[d] < min || (d == 0 && min == strides[1]) {
            return None;
        }
        min = strides[d];
        if shape[d] > 1 {
            min *= shape[d] as isize;
        }
    }
    Some(if shape.len() == 4 {
        channels_last_strides(shape)
    } else {
        channels_last_3d_strides(shape)
    })
}

/// Channels-last strides of a 5-D shape (NDHWC in memory), as PyTorch computes them.
pub fn channels_last_3d_strides(shape: &[usize]) -> Strides {
    let s = |d: usize| shape[d] as isize;
    let w = s(1);
    let h = w * s(4);
    let d = h * s(3);
    let n = d * s(2);
    SmallVec::from_slice(&[n, 1, d, h, w])
}

/// The format PyTorch's `cat` gives its result: the one every input suggests, else
/// row-major (None).
pub fn cat_strides(shape: &[usize], inputs: &[&Layout]) -> Option<Strides> {
    for l in inputs {
        if l.ndim() != shape.len() {
            return None;
        }
        suggested_strides(&l.shape, &l.strides)?;
    }
    match shape.len() {
        4 => Some(channels_last_strides(shape)),
        5 => Some(channels_last_3d_strides(shape)),
        _ => None,
    }
}

/// PyTorch's `infer_dense_strides`: the dims packed in the order of `strides` (smallest
/// innermost; stride-0 dims and ties keep their place unless the smaller dim breaks it).
pub fn infer_dense_strides(shape: &[usize], strides: &[isize]) -> Strides {
    let perm = sort_dims(shape.len(), |d0, d1| {
        let (s0, s1) = (strides[d0], strides[d1]);
        if s0 == 0 || s1 == 0 {
            0
        } else if s0 != s1 {
            if s0 < s1 {
                -1
            } else {
                1
            }
        } else if shape[d0] > shape[d1] {
            1
        } else {
            0
        }
    });
    let mut out: Strides = SmallVec::from_elem(0, shape.len());
    let mut next: isize = 1;
    for &d in &perm {
        out[d] = next;
        if shape[d] > 1 {
            next *= shape[d] as isize;
        }
    }
    out
}

/// The strides of a copy that preserves the memory format (`clone`, `to`, `*_like`).
pub fn preserved_strides(layout: &Layout) -> Strides {
    if is_non_overlapping_and_dense(&layout.shape, &layout.strides) {
        layout.strides.clone()
    } else {
        infer_dense_strides(&layout.shape, &layout.strides)
    }
}

/// PyTorch's insertion sort of dims with an ambiguous comparison: `cmp(d0, d1)` is 1 when
/// d0 belongs inside d1, -1 when outside, 0 when it cannot tell. Starts from row-major
/// order and returns the dims innermost first.
fn sort_dims(n: usize, cmp: impl Fn(usize, usize) -> i8) -> Dims {
    let mut perm: Dims = (0..n).rev().collect();
    for i in 1..n {
        let mut d1 = i;
        for d0 in (0..i).rev() {
            match cmp(perm[d0], perm[d1]) {
                c if c > 0 => {
                    perm.swap(d0, d1);
                    d1 = d0;
                }
                c if c < 0 => break,
                _ => {}
            }
        }
    }
    perm
}

/// The strides of an elementwise result of `shape` from operands (un-broadcast layouts,
/// in PyTorch's operand order); None for row-major (the common case, decided first).
pub fn elementwise_strides(shape: &[usize], operands: &[&Layout]) -> Option<Strides> {
    let same_shape = operands.iter().all(|l| l.shape.as_slice() == shape);
    if same_shape {
        if operands.iter().all(|l| l.is_contiguous()) {
            return None;
        }
        if shape.len() == 4 && operands.iter().all(|l| is_channels_last(shape, &l.strides)) {
            return Some(channels_last_strides(shape));
        }
        let first = &operands.first()?.strides;
        if operands
            .iter()
            .all(|l| &l.strides == first && is_non_overlapping_and_dense(shape, &l.strides))
        {
            return Some(first.clone());
        }
    }
    let n = shape.len();
    // Each operand's strides against the result's dims: 0 where it is broadcast.
    let strides: Vec<Strides> = operands
        .iter()
        .map(|l| {
            let lead = n - l.ndim();
            (0..n)
                .map(|d| {
                    if d < lead || (l.shape[d - lead] == 1 && shape[d] != 1) {
                        0
                    } else {
                        l.strides[d - lead]
                    }
                })
                .collect()
        })
        .collect();
    let perm = sort_dims(n, |d0, d1| {
        for s in &strides {
            let (s0, s1) = (s[d0], s[d1]);
            if s0 == 0 || s1 == 0 {
                continue;
            }
            if s0 < s1 {
                return -1;
            }
            if s0 > s1 {
                return 1;
            }
            if shape[d0] > shape[d1] {
                return 1;
            }
        }
        0
    });
    if perm.iter().enumerate().all(|(i, &d)| d == n - 1 - i) {
        return None;
    }
    let mut out: Strides = SmallVec::from_elem(0, n);
    let mut next: isize = 1;
    for &d in &perm {
        out[d] = next;
        next *= shape[d] as isize;
    }
    Some(out)
}

/// The dims of a dense layout with `strides`, outermost first: walking a tensor of this
/// shape in this order visits the result's memory front to back. None when that is the
/// row-major order already.
pub fn iteration_order(shape: &[usize], strides: &[isize]) -> Option<Dims> {
    if is_packed_in(shape, strides, &(0..shape.len()).collect::<Dims>()) {
        return None;
    }
    let mut order: Dims = (0..shape.len()).collect();
    // stable: among equal strides (size-1 dims) the logical order stays
    order.sort_by_key(|&d| std::cmp::Reverse(strides[d]));
    Some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transposed(rows: usize, cols: usize) -> Layout {
        Layout::contiguous(&[rows, cols]).permuted(&[1, 0])
    }

    #[test]
    fn dense_and_overlapping_layouts() {
        assert!(is_non_overlapping_and_dense(&[4, 3], &[1, 4]));
        assert!(!is_non_overlapping_and_dense(&[4, 2], &[1, 8]));
        assert!(!is_non_overlapping_and_dense(&[3, 3], &[1, 1]));
        assert!(is_non_overlapping_and_dense(&[4, 1], &[1, 7]));
    }

    #[test]
    fn a_transpose_keeps_its_order() {
        let t = transposed(3, 4);
        assert_eq!(
            elementwise_strides(&[4, 3], &[&t]).unwrap().as_slice(),
            &[1, 4]
        );
        assert_eq!(preserved_strides(&t).as_slice(), &[1, 4]);
        assert!(elementwise_strides(&[4, 3], &[&Layout::contiguous(&[4, 3])]).is_none());
    }

    #[test]
    fn the_first_operand_wins_a_tie() {
        let t = transposed(3, 4);
        let c = Layout::contiguous(&[4, 3]);
        assert_eq!(
            elementwise_strides(&[4, 3], &[&t, &c]).unwrap().as_slice(),
            &[1, 4]
        );
        assert!(elementwise_strides(&[4, 3], &[&c, &t]).is_none());
    }

    #[test]
    fn channels_last_strides_match_pytorch() {
        assert_eq!(
            channels_last_strides(&[2, 3, 4, 5]).as_slice(),
            &[60, 1, 15, 3]
        );
        assert_eq!(
            channels_last_strides(&[2, 3, 1, 1]).as_slice(),
            &[3, 1, 3, 3]
        );
    }

    #[test]
    fn suggested_format_follows_pytorch() {
        // channels last with a gap in H still suggests channels last
        assert_eq!(
            suggested_strides(&[2, 3, 4, 5], &[120, 1, 30, 3])
                .unwrap()
                .as_slice(),
            &[60, 1, 15, 3]
        );
        // a stride-0 batch, a row-major and an NCWH layout do not
        assert!(suggested_strides(&[2, 3, 4, 5], &[0, 1, 15, 3]).is_none());
        assert!(suggested_strides(&[2, 3, 4, 5], &[60, 20, 5, 1]).is_none());
        assert!(suggested_strides(&[2, 3, 5, 4], &[60, 20, 1, 5]).is_none());
        assert_eq!(
            suggested_strides(&[2, 3, 2, 2, 2], &[24, 1, 12, 6, 3])
                .unwrap()
                .as_slice(),
            &[24, 1, 12, 6, 3]
        );
        let cl = Layout {
            shape: SmallVec::from_slice(&[2, 3, 4, 5]),
            strides: SmallVec::from_slice(&[60, 1, 15, 3]),
            offset: 0,
        };
        assert_eq!(
            cat_strides(&[4, 3, 4, 5], &[&cl, &cl]).unwrap().as_slice(),
            &[60, 1, 15, 3]
        );
        assert!(cat_strides(&[4, 3, 4, 5], &[&cl, &Layout::contiguous(&[2, 3, 4, 5])]).is_none());
    }

    #[test]
    fn a_gapped_input_is_packed_in_its_order() {
        let l = Layout {
            shape: SmallVec::from_slice(&[4, 2]),
            strides: SmallVec::from_slice(&[1, 8]),
            offset: 0,
        };
        assert_eq!(preserved_strides(&l).as_slice(), &[1, 4]);
        assert_eq!(
            elementwise_strides(&[4, 2], &[&l]).unwrap().as_slice(),
            &[1, 4]
        );
        assert_eq!(
            iteration_order(&[4, 2], &[1, 4]).unwrap().as_slice(),
            &[1, 0]
        );
    }
}
