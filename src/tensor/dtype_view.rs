//! Storages that read another storage's bytes as a different element type, for
//! `t.view(dtype)`: both see every write of the other, under one shared lock.

use super::dtype::DType;
use super::storage::{Element, Storage};
use crate::with_dtype;
use std::sync::Arc;

impl Storage {
    /// This storage's bytes as elements of `dtype`, sharing its memory and lock (the
    /// storage itself, or the one it reads, when that already holds `dtype`).
    ///
    /// `None` when the bytes cannot be shared soundly: bool on either side (a bool
    /// must be 0 or 1, which writes through a wider view could break), or memory not
    /// aligned for `dtype` (foreign memory can be).
    pub fn reinterpret(self: &Arc<Self>, dtype: DType) -> Option<Arc<Storage>> {
        let dtype = dtype.to_real();
        let root = self.root();
        let from = root.dtype();
        if from == dtype {
            return Some(root);
        }
        if from == DType::Bool || dtype == DType::Bool {
            return None;
        }
        let len = root.nbytes() / dtype.size_in_bytes();
        let ptr = root.data_ptr_mut();
        let buffer = with_dtype!(dtype, T => {
            if len == 0 {
                T::into_buffer(Vec::new())
            } else if !(ptr as usize).is_multiple_of(std::mem::align_of::<T>()) {
                return None;
            } else {
                // SAFETY: `ptr` is aligned for T (checked) and points at `root`'s
                // initialised bytes, at least `len * size_of::<T>()` of them, every bit
                // pattern of which is a valid T (an integer or float: bool was refused).
                // It was taken under the write lock, so writing through it is allowed.
                // The memory outlives the Vec: the new storage keeps `root` alive, and
                // storages are never resized. The Vec never frees or grows it: `Drop`
                // forgets it, and no code replaces or resizes a storage's buffer. Reads
                // and writes through the two storages are ordered by their one lock.
                T::into_buffer(unsafe { Vec::from_raw_parts(ptr.cast::<T>(), len, len) })
            }
        });
        Some(Arc::new(Storage::aliasing(root, buffer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Buffer;

    #[test]
    fn writes_show_through_both_dtypes() {
        let s = Arc::new(Storage::new(Buffer::F32(vec![1.0, -2.0])));
        let ints = s.reinterpret(DType::I32).unwrap();
        assert_eq!(
            ints.read().as_slice::<i32>(),
            &[0x3f80_0000, 0xc000_0000u32 as i32]
        );
        i32::slice_mut(&mut ints.write())[0] = 0x4040_0000;
        assert_eq!(s.read().as_slice::<f32>(), &[3.0, -2.0]);
        assert!(ints.same_memory(&s));
        assert_eq!(ints.data_ptr(), s.data_ptr());
    }

    #[test]
    fn element_counts_follow_the_byte_length() {
        let s = Arc::new(Storage::new(Buffer::U8(vec![1, 0, 2, 0, 3, 0, 9])));
        let shorts = s.reinterpret(DType::I16).unwrap();
        assert_eq!(shorts.read().as_slice::<i16>(), &[1, 2, 3]);
        let back = shorts.reinterpret(DType::U8).unwrap();
        assert!(Arc::ptr_eq(&back, &s));
        let floats = shorts.reinterpret(DType::F64).unwrap();
        assert_eq!(floats.len(), 0);
    }

    #[test]
    fn the_viewed_storage_outlives_its_first_handle() {
        let s = Arc::new(Storage::new(Buffer::I64(vec![7, 8])));
        let halves = s.reinterpret(DType::I32).unwrap();
        drop(s);
        assert_eq!(halves.read().as_slice::<i32>(), &[7, 0, 8, 0]);
    }

    #[test]
    fn bool_is_never_shared() {
        let s = Arc::new(Storage::new(Buffer::U8(vec![2])));
        assert!(s.reinterpret(DType::Bool).is_none());
        let b = Arc::new(Storage::new(Buffer::Bool(vec![true])));
        assert!(b.reinterpret(DType::U8).is_none());
    }
}
