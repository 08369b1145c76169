//! Batched, grouped convolution kernels on contiguous buffers, each one im2col/col2im
//! plus one GEMM per (sample, group):
//!
//! - `conv_forward`:   y[n, g] = W_g · im2col(x[n, g])
//! - `conv_transpose`: x[n, g] = col2im(W_gᵀ · y[n, g])   (the adjoint in x)
//! - `weight_grad`:    W_g = Σ_n y[n, g] · im2col(x[n, g])ᵀ (the adjoint in W)
//!
//! `x` is `[batch, cx, X]`, `y` is `[batch, cy, Y]` and `W` is `[cy, cx / groups, K]`
//! (the layout of a convolution's weight, and of the transposed convolution's that
//! maps y back to x).

use super::gemm_into::gemm_into;
use super::im2col::{col2im, im2col, Geom3};
use super::matmul::MatRef;
use crate::tensor::Element;
use std::ops::AddAssign;

/// Sizes of one convolution problem.
#[derive(Clone, Debug)]
pub struct ConvShape {
    pub batch: usize,
    pub groups: usize,
    pub cx: usize,
    pub cy: usize,
    pub geom: Geom3,
}

impl ConvShape {
    fn cxg(&self) -> usize {
        self.cx / self.groups
    }
    fn cyg(&self) -> usize {
        self.cy / self.groups
    }
    /// Rows of one group's column matrix: cx/groups · K.
    fn rows(&self) -> usize {
        self.cxg() * self.geom.kernel_numel()
    }
    fn x_block(&self, n: usize, g: usize) -> std::ops::Range<usize> {
        let (xn, cxg) = (self.geom.x_numel(), self.cxg());
        (n * self.cx + g * cxg) * xn..(n * self.cx + (g + 1) * cxg) * xn
    }
    fn y_block(&self, n: usize, g: usize) -> std::ops::Range<usize> {
        let (yn, cyg) = (self.geom.y_numel(), self.cyg());
        (n * self.cy + g * cyg) * yn..(n * self.cy + (g + 1) * cyg) * yn
    }
}

fn row_major(cols: usize) -> MatRef {
    MatRef {
        offset: 0,
        rs: cols as isize,
        cs: 1,
    }
}

/// Adds `bias[c]` to every element of channel `c` of a `[batch, channels, spatial]` buffer.
fn add_bias<T: Element + AddAssign>(out: &mut [T], bias: &[T], spatial: usize) {
    if spatial == 0 {
        return;
    }
    for (i, plane) in out.chunks_mut(spatial).enumerate() {
        let b = bias[i % bias.len()];
        plane.iter_mut().for_each(|v| *v += b);
    }
}

/// y = conv(x, W) (+ bias over cy).
pub fn conv_forward<T: Element + AddAssign>(
    x: &[T],
    w: &[T],
    bias: Option<&[T]>,
    s: &ConvShape,
) -> Vec<T> {
    let (yn, rows, cyg) = (s.geom.y_numel(), s.rows(), s.cyg());
    let mut y = vec![T::default(); s.batch * s.cy * yn];
    let pointwise = s.geom.is_pointwise();
    let mut cols = vec![T::default(); if pointwise { 0 } else { rows * yn }];
    for n in 0..s.batch {
        for g in 0..s.groups {
            let xs = &x[s.x_block(n, g)];
            let b: &[T] = if pointwise {
                xs
            } else {
                im2col(xs, s.cxg(), &s.geom, &mut cols);
                &cols
            };
            let wg = MatRef {
                offset: g * cyg * rows,
                rs: rows as isize,
                cs: 1,
            };
            let out = &mut y[s.y_block(n, g)];
            gemm_into(cyg, rows, yn, w, wg, b, row_major(yn), out, false);
        }
    }
    if let Some(bias) = bias {
        add_bias(&mut y, bias, yn);
    }
    y
}

