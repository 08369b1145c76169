//! The global allocator: mimalloc for small blocks (`small_blocks`), the system's for
//! large ones, with advice to back large buffers with huge pages and a bounded cache of
//! large freed blocks (`large_block_cache`).
//!
//! A 64 MB tensor in 4 KB pages costs 16,384 page faults when first written; with the
//! kernel's transparent huge pages it costs 32. Linux grants them only to memory that
//! asks (`/sys/kernel/mm/transparent_hugepage/enabled` is usually `madvise`), so every
//! allocation of 4 MB or more is advised before its first touch — what NumPy does too.

use crate::{large_block_cache, small_blocks};
use std::alloc::{GlobalAlloc, Layout, System};

pub struct HugePageAdvice;

const LARGE: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;
/// Large blocks start on a cache line. glibc puts a large block 16 bytes past a page
/// start, so a vector loop storing into it splits every 64-byte store over two lines
/// (NumPy's own `multiply` into 800 KB: 24 µs into a line-aligned buffer, 29 µs 16 bytes
/// past one).
const LARGE_ALIGN: usize = 64;

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

/// `layout` with its size rounded up to the size class the system is asked for.
fn system_layout(layout: Layout) -> Layout {
    let size = large_block_cache::class_size(layout.size());
    Layout::from_size_align(size, layout.align()).unwrap_or(layout)
}

// SAFETY: a block under `MIN_BLOCK` comes from and goes back to `small_blocks`; a block
// moves between the two allocators only through `realloc_across`, which allocates from
// the one that serves the new size and frees the old block through the one that served
// it. Every larger block comes from `System` with `system_layout(layout)` and goes back to
// it with the same layout (a block in the large-block cache is handed out again only
// for a request of the same size class and alignment ≤ 16); `advise` does not touch
// the memory or the allocator's state. Below `MIN_BLOCK` (nearly every call) the layout
// is the caller's, unchanged.
//
// The allocator is inlined into every allocation site of the crate, so each method keeps
// only the small-block test inline and calls out for the rest.
unsafe impl GlobalAlloc for HugePageAdvice {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() < large_block_cache::MIN_BLOCK {
            return small_blocks::alloc(layout);
        }
        alloc_large(layout, false)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() < large_block_cache::MIN_BLOCK {
            return small_blocks::alloc_zeroed(layout);
        }
        alloc_large(layout, true)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() < large_block_cache::MIN_BLOCK {
            return small_blocks::dealloc(ptr);
        }
        dealloc_large(ptr, layout)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.size() < large_block_cache::MIN_BLOCK && new_size < large_block_cache::MIN_BLOCK {
            return small_blocks::realloc(ptr, layout, new_size);
        }
        if layout.size() < large_block_cache::MIN_BLOCK || new_size < large_block_cache::MIN_BLOCK {
            return realloc_across(ptr, layout, new_size);
        }
        realloc_large(ptr, layout, new_size)
    }
}

#[inline(never)]
unsafe fn alloc_large(layout: Layout, zeroed: bool) -> *mut u8 {
    let sys = system_layout(layout);
    // Zeroed blocks come from calloc, whose fresh pages need no zero fill, at the
    // caller's alignment; the others start on a line (and a cached block serves only a
    // request its address suits).
    let align = if zeroed {
        sys.align()
    } else {
        sys.align().max(LARGE_ALIGN)
    };
    if let Some(p) = large_block_cache::global().take(sys.size(), align) {
        if zeroed {
            // A reused block holds old data; zeroing it is still cheaper than the page
            // faults of fresh memory.
            std::ptr::write_bytes(p, 0, layout.size());
        }
        return p;
    }
    let p = if zeroed {
        System.alloc_zeroed(sys)
    } else {
        // `free` takes blocks of any alignment, so `dealloc` passing `sys` is fine.
        System.alloc(Layout::from_size_align_unchecked(sys.size(), align))
    };
    if sys.size() >= LARGE && !p.is_null() {
        advise(p, sys.size());
    }
    p
}

#[inline(never)]
unsafe fn dealloc_large(ptr: *mut u8, layout: Layout) {
    let sys = system_layout(layout);
    let evict = |old: *mut u8, class: usize| {
        // SAFETY: an evicted block was given to the cache by this function, with this
        // size class, from `System` (which frees any alignment).
        unsafe { System.dealloc(old, Layout::from_size_align_unchecked(class, 16)) }
    };
    if !large_block_cache::global().give(ptr, sys.size(), sys.align(), evict) {
        System.dealloc(ptr, sys)
    }
}

/// A block moving between the small-block allocator and the system's: a new block from
/// the one that serves `new_size`, the contents copied, the old block freed by its own.
#[inline(never)]
unsafe fn realloc_across(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
    let p = HugePageAdvice.alloc(new_layout);
    if !p.is_null() {
        std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
        HugePageAdvice.dealloc(ptr, layout);
    }
    p
}

#[inline(never)]
unsafe fn realloc_large(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    let sys = system_layout(layout);
    let new_sys = large_block_cache::class_size(new_size);
    let p = System.realloc(ptr, sys, new_sys);
    if new_sys >= LARGE && !p.is_null() {
        advise(p, new_sys);
    }
    p
}

/// Frees every block the large-block cache holds (before the allocator trims).
pub fn release_cached_blocks() {
    large_block_cache::global().drain(|ptr, class| {
        // SAFETY: the cache holds only blocks that `HugePageAdvice` took from `System`
        // with this size class and an alignment ≤ 16, and gave up ownership of them.
        unsafe { System.dealloc(ptr, Layout::from_size_align_unchecked(class, 16)) }
    });
}
