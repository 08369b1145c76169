//! Argument checks of `convolution` in PyTorch's order and words, and the geometry
//! they settle on.

use crate::error::{Error, Result};
use crate::kernels::im2col::Geom3;
use crate::tensor::layout::format_shape;
use crate::tensor::{DType, Tensor};
use std::sync::Arc;

/// A convolution's parameters as the caller gives them (one value, or one per spatial
/// dim). `padding_extra` pads after the end only (`padding='same'` with an even
/// dilated kernel); empty means none.
#[derive(Clone, Debug, Default)]
pub struct ConvParams {
    pub stride: Vec<i64>,
    pub padding: Vec<i64>,
    pub padding_extra: Vec<i64>,
    pub dilation: Vec<i64>,
    pub transposed: bool,
    pub output_padding: Vec<i64>,
    pub groups: i64,
}

/// A checked convolution: its geometry (x = image side, y = block side), its groups,
/// how many spatial dims it has, and which way the op maps (transposed: y → x).
#[derive(Clone, Debug)]
pub struct ConvSetup {
    pub geom: Geom3,
    pub groups: usize,
    pub nd: usize,
    pub transposed: bool,
}

impl ConvSetup {
    pub fn with_transposed(&self, transposed: bool) -> Arc<ConvSetup> {
        Arc::new(ConvSetup {
            transposed,
            ..self.clone()
        })
    }
    pub fn x_spatial(&self) -> &[usize] {
        &self.geom.x[3 - self.nd..]
    }
    pub fn y_spatial(&self) -> &[usize] {
        &self.geom.y[3 - self.nd..]
    }
}

