"""`mean(..., out=)` as PyTorch computes it: the overload with a `dim` sums the input
converted to `out`'s dtype and divides in place, so a complex input written into a real
floating `out` keeps its real part (with the cast warning) and an integral `out` refuses
the division's default dtype; the full-reduction overload refuses any cast it cannot make."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._python_dtypes import python_type_dtype
from ._tensor_api import can_cast
from ._user_warning import warn_complex_to_real


def mean_out_args(args: tuple, kwargs: dict, out) -> tuple:
    """The arguments `mean` computes with for `out`, or PyTorch's refusal."""
    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, Tensor) or not isinstance(out, Tensor) or python_type_dtype(kwargs.get("dtype")) is not None:
        return args
    if len(args) < 2 and "dim" not in kwargs:
        if not can_cast(x.dtype, out.dtype):
            raise RuntimeError(
                f"mean.dtype_out(): input types can't be cast to the desired output type {scalar_name(out.dtype)}")
        return args
    floating_input = x.dtype.is_floating_point or x.dtype.is_complex
    if floating_input and not (out.dtype.is_floating_point or out.dtype.is_complex):
        raise RuntimeError(f"result type {scalar_name(_core.get_default_dtype())} can't be cast to the desired "
                           f"output type {scalar_name(out.dtype)}")
    if x.dtype.is_complex and not out.dtype.is_complex and args:
        warn_complex_to_real()
        return (x.real.to(out.dtype), *args[1:])
    return args
