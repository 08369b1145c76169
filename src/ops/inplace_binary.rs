//! `t += b`, `t -= b`, `t *= b`, `t /= b` written straight into `t`'s memory when no
//! gradient is recorded (an optimizer's update under `no_grad`): the general in-place path
//! computes a fresh result and copies it back, two extra passes and a buffer the size of
//! the parameter.

use super::inplace::{apply_inplace, check_inplace};
use crate::autograd::needs_grad;
use crate::error::Result;
use crate::kernels::elementwise::PAR_MIN_ELEMS;
use crate::kernels::simd_map;
use crate::tensor::storage::{Buffer, Element};
use crate::tensor::{DType, Scalar, Tensor};

/// The four arithmetic ops with a direct in-place path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InplaceArith {
    Add,
    Sub,
    Mul,
    Div,
}

impl InplaceArith {
    /// The in-place method's name (`add_`, ...), as error messages and `_version` notes give.
    pub fn name(self) -> &'static str {
        match self {
            InplaceArith::Add => "add_",
            InplaceArith::Sub => "sub_",
            InplaceArith::Mul => "mul_",
            InplaceArith::Div => "div_",
        }
    }

    fn out_of_place(self, t: &Tensor, b: &Tensor) -> Result<Tensor> {
        match self {
            InplaceArith::Add => super::add(t, b),
            InplaceArith::Sub => super::sub(t, b),
            InplaceArith::Mul => super::mul(t, b),
            InplaceArith::Div => super::div(t, b),
        }
    }
}

/// `t op= b` with PyTorch's in-place semantics (`apply_inplace`), in one pass over `t`
/// where it can be.
pub fn arith_inplace(t: &Tensor, b: &Tensor, op: InplaceArith) -> Result<()> {
    check_inplace(t)?;
    if direct(t, b, op) {
        t.note_inplace_write(op.name());
        return Ok(());
    }
    // mul_ and div_ save `self` for their backward; add_ and sub_ do not
    let saves_self = matches!(op, InplaceArith::Mul | InplaceArith::Div);
    apply_inplace(t, op.name(), saves_self, |t| op.out_of_place(t, b))
        .map_err(|e| super::refusal_order::in_place_refusal(e, t, b, true))
}

/// `t.add_(b, alpha=alpha)` (`t.sub_(b, alpha=alpha)` with `negate`) written straight
/// into `t`, one fused multiply-add per element as PyTorch's kernel rounds it, when no
/// gradient is recorded and both are contiguous float tensors of one shape and dtype in
/// different memory (an optimizer's update); Ok(false), having written nothing,
/// otherwise (the general path then checks and computes).
pub fn add_scaled_inplace(t: &Tensor, b: &Tensor, alpha: Scalar, negate: bool) -> Result<bool> {
    check_inplace(t)?;
    if needs_grad(&[t, b])
        || t.lazy_bits() != 0
        || b.lazy_bits() != 0
        || !matches!(t.dtype(), DType::F32 | DType::F64)
        || t.numel() == 0
        || b.is_wrapped_number()
        || !matches!(alpha, Scalar::Int(_) | Scalar::Float(_))
        || alpha.check_fits(t.dtype()).is_err()
        || t.storage().same_memory(b.storage())
    {
        return Ok(false);
    }
    let Some((to, from)) = super::accumulate::matching_contiguous_runs(t, b) else {
        return Ok(false);
    };
    let scale = if negate {
        -alpha.to_f64()
    } else {
        alpha.to_f64()
    };
    let source = b.storage().read();
    let mut target = t.storage().write();
    match &mut *target {
        Buffer::F32(d) => fma_each(&mut d[to], &f32::slice(&source)[from], scale as f32),
        Buffer::F64(d) => fma_each(&mut d[to], &f64::slice(&source)[from], scale),
        _ => return Ok(false),
    }
    drop((source, target));
    t.note_inplace_write(if negate { "sub_" } else { "add_" });
    Ok(true)
}

/// `fma_update` split over the intra-op threads when long.
fn fma_each<T: super::fused_multiply_add::MulAdd + Send + Sync>(d: &mut [T], s: &[T], alpha: T) {
    split_update(d, s, |d, s| {
        super::fused_multiply_add::fma_update(d, s, alpha)
    });
}

/// Writes `t op b` into `t` and returns true when nothing is recorded and both are
/// contiguous float tensors of one shape and dtype, in different memory or exactly the
/// same elements; false, having written nothing, otherwise.
fn direct(t: &Tensor, b: &Tensor, op: InplaceArith) -> bool {
    if needs_grad(&[t, b])
        || t.lazy_bits() != 0
        || b.lazy_bits() != 0
        || !matches!(t.dtype(), DType::F32 | DType::F64)
        || t.numel() == 0
        || b.is_wrapped_number()
    {
        return false;
    }
    let Some((to, from)) = super::accumulate::matching_contiguous_runs(t, b) else {
        return false;
    };
    if t.storage().same_memory(b.storage()) {
        if to != from {
            return false;
        }
        let mut buf = t.storage().write();
        match &mut *buf {
            Buffer::F32(d) => each_self(&mut d[to], op),
            Buffer::F64(d) => each_self(&mut d[to], op),
            _ => return false,
        }
        return true;
    }
    let source = b.storage().read();
    let mut target = t.storage().write();
    match &mut *target {
        Buffer::F32(d) => each(&mut d[to], &f32::slice(&source)[from], op),
        Buffer::F64(d) => each(&mut d[to], &f64::slice(&source)[from], op),
        _ => return false,
    }
    true
}

