"""PyTorch's legacy tensor types (`FloatTensor`, `LongTensor`, ...): calling one makes
a tensor of its dtype, `isinstance(t, FloatTensor)` tells a float32 tensor, and
`Tensor.type(DoubleTensor)` converts. Also the deprecated `set_default_tensor_type`."""

from __future__ import annotations

import builtins
import operator
import warnings

from . import _core
from ._argcheck import type_name
from ._core import Tensor
from ._legacy_new_errors import check_new_args
from ._size import Size

__all__ = [
    "BFloat16Tensor",
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
    "set_default_tensor_type",
]

_OPTION_NAMES = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
    "uint8": "unsigned char", "bool": "bool", "uint16": "short unsigned int", "uint32": "unsigned int",
    "uint64": "long unsigned int",
}


def _options(dtype) -> str:
    short = repr(dtype).split(".", 1)[1]
    name = _OPTION_NAMES.get(short, f"c10::complex<{'float' if short == 'complex64' else 'double'}>"
                             if short.startswith("complex") else short)
    return (f"TensorOptions(dtype={name}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")


class _LegacyTensorType(type):
    """The metaclass of the legacy tensor types: a type stands for one dtype."""

    dtype: _core.dtype

    def __instancecheck__(cls, obj) -> builtins.bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __subclasscheck__(cls, sub) -> builtins.bool:
        return sub is cls

    def __repr__(cls) -> str:
        return f"<class '{cls.__module__}.{cls.__name__}'>"

    def __call__(cls, *args, **kwargs):
        """A new tensor of this type's dtype: no argument for an empty one, ints or a
        Size for an uninitialised one of that shape, a sequence or array for its data,
        or a tensor of this dtype (a new tensor sharing its data).

        Args:
            args: nothing, sizes, data, or one tensor.
            device: the device (only the CPU exists).
        """
        from ._creation import empty, tensor
        from ._device import check_device

        check_new_args(args, kwargs, ("device",))
        check_device(kwargs.get("device"))
        dtype = cls.dtype
        if not args:
            return empty(0, dtype=dtype)
        if len(args) == 1 and isinstance(args[0], Tensor):
            other = args[0]
            if other.dtype != dtype:
                raise TypeError(f"expected {_options(dtype)} (got {_options(other.dtype)})")
            return other.view_as(other)
        if len(args) == 1 and isinstance(args[0], Size):
            return _sized(tuple(args[0]), dtype)
        if len(args) == 1 and _is_size(args[0]) and not isinstance(args[0], builtins.bool):
            return _sized((operator.index(args[0]),), dtype)
        if len(args) > 1 and all(_is_size(a) for a in args):
            return _sized(tuple(operator.index(a) for a in args), dtype)
        if len(args) == 1:
            data = args[0]
            if isinstance(data, (builtins.float, builtins.bool, builtins.complex)) or not hasattr(data, "__len__"):
                raise TypeError(f"new(): data must be a sequence (got {type_name(data)})")
            return tensor(data, dtype=dtype)
        bad = next(i for i, a in enumerate(args) if not _is_size(a))
        raise TypeError(
            f"new(): argument 'size' failed to unpack the object at pos {bad + 1} with error "
            f"\"type must be tuple of ints,but got {type(args[bad]).__name__}\""
        )


def _is_size(value) -> builtins.bool:
    """An int, or an integer that is no sequence (a NumPy integer), as a size."""
    if isinstance(value, builtins.int):
        return True
    return hasattr(type(value), "__index__") and not hasattr(value, "__len__")


def default_type_new(*args, **kwargs) -> Tensor:
    """`Tensor(...)` given data, a Size or keywords: the legacy type of the default dtype
    makes it (`Tensor(Size([2, 3]))` is uninitialised of that shape, `Tensor([1, 2])` holds
    that data, `Tensor(2.5)` is PyTorch's TypeError)."""
    check_new_args(args, kwargs, ("device", "size"))
    if len(args) == 1 and isinstance(args[0], Tensor) and not kwargs:
        return args[0].view_as(args[0])
    if kwargs.get("size") is not None:
        args = (*args, Size(kwargs["size"]))
    return _BY_DTYPE[_core.get_default_dtype()](*args, device=kwargs.get("device"))


def _sized(shape, dtype) -> Tensor:
    from ._argcheck import fits_int64
    from ._creation import empty

    for pos, size in enumerate(shape, start=1):
        if not fits_int64(size):
            raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {pos} with error "
                            "\"Overflow when unpacking long long\"")
    for size in shape:
        if size < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {size}: {list(shape)}")
    return empty(tuple(shape), dtype=dtype)


def _legacy_type(name: str, dtype) -> _LegacyTensorType:
    doc = (
        f"The legacy type of {repr(dtype).split('.', 1)[1]} tensors: `{name}(2, 3)` makes an "
        f"uninitialised tensor of that shape, `{name}([1, 2])` one of that data, and "
        f"`isinstance(t, {name})` tells whether `t` is a tensor of this dtype.\n\n"
        "Args:\n"
        "    args: nothing, sizes, data, or one tensor of this dtype.\n"
        "    device: the device (only the CPU exists).\n"
    )
    return _LegacyTensorType(name, (), {"dtype": dtype, "__module__": __name__.rsplit(".", 1)[0], "__doc__": doc})


