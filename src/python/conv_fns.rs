//! Module functions for convolutions and unfold/fold (`ferrograd._core._convolution`,
//! ...); the Python layer (`nn/_conv_functional.py`) parses PyTorch's argument forms.
//! The kernels run with the GIL released when the work is large.

use super::errors::{guarded_nogil, RELEASE_GIL_FROM};
use super::int_args::{int_arg, int_list_arg};
use super::strided_arg::Strided;
use super::tensor::wrap;
use crate::ops::{self, ConvParams, FoldParams};
use pyo3::prelude::*;

#[pyfunction]
#[pyo3(signature = (input, weight, bias, stride, padding, padding_extra, dilation, transposed, output_padding, groups))]
#[allow(clippy::too_many_arguments)]
fn _convolution(
    py: Python<'_>,
    input: Strided<'_>,
    weight: Strided<'_>,
    bias: Option<Strided<'_>>,
    #[pyo3(from_py_with = int_list_arg)] stride: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] padding: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] padding_extra: Vec<i64>,
    #[pyo3(from_py_with = int_list_arg)] dilation: Vec<i64>,
    transposed: bool,
    #[pyo3(from_py_with = int_list_arg)] output_padding: Vec<i64>,
    #[pyo3(from_py_with = int_arg)] groups: i64,
) -> PyResult<Py<PyAny>> {
    let params = ConvParams {
        stride,
        padding,
        padding_extra,
        dilation,
        transposed,
        output_padding,
        groups,
    };
    let (x, w) = (input.t().clone(), weight.t().clone());
    let b = bias.map(|b| b.t().clone());
    let big = x.numel().saturating_mul(w.numel()) >= RELEASE_GIL_FROM;
    let out = guarded_nogil(py, big, "convolution", || {
        ops::convolution(&x, &w, b.as_ref(), &params)
    })?;
    wrap(py, out)
}

fn fold_params(
    kernel: [i64; 2],
    dilation: [i64; 2],
    padding: [i64; 2],
    stride: [i64; 2],
) -> FoldParams {
    FoldParams {
        kernel,
        dilation,
        padding,
        stride,
    }
}

#[pyfunction]
fn _im2col(
    py: Python<'_>,
    input: Strided<'_>,
    kernel_size: [i64; 2],
    dilation: [i64; 2],
    padding: [i64; 2],
    stride: [i64; 2],
) -> PyResult<Py<PyAny>> {
    let x = input.t().clone();
    let p = fold_params(kernel_size, dilation, padding, stride);
    let big = x.numel() >= RELEASE_GIL_FROM;
    wrap(
        py,
        guarded_nogil(py, big, "im2col", || ops::im2col_op(&x, &p))?,
    )
}

#[pyfunction]
fn _col2im(
    py: Python<'_>,
    input: Strided<'_>,
    output_size: [i64; 2],
    kernel_size: [i64; 2],
    dilation: [i64; 2],
    padding: [i64; 2],
    stride: [i64; 2],
) -> PyResult<Py<PyAny>> {
    let x = input.t().clone();
    let p = fold_params(kernel_size, dilation, padding, stride);
    let big = x.numel() >= RELEASE_GIL_FROM;
    wrap(
        py,
        guarded_nogil(py, big, "col2im", || ops::col2im_op(&x, output_size, &p))?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_convolution, m)?)?;
    m.add_function(wrap_pyfunction!(_im2col, m)?)?;
    m.add_function(wrap_pyfunction!(_col2im, m)?)?;
    Ok(())
}
