//! A cell that makes its `Arc` on first use. `OnceLock` does the same through a call
//! into `Once` on every first use; every op result with a history makes its autograd
//! metadata this way, so the first use here is a compare-and-swap and a store.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const READY: u8 = 2;

pub struct LazyArc<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<Arc<T>>>,
}

// SAFETY: the value is written once, by the one thread that moved `state` from EMPTY to
// WRITING, before it stores READY (release); readers look only after loading READY
// (acquire), and it is never written again while shared. It is shared as an `Arc<T>`.
unsafe impl<T: Send + Sync> Sync for LazyArc<T> {}
// SAFETY: as above: the cell owns an `Arc<T>`.
unsafe impl<T: Send + Sync> Send for LazyArc<T> {}

impl<T> LazyArc<T> {
    pub const fn new() -> LazyArc<T> {
        LazyArc {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    pub fn with(value: Arc<T>) -> LazyArc<T> {
        LazyArc {
            state: AtomicU8::new(READY),
            value: UnsafeCell::new(Some(value)),
        }
    }

    #[inline]
    pub fn get(&self) -> Option<&Arc<T>> {
        if self.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // SAFETY: READY: written once before, never written again while shared.
        unsafe { (*self.value.get()).as_ref() }
    }

    #[inline]
    pub fn get_or_init(&self, make: impl FnOnce() -> Arc<T>) -> &Arc<T> {
        match self.get() {
            Some(value) => value,
            None => self.init(make()),
        }
    }

    /// Stores `made` unless another thread got there first (then `made` is dropped).
    #[cold]
    fn init(&self, made: Arc<T>) -> &Arc<T> {
        match self.try_set(made) {
            Ok(value) => value,
            Err(made) => {
                drop(made);
                self.get().expect("the cell is ready")
            }
        }
    }

    /// Stores `made` if the cell is still empty; hands it back if a value is (or is
    /// being) stored already.
    pub fn try_set(&self, made: Arc<T>) -> Result<&Arc<T>, Arc<T>> {
        match self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                // SAFETY: only this thread moved EMPTY to WRITING, and no reader looks
                // before READY.
                unsafe { *self.value.get() = Some(made) };
                self.state.store(READY, Ordering::Release);
                Ok(self.get().expect("the cell is ready"))
            }
            Err(_) => {
                // the winner is between its swap and its store: a few instructions
                while self.state.load(Ordering::Acquire) != READY {
                    std::hint::spin_loop();
                }
                Err(made)
            }
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for LazyArc<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LazyArc").field(&self.get()).finish()
    }
}

impl<T> Default for LazyArc<T> {
    fn default() -> LazyArc<T> {
        LazyArc::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_made_is_the_one_every_thread_sees() {
        let cell: LazyArc<u32> = LazyArc::new();
        assert!(cell.get().is_none());
        let cell = &cell;
        let seen: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4u32)
                .map(|i| s.spawn(move || Arc::as_ptr(cell.get_or_init(|| Arc::new(i))) as usize))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(seen.iter().all(|&p| p == seen[0]));
        assert_eq!(Arc::strong_count(cell.get().unwrap()), 1);
    }

    #[test]
    fn try_set_hands_back_a_value_when_the_cell_is_full() {
        let cell: LazyArc<u32> = LazyArc::new();
        assert_eq!(**cell.try_set(Arc::new(1)).unwrap(), 1);
        let refused = cell.try_set(Arc::new(2)).unwrap_err();
        assert_eq!((*refused, **cell.get().unwrap()), (2, 1));
    }
}