fn format_i64(v: &[i64]) -> String {
    let parts: Vec<String> = v.iter().map(|d| d.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// One value per spatial dim (a single value is repeated), or PyTorch's error.
fn expand_param(v: &[i64], name: &str, nd: usize) -> Result<Vec<i64>> {
    match v.len() {
        1 => Ok(vec![v[0]; nd]),
        n if n == nd => Ok(v.to_vec()),
        _ => Err(Error::runtime(format!(
            "expected {name} to be a single integer value or a list of {nd} values to match the convolution dimensions, but got {name}={}",
            format_i64(v)
        ))),
    }
}

fn by_x(v: &[i64]) -> String {
    v.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(" x ")
}

fn c_type_name(d: DType) -> &'static str {
    match d {
        DType::F32 => "float",
        DType::F64 => "double",
        DType::I64 => "long int",
        DType::I32 => "int",
        DType::I16 => "short int",
        DType::I8 => "signed char",
        DType::U8 => "unsigned char",
        DType::F16 => "c10::Half",
        DType::BF16 => "c10::BFloat16",
        DType::C64 => "c10::complex<float>",
        DType::C128 => "c10::complex<double>",
        _ => "bool",
    }
}

/// Checks a `convolution` call and returns its setup (PyTorch's `_convolution` checks).
pub fn check_convolution(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    p: &ConvParams,
) -> Result<ConvSetup> {
    if p.groups <= 0 {
        return Err(Error::runtime("non-positive groups is not supported"));
    }
    if weight.ndim() < 3 {
        return Err(Error::runtime(
            "weight should have at least three dimensions",
        ));
    }
    let nd = weight.ndim() - 2;
    if nd > 3 {
        return Err(Error::runtime(format!(
            "{nd}-d convolutions are not supported (1, 2 or 3 spatial dims)"
        )));
    }
    let stride = expand_param(&p.stride, "stride", nd)?;
    let padding = expand_param(&p.padding, "padding", nd)?;
    let extra = if p.padding_extra.is_empty() {
        vec![0; nd]
    } else {
        expand_param(&p.padding_extra, "padding", nd)?
    };
    let dilation = expand_param(&p.dilation, "dilation", nd)?;
    let output_padding = if p.output_padding.is_empty() {
        vec![0; nd]
    } else {
        expand_param(&p.output_padding, "output_padding", nd)?
    };
    if padding.iter().chain(&extra).any(|&v| v < 0) {
        return Err(Error::runtime("negative padding is not supported"));
    }
    if output_padding.iter().any(|&v| v < 0) {
        return Err(Error::runtime("negative output_padding is not supported"));
    }
    if stride.iter().any(|&v| v <= 0) {
        return Err(Error::runtime("non-positive stride is not supported"));
    }
    if dilation.iter().any(|&v| v < 0) {
        return Err(Error::runtime("dilation should be greater than zero"));
    }
    let ws = weight.shape();
    let is = input.shape();
    if input.ndim() != weight.ndim() {
        return Err(Error::runtime(format!(
            "Expected {k}-dimensional input for {k}-dimensional weight {}, but got {}-dimensional input of size {} instead",
            format_shape(ws),
            input.ndim(),
            format_shape(is),
            k = weight.ndim()
        )));
    }
    let groups = p.groups as usize;
    if ws[0] < groups {
        return Err(Error::runtime(format!(
            "Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {} instead",
            format_shape(ws)
        )));
    }
    if !ws[0].is_multiple_of(groups) {
        return Err(Error::runtime(format!(
            "Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{}] instead",
            format_shape(ws)
        )));
    }
    let bias_ok = |n: usize| bias.is_none_or(|b| b.ndim() == 1 && b.shape()[0] == n);
    let bias_shape = || bias.map(|b| format_shape(b.shape())).unwrap_or_default();
    let kernel: Vec<usize> = ws[2..].to_vec();
    let spatial: Vec<usize> = is[2..].to_vec();
    if !p.transposed {
        if is[1] != ws[1] * groups {
            return Err(Error::runtime(format!(
                "Given groups={groups}, weight of size {}, expected input{} to have {} channels, but got {} channels instead",
                format_shape(ws),
                format_shape(is),
                ws[1] * groups,
                is[1]
            )));
        }
        if !bias_ok(ws[0]) {
            return Err(Error::runtime(format!(
                "Given weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead",
                format_shape(ws),
                ws[0],
                bias_shape()
            )));
        }
        let padded: Vec<i64> = (0..nd)
            .map(|i| spatial[i] as i64 + 2 * padding[i] + extra[i])
            .collect();
        let dilated: Vec<i64> = (0..nd)
            .map(|i| dilation[i] * (kernel[i] as i64 - 1) + 1)
            .collect();
        if (0..nd).any(|i| padded[i] < dilated[i]) {
            return Err(Error::runtime(format!(
                "Calculated padded input size per channel: ({}). Kernel size: ({}). Kernel size can't be greater than actual input size",
                by_x(&padded),
                by_x(&dilated)
            )));
        }
    } else {
        if is[1] != ws[0] {
            return Err(Error::runtime(format!(
                "Given transposed=1, weight of size {}, expected input{} to have {} channels, but got {} channels instead",
                format_shape(ws),
                format_shape(is),
                ws[0],
                is[1]
            )));
        }
        if !bias_ok(ws[1] * groups) {
            return Err(Error::runtime(format!(
                "Given transposed=1, weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead",
                format_shape(ws),
                ws[1] * groups,
                bias_shape()
            )));
        }
    }
    if dilation.contains(&0) {
        return Err(Error::runtime("non-positive dilation is not supported"));
    }
    let onednn = runs_on_onednn(input.dtype(), is, ws, &stride, &dilation, groups);
    check_dtypes(input, weight, bias, onednn)?;
    if kernel.contains(&0) {
        return Err(Error::runtime(format!(
            "convolution with an empty kernel (weight of size {}) is not supported",
            format_shape(ws)
        )));
    }
    let setup = if p.transposed {
        transposed_geometry(is, &kernel, &stride, &padding, &dilation, &output_padding)?
    } else {
        forward_geometry(&spatial, &kernel, &stride, &padding, &extra, &dilation)
    };
    check_workspace(is, ws, &setup, groups)?;
    Ok(ConvSetup {
        geom: setup,
        groups,
        nd,
        transposed: p.transposed,
    })
}

/// Refuses geometries whose image, output or column buffer could never be allocated
/// (huge padding, stride or dilation), before any kernel asks the allocator.
fn check_workspace(is: &[usize], ws: &[usize], g: &Geom3, groups: usize) -> Result<()> {
    use crate::tensor::layout::checked_numel;
    let x = checked_numel(&g.x)?;
    let y = checked_numel(&g.y)?;
    let k = checked_numel(&g.kernel)?;
    let channels = is[1].max(ws[0]).max(ws[1] * groups);
    for shape in [
        [is[0].max(1), channels, x],
        [is[0].max(1), channels, y],
        [channels, k, y],
    ] {
        let n = checked_numel(&shape)?;
        crate::tensor::memory_limit::check(n, 8)?;
    }
    Ok(())
}

/// Whether PyTorch would run this convolution through oneDNN (its `use_mkldnn`), whose
/// dtype check words a mismatch differently from its native kernels'. `is`/`ws` are
/// the input's and weight's sizes; a 1-D convolution counts as a 2-D one of height 1.
fn runs_on_onednn(
    dtype: DType,
    is: &[usize],
    ws: &[usize],
    stride: &[i64],
    dilation: &[i64],
    groups: usize,
) -> bool {
    match dtype {
        DType::F16 | DType::BF16 => return true,
        DType::F32 => {}
        _ => return false,
    }
    let (n, c) = (is[0], is[1]);
    let (h, w) = if is.len() == 3 {
        (1, is[2])
    } else {
        (is[2], is[3])
    };
    let (kh, kw) = if ws.len() == 3 {
        (1, ws[2])
    } else {
        (ws[ws.len() - 2], ws[ws.len() - 1])
    };
    let one_by_one_single_thread = stride.iter().all(|&s| s == 1)
        && dilation.iter().all(|&d| d == 1)
        && n < 16
        && kh == 1
        && kw == 1
        && crate::parallel::num_threads() <= 1;
    !one_by_one_single_thread
        && (groups > 1 || (kh > 3 && kw > 3) || n > 1 || n * c * h * w > 20480)
}

/// A tensor type as PyTorch's oneDNN check names it (`torch.FloatTensor`, but
/// `CPUBFloat16Type`, which has no legacy tensor type).
fn onednn_type_name(dtype: DType) -> String {
    dtype.type_string()
}

fn check_dtypes(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    onednn: bool,
) -> Result<()> {
    let (di, dw) = (input.dtype(), weight.dtype());
    if di != dw {
        return Err(Error::runtime(if onednn {
            format!(
                "Input type ({}) and weight type ({}) should be the same or input should be a MKLDNN tensor and weight is a dense tensor",
                onednn_type_name(di),
                onednn_type_name(dw)
            )
        } else {
            format!(
                "expected scalar type {} but found {}",
                di.kernel_name(),
                dw.kernel_name()
            )
        }));
    }
    if let Some(b) = bias {
        if b.dtype() != di {
            return Err(Error::runtime(format!(
                "Input type ({}) and bias type ({}) should be the same",
                c_type_name(di),
                c_type_name(b.dtype())
            )));
        }
    }
    if !matches!(
        di,
        DType::F32 | DType::F64 | DType::I64 | DType::BF16 | DType::F16
    ) {
        return Err(Error::not_implemented(format!(
            "\"slow_conv2d_cpu\" not implemented for '{}'",
            di.kernel_name()
        )));
    }
    Ok(())
}

/// Pads a per-dim list to three dims with `fill` in front.
fn three<T: Copy>(v: &[T], fill: T) -> [T; 3] {
    let mut out = [fill; 3];
    out[3 - v.len()..].copy_from_slice(v);
    out
}

fn to_usize(v: &[i64]) -> Vec<usize> {
    v.iter().map(|&x| x as usize).collect()
}

fn forward_geometry(
    spatial: &[usize],
    kernel: &[usize],
    stride: &[i64],
    padding: &[i64],
    extra: &[i64],
    dilation: &[i64],
) -> Geom3 {
    let y: Vec<usize> = (0..spatial.len())
        .map(|i| {
            let padded = spatial[i] as i64 + 2 * padding[i] + extra[i];
            ((padded - dilation[i] * (kernel[i] as i64 - 1) - 1) / stride[i] + 1) as usize
        })
        .collect();
    Geom3 {
        x: three(spatial, 1),
        y: three(&y, 1),
        kernel: three(kernel, 1),
        stride: three(&to_usize(stride), 1),
        dilation: three(&to_usize(dilation), 1),
        pad: three(&to_usize(padding), 0),
    }
}

/// PyTorch's names for the per-dim values in its messages (1-d is checked as 2-d).
fn dim_names(nd: usize) -> &'static [&'static str] {
    if nd == 3 {
        &["depth", "height", "width"]
    } else {
        &["height", "width"]
    }
}

