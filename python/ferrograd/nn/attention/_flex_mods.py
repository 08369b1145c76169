"""Calling flex_attention's `score_mod` and `mask_mod` over every (b, h, q_idx, kv_idx).

PyTorch vmaps the mod four times, so it sees 0-d index tensors. Here it runs once on
broadcasting index tensors (`b` of shape (B, 1, 1, 1), ..., `kv_idx` of (1, 1, 1, KV)),
which gives the same values for elementwise mods and for indexing captured tensors
(`bias[h, q_idx]`). What differs: a mod that looks at shapes (`q_idx.dim()`, a
reduction over `score`) sees the broadcast shapes. As under vmap, `.item()` and Python
control flow on an index (`if q_idx >= kv_idx:`) raise PyTorch's vmap errors."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import ferrograd

from ..._core import Tensor
from ...func._vmap import _name
from ...func._vmap_refusals import refusing_data_access


def _num_positional_args(fn: Callable[..., Any]) -> int:
    code = getattr(fn, "__code__", None)
    if code is not None:
        return code.co_argcount - len(getattr(fn, "__defaults__", None) or ())
    params = inspect.signature(fn).parameters.values()
    return sum(1 for p in params if p.default is inspect.Parameter.empty)


def _is_score_mod(fn: Callable[..., Any]) -> bool:
    """True for a score_mod (5 positional args), False for a mask_mod (4)."""
    count = _num_positional_args(fn)
    if count not in (4, 5):
        raise AssertionError(f"Expected 4 or 5 positional args, got {count}")
    return count == 5


def _index_grids(
    B: int, H: int, Q: int, KV: int, device: Any
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """arange(B), arange(H), arange(Q), arange(KV), each along its own of four dimensions."""
    b, h, q, kv = (ferrograd.arange(n, device=device) for n in (B, H, Q, KV))
    return (
        b[:, None, None, None],
        h[None, :, None, None],
        q[None, None, :, None],
        kv[None, None, None, :],
    )


def _call_mod(fn: Callable[..., Any], *args: Tensor) -> Tensor:
    with refusing_data_access():
        out = fn(*args)
    if not isinstance(out, Tensor):
        name = _name(fn)
        raise ValueError(  # noqa: TRY004 (PyTorch's type)
            f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(out)}. "
            "Did you mean to set out_dims= to None for output?"
        )
    return out


def mask_values(
    mask_mod: Callable[..., Any], B: int, H: int, Q: int, KV: int, device: Any
) -> Tensor:
    """`mask_mod(b, h, q_idx, kv_idx)` for every index, shape (B, H, Q, KV)."""
    out = _call_mod(mask_mod, *_index_grids(B, H, Q, KV, device))
    return out.expand(B, H, Q, KV)


def score_values(score_mod: Callable[..., Any], scores: Tensor) -> Tensor:
    """`score_mod(scores[b, h, q, kv], b, h, q, kv)` for every index, shape of `scores`."""
    B, H, Q, KV = scores.shape
    out = _call_mod(score_mod, scores, *_index_grids(B, H, Q, KV, scores.device))
    return out.expand(B, H, Q, KV)
