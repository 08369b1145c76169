"""A tensor `dim` PyTorch's parser refuses where the reductions here would read it as a
list of dims: `x.all(dim=torch.tensor([1]))`, `torch.any(x, torch.tensor([1]))`.
Only a 0-dim integer tensor passes as an `int` there (it has `__index__`)."""

from __future__ import annotations

import functools
from typing import Any

from ._core import Tensor
from ._parser_check import parser_error

_NAMES = ("all", "any")


def _refused_dim(value: Any) -> bool:
    if not isinstance(value, Tensor):
        return False
    dtype = value.dtype
    return value.dim() != 0 or dtype.is_floating_point or dtype.is_complex or str(dtype) == "ferrograd.bool"


def _checked(fn, qualified: str, dim_at: int):
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        dim = args[dim_at] if len(args) > dim_at else kwargs.get("dim")
        if _refused_dim(dim):
            given = args[1:] if qualified.startswith("Tensor.") else args
            error = parser_error(qualified, given, kwargs)
            if error is not None:
                raise error
        return fn(*args, **kwargs)

    return call


def install(namespace: dict[str, Any]) -> None:
    """Wraps the Tensor methods and the package's functions named above."""
    for name in _NAMES:
        setattr(Tensor, name, _checked(getattr(Tensor, name), f"Tensor.{name}", 1))
        namespace[name] = _checked(namespace[name], name, 1)
