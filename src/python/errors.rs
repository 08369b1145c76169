//! Core errors to Python exceptions, in one place. A Python exception raised inside a
//! hook travels through the core as a stashed `PyErr` and is re-raised unchanged.

use crate::error::{Error, ErrorKind};
use crate::thread_flags::{ThreadFlags, FLAGS};
use pyo3::exceptions::{
    PyIndexError, PyMemoryError, PyNotImplementedError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use std::cell::RefCell;

thread_local! {
    static STASHED: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

const STASH_MARKER: &str = "<python exception>";

/// Keeps a Python exception to re-raise when the error reaches the boundary.
pub fn stash(err: PyErr) -> Error {
    STASHED.with(|s| *s.borrow_mut() = Some(err));
    Error::runtime(STASH_MARKER)
}

pub fn to_py(e: Error) -> PyErr {
    if e.message == STASH_MARKER {
        if let Some(err) = STASHED.with(|s| s.borrow_mut().take()) {
            return err;
        }
    }
    let msg = e.message;
    match e.kind {
        ErrorKind::Runtime => PyRuntimeError::new_err(msg),
        ErrorKind::Type => PyTypeError::new_err(msg),
        ErrorKind::Value => PyValueError::new_err(msg),
        ErrorKind::Index => PyIndexError::new_err(msg),
        ErrorKind::Memory => PyMemoryError::new_err(msg),
        ErrorKind::NotImplemented => PyNotImplementedError::new_err(msg),
        ErrorKind::LinAlg => super::linalg_fns::LinAlgError::new_err(msg),
    }
}

pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for crate::error::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// Runs a core call, turning a Rust panic into RuntimeError naming the op, so that no
/// panic ever reaches Python as `PanicException`.
pub fn guarded<T>(op: &str, f: impl FnOnce() -> crate::error::Result<T>) -> PyResult<T> {
    // one thread-local lookup for the whole call (each is a call into the dynamic
    // loader in a `cdylib`): the flags are read and written through this reference
    FLAGS.with(|flags| {
        let outcome = run_quietly(flags, f);
        panic_to_py(op, outcome, flags)
    })
}

/// Runs `f` with this thread marked as inside a guarded call, catching its panic.
fn run_quietly<T>(
    flags: &ThreadFlags,
    f: impl FnOnce() -> crate::error::Result<T>,
) -> std::thread::Result<crate::error::Result<T>> {
    let _quiet = QuietPanics::enter(flags);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
}

/// Marks this thread as inside a guarded call while alive: a panic there becomes the
/// Python exception's message, so the panic hook prints nothing. Entering also drops
/// errors kept by an earlier call that did not collect them.
struct QuietPanics<'a>(&'a ThreadFlags);

impl<'a> QuietPanics<'a> {
    fn enter(flags: &'a ThreadFlags) -> Self {
        flags.guard_depth.set(flags.guard_depth.get() + 1);
        if flags.error_kept.replace(false) {
            crate::ops::view_history::take_refused_view();
            crate::autograd::saved_hooks::take_deferred_error();
        }
        QuietPanics(flags)
    }
}

impl Drop for QuietPanics<'_> {
    fn drop(&mut self) {
        let depth = &self.0.guard_depth;
        depth.set(depth.get().saturating_sub(1));
    }
}

/// Installs a panic hook that stays silent for panics `guarded` turns into exceptions
/// (on the calling thread or on a pool worker, whose panic rayon hands to the caller);
/// any other panic is reported by the hook that was there before.
pub fn install_quiet_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let quiet =
            FLAGS.with(|f| f.guard_depth.get() > 0) || rayon::current_thread_index().is_some();
        if !quiet {
            previous(info);
        }
    }));
}

/// Work below this many elements keeps the GIL: releasing it costs more than it saves.
pub const RELEASE_GIL_FROM: usize = 1 << 15;

/// `guarded`, with the GIL released while the core works when `release` is true (long
/// kernels, backward): other Python threads run meanwhile. Hooks re-acquire the GIL.
pub fn guarded_nogil<T: Send>(
    py: Python<'_>,
    release: bool,
    op: &str,
    f: impl FnOnce() -> crate::error::Result<T> + Send,
) -> PyResult<T> {
    if !release {
        return guarded(op, f);
    }
    let outcome = py.detach(|| FLAGS.with(|flags| run_quietly(flags, f)));
    FLAGS.with(|flags| panic_to_py(op, outcome, flags))
}

fn panic_to_py<T>(
    op: &str,
    outcome: std::thread::Result<crate::error::Result<T>>,
    flags: &ThreadFlags,
) -> PyResult<T> {
    match outcome {
        Ok(r) => match (r, refused_view_or_pack_error(flags)) {
            // an input was a view PyTorch refuses to use after its base was written
            (Ok(_), Some(e)) => Err(to_py(e)),
            (r, _) => r.py(),
        },
        Err(payload) => {
            if let Some(oom) = payload.downcast_ref::<crate::tensor::memory_limit::OutOfMemory>() {
                return Err(to_py(crate::tensor::memory_limit::out_of_memory(oom.0)));
            }
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            // A real kernel reached with a complex dtype (see `with_dtype!`).
            for (marker, kernel) in [
                ("ComplexFloat", "ComplexFloat"),
                ("complex64", "ComplexFloat"),
                ("ComplexDouble", "ComplexDouble"),
                ("complex128", "ComplexDouble"),
                ("ComplexHalf", "ComplexHalf"),
                ("complex32", "ComplexHalf"),
            ] {
                if what.contains(marker) {
                    return Err(PyNotImplementedError::new_err(format!(
                        "\"{op}_cpu\" not implemented for '{kernel}'"
                    )));
                }
            }
            // A float kernel reached with an 8-bit float (`refuse_float8_kernel`).
            if let Some(kernel) = what
                .strip_prefix("not implemented for '")
                .and_then(|rest| rest.strip_suffix('\''))
                .filter(|k| k.starts_with("Float8_"))
            {
                // the functions PyTorch computes through its vectorized math library
                const VML: [&str; 21] = [
                    "acos", "asin", "atan", "ceil", "cos", "erf", "erfc", "erfinv", "exp", "expm1",
                    "floor", "log", "log10", "log1p", "log2", "round", "sin", "sqrt", "tan",
                    "tanh", "trunc",
                ];
                let suffix = if VML.contains(&op) {
                    "_vml_cpu"
                } else if op.trim_end_matches('_') == "sigmoid" {
                    "_cpu_reduced_float"
                } else {
                    "_cpu"
                };
                return Err(PyNotImplementedError::new_err(format!(
                    "\"{op}{suffix}\" not implemented for '{kernel}'"
                )));
            }
            Err(PyRuntimeError::new_err(format!(
                "internal error in {op}: {what}"
            )))
        }
    }
}

/// An error found while the op ran that could not fail it there: a view PyTorch refuses
/// to use after its base was written, a saved-tensor `pack` hook that raised, an
/// inference tensor saved for backward or written in place outside inference mode.
fn refused_view_or_pack_error(flags: &ThreadFlags) -> Option<crate::error::Error> {
    if !flags.error_kept.replace(false) {
        return None;
    }
    let refused = crate::ops::view_history::take_refused_view();
    let packing = crate::autograd::saved_hooks::take_deferred_error();
    packing.or(refused)
}

/// Lets Ctrl-C interrupt a long backward between nodes.
pub fn check_signals() -> crate::error::Result<()> {
    Python::attach(|py| py.check_signals()).map_err(stash)
}
