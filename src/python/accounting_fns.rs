//! Graph memory accounting for Python (`ferrograd.autograd.live_graphs`,
//! `set_graph_retention_warning`): the records, the creation-site provider and the
//! `UserWarning` for a graph that outlived its backward passes.

use super::errors::stash;
use crate::autograd::accounting::{self, LiveGraph};
use pyo3::exceptions::PyUserWarning;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::OnceLock;

/// The folder of the `ferrograd` package: frames in it are not the user's code.
fn package_dir(py: Python<'_>) -> Option<&'static str> {
    static DIR: OnceLock<Option<String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let file: String = py
            .import("ferrograd")
            .ok()?
            .getattr("__file__")
            .ok()?
            .extract()
            .ok()?;
        let dir = std::path::Path::new(&file).parent()?;
        Some(format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR))
    })
    .as_deref()
}

/// The innermost Python frame outside the ferrograd package: (file, line).
fn user_frame(py: Python<'_>) -> Option<(String, i64)> {
    let skip = package_dir(py);
    let mut frame = py
        .import("sys")
        .ok()?
        .call_method1("_getframe", (0,))
        .ok()?;
    loop {
        let file: String = frame
            .getattr("f_code")
            .ok()?
            .getattr("co_filename")
            .ok()?
            .extract()
            .ok()?;
        if !skip.is_some_and(|dir| file.starts_with(dir)) {
            let line: i64 = frame.getattr("f_lineno").ok()?.extract().ok()?;
            return Some((file, line));
        }
        frame = frame.getattr("f_back").ok()?;
        if frame.is_none() {
            return None;
        }
    }
}

/// `file:line` of the innermost Python frame outside the ferrograd package: where a
/// graph was made, or where the user's code ran an in-place op (also when a method
/// wrapped in Python, such as `_meta`'s guards, ran it).
pub(super) fn user_site() -> Option<String> {
    Python::attach(|py| user_frame(py).map(|(file, line)| format!("{file}:{line}")))
}

fn human_bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn retention_message(g: &LiveGraph, steps: u32) -> String {
    let site = g
        .site
        .as_deref()
        .map(|s| format!(", made at {s}"))
        .unwrap_or_default();
    format!(
        "A backward graph outlived {steps} backward() calls without taking part in them: \
         its root {} keeps {} nodes alive ({} saved tensors, {}){site}. A tensor that \
         carries its graph from step to step (e.g. `total_loss += loss`; accumulate \
         `loss.item()` or `loss.detach()` instead) keeps every step's graph alive.",
        g.root,
        g.nodes,
        g.saved_tensors,
        human_bytes(g.saved_bytes)
    )
}

fn warn_retained(g: &LiveGraph, steps: u32) -> crate::error::Result<()> {
    Python::attach(|py| {
        let warned = (|| -> PyResult<()> {
            let warnings = py.import("warnings")?;
            let category = py.get_type::<PyUserWarning>();
            let message = retention_message(g, steps);
            match user_frame(py) {
                Some((file, line)) => {
                    warnings.call_method1("warn_explicit", (message, category, file, line))?
                }
                None => warnings.call_method1("warn", (message, category))?,
            };
            Ok(())
        })();
        warned.map_err(stash)
    })
}

fn record<'py>(py: Python<'py>, g: &LiveGraph) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("root", &g.root)?;
    d.set_item("nodes", g.nodes)?;
    d.set_item("saved_tensors", g.saved_tensors)?;
    d.set_item("saved_bytes", g.saved_bytes)?;
    d.set_item("site", g.site.as_deref())?;
    d.set_item("idle_backward_calls", g.idle_passes)?;
    Ok(d)
}

/// The live backward graphs, one dict per root node (a live node no other live node
/// points to), largest first.
#[pyfunction]
fn _live_graphs<'py>(py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    accounting::live_graphs()
        .iter()
        .map(|g| record(py, g))
        .collect()
}

/// Sets after how many backward passes a graph that took no part in them is reported
/// (0 turns the warning off); returns the previous value.
#[pyfunction]
fn _set_graph_retention_steps(steps: u32) -> u32 {
    accounting::set_retention_steps(steps)
}

/// Turns recording of nodes' creation sites (`file:line`) on or off; returns the
/// previous setting.
#[pyfunction]
fn _set_record_graph_sites(enabled: bool) -> bool {
    accounting::set_record_sites(enabled)
}

/// How many backward passes (`backward()`, `autograd.grad()`) have started.
#[pyfunction]
fn _backward_passes() -> u32 {
    accounting::backward_passes()
}

/// PyTorch's C++ warnings name the source line they come from.
fn warn_layout(message: &str) -> crate::error::Result<()> {
    Python::attach(|py| {
        let text = format!(
            "{message} (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/functions/accumulate_grad.h:252.)"
        );
        let text = std::ffi::CString::new(text).unwrap_or_default();
        PyErr::warn(py, &py.get_type::<PyUserWarning>(), &text, 1).map_err(stash)
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    crate::autograd::grad_layout::set_layout_warner(warn_layout);
    accounting::set_site_provider(user_site);
    accounting::set_retention_warner(warn_retained);
    m.add_function(wrap_pyfunction!(_live_graphs, m)?)?;
    m.add_function(wrap_pyfunction!(_set_graph_retention_steps, m)?)?;
    m.add_function(wrap_pyfunction!(_set_record_graph_sites, m)?)?;
    m.add_function(wrap_pyfunction!(_backward_passes, m)?)?;
    Ok(())
}
