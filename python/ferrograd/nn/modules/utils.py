"""`nn.modules.utils`: the argument normalisers the layers share (`_pair(3)` is `(3, 3)`)
and `consume_prefix_in_state_dict_if_present`, as in PyTorch."""

from __future__ import annotations

import collections.abc
from typing import Any

__all__ = ["consume_prefix_in_state_dict_if_present"]


def _ntuple(n: int, name: str = "parse"):
    """A parser that turns one value into an `n`-tuple of it and any iterable into a tuple
    of its items (a string included, as in PyTorch)."""

    def parse(x):
        if isinstance(x, collections.abc.Iterable):
            return tuple(x)
        return (x,) * n

    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")
_quadruple = _ntuple(4, "_quadruple")


def _reverse_repeat_tuple(t, n: int) -> tuple:
    """`t` reversed with each item repeated `n` times: a layer's per-dimension padding as
    `F.pad` takes it (last dimension first, both sides)."""
    return tuple(x for x in reversed(t) for _ in range(n))


def _list_with_default(out_size, defaults: list[int]):
    """`out_size` with each None replaced by the matching trailing entry of `defaults` (an
    int is returned as it is)."""
    if isinstance(out_size, int):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(f"Input dimension should be at least {len(out_size) + 1}")
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size):])]


def consume_prefix_in_state_dict_if_present(state_dict: dict[str, Any], prefix: str) -> None:
    """Strips `prefix` from the keys of `state_dict` (and of its `_metadata`) in place, so
    a state dict saved from a wrapper (`DataParallel`'s "module.") loads into the bare
    model.

    Args:
        state_dict: the state dict to edit.
        prefix: the prefix to remove.
    """
    for key in list(state_dict.keys()):
        if key.startswith(prefix):
            state_dict[key[len(prefix):]] = state_dict.pop(key)
    metadata = getattr(state_dict, "_metadata", None)
    if metadata is None:
        return
    for key in list(metadata.keys()):
        # '' is the wrapper's own entry and stays; the prefix without its dot names the
        # wrapped model itself.
        if key and (key == prefix.replace(".", "") or key.startswith(prefix)):
            metadata[key[len(prefix):]] = metadata.pop(key)
