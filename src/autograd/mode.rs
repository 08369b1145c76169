//! Thread-local grad mode (`no_grad`, `enable_grad`, `set_grad_enabled`, inference).

use std::cell::Cell;

thread_local! {
    static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
    static INFERENCE: Cell<bool> = const { Cell::new(false) };
}

pub fn is_grad_enabled() -> bool {
    GRAD_ENABLED.with(|g| g.get())
}

/// Sets grad mode for this thread and returns the previous value.
pub fn set_grad_enabled(enabled: bool) -> bool {
    GRAD_ENABLED.with(|g| g.replace(enabled))
}

pub fn is_inference_mode() -> bool {
    INFERENCE.with(|g| g.get())
}

pub fn set_inference_mode(enabled: bool) -> bool {
    INFERENCE.with(|g| g.replace(enabled))
}

/// Restores the previous grad mode when dropped (also on early return or panic).
pub struct GradModeGuard {
    previous: bool,
}

impl GradModeGuard {
    pub fn new(enabled: bool) -> Self {
        GradModeGuard {
            previous: set_grad_enabled(enabled),
        }
    }
}

impl Drop for GradModeGuard {
    fn drop(&mut self) {
        set_grad_enabled(self.previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grad_mode_is_per_thread_and_restored() {
        {
            let _g = GradModeGuard::new(false);
            assert!(!is_grad_enabled());
            let other = std::thread::spawn(is_grad_enabled).join().unwrap();
            assert!(other, "another thread keeps its own mode");
        }
        assert!(is_grad_enabled());
    }
}
