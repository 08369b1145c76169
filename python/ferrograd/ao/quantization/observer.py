"""Observers of quantization-aware training (`torch.ao.quantization.observer`): modules
that pass their input through unchanged while recording its range (`min_val`,
`max_val` buffers), and compute the scale and zero point quantizing that range
(`calculate_qparams`), as PyTorch's `MinMaxObserver`, `MovingAverageMinMaxObserver`,
`PerChannelMinMaxObserver` and `MovingAveragePerChannelMinMaxObserver`."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import ferrograd as torch

from ...nn import Module

__all__ = [
    "MinMaxObserver",
    "MovingAverageMinMaxObserver",
    "MovingAveragePerChannelMinMaxObserver",
    "ObserverBase",
    "PerChannelMinMaxObserver",
    "default_observer",
    "default_per_channel_weight_observer",
    "default_weight_observer",
]

_SYMMETRIC = ("per_tensor_symmetric", "per_channel_symmetric")
_RANGES = {"quint8": (0, 255), "qint8": (-128, 127), "qint32": (-(2 ** 31), 2 ** 31 - 1), "quint4x2": (0, 15)}


class _PartialWrapper:
    """A constructor with some arguments bound (`Observer.with_args(...)`)."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.factory(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{self.factory!r}{{}}"  # PyTorch's wrapper shows its (empty) callable arguments too

    def with_args(self, **kwargs: Any) -> _PartialWrapper:
        return _PartialWrapper(functools.partial(self, **kwargs))


def _with_args(cls_or_self: Any, **kwargs: Any) -> _PartialWrapper:
    return _PartialWrapper(functools.partial(cls_or_self, **kwargs))


