//! im2col / col2im (vol2col) for one sample: the gather that turns a convolution into
//! one matrix product, and its adjoint scatter-add. 1-d and 2-d problems are 3-d ones
//! whose leading spatial dims have size 1 (kernel 1, stride 1, no padding).

use crate::tensor::Element;

/// The spatial geometry of a convolution, in three dims.
///
/// `x` is the image side (conv input / conv_transpose output), `y` the sliding-block
/// side (conv output / conv_transpose input). Position `o` of `y` along a dim reads
/// `x[o * stride + k * dilation - pad]` for kernel offset `k`; reads outside `x` are
/// zeros. Padding after the end of `x` is implied by `y`'s size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Geom3 {
    pub x: [usize; 3],
    pub y: [usize; 3],
    pub kernel: [usize; 3],
    pub stride: [usize; 3],
    pub dilation: [usize; 3],
    pub pad: [usize; 3],
}

impl Geom3 {
    pub fn x_numel(&self) -> usize {
        self.x.iter().product()
    }
    pub fn y_numel(&self) -> usize {
        self.y.iter().product()
    }
    pub fn kernel_numel(&self) -> usize {
        self.kernel.iter().product()
    }
    /// A 1×1×1 kernel that reads `x` position for position: the columns are `x` itself.
    pub fn is_pointwise(&self) -> bool {
        self.kernel == [1, 1, 1]
            && self.stride == [1, 1, 1]
            && self.pad == [0, 0, 0]
            && self.x == self.y
    }
}

/// The block positions `o` in `0..y` whose read `o * stride + offset - pad` lies in `0..x`.
fn valid_range(y: usize, x: usize, stride: usize, offset: usize, pad: usize) -> (usize, usize) {
    if x + pad <= offset {
        return (0, 0);
    }
    let hi = ((x + pad - 1 - offset) / stride + 1).min(y);
    let lo = if offset >= pad {
        0
    } else {
        (pad - offset).div_ceil(stride)
    };
    (lo.min(hi), hi)
}

/// Position along one dim of `x` read by block position `o` at kernel offset `k`.
#[inline]
fn source(o: usize, k: usize, g: &Geom3, dim: usize) -> Option<usize> {
    let p = (o * g.stride[dim] + k * g.dilation[dim]).checked_sub(g.pad[dim])?;
    (p < g.x[dim]).then_some(p)
}

/// Visits every line of the column matrix: `f(line_start, x_line, range, first)`
/// where `x_line` is the start of the matching line of `x` (None: the line is padding),
/// and the line's valid range with its first `x` column.
fn for_each_line(
    channels: usize,
    g: &Geom3,
    mut f: impl FnMut(usize, Option<usize>, (usize, usize), usize),
) {
    let [k0, k1, k2] = g.kernel;
    let (xn, yn) = (g.x_numel(), g.y_numel());
    for c in 0..channels {
        for kd in 0..k0 {
            for kh in 0..k1 {
                for kw in 0..k2 {
                    let row = ((c * k0 + kd) * k1 + kh) * k2 + kw;
                    let offset = kw * g.dilation[2];
                    let range = valid_range(g.y[2], g.x[2], g.stride[2], offset, g.pad[2]);
                    // first x column read (only meaningful when range is non-empty)
                    let first = (range.0 * g.stride[2] + offset).saturating_sub(g.pad[2]);
                    for od in 0..g.y[0] {
                        let id = source(od, kd, g, 0);
                        for oh in 0..g.y[1] {
                            let line = row * yn + (od * g.y[1] + oh) * g.y[2];
                            let x_line = match (id, source(oh, kh, g, 1)) {
                                (Some(id), Some(ih)) => Some(c * xn + (id * g.x[1] + ih) * g.x[2]),
                                _ => None,
                            };
                            f(line, x_line, range, first);
                        }
                    }
                }
            }
        }
    }
}

