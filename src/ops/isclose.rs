//! `isclose` of two float32 or float64 tensors of one shape, in their own type as
//! PyTorch's composite computes it (`|a - b| <= atol + |rtol * b|`, each step rounded
//! to the dtype): one pass instead of the six tensor ops the Python fallback takes.

use super::conv::read_two;
use crate::kernels::simd_map;
use crate::tensor::{DType, Tensor};

/// The bool tensor `isclose(a, b, rtol, atol, equal_nan)`, or None where this pass does
/// not apply (other dtypes, broadcasting, no elements).
pub fn isclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> Option<Tensor> {
    if a.dtype() != b.dtype() || a.shape() != b.shape() || a.numel() == 0 {
        return None;
    }
    let check = rtol != 0.0 || atol != 0.0;
    macro_rules! run {
        ($T:ty) => {{
            let (rtol, atol) = (rtol as $T, atol as $T);
            let close = move |x: $T, y: $T| {
                let same = (x == y) | (equal_nan & x.is_nan() & y.is_nan());
                let diff = (x - y).abs();
                // `diff < inf` is PyTorch's isfinite: an infinite difference is never close
                let near = (diff <= atol + (rtol * y).abs()) & (diff < <$T>::INFINITY);
                same | (check & near)
            };
            read_two::<$T, _>(a, b, |xs, ys| simd_map::map2(xs, ys, close))
        }};
    }
    let out = match a.dtype() {
        DType::F32 => run!(f32),
        DType::F64 => run!(f64),
        _ => return None,
    };
    Tensor::from_vec(out, a.shape()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_each_step_in_float32() {
        // |a - b| = 1.0000000e-5 * |b| + ulp: close in float64, not in float32 (or the
        // other way round); the result follows the float32 steps
        let b = 1.0f32;
        let a = f32::from_bits((1.0f32 + 1e-5).to_bits() + 1);
        let t = |v: Vec<f32>| Tensor::from_vec(v, &[2]).unwrap();
        let got = isclose(&t(vec![a, 1.0]), &t(vec![b, 1.0]), 1e-5, 1e-8, false).unwrap();
        let diff = a - b;
        let want = diff <= 1e-8f32 + (1e-5f32 * b).abs();
        assert_eq!(got.to_vec::<bool>(), vec![want, true]);
    }

    #[test]
    fn nan_and_infinities() {
        let (nan, inf) = (f64::NAN, f64::INFINITY);
        let t = |v: Vec<f64>| Tensor::from_vec(v, &[4]).unwrap();
        let (a, b) = (t(vec![nan, inf, inf, 1.0]), t(vec![nan, inf, -inf, inf]));
        let got = isclose(&a, &b, 1e-5, 1e-8, false).unwrap();
        assert_eq!(got.to_vec::<bool>(), vec![false, true, false, false]);
        let got = isclose(&a, &b, 1e-5, 1e-8, true).unwrap();
        assert_eq!(got.to_vec::<bool>(), vec![true, true, false, false]);
        let got = isclose(&a, &a, 0.0, 0.0, false).unwrap();
        assert_eq!(got.to_vec::<bool>(), vec![false, true, true, true]);
    }

    #[test]
    fn other_dtypes_and_shapes_fall_back() {
        let i = Tensor::from_vec(vec![1i64, 2], &[2]).unwrap();
        assert!(isclose(&i, &i, 1e-5, 1e-8, false).is_none());
        let x = Tensor::from_vec(vec![1.0f32, 2.0], &[2]).unwrap();
        let y = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        assert!(isclose(&x, &y, 1e-5, 1e-8, false).is_none());
    }
}
