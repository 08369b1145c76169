//! A bounded cache of large freed heap blocks, handed to the next allocation of the same
//! size class.
//!
//! A training step frees and re-allocates the same activation and gradient buffers every
//! iteration. glibc gives blocks of 128 KB and more back to the kernel when they are
//! freed (`munmap`, or trimming the top of the heap), so every step pays a page fault
//! for each 4 KB page it touches again (~1.4 µs each on the reference machine, more
//! than the arithmetic on it). Keeping a few freed blocks and reusing them saves those
//! faults. Sizes are rounded up to whole pages so that nearby requests share a class;
//! the cache holds at most `SLOTS` blocks and `MAX_CACHED_BYTES` in all (a block given
//! to a full cache evicts the oldest ones, so sizes a program no longer uses do not
//! hold the cache for good), and is emptied when the allocator trims after releasing a
//! large graph.
//!
//! It sits inside the global allocator, so it must not allocate and its lock must not
//! park (parking can allocate): a spin lock held for a scan of `SLOTS` words.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Blocks from this size up are cached (smaller ones glibc recycles itself).
pub const MIN_BLOCK: usize = 128 << 10;
/// Larger blocks are rare and each would take a large share of the budget.
const MAX_BLOCK: usize = 64 << 20;
const MAX_CACHED_BYTES: usize = 256 << 20;
const SLOTS: usize = 64;
const PAGE: usize = 4096;

/// The size actually requested from the system for a request of `size` bytes.
pub fn class_size(size: usize) -> usize {
    if size >= MIN_BLOCK {
        size.checked_next_multiple_of(PAGE).unwrap_or(size)
    } else {
        size
    }
}

/// The largest alignment a cached block is asked for (the allocator's cache-line start).
const MAX_ALIGN: usize = 64;

fn cacheable(class: usize, align: usize) -> bool {
    (MIN_BLOCK..=MAX_BLOCK).contains(&class) && align <= MAX_ALIGN
}

struct Blocks {
    class: [usize; SLOTS],
    ptr: [usize; SLOTS],
    /// When each block was given (a counter): the smallest is evicted first.
    given: [u64; SLOTS],
    next: u64,
    bytes: usize,
}

/// Up to `SLOTS` blocks (address and size class) behind a spin lock.
pub struct BlockCache {
    locked: AtomicBool,
    blocks: UnsafeCell<Blocks>,
}

// SAFETY: `blocks` is only reached through `with_blocks`, which holds `locked`.
unsafe impl Sync for BlockCache {}

static CACHE: BlockCache = BlockCache::new();

impl BlockCache {
    pub const fn new() -> BlockCache {
        BlockCache {
            locked: AtomicBool::new(false),
            blocks: UnsafeCell::new(Blocks {
                class: [0; SLOTS],
                ptr: [0; SLOTS],
                given: [0; SLOTS],
                next: 0,
                bytes: 0,
            }),
        }
    }

    fn with_blocks<R>(&self, f: impl FnOnce(&mut Blocks) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        // SAFETY: the flag just taken gives this thread sole access until it is cleared.
        let r = f(unsafe { &mut *self.blocks.get() });
        self.locked.store(false, Ordering::Release);
        r
    }

    /// A cached block of exactly `class` bytes (see `class_size`) whose address is a
    /// multiple of `align`, if one is kept.
    pub fn take(&self, class: usize, align: usize) -> Option<*mut u8> {
        if !cacheable(class, align) {
            return None;
        }
        self.with_blocks(|b| {
            let i = (0..SLOTS).find(|&i| b.class[i] == class && b.ptr[i] % align == 0)?;
            b.class[i] = 0;
            b.bytes -= class;
            Some(std::mem::replace(&mut b.ptr[i], 0) as *mut u8)
        })
    }

    /// Keeps a freed block of `class` bytes for reuse, first evicting the oldest blocks
    /// while the cache has no free slot or not enough bytes left (`free(ptr, class)` is
    /// called for each outside the lock); false when the block is not cacheable (the
    /// caller frees it).
    pub fn give(
        &self,
        ptr: *mut u8,
        class: usize,
        align: usize,
        mut free: impl FnMut(*mut u8, usize),
    ) -> bool {
        if !cacheable(class, align) {
            return false;
        }
        let mut evicted = [(0usize, 0usize); SLOTS];
        let count = self.with_blocks(|b| {
            let mut count = 0;
            loop {
                let free_slot = b.class.iter().position(|&c| c == 0);
                if let Some(i) = free_slot.filter(|_| b.bytes + class <= MAX_CACHED_BYTES) {
                    b.class[i] = class;
                    b.ptr[i] = ptr as usize;
                    b.given[i] = b.next;
                    b.next += 1;
                    b.bytes += class;
                    return count;
                }
                let oldest = (0..SLOTS)
                    .filter(|&i| b.class[i] != 0)
                    .min_by_key(|&i| b.given[i])
                    .expect("a full cache holds a block");
                evicted[count] = (std::mem::replace(&mut b.ptr[oldest], 0), b.class[oldest]);
                b.bytes -= std::mem::replace(&mut b.class[oldest], 0);
                count += 1;
            }
        });
        for &(p, c) in &evicted[..count] {
            free(p as *mut u8, c);
        }
        true
    }

