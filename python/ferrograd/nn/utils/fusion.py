"""Folding an eval-mode BatchNorm into the convolution or linear layer before it."""

from __future__ import annotations

import copy

from ..._core import Tensor
from ..modules.module import Module
from ..parameter import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval", "fuse_linear_bn_weights"]


def fuse_conv_bn_eval(conv: Module, bn: Module, transpose: bool = False) -> Module:
    """A copy of `conv` whose weight and bias include `bn`'s (running-statistics) affine map.

    Args:
        conv: the convolution, in eval mode.
        bn: the BatchNorm after it, in eval mode (its running statistics are used).
        transpose: `conv` is a transposed convolution (its output channels are dim 1 of the
            weight); default False.
    """
    if conv.training or bn.training:
        raise AssertionError("Fusion only for eval!")
    fused_conv = copy.deepcopy(conv)
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("BatchNorm running statistics are required for fusion")
    fused_conv.weight, fused_conv.bias = fuse_conv_bn_weights(
        fused_conv.weight, fused_conv.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias, transpose
    )
    return fused_conv


def fuse_conv_bn_weights(conv_w: Tensor, conv_b: Tensor | None, bn_rm: Tensor, bn_rv: Tensor, bn_eps: float,
                         bn_w: Tensor | None, bn_b: Tensor | None,
                         transpose: bool = False) -> tuple[Parameter, Parameter]:
    """The fused convolution (weight, bias) as Parameters:
    w' = w γ/√(var+ε) (per output channel), b' = (b - mean) γ/√(var+ε) + β.

    Args:
        conv_w: the convolution weight.
        conv_b: the convolution bias (None: zeros).
        bn_rm: the BatchNorm's running mean.
        bn_rv: the BatchNorm's running variance.
        bn_eps: the BatchNorm's eps.
        bn_w: the BatchNorm's weight γ (None: ones).
        bn_b: the BatchNorm's bias β (None: zeros).
        transpose: the weight is a transposed convolution's (output channels in dim 1);
            default False.
    """
    from ..._creation import ones_like, zeros_like

    conv_weight_dtype = conv_w.dtype
    conv_bias_dtype = conv_b.dtype if conv_b is not None else conv_weight_dtype
    if conv_b is None:
        conv_b = zeros_like(bn_rm)
    if bn_w is None:
        bn_w = ones_like(bn_rm)
    if bn_b is None:
        bn_b = zeros_like(bn_rm)
    bn_var_rsqrt = (bn_rv + bn_eps).rsqrt()
    extra = [1] * (conv_w.dim() - 2)
    shape = [1, -1, *extra] if transpose else [-1, 1, *extra]
    fused_w = (conv_w * (bn_w * bn_var_rsqrt).reshape(shape)).to(conv_weight_dtype)
    fused_b = ((conv_b - bn_rm) * bn_var_rsqrt * bn_w + bn_b).to(conv_bias_dtype)
    return Parameter(fused_w, conv_w.requires_grad), Parameter(fused_b, conv_b.requires_grad)


def fuse_linear_bn_eval(linear: Module, bn: Module) -> Module:
    """A copy of `linear` whose weight and bias include `bn`'s (running-statistics) affine map.

    Args:
        linear: the linear layer, in eval mode.
        bn: the BatchNorm after it, in eval mode (its running statistics are used).
    """
    if linear.training or bn.training:
        raise AssertionError("Fusion only for eval!")
    fused_linear = copy.deepcopy(linear)
    if not (linear.out_features == bn.num_features or bn.num_features == 1):
        raise AssertionError(
            "To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got "
            f"linear.out_features={linear.out_features} and bn.num_features={bn.num_features}"
        )
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("BatchNorm running statistics are required for fusion")
    fused_linear.weight, fused_linear.bias = fuse_linear_bn_weights(
        fused_linear.weight, fused_linear.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias
    )
    return fused_linear


def fuse_linear_bn_weights(linear_w: Tensor, linear_b: Tensor | None, bn_rm: Tensor, bn_rv: Tensor,
                           bn_eps: float, bn_w: Tensor, bn_b: Tensor) -> tuple[Parameter, Parameter]:
    """The fused linear (weight, bias) as Parameters:
    w' = w γ/√(var+ε) (per output row), b' = (b - mean) γ/√(var+ε) + β.

    Args:
        linear_w: the linear weight, (out_features, in_features).
        linear_b: the linear bias (None: zeros).
        bn_rm: the BatchNorm's running mean.
        bn_rv: the BatchNorm's running variance.
        bn_eps: the BatchNorm's eps.
        bn_w: the BatchNorm's weight γ.
        bn_b: the BatchNorm's bias β.
    """
    from ..._creation import zeros_like

    linear_weight_dtype = linear_w.dtype
    linear_bias_dtype = linear_b.dtype if linear_b is not None else linear_weight_dtype
    if linear_b is None:
        linear_b = zeros_like(bn_rm)
    bn_scale = bn_w * (bn_rv + bn_eps).rsqrt()
    fused_w = linear_w * bn_scale.unsqueeze(-1).to(linear_weight_dtype)
    fused_b = ((linear_b - bn_rm) * bn_scale + bn_b).to(linear_bias_dtype)
    return Parameter(fused_w, linear_w.requires_grad), Parameter(fused_b, linear_b.requires_grad)
