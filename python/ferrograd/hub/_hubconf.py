"""Reading a repository's `hubconf.py`: its entry points and declared dependencies."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

HUBCONF = "hubconf.py"


@contextlib.contextmanager
def _on_path(folder: str) -> Iterator[None]:
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        sys.path.remove(folder)


def import_hubconf(folder: str) -> ModuleType:
    """Runs `folder/hubconf.py` as a module, with `folder` importable meanwhile."""
    with _on_path(folder):
        spec = importlib.util.spec_from_file_location(HUBCONF, os.path.join(folder, HUBCONF))
        if spec is None or spec.loader is None:
            raise AssertionError(f"failed to load spec from {os.path.join(folder, HUBCONF)}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def entry_points(module: ModuleType) -> list[str]:
    """The public callables a hubconf offers (names starting with `_` are helpers)."""
    return [name for name in dir(module) if callable(getattr(module, name)) and not name.startswith("_")]


def entry_point(module: ModuleType, model: Any) -> Any:
    """The callable named `model`, after checking the hubconf's `dependencies`."""
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")  # noqa: TRY004 (as PyTorch)
    needed = getattr(module, "dependencies", None)
    if needed is not None:
        missing = [name for name in needed if importlib.util.find_spec(name) is None]
        if missing:
            raise RuntimeError(f"Missing dependencies: {', '.join(missing)}")
    found = getattr(module, model, None)
    if found is None or not callable(found):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return found


def call_entry(folder: str, model: Any, *args: Any, **kwargs: Any) -> Any:
    """Imports the hubconf of `folder` and calls its entry point `model`."""
    with _on_path(folder):
        return entry_point(import_hubconf(folder), model)(*args, **kwargs)
