"""Function forms that go straight to their Tensor method: `ferrograd.cos(x)` is
`x.cos()`, as in PyTorch, where both are one native op. A function's own path runs
through several wrappers (argument-type errors, `out=`, NumPy keywords, dispatch), each
a Python call; a call with a plain tensor first, positional arguments (tensors, numbers, strings,
tuples, dtypes) and the keywords the method takes alike, and nothing to dispatch to,
needs none of them. Such a function is a native `_core._GatedFunction` that checks the
call and runs the method without a Python frame of its own. Should the method refuse
the call, the function's own path runs it again and raises what PyTorch's function raises.

The names, and how many positional arguments each takes this way, were found by
`tools/function_method_pairs.py`: over a pool of arguments, the function and the method
give the same result (value, dtype, shape, strides, grad_fn, warnings) wherever the
method accepts the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _tensor_likes as tensor_likes
from ._core import Tensor
from ._subclass_dispatch import gated_function

# name -> (most positional arguments, the tensor included, and the keywords the method
# takes as the function does)
TOP_LEVEL: dict[str, tuple[int, str]] = {
    "abs": (1, ""), "abs_": (1, ""), "absolute": (1, ""), "acos": (1, ""), "acos_": (1, ""), "acosh": (1, ""),
    "acosh_": (1, ""), "add": (2, "alpha"), "addcdiv": (3, ""), "addcmul": (3, ""), "addr": (3, ""),
    "adjoint": (1, ""), "all": (3, "dim keepdim"), "allclose": (3, ""), "amax": (3, "dim keepdim"),
    "amin": (3, "dim keepdim"), "aminmax": (1, "dim keepdim"), "angle": (1, ""), "any": (3, "dim keepdim"),
    "arccos": (1, ""), "arccos_": (1, ""), "arccosh": (1, ""), "arccosh_": (1, ""), "arcsin": (1, ""),
    "arcsin_": (1, ""), "arcsinh": (1, ""), "arcsinh_": (1, ""), "arctan": (1, ""), "arctan2": (2, ""),
    "arctan_": (1, ""), "arctanh": (1, ""), "arctanh_": (1, ""), "argmax": (3, "dim keepdim"),
    "argmin": (3, "dim keepdim"), "argsort": (3, "dim"), "argwhere": (1, ""), "as_strided": (3, ""),
    "as_strided_": (3, ""), "asin": (1, ""), "asin_": (1, ""), "asinh": (1, ""), "asinh_": (1, ""), "atan": (1, ""),
    "atan2": (2, ""), "atan_": (1, ""), "atanh": (1, ""), "atanh_": (1, ""), "bincount": (2, ""),
    "bitwise_and": (2, ""), "bitwise_left_shift": (2, ""), "bitwise_not": (1, ""), "bitwise_or": (2, ""),
    "bitwise_right_shift": (2, ""), "bitwise_xor": (2, ""), "broadcast_to": (1, ""), "ceil": (1, ""),
    "ceil_": (1, ""), "cholesky_inverse": (2, ""), "cholesky_solve": (3, ""), "chunk": (2, "dim"), "clamp": (3, ""),
    "clamp_": (3, ""), "clamp_max": (2, ""), "clamp_max_": (2, ""), "clamp_min": (2, ""), "clamp_min_": (2, ""),
    "clip": (3, ""), "clip_": (3, ""), "clone": (1, ""), "conj": (1, ""), "conj_physical": (1, ""),
    "conj_physical_": (1, ""), "copysign": (2, ""), "corrcoef": (1, ""), "cos": (1, ""), "cos_": (1, ""),
    "cosh": (1, ""), "cosh_": (1, ""), "count_nonzero": (2, "dim"), "cov": (1, ""), "cummax": (2, "dim"),
    "cummin": (2, "dim"), "cumprod": (2, "dim dtype"), "cumsum": (2, "dim dtype"), "deg2rad": (1, ""),
    "deg2rad_": (1, ""), "dequantize": (1, ""), "det": (1, ""), "detach": (1, ""), "detach_": (1, ""),
    "diag": (2, ""), "diag_embed": (2, ""), "diagflat": (2, ""), "diagonal": (2, ""), "diagonal_scatter": (2, ""),
    "diff": (2, ""), "digamma": (1, ""), "dist": (3, ""), "div": (2, ""), "divide": (2, ""), "dot": (2, ""),
    "eq": (2, ""), "equal": (2, ""), "erf": (1, ""), "erf_": (1, ""), "erfc": (1, ""), "erfc_": (1, ""),
    "erfinv": (1, ""), "exp": (1, ""), "exp2": (1, ""), "exp2_": (1, ""), "exp_": (1, ""), "expm1": (1, ""),
    "expm1_": (1, ""), "fill_": (2, ""), "fix": (1, ""), "fix_": (1, ""), "flatten": (2, ""), "fliplr": (1, ""),
    "flipud": (1, ""), "float_power": (2, ""), "floor": (1, ""), "floor_": (1, ""), "floor_divide": (2, ""),
    "fmax": (2, ""), "fmin": (2, ""), "fmod": (2, ""), "frac": (1, ""), "frac_": (1, ""), "frexp": (1, ""),
    "gather": (3, ""), "gcd": (2, ""), "gcd_": (2, ""), "ge": (2, ""), "geqrf": (1, ""), "get_device": (1, ""),
    "greater": (2, ""), "greater_equal": (2, ""), "gt": (2, ""), "hardshrink": (2, ""),
    "hash_tensor": (2, "dim keepdim"), "heaviside": (2, ""), "histc": (2, ""), "histogram": (2, ""),
    "hsplit": (2, ""), "hypot": (2, ""), "i0": (1, ""), "i0_": (1, ""), "igamma": (2, ""), "igammac": (2, ""),
    "index_select": (3, ""), "inner": (2, ""), "inverse": (1, ""), "is_complex": (1, ""), "is_conj": (1, ""),
    "is_floating_point": (1, ""), "is_inference": (1, ""), "is_neg": (1, ""), "is_nonzero": (1, ""),
    "is_same_size": (2, ""), "is_signed": (1, ""), "isclose": (3, ""), "isfinite": (1, ""), "isinf": (1, ""),
    "isnan": (1, ""), "isneginf": (1, ""), "isposinf": (1, ""), "isreal": (1, ""), "kron": (2, ""),
    "kthvalue": (2, "dim keepdim"), "lcm": (2, ""), "lcm_": (2, ""), "ldexp": (2, ""), "ldexp_": (2, ""),
    "le": (2, ""), "lerp": (3, ""), "less": (2, ""), "less_equal": (2, ""), "lgamma": (1, ""), "log": (1, ""),
    "log10": (1, ""), "log10_": (1, ""), "log1p": (1, ""), "log1p_": (1, ""), "log2": (1, ""), "log2_": (1, ""),
    "log_": (1, ""), "log_softmax": (2, "dim dtype"), "logaddexp": (2, ""), "logaddexp2": (2, ""),
    "logcumsumexp": (2, "dim"), "logdet": (1, ""), "logical_and": (2, ""), "logical_not": (1, ""),
    "logical_or": (2, ""), "logical_xor": (2, ""), "logit": (2, ""), "logit_": (2, ""),
    "logsumexp": (3, "dim keepdim"), "lt": (2, ""), "masked_fill": (3, ""), "masked_scatter": (3, ""),
    "masked_select": (2, ""), "matmul": (2, ""), "matrix_exp": (1, ""), "matrix_power": (2, ""),
    "max": (3, "dim keepdim"), "maximum": (2, ""), "mean": (3, "dim keepdim dtype"), "median": (3, "dim keepdim"),
    "min": (3, "dim keepdim"), "minimum": (2, ""), "mm": (2, ""), "mode": (3, "dim keepdim"), "msort": (1, ""),
    "mul": (2, ""), "multiply": (2, ""), "mv": (2, ""), "mvlgamma": (2, ""), "nan_to_num": (3, ""),
    "nan_to_num_": (3, ""), "nanmean": (3, "dim keepdim dtype"), "nanmedian": (3, "dim keepdim"),
    "nanquantile": (3, "dim keepdim"), "nansum": (3, "dim keepdim dtype"), "ne": (2, ""), "neg": (1, ""),
    "neg_": (1, ""), "negative": (1, ""), "negative_": (1, ""), "nextafter": (2, ""), "nonzero": (1, ""),
    "norm": (2, "dim keepdim dtype"), "not_equal": (2, ""), "numel": (1, ""), "orgqr": (2, ""), "outer": (2, ""),
    "permute": (1, ""), "pinverse": (2, ""), "positive": (1, ""), "pow": (2, ""), "prelu": (2, ""),
    "prod": (3, "dim dtype"), "put": (3, ""), "qr": (2, ""), "quantile": (2, "dim keepdim"), "rad2deg": (1, ""),
    "rad2deg_": (1, ""), "ravel": (1, ""), "reciprocal": (1, ""), "reciprocal_": (1, ""), "relu": (1, ""),
    "relu_": (1, ""), "remainder": (2, ""), "repeat_interleave": (2, "dim"), "resize_as_": (2, ""),
    "resolve_conj": (1, ""), "resolve_neg": (1, ""), "roll": (2, ""), "rot90": (2, ""), "round": (1, ""),
    "round_": (1, ""), "rsqrt": (1, ""), "rsqrt_": (1, ""), "sgn": (1, ""), "sigmoid": (1, ""), "sigmoid_": (1, ""),
    "sign": (1, ""), "signbit": (1, ""), "sin": (1, ""), "sin_": (1, ""), "sinc": (1, ""), "sinc_": (1, ""),
    "sinh": (1, ""), "sinh_": (1, ""), "slice_inverse": (2, "dim"), "slice_scatter": (2, "dim"), "slogdet": (1, ""),
    "softmax": (2, "dim dtype"), "sort": (3, "dim"), "split": (2, "dim"), "split_with_sizes": (2, "dim"),
    "sqrt": (1, ""), "sqrt_": (1, ""), "square": (1, ""), "square_": (1, ""), "squeeze": (2, "dim"),
    "std": (3, "dim keepdim"), "sub": (2, "alpha"), "subtract": (2, "alpha"), "sum": (3, "dim keepdim dtype"),
    "svd": (3, ""), "t": (1, ""), "take": (2, ""), "take_along_dim": (2, "dim"), "tan": (1, ""), "tan_": (1, ""),
    "tanh": (1, ""), "tanh_": (1, ""), "tensor_split": (2, "dim"), "topk": (2, "dim"), "trace": (1, ""),
    "triangular_solve": (3, ""), "tril": (2, ""), "triu": (2, ""), "true_divide": (2, ""), "trunc": (1, ""),
    "trunc_": (1, ""), "unbind": (2, "dim"), "unique": (3, "dim"), "unique_consecutive": (3, "dim"),
    "unsafe_chunk": (2, "dim"), "unsafe_split": (2, "dim"), "unsafe_split_with_sizes": (2, "dim"),
    "unsqueeze": (2, "dim"), "var": (3, "dim keepdim"), "vdot": (2, ""), "vsplit": (2, ""), "xlogy": (2, ""),
    "xlogy_": (2, ""), "zero_": (1, ""),
}
NN_FUNCTIONAL: dict[str, tuple[int, str]] = {
    "hardshrink": (2, ""), "log_softmax": (2, "dim dtype"), "prelu": (2, ""), "relu": (1, ""), "relu_": (1, ""),
    "sigmoid": (1, ""), "softmax": (2, "dim dtype"), "tanh": (1, ""),
}
# methods whose one int-list parameter also takes its ints loose, a one-element integer
# tensor among them (`x.squeeze(tensor([1]))`), where the function refuses that tensor
LOOSE_INT_LIST_METHODS = frozenset({"count_nonzero", "hsplit", "squeeze", "vsplit"})


def _refusing_tensor_arguments(method: Callable) -> Callable:
    """`method` for the gate, leaving a call with a tensor argument to the function's path."""
    def twin(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, Tensor) for a in args):
            raise TypeError("left to the function's own path")
        return method(self, *args, **kwargs)

    return twin


def install(namespace: dict, names: dict[str, tuple[int, str]]) -> None:
    """Makes each function `names` lists in a module's `namespace` the native gated
    function with its Tensor method's path (its own path behind, for the other calls)."""
    home = namespace["__name__"]
    for name, (most, keywords) in names.items():
        slow, method = namespace.get(name), vars(Tensor).get(name)
        if callable(slow) and callable(method):
            if name in LOOSE_INT_LIST_METHODS:
                method = _refusing_tensor_arguments(method)
            namespace[name] = gated_function(slow, home, name, method=method, most=most, keywords=keywords.split(),
                                             tensor_likes=tensor_likes.dispatch_first)
