"""The storage constructors' arguments read as PyTorch reads them: `UntypedStorage(n)`,
`UntypedStorage(sequence of ints)` (its C parser), `TypedStorage(n | sequence, *, dtype,
device)` and `TypedStorage(wrap_storage=..., dtype=...)` (its Python checks), each
refusing what PyTorch refuses with its exception and message."""

from __future__ import annotations

import collections.abc
from typing import Any

from . import _core
from ._argcheck import need_int64, type_name
from ._core import Tensor
from ._numpy import np

_PACKAGE = __name__.split(".")[0]
_UNTYPED_SIGNATURES = (
    " * (*, int allocator = None, torch.device device = None)\n"
    " * (int size, *, int allocator = None, torch.device device = None)\n"
    " * (object sequence, *, int allocator = None, torch.device device = None)\n"
)
TYPED_OPTIONS = (
    "TypedStorage.__init__ received an invalid combination of arguments. Expected one of:\n"
    " * (*, torch.device device, torch.dtype dtype)\n"
    " * (int size, *, torch.device device, torch.dtype dtype)\n"
    " * (Sequence data, *, torch.device device, torch.dtype dtype)\n"
    " * (*, UntypedStorage wrap_storage, torch.dtype dtype)"
)


def is_size(value: Any) -> bool:
    """PyTorch's `_isint`: an int (a bool too) or a NumPy integer."""
    return isinstance(value, (int, np.integer))


def zeroed_bytes(nbytes: int) -> Tensor:
    """`nbytes` zero bytes; an allocation PyTorch's allocator refuses fails as there."""
    from ._creation import zeros

    need_int64(nbytes)
    if nbytes < 0:
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:98] ((ptrdiff_t)nbytes) >= 0. alloc_cpu() seems to "
                           f"have been called with negative number: {nbytes % 2**64}")
    return zeros(nbytes, dtype=_core.uint8)


def untyped_bytes(args: tuple, kwargs: dict) -> Tensor:
    """The bytes `UntypedStorage(*args, **kwargs)` holds."""
    from ._creation import tensor
    from ._device import check_device

    if len(args) > 1 or any(k not in ("device", "allocator") for k in kwargs):
        got = ", ".join([type_name(a) for a in args] + [f"{k}={type_name(v)}, " for k, v in kwargs.items()])
        raise TypeError(f"{_PACKAGE}.UntypedStorage() received an invalid combination of arguments - "
                        f"got ({got}), but expected one of:\n{_UNTYPED_SIGNATURES}")
    check_device(kwargs.get("device"))
    if not args:
        return zeroed_bytes(0)
    value = args[0]
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return zeroed_bytes(int(value))
    if isinstance(value, Tensor) and value.dim() == 0 and not (value.dtype.is_floating_point or value.dtype.is_complex
                                                              or value.dtype == _core.bool):
        return zeroed_bytes(int(value.item()))  # PyTorch's parser reads a 0-dim integer tensor as the size
    if isinstance(value, Tensor) or not isinstance(value, (collections.abc.Sequence, np.ndarray)):
        raise RuntimeError(f"{_PACKAGE}.UntypedStorage(): Expected a sequence type, but got {type_name(value)}")  # noqa: TRY004 (PyTorch's type)
    items = list(value)
    for item in items:
        if not isinstance(item, int):
            raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
                f"{_PACKAGE}.UntypedStorage(): tried to construct a storage from a sequence ({type_name(value)}), "
                f"but one of the items was of type {type_name(item)} instead of int"
            )
        need_int64(item)
    return tensor([item & 0xFF for item in items], dtype=_core.uint8)


def typed_elements(args: tuple, dtype: Any, options: str) -> Tensor:
    """The data of a new typed storage of `dtype` from `args` (nothing, an element count or
    a sequence of values); `options` heads the error of arguments that are neither."""
    from ._creation import tensor

    if len(args) > 1:
        raise RuntimeError(options + "\nToo many positional arguments")
    if not args:
        return zeroed_bytes(0)
    value = args[0]
    if is_size(value):
        return zeroed_bytes(int(value) * dtype.itemsize)
    if not isinstance(value, collections.abc.Sequence):
        raise TypeError(options + f"\nArgument type not recognized: {type(value)}")
    if isinstance(value, (str, bytes, bytearray)):
        raise TypeError(f"new(): invalid data type '{type(value).__name__}'")
    return tensor(value, dtype=dtype)


def check_wrapped(args: tuple, wrap_storage: Any, options: str) -> None:
    """PyTorch's checks of `wrap_storage=`: no positional arguments, an untyped storage."""
    from .storage import UntypedStorage

    if args:
        raise RuntimeError(options + "\nNo positional arguments should be given when using 'wrap_storage'")
    if not isinstance(wrap_storage, UntypedStorage):
        raise TypeError(options + f"\nArgument 'wrap_storage' must be UntypedStorage, but got {type(wrap_storage)}")
