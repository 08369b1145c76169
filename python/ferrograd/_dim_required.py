"""Reductions whose `dim` PyTorch's parser only takes as a dimension: an explicit
`dim=None` (or a positional None) is its TypeError, as in `x.max(dim=None)`, rather than
the reduction over everything that leaving `dim` out gives."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._core import Tensor

# name -> what PyTorch's message says `dim` must be
_DIM_KINDS = {
    "max": "int",
    "min": "int",
    "median": "int",
    "nanmedian": "int",
    "prod": "int",
    "logsumexp": "tuple of ints",
}


def _refusing_none(name: str, fn: Callable[..., Any], dim_position: int) -> Callable[..., Any]:
    kind = _DIM_KINDS[name]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        explicit_none = ("dim" in kwargs and kwargs["dim"] is None) or (
            len(args) > dim_position and args[dim_position] is None
        )
        if explicit_none:
            raise TypeError(f"{name}(): argument 'dim' must be {kind}, not NoneType")
        return fn(*args, **kwargs)

    return wrapper


def install(namespace: dict[str, Any]) -> None:
    for name in _DIM_KINDS:
        method = getattr(Tensor, name, None)
        if method is not None:
            setattr(Tensor, name, _refusing_none(name, method, 1))  # args[0] is self
        fn = namespace.get(name)
        if fn is not None:
            namespace[name] = _refusing_none(name, fn, 1)  # args[0] is input
