"""`utils.deterministic` (PyTorch's `torch.utils.deterministic`): whether `empty`-like
results are filled (NaN, or the largest integer) while deterministic algorithms are on."""

from __future__ import annotations

import sys
import types

from .._uninitialized import FILL


class _DeterministicModule(types.ModuleType):
    @property
    def fill_uninitialized_memory(self) -> bool:
        """Whether uninitialized memory is filled with a known value in deterministic
        mode (default True)."""
        return FILL[0]

    @fill_uninitialized_memory.setter
    def fill_uninitialized_memory(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise RuntimeError(f"expected a bool, but got {type(mode).__name__}")  # noqa: TRY004 (PyTorch's type)
        FILL[0] = mode


sys.modules[__name__].__class__ = _DeterministicModule
