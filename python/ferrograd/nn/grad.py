"""`nn.grad`: gradients of convolutions with respect to their input or weight, as the
vector-Jacobian products of the convolution ops (so themselves differentiable)."""

from __future__ import annotations

from .. import autograd
from .._core import Tensor
from .._grad_mode import enable_grad

__all__ = ["conv1d_input", "conv1d_weight", "conv2d_input", "conv2d_weight", "conv3d_input", "conv3d_weight"]


def _conv(nd: int):
    from . import functional as F

    return {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[nd]


def _input_grad(nd, input_size, weight, grad_output, stride, padding, dilation, groups) -> Tensor:
    from .._creation import zeros

    x = zeros(tuple(input_size), dtype=grad_output.dtype, requires_grad=True)
    with enable_grad():
        out = _conv(nd)(x, weight, None, stride, padding, dilation, groups)
        create = weight.requires_grad or grad_output.requires_grad
        return autograd.grad(out, x, grad_output, create_graph=create)[0]


def _weight_grad(nd, input, weight_size, grad_output, stride, padding, dilation, groups) -> Tensor:
    from .._creation import zeros

    w = zeros(tuple(weight_size), dtype=input.dtype, requires_grad=True)
    with enable_grad():
        out = _conv(nd)(input, w, None, stride, padding, dilation, groups)
        create = input.requires_grad or grad_output.requires_grad
        return autograd.grad(out, w, grad_output, create_graph=create)[0]


def conv1d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv1d with respect to its input (of shape `input_size`)."""
    return _input_grad(1, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv1d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv1d with respect to its weight (of shape `weight_size`)."""
    return _weight_grad(1, input, weight_size, grad_output, stride, padding, dilation, groups)


def conv2d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv2d with respect to its input (of shape `input_size`)."""
    return _input_grad(2, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv2d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv2d with respect to its weight (of shape `weight_size`)."""
    return _weight_grad(2, input, weight_size, grad_output, stride, padding, dilation, groups)


def conv3d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv3d with respect to its input (of shape `input_size`)."""
    return _input_grad(3, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv3d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """Gradient of conv3d with respect to its weight (of shape `weight_size`)."""
    return _weight_grad(3, input, weight_size, grad_output, stride, padding, dilation, groups)
