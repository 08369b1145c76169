//! Small heap blocks (under `large_block_cache::MIN_BLOCK`) come from mimalloc.
//!
//! Every op makes and frees a handful of small objects (the tensor, its storage and
//! buffer, a graph node); glibc's free lists spend a few hundred instructions on each
//! pair, mimalloc's thread-local pages far fewer. Blocks of the usual alignment take
//! `mi_malloc` directly (its aligned entry point falls to a slow path for some sizes);
//! larger alignments take the aligned calls.

use libmimalloc_sys as mi;
use std::alloc::Layout;
use std::ffi::c_void;

/// The alignment `mi_malloc` gives every block of at least this size.
const MALLOC_ALIGN: usize = 16;

fn plain(layout: Layout) -> bool {
    layout.align() <= MALLOC_ALIGN && layout.align() <= layout.size()
}

/// # Safety
/// As `GlobalAlloc::alloc`: `layout` has a non-zero size.
#[inline]
pub unsafe fn alloc(layout: Layout) -> *mut u8 {
    if plain(layout) {
        mi::mi_malloc(layout.size()) as *mut u8
    } else {
        mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
    }
}

/// # Safety
/// As `GlobalAlloc::alloc_zeroed`.
#[inline]
pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
    if plain(layout) {
        mi::mi_zalloc(layout.size()) as *mut u8
    } else {
        mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
    }
}

/// # Safety
/// As `GlobalAlloc::dealloc`: `ptr` came from this module.
#[inline]
pub unsafe fn dealloc(ptr: *mut u8) {
    mi::mi_free(ptr as *mut c_void)
}

/// # Safety
/// As `GlobalAlloc::realloc`: `ptr` came from this module with `layout`.
#[inline]
pub unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    if plain(layout) && layout.align() <= new_size {
        mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
    } else {
        mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
    }
}

/// Hands the pages of freed small blocks back to the system now.
pub fn return_free_pages() {
    // SAFETY: mi_collect takes no pointer from us; it frees only pages without live blocks.
    unsafe { mi::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_their_alignment_and_keep_contents_across_realloc() {
        for (size, align) in [(1, 1), (8, 8), (24, 8), (40, 16), (100, 64), (3000, 128)] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: non-zero sizes; each block is written within its size and freed once.
            unsafe {
                let p = alloc(layout);
                assert_eq!(p as usize % align, 0);
                p.write_bytes(7, size);
                let q = realloc(p, layout, size * 3);
                assert_eq!(q as usize % align, 0);
                assert!((0..size).all(|i| *q.add(i) == 7));
                dealloc(q);
                let z = alloc_zeroed(layout);
                assert!((0..size).all(|i| *z.add(i) == 0));
                dealloc(z);
            }
        }
    }
}
