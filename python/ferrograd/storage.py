"""PyTorch's storage objects: `Tensor.untyped_storage()` (the bytes under a tensor) and
`Tensor.storage()` (the same bytes read as the tensor's dtype, PyTorch's deprecated
`TypedStorage`).

A storage reads and writes the tensor's memory through a 1-D uint8 tensor that shares
it (`_core._untyped_bytes`), so every view of one tensor, whatever its offset or dtype,
reports one storage: the same object, `data_ptr()` and `_cdata`. Bool tensors are the
exception to sharing: their bytes are read from a copy.
"""

from __future__ import annotations

import builtins
import warnings
import weakref

from . import _core
from ._core import Tensor

__all__ = ["TypedStorage", "UntypedStorage"]

_PACKAGE = __name__.split(".")[0]

# One storage object per memory, as PyTorch keeps one Python object per StorageImpl.
_LIVE: weakref.WeakValueDictionary[int, UntypedStorage] = weakref.WeakValueDictionary()


def _index(i, size: int, kind: str) -> int:
    if isinstance(i, builtins.bool) or not isinstance(i, builtins.int):
        if hasattr(i, "__index__") and not isinstance(i, builtins.float):
            i = i.__index__()
        else:
            raise TypeError(f"can't index a {_PACKAGE}.{kind} with {type(i).__name__}")
    j = i + size if i < 0 else i
    if j < 0 or j >= size:
        # PyTorch names the wrapped index for untyped storages, the given one for typed.
        shown = j if kind == "UntypedStorage" else i
        raise IndexError(f"index {shown} out of range for storage of size {size}")
    return j


def _lines(values: list, title: str) -> str:
    body = " " + "\n ".join(str(v) for v in values)
    return f"{body}\n[{title} of size {len(values)}]"


class UntypedStorage:
    """The bytes of a tensor's memory (`Tensor.untyped_storage()`), or new zeroed bytes.

    Args:
        size_or_sequence: a byte count for a new zeroed storage, or a sequence of
            byte values; nothing for an empty storage.
        device: only the CPU is supported.
    """

    def __init__(self, *args, **kwargs) -> None:
        from ._storage_args import untyped_bytes

        data = untyped_bytes(args, kwargs)  # (size_or_sequence=0, *, device=None) as PyTorch's parser
        self._bind(data, data.data_ptr(), _core._storage_key(data))

    def _bind(self, data: Tensor, ptr: int, key: int) -> None:
        self._bytes = data
        self._ptr = ptr
        self._key = key

    @classmethod
    def _of(cls, t: Tensor) -> UntypedStorage:
        key = _core._storage_key(t)
        found = _LIVE.get(key)
        if found is not None:
            return found
        s = cls.__new__(cls)
        data = _core._untyped_bytes(t)
        s._bind(data, _core._storage_data_ptr(t), key)
        # a bool storage's bytes are a copy: `t`'s storage may go while `s` lives, and its
        # address (the key) then name another storage; only shared bytes are looked up
        if _core._storage_key(data) == key:
            _LIVE[key] = s
        return s

    @property
    def _cdata(self) -> int:
        return self._key

    @property
    def device(self):
        """The device the bytes are on (always the CPU)."""
        from ._device import device

        return device("cpu")

    @property
    def is_cuda(self) -> builtins.bool:
        """Whether the storage is on a CUDA device (never)."""
        return False

    def nbytes(self) -> builtins.int:
        """The number of bytes."""
        return self._bytes.numel()

    def size(self) -> builtins.int:
        """The number of bytes (the elements of an untyped storage)."""
        return self.nbytes()

    def __len__(self) -> builtins.int:
        return self.nbytes()

    def element_size(self) -> builtins.int:
        """The size of an element in bytes (1)."""
        return 1

    def data_ptr(self) -> builtins.int:
        """The address of the first byte; 0 for a storage of no bytes, as PyTorch's."""
        return self._ptr if self.nbytes() else 0

    def type(self, dtype=None, non_blocking: builtins.bool = False) -> str:
        """The storage's type name.

        Args:
            dtype: unsupported (storages are not converted here).
            non_blocking: ignored.
        """
        return f"{_PACKAGE}.storage.UntypedStorage"

    def untyped(self) -> UntypedStorage:
        """This storage."""
        return self

    def tolist(self) -> list:
        """The bytes as a list of ints."""
        return self._bytes.tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        if isinstance(idx, builtins.slice):
            start, stop, step = idx.indices(self.nbytes())
            if step != 1:
                raise RuntimeError(
                    f"Trying to slice with a step of {step}, but only a step of 1 is supported"
                )
            part = UntypedStorage.__new__(UntypedStorage)
            view = self._bytes[start:max(start, stop)]
            part._bind(view, self._ptr + start, self._key)
            return part
        return builtins.int(self._bytes[_index(idx, self.nbytes(), "UntypedStorage")].item())

    def __setitem__(self, idx, value) -> None:
        if isinstance(idx, builtins.slice):
            self._bytes[idx] = value
            return
        self._bytes[_index(idx, self.nbytes(), "UntypedStorage")] = value

    def fill_(self, value) -> UntypedStorage:
        """Sets every byte to `value`; returns the storage.

        Args:
            value: the byte value.
        """
        self._bytes.fill_(value)
        return self

    def copy_(self, source, non_blocking: builtins.bool = False) -> UntypedStorage:
        """Copies the bytes of `source` (a storage of the same size); returns this storage.

        Args:
            source: an untyped or typed storage.
            non_blocking: ignored.
        """
        src = source.untyped()
        if src.nbytes() != self.nbytes():
            raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but src was {src.nbytes()} bytes")
        self._bytes.copy_(src._bytes)
        return self

    def clone(self) -> UntypedStorage:
        """A new storage holding a copy of the bytes."""
        return UntypedStorage(self.tolist())

    def cpu(self) -> UntypedStorage:
        """This storage (it is on the CPU)."""
        return self

    def is_shared(self) -> builtins.bool:
        """Whether the bytes are in shared memory (never)."""
        return False

    def is_pinned(self, device=None) -> builtins.bool:
        """Whether the bytes are page-locked (never).

        Args:
            device: ignored.
        """
        return False

    def __repr__(self) -> str:
        return _lines(self.tolist(), f"{_PACKAGE}.storage.UntypedStorage(device=cpu)")

    __str__ = __repr__