/// Gathers `x` (`channels × x`, contiguous) into `cols` (`channels·kernel × y`).
pub fn im2col<T: Element>(x: &[T], channels: usize, g: &Geom3, cols: &mut [T]) {
    let (y2, s2) = (g.y[2], g.stride[2]);
    for_each_line(channels, g, |line, x_line, (lo, hi), first| {
        let dst = &mut cols[line..line + y2];
        let Some(xl) = x_line else {
            dst.fill(T::default());
            return;
        };
        dst[..lo].fill(T::default());
        dst[hi..].fill(T::default());
        if lo == hi {
            return;
        }
        let src = &x[xl + first..];
        if s2 == 1 {
            dst[lo..hi].copy_from_slice(&src[..hi - lo]);
        } else {
            for (j, d) in dst[lo..hi].iter_mut().enumerate() {
                *d = src[j * s2];
            }
        }
    });
}

/// Adds `cols` (`channels·kernel × y`) back into `x` (`channels × x`): the adjoint of
/// [`im2col`].
pub fn col2im<T: Element + std::ops::AddAssign>(
    cols: &[T],
    channels: usize,
    g: &Geom3,
    x: &mut [T],
) {
    let s2 = g.stride[2];
    for_each_line(channels, g, |line, x_line, (lo, hi), first| {
        let Some(xl) = x_line else { return };
        if lo == hi {
            return;
        }
        let src = &cols[line + lo..line + hi];
        let dst = &mut x[xl + first..];
        if s2 == 1 {
            for (d, &s) in dst[..hi - lo].iter_mut().zip(src) {
                *d += s;
            }
        } else {
            for (j, &s) in src.iter().enumerate() {
                dst[j * s2] += s;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom_1d(x: usize, k: usize, s: usize, d: usize, p: usize) -> Geom3 {
        let y = (x + 2 * p - d * (k - 1) - 1) / s + 1;
        Geom3 {
            x: [1, 1, x],
            y: [1, 1, y],
            kernel: [1, 1, k],
            stride: [1, 1, s],
            dilation: [1, 1, d],
            pad: [0, 0, p],
        }
    }

    #[test]
    fn im2col_1d_matches_definition() {
        let x: Vec<f64> = (1..=7).map(|v| v as f64).collect();
        for (k, s, d, p) in [(3, 1, 1, 0), (2, 2, 1, 1), (3, 3, 2, 2), (1, 1, 1, 0)] {
            let g = geom_1d(7, k, s, d, p);
            let yn = g.y[2];
            let mut cols = vec![f64::NAN; k * yn];
            im2col(&x, 1, &g, &mut cols);
            for kk in 0..k {
                for o in 0..yn {
                    let pos = (o * s + kk * d) as isize - p as isize;
                    let want = if pos >= 0 && (pos as usize) < 7 {
                        x[pos as usize]
                    } else {
                        0.0
                    };
                    assert_eq!(cols[kk * yn + o], want, "k={k} s={s} d={d} p={p}");
                }
            }
        }
    }

    #[test]
    fn col2im_is_the_adjoint_of_im2col() {
        let g = Geom3 {
            x: [3, 4, 5],
            y: [2, 3, 2],
            kernel: [2, 2, 3],
            stride: [1, 2, 2],
            dilation: [1, 1, 1],
            pad: [0, 1, 1],
        };
        let c = 2;
        let xs: Vec<f64> = (0..c * g.x_numel())
            .map(|v| (v as f64 * 0.37).sin())
            .collect();
        let cs: Vec<f64> = (0..c * g.kernel_numel() * g.y_numel())
            .map(|v| (v as f64 * 0.11).cos())
            .collect();
        let mut cols = vec![0.0; cs.len()];
        im2col(&xs, c, &g, &mut cols);
        let mut back = vec![0.0; xs.len()];
        col2im(&cs, c, &g, &mut back);
        let lhs: f64 = cols.iter().zip(&cs).map(|(a, b)| a * b).sum();
        let rhs: f64 = xs.iter().zip(&back).map(|(a, b)| a * b).sum();
        assert!((lhs - rhs).abs() < 1e-9);
    }
}
