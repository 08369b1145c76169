//! CPU autocast (`ferrograd.autocast("cpu", dtype=...)`): while it is on in a thread,
//! the matrix products and convolutions cast their float32 (and other half-precision)
//! operands to the autocast dtype, as PyTorch's lower-precision op list does on the CPU.
//! float64 operands are left alone, as in PyTorch. The casts are recorded ops, so
//! gradients flow back to the float32 parameters in their own dtype.

use crate::error::Result;
use crate::tensor::{DType, Tensor};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    static CPU_DTYPE: Cell<Option<DType>> = const { Cell::new(None) };
}

/// How many threads have autocast on: the common case (none) costs one load per op.
static THREADS_ON: AtomicUsize = AtomicUsize::new(0);

/// Turns autocast on with `dtype` (or off with None) for this thread; returns the
/// previous setting.
pub fn set_cpu_dtype(dtype: Option<DType>) -> Option<DType> {
    let previous = CPU_DTYPE.with(|c| c.replace(dtype));
    match (previous.is_some(), dtype.is_some()) {
        (false, true) => {
            THREADS_ON.fetch_add(1, Ordering::Relaxed);
        }
        (true, false) => {
            THREADS_ON.fetch_sub(1, Ordering::Relaxed);
        }
        _ => {}
    }
    previous
}

/// The autocast dtype of this thread, if autocast is on.
pub fn cpu_dtype() -> Option<DType> {
    if THREADS_ON.load(Ordering::Relaxed) == 0 {
        return None;
    }
    CPU_DTYPE.with(Cell::get)
}

fn eligible(t: &Tensor, target: DType) -> bool {
    let d = t.dtype();
    d.is_floating() && d != DType::F64 && d != target
}

/// The operands cast to the autocast dtype, when autocast is on and one of them is
/// eligible; None when the op should run on them as they are.
pub fn lower_precision<const N: usize>(ts: [&Tensor; N]) -> Result<Option<[Tensor; N]>> {
    let Some(target) = cpu_dtype() else {
        return Ok(None);
    };
    if !ts.iter().any(|t| eligible(t, target)) {
        return Ok(None);
    }
    let mut out: [Option<Tensor>; N] = std::array::from_fn(|_| None);
    for (slot, t) in out.iter_mut().zip(ts) {
        *slot = Some(if eligible(t, target) {
            crate::ops::to_dtype(t, target)?
        } else {
            t.clone()
        });
    }
    Ok(Some(out.map(|t| t.expect("filled above"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_only_while_on_and_never_float64() {
        let a = Tensor::zeros(&[2, 2], DType::F32).unwrap();
        let d = Tensor::zeros(&[2, 2], DType::F64).unwrap();
        assert!(lower_precision([&a]).unwrap().is_none());
        let before = set_cpu_dtype(Some(DType::BF16));
        let [cast, same] = lower_precision([&a, &d]).unwrap().expect("a is eligible");
        assert_eq!((cast.dtype(), same.dtype()), (DType::BF16, DType::F64));
        assert!(lower_precision([&d]).unwrap().is_none());
        set_cpu_dtype(before);
        assert!(lower_precision([&a]).unwrap().is_none());
    }
}
