"""NumPy ufuncs on tensors, as PyTorch has them: a Tensor has no `__array_ufunc__`, so
NumPy computes on its values (`__array__`) and hands the result to `__array_wrap__`,
which makes it a Tensor sharing the result's memory (no graph: `np.exp(x)` of an `x`
that requires grad is `numpy()`'s RuntimeError). Bool results come back as uint8,
PyTorch's old workaround kept to this day.

A NumPy scalar left of an operator (`np.float64(2) ** x`) is then handed to the
tensor's reflected operator and read as a Python number there, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from ._core import Tensor


def _array_wrap(self: Tensor, array: Any, context: Any = None, return_scalar: bool = False) -> Tensor:
    # `context` and `return_scalar` are NumPy 2's additions; PyTorch's takes neither and
    # NumPy then calls it again without them (and a DeprecationWarning): same result.
    from ._interop import from_numpy

    if array.dtype == bool:
        array = array.astype("uint8")
    return from_numpy(array)


def _install() -> None:
    Tensor.__array_wrap__ = _array_wrap


_install()
