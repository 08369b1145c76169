"""`addcmul` / `addcdiv` (and their in-place forms) name the sizes that do not broadcast
as PyTorch's kernel does: its operands in order (input, tensor1, tensor2), each against
the shape broadcast so far, where the core broadcasts the two factors first."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._meta_errors import _BROADCAST
from ._parser_position import for_method


def _reworded(error: RuntimeError, args: tuple) -> RuntimeError:
    from ._shape import _broadcast_shape

    if not _BROADCAST.match(str(error)):
        return error
    try:
        _broadcast_shape([tuple(a.shape) for a in args[:3] if isinstance(a, Tensor)])
    except RuntimeError as in_order:
        return in_order
    return error


def _wrapped(fn: Callable[..., Any], method: str | None = None) -> Callable[..., Any]:
    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RuntimeError as error:
            reworded = _reworded(error, args)
            if reworded is error:
                raise
            raise reworded from None
        except TypeError as error:
            # the checks count the receiver among the positions; the method's parser does not
            positioned = method and for_method(error, method, args[1:], kwargs)
            if not positioned:
                raise
            raise positioned from error

    return op


def install(namespace: dict) -> None:
    for name in ("addcmul", "addcdiv", "addcmul_", "addcdiv_"):
        setattr(Tensor, name, _wrapped(getattr(Tensor, name), f"Tensor.{name}"))
    for name in ("addcmul", "addcdiv"):
        namespace[name] = _wrapped(namespace[name])