/// The values as PyTorch's 2-d view of a 1-d convolution shows them (`lead` in front).
fn as_2d(v: &[i64], lead: i64) -> Vec<i64> {
    if v.len() == 1 {
        vec![lead, v[0]]
    } else {
        v.to_vec()
    }
}

fn transposed_geometry(
    input_shape: &[usize],
    kernel: &[usize],
    stride: &[i64],
    padding: &[i64],
    dilation: &[i64],
    output_padding: &[i64],
) -> Result<Geom3> {
    let nd = kernel.len();
    if (0..nd).any(|i| output_padding[i] >= stride[i] && output_padding[i] >= dilation[i]) {
        let names = dim_names(nd);
        let part = |label: &str, v: &[i64]| -> String {
            names
                .iter()
                .zip(v)
                .map(|(n, x)| format!("{label}_{n}: {x}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        return Err(Error::runtime(format!(
            "output padding must be smaller than either stride or dilation, but got {} {} {}",
            part("output_padding", &as_2d(output_padding, 0)),
            part("stride", &as_2d(stride, 1)),
            part("dilation", &as_2d(dilation, 1))
        )));
    }
    let spatial = &input_shape[2..];
    if spatial.contains(&0) {
        return Err(Error::runtime(format!(
            "Only zero batch or zero channel inputs are supported, but got input shape: {}",
            format_shape(input_shape)
        )));
    }
    let x: Vec<i64> = (0..nd)
        .map(|i| {
            (spatial[i] as i64 - 1) * stride[i] - 2 * padding[i]
                + dilation[i] * (kernel[i] as i64 - 1)
                + output_padding[i]
                + 1
        })
        .collect();
    if x.iter().any(|&v| v <= 0) {
        let sp: Vec<i64> = spatial.iter().map(|&v| v as i64).collect();
        return Err(Error::runtime(format!(
            "Given input size per channel: ({}). Calculated output size per channel: ({}). Output size is too small",
            by_x(&as_2d(&sp, 1)),
            by_x(&as_2d(&x, 1))
        )));
    }
    Ok(Geom3 {
        x: three(&to_usize(&x), 1),
        y: three(spatial, 1),
        kernel: three(kernel, 1),
        stride: three(&to_usize(stride), 1),
        dilation: three(&to_usize(dilation), 1),
        pad: three(&to_usize(padding), 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(transposed: bool) -> ConvParams {
        ConvParams {
            stride: vec![2],
            padding: vec![1],
            dilation: vec![1],
            transposed,
            output_padding: vec![1],
            groups: 1,
            ..Default::default()
        }
    }

    #[test]
    fn output_sizes() {
        let x = Tensor::zeros(&[1, 2, 7, 6], DType::F32).unwrap();
        let w = Tensor::zeros(&[3, 2, 3, 2], DType::F32).unwrap();
        let mut p = params(false);
        p.output_padding.clear();
        let s = check_convolution(&x, &w, None, &p).unwrap();
        assert_eq!(s.y_spatial(), &[4, 4]);
        // transposed: (4 - 1) * 2 - 2 + 3 + 1 = 8 and (4 - 1) * 2 - 2 + 2 + 1 = 7
        let y = Tensor::zeros(&[1, 3, 4, 4], DType::F32).unwrap();
        let s = check_convolution(&y, &w, None, &params(true)).unwrap();
        assert_eq!(s.x_spatial(), &[8, 7]);
    }

    #[test]
    fn checks_come_in_pytorchs_order() {
        let x = Tensor::zeros(&[1, 2, 5], DType::F32).unwrap();
        let w = Tensor::zeros(&[3, 4, 3], DType::F64).unwrap();
        let mut p = params(false);
        p.padding = vec![-1];
        p.stride = vec![0];
        let e = check_convolution(&x, &w, None, &p).unwrap_err();
        assert_eq!(e.message, "negative padding is not supported");
        p.padding = vec![0];
        let e = check_convolution(&x, &w, None, &p).unwrap_err();
        assert_eq!(e.message, "non-positive stride is not supported");
        p.stride = vec![1];
        let e = check_convolution(&x, &w, None, &p).unwrap_err();
        assert!(e
            .message
            .contains("expected input[1, 2, 5] to have 4 channels"));
        p.stride = vec![1, 1];
        let e = check_convolution(&x, &w, None, &p).unwrap_err();
        assert!(e.message.contains("a list of 1 values"));
    }
}
