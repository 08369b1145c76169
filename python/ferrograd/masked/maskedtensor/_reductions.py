"""MaskedTensor reductions (sum, mean, amin, amax, argmin, argmax, prod, all, norm, var,
std): `ferrograd.masked`'s function on the data with the mask; a result element is
specified when any element reduced into it was."""

from __future__ import annotations

from typing import Any

from .core import MaskedTensor, wrap

NAMES = frozenset({"sum", "mean", "amin", "amax", "argmin", "argmax", "prod", "all", "norm", "var", "std"})


def _masked_fn(name: str):
    from ... import masked

    return getattr(masked, name)


def _any_over(mask, dim, keepdim: bool):
    """The mask of a reduction over `dim`: any kept element, one dim at a time from the
    highest (PyTorch's order, negative dims included)."""
    for d in sorted([dim] if isinstance(dim, int) else dim, reverse=True):
        mask = mask.any(dim=d, keepdim=keepdim)
    return mask


def _reduce_all(name: str, input: MaskedTensor) -> MaskedTensor:
    data, mask = input.get_data(), input.get_mask()
    if name == "all":
        value = data.masked_fill(~mask, True).all()
    else:
        value = _masked_fn(name)(data, mask=mask)
    return wrap(value, mask.any())


def _reduce_dim(name: str, input: Any, dim, keepdim: bool = False, dtype=None) -> MaskedTensor:
    if not isinstance(input, MaskedTensor):
        raise TypeError("Input to reduce_dim must be a MaskedTensor")
    data, mask = input.get_data(), input.get_mask()
    if name == "all":
        from ... import all as all_

        value = all_(data.masked_fill(~mask, True), dim=dim, keepdim=keepdim)
    else:
        value = _masked_fn(name)(data, dim=dim, keepdim=keepdim, dtype=dtype, mask=mask)
    return wrap(value, _any_over(mask, dim, keepdim))


def reduce(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    """`name` over every element (`x.sum()`) or over `dim` (`x.sum(1, keepdim=True)`);
    like PyTorch, only `dim`, `keepdim` and `dtype` are accepted."""
    if len(args) == 1 and not kwargs:
        return _reduce_all(name, args[0])
    return _reduce_dim(name, *args, **kwargs)
