"""Complex inputs for the convolution, im2col and padding kernels.

The native kernels are real-valued. PyTorch computes these ops for complex tensors, so a
complex input runs as real ops on its real and imaginary parts: a linear kernel (im2col,
reflection/replication padding) on each part, and a convolution with PyTorch's own
three-product (Gauss) formula, so the result and its node (AddBackward0) are PyTorch's."""

from __future__ import annotations

from collections.abc import Callable

from .. import _core
from .._core import Tensor


def is_complex(t) -> bool:
    return isinstance(t, Tensor) and t.dtype.is_complex


def _parts(t: Tensor) -> tuple[Tensor, Tensor]:
    return t.real, t.imag


def linear_parts(kernel: Callable) -> Callable:
    """`kernel(input, *args)` for a kernel linear in `input`: a complex input runs the kernel on
    its real and imaginary parts, which are put back together under the kernel's node name."""

    def run(input, *args):
        if not is_complex(input):
            return kernel(input, *args)
        from .._complex import complex as make_complex

        re, im = _parts(input)
        out_re = kernel(re, *args)
        out = make_complex(out_re, kernel(im, *args))
        if out_re.grad_fn is None:
            return out
        return _core._named_node(out, out_re.grad_fn.name())

    return run


def complex_convolution(convolution: Callable, input: Tensor, weight: Tensor, bias, *args) -> Tensor:
    """`convolution(input, weight, bias, *args)` for complex input and weight of one dtype, as
    PyTorch computes it: a = conv(x_r, w_r, b_r), b = conv(x_i, w_i), c = conv(x_r + x_i,
    w_r + w_i, b_r + b_i); the result is (a - b) + i (c - a - b)."""
    x_r, x_i = _parts(input)
    w_r, w_i = _parts(weight)
    b_r = b_i = None
    if bias is not None:
        b_r, b_i = _parts(bias)
    a = convolution(x_r, w_r, b_r, *args)
    b = convolution(x_i, w_i, None, *args)
    c = convolution(x_r + x_i, w_r + w_i, None if bias is None else b_r + b_i, *args)
    return (a - b) + 1j * (c - a - b)


def wants_complex_convolution(input, weight, bias) -> bool:
    """Complex input and weight (and bias) of one dtype; mismatches go to the native checks."""
    if not (is_complex(input) and isinstance(weight, Tensor) and weight.dtype == input.dtype):
        return False
    return bias is None or (isinstance(bias, Tensor) and bias.dtype == input.dtype)
