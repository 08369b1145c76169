"""NumPy's keyword names where PyTorch's argument parser accepts them: `axis` for `dim`
and `keepdims` for `keepdim` (`x.sum(axis=0, keepdims=True)`), on the reductions and
the joins that take a dim."""

from __future__ import annotations

import functools
from typing import Any

from . import _float8_empty as float8_empty
from ._core import Tensor

_ALIASES = (("axis", "dim"), ("keepdims", "keepdim"))

_REDUCTIONS = (
    "sum", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "std", "var", "all", "any",
    "cumsum", "cumprod", "logsumexp", "nansum", "nanmean", "median", "nanmedian", "softmax", "log_softmax",
    "count_nonzero", "aminmax", "mode", "logcumsumexp", "cummax", "cummin", "squeeze", "unsqueeze",
)
_JOINS = ("cat", "concat", "concatenate", "stack")


def _renamed(kwargs: dict[str, Any]) -> dict[str, Any]:
    for numpy_name, name in _ALIASES:
        if numpy_name in kwargs:
            if name in kwargs:
                raise TypeError(f"got multiple values for argument '{name}' (also given as '{numpy_name}')")
            kwargs[name] = kwargs.pop(numpy_name)
    return kwargs


def _taking_numpy_names(fn, name: str = ""):
    reduction = name in float8_empty.REDUCTIONS

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **_renamed(kwargs)) if kwargs else fn(*args)
        except NotImplementedError:
            # an 8-bit float input without elements: PyTorch makes the result without a kernel
            result = float8_empty.without_elements(name, fn, args, kwargs) if reduction else None
            if result is None:
                raise
            return result

    return call


def install(namespace: dict[str, Any]) -> None:
    """Wraps the Tensor methods and the functions of `namespace` (the package's) named
    above; run once every module has added them."""
    for name in _REDUCTIONS:
        method = getattr(Tensor, name, None)
        if method is not None:
            setattr(Tensor, name, _taking_numpy_names(method, name))
    for name in _REDUCTIONS + _JOINS:
        if callable(namespace.get(name)):
            namespace[name] = _taking_numpy_names(namespace[name], name)
