//! Elementwise loops over contiguous slices, compiled once per instruction set and chosen
//! at run time (`vmath::level()`).
//!
//! The shipped build targets baseline x86-64, where `f32::floor`, `round_ties_even` and
//! friends are calls into software routines and compare-and-select loops use 128-bit
//! registers. The same closure inlined into a function compiled with AVX2 or AVX-512
//! becomes `vroundps`, `vsqrtps`, masked compares and 256/512-bit selects. The results
//! are bit-for-bit those of the portable loop, since Rust never contracts `a * b + c`
//! into a fused multiply-add on its own (lane formulas that want FMA pick it explicitly,
//! see `vmath::MulAdd`).

use super::vmath::{level, Level};
use crate::parallel;
use std::mem::MaybeUninit;

/// Below this many elements a map stays on the calling thread (as `elementwise`).
const PAR_MIN: usize = super::elementwise::PAR_MIN_ELEMS;

#[inline(always)]
fn fill1<T: Copy, U>(src: &[T], dst: &mut [MaybeUninit<U>], f: &impl Fn(T) -> U) {
    for (d, &s) in dst.iter_mut().zip(src) {
        d.write(f(s));
    }
}

#[inline(always)]
fn fill2<A: Copy, B: Copy, U>(
    a: &[A],
    b: &[B],
    dst: &mut [MaybeUninit<U>],
    f: &impl Fn(A, B) -> U,
) {
    for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
        d.write(f(x, y));
    }
}

#[inline(always)]
fn fill3<T: Copy, U>(
    (a, b, c): (&[T], &[T], &[T]),
    dst: &mut [MaybeUninit<U>],
    f: &impl Fn(T, T, T) -> U,
) {
    for (((d, &x), &y), &z) in dst.iter_mut().zip(a).zip(b).zip(c) {
        d.write(f(x, y, z));
    }
}

#[inline(always)]
fn update2<T: Copy, S: Copy>(dst: &mut [T], src: &[S], f: &impl Fn(T, S) -> T) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f(*d, s);
    }
}

/// `dst[i] = f(dst[i], src[i])` (an in-place update) with the loop compiled for `level`.
pub fn update_at<T: Copy, S: Copy>(level: Level, dst: &mut [T], src: &[S], f: &impl Fn(T, S) -> T) {
    assert_eq!(src.len(), dst.len(), "simd_map slices differ in length");
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<T: Copy, S: Copy>(dst: &mut [T], src: &[S], f: &impl Fn(T, S) -> T) {
            update2(dst, src, f)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<T: Copy, S: Copy>(dst: &mut [T], src: &[S], f: &impl Fn(T, S) -> T) {
            update2(dst, src, f)
        }
        match level {
            // SAFETY: as in `fill1_at`.
            Level::Avx512 => return unsafe { avx512(dst, src, f) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(dst, src, f) },
            Level::Portable => {}
        }
    }
    let _ = level;
    update2(dst, src, f)
}

/// `dst[i] = f(dst[i], src[i])` at this CPU's best level, on the calling thread.
pub fn update<T: Copy, S: Copy>(dst: &mut [T], src: &[S], f: impl Fn(T, S) -> T) {
    update_at(level(), dst, src, &f)
}

/// `dst[i] = f(src[i])` with the loop compiled for `level`; writes every slot of `dst`.
pub fn fill1_at<T: Copy, U>(
    level: Level,
    src: &[T],
    dst: &mut [MaybeUninit<U>],
    f: &impl Fn(T) -> U,
) {
    assert_eq!(src.len(), dst.len(), "simd_map slices differ in length");
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<T: Copy, U>(src: &[T], dst: &mut [MaybeUninit<U>], f: &impl Fn(T) -> U) {
            fill1(src, dst, f)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<T: Copy, U>(src: &[T], dst: &mut [MaybeUninit<U>], f: &impl Fn(T) -> U) {
            fill1(src, dst, f)
        }
        match level {
            // SAFETY: a level other than Portable comes from `vmath::detect` (or a test
            // that made the same check), which found every feature these functions enable.
            Level::Avx512 => return unsafe { avx512(src, dst, f) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(src, dst, f) },
            Level::Portable => {}
        }
    }
    let _ = level;
    fill1(src, dst, f)
}

