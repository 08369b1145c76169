"""`ferrograd.serialization`: PyTorch's `torch.serialization` module: `save`, `load`,
and the allow-list of extra globals a `weights_only` load accepts."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import pickletools
from collections.abc import Callable, Iterator
from typing import Any

from . import _safe_globals
from ._serialization import load, save
from ._serialization_options import (
    LoadEndianness,
    get_crc32_options,
    get_default_load_endianness,
    get_default_mmap_options,
    set_crc32_options,
    set_default_load_endianness,
    set_default_mmap_options,
)

__all__ = [
    "LoadEndianness", "add_safe_globals", "clear_safe_globals", "get_crc32_options", "get_default_load_endianness",
    "get_default_mmap_options", "get_safe_globals", "get_unsafe_globals_in_checkpoint", "load", "safe_globals",
    "save", "set_crc32_options", "set_default_load_endianness", "set_default_mmap_options",
]

SafeGlobal = Callable | tuple[Callable, str]


def add_safe_globals(safe_globals: list[SafeGlobal]) -> None:
    """Lets `load(weights_only=True)` rebuild these globals too: objects (found by their
    `__module__` and `__qualname__`) or `(object, "module.name")` pairs.

    Args:
        safe_globals: a list of classes or functions, or of (object, name) pairs.
    """
    _safe_globals.entries().extend(safe_globals)


def get_safe_globals() -> list[SafeGlobal]:
    """The globals added by `add_safe_globals` (a copy)."""
    return list(_safe_globals.entries())


def clear_safe_globals() -> None:
    """Forgets every global added by `add_safe_globals`."""
    _safe_globals.replace([])


@contextlib.contextmanager
def safe_globals(safe_globals: list[SafeGlobal]) -> Iterator[None]:
    """Within the block, `load(weights_only=True)` also accepts these globals.

    Args:
        safe_globals: a list of classes or functions, or of (object, name) pairs.
    """
    before = get_safe_globals()
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _safe_globals.replace(before)


def get_unsafe_globals_in_checkpoint(f) -> list[str]:
    """The "module.name" globals in a checkpoint that a `weights_only` load would
    refuse, found by reading its pickle's opcodes (nothing is run).

    Args:
        f: a path or a binary file holding a checkpoint written by `save`/`torch.save`.
    """
    from ._torch_pickle import SafeUnpickler

    data = _pickle_bytes(f)
    probe = SafeUnpickler(io.BytesIO(b""), None)
    unsafe = []
    for full_name in _globals_named(data):
        module, _, name = full_name.rpartition(".")
        try:
            probe.find_class(module, name)
        except pickle.UnpicklingError:
            if full_name not in unsafe:
                unsafe.append(full_name)
    return unsafe


def _pickle_bytes(f) -> bytes:
    import zipfile

    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            raw = fh.read()
    else:
        raw = f.read()
    if not raw.startswith(b"PK"):
        return raw
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        name = next((n for n in zf.namelist() if n.endswith("data.pkl")), None)
        if name is None:
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        return zf.read(name)


def _globals_named(data: bytes) -> list[str]:
    """Every global a pickle names, by GLOBAL or by STACK_GLOBAL (whose two strings are
    the last ones pushed or fetched from the memo)."""
    found: list[str] = []
    strings: list[str] = []
    memo: dict[Any, str] = {}
    memoized = 0  # MEMOIZE's next index
    top_is_string = False  # whether the last opcode left a string on top of the stack
    for opcode, arg, _ in pickletools.genops(data):
        was_string, top_is_string = top_is_string, False
        if opcode.name == "GLOBAL" and isinstance(arg, str):
            module, name = arg.split(" ", 1)
            found.append(f"{module}.{name}")
        elif isinstance(arg, str) and "UNICODE" in opcode.name:
            strings.append(arg)
            top_is_string = True
        elif opcode.name in ("MEMOIZE", "BINPUT", "LONG_BINPUT", "PUT"):
            key = memoized if opcode.name == "MEMOIZE" else arg
            memoized += opcode.name == "MEMOIZE"
            if was_string:
                memo[key] = strings[-1]
            top_is_string = was_string
        elif opcode.name in ("BINGET", "LONG_BINGET", "GET") and arg in memo:
            strings.append(memo[arg])
            top_is_string = True
        elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
            found.append(f"{strings[-2]}.{strings[-1]}")
    return found
