"""PyTorch's NumPy-style keyword aliases: its argument parser accepts `x`, `a` or `x1`
for a parameter named `input`, `x2` for `other`, `axis` for `dim` and `keepdims` for
`keepdim` (as in `torch.special.expit(x=t)` or `torch.special.logsumexp(t, axis=0)`)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

_ALIASES = {
    "input": ("x", "a", "x1"),
    "other": ("x2",),
    "dim": ("axis",),
    "keepdim": ("keepdims",),
}


def accept_numpy_aliases(fn: Callable) -> Callable:
    """`fn` that also takes the aliases of those of its parameters that have one (a
    keyword given twice, by name and alias, stays an unexpected keyword)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn
    renames = {
        alias: name for name, aliases in _ALIASES.items() if name in params for alias in aliases
        if alias not in params
    }
    if not renames:
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for alias, name in renames.items():
            if alias in kwargs and name not in kwargs:
                kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return wrapper


def install(namespace: dict, names: list[str]) -> None:
    """Replaces each named function of `namespace` with its alias-accepting form."""
    for name in names:
        namespace[name] = accept_numpy_aliases(namespace[name])
