//! PyTorch's three FFT primitives (`_fft_c2c`, `_fft_r2c`, `_fft_c2r`) with their
//! gradients, the adjoint transforms (`FftC2CBackward0`, `FftR2CBackward0`,
//! `FftC2RBackward0`). The `norm` modes reach here as one scale factor; the Python
//! layer (`python/ferrograd/fft.py`) builds `fft`, `rfftn`, `hfft`, ... on these.

use super::complex::{from_pairs, real_view_raw, view_as_real};
use crate::autograd::{needs_grad, record, GradModeGuard};
use crate::error::{Error, Result};
use crate::kernels::fft::{c2c_dim, c2r_last, Precision};
use crate::tensor::{Buffer, DType, Scalar, Tensor};
use rustfft::num_complex::Complex64;

fn values(z: &Tensor) -> Vec<Complex64> {
    real_view_raw(z)
        .to_vec::<f64>()
        .chunks_exact(2)
        .map(|p| Complex64::new(p[0], p[1]))
        .collect()
}

/// The precision pocketfft computes a transform of `dtype` (complex or real) in.
fn precision_of(dtype: DType) -> Precision {
    if matches!(dtype, DType::F64 | DType::C128) {
        Precision::Double
    } else {
        Precision::Single
    }
}

fn tensor_of(v: &[Complex64], shape: &[usize], dtype: DType, scale: f64) -> Result<Tensor> {
    let buffer = if dtype == DType::C64 {
        // the scale in float, as pocketfft applies it
        let s = scale as f32;
        Buffer::F32(
            v.iter()
                .flat_map(|c| [c.re as f32 * s, c.im as f32 * s])
                .collect(),
        )
    } else {
        Buffer::F64(
            v.iter()
                .flat_map(|c| [c.re * scale, c.im * scale])
                .collect(),
        )
    };
    from_pairs(buffer, shape, dtype)
}

fn check_dims(t: &Tensor, dims: &[usize]) -> Result<()> {
    if dims.iter().any(|&d| d >= t.ndim()) {
        return Err(Error::index("Dimension out of range"));
    }
    Ok(())
}

/// `scale * DFT(z)` over `dims` (inverse DFT when not `forward`), complex to complex.
pub fn fft_c2c(z: &Tensor, dims: &[usize], forward: bool, scale: f64) -> Result<Tensor> {
    check_dims(z, dims)?;
    let shape = z.shape().to_vec();
    let mut v = values(z);
    for &d in dims {
        c2c_dim(&mut v, &shape, d, forward, precision_of(z.dtype()));
    }
    let out = tensor_of(&v, &shape, z.dtype(), scale)?;
    if needs_grad(&[z]) {
        let dims = dims.to_vec();
        record("FftC2CBackward0", &[z], &[&out], vec![], move |ctx| {
            Ok(vec![Some(fft_c2c(ctx.grad(), &dims, !forward, scale)?)])
        });
    }
    Ok(out)
}

/// `scale * DFT(x)` of a real tensor over `dims`; with `onesided`, only the first
/// `n / 2 + 1` outputs along the last of `dims`.
pub fn fft_r2c(x: &Tensor, dims: &[usize], scale: f64, onesided: bool) -> Result<Tensor> {
    check_dims(x, dims)?;
    let last = *dims.last().ok_or_else(|| Error::runtime("fft: no dims"))?;
    let dtype = x.dtype().to_complex();
    let shape = x.shape().to_vec();
    let mut v: Vec<Complex64> = x
        .to_vec::<f64>()
        .into_iter()
        .map(|r| Complex64::new(r, 0.0))
        .collect();
    // pocketfft's order: the real transform along the last dim, then the others
    let precision = precision_of(dtype);
    c2c_dim(&mut v, &shape, last, true, precision);
    zero_self_conjugate_imag(&mut v, &shape, last);
    for &d in &dims[..dims.len() - 1] {
        c2c_dim(&mut v, &shape, d, true, precision);
    }
    if !onesided {
        fill_conjugate_half(&mut v, &shape, dims, last);
    }
    let full = tensor_of(&v, &shape, dtype, scale)?;
    let n = shape[last];
    let out = if onesided {
        let _mode = GradModeGuard::new(false);
        super::contiguous(&super::narrow(&full, last as i64, 0, (n / 2 + 1) as i64)?)?
    } else {
        full
    };
    if needs_grad(&[x]) {
        let dims = dims.to_vec();
        let real = x.dtype();
        record("FftR2CBackward0", &[x], &[&out], vec![], move |ctx| {
            let mut g = ctx.grad().clone();
            if onesided {
                g = pad_along(&g, last, n)?;
            }
            let c = fft_c2c(&g, &dims, false, scale)?;
            let re = super::select(&view_as_real(&c)?, -1, 0)?;
            Ok(vec![Some(super::to_dtype(&re, real)?)])
        });
    }
    Ok(out)
}

