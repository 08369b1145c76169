"""What PyTorch writes into the memory of `empty`-like results while deterministic
algorithms are on (and `utils.deterministic.fill_uninitialized_memory`, the default):
NaN for floating and complex dtypes, the largest value for integers, True for bool.
Otherwise such memory is unspecified (ferrograd's holds zeros)."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._toplevel_misc import _state as _DETERMINISM

FILL = [True]  # utils.deterministic.fill_uninitialized_memory


def fill_uninitialized(t: Tensor) -> Tensor:
    """`t`, filled as PyTorch fills fresh memory in deterministic mode."""
    if not (FILL[0] and _DETERMINISM["deterministic"]) or t.is_meta or t.numel() == 0:
        return t
    from ._grad_mode import no_grad

    if t.dtype.is_floating_point or t.dtype.is_complex:
        value: float | int | bool = float("nan")
    elif t.dtype == _core.bool:
        value = True
    else:
        from ._dtype_info import iinfo

        value = iinfo(t.dtype).max
    with no_grad():
        t.fill_(value)
    return t
