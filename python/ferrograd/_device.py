"""Devices: ferrograd computes on the CPU and makes shape-only tensors on the 'meta'
device (see `_meta.py`); other devices are refused clearly."""

from __future__ import annotations

import threading
import warnings
from typing import Self

# The default device new tensors get: 'cpu' or 'meta' (a `with device(...)` block sets it
# for its thread, `set_default_device` for the process).
_DEFAULT = "cpu"
_block = threading.local()
# Whether the meta device was ever made a default (factories skip the lookup until then).
meta_default_seen = False


# A bare index names the current accelerator, which a CPU-only build does not have.
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
# the device types PyTorch's device strings may name (only the CPU and meta ones work here)
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
                "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


_NO_TYPE = object()
_DEVICE_OVERLOADS = " * (ferrograd.device device)\n * (str type, int index = -1)\n"


def _type_name(value) -> str:
    kind = value.__class__
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}.{kind.__name__}"


def _device_index(index) -> int:
    """A device index as PyTorch's parser reads an int (a one-element integer tensor is
    one), then refuses a negative one."""
    from ._core import Tensor
    from ._core import bool as bool_

    if isinstance(index, Tensor):
        if index.numel() != 1 or index.dtype.is_floating_point or index.dtype.is_complex or index.dtype == bool_:
            raise TypeError("device(): argument 'index' (position 2) must be int, not Tensor")
        index = int(index.item())
    if isinstance(index, bool) or not hasattr(index.__class__, "__index__"):
        raise TypeError(f"device(): argument 'index' (position 2) must be int, not {_type_name(index)}")
    index = index.__index__()
    if not -(2**63) <= index < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if index < 0:
        raise RuntimeError("Device index must not be negative")
    return index


class device:
    """A device on which tensors live, such as `ferrograd.device('cpu')`. ferrograd computes
    on the CPU; other device types can be named (and printed) but not used.

    Args:
        type: the device type ('cpu', 'cuda', 'mps', 'meta' or 'xpu'), optionally with an
            index ('cuda:1'), or another device to copy.
        index: the device's index; None for the current one.
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device = _NO_TYPE, index: int | None = None) -> None:
        if type is _NO_TYPE:
            raise TypeError(f"device() received an invalid combination of arguments - got (), but expected one of:\n"
                            f"{_DEVICE_OVERLOADS}")
        if index is not None:  # only PyTorch's (str type, int index) overload takes an index
            if not isinstance(type, str):
                raise TypeError(f"device(): argument 'type' (position 1) must be str, not {_type_name(type)}")
            index = _device_index(index)
        if isinstance(type, device):
            type, index = type.type, type.index
        if isinstance(type, int) and not isinstance(type, bool):
            _device_index(type)
            raise RuntimeError(NO_ACCELERATOR)  # noqa: TRY004 (PyTorch's type)
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({_type_name(type)}), "
                            f"but expected one of:\n{_DEVICE_OVERLOADS}")
        kind, _, idx = type.partition(":")
        if idx:
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            index = int(idx)
        if kind not in DEVICE_TYPES:
            raise RuntimeError(
                f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: {type}"
            )
        if kind == "mkldnn":
            warnings.warn("'mkldnn' is no longer used as device type. So torch.device('mkldnn') will be "
                          "deprecated and removed in the future. Please use other valid device types instead.",
                          UserWarning, stacklevel=2)
        self.type = kind
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        # PyTorch's device never equals a string: `device("cpu") == "cpu"` is False.
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __enter__(self) -> Self:
        """Makes this device the default for factories in the block (as PyTorch's
        `with torch.device('meta'):`)."""
        global meta_default_seen
        kind = resolve_device(self).type
        meta_default_seen = meta_default_seen or kind == "meta"
        stack = getattr(_block, "stack", None)
        if stack is None:
            stack = _block.stack = []
        stack.append(kind)
        return self

    def __exit__(self, *exc) -> None:
        _block.stack.pop()


CPU = device("cpu")
META = device("meta")


def check_device(d) -> device:
    """Accepts CPU devices; anything else raises as a CPU-only PyTorch does (for callers
    that cannot make meta tensors)."""
    dev = resolve_device(d)
    if dev is META:
        raise RuntimeError("ferrograd runs on the CPU only; device 'meta' is not available")
    return dev


def resolve_device(d) -> device:
    """The CPU or the meta device that `d` names; any other device raises as a CPU-only
    PyTorch does."""
    if d is None or d is CPU or d == "cpu":
        return CPU
    if d is META or d == "meta":
        return META
    if isinstance(d, int) and not isinstance(d, bool):
        _device_index(d)  # a negative index is refused first
        raise RuntimeError(NO_ACCELERATOR)  # noqa: TRY004 (PyTorch's type)
    dev = d if isinstance(d, device) else device(d) if isinstance(d, str) else None
    if dev is None:
        raise TypeError(f"device must be a str or ferrograd.device, not {type(d).__name__}")
    if dev.type == "cuda":
        # PyTorch built without CUDA raises AssertionError here.
        raise AssertionError("ferrograd is not compiled with CUDA enabled: only device='cpu' is available")
    if dev.type == "meta":
        return META
    if dev.type != "cpu":
        raise RuntimeError(f"ferrograd runs on the CPU only; device '{dev}' is not available")
    return CPU


def is_meta(d) -> bool:
    """Whether the device argument `d` names the meta device (None: the default device)."""
    if d is None:
        return default_type() == "meta"
    if d is CPU or d == "cpu":
        return False
    return resolve_device(d) is META


def default_type() -> str:
    stack = getattr(_block, "stack", None)
    return stack[-1] if stack else _DEFAULT


def get_default_device() -> device:
    """The device new tensors are created on: the CPU, or 'meta' when set so."""
    return device(default_type())


def set_default_device(device) -> None:
    """Sets the device new tensors are created on: the CPU or the meta device.

    Args:
        device: 'cpu', 'meta', a device or None (the CPU).
    """
    global _DEFAULT, meta_default_seen
    _DEFAULT = resolve_device(device if device is not None else "cpu").type
    meta_default_seen = meta_default_seen or _DEFAULT == "meta"


device.__module__ = "ferrograd"  # PyTorch's repr of the class: <class 'torch.device'>
