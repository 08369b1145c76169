"""ferrograd: reverse-mode automatic differentiation with PyTorch's API and a Rust core.

>>> import ferrograd as torch
>>> x = torch.ones(2, 2, requires_grad=True)
>>> (x * 3).sum().backward()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import (
    _core,
    _pickling,  # noqa: F401  (pickle and copy of tensors)
    _tensor,  # noqa: F401  (adds the Python-level Tensor methods)
    _ufuncs,  # noqa: F401  (NumPy ufuncs on tensors)
)
from ._bitwise import *
from ._core import (
    Tensor,
    bfloat16,
    dtype,
    float16,
    float32,
    float64,
    initial_seed,
    int8,
    int16,
    int32,
    int64,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    uint8,
)
from ._core import bool as bool
from ._core import graph_stats as _graph_stats  # noqa: F401
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from ._device import accelerator, cuda, device, get_default_device, set_default_device
from ._dtype_info import finfo, iinfo
from ._functional import *
from ._gather import *
from ._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from ._gradient import *
from ._interop import from_dlpack
from ._lazy import LAZY_ATTRIBUTES as _LAZY_ATTRIBUTES
from ._lazy import LAZY_SUBMODULES as _LAZY_SUBMODULES
from ._lazy import load_lazy as _load_lazy
from ._linalg_aliases import *
from ._masked_fill import *
from ._math import *
from ._mathops import *
from ._method_docs import fill as _fill_method_docs
from ._out import install_top_level as _install_out
from ._products import *
from ._random import Generator, default_generator, get_rng_state, manual_seed, seed, set_rng_state
from ._random_streams import *
from ._reduce import *
from ._scatter import *
from ._shape import *
from ._size import Size
from ._tensor_api import *
from ._threads import *
from ._unique_consecutive import *
from .storage import TypedStorage, UntypedStorage

if TYPE_CHECKING:  # at run time these load on first use (`__getattr__` below)
    from . import autograd, func, linalg, nn, optim, special, testing, utils, viz
    from ._einsum import einsum as einsum
    from ._printing import get_printoptions, printoptions, set_printoptions
    from ._serialization import load, save

__version__: str = _core.__version__  # Cargo.toml's version: one place for it

float = float32
double = float64
long = int64
half = float16
int = int32
short = int16


def get_default_dtype() -> dtype:
    """The dtype of floating-point tensors created without an explicit dtype."""
    return _core.get_default_dtype()


def set_default_dtype(d: dtype) -> None:
    """Sets the dtype of floating-point tensors created without an explicit dtype (and
    of Python floats in `tensor(...)`).

    Args:
        d: float32 or float64.
    """
    _core.set_default_dtype_(d)


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype that both `type1` and `type2` cast to safely, by PyTorch's
    promotion rules.

    Args:
        type1: a dtype.
        type2: a dtype.
    """
    return _core.promote_types(type1, type2)


_NO_ARG = object()


def result_type(
    tensor=_NO_ARG, other=_NO_ARG, *, scalar=_NO_ARG, scalar1=_NO_ARG, scalar2=_NO_ARG
) -> dtype:
    """The dtype PyTorch's type promotion gives for an arithmetic operation on the two
    operands: the higher category (bool < integer < floating) wins, and within one
    category tensors with dimensions decide before 0-d tensors, which decide before
    numbers.

    Args:
        tensor: a tensor or number.
        other: a tensor or number.
        scalar: a number, given by keyword with `tensor` (PyTorch's `(scalar, tensor)` form).
        scalar1: a number, given by keyword with `scalar2`.
        scalar2: a number, given by keyword with `scalar1`.
    """
    given = {
        k: v
        for k, v in (("tensor", tensor), ("other", other), ("scalar", scalar),
                     ("scalar1", scalar1), ("scalar2", scalar2))
        if v is not _NO_ARG
    }
    for pair in (("tensor", "other"), ("scalar", "tensor"), ("scalar1", "scalar2")):
        if set(given) == set(pair):
            return _core._result_type(given[pair[0]], given[pair[1]])
    got = ", ".join(f"{k}={type(v).__name__}" for k, v in given.items())
    raise TypeError(
        f"result_type() received an invalid combination of arguments - got ({got}), but "
        "expected one of:\n * (Tensor tensor, Tensor other)\n * (Number scalar, Tensor tensor)\n"
        " * (Tensor tensor, Number other)\n * (Number scalar1, Number scalar2)\n"
    )


