//! How a view came to be, as PyTorch's `CreationMeta` records it: in-place ops refuse
//! to write into an output of a function that returns several views (`unbind`,
//! `split`, `chunk`), or into a view made in no-grad mode of a tensor that requires
//! grad, since the base's history could not be rewritten consistently.

use super::Tensor;
use std::sync::atomic::Ordering;

pub const DEFAULT: u8 = 0;
pub const MULTI_OUTPUT: u8 = 1;
pub const NO_GRAD_MODE: u8 = 2;
pub const IN_CUSTOM_FUNCTION: u8 = 3;

/// The creation of a view of `source` made now: a view made in no-grad mode is marked
/// so; otherwise it inherits a mark of the view it was taken from.
pub fn for_new_view(source: &Tensor) -> u8 {
    if !crate::autograd::is_grad_enabled() {
        NO_GRAD_MODE
    } else {
        source.view_creation()
    }
}

impl Tensor {
    pub fn view_creation(&self) -> u8 {
        self.0.view_creation.load(Ordering::Relaxed)
    }

    /// Marks the outputs of a multi-view function (or no-grad mode, if it is off).
    pub fn mark_multi_output_view(&self) {
        let mark = if crate::autograd::is_grad_enabled() {
            MULTI_OUTPUT
        } else {
            NO_GRAD_MODE
        };
        self.0.view_creation.store(mark, Ordering::Relaxed);
    }

    /// Marks a view returned by a custom Function (its backward stands for the view's).
    pub fn mark_custom_function_view(&self) {
        self.0
            .view_creation
            .store(IN_CUSTOM_FUNCTION, Ordering::Relaxed);
    }
}

/// PyTorch's refusal of an in-place op on a view it cannot rebase (see the module doc).
pub fn check_rebase(t: &Tensor) -> crate::error::Result<()> {
    let mark = t.view_creation();
    if mark == DEFAULT || t.view_base().is_none() {
        return Ok(());
    }
    Err(rebase_error(t, false))
}

/// The error for a marked view whose history cannot be rebased: written into itself
/// (`indirect` false), or its base or another view of it was written (`indirect`).
pub fn rebase_error(t: &Tensor, indirect: bool) -> crate::error::Error {
    rebase_error_for(t, indirect, t.meta_if_any().and_then(|m| m.grad_fn()))
}

/// `check_rebase` after the in-place op recorded its node: the view had no history
/// before it (its base required no grad), so PyTorch's message names none.
pub fn check_rebase_without_history(t: &Tensor) -> crate::error::Result<()> {
    if t.view_creation() == DEFAULT || t.view_base().is_none() {
        return Ok(());
    }
    Err(rebase_error_for(t, false, None))
}

fn rebase_error_for(
    t: &Tensor,
    indirect: bool,
    grad_fn: Option<crate::autograd::arena::NodeRef>,
) -> crate::error::Error {
    let mark = t.view_creation();
    let modified = if indirect {
        "its base or another view of its base has been"
    } else {
        "is being"
    };
    let mut msg = match (&grad_fn, mark) {
        (Some(f), NO_GRAD_MODE) => format!(
            "Output {} of {} is a view of a view which was created in no_grad mode and {modified} modified inplace with grad mode enabled.",
            t.meta().state.lock().output_nr,
            op_name(f.node().name())
        ),
        (Some(f), _) => format!(
            "Output {} of {} is a view and {modified} modified inplace.",
            t.meta().state.lock().output_nr,
            op_name(f.node().name())
        ),
        (None, _) => format!(
            "A view was created in no_grad mode and {modified} modified inplace with grad mode enabled."
        ),
    };
    msg.push_str(if mark == IN_CUSTOM_FUNCTION {
        " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function."
    } else if mark == MULTI_OUTPUT {
        " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one."
    } else {
        " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
    });
    crate::error::Error::runtime(msg)
}

/// A node's name as PyTorch's view errors give it: `UnbindBackward0` is `Unbind`.
fn op_name(node_name: &str) -> &str {
    let trimmed = node_name.trim_end_matches(|c: char| c.is_ascii_digit());
    trimmed.strip_suffix("Backward").unwrap_or(node_name)
}
