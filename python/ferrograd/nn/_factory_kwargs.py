"""`nn.factory_kwargs` (PyTorch's): the factory keywords a module passes on."""

from __future__ import annotations

from typing import Any

_SIMPLE_KEYS = frozenset({"device", "dtype", "memory_format"})


def factory_kwargs(kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """A canonical dict of factory keywords (`device`, `dtype`, `memory_format`) from
    `kwargs`, merged with those of its own `factory_kwargs` entry.

    Args:
        kwargs: the keywords a module's constructor received (None: none).

    Raises:
        TypeError: an unexpected keyword, or one given both ways.
    """
    if kwargs is None:
        return {}
    expected = _SIMPLE_KEYS | {"factory_kwargs"}
    if not kwargs.keys() <= expected:
        raise TypeError(f"unexpected kwargs {kwargs.keys() - expected}")
    merged = dict(kwargs.get("factory_kwargs", {}))
    for key in ("device", "dtype", "memory_format"):
        if key in kwargs:
            if key in merged:
                raise TypeError(f"{key} specified twice, in **kwargs and in factory_kwargs")
            merged[key] = kwargs[key]
    return merged
