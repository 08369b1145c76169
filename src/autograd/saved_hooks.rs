//! Saved-tensor hooks (`autograd.graph.saved_tensors_hooks`): while a pair is active on
//! this thread, every tensor a new node saves is handed to `pack`, the node keeps what
//! `pack` returned, and backward gets the tensor back from `unpack`.
//!
//! A failing `pack` cannot fail the node being built (nodes are made by infallible
//! code all over the ops); the error is kept here (`defer_error`) and the op's binding
//! raises it once the op returns, as PyTorch raises it from the forward call. Saving an
//! inference tensor and writing one in place outside inference mode are refused the
//! same way.

use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

/// What `pack` returned for one saved tensor.
pub trait PackedTensor: Send + Sync {
    fn unpack(&self) -> Result<Tensor>;
}

/// A `(pack, unpack)` pair.
pub trait SavedTensorHooks: Send + Sync {
    fn pack(&self, t: &Tensor) -> Result<Arc<dyn PackedTensor>>;
}

thread_local! {
    static ACTIVE: RefCell<Vec<Arc<dyn SavedTensorHooks>>> = const { RefCell::new(Vec::new()) };
    static ANY_ACTIVE: Cell<bool> = const { Cell::new(false) };
    static DEFERRED: RefCell<Option<Error>> = const { RefCell::new(None) };
    static ANY_DEFERRED: Cell<bool> = const { Cell::new(false) };
}

/// Keeps `e` (the first one) for the binding to raise once the running op returns.
pub(crate) fn defer_error(e: Error) {
    DEFERRED.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
    });
    ANY_DEFERRED.with(|f| f.set(true));
    crate::thread_flags::note_error_kept();
}

pub fn push(hooks: Arc<dyn SavedTensorHooks>) {
    ACTIVE.with(|a| a.borrow_mut().push(hooks));
    ANY_ACTIVE.with(|f| f.set(true));
}

pub fn pop() {
    ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        a.pop();
        ANY_ACTIVE.with(|f| f.set(!a.is_empty()));
    });
}

/// Whether a pair is active on this thread (one flag read: a node checks it once for
/// all the tensors it saves).
pub(crate) fn any_active() -> bool {
    ANY_ACTIVE.with(Cell::get)
}

/// The innermost pair, which alone applies (as in PyTorch).
fn innermost() -> Option<Arc<dyn SavedTensorHooks>> {
    if !any_active() {
        return None;
    }
    ACTIVE.with(|a| a.borrow().last().cloned())
}

/// Packs `t` with the active hooks (in no-grad mode, as PyTorch runs them), or `None`
/// when no hooks are active or `pack` failed (the error waits in `take_pack_error`).
pub(crate) fn pack(t: &Tensor) -> Option<Arc<dyn PackedTensor>> {
    let hooks = innermost()?;
    let _no_grad = super::GradModeGuard::new(false);
    let version = t.version();
    match hooks.pack(t) {
        Ok(_) if t.version() != version => {
            defer_error(Error::runtime(
                "A saved tensor pack hook is modifying its input in place. Tensors provided as input to pack hook cannot be modified by in-place operations as this can lead to unexpected side-effects. Please open an issue if you need to perform in-place operations on the input to a pack hook.",
            ));
            None
        }
        Ok(p) => Some(p),
        Err(e) => {
            defer_error(e);
            None
        }
    }
}

/// The error kept by `defer_error` during the op that just ran.
pub fn take_deferred_error() -> Option<Error> {
    if !ANY_DEFERRED.with(Cell::get) {
        return None;
    }
    ANY_DEFERRED.with(|f| f.set(false));
    DEFERRED.with(|slot| slot.borrow_mut().take())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Doubling(Mutex<usize>);
    struct Doubled(Tensor);

    impl PackedTensor for Doubled {
        fn unpack(&self) -> Result<Tensor> {
            Ok(self.0.clone())
        }
    }
    impl SavedTensorHooks for Doubling {
        fn pack(&self, t: &Tensor) -> Result<Arc<dyn PackedTensor>> {
            *self.0.lock().unwrap() += 1;
            Ok(Arc::new(Doubled(crate::ops::mul(t, t)?)))
        }
    }

    #[test]
    fn backward_reads_what_unpack_returns() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0, 3.0], &[3]).unwrap();
        x.meta().state.lock().requires_grad = true;
        let hooks = Arc::new(Doubling(Mutex::new(0)));
        push(hooks.clone());
        // exp saves its result; backward multiplies the incoming gradient by it
        let y = crate::ops::exp(&x).unwrap();
        pop();
        assert_eq!(*hooks.0.lock().unwrap(), 1);
        let loss = crate::ops::sum(&y, None, false, None).unwrap();
        let seed = Tensor::from_vec(vec![1.0f64], &[]).unwrap();
        crate::autograd::backward(&[loss], &[seed], false, false, None).unwrap();
        let g = x.meta().grad().unwrap().to_vec::<f64>();
        // the node got exp(x)², so the gradient is exp(x)² instead of exp(x)
        let want: Vec<f64> = [1.0f64, 2.0, 3.0].iter().map(|v| (2.0 * v).exp()).collect();
        for (a, b) in g.iter().zip(&want) {
            assert!((a - b).abs() <= 1e-12 * b.abs(), "{g:?} vs {want:?}");
        }
    }

    #[test]
    fn no_hooks_outside_the_scope() {
        assert!(innermost().is_none());
        assert!(take_deferred_error().is_none());
    }
}
