//! Typed element buffers shared between a tensor and its views.
//!
//! A `Storage` is never resized after creation, so views can hold offsets into it.
//! Readers take the read lock, in-place writers the write lock. A storage can also read
//! another's bytes as a different element type (`t.view(dtype)`, see `dtype_view`): both
//! then hold the same lock, so the bytes are never read and written at once through
//! the two. The version counter that
//! autograd checks lives beside the storage in `Tensor` (it is shared by views and
//! `detach()`, but not by `.data`).

use super::dtype::DType;
pub use super::float8::{F8E4M3Fn, F8E4M3Fnuz, F8E5M2Fnuz, F8E8M0Fnu, F8E5M2};
use crate::error::Result;
pub use half::{bf16, f16};
use parking_lot::{
    MappedRwLockReadGuard, MappedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
use std::cell::UnsafeCell;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum Buffer {
    Bool(Vec<bool>),
    U8(Vec<u8>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F16(Vec<f16>),
    BF16(Vec<bf16>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    F8E4M3FN(Vec<F8E4M3Fn>),
    F8E5M2(Vec<F8E5M2>),
    F8E4M3FNUZ(Vec<F8E4M3Fnuz>),
    F8E5M2FNUZ(Vec<F8E5M2Fnuz>),
    F8E8M0FNU(Vec<F8E8M0Fnu>),
}

/// A Rust element type that a tensor can hold.
pub trait Element: Copy + Send + Sync + Default + PartialEq + PartialOrd + 'static {
    const DTYPE: DType;
    fn slice(buf: &Buffer) -> &[Self];
    fn slice_mut(buf: &mut Buffer) -> &mut [Self];
    fn into_buffer(v: Vec<Self>) -> Buffer;
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
    fn to_i64(self) -> i64;
    fn from_i64(v: i64) -> Self;
    fn to_bool(self) -> bool;
    fn from_bool(v: bool) -> Self;
    /// PyTorch's `static_cast` from a floating value: integers truncate (out of range
    /// as x86 gives it), 16-bit floats round through float32 as c10's do.
    fn from_f64_cast(v: f64) -> Self;
}

/// x86's `cvttsd2si` into 32 bits: out of range and NaN give `i32::MIN`.
#[inline(always)]
fn trunc_i32(v: f64) -> i32 {
    if v > -2147483649.0 && v < 2147483648.0 {
        v as i32
    } else {
        i32::MIN
    }
}

/// x86's `cvttsd2si` into 64 bits: out of range and NaN give `i64::MIN`.
#[inline(always)]
fn trunc_i64(v: f64) -> i64 {
    if (-9223372036854775808.0..9223372036854775808.0).contains(&v) {
        v as i64
    } else {
        i64::MIN
    }
}

macro_rules! element {
    ($t:ty, $variant:ident, $to_f64:expr, $from_f64:expr, $to_i64:expr, $from_i64:expr, $to_bool:expr, $from_bool:expr, $from_f64_cast:expr) => {
        impl Element for $t {
            const DTYPE: DType = DType::$variant;
            fn slice(buf: &Buffer) -> &[Self] {
                match buf {
                    Buffer::$variant(v) => v,
                    other => panic!("buffer holds {:?}, not {}", other.dtype(), stringify!($t)),
                }
            }
            fn slice_mut(buf: &mut Buffer) -> &mut [Self] {
                match buf {
                    Buffer::$variant(v) => v,
                    other => panic!("buffer holds {:?}, not {}", other.dtype(), stringify!($t)),
                }
            }
            fn into_buffer(v: Vec<Self>) -> Buffer {
                Buffer::$variant(v)
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                ($to_f64)(self)
            }
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                ($from_f64)(v)
            }
            #[inline(always)]
            fn to_i64(self) -> i64 {
                ($to_i64)(self)
            }
            #[inline(always)]
            fn from_i64(v: i64) -> Self {
                ($from_i64)(v)
            }
            #[inline(always)]
            fn to_bool(self) -> bool {
                ($to_bool)(self)
            }
            #[inline(always)]
            fn from_bool(v: bool) -> Self {
                ($from_bool)(v)
            }
            #[inline(always)]
            fn from_f64_cast(v: f64) -> Self {
                ($from_f64_cast)(v)
            }
        }
    };
}

element!(
    bool,
    Bool,
    |x: bool| x as u8 as f64,
    |v: f64| v != 0.0,
    |x: bool| x as i64,
    |v: i64| v != 0,
    |x| x,
    |v| v,
    |v: f64| v != 0.0
);

macro_rules! int_element {
    ($t:ty, $variant:ident, $from_f64_cast:expr) => {
        element!(
            $t,
            $variant,
            |x: $t| x as f64,
            |v: f64| v as $t,
            |x: $t| x as i64,
            |v: i64| v as $t,
            |x: $t| x != 0,
            |v: bool| v as $t,
            $from_f64_cast
        );
    };
}

// int8 and int16 truncate through 32 bits, uint8 through 64 bits (c10's cast for it).
int_element!(u8, U8, |v: f64| trunc_i64(v) as u8);
int_element!(i8, I8, |v: f64| trunc_i32(v) as i8);
int_element!(i16, I16, |v: f64| trunc_i32(v) as i16);
int_element!(i32, I32, trunc_i32);
int_element!(i64, I64, trunc_i64);
int_element!(u16, U16, |v: f64| trunc_i32(v) as u16);
int_element!(u32, U32, |v: f64| trunc_i64(v) as u32);
int_element!(u64, U64, trunc_u64);

/// x86's conversion of a double into 64 unsigned bits: values from 2**63 up convert
/// directly, the rest (NaN included) through `trunc_i64`; 2**64 and up give 0.
#[inline(always)]
fn trunc_u64(v: f64) -> u64 {
    if v >= 9223372036854775808.0 {
        if v < 18446744073709551616.0 {
            v as u64
        } else {
            0
        }
    } else {
        trunc_i64(v) as u64
    }
}

macro_rules! half_element {
    ($t:ty, $variant:ident) => {
        element!(
            $t,
            $variant,
            |x: $t| f64::from(x.to_f32()),
            |v: f64| <$t>::from_f32(v as f32),
            |x: $t| trunc_i64(f64::from(x.to_f32())),
            |v: i64| <$t>::from_f32(v as f32),
            |x: $t| x.to_f32() != 0.0,
            |v: bool| <$t>::from_f32(v as u8 as f32),
            |v: f64| <$t>::from_f32(v as f32)
        );
    };
}
half_element!(f16, F16);
half_element!(bf16, BF16);
half_element!(F8E4M3Fn, F8E4M3FN);
half_element!(F8E5M2, F8E5M2);
half_element!(F8E4M3Fnuz, F8E4M3FNUZ);
half_element!(F8E5M2Fnuz, F8E5M2FNUZ);
half_element!(F8E8M0Fnu, F8E8M0FNU);

element!(
    f32,
    F32,
    |x: f32| x as f64,
    |v: f64| v as f32,
    |x: f32| x as i64,
    |v: i64| v as f32,
    |x: f32| x != 0.0,
    |v: bool| v as u8 as f32,
    |v: f64| v as f32
);
element!(
    f64,
    F64,
    |x| x,
    |v| v,
    |x: f64| x as i64,
    |v: i64| v as f64,
    |x: f64| x != 0.0,
    |v: bool| v as u8 as f64,
    |v| v
);

/// Runs `$body` with `$v` bound to the typed slice/vec inside a `Buffer` and `$T` to its
/// element type.
#[macro_export]
macro_rules! with_buffer {
    ($buf:expr, $v:ident, $T:ident => $body:expr) => {
        match $buf {
            $crate::tensor::storage::Buffer::Bool($v) => {
                #[allow(dead_code)]
                type $T = bool;
                $body
            }
            $crate::tensor::storage::Buffer::U8($v) => {
                #[allow(dead_code)]
                type $T = u8;
                $body
            }
            $crate::tensor::storage::Buffer::I8($v) => {
                #[allow(dead_code)]
                type $T = i8;
                $body
            }
            $crate::tensor::storage::Buffer::I16($v) => {
                #[allow(dead_code)]
                type $T = i16;
                $body
            }
            $crate::tensor::storage::Buffer::I32($v) => {
                #[allow(dead_code)]
                type $T = i32;
                $body
            }
            $crate::tensor::storage::Buffer::I64($v) => {
                #[allow(dead_code)]
                type $T = i64;
                $body
            }
            $crate::tensor::storage::Buffer::F16($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::f16;
                $body
            }
            $crate::tensor::storage::Buffer::BF16($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::bf16;
                $body
            }
            $crate::tensor::storage::Buffer::F32($v) => {
                #[allow(dead_code)]
                type $T = f32;
                $body
            }
            $crate::tensor::storage::Buffer::F64($v) => {
                #[allow(dead_code)]
                type $T = f64;
                $body
            }
            $crate::tensor::storage::Buffer::U16($v) => {
                #[allow(dead_code)]
                type $T = u16;
                $body
            }
            $crate::tensor::storage::Buffer::U32($v) => {
                #[allow(dead_code)]
                type $T = u32;
                $body
            }
            $crate::tensor::storage::Buffer::U64($v) => {
                #[allow(dead_code)]
                type $T = u64;
                $body
            }
            $crate::tensor::storage::Buffer::F8E4M3FN($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E4M3Fn;
                $body
            }
            $crate::tensor::storage::Buffer::F8E5M2($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E5M2;
                $body
            }
            $crate::tensor::storage::Buffer::F8E4M3FNUZ($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E4M3Fnuz;
                $body
            }
            $crate::tensor::storage::Buffer::F8E5M2FNUZ($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E5M2Fnuz;
                $body
            }
            $crate::tensor::storage::Buffer::F8E8M0FNU($v) => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E8M0Fnu;
                $body
            }
        }
    };
}

