"""How FX names things: a function's qualified name (`ferrograd.relu`, `operator.add`), a
target's printed form, and the namespace that gives each node a unique Python name."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
from typing import Any

_ILLEGAL_CHARS = re.compile("[^0-9a-zA-Z_]+")
_NAME_AND_NUMBER = re.compile(r"^([a-zA-Z_][0-9a-zA-Z_]*?)(?:_(\d+))?$")
_snake_case_sub = functools.partial(re.compile(r"(?<=[a-z])([A-Z])").sub, r"_\1")
# names a generated variable must not shadow (PyTorch's list: keywords, builtins and the
# globals every generated module has)
_ILLEGAL_NAMES: dict[str, object] = {k: object() for k in keyword.kwlist}
_ILLEGAL_NAMES.update(builtins.__dict__)
_PUBLIC_NAMESPACES = ("ferrograd", "ferrograd.nn.functional", "ferrograd.linalg", "ferrograd.fft", "ferrograd.special")


def snake_case(name: str) -> str:
    return _snake_case_sub(name).lower()


def _public_module(func: Any) -> str | None:
    """The public ferrograd namespace that holds `func` under its own name, if any."""
    import importlib

    name = getattr(func, "__name__", None)
    if name is None:
        return None
    for module_name in _PUBLIC_NAMESPACES:
        public = getattr(importlib.import_module(module_name), name, None)
        # a public function may have been wrapped again since `func` was taken from it
        while public is not None:
            if public is func:
                return module_name
            public = getattr(public, "__wrapped__", None)
    return None


def is_from_ferrograd(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == "ferrograd" or module.startswith("ferrograd.") or _public_module(obj) is not None


def qualified_name(func: Any) -> str:
    """PyTorch's `_get_qualified_name`: `getattr`, `ferrograd.Tensor.add`, `ferrograd.relu`,
    `ferrograd.nn.functional.relu`, else `module.name`."""
    from .. import Tensor

    name = func.__name__
    if getattr(builtins, name, None) is func:
        return name
    if getattr(Tensor, name, None) is func:
        return f"ferrograd.Tensor.{name}"
    if name == "<lambda>":
        import inspect

        try:
            name = inspect.getsource(func).split("=")[0].strip()
        except Exception as e:
            raise RuntimeError("Unable to represent lambda") from e
    module = _public_module(func) or func.__module__
    return f"{module}.{name}"


def pretty_target(target: Any) -> str:
    """A node's target as `str(graph)` prints it."""
    if isinstance(target, str):
        return target
    module = getattr(target, "__module__", None)
    if module == "builtins":
        return f"builtins.{target.__name__}"
    if module == "_operator":
        return f"operator.{target.__name__}"
    return qualified_name(target)


class Namespace:
    """Unique names: each object gets one name; names do not repeat nor shadow builtins."""

    def __init__(self) -> None:
        self._obj_to_name: dict[Any, str] = {}
        self._used_names: set[str] = set()
        self._base_count: dict[str, int] = {}

    def create_name(self, candidate: str, obj: Any | None) -> str:
        if obj is not None and obj in self._obj_to_name:
            return self._obj_to_name[obj]
        match = _NAME_AND_NUMBER.match(candidate)
        if match is None:
            candidate = _ILLEGAL_CHARS.sub("_", candidate) or "_unnamed"
            if candidate[0].isdigit():
                candidate = f"_{candidate}"
            match = _NAME_AND_NUMBER.match(candidate)
            assert match is not None
        base, num_text = match.group(1, 2)
        if num_text is None or candidate in self._used_names:
            num = self._base_count.get(base, 0)
            if _ILLEGAL_NAMES.get(candidate, obj) is not obj:
                num += 1
                candidate = f"{base}_{num}"
        else:
            num = int(num_text)
        while candidate in self._used_names:
            num += 1
            candidate = f"{base}_{num}"
        self._used_names.add(candidate)
        self._base_count[base] = num
        if obj is not None:
            self._obj_to_name[obj] = candidate
        return candidate
