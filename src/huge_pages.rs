//! The global allocator: the system's, plus advice to back large buffers with huge pages.
//!
//! A 64 MB tensor in 4 KB pages costs 16,384 page faults when first written; with the
//! kernel's transparent huge pages it costs 32. Linux grants them only to memory that
//! asks (`/sys/kernel/mm/transparent_hugepage/enabled` is usually `madvise`), so every
//! allocation of 4 MB or more is advised before its first touch — what NumPy does too.

use std::alloc::{GlobalAlloc, Layout, System};

pub struct HugePageAdvice;

const LARGE: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

#[cfg(target_os = "linux")]
fn advise(start: *mut u8, len: usize) {
    extern "C" {
        fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
    }
    const MADV_HUGEPAGE: i32 = 14;
    let first = (start as usize).next_multiple_of(HUGE_PAGE);
    let end = (start as usize + len) / HUGE_PAGE * HUGE_PAGE;
    if end > first {
        // SAFETY: [first, end) lies inside the block the system allocator just returned
        // to us; MADV_HUGEPAGE changes only how the kernel backs those pages, never
        // their contents, and an error (no THP support) is harmless and ignored.
        unsafe {
            madvise(first as *mut std::ffi::c_void, end - first, MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: *mut u8, _len: usize) {}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and
// returns its result; `advise` does not touch the memory or the allocator's state.
unsafe impl GlobalAlloc for HugePageAdvice {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if layout.size() >= LARGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if layout.size() >= LARGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if new_size >= LARGE && !p.is_null() {
            advise(p, new_size);
        }
        p
    }
}
