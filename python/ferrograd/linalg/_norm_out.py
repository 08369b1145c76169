"""The dtype check PyTorch's `linalg.norm` and `linalg.matrix_norm` make of `out`:
its message names the function ("linalg.norm expected out tensor dtype Float but got:
Double"), unlike the generic one of the other `out=` forms."""

from __future__ import annotations

from .._core import Tensor
from .._dtype_names import scalar_name


def _norm_dtype(args: tuple, kwargs: dict):
    """The dtype of the norm: `dtype` when given, else the input's real dtype."""
    if kwargs.get("dtype") is not None:
        return kwargs["dtype"]
    source = args[0] if args else next((v for v in kwargs.values() if isinstance(v, Tensor)), None)
    if not isinstance(source, Tensor):
        return None
    return source.dtype.to_real() if source.dtype.is_complex else source.dtype


def check_out_dtype(label: str, args: tuple, kwargs: dict, out) -> None:
    expected = _norm_dtype(args, kwargs)
    if isinstance(out, Tensor) and expected is not None and expected.is_floating_point and out.dtype != expected:
        raise RuntimeError(f"{label} expected out tensor dtype {scalar_name(expected)} but got: {scalar_name(out.dtype)}")
