"""Top-level functions whose first argument PyTorch only takes as a Tensor: a number,
list or None there gets PyTorch's TypeError (naming the function and argument) instead of
the AttributeError the forwarding `input.method(...)` would raise."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import _tensor_likes as tensor_likes
from ._argcheck import type_name
from ._core import Tensor
from ._subclass_dispatch import GATED_CODES, LIVE, MISS, gate

# name -> PyTorch's name for the first argument
_FIRST_ARG = {
    "binomial": "count",
    "embedding": "weight",
    "vander": "x",
    "where": "condition",
    "trapezoid": "y",
    "trapz": "y",
}
_NAMES = (
    "abs", "adaptive_avg_pool1d", "adaptive_max_pool1d", "adjoint", "all", "amax", "amin", "angle",
    "any", "avg_pool1d", "bernoulli", "binary_cross_entropy_with_logits", "bincount", "binomial",
    "bitwise_not", "bmm", "broadcast_to", "celu", "clamp", "clip", "corrcoef", "cos", "cov",
    "cross", "diagflat", "dot", "dsplit", "embedding", "eq", "exp", "flatten", "fliplr", "flipud",
    "gcd_", "ge", "geqrf", "group_norm", "gt", "hardshrink", "hinge_embedding_loss", "histc",
    "hsplit", "i0_", "is_floating_point", "isnan", "lcm_", "ldexp_", "le", "log", "logcumsumexp",
    "logical_and", "logical_not", "logical_or", "logical_xor", "logit_", "lt", "lu", "matmul",
    "matrix_exp", "matrix_power", "max_pool1d", "max_pool1d_with_indices", "max_pool3d", "maximum",
    "mean", "minimum", "mm", "multinomial", "mv", "native_channel_shuffle", "ne", "neg", "negative",
    "numel", "pdist", "permute", "pinverse", "pixel_shuffle", "pixel_unshuffle", "poisson", "prod",
    "reciprocal", "relu", "reshape", "rms_norm", "rrelu", "searchsorted", "selu", "sigmoid", "sign",
    "sin", "sinc_", "split_copy", "split_with_sizes_copy", "sqrt", "square", "squeeze", "sum", "t",
    "take_along_dim", "tanh", "tensor_split", "trapezoid", "trapz", "trunc", "unbind_copy",
    "unique", "unsqueeze", "vander", "vsplit", "where",
    # these forward to a method a NumPy array has too, which would answer for them
    "transpose", "swapaxes", "swapdims", "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout",
    "feature_alpha_dropout_", "feature_dropout", "feature_dropout_",
)


def _checked(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    arg = _FIRST_ARG.get(name, "input")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if LIVE[0]:
            result = gate(wrapper, args, kwargs)
            if result is not MISS:
                return result
        first = args[0] if args else kwargs.get(arg, kwargs.get("input"))
        if (args or arg in kwargs or "input" in kwargs) and not isinstance(first, Tensor):
            from ._parser_check import parser_error

            # PyTorch's parser lists the overloads when several take that many arguments, or
            # counts them; its naming of one argument is this one's
            error = parser_error(name, args, kwargs)
            if error is None or " must be " in str(error):
                error = TypeError(f"{name}(): argument '{arg}' (position 1) must be Tensor, not {type_name(first)}")
            return tensor_likes.after_failure(error, wrapper, args, kwargs)
        return fn(*args, **kwargs)

    GATED_CODES.add(wrapper.__code__)
    return wrapper


# functions whose second argument is a sequence of ints: a lone int (or a tensor) there is
# PyTorch's TypeError at top level, unlike the methods' varargs (`x.reshape(6)`)
_SIZES_SECOND = {
    "reshape": "shape",
    "permute": "dims",
    "permute_copy": "dims",
    "tile": "dims",
    "broadcast_to": "size",
    "expand_copy": "size",
    "view_copy": "size",
}


def _sizes_checked(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    arg = _SIZES_SECOND[name]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > 2:
            raise TypeError(f"{name}() takes 2 positional arguments but {len(args)} were given")
        sizes = args[1] if len(args) == 2 else kwargs.get(arg)
        if isinstance(sizes, (int, Tensor)):
            raise TypeError(
                f"{name}(): argument '{arg}' (position 2) must be tuple of ints, not {type_name(sizes)}"
            )
        return fn(*args, **kwargs)

    return wrapper


def install(namespace: dict[str, Any]) -> None:
    for name in _NAMES:
        fn = namespace.get(name)
        if fn is not None and not isinstance(fn, type):
            namespace[name] = _checked(name, fn)
    for name in _SIZES_SECOND:
        fn = namespace.get(name)
        if fn is not None and not isinstance(fn, type):
            namespace[name] = _sizes_checked(name, fn)
