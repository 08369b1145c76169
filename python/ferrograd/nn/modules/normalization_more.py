"""InstanceNorm1d/2d/3d, RMSNorm, LocalResponseNorm and CrossMapLRN2d (PyTorch's
arguments, checks and reprs)."""

from __future__ import annotations

import numbers
import warnings

from ..._core import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module
from .normalization import add_norm_state

__all__ = ["CrossMapLRN2d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm", "RMSNorm"]


class _InstanceNorm(Module):
    """Per-sample, per-channel normalisation; optional affine and running statistics."""

    _batched_rank = 3

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()

        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        add_norm_state(self, num_features, affine, bias, track_running_stats, dtype)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:
        r = self._batched_rank
        if input.dim() not in (r - 1, r):
            raise ValueError(f"expected {r - 1}D or {r}D input (got {input.dim()}D input)")

    def _apply_instance_norm(self, input: Tensor) -> Tensor:
        return F.instance_norm(
            input, self.running_mean, self.running_var, self.weight, self.bias,
            self.training or not self.track_running_stats,
            self.momentum if self.momentum is not None else 0.0, self.eps,
        )

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        self._check_input_dim(input)
        no_batch_dim = self._batched_rank - 1
        feature_dim = input.dim() - no_batch_dim
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim={feature_dim} to match num_features"
                    f" ({self.num_features}), but got: {input.shape[feature_dim]}."
                )
            warnings.warn(
                f"input's size at dim={feature_dim} does not match num_features. "
                "You can silence this warning by not passing in num_features, "
                "which is not used because affine=False",
                stacklevel=2,
            )
        if input.dim() == no_batch_dim:
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation over (N, C, L) or (C, L).

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C, L) or (C, L); the output has the same shape.
    """

    _batched_rank = 3


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation over (N, C, H, W) or (C, H, W).

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C, H, W) or (C, H, W); the output has the same shape.
    """

    _batched_rank = 4


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation over (N, C, D, H, W) or (C, D, H, W).

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C, D, H, W) or (C, D, H, W); the output has the same shape.
    """

    _batched_rank = 5


class RMSNorm(Module):
    """x / RMS(x) over the trailing `normalized_shape` dims, times a learned scale (ones).

    Args:
        normalized_shape: the trailing shape to normalise over, an int or a sequence.
        eps: added to the mean square; None (default) means the dtype's machine epsilon.
        elementwise_affine: learn the scale `weight` (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, normalized_shape, eps: float | None = None, elementwise_affine: bool = True, device=None,
                 dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(empty(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x: Tensor) -> Tensor:
        """Normalises `x` over its trailing `normalized_shape` dims.

        Args:
            x: the input, (*, *normalized_shape).
        """
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """x / (k + alpha / n · Σ_{n nearby channels} x²)^beta.

    Args:
        size: n, the number of neighbouring channels summed over.
        alpha: the scale of the sum (default 1e-4).
        beta: the exponent (default 0.75).
        k: the additive constant (default 1).
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CrossMapLRN2d(Module):
    """The legacy cross-channel local response normalisation of 4-d inputs.

    Args:
        size: the number of neighbouring channels summed over.
        alpha: the scale of the sum (default 1e-4).
        beta: the exponent (default 0.75).
        k: the additive constant (default 1).
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        from .._functional_extra import cross_map_lrn2d

        return cross_map_lrn2d(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"

