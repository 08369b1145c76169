"""Zero-copy exchange with NumPy and DLPack: `from_numpy`, `from_dlpack`,
`Tensor.__dlpack__` and `Tensor.__dlpack_device__`.

A tensor made by `from_numpy` or `from_dlpack` borrows the other library's memory (its
storage holds the array's buffer view or the producer's deleter): writes show both
ways, and the memory lives as long as either side uses it.
"""

from __future__ import annotations

import enum
import weakref

from . import _core, _dlpack_float8
from ._core import Tensor
from ._numpy import np
from ._shell_dtypes import FLOAT8_DTYPES

__all__ = ["from_dlpack", "from_numpy"]

# PyTorch's list of the NumPy types `from_numpy` takes, in its order.
_TORCH_NUMPY_TYPES = (
    "float64", "float32", "float16", "complex64", "complex128", "int64", "int32", "int16",
    "int8", "uint64", "uint32", "uint16", "uint8", "bool",
)

_warned_not_writable = False

# the storages shared with NumPy (by `from_numpy`, `numpy()`), which PyTorch makes
# unresizable: storage key -> a weak reference to a tensor on that storage (the key names
# the storage while that tensor still views it)
_SHARED_STORAGES: dict[int, weakref.ref] = {}


def mark_shared(t: Tensor) -> None:
    """Marks `t`'s storage as shared with NumPy."""
    key = _core._storage_key(t)

    def forget(ref: weakref.ref) -> None:
        if _SHARED_STORAGES.get(key) is ref:
            del _SHARED_STORAGES[key]

    _SHARED_STORAGES[key] = weakref.ref(t, forget)


def shared_with_numpy(t: Tensor) -> bool:
    """Whether `t`'s storage is one `mark_shared` marked."""
    key = _core._storage_key(t)
    ref = _SHARED_STORAGES.get(key)
    marked = ref() if ref is not None else None
    return marked is not None and _core._storage_key(marked) == key


def _dtype_of_numpy(dt: np.dtype):
    if dt.fields is not None:
        return None
    d = getattr(_core, dt.name, None)
    return d if isinstance(d, _core.dtype) else None


def _supported_list() -> str:
    names = [n for n in _TORCH_NUMPY_TYPES if isinstance(getattr(_core, n, None), _core.dtype)]
    return ", ".join(names[:-1]) + ", and " + names[-1]


def convertible_dtype(arr: np.ndarray):
    """The dtype of the tensor PyTorch makes of `arr` (`from_numpy`, `tensor`), or its
    refusal of a foreign byte order or a NumPy type it has no dtype for."""
    if not arr.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. Conversion "
            "between byte orders is currently not supported."
        )
    dtype = _dtype_of_numpy(arr.dtype)
    if dtype is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{arr.dtype.type.__name__}. The only supported "
            f"types are: {_supported_list()}."
        )
    return dtype


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing `arr`'s memory: writes to either show in the other, and the
    tensor keeps the array alive."""
    global _warned_not_writable
    if not isinstance(arr, np.ndarray):
        from ._argcheck import type_name

        raise TypeError(f"expected np.ndarray (got {type_name(arr)})")
    if any(s < 0 for s in arr.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative "
            "strides are not currently supported. (You can probably work around this by making a "
            "copy of your array  with array.copy().) "
        )
    dtype = convertible_dtype(arr)
    if any(s % arr.itemsize for s in arr.strides):
        raise ValueError(
            "given numpy array strides not a multiple of the element byte size. Copy the numpy "
            "array to reallocate the memory."
        )
    if not arr.flags.writeable and not _warned_not_writable:
        _warned_not_writable = True
        from ._user_warning import warn_at_caller

        warn_at_caller(
            "The given NumPy array is not writable, and PyTorch does not support non-writable "
            "tensors. This means writing to this tensor will result in undefined behavior. You may "
            "want to copy the array to protect its data or make it writable before converting it "
            "to a tensor. This type of warning will be suppressed for the rest of this program. "
            "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:213.)")
    if arr.size == 0 and arr.ndim:
        from ._creation import empty_with_array_strides

        return empty_with_array_strides(arr, dtype)  # no memory to share
    if dtype.is_complex:
        # shared through the (re, im) pairs: a real view of the same memory
        part = np.float64 if dtype is _core.complex128 else np.float32
        pairs = arr[..., None].view(part)
        shared = _core._view_as_complex(_core._from_buffer(pairs, dtype.to_real()))
    else:
        shared = _core._from_buffer(arr, dtype)
    mark_shared(shared)
    return shared


class DLDeviceType(enum.IntEnum):
    """DLPack's device codes (the ones a CPU library meets)."""

    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3


def _dlpack(self: Tensor, *, stream=None, max_version=None, dl_device=None, copy=None):
    """A DLPack capsule sharing this tensor's memory (DLPack 1.0 when `max_version`
    allows it, else the legacy capsule)."""
    if dl_device is not None and tuple(dl_device) != (DLDeviceType.kDLCPU, 0):
        raise BufferError(f"ferrograd tensors live on the CPU; cannot export to device {tuple(dl_device)}")
    src = self
    if copy:
        src = self.detach().clone()
    versioned = max_version is not None and tuple(max_version) >= (1, 0)
    if src.dtype in FLOAT8_DTYPES:
        return _dlpack_float8.export(src, versioned)
    return _core._to_dlpack(src, versioned)


def _dlpack_device(self: Tensor) -> tuple[DLDeviceType, int]:
    return (DLDeviceType.kDLCPU, 0)


def from_dlpack(ext_tensor, *, device=None, copy=None) -> Tensor:
    """A tensor sharing the memory of an object with `__dlpack__` (a NumPy array, a
    PyTorch CPU tensor, ...) or of a DLPack capsule: writes through either show in both.

    Args:
        ext_tensor: an object with `__dlpack__` on the CPU, or a DLPack capsule.
        device: the device wanted (a device or its name; the CPU only), None for the producer's.
        copy: True for a copy of the producer's memory, else None or False (shared).
    """
    if device is not None and hasattr(ext_tensor, "__dlpack__"):
        from ._device import device as device_type

        if isinstance(device, str):
            device = device_type(device)
        if not isinstance(device, device_type):
            raise AssertionError(f"from_dlpack: unsupported device type: {type(device)}")
    if copy and hasattr(ext_tensor, "__dlpack__"):
        return from_dlpack(ext_tensor).clone()
    if not hasattr(ext_tensor, "__dlpack__"):
        if type(ext_tensor).__name__ != "PyCapsule":  # PyTorch hands anything else to its capsule reader
            raise RuntimeError("from_dlpack received an invalid capsule. Note that DLTensor capsules can be consumed "
                               "only once, so you might have already constructed a tensor from it once.")
        return _dlpack_float8.import_capsule(ext_tensor)
    device = getattr(ext_tensor, "__dlpack_device__", None)
    if device is not None:
        kind, _ = device()
        if int(kind) != DLDeviceType.kDLCPU:
            raise BufferError(f"ferrograd reads only CPU tensors, not DLPack device type {int(kind)}")
    try:
        capsule = ext_tensor.__dlpack__(max_version=(1, 0))
    except TypeError:  # a producer from before DLPack 1.0
        capsule = ext_tensor.__dlpack__()
    return _dlpack_float8.import_capsule(capsule)


def _install() -> None:
    Tensor.__dlpack__ = _dlpack
    Tensor.__dlpack_device__ = _dlpack_device


_install()
