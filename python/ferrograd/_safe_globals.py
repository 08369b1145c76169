"""The user's additions to the globals a `weights_only` load accepts
(`serialization.add_safe_globals`): each entry is an object, or an `(object, name)` pair
where `name` is the "module.qualname" the file uses for it."""

from __future__ import annotations

from typing import Any

_added: list[Any] = []


def entries() -> list[Any]:
    return _added


def replace(new: list[Any]) -> None:
    _added[:] = new


def lookup(module: str, name: str) -> Any | None:
    """The allowed object the file names `module.name`, or None."""
    wanted = f"{module}.{name}"
    for entry in _added:
        if isinstance(entry, tuple):
            obj, full_name = entry
            if full_name == wanted:
                return obj
        elif f"{getattr(entry, '__module__', '')}.{getattr(entry, '__qualname__', '')}" == wanted:
            return entry
    return None
