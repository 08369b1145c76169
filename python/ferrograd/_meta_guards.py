"""Methods of plain (CPU) tensors that check their arguments for meta tensors once
`_meta` is loaded: `cpu.where(mask, meta)` raises PyTorch's device error where the
method would otherwise run on the meta tensor's stand-in zeros. The methods of the core
need no guard: they hand a call with a meta tensor argument to `MetaTensor`'s
`__torch_function__` themselves (`src/python/torch_function.rs`), and so do the binary
operators, where Python tries MetaTensor's reflected operator first. (The location an
in-place op records is the user's line, not this wrapper's: the core skips the
package's frames.)
"""

from __future__ import annotations

import functools
from typing import Any

from ._core import Tensor
from ._subclass_dispatch import _disabled

# The two-tensor methods written in Python; the list grew from what
# `tools/sweep_layouts.py meta` found.
_GUARDED = (
    "mm", "bmm", "dot", "where", "masked_fill", "index_select", "gather", "scatter", "addcmul", "addmm",
    "allclose", "arctan2", "atan2", "cholesky_solve", "clamp_max", "clamp_min", "copysign", "cross",
    "diagonal_scatter", "dist", "equal", "float_power", "fmax", "fmin", "fmod", "heaviside", "hypot", "igamma",
    "igammac", "is_set_to", "isclose", "ldexp", "lerp", "logaddexp", "logaddexp2", "max", "min", "nextafter",
    "pow", "slice_scatter", "triangular_solve", "xlogy",
    "addcmul_", "addmm_", "arctan2_", "atan2_", "clamp_max_", "clamp_min_", "copysign_", "eq_", "fmod_", "ge_",
    "greater_", "greater_equal_", "gt_", "heaviside_", "hypot_", "igamma_", "igammac_", "ldexp_", "le_", "lerp_",
    "less_", "less_equal_", "lt_", "ne_", "nextafter_", "not_equal_", "pow_", "xlogy_", "masked_fill_",
    "index_add_", "index_copy_", "index_fill_", "masked_scatter_", "scatter_", "scatter_add_", "put_",
    "index_put_", "true_divide_", "logical_and_", "logical_or_", "logical_xor_",
)


def _holds(meta_class: type, args: tuple, kwargs: dict) -> bool:
    return any(isinstance(v, meta_class) for v in args) or any(isinstance(v, meta_class) for v in kwargs.values())


def _guarded(method: Any, meta_class: type, meta_function: Any) -> Any:
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if not _holds(meta_class, args, kwargs) or _disabled():
            return method(self, *args, **kwargs)
        return meta_function(meta_class, method, (meta_class,), (self, *args), kwargs)

    return call


def guard_plain_methods(meta_class: type, meta_function: Any) -> None:
    for name in _GUARDED:
        method = vars(Tensor).get(name)
        if method is not None:
            setattr(Tensor, name, _guarded(method, meta_class, meta_function))
