"""`from_file`: a CPU tensor over a memory-mapped file (PyTorch's `torch.from_file`)."""

from __future__ import annotations

import builtins
import os

from . import _core
from ._core import Tensor

__all__ = ["from_file"]


def from_file(filename: str, shared: builtins.bool | None = None, size: builtins.int = 0, *, dtype=None,
              layout=None, device=None, pin_memory: builtins.bool = False,
              requires_grad: builtins.bool = False) -> Tensor:
    """A 1-D tensor of `size` elements whose memory is the file `filename`, mapped.

    Args:
        filename: the file to map.
        shared: True maps it shared (writes to the tensor reach the file, which is
            created or grown as needed); False or None maps it privately (writes stay
            in the tensor).
        size: the number of elements.
        dtype: the element type; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored (no accelerator).
        requires_grad: whether autograd records operations on the result.
    """
    import numpy as np

    from ._creation import from_numpy, tensor
    from ._device import check_device

    check_device(device)
    dtype = _core.get_default_dtype() if dtype is None else dtype
    nbytes = size * dtype.itemsize
    if nbytes < 0:
        raise RuntimeError(f"unable to mmap {nbytes} bytes from file <{filename}>: Cannot allocate memory (12)")
    if shared:
        if not os.path.exists(filename) or os.path.getsize(filename) < nbytes:
            with open(filename, "ab") as f:
                f.truncate(nbytes)
    elif not os.path.exists(filename):
        raise RuntimeError(f"unable to open file <{filename}> in read-only mode: No such file or directory (2)")
    have = os.path.getsize(filename)
    if have < nbytes:
        raise RuntimeError(f"file <{filename}> size <{have}> is smaller than the required mapping size <{nbytes}>")
    if size == 0:
        result = tensor([], dtype=dtype)
    else:
        raw = np.memmap(filename, dtype=np.uint8, mode="r+" if shared else "c", shape=(nbytes,))
        result = from_numpy(raw).view(dtype)
    return result.requires_grad_() if requires_grad else result
