//! Hands freed heap memory back to the operating system after a large graph goes.
//!
//! A graph of a million nodes is millions of small allocations; once they are freed the
//! C allocator keeps the pages for reuse, so the process would stay at its peak size.
//! After a release that large, asking the allocator to trim costs a few milliseconds
//! and brings the resident size back near where it was.

/// Releases below this many nodes are left to the allocator.
pub const LARGE_RELEASE: usize = 1 << 16;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_free_memory() {
    crate::huge_pages::release_cached_blocks();
    crate::small_blocks::return_free_pages();
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: glibc's malloc_trim takes no pointer from us and only returns pages of
    // chunks that are already free; it is thread-safe (it takes each arena's lock).
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_free_memory() {
    crate::huge_pages::release_cached_blocks();
    crate::small_blocks::return_free_pages();
}