/// A real signal's spectrum is real at frequency 0 and, for an even length, at the
/// Nyquist bin: a real FFT (pocketfft's) never computes their imaginary parts.
fn zero_self_conjugate_imag(v: &mut [Complex64], shape: &[usize], dim: usize) {
    let n = shape[dim];
    let inner: usize = shape[dim + 1..].iter().product();
    let real_bins: &[usize] = if n.is_multiple_of(2) {
        &[0, n / 2]
    } else {
        &[0]
    };
    for (i, c) in v.iter_mut().enumerate() {
        if n > 0 && real_bins.contains(&(i / inner % n)) {
            c.im = 0.0;
        }
    }
}

/// PyTorch transforms a real signal one-sided and fills the rest of a two-sided
/// spectrum as the conjugate mirror of that half (`X[-k] = conj(X[k])` over `dims`), so
/// the mirrored bins carry the conjugate's signed zeros (`fft(ones(4))[3]` is `0-0j`).
fn fill_conjugate_half(v: &mut [Complex64], shape: &[usize], dims: &[usize], last: usize) {
    let n = shape[last];
    let strides = crate::tensor::layout::contiguous_strides(shape);
    for flat in 0..v.len() {
        if (flat / strides[last] as usize) % n <= n / 2 {
            continue;
        }
        let mut mirror = 0;
        for (d, (&size, &stride)) in shape.iter().zip(strides.iter()).enumerate() {
            let c = (flat / stride as usize) % size;
            let m = if dims.contains(&d) {
                (size - c) % size
            } else {
                c
            };
            mirror += m * stride as usize;
        }
        v[flat] = v[mirror].conj();
    }
}

/// `g` zero-padded along `dim` to `n` elements.
fn pad_along(g: &Tensor, dim: usize, n: usize) -> Result<Tensor> {
    let have = g.shape()[dim];
    if have >= n {
        return Ok(g.clone());
    }
    let pairs = view_as_real(g)?;
    // constant_pad_nd lists (before, after) from the last dim back; the pair dim is last
    let mut pads = vec![0i64; 2 * (pairs.ndim() - dim)];
    let at = 2 * (pairs.ndim() - 1 - dim);
    pads[at + 1] = (n - have) as i64;
    let padded = super::constant_pad_nd(&pairs, &pads, Scalar::Float(0.0))?;
    super::complex::view_as_complex(&super::contiguous(&padded)?)
}

/// The real signal of length `n` along the last of `dims` whose one-sided spectrum is
/// `z` (its last dim `n / 2 + 1`), times `scale`: the inverse of `fft_r2c`.
pub fn fft_c2r(z: &Tensor, dims: &[usize], scale: f64, n: usize) -> Result<Tensor> {
    check_dims(z, dims)?;
    let (&last, rest) = dims
        .split_last()
        .ok_or_else(|| Error::runtime("fft: no dims"))?;
    let out = {
        let _mode = GradModeGuard::new(false);
        let shape = z.shape().to_vec();
        let mut v = values(z);
        for &d in rest {
            c2c_dim(&mut v, &shape, d, false, precision_of(z.dtype()));
        }
        let partial = tensor_of(&v, &shape, z.dtype(), 1.0)?;
        // bring the c2r dim last, transform, and put it back
        let moved = super::contiguous(&super::transpose(&partial, last as i64, -1)?)?;
        let moved_shape = moved.shape().to_vec();
        let real = c2r_last(&values(&moved), &moved_shape, n, precision_of(z.dtype()));
        let mut out_shape = moved_shape.clone();
        let k = out_shape.len() - 1;
        out_shape[k] = n;
        let real_dtype = z.dtype().to_real();
        let buffer = if real_dtype == DType::F32 {
            Buffer::F32(real.iter().map(|&r| r as f32 * scale as f32).collect())
        } else {
            Buffer::F64(real.iter().map(|&r| r * scale).collect())
        };
        let t = Tensor::from_buffer(buffer, &out_shape)?;
        super::contiguous(&super::transpose(&t, last as i64, -1)?)?
    };
    if needs_grad(&[z]) {
        let dims = dims.to_vec();
        let m = z.shape()[last];
        let ndim = z.ndim();
        record("FftC2RBackward0", &[z], &[&out], vec![], move |ctx| {
            let gi = fft_r2c(ctx.grad(), &dims, scale, true)?;
            // the bins that stand for two (a bin and its mirror) count twice
            let mirrored = n.saturating_sub(gi.shape()[last]);
            let weights: Vec<f64> = (0..m)
                .map(|k| if k >= 1 && k <= mirrored { 2.0 } else { 1.0 })
                .collect();
            let mut wshape = vec![1usize; ndim - last];
            wshape[0] = m;
            let w = super::to_dtype(&Tensor::from_vec(weights, &wshape)?, gi.dtype().to_real())?;
            Ok(vec![Some(super::mul(&gi, &w)?)])
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfft_then_irfft_round_trips() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0, 3.0, 4.0, 5.0], &[5]).unwrap();
        let spec = fft_r2c(&x, &[0], 1.0, true).unwrap();
        assert_eq!(spec.shape(), &[3]);
        let back = fft_c2r(&spec, &[0], 1.0 / 5.0, 5).unwrap();
        for (a, b) in back.to_vec::<f64>().iter().zip([1.0, 2.0, 3.0, 4.0, 5.0]) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
