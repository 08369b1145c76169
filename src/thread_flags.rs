//! Per-thread flags the Python boundary reads around every call, kept in one
//! thread-local so that a call pays for one thread-local lookup, not one per flag.

use std::cell::Cell;

pub struct ThreadFlags {
    /// How many guarded calls are running on this thread (their panics print nothing).
    pub guard_depth: Cell<u32>,
    /// Set when an op kept an error for the boundary to raise (a refused view, a failed
    /// saved-tensor hook); the boundary then looks in the places that keep them.
    pub error_kept: Cell<bool>,
}

thread_local! {
    pub static FLAGS: ThreadFlags = const {
        ThreadFlags {
            guard_depth: Cell::new(0),
            error_kept: Cell::new(false),
        }
    };
}

/// Marks that an error was kept for the boundary to raise.
pub fn note_error_kept() {
    FLAGS.with(|f| f.error_kept.set(true));
}
