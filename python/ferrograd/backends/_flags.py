"""Temporarily set module-level flags (the `flags(...)` context managers)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def override(module: ModuleType, **settings: object) -> Iterator[None]:
    previous = {name: getattr(module, name) for name in settings}
    for name, value in settings.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in previous.items():
            setattr(module, name, value)
