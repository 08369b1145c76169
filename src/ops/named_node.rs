//! A pass-through node that gives a composite op PyTorch's node name: `mse_loss` built
//! from `sub`, `mul` and `mean` still reports `MseLossBackward0` as its `grad_fn`.

use crate::autograd::{needs_grad, record};
use crate::error::Result;
use crate::tensor::Tensor;
use parking_lot::Mutex;

/// Node names live as long as the process: the set is the fixed list of composite ops.
pub fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock();
    if let Some(found) = names.iter().find(|n| **n == name) {
        return found;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.push(leaked);
    leaked
}

/// `t` itself when it has no history to name; otherwise an alias of `t` whose `grad_fn`
/// is a node called `name` that hands its gradient straight to `t`'s node.
pub fn named_passthrough(t: &Tensor, name: &str) -> Result<Tensor> {
    if !needs_grad(&[t]) {
        return Ok(t.clone());
    }
    let out = t.detached();
    record(intern(name), &[t], &[&out], vec![], |ctx| {
        Ok(vec![Some(ctx.grad().clone())])
    });
    Ok(out)
}

/// `named_passthrough` for a composite whose last step is a view of its own parts (a
/// complex result viewing stacked real parts): the op's result is no view, with or
/// without autograd.
pub fn named_result(out: &Tensor, name: &str) -> Result<Tensor> {
    if !needs_grad(&[out]) && out.view_base().is_some() {
        return Ok(out.detached());
    }
    named_passthrough(out, name)
}

/// `named_passthrough` for a view op: the alias is a view of `t`'s base (or of `t`), so
/// that `_base` reports what PyTorch's view reports.
pub fn named_view_passthrough(t: &Tensor, name: &str) -> Result<Tensor> {
    if !needs_grad(&[t]) {
        return Ok(t.clone());
    }
    let out = t.view_of(t.layout().clone());
    record(intern(name), &[t], &[&out], vec![], |ctx| {
        Ok(vec![Some(ctx.grad().clone())])
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::backward;

    #[test]
    fn the_alias_carries_the_name_and_passes_gradients_through() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0], &[2]).unwrap();
        x.meta().state.lock().requires_grad = true;
        let y = crate::ops::mul(&x, &x).unwrap();
        let named = named_passthrough(&y, "MseLossBackward0").unwrap();
        let node = named.grad_fn().unwrap();
        assert_eq!(node.node().name(), "MseLossBackward0");
        assert!(std::ptr::eq(
            intern("MseLossBackward0"),
            intern("MseLossBackward0")
        ));
        let seed = Tensor::from_vec(vec![1.0f64, 1.0], &[2]).unwrap();
        backward(&[named], &[seed], false, false, None).unwrap();
        assert_eq!(x.meta().grad().unwrap().to_vec::<f64>(), vec![2.0, 4.0]);
    }
}
