//! `im2col` / `col2im` as ops (`F.unfold` / `F.fold` on batched 4-d / 3-d input), each
//! the other's gradient (`Im2ColBackward0`, `Col2ImBackward0`).

use super::conv::read_contiguous;
use crate::autograd::{needs_grad, record};
use crate::error::{Error, Result};
use crate::kernels::im2col::{col2im, im2col, Geom3};
use crate::tensor::layout::format_shape;
use crate::tensor::{DType, Tensor};

/// kernel_size, dilation, padding, stride of a 2-d unfold/fold, one pair each.
#[derive(Clone, Copy, Debug)]
pub struct FoldParams {
    pub kernel: [i64; 2],
    pub dilation: [i64; 2],
    pub padding: [i64; 2],
    pub stride: [i64; 2],
}

fn check_positive(v: [i64; 2], what: &str, short: &str) -> Result<()> {
    if v[0] <= 0 || v[1] <= 0 {
        return Err(Error::runtime(format!(
            "{what} should be greater than zero, but got {short}_height: {} {short}_width: {}",
            v[0], v[1]
        )));
    }
    Ok(())
}

fn check_padding(p: [i64; 2]) -> Result<()> {
    if p[0] < 0 || p[1] < 0 {
        return Err(Error::runtime(format!(
            "padding should be non-negative, but got pad_height: {} pad_width: {}",
            p[0], p[1]
        )));
    }
    Ok(())
}

/// Number of block positions along each dim of an image of size `size`.
fn blocks(size: [i64; 2], p: &FoldParams) -> [i64; 2] {
    let one = |i: usize| {
        (size[i] + 2 * p.padding[i] - (p.dilation[i] * (p.kernel[i] - 1) + 1)) / p.stride[i] + 1
    };
    [one(0), one(1)]
}

fn geometry(image: [usize; 2], blocks: [usize; 2], p: &FoldParams) -> Geom3 {
    Geom3 {
        x: [1, image[0], image[1]],
        y: [1, blocks[0], blocks[1]],
        kernel: [1, p.kernel[0] as usize, p.kernel[1] as usize],
        stride: [1, p.stride[0] as usize, p.stride[1] as usize],
        dilation: [1, p.dilation[0] as usize, p.dilation[1] as usize],
        pad: [0, p.padding[0] as usize, p.padding[1] as usize],
    }
}

/// The shape with a batch dim of 1 put in front of an unbatched input (`unbatched_ndim`
/// dims); fewer dims than that is PyTorch's IndexError.
fn batch_shape(input: &Tensor, unbatched_ndim: usize) -> Result<Vec<usize>> {
    let n = input.ndim();
    if n < unbatched_ndim {
        return Err(Error::index(format!(
            "Dimension out of range (expected to be in range of [-{}, {}], but got {})",
            n.max(1),
            n.max(1) - 1,
            n
        )));
    }
    let mut s = input.shape().to_vec();
    if n == unbatched_ndim {
        s.insert(0, 1);
    }
    Ok(s)
}

fn pair(v: [i64; 2]) -> String {
    format!("({}, {})", v[0], v[1])
}

