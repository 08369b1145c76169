"""The pickle inside PyTorch's checkpoint format, both ways.

Writing: tensors are pickled as PyTorch pickles them, `torch._utils._rebuild_tensor_v2`
over a storage named by a persistent id `('storage', torch.<X>Storage, key, 'cpu',
numel)`, parameters as `torch._utils._rebuild_parameter`, dtypes as `torch.<dtype>`;
so the file names only globals that PyTorch's `weights_only` loader allows. The names
are written as GLOBAL opcodes without importing torch.

Reading: an allow-list unpickler maps those names to ferrograd's own rebuild functions
and refuses every other global with `pickle.UnpicklingError` naming it: loading never
runs code from the file.
"""

from __future__ import annotations

import _codecs
import io
import pickle
import types
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

from . import _core, _safe_globals
from . import _torch_pickle_quantized as quantized
from ._core import Tensor
from ._quantized_dtypes import QuantizedDtype, qscheme

# Storage class names of PyTorch's legacy typed storages, by dtype name.
STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
    "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage", "bool": "BoolStorage",
    "complex64": "ComplexFloatStorage", "complex128": "ComplexDoubleStorage",
}
DTYPE_OF_STORAGE = {v: k for k, v in STORAGE_NAMES.items()}
# Dtypes without a typed storage class: PyTorch writes their bytes as an UntypedStorage
# (its persistent id counts bytes) and rebuilds with `_rebuild_tensor_v3`, naming the dtype.
UNTYPED_DTYPES = {
    "uint16": 2, "uint32": 4, "uint64": 8,
    "float8_e4m3fn": 1, "float8_e5m2": 1, "float8_e4m3fnuz": 1, "float8_e5m2fnuz": 1, "float8_e8m0fnu": 1,
}


def _dtype_name(d) -> str:
    return repr(d).split(".", 1)[1]


def _bytes_dtype(d) -> Any:
    """The dtype PyTorch's save checks views of one memory by: uint8 for the dtypes it
    writes as untyped bytes."""
    return _core.uint8 if _dtype_name(d) in UNTYPED_DTYPES else d


