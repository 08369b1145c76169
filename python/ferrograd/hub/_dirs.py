"""Where hub downloads go: `$TORCH_HOME/hub`, or the folder given to `set_dir`."""

from __future__ import annotations

import os
import warnings

_chosen: str | None = None


def torch_home() -> str:
    """`$TORCH_HOME`, else `$XDG_CACHE_HOME/torch`, else `~/.cache/torch` (shared with
    PyTorch, so checkpoints downloaded by either are found by both)."""
    cache = os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    return os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(cache, "torch")))


def get_dir() -> str:
    """The hub cache folder: the one given to `set_dir`, else `$TORCH_HOME/hub`."""
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if _chosen is not None:
        return _chosen
    return os.path.join(torch_home(), "hub")


def set_dir(d: str | os.PathLike[str]) -> None:
    """Makes `d` the hub cache folder.

    Args:
        d: the folder (`~` is expanded).
    """
    global _chosen
    _chosen = os.path.expanduser(d)
