"""In-place `clamp_` (`clip_`, `clamp_min_`, `clamp_max_`) with PyTorch's words when a
number bound's type cannot be written into the tensor: its scalar-bound kernel names the
tensor's dtype as C++ does (`long int`), where the core says `Long`; an integer tensor
given a complex bound is that same refusal, not the complex-kernel one. `clamp_min_` and
`clamp_max_` refuse a complex number bound first, whatever the tensor's dtype."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name
from ._shell_dtypes import SHELL_UNSIGNED
from ._shell_unsigned import SIGNED_TWIN

_CAST = "can't be cast to the desired output type "
# the names C++'s typeid gives the unsigned types, as this message prints them
_TYPEID_NAMES = {_core.uint16: "short unsigned int", _core.uint32: "unsigned int", _core.uint64: "long unsigned int"}


def _typeid_name(dtype) -> str:
    return _TYPEID_NAMES.get(dtype) or cpp_name(dtype)


def _number_bounds(args: tuple, kwargs: dict) -> list:
    bounds = [*args, *kwargs.values()]
    return bounds if not any(isinstance(b, Tensor) for b in bounds) else []


def _translated(self: Tensor, error: Exception, args: tuple, kwargs: dict) -> Exception:
    numbers = [b for b in _number_bounds(args, kwargs) if b is not None]
    if not numbers or not isinstance(self, Tensor):
        return error
    text = str(error)
    if isinstance(error, RuntimeError) and text.endswith(_CAST + scalar_name(self.dtype)):
        return RuntimeError(text[: -len(scalar_name(self.dtype))] + _typeid_name(self.dtype))
    if isinstance(error, NotImplementedError) and not (self.dtype.is_floating_point or self.dtype.is_complex):
        # a complex bound, or a float one for uint16/32/64 (whose kernel the core lacks)
        unsigned = self.dtype in SHELL_UNSIGNED
        wider = [b for b in numbers if isinstance(b, (complex, float) if unsigned else complex)]
        if wider:
            signed = self.view(SIGNED_TWIN[self.dtype]) if unsigned else self  # the same category
            promoted = _core._result_type(signed, next((b for b in wider if isinstance(b, complex)), wider[0]))
            return RuntimeError(f"result type {scalar_name(promoted)} {_CAST}{_typeid_name(self.dtype)}")
    return error


def _wrapped(method: Callable[..., Any], one_bound: bool) -> Callable[..., Any]:
    @functools.wraps(method)
    def inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if one_bound and any(isinstance(b, complex) for b in _number_bounds(args, kwargs)):
            raise NotImplementedError("clamp is not supported for complex types")
        try:
            return method(self, *args, **kwargs)
        except (RuntimeError, NotImplementedError) as error:
            raise _translated(self, error, args, kwargs) from None

    return inplace


def install(cls: type) -> None:
    for name in ("clamp_", "clip_", "clamp_min_", "clamp_max_"):
        method = getattr(cls, name)
        wrapped = _wrapped(method, name in ("clamp_min_", "clamp_max_"))
        if not hasattr(method, "__wrapped__"):  # a core method: name it as PyTorch's
            wrapped.__name__ = wrapped.__qualname__ = name
        setattr(cls, name, wrapped)