/// `dst[i] = f(a[i], b[i])` with the loop compiled for `level`; writes every slot.
pub fn fill2_at<A: Copy, B: Copy, U>(
    level: Level,
    a: &[A],
    b: &[B],
    dst: &mut [MaybeUninit<U>],
    f: &impl Fn(A, B) -> U,
) {
    assert!(
        a.len() == dst.len() && b.len() == dst.len(),
        "simd_map slices differ in length"
    );
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<A: Copy, B: Copy, U>(
            a: &[A],
            b: &[B],
            dst: &mut [MaybeUninit<U>],
            f: &impl Fn(A, B) -> U,
        ) {
            fill2(a, b, dst, f)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<A: Copy, B: Copy, U>(
            a: &[A],
            b: &[B],
            dst: &mut [MaybeUninit<U>],
            f: &impl Fn(A, B) -> U,
        ) {
            fill2(a, b, dst, f)
        }
        match level {
            // SAFETY: as in `fill1_at`.
            Level::Avx512 => return unsafe { avx512(a, b, dst, f) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(a, b, dst, f) },
            Level::Portable => {}
        }
    }
    let _ = level;
    fill2(a, b, dst, f)
}

/// `dst[i] = f(a[i], b[i], c[i])` with the loop compiled for `level`; writes every slot.
pub fn fill3_at<T: Copy, U>(
    level: Level,
    abc: (&[T], &[T], &[T]),
    dst: &mut [MaybeUninit<U>],
    f: &impl Fn(T, T, T) -> U,
) {
    let n = dst.len();
    assert!(
        abc.0.len() == n && abc.1.len() == n && abc.2.len() == n,
        "simd_map slices differ in length"
    );
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<T: Copy, U>(
            abc: (&[T], &[T], &[T]),
            dst: &mut [MaybeUninit<U>],
            f: &impl Fn(T, T, T) -> U,
        ) {
            fill3(abc, dst, f)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<T: Copy, U>(
            abc: (&[T], &[T], &[T]),
            dst: &mut [MaybeUninit<U>],
            f: &impl Fn(T, T, T) -> U,
        ) {
            fill3(abc, dst, f)
        }
        match level {
            // SAFETY: as in `fill1_at`.
            Level::Avx512 => return unsafe { avx512(abc, dst, f) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2(abc, dst, f) },
            Level::Portable => {}
        }
    }
    let _ = level;
    fill3(abc, dst, f)
}

/// `f` over `src` at this CPU's best level, cut across the intra-op threads when large.
pub fn map1<T: Copy + Sync, U: Send>(src: &[T], f: impl Fn(T) -> U + Sync + Send) -> Vec<U> {
    map1_at(level(), src, f)
}

/// As `map1`, at a given level (tests compare the levels).
pub fn map1_at<T: Copy + Sync, U: Send>(
    level: Level,
    src: &[T],
    f: impl Fn(T) -> U + Sync + Send,
) -> Vec<U> {
    let n = src.len();
    let tasks = parallel::task_count(n, PAR_MIN);
    parallel::collect_with_chunk(n, parallel::chunk_len(n, tasks), |start, out| {
        fill1_at(level, &src[start..start + out.len()], out, &f);
        out.len()
    })
}

/// `f` pairwise over equal-length `a` and `b` at this CPU's best level.
pub fn map2<A: Copy + Sync, B: Copy + Sync, U: Send>(
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> U + Sync + Send,
) -> Vec<U> {
    map2_at(level(), a, b, f)
}

/// As `map2`, at a given level.
pub fn map2_at<A: Copy + Sync, B: Copy + Sync, U: Send>(
    level: Level,
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> U + Sync + Send,
) -> Vec<U> {
    assert_eq!(a.len(), b.len(), "simd_map slices differ in length");
    let n = a.len();
    let tasks = parallel::task_count(n, PAR_MIN);
    parallel::collect_with_chunk(n, parallel::chunk_len(n, tasks), |start, out| {
        let end = start + out.len();
        fill2_at(level, &a[start..end], &b[start..end], out, &f);
        out.len()
    })
}

/// `f` over three equal-length slices at this CPU's best level.
pub fn map3<T: Copy + Sync, U: Send>(
    abc: (&[T], &[T], &[T]),
    f: impl Fn(T, T, T) -> U + Sync + Send,
) -> Vec<U> {
    map3_at(level(), abc, f)
}

/// As `map3`, at a given level.
pub fn map3_at<T: Copy + Sync, U: Send>(
    level: Level,
    (a, b, c): (&[T], &[T], &[T]),
    f: impl Fn(T, T, T) -> U + Sync + Send,
) -> Vec<U> {
    let n = a.len();
    assert!(
        b.len() == n && c.len() == n,
        "simd_map slices differ in length"
    );
    let tasks = parallel::task_count(n, PAR_MIN);
    parallel::collect_with_chunk(n, parallel::chunk_len(n, tasks), |start, out| {
        let r = start..start + out.len();
        fill3_at(level, (&a[r.clone()], &b[r.clone()], &c[r]), out, &f);
        out.len()
    })
}

#[cfg(test)]
mod tests;
