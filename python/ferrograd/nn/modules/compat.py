"""Single-process stand-ins PyTorch keeps in `nn`: SyncBatchNorm (plain batch norm when
there is no process group, as on one CPU process) and the deprecated Container."""

from __future__ import annotations

import warnings

from ..._core import Tensor
from .module import Module
from .normalization import BatchNorm1d

__all__ = ["Container", "SyncBatchNorm"]


class SyncBatchNorm(BatchNorm1d):
    """Batch normalisation over any (N, C, ...) input; statistics are this process's own.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        process_group: accepted for PyTorch compatibility (no distributed training here).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
        bias: with `affine`, also learn the shift (default True).
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, process_group=None, device=None, dtype=None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group=None) -> Module:
        """`module` with every BatchNorm*d replaced by a SyncBatchNorm holding its state.

        Args:
            module: the module (tree) to convert.
            process_group: stored on the new modules; accepted for PyTorch compatibility.
        """
        out = module
        if isinstance(module, BatchNorm1d) and not isinstance(module, SyncBatchNorm):
            out = SyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                                module.track_running_stats, process_group, bias=module.bias is not None)
            if module.affine:
                out.weight = module.weight
                out.bias = module.bias
            out.running_mean = module.running_mean
            out.running_var = module.running_var
            out.num_batches_tracked = module.num_batches_tracked
            out.training = module.training
        for name, child in module.named_children():
            out.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return out


class Container(Module):
    """Deprecated: a Module holding the keyword-argument modules given."""

    def __init__(self, **kwargs) -> None:
        super().__init__()
        warnings.warn(
            "`nn.Container` is deprecated. All of its functionality is now implemented in `nn.Module`. "
            "Subclass that instead.",
            FutureWarning,
            stacklevel=2,
        )
        for key, value in kwargs.items():
            self.add_module(key, value)