_TYPED_WARNED = [False]


def _warn_typed_storage_removal() -> None:
    if _TYPED_WARNED[0]:
        return
    _TYPED_WARNED[0] = True
    warnings.warn(
        "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only "
        "storage class. This should only matter to you if you are using storages directly.  To access "
        "UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
        UserWarning,
        stacklevel=3,
    )


class TypedStorage:
    """A storage's bytes read as elements of one dtype (`Tensor.storage()`).

    Args:
        args: nothing, an element count (zeroed elements) or a sequence of values, when
            `wrap_storage` is not given.
        device: the device (only the CPU); not with `wrap_storage`.
        dtype: the element type; None means the default dtype (it must be given with
            `wrap_storage`).
        wrap_storage: the untyped storage to read.
        _internal: skip the deprecation warning (the library's own calls).
    """

    def __init__(self, *args, device=None, dtype=None, wrap_storage=None, _internal=False) -> None:
        from ._storage_args import TYPED_OPTIONS, typed_elements

        if not _internal:
            _warn_typed_storage_removal()
        if wrap_storage is not None:  # PyTorch's checks, in its order
            if args:
                raise RuntimeError(TYPED_OPTIONS + "\nNo positional arguments should be given when using 'wrap_storage'")
            if dtype is None:
                raise RuntimeError(TYPED_OPTIONS + "\nArgument 'dtype' must be specified")
            if not isinstance(dtype, _core.dtype):
                raise TypeError(TYPED_OPTIONS + f"\nArgument 'dtype' must be torch.dtype, not {type(dtype)}")
            if device is not None:
                raise RuntimeError(
                    TYPED_OPTIONS + "\nArgument 'device' should not be specified when 'wrap_storage' is given")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(
                    TYPED_OPTIONS + f"\nArgument 'wrap_storage' must be UntypedStorage, but got {type(wrap_storage)}")
            self._untyped_storage = wrap_storage
            self.dtype = dtype
            return
        from ._device import check_device

        dtype = _core.get_default_dtype() if dtype is None else dtype
        if not isinstance(dtype, _core.dtype):
            raise RuntimeError(f"expected {_PACKAGE}.dtype, but got {type(dtype)}")  # noqa: TRY004
        check_device(device)
        self._untyped_storage = UntypedStorage._of(typed_elements(args, dtype, TYPED_OPTIONS))
        self.dtype = dtype

    def _elements(self) -> Tensor:
        data = self._untyped_storage._bytes
        item = self.element_size()
        whole = data[: (data.numel() // item) * item]
        return whole.view(self.dtype) if item > 1 or self.dtype != _core.uint8 else whole

    @property
    def _cdata(self) -> int:
        return self._untyped_storage._cdata

    @property
    def device(self):
        """The device the elements are on (always the CPU)."""
        return self._untyped_storage.device

    @property
    def is_cuda(self) -> builtins.bool:
        """Whether the storage is on a CUDA device (never)."""
        return False

    def element_size(self) -> builtins.int:
        """The size of an element in bytes."""
        return self.dtype.itemsize

    def size(self) -> builtins.int:
        """The number of elements."""
        return self._untyped_storage.nbytes() // self.element_size()

    def __len__(self) -> builtins.int:
        return self.size()

    def nbytes(self) -> builtins.int:
        """The number of bytes."""
        return self._untyped_storage.nbytes()

    def data_ptr(self) -> builtins.int:
        """The address of the first element."""
        return self._untyped_storage.data_ptr()

    def untyped(self) -> UntypedStorage:
        """The untyped storage under this one."""
        return self._untyped_storage

    def type(self, dtype=None, non_blocking: builtins.bool = False) -> str:
        """The legacy type name (`FloatStorage`, ...).

        Args:
            dtype: unsupported (storages are not converted here).
            non_blocking: ignored.
        """
        from ._creation import zeros

        if self._is_meta():
            return f"{_PACKAGE}.storage.TypedStorage"
        name = zeros(0, dtype=self.dtype).type().rsplit(".", 1)[-1]
        return f"{_PACKAGE}.{name.replace('Tensor', 'Storage')}"

    def tolist(self) -> list:
        """The elements as a list of Python numbers."""
        return self._elements().tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        if isinstance(idx, builtins.slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")  # noqa: TRY004 (PyTorch raises RuntimeError)
        return self._elements()[_index(idx, self.size(), "TypedStorage")].item()

    def __setitem__(self, idx, value) -> None:
        elements = self._elements()
        if isinstance(idx, builtins.slice):
            elements[idx] = value
            return
        elements[_index(idx, self.size(), "TypedStorage")] = value

    def fill_(self, value) -> TypedStorage:
        """Sets every element to `value`; returns the storage.

        Args:
            value: the element value.
        """
        if not self._is_meta():  # a meta storage has no elements to set
            self._elements().fill_(value)
        return self

    def cpu(self) -> TypedStorage:
        """This storage (it is on the CPU; a meta storage refuses)."""
        self._untyped_storage.cpu()
        return self

    def is_shared(self) -> builtins.bool:
        """Whether the elements are in shared memory (never)."""
        return False

    def is_pinned(self, device=None) -> builtins.bool:
        """Whether the elements are page-locked (never).

        Args:
            device: ignored.
        """
        return False

    def __repr__(self) -> str:
        if self._is_meta():
            return f"...\n[{_PACKAGE}.storage.TypedStorage(dtype={self.dtype}, device=meta) of size {self.size()}]"
        title = f"{_PACKAGE}.storage.TypedStorage(dtype={self.dtype}, device=cpu)"
        return _lines(self.tolist(), title)

    def _is_meta(self) -> builtins.bool:
        return self.device.type == "meta"

    __str__ = __repr__


def _untyped_storage(self: Tensor) -> UntypedStorage:
    """The bytes under this tensor, shared with every view of it."""
    return UntypedStorage._of(self)


def _typed_storage(self: Tensor) -> TypedStorage:
    """The storage under this tensor read as its dtype (no deprecation warning)."""
    return TypedStorage(wrap_storage=UntypedStorage._of(self), dtype=self.dtype, _internal=True)


def _storage(self: Tensor) -> TypedStorage:
    """The storage under this tensor read as its dtype (PyTorch's deprecated TypedStorage)."""
    _warn_typed_storage_removal()
    return _typed_storage(self)


def _is_view(self: Tensor) -> builtins.bool:
    """Whether this tensor was made by a view op from another (`_base`)."""
    return _core._view_base(self) is not None


Tensor.untyped_storage = _untyped_storage
Tensor._base = property(_core._view_base)
Tensor._is_view = _is_view
Tensor._typed_storage = _typed_storage
Tensor.storage = _storage