    /// Removes every block, calling `free(ptr, class)` for each outside the lock.
    pub fn drain(&self, mut free: impl FnMut(*mut u8, usize)) {
        loop {
            let next = self.with_blocks(|b| {
                let i = b.class.iter().position(|&c| c != 0)?;
                let class = std::mem::replace(&mut b.class[i], 0);
                b.bytes -= class;
                Some((std::mem::replace(&mut b.ptr[i], 0) as *mut u8, class))
            });
            match next {
                Some((ptr, class)) => free(ptr, class),
                None => return,
            }
        }
    }

    /// Bytes held now.
    #[cfg(test)]
    pub fn cached_bytes(&self) -> usize {
        self.with_blocks(|b| b.bytes)
    }
}

/// The global allocator's cache.
pub fn global() -> &'static BlockCache {
    &CACHE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_to_pages_only_from_the_cached_size_up() {
        assert_eq!(class_size(100), 100);
        assert_eq!(class_size(MIN_BLOCK - 1), MIN_BLOCK - 1);
        assert_eq!(class_size(MIN_BLOCK + 1), MIN_BLOCK + PAGE);
        assert_eq!(class_size(300 * PAGE), 300 * PAGE);
        assert_eq!(class_size(usize::MAX - 5), usize::MAX - 5);
    }

    #[test]
    fn a_block_goes_back_out_only_for_its_own_class() {
        let cache = BlockCache::new();
        let (a, b) = (0x10_0000 as *mut u8, 0x90_0000 as *mut u8);
        let keep = |_: *mut u8, _: usize| panic!("nothing is evicted here");
        assert!(cache.give(a, MIN_BLOCK, 16, keep));
        assert!(cache.give(b, MIN_BLOCK + PAGE, 8, keep));
        assert_eq!(cache.take(MIN_BLOCK + 2 * PAGE, 16), None);
        assert_eq!(cache.take(MIN_BLOCK + PAGE, 16), Some(b));
        assert_eq!(cache.take(MIN_BLOCK + PAGE, 16), None);
        assert_eq!(cache.cached_bytes(), MIN_BLOCK);
        // over-aligned, too small and too large blocks are never kept
        assert!(!cache.give(a, MIN_BLOCK, 128, keep));
        assert!(!cache.give(a, MIN_BLOCK - PAGE, 16, keep));
        assert!(!cache.give(a, MAX_BLOCK + PAGE, 16, keep));
    }

    #[test]
    fn a_block_goes_out_only_to_a_request_its_address_suits() {
        let cache = BlockCache::new();
        let (lines, off) = (0x20_0000 as *mut u8, 0x40_0010 as *mut u8);
        let keep = |_: *mut u8, _: usize| panic!("nothing is evicted here");
        assert!(cache.give(off, MIN_BLOCK, 16, keep));
        assert_eq!(cache.take(MIN_BLOCK, 64), None);
        assert!(cache.give(lines, MIN_BLOCK, 64, keep));
        assert_eq!(cache.take(MIN_BLOCK, 64), Some(lines));
        assert_eq!(cache.take(MIN_BLOCK, 16), Some(off));
    }

    #[test]
    fn large_blocks_start_on_a_cache_line() {
        // through the real global allocator, fresh and reused
        for n in [(1 << 17) + 3, 300_000, (1 << 20) / 4 + 77] {
            let v: Vec<f32> = Vec::with_capacity(n);
            assert_eq!(v.as_ptr() as usize % 64, 0, "{n} floats");
            drop(v);
            let again: Vec<u8> = Vec::with_capacity(4 * n);
            assert_eq!(again.as_ptr() as usize % 64, 0, "{n} bytes, reused");
        }
    }

    #[test]
    fn the_cache_is_bounded_in_blocks_and_bytes_and_drains() {
        let cache = BlockCache::new();
        let mut evicted = Vec::new();
        for i in 0..SLOTS + 8 {
            let p = (PAGE * (i + 1)) as *mut u8;
            assert!(cache.give(p, MIN_BLOCK, 16, |p, c| evicted.push((p as usize, c))));
        }
        // the eight oldest made room for the last eight
        let oldest: Vec<_> = (0..8).map(|i| (PAGE * (i + 1), MIN_BLOCK)).collect();
        assert_eq!(evicted, oldest);
        assert_eq!(cache.cached_bytes(), SLOTS * MIN_BLOCK);
        let big = BlockCache::new();
        let mut evicted = Vec::new();
        for i in 0..8 {
            let p = (PAGE * (i + 1)) as *mut u8;
            assert!(big.give(p, MAX_BLOCK, 16, |p, _| evicted.push(p as usize)));
        }
        let held = MAX_CACHED_BYTES / MAX_BLOCK;
        assert_eq!(
            evicted,
            (1..=8 - held).map(|i| PAGE * i).collect::<Vec<_>>()
        );
        assert_eq!(big.cached_bytes(), held * MAX_BLOCK);
        let mut freed = Vec::new();
        cache.drain(|p, class| freed.push((p as usize, class)));
        assert_eq!(freed.len(), SLOTS);
        assert_eq!(cache.cached_bytes(), 0);
    }

    #[test]
    fn a_freed_large_vector_is_reused_by_the_next_of_its_size() {
        // Through the real global allocator, with a size no other test uses: the second
        // buffer gets the first one's block, and reads zeros where it asked for zeros.
        let n = (1 << 20) / 4 + 1_234;
        let first = vec![1.0f32; n];
        let addr = first.as_ptr() as usize;
        drop(first);
        let second = vec![0.0f32; n];
        assert_eq!(second.as_ptr() as usize, addr);
        assert!(second.iter().all(|&x| x == 0.0));
    }
}
