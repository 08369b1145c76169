"""What Tensor's methods and property accessors are while a `TorchFunctionMode` is in use
(`_function_modes` puts them in place of the originals): callables that hand each call to
the mode, equal to the original and hashing as it, so that a table keyed by
`Tensor.add` or `Tensor.shape.__get__` before the mode finds what the mode is handed."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any


class ModeMethod:
    """Tensor's `method` as `call` runs it under modes."""

    def __init__(self, method: Callable, call: Callable) -> None:
        functools.update_wrapper(self, method)
        self._fg_original = method
        self._fg_call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fg_call(*args, **kwargs)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        return self if obj is None else types.MethodType(self, obj)

    def __eq__(self, other: object) -> bool:
        return other is self or other is self._fg_original or (
            not isinstance(other, ModeMethod) and other == self._fg_original)

    def __hash__(self) -> int:
        return hash(self._fg_original)

    def __repr__(self) -> str:
        return repr(self._fg_original)


class ModeAccessor:
    """`Tensor.<name>.__get__` (or `__set__`, `kind`) as modes are handed it: calling it
    runs the property `replacement` stands in for, equal to the original accessor."""

    def __init__(self, descriptor: Any, replacement: property, kind: str) -> None:
        self.__self__ = descriptor
        self.__name__ = kind
        self.__qualname__ = f"{type(descriptor).__name__}.{kind}"
        self._fg_replacement = replacement

    def __call__(self, *args: Any) -> Any:
        return getattr(self._fg_replacement, self.__name__)(*args)

    def __eq__(self, other: object) -> bool:
        return other is self or (getattr(other, "__name__", None) == self.__name__ and any(
            getattr(other, "__self__", None) is owner for owner in (self.__self__, self._fg_replacement)))

    def __hash__(self) -> int:
        return hash(getattr(self.__self__, self.__name__))

    def __repr__(self) -> str:
        return repr(getattr(self.__self__, self.__name__))
