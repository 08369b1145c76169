"""`Tensor.set_` with PyTorch's five overloads (`()`, a storage or a tensor, alone or with
`storage_offset, size[, stride]`, positional or by keyword), its checks in its order and
its parser's TypeError when no overload takes the arguments."""

from __future__ import annotations

import builtins
import operator
from typing import Any

from . import _core
from ._argcheck import type_name
from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name
from ._tensor_api import refuse_inference_write

# PyTorch's overloads as its parser error lists them; `stride = None` is a name no keyword
# matches (so `stride=` counts as a wrong keyword in that error, as in PyTorch's)
_OVERLOADS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("", ""),),
    (("torch.Storage", "source"),),
    (("torch.Storage", "source"), ("int", "storage_offset"), ("tuple of ints", "size"),
     ("tuple of ints", "stride = None")),
    (("Tensor", "source"),),
    (("Tensor", "source"), ("int", "storage_offset"), ("tuple of ints", "size"), ("tuple of ints", "stride = None")),
)
_NAMES = ("source", "storage_offset", "size", "stride")


def set_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Makes this tensor view a storage or another tensor's storage, or become empty.

    Args:
        args: nothing (become empty); `source` (a tensor or a storage, viewed whole); or
            `source, storage_offset, size[, stride]` (a view of `source`'s storage at
            `storage_offset` elements, beyond a tensor source's own offset, with that shape
            and those strides, contiguous ones for None or ()).
        kwargs: the same arguments by name.
    """
    source, offset, size, stride = _bind(args, kwargs)
    if self.requires_grad and self.grad_fn is None and _core.is_grad_enabled():
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if source is None:
        from ._creation import empty

        new = empty(0, dtype=self.dtype)
    elif size is None:
        new = _whole(self, source)
    else:
        new = _strided(self, source, offset, size, stride)
    self.data = new.detach()
    refuse_inference_write(self)
    return self


def _whole(self: Tensor, source: Any) -> Tensor:
    if isinstance(source, Tensor):
        _same_dtype(self, source)
        return source
    return _elements(self, source)


def _strided(self: Tensor, source: Any, offset: int, size: list[int], stride: list[int] | None) -> Tensor:
    if isinstance(source, Tensor):
        if not source.is_contiguous():
            raise RuntimeError("passed in tensor to be used as storage must be contiguous")
        offset += source.storage_offset()  # counted in this tensor's elements, whatever the source's dtype
        # PyTorch sets the source's storage: its bytes, read in this tensor's dtype
        elements = source if source.dtype == self.dtype else _elements(self, source.untyped_storage())
    else:
        elements = _elements(self, source)
    if stride is not None and len(stride) != len(size):
        raise RuntimeError(f"unequal size length ({len(size)}) and stride length ({len(stride)})")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if any(s < 0 for s in size):
        raise RuntimeError("numel: integer multiplication overflow")
    if stride is None:
        stride = _contiguous_strides(size)
    elif any(s < 0 for s in stride):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={size} and strides={stride}")
    # past the storage's end PyTorch grows the storage; ferrograd's storages keep their
    # size, so this raises PyTorch's error of a storage that cannot grow
    return elements.as_strided(size, stride, offset)


def _same_dtype(self: Tensor, source: Tensor) -> None:
    if source.dtype != self.dtype:
        raise RuntimeError(f"Could not set tensor of type {cpp_name(source.dtype)} to a tensor of type "
                           f"{cpp_name(self.dtype)}")


def _elements(self: Tensor, source: Any) -> Tensor:
    """A storage's elements as a 1-D tensor of this tensor's dtype (sharing its memory)."""
    from .storage import TypedStorage

    if isinstance(source, TypedStorage):
        if source.dtype != self.dtype:
            raise RuntimeError(f"Expected a Storage of type {cpp_name(self.dtype)} or an UntypedStorage, but got "
                               f"type {scalar_name(source.dtype)} for argument 1 'storage'")
        source = source._untyped_storage
    return TypedStorage(wrap_storage=source, dtype=self.dtype, _internal=True)._elements()


def _contiguous_strides(size: list[int]) -> list[int]:
    strides, acc = [], 1
    for s in reversed(size):
        strides.insert(0, acc)
        acc *= max(s, 1)
    return strides


# ---- the parser ------------------------------------------------------------------------------
def _is_storage(value: Any) -> bool:
    from .storage import TypedStorage, UntypedStorage

    return isinstance(value, (TypedStorage, UntypedStorage))


def _int(value: Any) -> int | None:
    if isinstance(value, builtins.bool) or isinstance(value, Tensor) and value.dtype.is_floating_point:
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _ints(value: Any) -> list[int] | None:
    if not isinstance(value, (tuple, list)):
        return None
    out = [_int(v) for v in value]
    return None if any(v is None for v in out) else out  # type: ignore[misc]


def _bind(args: tuple, kwargs: dict) -> tuple[Any, int, list[int] | None, list[int] | None]:
    """(source, storage_offset, size, stride) of a call one overload takes; PyTorch's
    TypeError otherwise."""
    given = dict(zip(_NAMES, args))
    if len(args) > len(_NAMES) or any(k not in _NAMES or k in given for k in kwargs):
        raise _invalid(args, kwargs)
    given.update(kwargs)
    if not given:
        return None, 0, None, None
    source = given.get("source")
    if not (isinstance(source, Tensor) or _is_storage(source)):
        raise _invalid(args, kwargs)
    if len(given) == 1:
        return source, 0, None, None
    offset, size = _int(given.get("storage_offset")), _ints(given.get("size"))
    stride = given.get("stride")
    if stride is not None:
        stride = _ints(stride)
        if stride is None:
            raise _invalid(args, kwargs)
    if offset is None or size is None or set(given) - {"stride"} != set(_NAMES[:3]):
        raise _invalid(args, kwargs)
    if not -2**63 <= offset < 2**63:
        raise ValueError("Overflow when unpacking long long")
    for name, values in (("size", size), ("stride", stride or ())):
        for position, value in enumerate(values, 1):
            if not -2**63 <= value < 2**63:
                raise TypeError(f"set_(): argument '{name}' failed to unpack the object at pos {position} with error "
                                '"Overflow when unpacking long long"')
    return source, offset, size, stride or None


def _shown(value: Any) -> str:
    """An argument as PyTorch's parser error describes it (`tuple of (int,)`)."""
    if isinstance(value, tuple):
        inner = ", ".join(_shown(v) for v in value)
        return f"tuple of ({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, list):
        return f"list of [{', '.join(_shown(v) for v in value)}]"
    if _is_storage(value):
        return f"{type(value).__module__}.{type(value).__qualname__}"
    return type_name(value)