def _default_range(dtype: Any, reduce_range: bool) -> tuple[int, int]:
    low, high = _RANGES[dtype._name]
    if reduce_range and dtype._name in ("quint8", "qint8"):
        return (low // 2, high // 2) if dtype._name == "qint8" else (0, 127)
    return low, high


def _custom_range(quant_min: int, quant_max: int, dtype: Any, reduce_range: bool) -> tuple[int, int]:
    """A user's range as PyTorch keeps it: only its length counts (placed at 0, or
    centered on 0 for qint8), halved with `reduce_range`."""
    if dtype._name == "qint32":
        return quant_min, quant_max
    length = quant_max - quant_min + 1
    low, high = (-length // 2, length // 2 - 1) if dtype._name == "qint8" else (0, length - 1)
    return (low // 2, high // 2) if reduce_range else (low, high)


class ObserverBase(Module):
    """The common part of the observers: the target dtype, scheme, integer range and
    the smallest scale (`eps`), and `calculate_qparams` from `min_val`/`max_val`."""

    with_args = classmethod(_with_args)

    def __init__(self, dtype: Any = None, qscheme: Any = None, reduce_range: bool = False, quant_min: int | None = None,
                 quant_max: int | None = None, factory_kwargs: Any = None, eps: float = 1.1920928955078125e-07,
                 is_dynamic: bool = False) -> None:
        super().__init__()
        self.dtype = dtype if dtype is not None else torch.quint8
        self.qscheme = qscheme if qscheme is not None else torch.per_tensor_affine
        if reduce_range:
            warnings.warn("Please use quant_min and quant_max to specify the range for observers. reduce_range will "
                          "be deprecated in a future release of PyTorch.", stacklevel=2)
        self.reduce_range = reduce_range
        self.is_dynamic = is_dynamic
        self.register_buffer("eps", torch.tensor([eps]))
        self.has_customized_qrange = quant_min is not None and quant_max is not None
        if self.has_customized_qrange:
            if not quant_min <= 0 <= quant_max:
                raise AssertionError("Used-specified quantization range must include 0.")
            if quant_min >= quant_max:
                raise AssertionError("qmin must be strictly less than qmax for user-specified quantization range.")
            self.quant_min, self.quant_max = _custom_range(quant_min, quant_max, self.dtype, reduce_range)
        else:
            self.quant_min, self.quant_max = _default_range(self.dtype, reduce_range)

    def _calculate_qparams(self, min_val: Any, max_val: Any) -> tuple[Any, Any]:
        """The scale and zero point covering `[min_val, max_val]` (widened to take 0):
        symmetric schemes center the range on 0, affine ones map its ends onto the
        integer range."""
        if min_val.numel() == 0 or max_val.numel() == 0 or (
                min_val.dim() == 0 and min_val.item() == float("inf") and max_val.item() == float("-inf")):
            warnings.warn("must run observer before calling calculate_qparams. Returning default values.",
                          stacklevel=3)
            return torch.tensor([1.0]), torch.tensor([0])
        quant_min, quant_max = self.quant_min, self.quant_max
        low = torch.minimum(min_val, torch.zeros_like(min_val))
        high = torch.maximum(max_val, torch.zeros_like(max_val))
        zero_point = torch.zeros(tuple(low.shape), dtype=torch.int64)
        if str(self.qscheme).split(".")[-1] in _SYMMETRIC:
            high = torch.maximum(-low, high)
            scale = torch.maximum(high / (float(quant_max - quant_min) / 2), self.eps)
            if self.dtype in (torch.quint8, torch.uint8):
                middle = (quant_min + quant_max) // 2 if self.has_customized_qrange else 128
                zero_point = torch.full(tuple(low.shape), middle, dtype=torch.int64)
        elif self.qscheme is torch.per_channel_affine_float_qparams:
            scale = (max_val - min_val) / float(quant_max - quant_min)
            scale = torch.where(scale > self.eps, scale, torch.ones_like(scale))
            zero_point = -1 * min_val / scale
        else:
            scale = torch.maximum((high - low) / float(quant_max - quant_min), self.eps)
            zero_point = (quant_min - torch.round(low / scale).to(torch.int32)).clamp(quant_min, quant_max)
        if scale.dim() == 0:
            scale = torch.tensor([float(scale)], dtype=scale.dtype)
        if zero_point.dim() == 0:
            zero_point = torch.tensor([int(zero_point)], dtype=zero_point.dtype)
        return scale, zero_point

    def calculate_qparams(self) -> tuple[Any, Any]:
        """The scale and zero point of the range observed so far."""
        return self._calculate_qparams(self.min_val, self.max_val)

    def reset_min_max_vals(self) -> None:
        """Forget the observed range."""
        self.min_val.copy_(torch.tensor(float("inf")))
        self.max_val.copy_(torch.tensor(float("-inf")))


class MinMaxObserver(ObserverBase):
    """Records the running minimum and maximum of its inputs."""

    def __init__(self, dtype: Any = None, qscheme: Any = None, reduce_range: bool = False, quant_min: int | None = None,
                 quant_max: int | None = None, factory_kwargs: Any = None, eps: float = 1.1920928955078125e-07,
                 is_dynamic: bool = False, **kwargs: Any) -> None:
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, factory_kwargs, eps, is_dynamic)
        self.register_buffer("min_val", torch.tensor(float("inf")))
        self.register_buffer("max_val", torch.tensor(float("-inf")))

    def _observed(self, x: Any) -> tuple[Any, Any]:
        low, high = torch.aminmax(x.detach().to(self.min_val.dtype))
        return low, high

    def forward(self, x_orig: Any) -> Any:
        if x_orig.numel() == 0:
            return x_orig
        low, high = self._observed(x_orig)
        self.min_val.copy_(torch.minimum(low, self.min_val))
        self.max_val.copy_(torch.maximum(high, self.max_val))
        return x_orig

    def extra_repr(self) -> str:
        return f"min_val={self.min_val.item()}, max_val={self.max_val.item()}"


class MovingAverageMinMaxObserver(MinMaxObserver):
    """Records a moving average of its inputs' minimum and maximum (the first input's
    range taken as it is)."""

    def __init__(self, averaging_constant: float = 0.01, dtype: Any = None, qscheme: Any = None,
                 reduce_range: bool = False, quant_min: int | None = None, quant_max: int | None = None,
                 eps: float = 1.1920928955078125e-07, is_dynamic: bool = False, **kwargs: Any) -> None:
        self.averaging_constant = averaging_constant
        super().__init__(dtype=dtype, qscheme=qscheme, reduce_range=reduce_range, quant_min=quant_min,
                         quant_max=quant_max, eps=eps, is_dynamic=is_dynamic, **kwargs)

    def forward(self, x_orig: Any) -> Any:
        if x_orig.numel() == 0:
            return x_orig
        low, high = self._observed(x_orig)
        if self.min_val.item() == float("inf") and self.max_val.item() == float("-inf"):
            new_low, new_high = low, high
        else:
            c = self.averaging_constant
            new_low = self.min_val + c * (low - self.min_val)
            new_high = self.max_val + c * (high - self.max_val)
        self.min_val.copy_(new_low)
        self.max_val.copy_(new_high)
        return x_orig


class PerChannelMinMaxObserver(ObserverBase):
    """Records the running minimum and maximum of each channel along `ch_axis`."""

    def __init__(self, ch_axis: int = 0, dtype: Any = None, qscheme: Any = None, reduce_range: bool = False,
                 quant_min: int | None = None, quant_max: int | None = None, factory_kwargs: Any = None,
                 eps: float = 1.1920928955078125e-07, is_dynamic: bool = False, **kwargs: Any) -> None:
        super().__init__(dtype, qscheme if qscheme is not None else torch.per_channel_affine, reduce_range,
                         quant_min, quant_max, factory_kwargs, eps, is_dynamic)
        self.ch_axis = ch_axis
        self.register_buffer("min_val", torch.tensor([]))
        self.register_buffer("max_val", torch.tensor([]))

    def _channel_range(self, x: Any) -> tuple[Any, Any]:
        rows = x.detach().movedim(self.ch_axis, 0).to(self.min_val.dtype).flatten(start_dim=1)
        return torch.aminmax(rows, dim=1)

    def _store(self, low: Any, high: Any) -> None:
        self.min_val.resize_(tuple(low.shape))
        self.max_val.resize_(tuple(high.shape))
        self.min_val.copy_(low)
        self.max_val.copy_(high)

    def forward(self, x_orig: Any) -> Any:
        if x_orig.numel() == 0:
            return x_orig
        low, high = self._channel_range(x_orig)
        if self.min_val.numel() and self.max_val.numel():
            low, high = torch.minimum(low, self.min_val), torch.maximum(high, self.max_val)
        self._store(low, high)
        return x_orig

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"

    def reset_min_max_vals(self) -> None:
        self._store(torch.tensor([]), torch.tensor([]))


class MovingAveragePerChannelMinMaxObserver(PerChannelMinMaxObserver):
    """Records a moving average of each channel's minimum and maximum."""

    def __init__(self, averaging_constant: float = 0.01, ch_axis: int = 0, dtype: Any = None, qscheme: Any = None,
                 reduce_range: bool = False, quant_min: int | None = None, quant_max: int | None = None,
                 eps: float = 1.1920928955078125e-07, is_dynamic: bool = False, **kwargs: Any) -> None:
        super().__init__(ch_axis=ch_axis, dtype=dtype, qscheme=qscheme, reduce_range=reduce_range,
                         quant_min=quant_min, quant_max=quant_max, eps=eps, is_dynamic=is_dynamic, **kwargs)
        self.averaging_constant = averaging_constant

    def forward(self, x_orig: Any) -> Any:
        if x_orig.numel() == 0:
            return x_orig
        low, high = self._channel_range(x_orig)
        if self.min_val.numel() and self.max_val.numel():
            c = self.averaging_constant
            low = self.min_val + c * (low - self.min_val)
            high = self.max_val + c * (high - self.max_val)
        self._store(low, high)
        return x_orig


default_observer = MinMaxObserver.with_args(quant_min=0, quant_max=127)
default_weight_observer = MinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)
default_per_channel_weight_observer = PerChannelMinMaxObserver.with_args(dtype=torch.qint8,
                                                                         qscheme=torch.per_channel_symmetric)