/// `d[i] = d[i] op s[i]`, split over the intra-op threads when long.
fn each<T: Float>(d: &mut [T], s: &[T], op: InplaceArith) {
    split_update(d, s, |d, s| run(d, s, op));
}

/// `update(d, s)` on matching pieces of `d` and `s` spread over the intra-op threads when
/// long (each element's value does not depend on the split).
fn split_update<T: Send + Sync>(d: &mut [T], s: &[T], update: impl Fn(&mut [T], &[T]) + Sync) {
    if d.len() < 2 * PAR_MIN_ELEMS {
        return update(d, s);
    }
    let chunk =
        crate::parallel::chunk_len(d.len(), crate::parallel::task_count(d.len(), PAR_MIN_ELEMS));
    crate::parallel::for_each_chunk_mut(d, chunk, |start, c| update(c, &s[start..start + c.len()]));
}

/// `d[i] = d[i] op d[i]`.
// `x - x` is not always 0: NaN and infinities give NaN, as PyTorch's kernel does.
#[allow(clippy::eq_op)]
fn each_self<T: Float>(d: &mut [T], op: InplaceArith) {
    let f = |x: T| match op {
        InplaceArith::Add => x + x,
        InplaceArith::Sub => x - x,
        InplaceArith::Mul => T::mul(x, x),
        InplaceArith::Div => T::div(x, x),
    };
    d.iter_mut().for_each(|x| *x = f(*x));
}

/// One loop per op, so that each vectorizes, compiled for this CPU's vector width (the
/// baseline build's 128-bit loop ran 1.6x NumPy's time on 800 KB).
fn run<T: Float>(d: &mut [T], s: &[T], op: InplaceArith) {
    let s = &s[..d.len()];
    match op {
        InplaceArith::Add => simd_map::update(d, s, |x, y| x + y),
        InplaceArith::Sub => simd_map::update(d, s, |x, y| x - y),
        InplaceArith::Mul => simd_map::update(d, s, T::mul),
        InplaceArith::Div => simd_map::update(d, s, T::div),
    }
}

trait Float:
    Element + Copy + Send + Sync + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self>
{
    fn mul(a: Self, b: Self) -> Self;
    fn div(a: Self, b: Self) -> Self;
}

impl Float for f32 {
    fn mul(a: f32, b: f32) -> f32 {
        a * b
    }
    fn div(a: f32, b: f32) -> f32 {
        a / b
    }
}

impl Float for f64 {
    fn mul(a: f64, b: f64) -> f64 {
        a * b
    }
    fn div(a: f64, b: f64) -> f64 {
        a / b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::GradModeGuard;

    #[test]
    fn writes_each_op_in_place() {
        let _g = GradModeGuard::new(false);
        let b = Tensor::from_vec(vec![2.0f32, 4.0, -1.0], &[3]).unwrap();
        for (op, want) in [
            (InplaceArith::Add, [3.0f32, 6.0, 2.0]),
            (InplaceArith::Sub, [-1.0, -2.0, 4.0]),
            (InplaceArith::Mul, [2.0, 8.0, -3.0]),
            (InplaceArith::Div, [0.5, 0.5, -3.0]),
        ] {
            let t = Tensor::from_vec(vec![1.0f32, 2.0, 3.0], &[3]).unwrap();
            let v0 = t.version();
            arith_inplace(&t, &b, op).unwrap();
            assert_eq!(t.to_vec::<f32>(), want.to_vec(), "{op:?}");
            assert_eq!(t.version(), v0 + 1);
        }
    }

    #[test]
    fn same_memory_and_float64() {
        let _g = GradModeGuard::new(false);
        let t = Tensor::from_vec(vec![1.5f64, -2.0], &[2]).unwrap();
        arith_inplace(&t, &t, InplaceArith::Mul).unwrap();
        assert_eq!(t.to_vec::<f64>(), vec![2.25, 4.0]);
    }

    #[test]
    fn long_tensors_split_without_changing_values() {
        let _g = GradModeGuard::new(false);
        let _lock = crate::parallel::TEST_LOCK.lock();
        let n = 3 * PAR_MIN_ELEMS + 5;
        let a: Vec<f32> = (0..n).map(|i| (i % 97) as f32 * 0.37).collect();
        let b: Vec<f32> = (0..n).map(|i| (i % 31) as f32 * 0.11 + 0.5).collect();
        let t = Tensor::from_vec(a.clone(), &[n]).unwrap();
        let s = Tensor::from_vec(b.clone(), &[n]).unwrap();
        crate::parallel::with_threads(2, || arith_inplace(&t, &s, InplaceArith::Div).unwrap());
        let want: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x / y).collect();
        assert_eq!(t.to_vec::<f32>(), want);
    }
}
