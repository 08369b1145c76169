"""Methods of plain (CPU) tensors that check their arguments for meta tensors once
`_meta` is loaded: `cpu.add(meta)` raises PyTorch's device error, `cpu[0] = meta` its
"no data" error, where the method would otherwise run on the meta tensor's stand-in
zeros. Binary operators need no check: Python tries MetaTensor's reflected operator
first. (The location an in-place op records is the user's line, not this wrapper's:
the core skips the package's frames.)
"""

from __future__ import annotations

import functools
from typing import Any

from ._core import Tensor
from ._subclass_dispatch import _disabled

# The two-tensor methods; the list grew from what `tools/sweep_layouts.py meta` found.
_GUARDED = (
    "add", "sub", "mul", "div", "matmul", "mm", "bmm", "dot", "copy_", "where", "masked_fill", "index_select",
    "gather", "scatter", "addcmul", "addmm", "allclose", "arctan2", "atan2", "cholesky_solve", "clamp",
    "clamp_max", "clamp_min", "clip", "copysign", "cross", "diagonal_scatter", "dist", "divide", "eq", "equal",
    "float_power", "floor_divide", "fmax", "fmin", "fmod", "ge", "greater", "greater_equal", "gt", "heaviside",
    "hypot", "igamma", "igammac", "is_set_to", "isclose", "ldexp", "le", "lerp", "less", "less_equal",
    "logaddexp", "logaddexp2", "logical_and", "logical_or", "logical_xor", "lt", "max", "maximum", "min",
    "minimum", "multiply", "ne", "nextafter", "not_equal", "pow", "remainder", "slice_scatter", "subtract",
    "triangular_solve", "true_divide", "xlogy", "__setitem__",
    "addcmul_", "addmm_", "arctan2_", "atan2_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "copysign_",
    "eq_", "fmod_", "ge_", "greater_", "greater_equal_", "gt_", "heaviside_", "hypot_", "igamma_", "igammac_",
    "ldexp_", "le_", "lerp_", "less_", "less_equal_", "lt_", "ne_", "nextafter_", "not_equal_", "pow_",
    "xlogy_", "masked_fill_", "index_add_", "index_copy_", "index_fill_", "masked_scatter_", "scatter_",
    "scatter_add_", "put_", "index_put_",
)
# In-place arithmetic PyTorch runs with its meta kernel when the operand is a meta
# tensor: the shapes are checked and nothing is written (the tensor comes back as it was).
_UNWRITTEN = frozenset({"mul_", "multiply_", "div_", "divide_", "true_divide_", "logical_and_", "logical_or_",
                        "logical_xor_", "add_", "sub_", "subtract_"})


def _holds(meta_class: type, args: tuple, kwargs: dict) -> bool:
    return any(isinstance(v, meta_class) for v in args) or any(isinstance(v, meta_class) for v in kwargs.values())


def _guarded(name: str, method: Any, meta_class: type, meta_function: Any) -> Any:
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if not _holds(meta_class, args, kwargs) or _disabled():
            return method(self, *args, **kwargs)
        if name in _UNWRITTEN and len(args) == 1 and isinstance(args[0], meta_class) \
                and not isinstance(self, meta_class):
            _check_broadcast_into(self, args[0])
            return self
        return meta_function(meta_class, method, (meta_class,), (self, *args), kwargs)

    return call


def _check_broadcast_into(self: Tensor, other: Tensor) -> None:
    from ._tensor_api import broadcast_shapes

    shape = tuple(broadcast_shapes(self.shape, other.shape))
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {self.shape} doesn't match the broadcast shape {shape}")


def guard_plain_methods(meta_class: type, meta_function: Any) -> None:
    for name in (*_GUARDED, *_UNWRITTEN):
        method = vars(Tensor).get(name)
        if method is not None:
            setattr(Tensor, name, _guarded(name, method, meta_class, meta_function))