# ---- writing ---------------------------------------------------------------------------
class _Global:
    """Stands for a global `module.name` in a pickle being written."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __call__(self, *args: Any) -> Any:  # pickle's save_reduce wants a callable
        raise TypeError(f"{self.module}.{self.name} stands for a global in a pickle being written")


class _StorageRef:
    """A storage being written: its record key, dtype name and length in elements."""

    __slots__ = ("dtype", "key", "numel", "tensor")

    def __init__(self, key: str, dtype: str, numel: int, tensor: Tensor) -> None:
        self.key, self.dtype, self.numel, self.tensor = key, dtype, numel, tensor


class TorchPickler(pickle._Pickler):  # type: ignore[name-defined, misc]
    """Pickles ferrograd objects under PyTorch's names; collects the storages to write."""

    dispatch = pickle._Pickler.dispatch.copy()  # type: ignore[attr-defined]

    def __init__(self, file, protocol: int = 2) -> None:
        super().__init__(file, protocol)
        self.storages: dict[int, _StorageRef] = {}
        self._memory_dtypes: dict[int, Any] = {}
        self._memory_refs: dict[int, _StorageRef] = {}  # the record of each memory
        self._views: dict[tuple[int, str], _StorageRef] = {}  # a record's other storage types
        self._globals: dict[tuple[str, str], _Global] = {}
        self._keep: list[Any] = []  # objects made while pickling stay alive (ids stay unique)

    def _global(self, module: str, name: str) -> _Global:
        g = self._globals.get((module, name))
        if g is None:
            g = self._globals[(module, name)] = _Global(module, name)
        return g

    def _storage(self, t: Tensor) -> _StorageRef:
        ident, numel = _core._storage_info(t)
        if t.dtype.is_complex:
            numel //= 2  # the storage holds (re, im) pairs
        ref = self.storages.get(ident)
        # One memory seen as two dtypes (`t.view(int32)`) cannot be written as one record;
        # PyTorch counts the dtypes it writes as bytes (uint16-64, the 8-bit floats) as uint8.
        name = _dtype_name(t.dtype)
        memory = _core._storage_key(t)
        seen = self._memory_dtypes.setdefault(memory, _bytes_dtype(t.dtype))
        if seen != _bytes_dtype(t.dtype):
            raise RuntimeError(
                "Cannot save multiple tensors or storages that view the same data as different types"
            )
        if ref is None:
            ref = self._memory_refs.get(memory)
        if ref is None:
            if name not in STORAGE_NAMES and name not in UNTYPED_DTYPES:
                raise pickle.PicklingError(f"PyTorch has no storage type for dtype {name}")
            ref = self.storages[ident] = self._memory_refs[memory] = _StorageRef(
                str(len(self.storages)), name, numel, t)
        elif ref.dtype != name:
            # a view as another byte-sized dtype: the same record, named by its own storage type
            ref = self._views.setdefault((memory, name), _StorageRef(ref.key, name, numel, t))
        return ref

    def _quantized_storage(self, q) -> _StorageRef:
        """A storage record of `q`'s integers (packed, for the sub-byte dtypes)."""
        ints = q.int_repr()
        self._keep.append(ints)
        ref = _StorageRef(str(len(self.storages)), q.dtype._name, ints.numel(), ints)
        self.storages[_core._storage_info(ints)[0]] = ref
        return ref

    def persistent_id(self, obj):
        if type(obj) is _StorageRef and obj.dtype in quantized.STORAGES:
            storage_type = self._global("torch", quantized.STORAGES[obj.dtype][0])
            return ("storage", storage_type, obj.key, "cpu", obj.numel)
        if type(obj) is _StorageRef and obj.dtype in UNTYPED_DTYPES:
            storage_type = self._global("torch.storage", "UntypedStorage")
            return ("storage", storage_type, obj.key, "cpu", obj.numel * UNTYPED_DTYPES[obj.dtype])
        if type(obj) is _StorageRef:
            storage_type = self._global("torch", STORAGE_NAMES[obj.dtype])
            return ("storage", storage_type, obj.key, "cpu", obj.numel)
        return None

    def reducer_override(self, obj):
        from ._device import device
        from ._size import Size
        from .nn.parameter import Parameter

        if isinstance(obj, Parameter):
            data = obj.detach()
            self._keep.append(data)
            hooks: OrderedDict = OrderedDict()
            self._keep.append(hooks)
            return (self._global("torch._utils", "_rebuild_parameter"), (data, obj.requires_grad, hooks))
        if getattr(type(obj), "_fg_quantized", False):
            args = quantized.reduce_args(obj, self._quantized_storage(obj), lambda name: self._global("torch", name))
            return (self._global("torch._utils", "_rebuild_qtensor"), args)
        tensor = isinstance(obj, Tensor) and not obj.is_meta
        if tensor and "_backward_hooks" in getattr(obj, "__dict__", ()):
            from .utils.hooks import warn_if_has_hooks

            warn_if_has_hooks(obj)
        user_type = tensor and type(obj) is not Tensor and not type(obj).__module__.startswith(__name__.split(".")[0])
        state = _user_state(obj) if type(obj) is Tensor or user_type else None
        if user_type or state:
            # a user's subclass, or attributes set on a tensor: PyTorch's Tensor.__reduce_ex__
            # rebuilds the plain tensor, then makes it the subclass and sets the attributes
            plain = obj.as_subclass(Tensor) if user_type else obj.detach()
            self._keep.append(plain)
            func, args = self.reducer_override(plain)
            if not user_type:
                args = (*args[:4], obj.requires_grad, *args[5:])
            new_type = type(obj) if user_type else self._global("torch", "Tensor")
            return (self._global("torch._tensor", "_rebuild_from_type_v2"), (func, new_type, args, state))
        if isinstance(obj, Tensor) and obj.is_meta:
            return (self._global("torch._utils", "_rebuild_meta_tensor_no_storage"),
                    (obj.dtype, tuple(obj.shape), tuple(obj.stride()), obj.requires_grad))
        if isinstance(obj, Tensor):
            hooks = OrderedDict()
            self._keep.append(hooks)
            args = (self._storage(obj), obj.storage_offset(), tuple(obj.shape), obj.stride(),
                    obj.requires_grad, hooks)
            if _dtype_name(obj.dtype) in UNTYPED_DTYPES:
                return (self._global("torch._utils", "_rebuild_tensor_v3"), (*args, obj.dtype))
            metadata = lazy_bits_metadata(obj)
            if metadata:  # the storage holds the values before conjugation/negation
                args = (*args, metadata)
            return (self._global("torch._utils", "_rebuild_tensor_v2"), args)
        if isinstance(obj, Size):
            return (self._global("torch", "Size"), (tuple(obj),))
        if isinstance(obj, device):
            return (self._global("torch", "device"), (str(obj),))
        return NotImplemented

    def save_global(self, obj, name=None) -> None:
        qualname = name or getattr(obj, "__qualname__", "")
        if "<locals>" in qualname:  # CPython's C pickler (PyTorch's) refuses these so
            raise AttributeError(f"Can't pickle local object {qualname!r}")
        super().save_global(obj, name)

    dispatch[types.FunctionType] = save_global  # type: ignore[assignment]  (classes reach it through save_type)

    def _save_global_ref(self, obj: _Global) -> None:
        self.write(pickle.GLOBAL + obj.module.encode() + b"\n" + obj.name.encode() + b"\n")
        self.memoize(obj)

    def _save_dtype(self, obj) -> None:
        self.save(self._global("torch", _dtype_name(obj)))

    def _save_qscheme(self, obj) -> None:
        self.save(self._global("torch", obj._name))

    dispatch[_Global] = _save_global_ref
    dispatch[_core.dtype] = _save_dtype
    dispatch[QuantizedDtype] = _save_dtype
    dispatch[qscheme] = _save_qscheme


