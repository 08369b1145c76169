"""PyTorch's refusals of `mvlgamma` that its own composition words: it builds an `arange`
in the input's dtype (none for a complex dtype: `"arange_cpu" not implemented`), and its
in-place and `out=` forms check the cast of the result (float for an integer input) into
the output with the input's and result's dtypes named the other way round."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name


def refuse_complex(input: Any, p: Any) -> None:
    if isinstance(input, Tensor) and input.dtype.is_complex and isinstance(p, int) and p >= 1:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{scalar_name(input.dtype)}'")


def refuse_output(input: Any, p: Any, out: Any) -> None:
    """PyTorch's error where the result of `mvlgamma(input, p)` cannot be written into `out`."""
    if not (isinstance(input, Tensor) and isinstance(out, Tensor)) or input.dtype == _core.bool:
        return
    refuse_complex(input, p)
    from ._tensor_api import can_cast  # imported late: it installs Tensor methods

    dtype = input.dtype
    result = dtype if dtype.is_floating_point else _core.get_default_dtype()
    if isinstance(p, int) and p >= 1 and not can_cast(result, out.dtype):
        raise RuntimeError(f"mvlgamma: result type {scalar_name(dtype)} can't be cast to the desired output type "
                           f"{scalar_name(result)}")


def mvlgamma_out(name: str, args, out, kwargs=None) -> None:
    """The `_out` precheck: `args` are (input, p)."""
    given = [*args, *(kwargs or {}).values()]
    if len(given) >= 2:
        refuse_output(given[0], given[1], out)
