//! PyTorch's lazy regeneration of a view's history. Views share their base's version
//! counter; each view remembers the version its grad_fn was made at. After an in-place
//! write through the base or any of its views, a view whose version is behind gets a
//! new grad_fn on its next use: `AsStridedBackward0` over the base's current history
//! (PyTorch's choice when view replay is off, its default).

use crate::autograd::arena::NodeRef;
use crate::autograd::node::OutputMeta;
use crate::autograd::record::{record_node, set_history};
use crate::error::{Error, Result};
use crate::tensor::view_creation::{rebase_error, DEFAULT};
use crate::tensor::Tensor;
use std::cell::{Cell, RefCell};
use std::sync::atomic::Ordering;

impl Tensor {
    /// Whether this view's grad_fn predates a write into its storage (one compare for
    /// a view, none for any other tensor).
    #[inline]
    pub fn view_history_is_stale(&self) -> bool {
        self.0.view_base.is_some() && self.0.view_version.load(Ordering::Relaxed) != self.version()
    }

    /// Records that this view's grad_fn is up to date with its storage's version.
    pub fn mark_view_history_current(&self) {
        self.0.view_version.store(self.version(), Ordering::Relaxed);
    }

    /// Regenerates a stale view's history. PyTorch's error for a marked view is kept
    /// for the op being run (see `take_refused_view`): the callers here cannot fail.
    #[inline]
    pub fn sync_view_history(&self) {
        if self.view_history_is_stale() {
            if let Err(e) = refresh_view_history(self) {
                REFUSED.with(|r| *r.borrow_mut() = Some(e));
                REFUSED_SET.with(|f| f.set(true));
                crate::thread_flags::note_error_kept();
            }
        }
    }

    /// The grad_fn after regenerating a stale view's history, or PyTorch's error for a
    /// view made in no-grad mode or by a multi-output function whose base was written.
    pub fn try_grad_fn(&self) -> Result<Option<NodeRef>> {
        if self.view_history_is_stale() {
            refresh_view_history(self)?;
        }
        Ok(self.meta_if_any().and_then(|m| m.grad_fn()))
    }
}

thread_local! {
    static REFUSED_SET: Cell<bool> = const { Cell::new(false) };
    static REFUSED: RefCell<Option<Error>> = const { RefCell::new(None) };
}

/// The error of a marked stale view used by the op just run on this thread, if any
/// (the Python boundary raises it, as PyTorch refuses the op); clears it.
#[inline]
pub fn take_refused_view() -> Option<Error> {
    if !REFUSED_SET.with(Cell::get) {
        return None;
    }
    REFUSED_SET.with(|f| f.set(false));
    REFUSED.with(|r| r.borrow_mut().take())
}

/// Gives a stale view the grad_fn `AsStridedBackward0(base)`, as PyTorch's
/// `VariableHooks::grad_fn` does.
pub fn refresh_view_history(view: &Tensor) -> Result<()> {
    let Some(base) = view.view_base() else {
        return Ok(());
    };
    let own = view.meta_if_any().and_then(|m| m.grad_fn());
    if own.is_none() && !base.requires_grad() {
        return Ok(());
    }
    if view.view_creation() != DEFAULT {
        return Err(rebase_error(view, true));
    }
    let version = view.version();
    let node = as_strided_node(base, view, view_positions(base, view)?);
    let meta = view.meta();
    set_history(meta, &node, 0);
    if meta.state.lock().retains_grad {
        node.node()
            .extras()
            .hooks
            .lock()
            .retained
            .push((0, std::sync::Arc::downgrade(meta)));
    }
    view.0.view_version.store(version, Ordering::Relaxed);
    Ok(())
}

/// Where each element of the view sits in the base (row-major), so that the backward
/// formulas are differentiable ops (take / index_add) instead of raw copies.
pub fn view_positions(base: &Tensor, view: &Tensor) -> Result<Tensor> {
    let base = &index_space(base, view);
    let (lb, lv) = (base.layout(), view.layout());
    match super::inplace::view_positions_in_contiguous(lb, lv, base.numel()) {
        Some(p) => Tensor::from_vec(p, view.shape()),
        None => {
            let all =
                Tensor::from_vec((0..base.numel() as i64).collect::<Vec<i64>>(), base.shape())?;
            super::inplace::through_storage(&all, lb, lv, None, base.storage().len())
        }
    }
}

/// The node of `view` read off `base` at `positions`: its backward scatters the
/// view's gradient into a zero gradient of the base's shape.
pub fn as_strided_node(base: &Tensor, view: &Tensor, positions: Tensor) -> NodeRef {
    let (bshape, bdtype) = (base.shape().to_vec(), base.dtype());
    let pairs = is_pairs_view(base, view);
    let index_shape = index_space(base, view).shape().to_vec();
    let bits = view.lazy_bits();
    let metas = vec![OutputMeta {
        shape: view.shape().into(),
        dtype: view.dtype(),
    }];
    record_node("AsStridedBackward0", &[base], metas, vec![], move |ctx| {
        let g = super::lazy_views::through_bits(ctx.grad(), bits)?;
        let mut embedded = super::index::index_add_flat(&index_shape, &positions, &g)?;
        if pairs {
            embedded = from_pairs(&embedded)?;
        }
        Ok(vec![Some(super::reduce_grad(&embedded, &bshape, bdtype)?)])
    })
}

/// Whether `view` is a real view of a complex `base` (`z.real`, `view_as_real(z)[..., 0]`):
/// its elements are halves of the base's, so positions count the base's (re, im) pairs.
pub fn is_pairs_view(base: &Tensor, view: &Tensor) -> bool {
    base.dtype().is_complex() && !view.dtype().is_complex()
}

/// The tensor whose elements a view's positions count: the base, or its (re, im) pairs.
pub fn index_space(base: &Tensor, view: &Tensor) -> Tensor {
    if is_pairs_view(base, view) {
        super::complex::real_view_raw(base)
    } else {
        base.clone()
    }
}

/// A complex gradient as its contiguous (re, im) pairs.
pub fn to_pairs(g: &Tensor) -> Result<Tensor> {
    super::contiguous(&super::complex::view_as_real(&super::lazy_views::resolve(
        g,
        u8::MAX,
    )?)?)
}

/// (re, im) pairs as the complex gradient they make.
pub fn from_pairs(r: &Tensor) -> Result<Tensor> {
    super::complex::view_as_complex(&super::contiguous(r)?)
}
