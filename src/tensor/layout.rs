//! Shape, strides and offset of a tensor within its storage, and the shape algebra
//! (broadcasting, dim wrapping, contiguity) that every op needs.

use crate::error::{Error, Result};
use smallvec::SmallVec;

/// Dims held inline (without a heap block) in `Dims` and `Strides`.
const INLINE_DIMS: usize = 6;
pub type Dims = SmallVec<[usize; INLINE_DIMS]>;
pub type Strides = SmallVec<[isize; INLINE_DIMS]>;

#[derive(Debug, PartialEq, Eq)]
pub struct Layout {
    pub shape: Dims,
    pub strides: Strides,
    pub offset: usize,
}

/// Copies the dims as a slice: the derived clone goes through `SmallVec`'s generic
/// element-by-element `extend` (about 25 instructions per vector even when empty).
impl Clone for Layout {
    fn clone(&self) -> Layout {
        Layout {
            shape: Dims::from_slice(&self.shape),
            strides: Strides::from_slice(&self.strides),
            offset: self.offset,
        }
    }
}

/// Row-major strides of a shape.
pub fn contiguous_strides(shape: &[usize]) -> Strides {
    let mut strides: Strides = match shape.len() {
        // the usual few dims fill the inline buffer without `from_elem`'s generic path
        n @ 0..=INLINE_DIMS => SmallVec::from_buf_and_len([0; INLINE_DIMS], n),
        n => SmallVec::from_elem(0, n),
    };
    let mut acc: isize = 1;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc = acc.saturating_mul(shape[i].max(1) as isize);
    }
    strides
}

/// Element count, refusing sizes whose product overflows.
pub fn checked_numel(shape: &[usize]) -> Result<usize> {
    let mut n: usize = 1;
    for &d in shape {
        n = n.checked_mul(d).ok_or_else(|| {
            Error::runtime(format!(
                "Storage size calculation overflowed with sizes={}",
                format_shape(shape)
            ))
        })?;
    }
    if n > isize::MAX as usize / 8 {
        return Err(Error::runtime(format!(
            "Storage size calculation overflowed with sizes={}",
            format_shape(shape)
        )));
    }
    // At least a byte an element, whatever the dtype.
    super::memory_limit::check(n, 1)?;
    Ok(n)
}

/// PyTorch's refusals of a new tensor of `shape` with `item`-byte elements: its size in
/// bytes leaving the int64 range ("Storage size calculation overflowed"), or more memory
/// than the machine could back (its out-of-memory error; Rust would abort instead).
pub fn check_allocation(shape: &[usize], item: usize) -> Result<()> {
    let bytes = shape
        .iter()
        .try_fold(item as u128, |n, &d| n.checked_mul(d as u128));
    let Some(bytes) = bytes.filter(|&b| b <= i64::MAX as u128) else {
        return Err(Error::runtime(format!(
            "Storage size calculation overflowed with sizes={}",
            format_shape(shape)
        )));
    };
    if bytes > super::memory_limit::limit_bytes() {
        return Err(super::memory_limit::out_of_memory(bytes));
    }
    Ok(())
}

/// PyTorch's error for a view whose element count, multiplied out left to right, leaves
/// the int64 range (views of any smaller size may exist, memory behind them or not).
pub fn check_view_numel(shape: &[usize]) -> Result<()> {
    let fits = shape.iter().try_fold(1i64, |n, &d| {
        i64::try_from(d).ok().and_then(|d| n.checked_mul(d))
    });
    if fits.is_none() {
        return Err(Error::runtime("numel: integer multiplication overflow"));
    }
    Ok(())
}

pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// `[2, 3]` as PyTorch prints sizes in messages.
pub fn format_shape(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

pub fn format_strides(strides: &[isize]) -> String {
    let parts: Vec<String> = strides.iter().map(|d| d.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// Wraps a possibly negative dim into `0..ndim` (a 0-dim tensor accepts -1 and 0).
pub fn wrap_dim(dim: i64, ndim: usize) -> Result<usize> {
    let n = ndim.max(1) as i64;
    if dim < -n || dim >= n {
        return Err(Error::dim_out_of_range(dim, ndim));
    }
    Ok(if dim < 0 {
        (dim + n) as usize
    } else {
        dim as usize
    })
}

/// Wraps a list of dims and refuses repeats (PyTorch: "dim 0 appears multiple times").
pub fn wrap_dims(dims: &[i64], ndim: usize) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(dims.len());
    for &d in dims {
        let w = wrap_dim(d, ndim)?;
        if out.contains(&w) {
            return Err(Error::runtime(format!(
                "dim {w} appears multiple times in the list of dims"
            )));
        }
        out.push(w);
    }
    Ok(out)
}

/// NumPy broadcasting of two shapes; a mismatch names the last dim that differs, as
/// PyTorch's `infer_size` (it walks from the trailing dim).
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Dims> {
    let n = a.len().max(b.len());
    let mut out: Dims = SmallVec::from_elem(0, n);
    for i in (0..n).rev() {
        let da = if i < n - a.len() {
            1
        } else {
            a[i - (n - a.len())]
        };
        let db = if i < n - b.len() {
            1
        } else {
            b[i - (n - b.len())]
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(Error::broadcast_mismatch(da, db, i));
        };
    }
    Ok(out)
}

impl Layout {
    pub fn contiguous(shape: &[usize]) -> Layout {
        let n = shape.len();
        if n > INLINE_DIMS {
            return Layout {
                shape: SmallVec::from_slice(shape),
                strides: contiguous_strides(shape),
                offset: 0,
            };
        }
        // the usual few dims: sizes and strides in one pass over fixed arrays, written
        // into the inline buffers whole (every small result's layout is made here)
        let (mut dims, mut strides) = ([0usize; INLINE_DIMS], [0isize; INLINE_DIMS]);
        let mut acc: isize = 1;
        for i in (0..n).rev() {
            dims[i] = shape[i];
            strides[i] = acc;
            acc = acc.saturating_mul(shape[i].max(1) as isize);
        }
        Layout {
            shape: SmallVec::from_buf_and_len(dims, n),
            strides: SmallVec::from_buf_and_len(strides, n),
            offset: 0,
        }
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    pub fn numel(&self) -> usize {
        numel(&self.shape)
    }

    /// Where a contiguous layout's `n` elements lie in its storage. Empty (at 0) when `n`
    /// is 0: an empty view may carry an offset past the end of its storage (`.imag` of an
    /// empty complex tensor has offset 1 in a storage of length 0, as in PyTorch).
    pub fn storage_run(&self, n: usize) -> std::ops::Range<usize> {
        if n == 0 {
            return 0..0;
        }
        self.offset..self.offset + n
    }

    /// Row-major contiguous (size-1 dims may have any stride).
    pub fn is_contiguous(&self) -> bool {
        let mut expected: isize = 1;
        let mut row_major = true;
        for (&n, &s) in self.shape.iter().zip(self.strides.iter()).rev() {
            if n == 0 {
                return true; // no element to lay out (PyTorch's rule too)
            }
            if n != 1 {
                row_major &= s == expected;
                expected = expected.wrapping_mul(n as isize);
            }
        }
        row_major
    }

    /// Strides of this layout broadcast to `target` (0 where a dim is expanded).
    pub fn broadcast_to(&self, target: &[usize]) -> Result<Layout> {
        check_view_numel(target)?;
        let n = target.len();
        if self.ndim() > n {
            return Err(Error::runtime(format!(
                "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension 0.  Target sizes: {}.  Tensor sizes: {}",
                n, self.ndim(), format_shape(target), format_shape(&self.shape)
            )));
        }
        let lead = n - self.ndim();
        let mut strides: Strides = SmallVec::from_elem(0, n);
        // from the last dim, as PyTorch's inferExpandGeometry (which names the last mismatch)
        for i in (lead..n).rev() {
            let d = self.shape[i - lead];
            if d == target[i] {
                strides[i] = self.strides[i - lead];
            } else if d == 1 {
                strides[i] = 0;
            } else {
                return Err(Error::runtime(format!(
                    "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension {}.  Target sizes: {}.  Tensor sizes: {}",
                    target[i], d, i, format_shape(target), format_shape(&self.shape)
                )));
            }
        }
        // A new leading dim of size 1 steps over the dims after it, as PyTorch's
        // inferExpandGeometry gives it (0 below a 0-dim tensor's new dims).
        for i in (0..lead).rev() {
            if target[i] == 1 && i + 1 < n {
                strides[i] = target[i + 1] as isize * strides[i + 1];
            }
        }
        Ok(Layout {
            shape: SmallVec::from_slice(target),
            strides,
            offset: self.offset,
        })
    }

    pub fn permuted(&self, perm: &[usize]) -> Layout {
        Layout {
            shape: perm.iter().map(|&p| self.shape[p]).collect(),
            strides: perm.iter().map(|&p| self.strides[p]).collect(),
            offset: self.offset,
        }
    }

    /// Strides for viewing this layout with a new shape without copying, when possible
    /// (PyTorch's `computeStride`).
    pub fn view_strides(&self, new_shape: &[usize]) -> Option<Strides> {
        let old_numel = self.numel();
        if old_numel == 0 || self.ndim() == 0 {
            return Some(contiguous_strides(new_shape));
        }
        let mut new_strides: Strides = SmallVec::from_elem(0, new_shape.len());
        let mut view_d = new_shape.len() as isize - 1;
        let mut chunk_base_stride = *self.strides.last().unwrap_or(&1);
        let mut tensor_numel: usize = 1;
        let mut view_numel: usize = 1;
        let nd = self.shape.len();
        for tensor_d in (0..nd).rev() {
            tensor_numel *= self.shape[tensor_d];
            let chunk_end = tensor_d == 0
                || (self.shape[tensor_d - 1] != 1
                    && self.strides[tensor_d - 1] != tensor_numel as isize * chunk_base_stride);
            if chunk_end {
                while view_d >= 0 && (view_numel < tensor_numel || new_shape[view_d as usize] == 1)
                {
                    new_strides[view_d as usize] = view_numel as isize * chunk_base_stride;
                    view_numel *= new_shape[view_d as usize];
                    view_d -= 1;
                }
                if view_numel != tensor_numel {
                    return None;
                }
                if tensor_d > 0 {
                    chunk_base_stride = self.strides[tensor_d - 1];
                    tensor_numel = 1;
                    view_numel = 1;
                }
            }
        }
        if view_d != -1 {
            return None;
        }
        Some(new_strides)
    }

    /// Visits the storage offset of every element in row-major order.
    pub fn for_each_offset(&self, mut f: impl FnMut(usize)) {
        let n = self.numel();
        if n == 0 {
            return;
        }
        let nd = self.ndim();
        if nd == 0 {
            f(self.offset);
            return;
        }
        let inner = self.shape[nd - 1];
        let inner_stride = self.strides[nd - 1];
        let mut index: Dims = SmallVec::from_elem(0, nd);
        let mut base = self.offset as isize;
        loop {
            let mut off = base;
            for _ in 0..inner {
                f(off as usize);
                off += inner_stride;
            }
            // advance the outer index
            let mut d = nd - 1;
            loop {
                if d == 0 {
                    return;
                }
                d -= 1;
                index[d] += 1;
                base += self.strides[d];
                if index[d] < self.shape[d] {
                    break;
                }
                base -= self.strides[d] * self.shape[d] as isize;
                index[d] = 0;
            }
        }
    }

    /// The offsets of every element, row-major.
    pub fn offsets(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.numel());
        self.for_each_offset(|o| out.push(o));
        out
    }

    /// `storage_extent` in `item`-byte elements, or None when its size in bytes leaves
    /// the int64 range (PyTorch's "Storage size calculation overflowed"). Strides must
    /// be non-negative.
    pub fn checked_storage_extent(&self, item: usize) -> Option<usize> {
        if self.shape.contains(&0) {
            return Some(0);
        }
        let mut last = i64::try_from(self.offset).ok()?;
        for (&d, &s) in self.shape.iter().zip(self.strides.iter()) {
            let span = i64::try_from(d - 1).ok()?.checked_mul(s as i64)?;
            last = last.checked_add(span)?;
        }
        let len = last.checked_add(1)?;
        len.checked_mul(item as i64)?;
        usize::try_from(len).ok()
    }

    /// Largest storage index this layout touches, plus one (0 for empty).
    pub fn storage_extent(&self) -> usize {
        if self.numel() == 0 {
            return 0;
        }
        let mut hi = self.offset as isize;
        for (d, s) in self.shape.iter().zip(self.strides.iter()) {
            if *s > 0 {
                hi += (*d as isize - 1) * s;
            }
        }
        hi as usize + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(
            broadcast_shapes(&[2, 1, 3], &[4, 1]).unwrap().as_slice(),
            &[2, 4, 3]
        );
        assert_eq!(broadcast_shapes(&[], &[3]).unwrap().as_slice(), &[3]);
        assert_eq!(
            broadcast_shapes(&[0, 1], &[1, 5]).unwrap().as_slice(),
            &[0, 5]
        );
        let err = broadcast_shapes(&[3], &[4]).unwrap_err();
        assert!(err.message.contains("(3)") && err.message.contains("(4)"));
        let last = broadcast_shapes(&[5, 3, 2], &[4, 3, 3]).unwrap_err();
        assert!(last
            .message
            .ends_with("(2) must match the size of tensor b (3) at non-singleton dimension 2"));
    }

    #[test]
    fn contiguous_layouts_match_the_strides_of_their_shape() {
        let shapes: [&[usize]; 7] = [
            &[],
            &[5],
            &[0, 3],
            &[2, 1, 4],
            &[1, 1, 1, 1, 1, 7],
            &[2, 3, 1, 2, 2, 2, 3],
            &[usize::MAX / 2, 4],
        ];
        for shape in shapes {
            let l = Layout::contiguous(shape);
            assert_eq!(l.shape.as_slice(), shape);
            assert_eq!(l.strides, contiguous_strides(shape));
            assert_eq!(l.offset, 0);
        }
    }

    #[test]
    fn strides_and_offsets_of_a_transpose() {
        let l = Layout::contiguous(&[2, 3]).permuted(&[1, 0]);
        assert_eq!(l.offsets(), vec![0, 3, 1, 4, 2, 5]);
        assert!(!l.is_contiguous());
        assert!(Layout::contiguous(&[2, 3]).is_contiguous());
    }

    #[test]
    fn broadcast_layout_uses_zero_strides() {
        let l = Layout::contiguous(&[3, 1])
            .broadcast_to(&[2, 3, 4])
            .unwrap();
        assert_eq!(l.strides.as_slice(), &[0, 1, 0]);
        assert_eq!(l.offsets().len(), 24);
        assert!(Layout::contiguous(&[3]).broadcast_to(&[4]).is_err());
    }

    #[test]
    fn views_of_non_contiguous_layouts() {
        let t = Layout::contiguous(&[2, 3]).permuted(&[1, 0]);
        assert!(t.view_strides(&[6]).is_none());
        assert_eq!(t.view_strides(&[3, 2, 1]).unwrap().as_slice(), &[1, 3, 3]);
        let c = Layout::contiguous(&[2, 3, 4]);
        assert_eq!(c.view_strides(&[6, 4]).unwrap().as_slice(), &[4, 1]);
    }

    #[test]
    fn dims_wrap_and_refuse_out_of_range() {
        assert_eq!(wrap_dim(-1, 3).unwrap(), 2);
        assert_eq!(wrap_dim(0, 0).unwrap(), 0);
        let e = wrap_dim(3, 3).unwrap_err();
        assert!(e.message.contains("[-3, 2]") && e.message.contains("got 3"));
        assert!(wrap_dims(&[0, -2], 2).is_err());
    }

    #[test]
    fn an_empty_run_lies_at_the_start_of_any_storage() {
        let l = Layout {
            offset: 5,
            ..Layout::contiguous(&[2, 3])
        };
        assert_eq!(l.storage_run(6), 5..11);
        assert_eq!(l.storage_run(0), 0..0);
    }

    #[test]
    fn allocations_past_int64_bytes_or_memory_are_refused() {
        assert!(check_allocation(&[2, 3], 8).is_ok());
        assert!(check_allocation(&[0, 1 << 62], 8).is_ok());
        let overflow = check_allocation(&[1 << 62], 4).unwrap_err();
        assert_eq!(
            overflow.message,
            "Storage size calculation overflowed with sizes=[4611686018427387904]"
        );
        let too_big = check_allocation(&[1 << 60], 4).unwrap_err();
        assert!(too_big
            .message
            .contains("you tried to allocate 4611686018427387904 bytes"));
    }

    #[test]
    fn strides_and_clones_inline_and_spilled() {
        assert!(contiguous_strides(&[]).is_empty());
        assert_eq!(contiguous_strides(&[2, 0, 3]).as_slice(), &[3, 3, 1]);
        let six = [2, 3, 1, 4, 5, 2];
        assert_eq!(
            contiguous_strides(&six).as_slice(),
            &[120, 40, 40, 10, 2, 1]
        );
        let eight = [2, 1, 2, 1, 2, 1, 2, 3];
        assert_eq!(
            contiguous_strides(&eight).as_slice(),
            &[24, 24, 12, 12, 6, 6, 3, 1]
        );
        for shape in [&[][..], &six[..], &eight[..]] {
            let mut l = Layout::contiguous(shape);
            l.offset = 7;
            let c = l.clone();
            assert_eq!(c, l);
            assert_eq!(c.strides.spilled(), shape.len() > 6);
        }
    }

    #[test]
    fn element_count_overflow_is_an_error() {
        assert!(checked_numel(&[1 << 40, 1 << 40]).is_err());
        assert_eq!(checked_numel(&[2, 3]).unwrap(), 6);
    }
}