FloatTensor = _legacy_type("FloatTensor", _core.float32)
DoubleTensor = _legacy_type("DoubleTensor", _core.float64)
HalfTensor = _legacy_type("HalfTensor", _core.float16)
BFloat16Tensor = _legacy_type("BFloat16Tensor", _core.bfloat16)
LongTensor = _legacy_type("LongTensor", _core.int64)
IntTensor = _legacy_type("IntTensor", _core.int32)
ShortTensor = _legacy_type("ShortTensor", _core.int16)
CharTensor = _legacy_type("CharTensor", _core.int8)
ByteTensor = _legacy_type("ByteTensor", _core.uint8)
BoolTensor = _legacy_type("BoolTensor", _core.bool)

_BY_DTYPE = {t.dtype: t for t in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor)}
_BY_NAME = {t.__name__: t for t in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor,
                                    ShortTensor, CharTensor, ByteTensor, BoolTensor)}

# Tensor.type takes a legacy type as well as a dtype or a name
_type_of_names = Tensor.type


def _tensor_type(self: Tensor, dtype=None, *positional, **kwargs):
    """The legacy type name ("ferrograd.FloatTensor") or this tensor cast to a type.

    Args:
        dtype: a dtype, a legacy type (`DoubleTensor`) or its name; None to get the name.
        positional: `non_blocking` (ignored) by position.
        kwargs: `non_blocking`, and PyTorch's other keywords, `memory_format` and the old
            `async` (ignored).
    """
    unknown = [k for k in kwargs if k not in ("non_blocking", "memory_format", "async")]
    if unknown:
        raise TypeError(f"type() got an unexpected keyword argument '{unknown[0]}'")
    if len(positional) > 1:
        raise TypeError(f"type() takes from 0 to 2 positional arguments but {1 + len(positional)} were given")
    if positional and "non_blocking" in kwargs:
        raise TypeError("type() got multiple values for argument 'non_blocking'")
    # PyTorch's parser names the position of an argument given by position only
    non_blocking, where = (positional[0], " (position 2)") if positional else (kwargs.get("non_blocking", False), "")
    if not isinstance(non_blocking, builtins.bool):
        raise TypeError(f"type(): argument 'non_blocking'{where} must be bool, not {type(non_blocking).__name__}")
    memory_format = kwargs.get("memory_format")
    if memory_format is not None and type_name(memory_format) != "ferrograd.memory_format":
        raise TypeError(f"type(): argument 'memory_format' must be torch.memory_format, not {type_name(memory_format)}")
    if isinstance(dtype, _LegacyTensorType):
        dtype = dtype.dtype
    elif dtype is Tensor:
        dtype = _core.get_default_dtype()
    elif isinstance(dtype, type):
        raise ValueError(f"invalid type: '{_tp_name(dtype)}'")
    elif dtype is not None and not isinstance(dtype, (str, _core.dtype)):
        raise TypeError("dtype must be a type, str, or dtype object")
    return _type_of_names(self, dtype, non_blocking)


def _tp_name(cls: type) -> str:
    """The name CPython keeps for a class (its tp_name): a C type's carries its module
    (`numpy.float32`), a class defined in Python only its name. ferrograd's own classes
    stand for PyTorch's C types (`torch.Size`)."""
    heap = cls.__flags__ & (1 << 9)  # Py_TPFLAGS_HEAPTYPE
    if cls.__module__ == "builtins" or heap and cls.__module__ != "ferrograd":
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"


_tensor_type.__name__ = _tensor_type.__qualname__ = "type"
Tensor.type = _tensor_type  # type: ignore[method-assign]


_warned = [False]


def _import_dotted_name(name: str):
    """The object a dotted name ("torch.DoubleTensor") names, imported as PyTorch does
    (its first part as a module: "foo" is a ModuleNotFoundError)."""
    import sys

    first, *rest = name.split(".")
    obj = sys.modules["ferrograd"] if first in ("torch", "ferrograd") else __import__(first)
    for part in rest:
        obj = getattr(obj, part)
    return obj


def set_default_tensor_type(t, /) -> None:
    """Deprecated: sets the default floating dtype from a legacy type (`DoubleTensor`)
    or its name ("torch.DoubleTensor"); use `set_default_dtype` instead.

    Args:
        t: FloatTensor or DoubleTensor (or HalfTensor, BFloat16Tensor), or its name.
    """
    from . import set_default_dtype

    if not _warned[0]:  # PyTorch warns once per process
        _warned[0] = True
        warnings.warn(
            "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
            "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
            UserWarning,
            stacklevel=2,
        )
    if isinstance(t, str):
        t = _import_dotted_name(t)
    if not isinstance(t, _LegacyTensorType):
        raise TypeError("invalid type object: only floating-point types are supported as the default type")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    set_default_dtype(t.dtype)
