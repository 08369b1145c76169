"""Docstrings for Tensor methods that are thin forms of top-level functions.

`t.gather(dim, index)` is `ferrograd.gather(t, dim, index)`: where such a method was
attached without a docstring of its own, it gets the function's, so `help()` shows the
arguments. Runs once, at the end of `import ferrograd`.
"""

from __future__ import annotations

import inspect
import types
from typing import Any


def fill(tensor_class: type, namespace: dict[str, Any]) -> None:
    """Gives each undocumented Python method of `tensor_class` the docstring of the
    top-level function it mirrors (`name`, or `name` less its trailing `_` for the
    in-place form) found in `namespace`."""
    for name, method in list(vars(tensor_class).items()):
        if name.startswith("_") or not isinstance(method, types.FunctionType) or method.__doc__:
            continue
        inplace = name.endswith("_")
        base = name[:-1] if inplace else name
        function = namespace.get(base)
        if not isinstance(function, types.FunctionType) or not function.__doc__:
            continue
        how = "in place, " if inplace else ""
        summary = f"`ferrograd.{base}` with this tensor as its first argument, {how}as a method."
        method.__doc__ = summary + "\n\n" + inspect.cleandoc(function.__doc__)