# What ferrograd keeps in a tensor's __dict__ where PyTorch has C++ fields (hooks among them)
_INTERNAL_PREFIXES = ("_fg", "_ferro", "_masked")
_INTERNAL_NAMES = frozenset({"_backward_hooks", "_post_accumulate_grad_hooks"})


def _user_state(t: Tensor) -> dict | None:
    """The attributes a user set on a tensor (PyTorch pickles its `__dict__`), or None."""
    d = getattr(t, "__dict__", None)
    if not d:
        return None
    return {k: v for k, v in d.items()
            if not k.startswith(_INTERNAL_PREFIXES) and k not in _INTERNAL_NAMES and not hasattr(Tensor, k)} or None


def dumps(obj: Any) -> tuple[bytes, list[_StorageRef]]:
    """The pickle of `obj` (protocol 2, as PyTorch writes) and the storages it names."""
    buf = io.BytesIO()
    p = TorchPickler(buf, protocol=2)
    p.dump(obj)
    return buf.getvalue(), list(p.storages.values())


# ---- reading ---------------------------------------------------------------------------
class _StorageType:
    """What `torch.<X>Storage` stands for when reading: the dtype of a storage (and the
    quantized dtype whose integers it holds, for a quantized storage)."""

    def __init__(self, dtype_name: str, quantized: str | None = None) -> None:
        self.dtype_name = dtype_name
        self.quantized = quantized


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None,
                       metadata=None):
    if not isinstance(storage, Tensor):
        raise pickle.UnpicklingError(f"_rebuild_tensor_v2 expects a storage, got {type(storage).__name__}")
    t = with_lazy_bits(_core._view_storage(storage, list(size), list(stride), int(storage_offset)), metadata)
    if requires_grad:
        t.requires_grad_(True)
    return t


def lazy_bits_metadata(t: Tensor) -> dict:
    """PyTorch's pickled tensor metadata: which lazy bits (`conj()`, `_neg_view()`) `t` has."""
    bits = _core._lazy_bits(t)
    return {**({"conj": True} if bits & 1 else {}), **({"neg": True} if bits & 2 else {})}


def with_lazy_bits(t: Tensor, metadata: dict | None) -> Tensor:
    """`t` with the lazy bits `metadata` names set (views of `t`)."""
    if metadata and metadata.get("neg"):
        t = _core._neg_view(t)
    if metadata and metadata.get("conj"):
        t = _core._conj_view(t)
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                       metadata=None):
    """A tensor over an untyped storage (its bytes, as uint8) read as `dtype`."""
    if not isinstance(storage, Tensor) or not isinstance(dtype, _core.dtype):
        raise pickle.UnpicklingError("_rebuild_tensor_v3 expects an untyped storage and a dtype")
    if storage.dtype != dtype:
        storage = storage.view(dtype)
    return _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad)


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _rebuild_tensor_v2(storage, storage_offset, size, stride)


def rebuild_meta_tensor_no_storage(dtype, size, stride, requires_grad):
    """A meta tensor (PyTorch saves one by its layout alone: it has no storage to write)."""
    if not isinstance(dtype, _core.dtype):
        raise pickle.UnpicklingError("_rebuild_meta_tensor_no_storage expects a dtype")
    from ._tensor_api import empty_strided

    return empty_strided(tuple(size), tuple(stride), dtype=dtype, device="meta", requires_grad=bool(requires_grad))


def _rebuild_parameter(data, requires_grad, backward_hooks=None):
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _set_state(obj, state) -> None:
    """Plain attributes saved with a tensor (dunder names are never set from a file)."""
    if isinstance(state, dict):
        for k, v in state.items():
            if isinstance(k, str) and not k.startswith("__"):
                setattr(obj, k, v)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad)
    _set_state(p, state)
    return p


def _rebuild_from_type_v2(func, new_type, args, state):
    ret = func(*args)
    if isinstance(new_type, type) and issubclass(new_type, Tensor) and type(ret) is not new_type:
        ret = ret.as_subclass(new_type)
    elif new_type is not Tensor and not isinstance(ret, new_type):
        raise pickle.UnpicklingError(f"cannot rebuild a tensor of type {getattr(new_type, '__name__', new_type)}")
    _set_state(ret, state)
    return ret


