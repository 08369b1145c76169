"""`save` and `load`: pickle-based, for state dicts, tensors and containers of them.

The files are ferrograd's own (a pickle), not PyTorch's zip format.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any

__all__ = ["load", "save"]


def save(obj: Any, f, pickle_module=pickle, pickle_protocol: int = 2, **_kwargs: Any) -> None:
    """Writes `obj` (tensors, parameters, state dicts, ...) to a path or a binary file."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            pickle_module.dump(obj, fh, protocol=pickle_protocol)
    else:
        pickle_module.dump(obj, f, protocol=pickle_protocol)


def load(f, map_location=None, pickle_module=pickle, *, weights_only: bool | None = None, mmap=None,
         **_kwargs: Any) -> Any:
    """Reads what `save` wrote, from a path or a binary file."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return pickle_module.load(fh)
    if isinstance(f, (bytes, bytearray)):
        return pickle_module.load(io.BytesIO(f))
    return pickle_module.load(f)