/// x = conv_transpose(y, W) (+ bias over cx): the adjoint of `conv_forward` in x.
pub fn conv_transpose<T: Element + AddAssign>(
    y: &[T],
    w: &[T],
    bias: Option<&[T]>,
    s: &ConvShape,
) -> Vec<T> {
    let (xn, yn, rows, cyg) = (s.geom.x_numel(), s.geom.y_numel(), s.rows(), s.cyg());
    let mut x = vec![T::default(); s.batch * s.cx * xn];
    let pointwise = s.geom.is_pointwise();
    let mut cols = vec![T::default(); if pointwise { 0 } else { rows * yn }];
    for n in 0..s.batch {
        for g in 0..s.groups {
            let ys = &y[s.y_block(n, g)];
            // W_gᵀ: rows × cyg, read through swapped strides.
            let wt = MatRef {
                offset: g * cyg * rows,
                rs: 1,
                cs: rows as isize,
            };
            let out = &mut x[s.x_block(n, g)];
            if pointwise {
                gemm_into(rows, cyg, yn, w, wt, ys, row_major(yn), out, false);
            } else {
                gemm_into(rows, cyg, yn, w, wt, ys, row_major(yn), &mut cols, false);
                col2im(&cols, s.cxg(), &s.geom, out);
            }
        }
    }
    if let Some(bias) = bias {
        add_bias(&mut x, bias, xn);
    }
    x
}

/// W = Σ_n y[n] · im2col(x[n])ᵀ per group: the adjoint of `conv_forward` in W.
pub fn weight_grad<T: Element + AddAssign>(x: &[T], y: &[T], s: &ConvShape) -> Vec<T> {
    let (yn, rows, cyg) = (s.geom.y_numel(), s.rows(), s.cyg());
    let mut w = vec![T::default(); s.cy * rows];
    let pointwise = s.geom.is_pointwise();
    let mut cols = vec![T::default(); if pointwise { 0 } else { rows * yn }];
    for n in 0..s.batch {
        for g in 0..s.groups {
            let xs = &x[s.x_block(n, g)];
            let b: &[T] = if pointwise {
                xs
            } else {
                im2col(xs, s.cxg(), &s.geom, &mut cols);
                &cols
            };
            // im2colᵀ: yn × rows
            let bt = MatRef {
                offset: 0,
                rs: 1,
                cs: yn as isize,
            };
            let out = &mut w[g * cyg * rows..(g + 1) * cyg * rows];
            gemm_into(
                cyg,
                yn,
                rows,
                &y[s.y_block(n, g)],
                row_major(yn),
                b,
                bt,
                out,
                true,
            );
        }
    }
    w
}

/// Σ over batch and space of a `[batch, channels, spatial]` buffer: the bias gradient.
pub fn channel_sums<T: Element + AddAssign>(g: &[T], channels: usize, spatial: usize) -> Vec<T> {
    let mut out = vec![T::default(); channels];
    if spatial == 0 || channels == 0 {
        return out;
    }
    for (i, plane) in g.chunks(spatial).enumerate() {
        let mut acc = T::default();
        for &v in plane {
            acc += v;
        }
        out[i % channels] += acc;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> ConvShape {
        ConvShape {
            batch: 2,
            groups: 2,
            cx: 4,
            cy: 6,
            geom: Geom3 {
                x: [1, 5, 6],
                y: [1, 3, 3],
                kernel: [1, 2, 3],
                stride: [1, 2, 2],
                dilation: [1, 1, 1],
                pad: [0, 1, 1],
            },
        }
    }

    fn seq(n: usize, f: f64) -> Vec<f64> {
        (0..n).map(|i| (i as f64 * f).sin()).collect()
    }

    fn dot(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn the_three_products_are_adjoint() {
        let s = shape();
        let x = seq(s.batch * s.cx * s.geom.x_numel(), 0.31);
        let y = seq(s.batch * s.cy * s.geom.y_numel(), 0.17);
        let w = seq(s.cy * s.rows(), 0.23);
        let fwd = conv_forward(&x, &w, None, &s);
        let back = conv_transpose(&y, &w, None, &s);
        let wg = weight_grad(&x, &y, &s);
        let t = dot(&fwd, &y);
        assert!((t - dot(&x, &back)).abs() < 1e-9);
        assert!((t - dot(&w, &wg)).abs() < 1e-9);
    }

    #[test]
    fn bias_sums() {
        let g = vec![1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        assert_eq!(
            channel_sums(&g, 2, 2),
            vec![1.0 + 2.0 + 5.0 + 6.0, 3.0 + 4.0 + 7.0 + 8.0]
        );
    }
}