def _encode(obj, encoding="utf-8", errors="strict"):
    # Protocol 2 pickles bytes as _codecs.encode(str, 'latin1').
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1", "utf-8", "utf8"):
        raise pickle.UnpicklingError(f"_codecs.encode is allowed only on str with latin1, got {encoding!r}")
    return _codecs.encode(obj, encoding, errors)


def _allowed_globals() -> dict[tuple[str, str], Any]:
    from ._device import device
    from ._size import Size
    from .nn.parameter import Parameter

    allowed: dict[tuple[str, str], Any] = {
        ("collections", "OrderedDict"): OrderedDict,
        ("collections", "Counter"): Counter,
        ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
        ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
        ("torch._utils", "_rebuild_tensor_v3"): _rebuild_tensor_v3,
        ("torch.storage", "UntypedStorage"): _StorageType("uint8"),
        ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
        ("torch._utils", "_rebuild_meta_tensor_no_storage"): rebuild_meta_tensor_no_storage,
        ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter_with_state,
        ("torch._tensor", "_rebuild_from_type_v2"): _rebuild_from_type_v2,
        ("torch", "Tensor"): Tensor,
        ("torch.nn.parameter", "Parameter"): Parameter,
        ("torch", "Size"): Size,
        ("torch", "device"): device,
        ("_codecs", "encode"): _encode,
    }
    for builtins_name in ("builtins", "__builtin__"):
        for name, obj in (("set", set), ("frozenset", frozenset), ("bytearray", bytearray),
                          ("complex", complex), ("slice", slice)):
            allowed[(builtins_name, name)] = obj
    for dtype_name, storage in STORAGE_NAMES.items():
        allowed[("torch", storage)] = _StorageType(dtype_name)
    for quantized_name, (storage, dtype_name) in quantized.STORAGES.items():
        allowed[("torch", storage)] = _StorageType(dtype_name, quantized_name)
    allowed.update(quantized.allowed_globals())
    for name in dir(_core):
        d = getattr(_core, name)
        if isinstance(d, _core.dtype):
            allowed[("torch", name)] = d
    # Files written by ferrograd before it spoke PyTorch's format (a plain pickle of
    # NumPy arrays); NumPy's reconstruction runs no code from the file either.
    from . import _tensor
    from .nn import parameter

    allowed[("ferrograd._tensor", "_rebuild")] = _tensor._rebuild
    allowed[("ferrograd.nn.parameter", "_rebuild_parameter")] = parameter._rebuild_parameter
    import numpy as np

    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        allowed[(mod, "_reconstruct")] = _np_reconstruct
    allowed[("numpy", "ndarray")] = np.ndarray
    allowed[("numpy", "dtype")] = np.dtype
    return allowed


def _np_reconstruct(subtype, shape, dtype):
    import numpy as np

    if subtype is not np.ndarray:
        raise pickle.UnpicklingError("only plain numpy.ndarray may be rebuilt")
    return np.ndarray.__new__(subtype, shape, dtype)


class SafeUnpickler(pickle.Unpickler):
    """Unpickles only tensors, containers, numbers and strings (PyTorch's weights_only
    set); `storage_loader(dtype_name, key, numel, location)` reads a storage record."""

    def __init__(self, file, storage_loader: Callable[[str, str, int, str], Tensor] | None,
                 restricted: bool = True) -> None:
        super().__init__(file, encoding="utf-8")
        self._allowed = _allowed_globals()
        self._restricted = restricted
        self._load_storage = storage_loader
        self._storages: dict[str, Tensor] = {}

    def find_class(self, module: str, name: str):
        found = self._allowed.get((module, name))
        if found is None:
            found = _safe_globals.lookup(module, name)
        if found is not None:
            return found
        if self._restricted:
            if module == "__builtin__":  # protocol 2's name for builtins
                module = "builtins"
            raise pickle.UnpicklingError(
                f"Weights only load failed: unsupported global {module}.{name}. ferrograd.load "
                "never runs code from a file: only tensors, parameters, containers, numbers and "
                "strings are loaded. If you trust the file, pass weights_only=False, or allow this "
                f"global with ferrograd.serialization.add_safe_globals([{name}])."
            )
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if (not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage"
                or not isinstance(pid[1], _StorageType) or not isinstance(pid[2], str)
                or not isinstance(pid[4], int) or pid[4] < 0):
            raise pickle.UnpicklingError(f"unsupported persistent id in the file: {pid!r:.200}")
        if self._load_storage is None:
            raise pickle.UnpicklingError("a storage reference outside a checkpoint archive")
        _, storage_type, key, location, numel = pid
        storage = self._storages.get(key)
        if storage is None:
            storage = self._storages[key] = self._load_storage(storage_type.dtype_name, key, numel,
                                                               str(location))
        if storage_type.quantized is not None:
            return quantized.QuantizedStorage(storage, storage_type.quantized)
        return storage