/// Runs `$body` with `$T` bound to the element type of a `DType`.
#[macro_export]
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        $crate::with_dtype!(@arms $dtype, $T => $body; $body)
    };
    // `$float8` stands for `$body` in the 8-bit floats' arms.
    (@arms $dtype:expr, $T:ident => $body:expr; $float8:expr) => {
        match $dtype {
            $crate::tensor::DType::Bool => {
                #[allow(dead_code)]
                type $T = bool;
                $body
            }
            $crate::tensor::DType::U8 => {
                #[allow(dead_code)]
                type $T = u8;
                $body
            }
            $crate::tensor::DType::I8 => {
                #[allow(dead_code)]
                type $T = i8;
                $body
            }
            $crate::tensor::DType::I16 => {
                #[allow(dead_code)]
                type $T = i16;
                $body
            }
            $crate::tensor::DType::I32 => {
                #[allow(dead_code)]
                type $T = i32;
                $body
            }
            $crate::tensor::DType::I64 => {
                #[allow(dead_code)]
                type $T = i64;
                $body
            }
            $crate::tensor::DType::F16 => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::f16;
                $body
            }
            $crate::tensor::DType::BF16 => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::bf16;
                $body
            }
            $crate::tensor::DType::F32 => {
                #[allow(dead_code)]
                type $T = f32;
                $body
            }
            $crate::tensor::DType::F64 => {
                #[allow(dead_code)]
                type $T = f64;
                $body
            }
            $crate::tensor::DType::U16 => {
                #[allow(dead_code)]
                type $T = u16;
                $body
            }
            $crate::tensor::DType::U32 => {
                #[allow(dead_code)]
                type $T = u32;
                $body
            }
            $crate::tensor::DType::U64 => {
                #[allow(dead_code)]
                type $T = u64;
                $body
            }
            $crate::tensor::DType::F8E4M3FN => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E4M3Fn;
                $float8
            }
            $crate::tensor::DType::F8E5M2 => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E5M2;
                $float8
            }
            $crate::tensor::DType::F8E4M3FNUZ => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E4M3Fnuz;
                $float8
            }
            $crate::tensor::DType::F8E5M2FNUZ => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E5M2Fnuz;
                $float8
            }
            $crate::tensor::DType::F8E8M0FNU => {
                #[allow(dead_code)]
                type $T = $crate::tensor::storage::F8E8M0Fnu;
                $float8
            }
            // Complex storage is a real buffer of (re, im) pairs: generic kernels must not
            // treat it as real elements, so reaching one is an unsupported op.
            complex @ ($crate::tensor::DType::C32
            | $crate::tensor::DType::C64
            | $crate::tensor::DType::C128) => {
                panic!("not implemented for '{}'", complex.kernel_name())
            }
        }
    };
}

