//! `a * b + c` rounded once (no autograd): the fused multiply-add PyTorch's vectorized
//! `addcmul` kernel computes, so results match it bit for bit.

use crate::error::{Error, Result};
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::{DType, Element, Tensor};

use super::cast::cast_raw;

/// `a * b + c` with one rounding, broadcast, in the dtype of the three (which must
/// agree); float16/bfloat16 compute in float32 and round once more to their dtype.
pub fn fused_multiply_add(a: &Tensor, b: &Tensor, c: &Tensor) -> Result<Tensor> {
    let dtype = a.dtype();
    if b.dtype() != dtype || c.dtype() != dtype {
        return Err(Error::runtime(format!(
            "fused_multiply_add: expected operands of one dtype, got {}, {} and {}",
            dtype.kernel_name(),
            b.dtype().kernel_name(),
            c.dtype().kernel_name()
        )));
    }
    let shape = broadcast_shapes(&broadcast_shapes(a.shape(), b.shape())?, c.shape())?;
    let spread =
        |t: &Tensor| -> Result<Tensor> { Ok(t.view_with_layout(t.layout().broadcast_to(&shape)?)) };
    let (va, vb, vc) = (spread(a)?, spread(b)?, spread(c)?);
    match dtype {
        DType::F32 => fma_values::<f32>(&va, &vb, &vc, &shape),
        DType::F64 => fma_values::<f64>(&va, &vb, &vc, &shape),
        DType::F16 | DType::BF16 => {
            let wide = |t: &Tensor| cast_raw(t, DType::F32);
            let out = fma_values::<f32>(&wide(&va), &wide(&vb), &wide(&vc), &shape)?;
            Ok(cast_raw(&out, dtype))
        }
        other => Err(Error::not_implemented(format!(
            "\"fused_multiply_add\" not implemented for '{}'",
            other.kernel_name()
        ))),
    }
}

trait MulAdd: Element {
    fn mul_add(self, b: Self, c: Self) -> Self;
}

impl MulAdd for f32 {
    fn mul_add(self, b: f32, c: f32) -> f32 {
        f32::mul_add(self, b, c)
    }
}

impl MulAdd for f64 {
    fn mul_add(self, b: f64, c: f64) -> f64 {
        f64::mul_add(self, b, c)
    }
}

fn fma_values<T: MulAdd>(a: &Tensor, b: &Tensor, c: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let (xs, ys, zs) = (a.to_vec::<T>(), b.to_vec::<T>(), c.to_vec::<T>());
    let v: Vec<T> = xs
        .iter()
        .zip(&ys)
        .zip(&zs)
        .map(|((&x, &y), &z)| x.mul_add(y, z))
        .collect();
    Tensor::from_vec(v, shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_once_where_separate_operations_round_twice() {
        // 1 + 2^-24 is not a float32, so a * a rounds to 1 before the add; fused, the
        // 2^-23 term survives
        let x = 1.0f32 + f32::EPSILON;
        let a = Tensor::from_vec(vec![x], &[1]).unwrap();
        let c = Tensor::from_vec(vec![-1.0f32], &[1]).unwrap();
        let out = fused_multiply_add(&a, &a, &c).unwrap().to_vec::<f32>();
        assert_eq!(out, vec![x.mul_add(x, -1.0)]);
        assert_ne!(out[0], x * x - 1.0);
    }

    #[test]
    fn broadcasts_and_refuses_mixed_dtypes() {
        let a = Tensor::from_vec(vec![1.0f64, 2.0], &[2, 1]).unwrap();
        let b = Tensor::from_vec(vec![3.0f64, 4.0, 5.0], &[3]).unwrap();
        let c = Tensor::from_vec(vec![0.5f64], &[1]).unwrap();
        let out = fused_multiply_add(&a, &b, &c).unwrap();
        assert_eq!(out.shape(), &[2, 3]);
        assert_eq!(out.to_vec::<f64>(), vec![3.5, 4.5, 5.5, 6.5, 8.5, 10.5]);
        let f = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        assert!(fused_multiply_add(&a, &b, &f).is_err());
    }
}
