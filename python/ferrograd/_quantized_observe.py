"""The observer-side functions quantization-aware training calls: the fused moving-average
observer with fake quantization (`fused_moving_avg_obs_fake_quant`, what
`FusedMovingAvgObsFakeQuantize` runs), the cachemask fake quantization with an enable
flag, and `_choose_qparams_per_tensor`. Parameters are chosen as FBGEMM's
`ChooseQuantizationParams` (`_quantized_create._choose_qparams`)."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._return_types import return_types

__all__ = ["fused_moving_avg_obs_fake_quant"]

_FUSED_NODE = "FusedMovingAvgObsFqHelperBackward0"
_OutputMask = return_types._fake_quantize_per_tensor_affine_cachemask_tensor_qparams


def _np():
    import numpy as np

    return np


def _choose_qparams_per_tensor(input: Tensor, reduce_range: bool = False) -> tuple[float, int]:
    """The scale and zero point dynamic quantization to quint8 would choose for `input`."""
    from ._quantized_create import _choose_qparams

    values = input.detach()
    return _choose_qparams(values.min().item(), values.max().item(), 0, 127 if reduce_range else 255)


def _identity(input: Tensor, name: str) -> Tensor:
    """A copy of `input` whose gradient passes unchanged, recorded as the node `name`."""
    out = input.detach().clone()
    if not input.requires_grad:
        return out
    return _core._named_node(out + (input - input.detach()), name)


def _fake_quantize_per_tensor_affine_cachemask_tensor_qparams(input: Tensor, scale: Tensor, zero_point: Tensor,
                                                              fake_quant_enabled: Tensor, quant_min: int,
                                                              quant_max: int) -> Any:
    """`(output, mask)`: `input` fake-quantized with the one-element `scale` and
    `zero_point` and the mask of the values in range; with `fake_quant_enabled` 0,
    `input` unchanged and an all-true mask."""
    from ._creation import ones
    from ._quantize import fake_per_tensor

    name = "FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0"
    if not int(fake_quant_enabled.reshape(-1)[0].item()):
        return _OutputMask((_identity(input, name), ones(tuple(input.shape), dtype=_core.bool)))
    scale_value = _np().float32(scale.reshape(-1)[0].item())
    return _OutputMask(fake_per_tensor(input, scale_value, int(zero_point.reshape(-1)[0].item()), quant_min,
                                       quant_max, name))


def _observe(running: Tensor, observed: Any, averaging_const: float) -> None:
    """`running` (a float32 tensor, in place) moved toward `observed` by
    `averaging_const`; set to it while still infinite (nothing observed yet)."""
    np = _np()
    current = running.numpy()
    observed = np.asarray(observed, dtype=np.float32).reshape(current.shape)
    with np.errstate(invalid="ignore"):  # the infinite entries take the observation instead
        moved = np.where(np.isinf(current), observed,
                         current + np.float32(averaging_const) * (observed - current)).astype(np.float32)
    from ._creation import tensor

    running.copy_(tensor(moved, dtype=running.dtype))


def fused_moving_avg_obs_fake_quant(input: Tensor, observer_on: Tensor, fake_quant_on: Tensor,
                                    running_min: Tensor, running_max: Tensor, scale: Tensor, zero_point: Tensor,
                                    averaging_const: float, quant_min: int, quant_max: int, ch_axis: int,
                                    per_row_fake_quant: bool = False, symmetric_quant: bool = False) -> Tensor:
    """The moving-average min/max observer and fake quantization in one step: with
    `observer_on`, `running_min`/`running_max` move toward the input's range by
    `averaging_const` (taking it the first time); with `fake_quant_on`, `scale` and
    `zero_point` are recomputed from them (in place) and the input is fake-quantized with
    them, the gradient passing where values are in range.

    Args:
        input: a float32 tensor.
        observer_on: a one-element tensor, nonzero to update the running range.
        fake_quant_on: a one-element tensor, nonzero to fake-quantize.
        running_min: the running minimum (one value, or one per row when `per_row_fake_quant`).
        running_max: the running maximum, likewise.
        scale: the scale(s), written in place.
        zero_point: the int32 zero point(s), written in place.
        averaging_const: the weight of the new observation.
        quant_min: the smallest quantized integer.
        quant_max: the largest quantized integer.
        ch_axis: the channel dimension of per-row quantization (0 only).
        per_row_fake_quant: one range and scale per index along dimension 0.
        symmetric_quant: symmetric ranges (the zero point in the middle).
    """
    np = _np()
    from ._creation import tensor
    from ._quantized_create import _choose_qparams

    if per_row_fake_quant and ch_axis != 0:
        raise RuntimeError("Per-channel FakeQuant in fused_moving_avg_obs_fake_quant is only supported on axis == 0")
    x = input.detach().numpy()
    rows = x.reshape(x.shape[0], -1) if per_row_fake_quant else x.reshape(1, -1)
    if int(observer_on.reshape(-1)[0].item()):
        _observe(running_min, rows.min(axis=1), averaging_const)
        _observe(running_max, rows.max(axis=1), averaging_const)
    if not int(fake_quant_on.reshape(-1)[0].item()):
        return _identity(input, _FUSED_NODE)
    params = [_choose_qparams(lo, hi, quant_min, quant_max, symmetric=symmetric_quant)
              for lo, hi in zip(running_min.reshape(-1).tolist(), running_max.reshape(-1).tolist())]
    scales = np.array([p[0] for p in params], dtype=np.float32)
    zero_points = np.array([p[1] for p in params], dtype=np.float64)
    scale.copy_(tensor(scales.reshape(tuple(scale.shape)), dtype=scale.dtype))
    zero_point.copy_(tensor(zero_points.astype(np.int32).reshape(tuple(zero_point.shape)), dtype=zero_point.dtype))
    shape = (-1,) + (1,) * (x.ndim - 1) if per_row_fake_quant else (1,) * x.ndim
    sc, zp = scales.reshape(shape), zero_points.reshape(shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = zp + np.rint(x * (np.float32(1.0) / sc))
        q = np.where(np.isnan(q), quant_min, q)
    mask = (quant_min <= q) & (q <= quant_max)
    values = ((np.clip(q, quant_min, quant_max) - zp).astype(np.float32) * sc).astype(x.dtype)
    from ._quantize import _fake

    return _fake(input, values, mask, _FUSED_NODE)
