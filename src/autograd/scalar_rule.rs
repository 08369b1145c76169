//! Backward formulas on single float values: what an op's closure computes when its
//! operands and output are 0-dim float tensors of one dtype, with the same roundings
//! (float32 math for float32), so that the engine can skip building tensors for them.

use crate::tensor::{DType, Tensor};
use std::ops::{Add, Mul, Sub};

/// Which formula a node's closure computes on 0-dim float operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarRule {
    /// No scalar formula: the engine runs the closure.
    None,
    /// `AddBackward0` with alpha 1: the gradient to both inputs.
    Add,
    /// `SubBackward0` with alpha 1: the gradient, and the gradient times -1.
    Sub,
    /// `MulBackward0`: the gradient times the other input (saved first for input 0,
    /// last for input 1).
    Mul,
    /// `TanhBackward0`: `g (1 - y²)` over the saved output.
    Tanh,
    /// `SigmoidBackward0`: `g (y (1 - y))` over the saved output.
    Sigmoid,
    /// `ReluBackward0`: 0 where the saved output is `<= 0`, else the gradient.
    Relu,
}

/// A float value in the gradient's own dtype.
pub trait Real:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + PartialOrd
{
    const ZERO: Self;
    const ONE: Self;
    const MINUS_ONE: Self;
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    const MINUS_ONE: f32 = -1.0;
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const MINUS_ONE: f64 = -1.0;
}

impl ScalarRule {
    /// `rule` when the op's operands and output are 0-dim float32 or float64 tensors
    /// of one dtype (the closure then computes exactly `rule`), else `None`.
    pub fn when_scalar(self, inputs: &[&Tensor], out: &Tensor) -> ScalarRule {
        let dtype = out.dtype();
        let scalar = |t: &Tensor| t.ndim() == 0 && t.dtype() == dtype;
        if matches!(dtype, DType::F32 | DType::F64)
            && scalar(out)
            && inputs.iter().all(|t| scalar(t))
        {
            self
        } else {
            ScalarRule::None
        }
    }

    /// How many saved values the formula reads at least (a `Mul` by a constant saves one).
    pub fn min_saved(self) -> usize {
        match self {
            ScalarRule::None | ScalarRule::Add | ScalarRule::Sub => 0,
            ScalarRule::Mul | ScalarRule::Tanh | ScalarRule::Sigmoid | ScalarRule::Relu => 1,
        }
    }

    /// The gradients of the node's (up to two) inputs from the output's gradient `g`
    /// and the saved values; `needs[i]` tells whether input `i` takes a gradient.
    pub fn apply<T: Real>(self, g: T, saved: &[T], needs: [bool; 2]) -> [Option<T>; 2] {
        let y = || saved[0];
        match self {
            ScalarRule::None => [None, None],
            ScalarRule::Add => [needs[0].then_some(g), needs[1].then_some(g)],
            // times -1 rather than a negation: a NaN keeps its sign bit, as in the kernel
            ScalarRule::Sub => [needs[0].then_some(g), needs[1].then(|| g * T::MINUS_ONE)],
            ScalarRule::Mul => [
                needs[0].then(|| g * saved[0]),
                needs[1].then(|| g * saved[saved.len() - 1]),
            ],
            ScalarRule::Tanh => [Some(g * (T::ONE - y() * y())), None],
            ScalarRule::Sigmoid => [Some(g * (y() * (T::ONE - y()))), None],
            ScalarRule::Relu => [Some(if y() <= T::ZERO { T::ZERO } else { g }), None],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_takes_the_other_operand_for_each_input() {
        // saved = [b, a] when both inputs need gradients
        let got = ScalarRule::Mul.apply(2.0f32, &[3.0, 5.0], [true, true]);
        assert_eq!(got, [Some(6.0), Some(10.0)]);
        // a constant factor: only `b` saved, only input 0 needs a gradient
        let got = ScalarRule::Mul.apply(2.0f64, &[3.0], [true, false]);
        assert_eq!(got, [Some(6.0), None]);
    }

    #[test]
    fn sub_multiplies_by_minus_one_keeping_a_nan_sign() {
        let [a, b] = ScalarRule::Sub.apply(f32::NAN, &[], [true, true]);
        assert!(a.unwrap().is_nan() && b.unwrap().is_nan());
        assert_eq!(
            ScalarRule::Sub.apply(1.5f32, &[], [true, true])[1],
            Some(-1.5)
        );
    }

    #[test]
    fn activations_round_in_the_gradient_dtype() {
        let (g, y) = (0.3f32, 0.7f32);
        assert_eq!(
            ScalarRule::Tanh.apply(g, &[y], [true, false])[0],
            Some(g * (1.0 - y * y))
        );
        assert_eq!(
            ScalarRule::Sigmoid.apply(g, &[y], [true, false])[0],
            Some(g * (y * (1.0 - y)))
        );
        assert_eq!(
            ScalarRule::Relu.apply(g, &[-0.0], [true, false])[0],
            Some(0.0)
        );
        assert_eq!(
            ScalarRule::Relu.apply(g, &[f32::NAN], [true, false])[0],
            Some(g)
        );
    }
}