/// `with_dtype!` for the kernels PyTorch's CPU build lacks for the 8-bit floats, called
/// after refusing them: their arms hold only the refusal, so the kernel is not compiled
/// for five more element types.
#[macro_export]
macro_rules! with_kernel_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        $crate::with_dtype!(@arms $dtype, $T => $body; panic!(
            "not implemented for '{}'",
            <$T as $crate::tensor::storage::Element>::DTYPE.kernel_name()
        ))
    };
}

impl Buffer {
    pub fn dtype(&self) -> DType {
        with_buffer!(self, _v, T => T::DTYPE)
    }

    pub fn len(&self) -> usize {
        with_buffer!(self, v, T => v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A zero-filled buffer; refuses sizes the allocator cannot give with
    /// PyTorch's RuntimeError instead of aborting the process.
    pub fn zeros(dtype: DType, n: usize) -> Result<Buffer> {
        let bytes = n.saturating_mul(dtype.size_in_bytes());
        // Refuse up front what this machine cannot hold; the allocator is asked only for
        // sizes that might succeed, and its failure is caught by try_reserve.
        super::memory_limit::check(n, dtype.size_in_bytes())?;
        if dtype.is_complex() {
            return Buffer::zeros(dtype.to_real(), n * 2);
        }
        Ok(
            with_dtype!(dtype, T => T::into_buffer(zeroed_vec::<T>(n).ok_or_else(|| super::memory_limit::out_of_memory(bytes as u128))?)),
        )
    }

    /// `n` copies of `value` (converted to `dtype`, which must be real), refused as `zeros` refuses.
    pub fn filled(dtype: DType, n: usize, value: crate::tensor::Scalar) -> Result<Buffer> {
        let bytes = n.saturating_mul(dtype.size_in_bytes());
        super::memory_limit::check(n, dtype.size_in_bytes())?;
        Ok(with_dtype!(dtype, T => T::into_buffer(
            filled_vec::<T>(n, value.to_element::<T>())
                .ok_or_else(|| super::memory_limit::out_of_memory(bytes as u128))?
        )))
    }

    /// The elements' bytes in native order (bool as 0/1).
    pub fn to_ne_bytes(&self) -> Vec<u8> {
        with_buffer!(self, v, T => {
            let n = std::mem::size_of_val(v.as_slice());
            let mut out = vec![0u8; n];
            // SAFETY: `v` spans exactly `n` initialized bytes (bool included, stored as 0/1),
            // `out` has room for them and the two do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(v.as_ptr().cast::<u8>(), out.as_mut_ptr(), n) };
            out
        })
    }

    /// Elements of `dtype` read from native-order bytes (a whole number of elements;
    /// any non-zero byte is `true` for bool).
    pub fn from_ne_bytes(dtype: DType, bytes: &[u8]) -> Buffer {
        let dtype = dtype.to_real();
        let n = bytes.len() / dtype.size_in_bytes();
        if dtype == DType::Bool {
            return Buffer::Bool(bytes.iter().map(|&b| b != 0).collect());
        }
        with_dtype!(dtype, T => {
            // Not `vec![0; n]`: zeroed memory comes from calloc (a pass the copy makes
            // useless, and a large block then does not start on a cache line).
            let mut v: Vec<T> = crate::tensor::memory_limit::vec_with_capacity(n);
            // SAFETY: `v` has room for n elements, at most `bytes.len()` bytes, all written
            // here before the length is set; every bit pattern is a valid integer or float
            // of these types (bool, which is not, returned above).
            unsafe {
                std::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    v.as_mut_ptr().cast::<u8>(),
                    n * dtype.size_in_bytes(),
                );
                v.set_len(n);
            }
            T::into_buffer(v)
        })
    }

    pub fn as_slice<T: Element>(&self) -> &[T] {
        T::slice(self)
    }
}

/// `n` zeros from the allocator's zeroed allocation (memory fresh from the system is
/// not written a second time); None when the allocation fails.
fn zeroed_vec<T: Element>(n: usize) -> Option<Vec<T>> {
    if n == 0 || std::mem::size_of::<T>() == 0 {
        return Some(Vec::new());
    }
    let layout = std::alloc::Layout::array::<T>(n).ok()?;
    // SAFETY: the layout has a non-zero size. Every element type here (integers, floats,
    // bool) is valid as all-zero bytes, and all zeros is its default.
    let p = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` comes from the global allocator with `Vec<T>`'s layout for capacity
    // `n`, and its `n` elements are initialized (zeros).
    Some(unsafe { Vec::from_raw_parts(p, n, n) })
}

/// `n` copies of `value`; None when the allocation fails.
pub(crate) fn filled_vec<T: Element>(n: usize, value: T) -> Option<Vec<T>> {
    let mut v: Vec<T> = Vec::new();
    v.try_reserve_exact(n).ok()?;
    v.resize(n, value);
    Some(v)
}

/// The most element bytes a storage holds inside its own block (`Storage::filled`).
pub const INLINE_BYTES: usize = 16;

/// What keeps borrowed foreign memory alive (a NumPy array's buffer view, a DLPack
/// producer's deleter): dropped when the storage is, after the borrowed elements.
pub type ForeignOwner = Box<dyn std::any::Any + Send + Sync>;

pub struct Storage {
    /// Guards `buffer` of this storage and of every storage that reads its bytes as
    /// another dtype (those use their root's, see `lock()`), so one lock covers each
    /// allocation.
    lock: RwLock<()>,
    /// Reached only through a guard of `lock`.
    buffer: UnsafeCell<Buffer>,
    /// Set for a storage whose buffer borrows memory it did not allocate: the `Vec` in
    /// `buffer` then must never free, grow or shrink it (see `Drop`).
    owner: Option<ForeignOwner>,
    /// For a storage reading another's bytes as a different dtype: the storage that
    /// holds them (never itself such a storage). The `Vec` in `buffer` borrows its memory.
    aliased: Option<Arc<Storage>>,
    /// The elements of a storage made by `Storage::filled` when they fit here (a 0-dim
    /// or 2x2 result): the `Vec` in `buffer` then views these bytes, one allocation
    /// instead of two per small tensor.
    inline: UnsafeCell<[u64; 2]>,
    holds_inline: bool,
}

// SAFETY: `buffer` is only reached through guards of `lock` (shared reads, exclusive
// writes), and every storage viewing the same bytes holds that same lock; the elements
// are plain `Send + Sync` values and the owner is `Send + Sync` by its type.
unsafe impl Sync for Storage {}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("buffer", &*self.read())
            .field("borrowed", &self.owner.is_some())
            .field("aliased", &self.aliased.is_some())
            .finish()
    }
}

impl Drop for Storage {
    fn drop(&mut self) {
        if self.owner.is_some() || self.aliased.is_some() || self.holds_inline {
            // The elements belong to `owner`, to the aliased storage or to `inline`: forget
            // the Vec that views them instead of letting it free memory it does not own.
            let borrowed = std::mem::replace(self.buffer.get_mut(), Buffer::Bool(Vec::new()));
            std::mem::forget(borrowed);
        }
    }
}

impl Storage {
    pub fn new(buffer: Buffer) -> Storage {
        Storage::with_parts(buffer, None, None, false)
    }

    fn with_parts(
        buffer: Buffer,
        owner: Option<ForeignOwner>,
        aliased: Option<Arc<Storage>>,
        holds_inline: bool,
    ) -> Storage {
        Storage {
            lock: RwLock::new(()),
            buffer: UnsafeCell::new(buffer),
            owner,
            aliased,
            inline: UnsafeCell::new([0; 2]),
            holds_inline,
        }
    }

    /// Whether `n` elements of `T` fit inside a storage's own block (`filled`).
    pub fn fits_inline<T: Element>(n: usize) -> bool {
        n > 0
            && n * std::mem::size_of::<T>() <= INLINE_BYTES
            && std::mem::align_of::<T>() <= std::mem::align_of::<u64>()
    }

    /// A storage of `n` elements written by `fill` (given zeroed elements), inside the
    /// storage's own block when they fit (`fits_inline`).
    pub fn filled<T: Element>(n: usize, fill: impl FnOnce(&mut [T])) -> Arc<Storage> {
        if !Storage::fits_inline::<T>(n) {
            let mut v = vec![T::default(); n];
            fill(&mut v);
            return Arc::new(Storage::new(T::into_buffer(v)));
        }
        let mut storage = Arc::new(Storage::with_parts(
            T::into_buffer(Vec::new()),
            None,
            None,
            true,
        ));
        let s = Arc::get_mut(&mut storage).expect("a storage just made has one handle");
        let ptr = s.inline.get_mut().as_mut_ptr().cast::<T>();
        // SAFETY: `inline` is INLINE_BYTES long and aligned for `u64`, so it holds `n`
        // elements of `T` (checked above); its zero bytes are a valid value of every
        // element type. `s` is the only reference to it here.
        fill(unsafe { std::slice::from_raw_parts_mut(ptr, n) });
        // SAFETY: the Vec views `n` initialised elements inside the storage's own heap
        // block, which never moves (it is behind the `Arc`) and outlives the Vec: `Drop`
        // forgets the Vec (`holds_inline`), and no code resizes or replaces a storage's
        // buffer, so it never frees or reallocates this memory.
        *s.buffer.get_mut() = T::into_buffer(unsafe { Vec::from_raw_parts(ptr, n, n) });
        storage
    }

    /// A storage over `len` elements at `ptr` that it does not own: `owner` keeps them
    /// alive and is dropped with the storage (zero-copy NumPy and DLPack import).
    ///
    /// # Safety
    /// `ptr` must be non-null, aligned for `T`, valid for reads and writes of `len`
    /// initialised elements of `T` for as long as `owner` lives, and not freed by anything
    /// but dropping `owner`.
    pub unsafe fn borrowed<T: Element>(ptr: *mut T, len: usize, owner: ForeignOwner) -> Storage {
        // SAFETY: the caller vouches for the memory; the Vec never frees or reallocates
        // it: storages are never resized, no code replaces a storage's buffer, and `Drop`
        // forgets it before `owner` goes.
        let v = unsafe { Vec::from_raw_parts(ptr, len, len) };
        Storage::with_parts(T::into_buffer(v), Some(owner), None, false)
    }

    /// A storage reading the bytes of `root` as the elements in `buffer`, under `root`'s
    /// lock. `buffer` must view memory that `root` owns or borrows (see `dtype_view`).
    pub(super) fn aliasing(root: Arc<Storage>, buffer: Buffer) -> Storage {
        Storage::with_parts(buffer, None, Some(root), false)
    }

    /// Whether the elements are borrowed from a foreign owner.
    pub fn is_borrowed(&self) -> bool {
        self.owner.is_some()
    }

    /// The storage holding this one's bytes: itself, or the one it reads as another dtype.
    pub fn root(self: &Arc<Self>) -> Arc<Storage> {
        self.aliased.clone().unwrap_or_else(|| self.clone())
    }

    /// The lock guarding this storage's bytes: its own, or its root's for a storage
    /// reading another's bytes as a different dtype.
    fn lock(&self) -> &RwLock<()> {
        match &self.aliased {
            Some(root) => &root.lock,
            None => &self.lock,
        }
    }

    /// Whether `this` is the only way to the memory (no other handle, no aliasing
    /// storage): nobody else can hold or wait for its lock.
    pub fn is_unshared(this: &Arc<Storage>) -> bool {
        Arc::strong_count(this) == 1 && Arc::weak_count(this) == 0 && this.aliased.is_none()
    }

    /// Whether two storages hold the same bytes (possibly as different dtypes).
    pub fn same_memory(&self, other: &Storage) -> bool {
        std::ptr::eq(self.lock(), other.lock())
    }

    /// Shared access to the elements. Recursive: a kernel reading two operands that share
    /// this storage (`g * g`) takes it twice, and a fair read would then wait behind a
    /// writer queued in between (a backward accumulating into `g` on another thread, the
    /// GIL released), which waits for the first read: a deadlock.
    pub fn read(&self) -> MappedRwLockReadGuard<'_, Buffer> {
        RwLockReadGuard::map(self.lock().read_recursive(), |_| {
            // SAFETY: the buffer is only reached under `lock`, held here for reading.
            unsafe { &*self.buffer.get() }
        })
    }

    pub fn write(&self) -> MappedRwLockWriteGuard<'_, Buffer> {
        RwLockWriteGuard::map(self.lock().write(), |_| {
            // SAFETY: the buffer is only reached under `lock`, held here exclusively.
            unsafe { &mut *self.buffer.get() }
        })
    }

    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dtype(&self) -> DType {
        self.read().dtype()
    }

    /// The size of the elements in bytes.
    pub fn nbytes(&self) -> usize {
        let buf = self.read();
        buf.len() * buf.dtype().size_in_bytes()
    }

    /// Raw pointer to the first element, for the buffer protocol. The storage is never
    /// resized, so the pointer stays valid while the storage lives.
    pub fn data_ptr(&self) -> *const u8 {
        with_buffer!(&*self.read(), v, T => v.as_ptr().cast::<u8>())
    }

    /// Mutable raw pointer to the first element, taken under the write lock so that
    /// writes through it are allowed (for another storage aliasing these bytes).
    pub(super) fn data_ptr_mut(&self) -> *mut u8 {
        with_buffer!(&mut *self.write(), v, T => v.as_mut_ptr().cast::<u8>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_allocations_are_errors_not_aborts() {
        let e = Buffer::zeros(DType::F32, 1usize << 60).unwrap_err();
        assert!(e.message.contains("can't allocate memory"));
        assert_eq!(Buffer::zeros(DType::F64, 3).unwrap().len(), 3);
    }

    #[test]
    fn a_few_elements_live_inside_the_storage_block() {
        let s = Storage::filled(4, |o: &mut [f32]| o.copy_from_slice(&[1.0, 2.0, 3.0, 4.0]));
        assert!(s.holds_inline);
        assert_eq!(s.data_ptr(), s.inline.get().cast::<u8>().cast_const());
        assert_eq!(s.read().as_slice::<f32>(), &[1.0, 2.0, 3.0, 4.0]);
        f32::slice_mut(&mut s.write())[2] = -1.0;
        assert_eq!(s.read().as_slice::<f32>(), &[1.0, 2.0, -1.0, 4.0]);
        // a copy of the buffer owns its own memory
        let copy = Storage::new(s.read().clone());
        drop(s);
        assert_eq!(copy.read().as_slice::<f32>(), &[1.0, 2.0, -1.0, 4.0]);

        let one = Storage::filled(1, |o: &mut [f64]| o[0] = 0.5);
        assert!(one.holds_inline);
        assert_eq!(one.read().as_slice::<f64>(), &[0.5]);
        assert_eq!(one.nbytes(), 8);
        let flags = Storage::filled(3, |o: &mut [bool]| o[1] = true);
        assert_eq!(flags.read().as_slice::<bool>(), &[false, true, false]);
    }

    #[test]
    fn more_elements_get_a_buffer_of_their_own() {
        let s = Storage::filled(5, |o: &mut [f32]| o[4] = 7.0);
        assert!(!s.holds_inline);
        assert_eq!(s.read().as_slice::<f32>(), &[0.0, 0.0, 0.0, 0.0, 7.0]);
        let wide = Storage::filled(3, |o: &mut [i64]| o[0] = 1);
        assert!(!wide.holds_inline);
        let empty = Storage::filled(0, |_: &mut [f32]| {});
        assert!(!empty.holds_inline && empty.is_empty());
        assert!(Storage::fits_inline::<u8>(16) && !Storage::fits_inline::<u8>(17));
    }

    #[test]
    fn an_inline_storage_read_as_another_dtype_outlives_its_first_handle() {
        let s = Storage::filled(2, |o: &mut [f32]| o.copy_from_slice(&[1.0, -2.0]));
        let ints = s.reinterpret(DType::I32).unwrap();
        drop(s);
        assert_eq!(
            ints.read().as_slice::<i32>(),
            &[0x3f80_0000, 0xc000_0000u32 as i32]
        );
    }

    #[test]
    fn borrowed_storage_leaves_freeing_to_its_owner() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        struct Owner(Vec<f64>, Arc<AtomicBool>);
        impl Drop for Owner {
            fn drop(&mut self) {
                self.1.store(true, Ordering::SeqCst);
            }
        }
        let freed = Arc::new(AtomicBool::new(false));
        let mut owner = Box::new(Owner(vec![1.0, 2.0, 3.0], freed.clone()));
        let ptr = owner.0.as_mut_ptr();
        // SAFETY: `ptr` points at the 3 elements of the Vec that `owner` keeps alive.
        let s = unsafe { Storage::borrowed(ptr, 3, owner) };
        assert!(s.is_borrowed());
        f64::slice_mut(&mut s.write())[1] = 5.0;
        assert_eq!(s.read().as_slice::<f64>(), &[1.0, 5.0, 3.0]);
        assert!(!freed.load(Ordering::SeqCst));
        drop(s);
        assert!(freed.load(Ordering::SeqCst));
    }

    #[test]
    fn a_second_read_does_not_wait_behind_a_queued_writer() {
        use std::sync::mpsc;
        use std::time::Duration;
        let s = Arc::new(Storage::new(Buffer::F32(vec![1.0; 4])));
        let (done_tx, done_rx) = mpsc::channel();
        let reader = s.clone();
        std::thread::spawn(move || {
            let first = reader.read();
            let writer = reader.clone();
            let queued = std::thread::spawn(move || {
                f32::slice_mut(&mut writer.write())[0] = 2.0;
            });
            // let the writer park on the lock before the second read
            std::thread::sleep(Duration::from_millis(100));
            let second = reader.read();
            let sum = first.as_slice::<f32>()[0] + second.as_slice::<f32>()[0];
            drop((first, second));
            queued.join().unwrap();
            done_tx.send(sum).unwrap();
        });
        let sum = done_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the second read deadlocked behind the queued writer");
        assert_eq!(sum, 2.0);
        assert_eq!(s.read().as_slice::<f32>()[0], 2.0);
    }

    #[test]
    fn casts_between_element_types() {
        assert_eq!(f32::from_f64(2.5), 2.5f32);
        assert!(bool::from_f64(0.5));
        assert_eq!(i64::from_f64(-2.7), -2);
        assert_eq!(true.to_f64(), 1.0);
    }

    #[test]
    fn float_to_narrow_casts_follow_x86() {
        assert_eq!(i8::from_f64_cast(300.0), 44);
        assert_eq!(u8::from_f64_cast(-1.0), 255);
        assert_eq!(i8::from_f64_cast(1e10), 0);
        assert_eq!(i32::from_f64_cast(f64::NAN), i32::MIN);
        assert_eq!(i64::from_f64_cast(1e30), i64::MIN);
        assert_eq!(
            f16::from_f64_cast(1.0 + 2f64.powi(-11) + 2f64.powi(-40)),
            f16::ONE
        );
        assert_eq!(bf16::from_i64(257).to_f64(), 256.0);
    }
}
