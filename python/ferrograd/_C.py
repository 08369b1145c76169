# ruff: noqa: N999  (PyTorch names this module `torch._C`)
"""The few names PyTorch code reaches under `torch._C` that ferrograd has."""

from ._core import LinAlgError as _LinAlgError
from ._subclass_dispatch import _disabled_torch_function_impl

__all__ = ["_LinAlgError", "_disabled_torch_function_impl"]
