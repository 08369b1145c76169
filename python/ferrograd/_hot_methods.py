"""The ops too hot for a Python wrapper's frame, and the native guard that gives the
core's own hot methods PyTorch's parser errors instead.

`_argument_types` wraps the functions and Tensor methods PyTorch binds in C so that a
failing call whose arguments PyTorch's parser refuses raises its TypeError; the ops
listed here are left unwrapped. Those of them that are core methods get
`_core._guard_core_methods` instead: a native trampoline that hands only a failed call
to `_argument_types.core_method_failed`. It runs first thing at import, so that the
facade's own wrappers around these methods (`axis=` names, dim overloads) call the
guarded ones.
"""

from __future__ import annotations

from ._core import Tensor, _guard_core_methods
from ._torch_signature_names import NAMES as _SIGNATURE_NAMES

# ops too hot for the extra frame of a wrapper (their bindings check types as they
# extract arguments), and cheap accessors whose failures are not type errors
UNGUARDED: frozenset[str] = frozenset({
    "add", "sub", "mul", "div", "true_divide", "subtract", "multiply", "divide", "matmul", "mm",
    "bmm", "sum", "mean", "reshape", "view", "backward", "tanh", "relu", "sigmoid", "exp", "log",
    "neg", "pow", "t", "transpose", "unsqueeze", "squeeze", "expand", "contiguous", "detach",
    "item", "size", "dim", "numel", "to", "clone", "zero_", "fill_", "copy_", "requires_grad_",
    "add_", "sub_", "mul_", "div_", "addmm", "abs", "square", "sqrt", "tensor", "stride",
    "storage_offset", "is_contiguous", "data_ptr", "element_size", "tolist", "numpy", "type",
    "is_floating_point", "is_complex", "get_device", "ndimension", "nelement", "dim_order",
    "retain_grad", "register_hook", "is_leaf", "detach_", "view_as", "expand_as", "reshape_as",
    "type_as", "is_same_size", "is_set_to", "is_nonzero", "is_signed", "is_inference",
    "cat", "stack", "where", "zeros", "ones", "empty", "full", "arange", "randn", "rand",
    "zeros_like", "ones_like", "empty_like", "softmax", "log_softmax", "linear",
})

# top-level and nn.functional functions too hot for a wrapper's frame
HOT_FUNCTIONS: frozenset[str] = frozenset({
    "add", "sub", "mul", "div", "true_divide", "matmul", "mm", "bmm", "sum", "mean", "reshape",
    "view", "cat", "stack", "zeros", "ones", "empty", "full", "arange", "randn", "rand", "tensor",
    "zeros_like", "ones_like", "empty_like", "where", "linear", "relu", "tanh", "sigmoid",
    "softmax", "log_softmax", "exp", "log", "clamp", "clip", "maximum", "minimum", "max", "min",
    "abs", "sqrt", "pow",
})

# methods as common in a model's forward or an optimizer's step (the top-level functions of
# these names are guarded)
UNGUARDED_METHODS: frozenset[str] = frozenset({
    "permute", "flatten", "argmax", "lt", "le", "gt", "ge", "eq", "ne", "masked_fill", "gather",
    "index_select", "select", "narrow", "split", "chunk", "addcmul_", "addcdiv_", "lerp_",
    "sqrt_", "new_zeros", "new_ones", "new_empty", "new_full", "clamp", "clamp_", "clip", "clip_",
    "max", "min", "amax", "amin", "maximum", "minimum", "any", "all", "cumsum",
    "topk", "sort", "repeat", "addcmul", "lerp", "masked_fill_", "index_add_", "scatter_",
    "scatter_add_", "abs_", "exp_", "log_", "sign", "floor", "ceil", "round", "sin", "cos", "log1p",
    "rsqrt", "reciprocal",
    "set_",  # parses its own overloads, with PyTorch's error (_tensor_set)
})


# core methods whose refusals are PyTorch's already, where the signatures read from its
# stubs name an argument otherwise (`requires_grad_(mode=)` is `requires_grad` in its errors)
_OWN_WORDS = frozenset({"requires_grad_"})


def guard_core_methods(names) -> int:
    """Guards those of the Tensor methods `names` that are hot core methods (an alias
    such as `divide`, the `div` method under another name, is guarded as itself, for
    the parser's errors to name it); returns how many it guarded."""
    native = type(vars(Tensor)["select"])
    chosen = [(name, "Tensor." + name) for name in names
              if type(vars(Tensor).get(name)) is native and (name in UNGUARDED or name in UNGUARDED_METHODS)
              and "Tensor." + name in _SIGNATURE_NAMES and name not in _OWN_WORDS]
    return _guard_core_methods(Tensor, chosen)


GUARDED_COUNT = guard_core_methods(list(vars(Tensor)))
