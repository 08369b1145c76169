"""`functionalize` and `replace_all_batch_norm_modules_` (PyTorch's `torch.func`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def functionalize(func: Callable, *, remove: str = "mutations") -> Callable:
    """`func` as a function without observable mutations of intermediates. ferrograd
    runs eagerly, so the result computes exactly what `func` computes (its in-place
    writes into its inputs included, as PyTorch's functionalized functions keep).

    Args:
        func: the function.
        remove: "mutations" or "mutations_and_views" (validated, as in PyTorch).
    """
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(
            f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}."
        )

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def replace_all_batch_norm_modules_(root: Any) -> Any:
    """Makes every batch norm in `root` stop tracking running statistics (their running
    buffers become None), in place, so that it batches under `vmap`; returns `root`.

    Args:
        root: the module to update, itself and all its submodules.
    """
    from ..nn.modules.normalization import BatchNorm1d

    for module in root.modules():
        if isinstance(module, BatchNorm1d) and module.track_running_stats:
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root


def debug_unwrap(tensor: Any, *, recurse: bool = True) -> Any:
    """The plain tensor inside a transform's wrapper: transforms here do not wrap
    tensors, so `tensor` itself.

    Args:
        tensor: the tensor.
        recurse: accepted for PyTorch compatibility (unwrap every level).
    """
    del recurse
    return tensor
