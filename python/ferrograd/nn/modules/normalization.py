"""`Embedding`, `LayerNorm`, `BatchNorm1d`, composed from tensor ops."""

from __future__ import annotations

from ..._core import Tensor
from ..._grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "Embedding", "GroupNorm", "LayerNorm"]


class Embedding(Module):
    """A lookup table: row `i` of `weight` for index `i` (initialised from N(0, 1)).

    Args:
        num_embeddings: the number of rows of the table.
        embedding_dim: the size of each row.
        padding_idx: a row initialised to zeros that gets no gradient (negative counts from
            the end); default None.
        max_norm: when given, rows looked up with a larger norm are rescaled to this norm,
            in place.
        norm_type: the p of the norm for `max_norm` (default 2).
        scale_grad_by_freq: divide the gradient of each row by its count in the batch
            (default False).
        sparse: accepted for PyTorch compatibility; the gradient is always dense.
        _weight: an initial table to use instead of a random one (default None).
        _freeze: with `_weight`, do not let the table require grad (default False).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input: int64 indices of any shape (*) -> output (*, embedding_dim).
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm=None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False,
                 device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        if padding_idx is not None:
            if padding_idx > 0:
                if padding_idx >= num_embeddings:
                    raise AssertionError("Padding_idx must be within num_embeddings")
            elif padding_idx < 0:
                if padding_idx < -num_embeddings:
                    raise AssertionError("Padding_idx must be within num_embeddings")
                padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(empty((num_embeddings, embedding_dim), dtype=dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is `embeddings` (frozen unless freeze=False).

        Args:
            embeddings: the (num_embeddings, embedding_dim) table.
            freeze: keep the table fixed (requires_grad False); default True.
            padding_idx: a row that gets no gradient (default None).
            max_norm: rescale rows looked up with a larger norm to this norm (default None).
            norm_type: the p of the norm for `max_norm` (default 2).
            scale_grad_by_freq: divide each row's gradient by its count in the batch
                (default False).
            sparse: accepted for PyTorch compatibility; the gradient is always dense.
        """
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        if self.sparse is not False:
            s += ", sparse=True"
        return s


class LayerNorm(Module):
    """Normalises over the trailing `normalized_shape` dims, then scales and shifts.

    Args:
        normalized_shape: the trailing shape to normalise over, an int or a sequence.
        eps: added to the variance for numerical stability (default 1e-5).
        elementwise_affine: learn a scale `weight` (ones) and a shift `bias` (zeros)
            of shape normalized_shape (default True).
        bias: with `elementwise_affine`, also learn the shift (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (*, *normalized_shape); the output has the same shape.
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import ones, zeros

        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )



def add_norm_state(module: Module, num_features: int, affine: bool, bias: bool,
                   track_running_stats: bool, dtype) -> None:
    """The affine parameters and running-statistics buffers of batch and instance norms
    (PyTorch's `_NormBase`), registered as None where switched off."""
    from ..._core import int64
    from ..._creation import ones, tensor, zeros

    if affine:
        module.weight = Parameter(ones(num_features, dtype=dtype))
        if bias:
            module.bias = Parameter(zeros(num_features, dtype=dtype))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)
    if track_running_stats:
        module.register_buffer("running_mean", zeros(num_features, dtype=dtype))
        module.register_buffer("running_var", ones(num_features, dtype=dtype))
        module.register_buffer("num_batches_tracked", tensor(0, dtype=int64))
    else:
        module.register_buffer("running_mean", None)
        module.register_buffer("running_var", None)
        module.register_buffer("num_batches_tracked", None)


class BatchNorm1d(Module):
    """Batch normalisation over (N, C) or (N, C, L) with running statistics.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C) or (N, C, L); the output has the same shape.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()

        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        add_norm_state(self, num_features, affine, bias, track_running_stats, dtype)

    _version = 2

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        # A state dict without version metadata (a plain dict, or one saved before the
        # counter existed) may lack num_batches_tracked: PyTorch fills it in instead of
        # reporting it missing.
        version = local_metadata.get("version", None)
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and key not in state_dict:
            from ..._core import int64
            from ..._creation import tensor

            current = self._buffers.get("num_batches_tracked")
            state_dict[key] = current if current is not None else tensor(0, dtype=int64)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        self._check_input_dim(input)
        exponential_average_factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                exponential_average_factor = 1.0 / float(self.num_batches_tracked.item())
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        return F.batch_norm(
            input,
            self.running_mean if not self.training or self.track_running_stats else None,
            self.running_var if not self.training or self.track_running_stats else None,
            self.weight, self.bias, bn_training, exponential_average_factor, self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class _BatchNormNd(BatchNorm1d):
    """`BatchNorm1d` over inputs of a fixed rank (`_rank`)."""

    _rank = 4

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != self._rank:
            raise ValueError(f"expected {self._rank}D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNormNd):
    """Batch normalisation over (N, C, H, W) with running statistics.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C, H, W); the output has the same shape.
    """

    _rank = 4


class BatchNorm3d(_BatchNormNd):
    """Batch normalisation over (N, C, D, H, W) with running statistics.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).

    Shape:
        input (N, C, D, H, W); the output has the same shape.
    """

    _rank = 5


class GroupNorm(Module):
    """Normalises groups of channels of each sample, with a per-channel affine.

    Args:
        num_groups: the number of groups; num_channels must be divisible by it.
        num_channels: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        affine: learn a per-channel scale and shift (default True).
        bias: with `affine`, also learn the shift (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, *); the output has the same shape.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import ones, zeros

        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = Parameter(ones(num_channels, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(num_channels, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
