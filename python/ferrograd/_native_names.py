"""PyTorch's names for the functions of `torch.linalg`, `torch.special` and `torch.fft`:
they are builtins of the modules `torch._C._linalg`, `torch._C._special`, `torch._C._fft`
named after the namespace and the function (`torch.linalg.norm.__name__` is
'linalg_norm'), which handlers of `__torch_function__` and pickling see."""

from __future__ import annotations

import sys
import types
from typing import Any


def name_namespace(namespace: dict[str, Any], short: str) -> None:
    """Renames each function of a namespace's `__all__` (its module's globals) to
    `<short>_<name>` in module `ferrograd._C._<short>`, which then holds it under that name
    (so pickle finds it again)."""
    from . import _C
    from ._core import _GatedFunction

    home = types.ModuleType(f"ferrograd._C._{short}")
    for name in namespace["__all__"]:
        fn = namespace[name]
        if not isinstance(fn, (types.FunctionType, _GatedFunction)):
            continue
        fn.__name__ = fn.__qualname__ = f"{short}_{name}"
        fn.__module__ = home.__name__
        setattr(home, fn.__name__, fn)
    sys.modules[home.__name__] = home
    setattr(_C, f"_{short}", home)


def public_name(module: str, name: str) -> str | None:
    """`ferrograd.linalg.norm` for a function named 'linalg_norm' of `ferrograd._C._linalg`;
    None for a function of any other module."""
    if not module.startswith("ferrograd._C._"):
        return None
    short = module[len("ferrograd._C._"):]
    return f"ferrograd.{short}.{name.removeprefix(short + '_')}"


def shown_name(module: str, name: str) -> str | None:
    """'ferrograd.linalg.linalg_norm', as PyTorch's dispatch errors name `torch.linalg.norm`;
    None for a function of any other module."""
    if not module.startswith("ferrograd._C._"):
        return None
    return f"ferrograd.{module[len('ferrograd._C._'):]}.{name}"
