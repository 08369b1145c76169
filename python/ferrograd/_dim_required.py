"""Reductions whose `dim` PyTorch's parser only takes as a dimension: an explicit
`dim=None` (or a positional None) is its TypeError, as in `x.max(dim=None)`, rather than
the reduction over everything that leaving `dim` out gives."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._parser_check import parser_error

# name -> what PyTorch's message says `dim` must be
_DIM_KINDS = {
    "max": "int",
    "min": "int",
    "median": "int",
    "nanmedian": "int",
    "prod": "int",
    "logsumexp": "tuple of ints",
}


# the reductions whose elementwise overload takes `other` only without `dim`
_TAKING_OTHER = frozenset({"max", "min"})


def _refused(kind: str, dim: Any) -> bool:
    """Whether PyTorch's parser takes no overload with this explicit `dim`."""
    return dim is None or kind == "int" and isinstance(dim, (list, tuple))


def _refusing_none(name: str, fn: Callable[..., Any], is_method: bool) -> Callable[..., Any]:
    kind = _DIM_KINDS[name]
    qualified = f"Tensor.{name}" if is_method else name

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = "dim" in kwargs or len(args) > 1  # args[0] is self or input
        if given and (_refused(kind, kwargs["dim"] if "dim" in kwargs else args[1])
                      or "other" in kwargs and name in _TAKING_OTHER):
            # the parser's own words: an overload list, or the argument by its place
            error = parser_error(qualified, args[1:] if is_method else args, kwargs)
            raise error or TypeError(f"{name}(): argument 'dim' must be {kind}, not NoneType")
        return fn(*args, **kwargs)

    return wrapper


def install(namespace: dict[str, Any]) -> None:
    for name in _DIM_KINDS:
        method = getattr(Tensor, name, None)
        if method is not None:
            setattr(Tensor, name, _refusing_none(name, method, True))
        fn = namespace.get(name)
        if fn is not None:
            namespace[name] = _refusing_none(name, fn, False)