/// `im2col(input [N, C, H, W])` → `[N, C·kh·kw, L]` (`Im2ColBackward0`).
pub fn im2col_op(input: &Tensor, p: &FoldParams) -> Result<Tensor> {
    check_positive(p.kernel, "kernel size", "kernel")?;
    check_positive(p.dilation, "dilation", "dilation")?;
    check_padding(p.padding)?;
    check_positive(p.stride, "stride", "stride")?;
    let batched = input.ndim() == 4;
    let s = &batch_shape(input, 3)?;
    if input.ndim() > 4 || s[1..].contains(&0) {
        return Err(Error::runtime(format!(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: {}",
            format_shape(input.shape())
        )));
    }
    let image = [s[2] as i64, s[3] as i64];
    let b = blocks(image, p);
    if b[0] < 1 || b[1] < 1 {
        return Err(Error::runtime(format!(
            "Given input with spatial size {}, kernel_size={}, dilation={}, padding={}, calculated shape of the array of sliding blocks as {}, but its components must be at least one.",
            pair(image), pair(p.kernel), pair(p.dilation), pair(p.padding), pair(b)
        )));
    }
    if input.dtype() == DType::I64 {
        return Err(Error::not_implemented(
            "\"im2col_out_cpu\" not implemented for 'Long'",
        ));
    }
    let (n, c) = (s[0], s[1]);
    let g = geometry([s[2], s[3]], [b[0] as usize, b[1] as usize], p);
    let (xn, rows, l) = (g.x_numel(), c * g.kernel_numel(), g.y_numel());
    let out = crate::with_dtype!(input.dtype(), T => {
        let cols = read_contiguous(input, |xs: &[T]| {
            let mut cols = vec![T::default(); n * rows * l];
            for i in 0..n {
                im2col(&xs[i * c * xn..(i + 1) * c * xn], c, &g, &mut cols[i * rows * l..(i + 1) * rows * l]);
            }
            cols
        });
        let shape = if batched { vec![n, rows, l] } else { vec![rows, l] };
        Tensor::from_vec(cols, &shape)?
    });
    if needs_grad(&[input]) {
        let (image, p) = ([s[2] as i64, s[3] as i64], *p);
        record("Im2ColBackward0", &[input], &[&out], vec![], move |ctx| {
            Ok(vec![Some(col2im_op(ctx.grad(), image, &p)?)])
        });
    }
    Ok(out)
}

/// `col2im(input [N, C·kh·kw, L], output_size)` → `[N, C, H, W]` (`Col2ImBackward0`).
pub fn col2im_op(input: &Tensor, output_size: [i64; 2], p: &FoldParams) -> Result<Tensor> {
    check_positive(p.kernel, "kernel size", "kernel")?;
    check_positive(p.stride, "stride", "stride")?;
    check_positive(p.dilation, "dilation", "dilation")?;
    check_padding(p.padding)?;
    let batched = input.ndim() == 3;
    let s = &batch_shape(input, 2)?;
    if input.ndim() > 3 || s[1..].contains(&0) {
        return Err(Error::runtime(format!(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: {}",
            format_shape(input.shape())
        )));
    }
    let k = (p.kernel[0] * p.kernel[1]) as usize;
    if s[1] % k != 0 {
        return Err(Error::runtime(format!(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)={} and kernel_size={}.",
            s[1],
            pair(p.kernel)
        )));
    }
    let b = blocks(output_size, p);
    if output_size[0] < 1
        || output_size[1] < 1
        || b[0] < 1
        || b[1] < 1
        || (b[0] * b[1]) as usize != s[2]
    {
        return Err(Error::runtime(format!(
            "Given output_size={}, kernel_size={}, dilation={}, padding={}, stride={}, expected size of input's dimension 2 to match the calculated number of sliding blocks {} * {} = {}, but got input.size(2)={}.",
            pair(output_size), pair(p.kernel), pair(p.dilation), pair(p.padding), pair(p.stride),
            b[0], b[1], b[0].max(0) * b[1].max(0), s[2]
        )));
    }
    let (n, c) = (s[0], s[1] / k);
    let image = [output_size[0] as usize, output_size[1] as usize];
    let g = geometry(image, [b[0] as usize, b[1] as usize], p);
    let (xn, rows, l) = (g.x_numel(), s[1], s[2]);
    macro_rules! fold_as {
        ($T:ty) => {{
            let x = read_contiguous(input, |cs: &[$T]| {
                let mut x = vec![<$T>::default(); n * c * xn];
                for i in 0..n {
                    col2im(
                        &cs[i * rows * l..(i + 1) * rows * l],
                        c,
                        &g,
                        &mut x[i * c * xn..(i + 1) * c * xn],
                    );
                }
                x
            });
            let shape = if batched {
                vec![n, c, image[0], image[1]]
            } else {
                vec![c, image[0], image[1]]
            };
            Tensor::from_vec(x, &shape)?
        }};
    }
    let out = match input.dtype() {
        DType::F32 => fold_as!(f32),
        DType::F64 => fold_as!(f64),
        other => {
            return Err(Error::not_implemented(format!(
                "\"col2im_out_cpu\" not implemented for '{}'",
                other.kernel_name()
            )))
        }
    };
    if needs_grad(&[input]) {
        let p = *p;
        record("Col2ImBackward0", &[input], &[&out], vec![], move |ctx| {
            Ok(vec![Some(im2col_op(ctx.grad(), &p)?)])
        });
    }
    Ok(out)
}
