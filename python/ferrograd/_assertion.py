"""`ferrograd._assert`: PyTorch's traceable `assert` (a Proxy records it as a node)."""

from __future__ import annotations

from typing import Any


def _assert(condition: Any, message: str) -> None:
    """`assert condition, message`, which `__torch_function__` (fx tracing) can take over."""
    from ._core import Tensor
    from .overrides import handle_torch_function, has_torch_function

    if type(condition) is not Tensor and has_torch_function((condition,)):
        return handle_torch_function(_assert, (condition,), condition, message)
    assert condition, message
    return None
