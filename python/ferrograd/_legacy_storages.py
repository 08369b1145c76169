"""PyTorch's legacy storage types (`FloatStorage`, `LongStorage`, ...): calling one
makes a `TypedStorage` of its dtype, and `isinstance(s, FloatStorage)` tells a typed
storage of float32 elements (`Tensor.storage_type()` returns them)."""

from __future__ import annotations

import builtins
import collections.abc

from . import _core
from .storage import TypedStorage

__all__ = [
    "BFloat16Storage",
    "BoolStorage",
    "ByteStorage",
    "CharStorage",
    "ComplexDoubleStorage",
    "ComplexFloatStorage",
    "DoubleStorage",
    "FloatStorage",
    "HalfStorage",
    "IntStorage",
    "LongStorage",
    "ShortStorage",
    "Storage",
]


class _LegacyStorageMeta(type):
    """The metaclass of the legacy storage types: a type stands for one dtype."""

    dtype: _core.dtype

    def __instancecheck__(cls, obj) -> builtins.bool:
        return isinstance(obj, TypedStorage) and obj.dtype == cls.dtype

    def __subclasscheck__(cls, sub) -> builtins.bool:
        return sub is cls

    def __repr__(cls) -> str:
        return f"<class '{cls.__module__}.{cls.__name__}'>"

    def __call__(cls, *args, wrap_storage=None, dtype=None, device=None, _internal=False):
        """A new typed storage of this type's dtype: of `n` zeroed elements, of the
        values of a sequence, or reading the bytes of `wrap_storage`.

        Args:
            args: nothing, an element count, or a sequence of values.
            wrap_storage: an untyped storage to read instead.
            dtype: refused (the type names its dtype).
            device: refused (the type names its device).
            _internal: skip the deprecation warning (the library's own calls).
        """
        from ._storage_args import check_wrapped, is_size
        from .storage import _warn_typed_storage_removal

        if not _internal:
            _warn_typed_storage_removal()
        options = (f"{cls!r}.__new__ received an invalid combination of arguments. Expected one of:\n"
                   " * no arguments\n * (int size)\n * (Sequence data)\n * (*, UntypedStorage wrap_storage)")
        if device is not None:  # PyTorch's checks, in its order
            raise RuntimeError(options + "\nKeyword argument 'device' cannot be specified")
        if dtype is not None:
            raise RuntimeError(options + "\nKeyword argument 'dtype' cannot be specified")
        if wrap_storage is not None:
            check_wrapped(args, wrap_storage, options)
            return TypedStorage(wrap_storage=wrap_storage, dtype=cls.dtype, _internal=True)
        if len(args) > 1:
            raise RuntimeError(options + "\nToo many positional arguments")
        if len(args) == 1 and not is_size(args[0]) and not isinstance(args[0], collections.abc.Sequence):
            raise TypeError(options + f"\nArgument type not recognized: {type(args[0])}")
        return TypedStorage(*args, dtype=cls.dtype, _internal=True)


def _legacy_storage(name: str, dtype) -> _LegacyStorageMeta:
    doc = (
        f"The legacy storage type of {repr(dtype).split('.', 1)[1]} elements: `{name}(n)` makes a "
        f"typed storage of n zeroed elements, `{name}([1, 2])` one of those values.\n\n"
        "Args:\n"
        "    args: nothing, an element count, or a sequence of values.\n"
        "    wrap_storage: an untyped storage to read instead.\n"
        "    dtype: refused (the type names its dtype).\n"
        "    device: refused (the type names its device, the CPU).\n"
        "    _internal: skip the deprecation warning (the library's own calls).\n"
    )
    return _LegacyStorageMeta(name, (), {"dtype": dtype, "__module__": __name__.rsplit(".", 1)[0], "__doc__": doc})


FloatStorage = _legacy_storage("FloatStorage", _core.float32)
DoubleStorage = _legacy_storage("DoubleStorage", _core.float64)
HalfStorage = _legacy_storage("HalfStorage", _core.float16)
BFloat16Storage = _legacy_storage("BFloat16Storage", _core.bfloat16)
LongStorage = _legacy_storage("LongStorage", _core.int64)
IntStorage = _legacy_storage("IntStorage", _core.int32)
ShortStorage = _legacy_storage("ShortStorage", _core.int16)
CharStorage = _legacy_storage("CharStorage", _core.int8)
ByteStorage = _legacy_storage("ByteStorage", _core.uint8)
BoolStorage = _legacy_storage("BoolStorage", _core.bool)
ComplexFloatStorage = _legacy_storage("ComplexFloatStorage", _core.complex64)
ComplexDoubleStorage = _legacy_storage("ComplexDoubleStorage", _core.complex128)
Storage = FloatStorage  # PyTorch's `torch.Storage`: the float32 legacy storage type

_BY_DTYPE = {t.dtype: t for t in (FloatStorage, DoubleStorage, HalfStorage, BFloat16Storage, LongStorage,
                                  IntStorage, ShortStorage, CharStorage, ByteStorage, BoolStorage,
                                  ComplexFloatStorage, ComplexDoubleStorage)}


def storage_class(dtype) -> _LegacyStorageMeta | None:
    """The legacy storage type of `dtype`; None for one without (uint16/32/64)."""
    return _BY_DTYPE.get(dtype)
