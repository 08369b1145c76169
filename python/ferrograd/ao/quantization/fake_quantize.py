"""Fake quantization modules of quantization-aware training
(`torch.ao.quantization.fake_quantize`): `FakeQuantize` observes its input with an
observer module and passes it through quantized and dequantized with the observed
parameters; `FusedMovingAvgObsFakeQuantize` does both in PyTorch's fused op."""

from __future__ import annotations

from typing import Any

import ferrograd as torch

from ...nn import Module
from .observer import (
    MovingAverageMinMaxObserver,
    MovingAveragePerChannelMinMaxObserver,
    _with_args,
)

__all__ = [
    "FakeQuantize",
    "FakeQuantizeBase",
    "FusedMovingAvgObsFakeQuantize",
    "default_fake_quant",
    "default_fused_act_fake_quant",
    "default_per_channel_weight_fake_quant",
    "default_weight_fake_quant",
]

_PER_CHANNEL = ("per_channel_affine", "per_channel_symmetric", "per_channel_affine_float_qparams")


def _scheme_name(qscheme: Any) -> str:
    return str(qscheme).split(".")[-1]


class FakeQuantizeBase(Module):
    """The switches of a fake-quantize module: `fake_quant_enabled` and
    `observer_enabled` (uint8 one-element buffers)."""

    with_args = classmethod(_with_args)

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("fake_quant_enabled", torch.tensor([1], dtype=torch.uint8))
        self.register_buffer("observer_enabled", torch.tensor([1], dtype=torch.uint8))

    def enable_fake_quant(self, enabled: bool = True) -> FakeQuantizeBase:
        self.fake_quant_enabled[0] = 1 if enabled else 0
        return self

    def disable_fake_quant(self) -> FakeQuantizeBase:
        return self.enable_fake_quant(False)

    def enable_observer(self, enabled: bool = True) -> FakeQuantizeBase:
        self.observer_enabled[0] = 1 if enabled else 0
        return self

    def disable_observer(self) -> FakeQuantizeBase:
        return self.enable_observer(False)


class FakeQuantize(FakeQuantizeBase):
    """Observes its input (`activation_post_process`, built from `observer` and
    `observer_kwargs`) and fake-quantizes it with the observed scale and zero point.

    Args:
        observer: the observer class (or `with_args` constructor).
        quant_min: the smallest quantized integer (with `quant_max`, the observer's range).
        quant_max: the largest quantized integer.
        is_dynamic: dynamic quantization (not supported by PyTorch's fake quantize either).
        observer_kwargs: the observer's arguments.
    """

    def __init__(self, observer: Any = MovingAverageMinMaxObserver, quant_min: int | None = None,
                 quant_max: int | None = None, is_dynamic: bool = False, **observer_kwargs: Any) -> None:
        super().__init__()
        if quant_min is not None and quant_max is not None:
            if quant_min > quant_max:
                raise AssertionError("quant_min must be less than or equal to quant_max")
            observer_kwargs.update(quant_min=quant_min, quant_max=quant_max)
        observer_kwargs["is_dynamic"] = is_dynamic
        self.activation_post_process = observer(**observer_kwargs)
        process = self.activation_post_process
        self.quant_min, self.quant_max = process.quant_min, process.quant_max
        self.is_dynamic = process.is_dynamic
        self.register_buffer("scale", torch.tensor([1.0], dtype=torch.float32))
        self.register_buffer("zero_point", torch.tensor([0], dtype=torch.int32))
        self.dtype = process.dtype
        self.qscheme = process.qscheme
        self.ch_axis = getattr(process, "ch_axis", -1)
        self.is_per_channel = _scheme_name(self.qscheme) in _PER_CHANNEL
        self.is_symmetric_quant = _scheme_name(self.qscheme) in ("per_tensor_symmetric", "per_channel_symmetric")

    def calculate_qparams(self) -> tuple[Any, Any]:
        return self.activation_post_process.calculate_qparams()

    def _store_qparams(self, scale: Any, zero_point: Any) -> None:
        if self.scale.shape != scale.shape:
            self.scale.resize_(tuple(scale.shape))
            self.zero_point.resize_(tuple(zero_point.shape))
        self.scale.copy_(scale)
        self.zero_point.copy_(zero_point)

    def forward(self, X: Any) -> Any:
        if self.observer_enabled[0].item() == 1:
            self.activation_post_process(X.detach())
            self._store_qparams(*self.calculate_qparams())
        if self.fake_quant_enabled[0].item() == 1:
            if self.is_per_channel:
                X = torch.fake_quantize_per_channel_affine(X, self.scale, self.zero_point, self.ch_axis,
                                                           self.quant_min, self.quant_max)
            else:
                X = torch.fake_quantize_per_tensor_affine(X, self.scale, self.zero_point, self.quant_min,
                                                          self.quant_max)
        return X

    def extra_repr(self) -> str:
        return (f"fake_quant_enabled={self.fake_quant_enabled}, observer_enabled={self.observer_enabled}, "
                f"quant_min={self.quant_min}, quant_max={self.quant_max}, dtype={self.dtype}, "
                f"qscheme={self.qscheme}, ch_axis={self.ch_axis}, scale={self.scale}, zero_point={self.zero_point}")


class FusedMovingAvgObsFakeQuantize(FakeQuantize):
    """`FakeQuantize` with a moving-average observer, run as PyTorch's fused op
    (`ferrograd.fused_moving_avg_obs_fake_quant`)."""

    def __init__(self, observer: Any = MovingAverageMinMaxObserver, quant_min: int = 0, quant_max: int = 255,
                 **observer_kwargs: Any) -> None:
        super().__init__(observer, quant_min, quant_max, **observer_kwargs)
        self.register_buffer("observer_enabled", torch.tensor([1], dtype=torch.long))
        self.register_buffer("fake_quant_enabled", torch.tensor([1], dtype=torch.long))

    def forward(self, X: Any) -> Any:
        process = self.activation_post_process
        return torch.fused_moving_avg_obs_fake_quant(
            X, self.observer_enabled, self.fake_quant_enabled, process.min_val, process.max_val, self.scale,
            self.zero_point, process.averaging_constant, self.quant_min, self.quant_max, self.ch_axis,
            self.is_per_channel, self.is_symmetric_quant)


default_fake_quant = FakeQuantize.with_args(observer=MovingAverageMinMaxObserver, quant_min=0, quant_max=255,
                                            dtype=torch.quint8, qscheme=torch.per_tensor_affine, reduce_range=True)
default_weight_fake_quant = FakeQuantize.with_args(observer=MovingAverageMinMaxObserver, quant_min=-128,
                                                   quant_max=127, dtype=torch.qint8,
                                                   qscheme=torch.per_tensor_symmetric, reduce_range=False)
default_per_channel_weight_fake_quant = FakeQuantize.with_args(observer=MovingAveragePerChannelMinMaxObserver,
                                                               quant_min=-128, quant_max=127, dtype=torch.qint8,
                                                               qscheme=torch.per_channel_symmetric,
                                                               reduce_range=False, ch_axis=0)
default_fused_act_fake_quant = FusedMovingAvgObsFakeQuantize.with_args(observer=MovingAverageMinMaxObserver,
                                                                       quant_min=0, quant_max=255,
                                                                       dtype=torch.quint8)