def _takes(kind: str, value: Any) -> bool:
    """Whether PyTorch's error rates `value` a fit for `kind` (it rates storages and
    sizes misfits everywhere)."""
    if kind == "int":
        return isinstance(value, builtins.int) and not isinstance(value, builtins.bool)
    return kind == "Tensor" and isinstance(value, Tensor)


def _why_not(params: tuple[tuple[str, str], ...], args: tuple, kwargs: dict) -> str | None:
    if len(args) + len(kwargs) != len(params):
        return None
    names = [name for _, name in params[len(params) - len(kwargs):]] if kwargs else []
    wrong = [k for k in kwargs if k not in names]
    if wrong:
        return f"some of the keywords were incorrect: {', '.join(wrong)}"
    parts = [_shown(a) if _takes(kind, a) else f"!{_shown(a)}!" for (kind, _), a in zip(params, args)]
    kinds = {name: kind for kind, name in params}
    text = ", ".join(parts)
    if kwargs:
        text += (", " if parts else "") + "".join(
            f"{k}={_shown(v)}, " if _takes(kinds[k], v) else f"!{k}={_shown(v)}!, " for k, v in kwargs.items())
    return f"some of the arguments have invalid types: ({text})"


def _invalid(args: tuple, kwargs: dict) -> TypeError:
    got = ", ".join(_short(a) for a in args)
    if kwargs:  # PyTorch lists the keywords last first
        got += (", " if args else "") + "".join(f"{k}={_short(v)}, " for k, v in reversed(kwargs.items()))
        got = got[:-2] if args else got
    lines = [f"set_() received an invalid combination of arguments - got ({got}), but expected one of:"]
    for params in _OVERLOADS:
        shown = ", ".join(f"{kind} {name}" for kind, name in params).strip()
        lines.append(f" * ({shown})")
        why = _why_not(params, args, kwargs)
        if why is not None:
            lines.append(f"      didn't match because {why}")
    return TypeError("\n".join(lines) + "\n")


def _short(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}" if _is_storage(value) else type_name(value)
