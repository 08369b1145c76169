//! The dense gradient of `embedding` when it needs no graph of its own: a zero table with
//! each incoming gradient row added to the row its index picked, row by row in index
//! order (the order, and so the rounding, of `index_add` along dim 0), in place of
//! building every element's position and scattering one element at a time.

use super::sepmap::with_elements;
use crate::error::{Error, Result};
use crate::tensor::{DType, Element, Tensor};

/// Zeros of shape `(rows, d)` with row `k` of `grad` (`(k, d)`) added at row
/// `index[k]`; None for dtypes other than float32/float64 (the caller composes ops).
pub fn embedding_dense_backward(
    grad: &Tensor,
    index: &Tensor,
    rows: usize,
) -> Result<Option<Tensor>> {
    fn run<T: Element + std::ops::Add<Output = T>>(
        grad: &Tensor,
        picks: &[i64],
        rows: usize,
        d: usize,
    ) -> Result<Tensor> {
        let mut out = vec![T::default(); rows * d];
        with_elements::<T, _>(grad, |g| {
            for (&r, src) in picks.iter().zip(g.chunks_exact(d.max(1))) {
                let dst = &mut out[r as usize * d..(r as usize + 1) * d];
                for (o, &v) in dst.iter_mut().zip(src) {
                    *o = *o + v;
                }
            }
        });
        Tensor::from_vec(out, &[rows, d])
    }
    if grad.ndim() != 2 || index.dtype() != DType::I64 || index.numel() != grad.shape()[0] {
        return Ok(None);
    }
    let d = grad.shape()[1];
    let picks = index.to_vec::<i64>();
    if let Some(&bad) = picks.iter().find(|&&r| r < 0 || r as usize >= rows) {
        return Err(Error::index(format!(
            "index {bad} is out of bounds for dimension 0 with size {rows}"
        )));
    }
    Ok(match grad.dtype() {
        DType::F32 => Some(run::<f32>(grad, &picks, rows, d)?),
        DType::F64 => Some(run::<f64>(grad, &picks, rows, d)?),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_rows_accumulate_in_index_order() {
        let g = Tensor::from_vec(vec![1.0f32, 2.0, 10.0, 20.0, 100.0, 200.0], &[3, 2]).unwrap();
        let idx = Tensor::from_vec(vec![2i64, 0, 2], &[3]).unwrap();
        let out = embedding_dense_backward(&g, &idx, 4).unwrap().unwrap();
        assert_eq!(out.shape(), &[4, 2]);
        assert_eq!(
            out.to_vec::<f32>(),
            vec![10.0, 20.0, 0.0, 0.0, 101.0, 202.0, 0.0, 0.0]
        );
    }

    #[test]
    fn out_of_range_rows_are_an_error_and_other_dtypes_fall_back() {
        let g = Tensor::from_vec(vec![1.0f64, 2.0], &[1, 2]).unwrap();
        let idx = Tensor::from_vec(vec![5i64], &[1]).unwrap();
        assert!(embedding_dense_backward(&g, &idx, 4).is_err());
        let gi = Tensor::from_vec(vec![1i64, 2], &[1, 2]).unwrap();
        let ok = Tensor::from_vec(vec![0i64], &[1]).unwrap();
        assert!(embedding_dense_backward(&gi, &ok, 4).unwrap().is_none());
    }
}
