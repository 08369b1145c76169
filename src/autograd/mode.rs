//! Thread-local grad mode (`no_grad`, `enable_grad`, `set_grad_enabled`, inference).

use std::cell::Cell;

/// Both modes in one thread-local: an op asks "does this record a graph?" with one
/// thread-local lookup (a call into the dynamic loader in a `cdylib`), not two.
struct Modes {
    grad_enabled: Cell<bool>,
    inference: Cell<bool>,
}

thread_local! {
    static MODES: Modes = const {
        Modes {
            grad_enabled: Cell::new(true),
            inference: Cell::new(false),
        }
    };
}

pub fn is_grad_enabled() -> bool {
    MODES.with(|m| m.grad_enabled.get())
}

/// Whether ops on this thread record history: grad mode on and not in inference mode
/// (which records nothing, even under `enable_grad`, as in PyTorch).
pub fn records_history() -> bool {
    MODES.with(|m| m.grad_enabled.get() && !m.inference.get())
}

/// Sets grad mode for this thread and returns the previous value.
pub fn set_grad_enabled(enabled: bool) -> bool {
    MODES.with(|m| m.grad_enabled.replace(enabled))
}

static ANOMALY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static ANOMALY_CHECK_NAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Where the forward op that made a node ran (a Python traceback), asked for by the
/// recorder in anomaly mode; the Python layer installs it.
pub type TraceProvider = fn() -> Option<String>;
static TRACE_PROVIDER: parking_lot::RwLock<Option<TraceProvider>> = parking_lot::RwLock::new(None);

pub fn set_trace_provider(f: TraceProvider) {
    *TRACE_PROVIDER.write() = Some(f);
}

pub(crate) fn creation_trace() -> Option<String> {
    (*TRACE_PROVIDER.read()).and_then(|f| f())
}

/// Anomaly detection (`autograd.set_detect_anomaly`): nodes remember where they were
/// made, and a backward that produces NaN names the node and that place.
pub fn is_anomaly_enabled() -> bool {
    ANOMALY.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn set_anomaly_enabled(enabled: bool) -> bool {
    ANOMALY.swap(enabled, std::sync::atomic::Ordering::Relaxed)
}

/// Whether anomaly mode also raises on NaN gradients (`check_nan`, default true).
pub fn is_anomaly_check_nan_enabled() -> bool {
    ANOMALY_CHECK_NAN.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn set_anomaly_check_nan(enabled: bool) -> bool {
    ANOMALY_CHECK_NAN.swap(enabled, std::sync::atomic::Ordering::Relaxed)
}

pub fn is_inference_mode() -> bool {
    MODES.with(|m| m.inference.get())
}

pub fn set_inference_mode(enabled: bool) -> bool {
    MODES.with(|m| m.inference.replace(enabled))
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