def is_tensor(obj) -> bool:
    """Whether `obj` is a ferrograd Tensor (a Parameter included).

    Args:
        obj: any object.
    """
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """Whether `input` has a floating-point dtype.

    Args:
        input: a tensor.
    """
    return input.dtype.is_floating_point


def numel(input: Tensor) -> int:
    """The number of elements of `input`, as an int.

    Args:
        input: a tensor.
    """
    return input.numel()


__all__ = [
    "Generator",
    "Size",
    "Tensor",
    "TypedStorage",
    "UntypedStorage",
    "abs_",
    "absolute",
    "accelerator",
    "acos_",
    "acosh_",
    "addmv_",
    "alias_copy",
    "arange",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "argwhere",
    "as_strided",
    "as_strided_",
    "as_strided_copy",
    "as_strided_scatter",
    "as_tensor",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "autograd",
    "bernoulli",
    "bfloat16",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "bool",
    "broadcast_shapes",
    "can_cast",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "conj",
    "conj_physical",
    "conj_physical_",
    "cos_",
    "cosh_",
    "cuda",
    "default_generator",
    "deg2rad_",
    "detach_",
    "detach_copy",
    "device",
    "diagonal_copy",
    "diagonal_scatter",
    "double",
    "dtype",
    "empty",
    "empty_like",
    "empty_permuted",
    "empty_strided",
    "enable_grad",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expand_copy",
    "expm1_",
    "eye",
    "fill",
    "fill_",
    "finfo",
    "fix_",
    "float",
    "float16",
    "float32",
    "float64",
    "floor_",
    "frac_",
    "from_dlpack",
    "from_numpy",
    "full",
    "full_like",
    "func",
    "get_default_device",
    "get_default_dtype",
    "get_num_interop_threads",
    "get_num_threads",
    "get_printoptions",
    "get_rng_state",
    "greater",
    "greater_equal",
    "half",
    "iinfo",
    "imag",
    "index_put",
    "index_put_",
    "inference_mode",
    "initial_seed",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_anomaly_enabled",
    "is_complex",
    "is_conj",
    "is_floating_point",
    "is_grad_enabled",
    "is_inference",
    "is_inference_mode_enabled",
    "is_neg",
    "is_nonzero",
    "is_same_size",
    "is_signed",
    "is_tensor",
    "less",
    "less_equal",
    "linalg",
    "linspace",
    "load",
    "log1p_",
    "log2_",
    "log10_",
    "log_",
    "long",
    "manual_seed",
    "multinomial",
    "nan_to_num_",
    "neg_",
    "negative_",
    "nn",
    "no_grad",
    "normal",
    "not_equal",
    "numel",
    "ones",
    "ones_like",
    "optim",
    "permute_copy",
    "printoptions",
    "promote_types",
    "rad2deg_",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "range",
    "ravel",
    "real",
    "reciprocal_",
    "relu_",
    "resize_as_",
    "resolve_conj",
    "resolve_neg",
    "result_type",
    "round_",
    "rsqrt_",
    "rsub",
    "save",
    "scalar_tensor",
    "seed",
    "select_copy",
    "select_scatter",
    "set_default_device",
    "set_default_dtype",
    "set_grad_enabled",
    "set_num_interop_threads",
    "set_num_threads",
    "set_printoptions",
    "set_rng_state",
    "short",
    "sigmoid_",
    "sin_",
    "sinh_",
    "slice_copy",
    "slice_scatter",
    "special",
    "split_with_sizes",
    "sqrt_",
    "square_",
    "squeeze_copy",
    "t_copy",
    "tan_",
    "tanh_",
    "tensor",
    "testing",
    "transpose_copy",
    "trunc_",
    "uint8",
    "unfold_copy",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "unsqueeze_copy",
    "utils",
    "view_copy",
    "viz",
    "xlogy_",
    "zero_",
    "zeros",
    "zeros_like",
]

_fill_method_docs(Tensor, globals())  # after every module above has added its methods
_install_out(globals())  # PyTorch's out= on the functions that take it


if not TYPE_CHECKING:  # mypy reads the imports above; at run time the names load here

    def __getattr__(name: str):
        """Loads a lazy submodule (`nn`, `optim`, ...) or top-level function on first use."""
        return _load_lazy(globals(), name)

    def __dir__() -> list[str]:
        return sorted(set(globals()) | _LAZY_SUBMODULES | set(_LAZY_ATTRIBUTES))
